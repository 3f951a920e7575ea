/**
 * The bridge to the library's non-blocking calls: one `gumloop_poller` per process whose
 * descriptor the event loop watches (a `net.Socket` over a duplicate of it, so libuv polls it
 * with epoll). When it becomes readable, every ready item is taken at once and handed to its
 * call. The library's threads never run JavaScript: everything here runs on the event loop.
 */
import { Socket } from "node:net";
import type { CallData } from "./caller.js";
import { errorFor, GumloopError, localError } from "./errors.js";
import { c, dup, ITEM_DONE, ITEM_EVENT, ITEM_NONE, OK, Pointer, takeBytes, takeString } from "./native.js";

/** What a started call hands its items to. */
export interface CallSink {
  /** A stream event's JSON text (streams only). */
  event?(json: string): void;
  /** Whether the call's result has bytes to take when it succeeds (operations of result "bytes"). */
  readonly bytes?: boolean;
  /** Whether to take what the call's requests saw (its call info) when it ends. */
  readonly info?: boolean;
  /** The call ended: its result text (and bytes), or its error; its call info's text if asked. */
  done(result: string | null, error: GumloopError | null, extra: { bytes?: Uint8Array; info?: string | null }): void;
}

class Poller {
  private readonly handle: Pointer;
  private readonly socket: Socket;
  private readonly calls = new Map<bigint, CallSink>();

  constructor() {
    const out: [Pointer | null] = [null];
    const json: [Pointer | null] = [null];
    const code = c.pollerNew(null, out, json);
    const text = takeString(json[0]);
    if (code !== OK || out[0] === null) throw errorFor(code, text);
    this.handle = out[0];
    const fd = dup(c.pollerGetFd(this.handle));
    if (fd < 0) throw new Error("libgumloop: the poller's descriptor could not be duplicated");
    this.socket = new Socket({ fd, readable: true, writable: false });
    // The bytes are only a wake-up: what is ready is what take_item gives.
    this.socket.on("data", () => this.drain());
    this.socket.on("error", (error) => {
      for (const [id, sink] of this.calls) {
        this.calls.delete(id);
        sink.done(null, localError("INTERNAL", `the poller's descriptor failed: ${error.message}`), {});
      }
    });
    this.socket.unref();
  }

  /** Starts an operation with its arguments' JSON text; its items go to `sink`. Returns the call's ID. */
  start(client: Pointer, operation: string, args: string, data: CallData, sink: CallSink): bigint {
    const id: [number | bigint] = [0];
    const json: [Pointer | null] = [null];
    const code = c.pollerStartCall(this.handle, client, operation, args, data, data?.length ?? 0, id, json);
    const text = takeString(json[0]);
    if (code !== OK) throw errorFor(code, text);
    const callId = BigInt(id[0]);
    this.calls.set(callId, sink);
    if (this.calls.size === 1) this.socket.ref();
    // An item may be ready before the descriptor's wake-up is read.
    queueMicrotask(() => this.drain());
    return callId;
  }

  /** Asks the library to end a call; its DONE item follows. */
  cancel(callId: bigint): void {
    if (!this.calls.has(callId)) return;
    const json: [Pointer | null] = [null];
    c.pollerCancelCall(this.handle, callId, json);
    takeString(json[0]);
  }

  /** Takes every ready item and hands each to its call. */
  private drain(): void {
    const id: [number | bigint] = [0];
    const kind: [number] = [0];
    const code: [number] = [0];
    const json: [Pointer | null] = [null];
    for (;;) {
      json[0] = null;
      if (c.pollerTakeItem(this.handle, id, kind, code, json) !== OK) return;
      if (kind[0] === ITEM_NONE) return;
      const text = takeString(json[0]);
      const callId = BigInt(id[0]);
      const sink = this.calls.get(callId);
      if (kind[0] === ITEM_EVENT) {
        if (sink?.event && text !== null) sink.event(text);
      } else if (kind[0] === ITEM_DONE) {
        this.calls.delete(callId);
        if (this.calls.size === 0) this.socket.unref();
        if (!sink) continue;
        const info = sink.info ? this.takeCallInfo(callId) : undefined;
        if (code[0] !== OK) sink.done(null, errorFor(code[0], text), { info });
        else if (sink.bytes) this.finishWithBytes(callId, text, sink, info);
        else sink.done(text, null, { info });
      }
    }
  }

  /** Takes a finished bytes call's bytes (right after its DONE item) and hands them over. */
  private finishWithBytes(callId: bigint, text: string | null, sink: CallSink, info: string | null | undefined): void {
    const data: [Pointer | null] = [null];
    const length: [number | bigint] = [0];
    const json: [Pointer | null] = [null];
    const code = c.pollerTakeBytes(this.handle, callId, data, length, json);
    const error = takeString(json[0]);
    if (code !== OK) {
      sink.done(null, errorFor(code, error), { info });
      return;
    }
    sink.done(text, null, { bytes: takeBytes(data[0], Number(length[0])), info });
  }

  /** A finished call's info text (right after its DONE item), or null when the library has none. */
  private takeCallInfo(callId: bigint): string | null {
    const json: [Pointer | null] = [null];
    const code = c.pollerTakeCallInfo(this.handle, callId, json);
    const text = takeString(json[0]);
    return code === OK ? text : null;
  }

  /** How many calls are in flight (for tests and diagnostics). */
  get inFlight(): number {
    return this.calls.size;
  }
}

let shared: Poller | null = null;

/** The process's poller, made on first use. */
export function poller(): Poller {
  shared ??= new Poller();
  return shared;
}
