/**
 * Client options, in camelCase, and their conversion to the library's options JSON
 * (`timeoutMs` -> `timeout_ms`). The library's description lists every option; the coverage
 * test checks that each has its field here.
 */
import type { FieldShape, Shape } from "./wire.js";

/** Client options; omitted ones come from the environment and the library's defaults. */
export interface ClientOptions {
  /** The credential (personal or team API key, or OAuth access token); else `GUMLOOP_ACCESS_TOKEN`. */
  accessToken?: string;
  /** Alias of accessToken, as the official SDK names it. */
  apiKey?: string;
  /** Sent as `x-auth-key`; else `GUMLOOP_USER_ID`. */
  userId?: string;
  /** Sent as the `team_id` query parameter; else `GUMLOOP_TEAM_ID`. */
  teamId?: string;
  /** The REST base (default `https://api.gumloop.com/api/v1`). */
  baseUrl?: string;
  /** The streaming base. */
  streamBaseUrl?: string;
  /** A whole REST call's time limit (default 90000). */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  /** The longest silence on a stream (default 3600000). */
  streamIdleTimeoutMs?: number;
  /** PEM certificates trusted besides the system's. */
  caCertPem?: string;
  caCertPath?: string;
  /** A proxy for every request. */
  proxy?: string;
  /** Whether the environment's proxy variables apply (default true). */
  useEnvProxy?: boolean;
  userAgentSuffix?: string;
  /** The largest answer accepted, in bytes. */
  maxResponseBytes?: number;
  /** The largest upload, in bytes; more is refused before anything is sent. */
  maxUploadBytes?: number;
  /** Allows `http://` to hosts other than loopback. */
  allowInsecureHttp?: boolean;
  /** Headers sent on every request. */
  extraHeaders?: Record<string, string>;
  maxRetries?: number;
  maxBackoffMs?: number;
  /** Whether a create without `sessionId` gets one generated, making it safe to repeat (default true). */
  autoSessionId?: boolean;
  /**
   * An OAuth refresh token: a call that meets 401 refreshes the access token once and is
   * repeated (needs `clientId`). The refresh token rotates: store the new pair `onTokens` gets.
   */
  refreshToken?: string;
  /** The OAuth client ID, for refreshing (and for a client that only signs in). */
  clientId?: string;
  clientSecret?: string;
  /**
   * Called with each new token pair after the library refreshed the access token, on the event
   * loop, before the call that caused the refresh settles. Store `tokens.refresh_token`: the old
   * one no longer works. What it throws is rethrown as an uncaught exception.
   */
  onTokens?: (refreshed: RefreshedTokens) => void;
  /** Options this package does not name yet, sent as given (library spelling). */
  extraOptions?: Record<string, unknown>;
}

/** A refresh's outcome, as `onTokens` gets it (the library's JSON). */
export interface RefreshedTokens {
  /** The credentials' generation after the refresh. */
  generation: number;
  /** Successful refreshes of this client so far. */
  refresh_count: number;
  /** The token endpoint's answer: `access_token`, `refresh_token`, `expires_in`, ... */
  tokens: { access_token: string; refresh_token?: string; expires_in?: number; [key: string]: unknown };
  [key: string]: unknown;
}

/** The options that stay in JavaScript (functions), not sent to the library. */
export type LocalOptions = "onTokens" | "extraOptions";

/** The options' fields, each sent under its snake_case name. */
export const clientOptionsShape: Shape = {
  what: "the client options",
  extra: "extraOptions",
  code: "INVALID_OPTION",
  fields: {
    accessToken: "value", apiKey: "value", userId: "value", teamId: "value", baseUrl: "value", streamBaseUrl: "value",
    timeoutMs: "value", connectTimeoutMs: "value", streamIdleTimeoutMs: "value", caCertPem: "value", caCertPath: "value",
    proxy: "value", useEnvProxy: "value", userAgentSuffix: "value", maxResponseBytes: "value", maxUploadBytes: "value",
    allowInsecureHttp: "value", extraHeaders: "value", maxRetries: "value", maxBackoffMs: "value", autoSessionId: "value",
    refreshToken: "value", clientId: "value", clientSecret: "value",
  } satisfies Record<Exclude<keyof ClientOptions, LocalOptions>, FieldShape>,
};
