/**
 * What the resources need from a client: starting one operation of the library's table by
 * name. The resources depend on this interface, not on `Client`, so the modules import in one
 * direction only.
 */
import type { EventStream } from "./stream.js";

/** What one call's requests saw (never a secret). */
export interface CallInfo {
  /** The HTTP requests the call sent (repeats counted, redirects not). */
  attempts: number;
  /** From the call's start to its end. */
  duration_ms: number;
  /** The server's `x-request-id` of the last answer, or null. */
  request_id: string | null;
  [key: string]: unknown;
}

/** Per-call options, accepted by every method. */
export interface CallOptions {
  /** Cancels the call: it rejects with a CancelledError and its connection is closed. */
  signal?: AbortSignal;
  /**
   * Headers for this call's requests only (e.g. its own `traceparent`); one replaces a
   * client-wide extra header of the same name. The library's own headers are refused.
   */
  extraHeaders?: Record<string, string>;
  /** The time limit of each of this call's requests, instead of the client's (not for streams). */
  timeoutMs?: number;
  /**
   * Called with what the call's requests saw (attempts, duration, the server's request ID)
   * when it ends, successful or not, on the event loop before its promise settles.
   */
  onInfo?: (info: CallInfo) => void;
}

/** The bytes an operation takes (a file's content), or null. */
export type CallData = Uint8Array | null;

/**
 * A call's named arguments (API spelling), or a function making them: what it throws (the
 * package's InvalidArgumentError for a bad parameter) becomes the call's rejection, and
 * nothing is sent.
 */
export type CallArgs = Record<string, unknown> | (() => Record<string, unknown>);

/** Starts operations of the library's table with their named arguments (API spelling). */
export interface Caller {
  /** A call with one answer: its JSON text. */
  call(operation: string, args: CallArgs, options?: CallOptions, data?: CallData | (() => CallData)): Promise<string>;
  /** A call whose result is bytes: its JSON text (what was fetched) and the bytes. */
  bytes(operation: string, args: CallArgs, options?: CallOptions): Promise<{ answer: string; data: Uint8Array }>;
  /** A streaming call: its events. */
  stream(operation: string, args: CallArgs, options?: CallOptions): EventStream;
}
