/**
 * `Client` and its `sessions` resource. Every call is a Promise over the library's
 * non-blocking poller: it never blocks the event loop, and an `AbortSignal` cancels it (the
 * library closes its connection). Behaviour — retries, exactly-once creation, stream resume,
 * validation — is the library's; this file converts arguments and results.
 */
import { errorFor, GumloopError, localError } from "./errors.js";
import { c, OK, Pointer, takeString } from "./native.js";
import { CallData, poller } from "./poller.js";
import { Agents, Artifacts, SessionExtras } from "./resources.js";
import { EventStream, StreamEvent, StreamSummary } from "./stream.js";

/** Client options; omitted ones come from the environment and the library's defaults. */
export interface ClientOptions {
  accessToken?: string;
  /** Alias of accessToken, as the official SDK names it. */
  apiKey?: string;
  userId?: string;
  teamId?: string;
  baseUrl?: string;
  streamBaseUrl?: string;
  timeoutMs?: number;
  connectTimeoutMs?: number;
  streamIdleTimeoutMs?: number;
  caCertPem?: string;
  caCertPath?: string;
  proxy?: string;
  userAgentSuffix?: string;
  maxResponseBytes?: number;
  allowInsecureHttp?: boolean;
  extraHeaders?: Record<string, string>;
  maxRetries?: number;
  maxBackoffMs?: number;
  autoSessionId?: boolean;
  /** Options this package does not name yet, sent as given (library spelling). */
  extra?: Record<string, unknown>;
}

