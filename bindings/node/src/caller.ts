/**
 * What the resources need from a client: starting one operation of the library's table by
 * name. The resources depend on this interface, not on `Client`, so the modules import in one
 * direction only.
 */
import type { EventStream } from "./stream.js";

/** Per-call options, accepted by every method. */
export interface CallOptions {
  /** Cancels the call: it rejects with a CancelledError and its connection is closed. */
  signal?: AbortSignal;
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
