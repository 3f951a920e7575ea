/**
 * A stream of events as an async iterator. The call starts when iteration (or `finished()`)
 * starts; each event is yielded once, in order; breaking out of the loop (or `await using`)
 * cancels the call. Events and the summary are the server's and the library's JSON, with their
 * snake_case names.
 */
import type { GumloopError } from "./errors.js";

/** One stream event: the server's fields (`type`, `stream_cursor`, `delta`, `final`, ...). */
export interface StreamEvent {
  /** `text-delta`, `finish`, an approval request, ... */
  type: string;
  /** The resume point after this event. */
  stream_cursor?: string;
  /** The session's ID. */
  interaction_id?: string;
  delta?: string;
  final?: boolean;
  finishReason?: "stop" | "error" | "not_resumable" | (string & {});
  [key: string]: unknown;
}

/** What a finished stream reports (the library's summary). */
export interface StreamSummary {
  session_id: string | null;
  last_cursor: string | null;
  finish_reason: string | null;
  final: boolean;
  events: number;
  resumes: number;
  [key: string]: unknown;
}

/** Starts the call: gets where to push events and how to settle; returns how to cancel it. */
export type StreamStart = (
  push: (event: StreamEvent) => void,
  settle: (summary: StreamSummary | null, error: GumloopError | null) => void,
) => () => void;

interface Waiter {
  resolve: (result: IteratorResult<StreamEvent>) => void;
  reject: (error: unknown) => void;
}

/** The events of one streaming call. */
export class EventStream implements AsyncIterable<StreamEvent> {
  readonly #start: StreamStart;
  #cancel: (() => void) | null = null;
  readonly #buffer: StreamEvent[] = [];
  #waiter: Waiter | null = null;
  #ended = false;
  #stopped = false;
  #summary: StreamSummary | null = null;
  #error: GumloopError | null = null;
  readonly #finishedWaiters: Array<Waiter> = [];

  constructor(start: StreamStart) {
    this.#start = start;
  }

  /** The summary once the stream has ended successfully, else null. */
  get summary(): StreamSummary | null {
    return this.#summary;
  }

  #begin(): void {
    if (this.#cancel !== null) return;
    this.#cancel = () => undefined;
    this.#cancel = this.#start(
      (event) => {
        if (this.#stopped) return;
        if (this.#waiter) {
          const waiter = this.#waiter;
          this.#waiter = null;
          waiter.resolve({ value: event, done: false });
        } else {
          this.#buffer.push(event);
        }
      },
      (summary, error) => {
        if (this.#ended) return;
        this.#ended = true;
        this.#summary = summary;
        this.#error = error;
        if (this.#waiter && this.#buffer.length === 0) {
          const waiter = this.#waiter;
          this.#waiter = null;
          if (error && !this.#stopped) waiter.reject(error);
          else waiter.resolve({ value: undefined, done: true });
        }
        for (const waiter of this.#finishedWaiters.splice(0)) {
          if (error) waiter.reject(error);
          else waiter.resolve({ value: undefined, done: true });
        }
      },
    );
  }

  /** Runs the stream to its end without iterating it (events are dropped); the summary. */
  finished(): Promise<StreamSummary> {
    this.#begin();
    if (this.#ended) {
      return this.#error ? Promise.reject(this.#error) : Promise.resolve(this.#summary as StreamSummary);
    }
    return new Promise<StreamSummary>((resolve, reject) => {
      this.#finishedWaiters.push({ resolve: () => resolve(this.#summary as StreamSummary), reject });
    });
  }

  /** Stops the stream: the call is cancelled and its connection closed. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#buffer.length = 0;
    if (!this.#ended) this.#cancel?.();
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = null;
      waiter.resolve({ value: undefined, done: true });
    }
  }

  /** `await using stream = ...`: stops the stream and waits for its call to end. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.stop();
    if (this.#cancel === null) return;
    await this.finished().catch(() => undefined);
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    this.#begin();
    return {
      next: () => {
        const event = this.#buffer.shift();
        if (event !== undefined) return Promise.resolve({ value: event, done: false });
        if (this.#stopped) return Promise.resolve({ value: undefined, done: true });
        if (this.#ended) {
          return this.#error ? Promise.reject(this.#error) : Promise.resolve({ value: undefined, done: true });
        }
        return new Promise<IteratorResult<StreamEvent>>((resolve, reject) => {
          this.#waiter = { resolve, reject };
        });
      },
      return: () => {
        this.stop();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
