/**
 * `Client`: its configuration, its connection pool and its resources. Every call is a Promise
 * over the library's non-blocking poller: it never blocks the event loop, and an `AbortSignal`
 * cancels it (the library closes its connection). Behaviour — retries, exactly-once creation,
 * stream resume, validation — is the library's; this package converts arguments and answers.
 */
import { Agents } from "./agents.js";
import { Artifacts } from "./artifacts.js";
import type { CallArgs, CallData, CallInfo, CallOptions, Caller } from "./caller.js";
import { errorFor, GumloopError, localError } from "./errors.js";
import { argumentsJson, parseAnswer } from "./json.js";
import { c, OK, Pointer, takeString } from "./native.js";
import { drainLogs } from "./logs.js";
import { OAuth } from "./oauth.js";
import { outJson } from "./outcall.js";
import { ClientOptions, clientOptionsShape, RefreshedTokens } from "./options.js";
import { CallSink, poller } from "./poller.js";
import { Sessions } from "./sessions.js";
import { EventStream, StreamEvent, StreamSummary } from "./stream.js";
import { Shape, toWire } from "./wire.js";

/** A raw request's query and body, in the API's spelling (sent as given). */
export interface RawRequestParams {
  query?: Record<string, unknown>;
  body?: unknown;
}

/** What `setCredentials` changes; an absent field is left as it is. */
export interface Credentials {
  /** The new access token; null goes back to the environment's. */
  accessToken?: string | null;
  /** The new user ID (`x-auth-key`); null sends none. */
  userId?: string | null;
  /** The new refresh token; null turns refreshing off. */
  refreshToken?: string | null;
}
const credentialsShape = {
  what: "the credentials",
  fields: { accessToken: "value", userId: "value", refreshToken: "value" },
} as const satisfies import("./wire.js").Shape & { fields: Record<keyof Credentials, "value"> };

/** The per-call options that travel to the library, as its `request_options`. */
const requestOptionsShape: Shape = {
  what: "the call options",
  fields: { extraHeaders: "value", timeoutMs: "value" },
};
/** The per-call options that stay in JavaScript. */
const LOCAL_CALL_OPTIONS = ["signal", "onInfo"];

/** The library's `request_options` of a call's options (null when none), refusing unknown ones. */
function requestOptions(options: CallOptions): Record<string, unknown> | null {
  if (typeof options !== "object" || options === null) throw localError("INVALID_ARGUMENT", "the call options must be a plain object", "options");
  if (options.onInfo !== undefined && typeof options.onInfo !== "function") throw localError("INVALID_ARGUMENT", "`onInfo` must be a function", "onInfo");
  const travelling = Object.fromEntries(Object.entries(options).filter(([key]) => !LOCAL_CALL_OPTIONS.includes(key)));
  const wire = toWire(travelling, requestOptionsShape, "request_options");
  return Object.keys(wire).length === 0 ? null : wire;
}

/** Resolves a call's arguments (and data), turning what the caller got wrong into an error. */
function resolved(args: CallArgs, data: CallData | (() => CallData), options: CallOptions): { text: string; data: CallData } | GumloopError {
  try {
    const named = typeof args === "function" ? args() : args;
    const perCall = requestOptions(options);
    const all = perCall === null ? named : { ...named, request_options: perCall };
    return { text: argumentsJson(all), data: typeof data === "function" ? data() : data };
  } catch (error) {
    if (error instanceof GumloopError) return error;
    return localError("INVALID_ARGUMENT", `the arguments could not be read: ${String(error)}`, null, error);
  }
}

/** A Gumloop client: its configuration and connection pool. */
export class Client implements Caller {
  #handle: Pointer | null = null;
  #inFlight = 0;
  #closeWhenIdle = false;
  readonly #idle: Array<() => void> = [];
  /** The session calls. */
  readonly sessions: Sessions;
  /** Finding and checking agents. */
  readonly agents: Agents;
  /** The files agents produced. */
  readonly artifacts: Artifacts;
  /** Signing in with OAuth. */
  readonly oauth: OAuth;
  readonly #onTokens: ((refreshed: RefreshedTokens) => void) | undefined;
  #refreshesSeen = 0n;

