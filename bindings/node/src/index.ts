/**
 * gumloop-ffi for Node.js: drive Gumloop agents through libgumloop's C API.
 *
 * ```js
 * import { Client } from "gumloop-ffi";
 * const client = new Client(); // GUMLOOP_ACCESS_TOKEN, GUMLOOP_USER_ID, ... from the environment
 * const { session } = await client.sessions.create("agent_id", { input: "Hello" });
 * for await (const event of client.sessions.stream("agent_id", { input: "Tell me" })) {
 *   if (event.type === "text-delta") process.stdout.write(event.delta ?? "");
 * }
 * client.close();
 * ```
 */
import { createRequire } from "node:module";
import { c, libraryPath as loadedFrom } from "./native.js";

export * from "./errors.js";
export * from "./client.js";
export * from "./stream.js";
export * from "./resources.js";

/** The version of the loaded libgumloop, e.g. "0.3.0". */
export function libraryVersion(): string {
  return c.versionGet();
}

/** The file libgumloop was loaded from. */
export const libraryPath: string = loadedFrom;

/** This package's version (its package.json's); the library it loads must have the same. */
export const version: string = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

if (libraryVersion() !== version) {
  throw new Error(`gumloop-ffi ${version} needs libgumloop ${version}, but ${libraryPath} is ${libraryVersion()}`);
}
