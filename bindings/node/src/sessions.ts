/**
 * `client.sessions`: every session call, named as the official SDK names them where it has
 * them. Each method is one operation of the library's table; parameters are converted to the
 * API's JSON at the boundary (`wire.ts`), answers are the server's JSON.
 */
import type {
  ApprovalResolution, MessageReceipt, QueueChange, QueueList, AccessUpdate, Session, SessionAccess,
  SessionList, SessionResponse, UploadedFile,
} from "./answers.js";
import type { CallArgs, CallOptions, Caller } from "./caller.js";
import { localError } from "./errors.js";
import { answerOf } from "./json.js";
import { PagedList } from "./paging.js";
import {
  AccessChange, accessShape, CreateParams, createShape, ListSessionsParams, listSessionsShape, QueueParams, queueShape,
  ResolveApprovalsParams, resolveApprovalsShape, UploadParams, uploadShape, SendParams, sendShape, StreamSendParams, streamSendShape, WaitParams, waitShape,
} from "./params.js";
import type { EventStream } from "./stream.js";
import { toWire } from "./wire.js";

/** An upload's content: bytes (a Buffer is a Uint8Array), an ArrayBuffer, or text sent as UTF-8. */
export type FileContent = Uint8Array | ArrayBuffer | string;

/** The bytes of an upload's content; anything else is refused (nothing is sent). */
function contentBytes(content: unknown): Uint8Array {
  if (typeof content === "string") return new TextEncoder().encode(content);
  if (content instanceof Uint8Array) return content;
  if (content instanceof ArrayBuffer) return new Uint8Array(content);
  const got = content === null ? "null" : Array.isArray(content) ? "an array" : typeof content;
  throw localError("INVALID_ARGUMENT", `\`content\` must be a Uint8Array (or Buffer), an ArrayBuffer or a string; got ${got}`, "content");
}


/** The session calls. */
export class Sessions {
  readonly #client: Caller;

  /** The calls of `client`. */
  constructor(client: Caller) {
    this.#client = client;
  }

  #json<T>(operation: string, args: CallArgs, options: CallOptions | undefined): Promise<T> {
    return answerOf<T>(this.#client.call(operation, args, options));
  }

  /** Starts a session: an idle stub without `input`, a working session with it. */
  create(agentId: string, params: CreateParams = {}, options?: CallOptions): Promise<SessionResponse> {
    return this.#json("create_session", () => ({ agent_id: agentId, body: toWire(params, createShape, "body") }), options);
  }

  /** A session with its transcript. */
  retrieve(sessionId: string, options?: CallOptions): Promise<SessionResponse> {
    return this.#json("get_session", { session_id: sessionId }, options);
  }

  /**
   * The agent's sessions: `await` it for the first page, or `for await` over every session of
   * every page.
   */
  list(agentId: string, params: ListSessionsParams = {}, options?: CallOptions): PagedList<SessionList, Session> {
    const fetch = (cursor: string | undefined) =>
      this.#json<SessionList>("list_sessions", () => ({ agent_id: agentId, query: toWire(cursor === undefined ? params : { ...params, cursor }, listSessionsShape, "query") }), options);
    return new PagedList(fetch, (page) => page.sessions);
  }

  /** Every session of the agent, page after page (the same as iterating `list`). */
  listAll(agentId: string, params: ListSessionsParams = {}, options?: CallOptions): AsyncIterable<Session> {
    return this.list(agentId, params, options);
  }

  /** Sends a message: the envelope, or a receipt for `delivery: "queued"`. */
  send(sessionId: string, params: SendParams & { delivery: "queued" }, options?: CallOptions): Promise<MessageReceipt>;
  send(sessionId: string, params: SendParams & { delivery?: "immediate" }, options?: CallOptions): Promise<SessionResponse>;
  send(sessionId: string, params: SendParams, options?: CallOptions): Promise<SessionResponse | MessageReceipt>;
  send(sessionId: string, params: SendParams, options?: CallOptions): Promise<SessionResponse | MessageReceipt> {
    return this.#json("send_message", () => ({ session_id: sessionId, body: toWire(params, sendShape, "body") }), options);
  }

  /** Stops a running or queued session. */
  cancel(sessionId: string, options?: CallOptions): Promise<SessionResponse> {
    return this.#json("cancel_session", { session_id: sessionId }, options);
  }