  /** Makes a client; bad options throw an InvalidArgumentError (kind `GUMLOOP_ERR_INVALID_OPTION`) naming the option. */
  constructor(options: ClientOptions = {}) {
    const given: unknown = options;
    let libraryOptions = given;
    let onTokens: unknown;
    if (typeof given === "object" && given !== null && "onTokens" in given) {
      ({ onTokens, ...libraryOptions } = given as ClientOptions);
      if (onTokens !== undefined && typeof onTokens !== "function") {
        throw localError("INVALID_OPTION", "`onTokens` must be a function", "onTokens");
      }
    }
    const optionsText = argumentsJson(toWire(libraryOptions, clientOptionsShape, "options"));
    const out: [Pointer | null] = [null];
    const json: [Pointer | null] = [null];
    const code = c.clientNew(optionsText, out, json);
    const text = takeString(json[0]);
    if (code !== OK || out[0] === null) throw errorFor(code, text);
    this.#handle = out[0];
    this.sessions = new Sessions(this);
    this.agents = new Agents(this);
    this.artifacts = new Artifacts(this);
    this.oauth = new OAuth(this, { baseUrl: options.baseUrl, allowInsecureHttp: options.allowInsecureHttp });
    this.#onTokens = onTokens as ((refreshed: RefreshedTokens) => void) | undefined;
  }

  /**
   * Replaces the client's credentials for the calls that start afterwards (calls in flight keep
   * theirs; connections stay open). Returns the credentials' generation.
   */
  setCredentials(credentials: Credentials): { generation: number } {
    const text = argumentsJson(toWire(credentials, credentialsShape, "credentials"));
    if (this.#handle === null || this.#closeWhenIdle) throw localError("INVALID_ARGUMENT", "the client is closed", "client");
    const handle = this.#handle;
    return parseAnswer<{ generation: number }>(outJson((out) => c.clientSetCredentials(handle, text, out)) ?? "null");
  }

  /**
   * After each call, before it settles: publishes the library's log records, hands a refreshed
   * token pair to `onTokens` and the call's info to its `onInfo`. What those throw is rethrown
   * as an uncaught exception; the call settles as it ended.
   */
  #afterCall(options: CallOptions, info: string | null | undefined): void {
    try {
      this.#publishAfterCall();
      if (options?.onInfo !== undefined && info) options.onInfo(parseAnswer<CallInfo>(info, "the call's info"));
    } catch (error) {
      process.nextTick(() => {
        throw error;
      });
    }
  }

