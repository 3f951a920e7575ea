/**
 * gumloop-ffi for Node.js: drive Gumloop agents through libgumloop's C API.
 *
 * ```ts
 * import { Client } from "gumloop-ffi";
 * await using client = new Client(); // GUMLOOP_ACCESS_TOKEN, GUMLOOP_USER_ID, ... from the environment
 * const { session } = await client.sessions.create("agent_id", { input: "Hello" });
 * for await (const event of client.sessions.stream("agent_id", { input: "Tell me" })) {
 *   if (event.type === "text-delta") process.stdout.write(event.delta ?? "");
 * }
 * ```
 */
import { createRequire } from "node:module";
import { localError } from "./errors.js";
import { c, libraryPath as loadedFrom } from "./native.js";

export * from "./errors.js";
export * from "./client.js";
export * from "./stream.js";
export * from "./sessions.js";
export * from "./agents.js";
export * from "./artifacts.js";
export * from "./paging.js";
export { accept, reject } from "./params.js";
export type {
  AccessChange, AccessRole, ApprovalResponse, AskRef, ArtifactVersionParams, Attachment, ContentPart, CreateParams, DownloadParams,
  ExtraBody, Grant, LinkAccess, ListAgentsParams, ListArtifactsParams, ListSessionsParams, MessageInput, PageParams,
  QueueParams, ResolveApprovalsParams, SendParams, SessionState, StreamSendParams, UploadParams, WaitParams,
} from "./params.js";
export type * from "./answers.js";
export type { ClientOptions, RefreshedTokens } from "./options.js";
export { LOG_CHANNEL, setLogLevel } from "./logs.js";
export type { LogLevel, LogRecord } from "./logs.js";
export { buildAuthorizationUrl, OAuth } from "./oauth.js";
export type {
  AuthorizationUrl, AuthorizationUrlParams, ExchangeCodeParams, RefreshTokenParams, RegisterClientParams, RegisteredClient,
  RevokeParams, TokenResponse,
} from "./oauth.js";
export type { CallArgs, CallData, CallInfo, CallOptions, Caller } from "./caller.js";
export { description } from "./description.js";
export type * from "./description.js";
export { MAX_JSON_DEPTH } from "./json.js";

/** The version of the loaded libgumloop, e.g. "0.3.0". */
export function libraryVersion(): string {
  return c.versionGet();
}

/** The file libgumloop was loaded from. */
export const libraryPath: string = loadedFrom;

/** This package's version (its package.json's); the library it loads must have the same. */
export const version: string = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

if (libraryVersion() !== version) {
  throw localError("INTERNAL", `gumloop-ffi ${version} needs libgumloop ${version}, but ${libraryPath} is ${libraryVersion()}`);
}