  /** Renames a session (the official SDK's `update`). */
  update(sessionId: string, params: { name: string }, options?: CallOptions): Promise<SessionResponse> {
    return this.rename(sessionId, params?.name, options);
  }

  /** Renames a session. */
  rename(sessionId: string, name: string, options?: CallOptions): Promise<SessionResponse> {
    return this.#json("rename_session", { session_id: sessionId, name }, options);
  }

  /** Waits until the session settles (completed, failed, approval_required or idle). */
  wait(sessionId: string, params: WaitParams = {}, options?: CallOptions): Promise<SessionResponse> {
    return this.#json("wait_session", () => ({ session_id: sessionId, options: toWire(params, waitShape, "options") }), options);
  }

  /** Creates a session and streams its run: `for await (const event of stream)`. */
  stream(agentId: string, params: CreateParams = {}, options?: CallOptions): EventStream {
    return this.#client.stream("stream_session", () => ({ agent_id: agentId, body: toWire(params, createShape, "body") }), options);
  }

  /** Sends a message, or answers to pending approvals, and streams the run it starts. */
  streamMessage(sessionId: string, params: StreamSendParams, options?: CallOptions): EventStream {
    return this.#client.stream("stream_message", () => ({ session_id: sessionId, body: toWire(params, streamSendShape, "body") }), options);
  }

  /** Replays a session's events after `cursor`, then follows the run live. */
  resumeStream(sessionId: string, cursor: string, options?: CallOptions): EventStream {
    return this.#client.stream("resume_stream", { session_id: sessionId, cursor }, options);
  }

  /**
   * Uploads a file to the session. Attach it to a message with the answer's `file_name`:
   * `attachments: [{ fileName: uploaded.file_name }]`.
   */
  uploadFile(sessionId: string, fileName: string, content: FileContent, params: UploadParams = {}, options?: CallOptions): Promise<UploadedFile> {
    const args = () => ({ session_id: sessionId, file_name: fileName, media_type: toWire(params, uploadShape, "options")["media_type"] ?? null });
    return answerOf<UploadedFile>(this.#client.call("upload_file", args, options, () => contentBytes(content)));
  }

  /** Answers pending approvals over REST; the answer's `stream_cursor` resumes the run's stream. */
  resolveApprovals(sessionId: string, params: ResolveApprovalsParams, options?: CallOptions): Promise<ApprovalResolution> {
    return this.#json("resolve_approvals", () => ({ session_id: sessionId, body: toWire(params, resolveApprovalsShape, "body") }), options);
  }

  /** The session's message queue. */
  listQueue(sessionId: string, options?: CallOptions): Promise<QueueList> {
    return this.#json("list_queue", { session_id: sessionId }, options);
  }

  /** Adds a message to the session's queue. */
  queueMessage(sessionId: string, params: QueueParams, options?: CallOptions): Promise<QueueChange> {
    return this.#json("queue_message", () => ({ session_id: sessionId, body: toWire(params, queueShape, "body") }), options);
  }

  /** Replaces a queued message's text. */
  editQueuedMessage(sessionId: string, queuedMessageId: string, params: QueueParams, options?: CallOptions): Promise<QueueChange> {
    return this.#json("edit_queued_message", () => ({ session_id: sessionId, queued_message_id: queuedMessageId, body: toWire(params, queueShape, "body") }), options);
  }

  /** Removes a queued message; the queue after it. */
  deleteQueuedMessage(sessionId: string, queuedMessageId: string, options?: CallOptions): Promise<QueueList> {
    return this.#json("delete_queued_message", { session_id: sessionId, queued_message_id: queuedMessageId }, options);
  }

  /** Sends a queued message now, interrupting the current run. */
  sendQueuedMessage(sessionId: string, queuedMessageId: string, options?: CallOptions): Promise<SessionResponse> {
    return this.#json("send_queued_message", { session_id: sessionId, queued_message_id: queuedMessageId }, options);
  }

  /** Who may see the session. */
  getAccess(sessionId: string, options?: CallOptions): Promise<SessionAccess> {
    return this.#json("get_session_access", { session_id: sessionId }, options);
  }

  /** Shares, unshares or links the session. */
  updateAccess(sessionId: string, change: AccessChange, options?: CallOptions): Promise<AccessUpdate> {
    return this.#json("update_session_access", () => ({ session_id: sessionId, body: toWire(change, accessShape, "body") }), options);
  }
}