  #publishAfterCall(): void {
    drainLogs();
    if (this.#onTokens === undefined || this.#handle === null) return;
    const count = BigInt(c.clientGetRefreshCount(this.#handle));
    if (count <= this.#refreshesSeen) return;
    this.#refreshesSeen = count;
    const handle = this.#handle;
    const text = outJson((out) => c.clientTakeTokens(handle, out));
    if (text === null) return;
    try {
      this.#onTokens(parseAnswer<RefreshedTokens>(text, "the refreshed tokens"));
    } catch (error) {
      process.nextTick(() => {
        throw error;
      });
    }
  }

  /**
   * A request the library does not wrap: `path` is given as segments (each encoded as one
   * segment, after the API's base path), with the library's credentials, safe-retry rules,
   * limits and error model. The query and body are sent as given; the answer is the server's JSON.
   */
  request(method: string, path: string[], params: RawRequestParams = {}, options?: CallOptions): Promise<unknown> {
    const args = () => ({ method, path, query: params.query ?? null, body: params.body ?? null });
    return this.call("send_request", args, options).then((t) => parseAnswer<unknown>(t));
  }

  /** Whether close() was called. */
  get closed(): boolean {
    return this.#handle === null || this.#closeWhenIdle;
  }

  /** Frees the client once the calls still using it have ended; later calls reject. */
  close(): void {
    this.#closeWhenIdle = true;
    this.#freeIfIdle();
  }

  /** `using client = new Client()`: close() at the end of the scope. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `await using client = new Client()`: close(), then wait until the calls still running have ended. */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    if (this.#handle === null) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #freeIfIdle(): void {
    if (this.#closeWhenIdle && this.#inFlight === 0 && this.#handle !== null) {
      c.clientFree(this.#handle);
      this.#handle = null;
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /**
   * Starts one operation of the library's table (`create_session`, `get_session`, ...) with
   * its named arguments in the library's spelling; resolves to the answer's JSON text. The
   * resources use it; it also reaches operations this package does not wrap yet.
   */
  call(operation: string, args: CallArgs, options: CallOptions = {}, data: CallData | (() => CallData) = null): Promise<string> {
    return this.#run(operation, args, options, data, false).then((done) => done.answer);
  }

  /** Starts an operation whose result is bytes (`download_artifact`): what was fetched, and the bytes. */
  bytes(operation: string, args: CallArgs, options: CallOptions = {}): Promise<{ answer: string; data: Uint8Array }> {
    return this.#run(operation, args, options, null, true);
  }

  #run(operation: string, args: CallArgs, options: CallOptions, data: CallData | (() => CallData), bytes: boolean) {
    return new Promise<{ answer: string; data: Uint8Array }>((resolve, reject) => {
      const finish = this.#begin(options?.signal, reject);
      if (!finish) return;
      const started = this.#start(operation, args, data, options, {
        bytes,
        info: options?.onInfo !== undefined,
        done: (result, error, extra) => {
          this.#afterCall(options, extra.info);
          finish.end();
          if (error) reject(error);
          else resolve({ answer: result ?? "null", data: extra.bytes ?? new Uint8Array(0) });
        },
      });
      if (started instanceof GumloopError) {
        finish.end();
        reject(started);
      } else {
        finish.bind(started);
      }
    });
  }

  /** Starts a streaming operation: its events, read with `for await`. */
  stream(operation: string, args: CallArgs, options: CallOptions = {}): EventStream {
    return new EventStream((push, settle) => {
      const finish = this.#begin(options?.signal, (error) => settle(null, error));
      if (!finish) return () => undefined;
      let broken: GumloopError | null = null;
      const started = this.#start(operation, args, null, options, {
        info: options?.onInfo !== undefined,
        event: (json) => {
          if (broken) return;
          try {
            push(parseAnswer<StreamEvent>(json, "a stream event"));
          } catch (error) {
            broken = error as GumloopError;
            if (typeof started === "bigint") poller().cancel(started);
          }
        },
        done: (result, error, extra) => {
          this.#afterCall(options, extra.info);
          finish.end();
          if (broken ?? error) return settle(null, broken ?? error);
          try {
            settle(result === null ? null : parseAnswer<StreamSummary>(result, "the stream's summary"), null);
          } catch (failure) {
            settle(null, failure as GumloopError);
          }
        },
      });
      if (started instanceof GumloopError) {
        finish.end();
        settle(null, started);
        return () => undefined;
      }
      finish.bind(started);
      return () => poller().cancel(started);
    });
  }

  /** Counts a call in, and ties its cancellation to the signal. Null when it must not start. */
  #begin(signal: AbortSignal | undefined, reject: (error: GumloopError) => void) {
    if (this.#handle === null || this.#closeWhenIdle) {
      reject(localError("INVALID_ARGUMENT", "the client is closed", "client"));
      return null;
    }
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      reject(localError("INVALID_ARGUMENT", "`signal` must be an AbortSignal", "signal"));
      return null;
    }
    if (signal?.aborted) {
      reject(localError("CANCELLED", "the call was aborted before it started; nothing was sent", null, signal.reason));
      return null;
    }
    this.#inFlight++;
    let callId: bigint | null = null;
    const onAbort = () => {
      if (callId !== null) poller().cancel(callId);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    return {
      bind: (id: bigint) => {
        callId = id;
      },
      end: () => {
        signal?.removeEventListener("abort", onAbort);
        this.#inFlight--;
        this.#freeIfIdle();
      },
    };
  }

  #start(operation: string, args: CallArgs, data: CallData | (() => CallData), options: CallOptions, sink: CallSink): bigint | GumloopError {
    const call = resolved(args, data, options);
    if (call instanceof GumloopError) return call;
    try {
      return poller().start(this.#handle as Pointer, operation, call.text, call.data, sink);
    } catch (error) {
      if (error instanceof GumloopError) return error;
      return localError("INTERNAL", `the call could not be started: ${String(error)}`, null, error);
    }
  }
}
