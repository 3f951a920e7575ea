/**
 * What calls answer: the server's JSON exactly as it sent it, so its fields keep the API's
 * snake_case names (as openai-node keeps them), and fields these types do not name are kept.
 */
import type { SessionState } from "./params.js";

/** A JSON object as the server sent it. */
export type JsonObject = Record<string, unknown>;

/** One message of a session's transcript. */
export interface Message {
  id?: string;
  role?: "user" | "assistant" | (string & {});
  content?: unknown;
  [key: string]: unknown;
}

/** A question of a human-input ask, answered in `response.values[name]`. */
export interface ApprovalQuestion {
  name: string;
  label?: string;
  type?: string;
  options?: string[];
  required?: boolean;
  [key: string]: unknown;
}

/** An ask waiting for the caller (`session.pending_approvals`). */
export interface PendingApproval {
  /** What an {@link ApprovalResponse} answers (`actionRequestId`). */
  action_request_id: string;
  type?: "tool_approval" | "human_input" | (string & {});
  title?: string;
  reason?: string;
  tool_name?: string | null;
  questions?: ApprovalQuestion[];
  [key: string]: unknown;
}

/** A session (the server's fields; unknown ones are kept). */
export interface Session {
  id: string;
  agent_id: string;
  name?: string | null;
  state?: SessionState | (string & {});
  messages?: Message[];
  pending_approvals?: PendingApproval[];
  metadata?: JsonObject | null;
  [key: string]: unknown;
}

/** The session envelope most calls answer. */
export interface SessionResponse {
  session: Session;
  /** The place in the team's queue of a `queued` session, else null. */
  queue_position: number | null;
  [key: string]: unknown;
}

/** One page of sessions. */
export interface SessionList {
  sessions: Session[];
  next_cursor: string | null;
  [key: string]: unknown;
}

/** What a queued send answers. */
export interface MessageReceipt {
  message_id: string;
  status: string;
  [key: string]: unknown;
}

/** A file stored in a session: pass `file_name` as an attachment's `fileName`. */
export interface UploadedFile {
  file_name: string;
  media_type: string | null;
  size: number;
  [key: string]: unknown;
}

/** The outcome of one approval response. */
export interface ApprovalResult {
  action_request_id: string;
  action: "accept" | "reject";
  /** `accepted`, `rejected`, `already_accepted`, ... */
  outcome: string;
  [key: string]: unknown;
}

/** What resolving approvals answers; `stream_cursor` resumes the continued run's stream. */
export interface ApprovalResolution {
  session: Session;
  results: ApprovalResult[];
  stream_cursor: string | null;
  [key: string]: unknown;
}

/** A message in a session's queue. */
export interface QueuedMessage {
  id: string;
  input: string;
  state?: string;
  position?: number;
  created_at?: string;
  updated_at?: string;
  [key: string]: unknown;
}

/** The session's queue. */
export interface QueueList {
  queue: QueuedMessage[];
  [key: string]: unknown;
}

/** A queue change: the message changed and the whole queue after it. */
export interface QueueChange extends QueueList {
  queued_message: QueuedMessage;
}

/** Who may see a session. */
export interface Access {
  people?: Array<{ email: string; name?: string; role: string; [key: string]: unknown }>;
  teams?: Array<{ team_id: string; role: string; [key: string]: unknown }>;
  organization_access?: { role: string } | null;
  link?: string;
  link_role?: string | null;
  password_protected?: boolean;
  [key: string]: unknown;
}

/** `getAccess`'s answer. */
export interface SessionAccess {
  access: Access;
  [key: string]: unknown;
}

/** `updateAccess`'s answer: the new access and who was newly notified. */
export interface AccessUpdate extends SessionAccess {
  notified: string[];
}

/** An agent. */
export interface Agent {
  id: string;
  name?: string;
  description?: string | null;
  team_id?: string;
  [key: string]: unknown;
}

/** One page of agents. */
export interface AgentList {
  agents: Agent[];
  next_cursor: string | null;
  [key: string]: unknown;
}

/** `agents.retrieve`'s answer. */
export interface AgentResponse {
  agent: Agent;
  [key: string]: unknown;
}

/** A file an agent produced. */
export interface Artifact {
  id: string;
  filename?: string;
  media_type?: string | null;
  size?: number;
  session_id?: string | null;
  [key: string]: unknown;
}

/** One page of artifacts. */
export interface ArtifactList {
  artifacts: Artifact[];
  next_cursor: string | null;
  [key: string]: unknown;
}

/** Where an artifact's bytes are (the URL is signed and short-lived: treat it as a secret). */
export interface ArtifactDownload {
  download_url: string;
  filename?: string;
  media_type?: string | null;
  size?: number;
  [key: string]: unknown;
}

/** What a download fetched (the library's description of it; the URL is left out). */
export interface DownloadedArtifact {
  artifact_id: string;
  filename: string | null;
  media_type: string | null;
  /** The bytes fetched. */
  size: number;
  [key: string]: unknown;
}