/** The library's spelling of an option name: `baseUrl` -> `base_url`. */
function snake(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function optionsJson(options: ClientOptions): string {
  const out: Record<string, unknown> = { ...(options.extra ?? {}) };
  for (const [key, value] of Object.entries(options)) {
    if (key === "extra" || value === undefined) continue;
    out[snake(key)] = value;
  }
  return JSON.stringify(out);
}

/** Per-call options. */
export interface CallOptions {
  /** Cancels the call: it rejects with a CancelledError and its connection is closed. */
  signal?: AbortSignal;
}

/** A session envelope: `{session, queue_position}` as the server sent it. */
export interface SessionResponse {
  session: Session;
  queue_position: number | null;
  [key: string]: unknown;
}

/** A session (the server's fields; unknown ones are kept). */
export interface Session {
  id: string;
  agent_id: string;
  name?: string | null;
  state?: string | null;
  messages?: Array<Record<string, unknown>>;
  pending_approvals?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

/** One page of sessions. */
export interface SessionList {
  sessions: Session[];
  next_cursor: string | null;
}

/** What a queued send answers. */
export interface MessageReceipt {
  message_id: string;
  status: string;
}

/** Create parameters: the request body's fields (unknown ones are sent as given). */
export interface CreateParams {
  input?: string | Array<string | Record<string, unknown>>;
  session_id?: string;
  name?: string;
  metadata?: Record<string, unknown>;
  incognito?: boolean;
  attachments?: string[];
  [key: string]: unknown;
}

/** Send parameters. */
export interface SendParams {
  input?: string | Array<string | Record<string, unknown>>;
  delivery?: "immediate" | "queued";
  idempotency_key?: string;
  attachments?: string[];
  approval_responses?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

/** List filters and paging. */
export interface ListParams {
  page_size?: number;
  cursor?: string;
  search?: string;
  sort_order?: string;
  type?: string;
  state?: string;
  creator_user_id?: string;
  trigger_id?: string;
  [key: string]: unknown;
}

/** Wait bounds (milliseconds). */
export interface WaitParams {
  timeout_ms?: number;
  poll_interval_ms?: number;
  max_poll_interval_ms?: number;
}

/** A Gumloop client: its configuration and connection pool. */
export class Client {
  #handle: Pointer | null;
  #inFlight = 0;
  #closeWhenIdle = false;
  /** The session calls. */
  readonly sessions: Sessions;
  /** Finding and checking agents. */
  readonly agents: Agents;
  /** The files agents produced. */
  readonly artifacts: Artifacts;

  /** Makes a client; bad options throw an InvalidOptionError naming the option. */
  constructor(options: ClientOptions = {}) {
    const out: [Pointer | null] = [null];
    const json: [Pointer | null] = [null];
    const code = c.clientNew(optionsJson(options), out, json);
    const text = takeString(json[0]);
    if (code !== OK || out[0] === null) throw errorFor(code, text);
    this.#handle = out[0];
    this.sessions = new Sessions(this);
    this.agents = new Agents(this);
    this.artifacts = new Artifacts(this);
  }

  /**
   * A request the library does not wrap: `path` is given as segments (each encoded as one
   * segment, after the API's base path), with the library's credentials, safe-retry rules,
   * limits and error model. The answer is the server's JSON.
   */
  request(method: string, path: string[], params: { query?: Record<string, unknown>; body?: unknown } = {}, options?: CallOptions): Promise<unknown> {
    return this.call("send_request", { method, path, query: params.query ?? null, body: params.body ?? null }, options).then((t) => JSON.parse(t) as unknown);
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

  #freeIfIdle(): void {
    if (this.#closeWhenIdle && this.#inFlight === 0 && this.#handle !== null) {
      c.clientFree(this.#handle);
      this.#handle = null;
    }
  }

  /**
   * Starts one operation of the library's table (`create_session`, `get_session`, ...) with
   * its named arguments. For internal use by the resources, and for operations this package
   * does not wrap yet.
   */
  call(operation: string, args: Record<string, unknown>, options: CallOptions = {}, data: CallData = null): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const finish = this.#begin(options.signal, reject);
      if (!finish) return;
      const started = this.#start(operation, args, data, {
        done: (result, error) => {
          finish.end();
          if (error) reject(error);
          else resolve(result ?? "null");
        },
      });
      if (started instanceof Error) {
        finish.end();
        reject(started);
      } else {
        finish.bind(started);
      }
    });
  }

  /** Starts a streaming operation: events go to the stream. */
  stream(operation: string, args: Record<string, unknown>, options: CallOptions = {}): EventStream {
    return new EventStream((push, settle) => {
      const finish = this.#begin(options.signal, (error) => settle(null, error));
      if (!finish) return () => undefined;
      const started = this.#start(operation, args, null, {
        event: (json) => push(JSON.parse(json) as StreamEvent),
        done: (result, error) => {
          finish.end();
          settle(result === null ? null : (JSON.parse(result) as StreamSummary), error);
        },
      });
      if (started instanceof Error) {
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

  #start(operation: string, args: Record<string, unknown>, data: CallData, sink: Parameters<ReturnType<typeof poller>["start"]>[4]): bigint | GumloopError {
    try {
      return poller().start(this.#handle as Pointer, operation, args, data, sink);
    } catch (error) {
      if (error instanceof GumloopError) return error;
      throw error;
    }
  }
}

/** A session call's answer, parsed. */
function parsed<T>(text: Promise<string>): Promise<T> {
  return text.then((t) => JSON.parse(t) as T);
}

/** The session calls, named as the official SDK names them. */
export class Sessions extends SessionExtras {
  readonly #client: Client;

  constructor(client: Client) {
    super(client);
    this.#client = client;
  }

  /** Starts a session: an idle stub without `input`, a working session with it. */
  create(agentId: string, params: CreateParams = {}, options?: CallOptions): Promise<SessionResponse> {
    return parsed(this.#client.call("create_session", { agent_id: agentId, body: params }, options));
  }

  /** A session with its transcript. */
  retrieve(sessionId: string, options?: CallOptions): Promise<SessionResponse> {
    return parsed(this.#client.call("get_session", { session_id: sessionId }, options));
  }

  /** One page of the agent's sessions. */
  list(agentId: string, params: ListParams = {}, options?: CallOptions): Promise<SessionList> {
    return parsed(this.#client.call("list_sessions", { agent_id: agentId, query: params }, options));
  }

  /** Every session of the agent, page after page. */
  async *listAll(agentId: string, params: ListParams = {}, options?: CallOptions): AsyncGenerator<Session> {
    let cursor = params.cursor;
    for (;;) {
      const page = await this.list(agentId, cursor === undefined ? params : { ...params, cursor }, options);
      yield* page.sessions;
      if (!page.next_cursor) return;
      cursor = page.next_cursor;
    }
  }

  /** Sends a message: the envelope, or a receipt for `delivery: "queued"`. */
  send(sessionId: string, params: SendParams, options?: CallOptions): Promise<SessionResponse | MessageReceipt> {
    return parsed(this.#client.call("send_message", { session_id: sessionId, body: params }, options));
  }

  /** Stops a running or queued session. */
  cancel(sessionId: string, options?: CallOptions): Promise<SessionResponse> {
    return parsed(this.#client.call("cancel_session", { session_id: sessionId }, options));
  }

  /** Renames a session (the official SDK's `update`). */
  update(sessionId: string, params: { name: string }, options?: CallOptions): Promise<SessionResponse> {
    return this.rename(sessionId, params.name, options);
  }

  /** Renames a session. */
  rename(sessionId: string, name: string, options?: CallOptions): Promise<SessionResponse> {
    return parsed(this.#client.call("rename_session", { session_id: sessionId, name }, options));
  }

  /** Waits until the session settles (completed, failed, approval_required or idle). */
  wait(sessionId: string, params: WaitParams = {}, options?: CallOptions): Promise<SessionResponse> {
    return parsed(this.#client.call("wait_session", { session_id: sessionId, options: params }, options));
  }

  /** Creates a session and streams its run: `for await (const event of stream)`. */
  stream(agentId: string, params: CreateParams = {}, options?: CallOptions): EventStream {
    return this.#client.stream("stream_session", { agent_id: agentId, body: params }, options);
  }

  /** Sends a message (or approval responses) and streams the run it starts. */
  streamMessage(sessionId: string, params: SendParams, options?: CallOptions): EventStream {
    return this.#client.stream("stream_message", { session_id: sessionId, body: params }, options);
  }

  /** Replays a session's events after `cursor`, then follows the run live. */
  resumeStream(sessionId: string, cursor: string, options?: CallOptions): EventStream {
    return this.#client.stream("resume_stream", { session_id: sessionId, cursor }, options);
  }
}
