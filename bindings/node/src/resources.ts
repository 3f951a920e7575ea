/**
 * The agents and artifacts resources, and the session calls beyond the first version: files,
 * approvals, the queue and access. Each method is one operation of the library's table.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallOptions, Client } from "./client.js";

/** A JSON object as the server sent it. */
export type JsonObject = Record<string, unknown>;

function parsed<T = JsonObject>(text: Promise<string>): Promise<T> {
  return text.then((t) => JSON.parse(t) as T);
}

/** An upload's content: bytes, or text (sent as UTF-8). */
export type FileContent = Uint8Array | string;

/** The session calls of the rest of the API, mixed into `client.sessions`. */
export class SessionExtras {
  readonly #client: Client;

  constructor(client: Client) {
    this.#client = client;
  }

  /** Uploads a file to the session; its answer's `file_name` goes into `attachments`. */
  uploadFile(sessionId: string, fileName: string, content: FileContent, params: { mediaType?: string } = {}, options?: CallOptions): Promise<JsonObject> {
    const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
    return parsed(this.#client.call("upload_file", { session_id: sessionId, file_name: fileName, media_type: params.mediaType ?? null }, options, bytes));
  }

  /** Answers pending approvals: `{approval_responses: [{action_request_id, action, ...}]}`. */
  resolveApprovals(sessionId: string, body: { approval_responses: JsonObject[] }, options?: CallOptions): Promise<JsonObject> {
    return parsed(this.#client.call("resolve_approvals", { session_id: sessionId, body }, options));
  }

  /** The session's message queue. */
  listQueue(sessionId: string, options?: CallOptions): Promise<JsonObject> {
    return parsed(this.#client.call("list_queue", { session_id: sessionId }, options));
  }

  /** Adds a message to the session's queue. */
  queueMessage(sessionId: string, body: { input: string }, options?: CallOptions): Promise<JsonObject> {
    return parsed(this.#client.call("queue_message", { session_id: sessionId, body }, options));
  }

  /** Changes a queued message. */
  editQueuedMessage(sessionId: string, queuedMessageId: string, body: { input: string }, options?: CallOptions): Promise<JsonObject> {
    return parsed(this.#client.call("edit_queued_message", { session_id: sessionId, queued_message_id: queuedMessageId, body }, options));
  }

  /** Removes a queued message. */
  deleteQueuedMessage(sessionId: string, queuedMessageId: string, options?: CallOptions): Promise<JsonObject> {
    return parsed(this.#client.call("delete_queued_message", { session_id: sessionId, queued_message_id: queuedMessageId }, options));
  }

  /** Sends a queued message now, interrupting the current run. */
  sendQueuedMessage(sessionId: string, queuedMessageId: string, options?: CallOptions): Promise<JsonObject> {
    return parsed(this.#client.call("send_queued_message", { session_id: sessionId, queued_message_id: queuedMessageId }, options));
  }

  /** Who may see the session. */
  getAccess(sessionId: string, options?: CallOptions): Promise<JsonObject> {
    return parsed(this.#client.call("get_session_access", { session_id: sessionId }, options));
  }

  /** Shares, unshares or links the session: `{share?, remove?, link?}`. */
  updateAccess(sessionId: string, body: JsonObject, options?: CallOptions): Promise<JsonObject> {
    return parsed(this.#client.call("update_session_access", { session_id: sessionId, body }, options));
  }
}

/** Finding and checking agents. */
export class Agents {
  readonly #client: Client;

  constructor(client: Client) {
    this.#client = client;
  }

  /** One page of agents: `{agents, next_cursor}` (query: search, team_id, page_size, cursor, summary). */
  list(query: JsonObject = {}, options?: CallOptions): Promise<{ agents: JsonObject[]; next_cursor: string | null }> {
    return parsed(this.#client.call("list_agents", { query }, options));
  }

  /** Every agent, page after page. */
  async *listAll(query: JsonObject = {}, options?: CallOptions): AsyncGenerator<JsonObject> {
    let page = await this.list(query, options);
    for (;;) {
      yield* page.agents;
      if (!page.next_cursor) return;
      page = await this.list({ ...query, cursor: page.next_cursor }, options);
    }
  }

  /** One agent: `{agent}`. */
  retrieve(agentId: string, options?: CallOptions): Promise<{ agent: JsonObject }> {
    return parsed(this.#client.call("get_agent", { agent_id: agentId }, options));
  }
}

/** Download options. */
export interface DownloadParams {
  versionId?: string;
  /** The most bytes accepted. */
  maxBytes?: number;
}

/** The files agents produced. */
export class Artifacts {
  readonly #client: Client;

  constructor(client: Client) {
    this.#client = client;
  }

  /** One page of an agent's artifacts (query: session_id, search_query, sort_order, page_size, cursor). */
  list(agentId: string, query: JsonObject = {}, options?: CallOptions): Promise<{ artifacts: JsonObject[]; next_cursor: string | null }> {
    return parsed(this.#client.call("list_artifacts", { agent_id: agentId, query }, options));
  }

  /** Every artifact of the agent, page after page. */
  async *listAll(agentId: string, query: JsonObject = {}, options?: CallOptions): AsyncGenerator<JsonObject> {
    let page = await this.list(agentId, query, options);
    for (;;) {
      yield* page.artifacts;
      if (!page.next_cursor) return;
      page = await this.list(agentId, { ...query, cursor: page.next_cursor }, options);
    }
  }

  /** Where to fetch an artifact's bytes: `{download_url, filename, media_type, size}` (the SDK's `download`). */
  download(artifactId: string, params: { versionId?: string } = {}, options?: CallOptions): Promise<JsonObject> {
    return parsed(this.#client.call("get_artifact_download", { artifact_id: artifactId, version_id: params.versionId ?? null }, options));
  }

  /**
   * Fetches the bytes into `path` (written to a temporary name, then renamed; no Gumloop
   * credential goes to another origin). The answer describes the file written.
   */
  downloadToFile(artifactId: string, path: string, params: DownloadParams = {}, options?: CallOptions): Promise<JsonObject> {
    const downloadOptions: JsonObject = {};
    if (params.versionId !== undefined) downloadOptions["version_id"] = params.versionId;
    if (params.maxBytes !== undefined) downloadOptions["max_bytes"] = params.maxBytes;
    return parsed(this.#client.call("download_artifact_to_file", { artifact_id: artifactId, path, options: downloadOptions }, options));
  }

  /** Fetches the bytes into memory (through a private temporary file, removed after). */
  async downloadBytes(artifactId: string, params: DownloadParams = {}, options?: CallOptions): Promise<Uint8Array> {
    const dir = await mkdtemp(join(tmpdir(), "gumloop-artifact-"));
    try {
      const file = join(dir, "artifact");
      await this.downloadToFile(artifactId, file, params, options);
      return new Uint8Array(await readFile(file));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
