/**
 * What each call takes, in this package's camelCase, next to the {@link Shape} that turns it into
 * the API's JSON. `satisfies` makes the compiler check that each shape names exactly the
 * interface's fields, so a field added to one and not the other does not build.
 */
import type { FieldShape, Shape } from "./wire.js";

/** Fields this package does not name yet, sent as given in the API's spelling. */
export interface ExtraBody {
  /** Sent as given (API spelling); a key a named parameter already sets is refused. */
  extraBody?: Record<string, unknown>;
}

/** Fields a shape lists: every field of `T` but `extraBody`. */
type FieldsOf<T> = Record<Exclude<keyof T, keyof ExtraBody>, FieldShape>;

/** A content part of a message, as the API takes it (passed through unchanged). */
export type ContentPart = string | { type: string; text?: string; [key: string]: unknown };

/** A message's content: text, or content parts. */
export type MessageInput = string | ContentPart[];

/** A file uploaded to the session (`uploadFile`'s answer's `file_name`), attached to a message. */
export interface Attachment {
  /** The stored name `uploadFile` answered (`sessions/<id>/files/<name>`). */
  fileName: string;
  /** The file's media type, e.g. `text/plain`. */
  mediaType?: string | null;
}
const attachment: Shape = {
  what: "an attachment",
  fields: { fileName: "value", mediaType: "value" } satisfies FieldsOf<Attachment>,
};

/** One answer to a pending approval (`session.pending_approvals[i].action_request_id`). */
export interface ApprovalResponse {
  actionRequestId: string;
  action: "accept" | "reject";
  /** Why (at most 1000 characters). */
  reason?: string | null;
  /** Answers to a human-input ask's questions: `{values: {questionName: answer}}`. */
  response?: { values: Record<string, unknown> } | null;
}
const approvalResponse: Shape = {
  what: "an approval response",
  fields: {
    actionRequestId: "value",
    action: "value",
    reason: "value",
    response: { what: "an approval's response", fields: { values: "value" } },
  } satisfies FieldsOf<ApprovalResponse>,
};

/** An ask to answer: a pending approval of the session, or its `action_request_id`. */
export type AskRef = string | { action_request_id: string };

function askId(ask: AskRef): string {
  return typeof ask === "string" ? ask : ask?.action_request_id;
}

/** Accepts `ask`, with the answers to a human-input ask's questions (`{questionName: answer}`). */
export function accept(ask: AskRef, values?: Record<string, unknown>): ApprovalResponse {
  const actionRequestId = askId(ask);
  return values === undefined ? { actionRequestId, action: "accept" } : { actionRequestId, action: "accept", response: { values } };
}

/** Rejects `ask`, saying why if `reason` is given. */
export function reject(ask: AskRef, reason?: string): ApprovalResponse {
  const actionRequestId = askId(ask);
  return reason === undefined ? { actionRequestId, action: "reject" } : { actionRequestId, action: "reject", reason };
}

/** Create (and streamed create) parameters. Without `input` the session is an idle stub. */
export interface CreateParams extends ExtraBody {
  /** The first message. */
  input?: MessageInput;
  /** Your own session ID: a repeat after an unknown outcome recovers the session (exactly once). */
  sessionId?: string;
  /** 1 to 256 characters after trimming. */
  name?: string;
  /** Your own data, kept with the session (sent unchanged). */
  metadata?: Record<string, unknown>;
  incognito?: boolean;
}
export const createShape: Shape = {
  what: "the create parameters",
  extra: true,
  fields: { input: "value", sessionId: "value", name: "value", metadata: "value", incognito: "value" } satisfies FieldsOf<CreateParams>,
};

/** Send parameters (a call that does not stream). */
export interface SendParams extends ExtraBody {
  input: MessageInput;
  /** `"queued"` queues the message behind the current run; the answer is then a receipt. */
  delivery?: "immediate" | "queued";
  /** With queued delivery: the same key queues the message once (1 to 256 printable ASCII). */
  idempotencyKey?: string;
  /** Up to 10 files uploaded with `uploadFile` (not with queued delivery). */
  attachments?: Attachment[];
}
export const sendShape: Shape = {
  what: "the send parameters",
  extra: true,
  fields: { input: "value", delivery: "value", idempotencyKey: "value", attachments: { list: attachment } } satisfies FieldsOf<SendParams>,
};

/** Streamed send parameters: a message, or answers to pending approvals (which resume the run). */
export interface StreamSendParams extends ExtraBody {
  input?: MessageInput;
  attachments?: Attachment[];
  approvalResponses?: ApprovalResponse[];
}
export const streamSendShape: Shape = {
  what: "the streamed send parameters",
  extra: true,
  fields: { input: "value", attachments: { list: attachment }, approvalResponses: { list: approvalResponse } } satisfies FieldsOf<StreamSendParams>,
};

/** Upload options. */
export interface UploadParams {
  /** The file's media type, e.g. `text/plain`. */
  mediaType?: string;
}
export const uploadShape: Shape = {
  what: "the upload parameters",
  fields: { mediaType: "value" } satisfies FieldsOf<UploadParams>,
};

/** Answers to pending approvals over REST (1 to 20, each ask at most once). */
export interface ResolveApprovalsParams extends ExtraBody {
  approvalResponses: ApprovalResponse[];
}
export const resolveApprovalsShape: Shape = {
  what: "the approval parameters",
  extra: true,
  fields: { approvalResponses: { list: approvalResponse } } satisfies FieldsOf<ResolveApprovalsParams>,
};

/** A queued message's text. */
export interface QueueParams extends ExtraBody {
  input: string;
}
export const queueShape: Shape = {
  what: "the queue parameters",
  extra: true,
  fields: { input: "value" } satisfies FieldsOf<QueueParams>,
};

/** A role on a session; the server judges the vocabulary (`viewer`, `editor`, `owner`, ...). */
export type AccessRole = "viewer" | "editor" | "owner" | (string & {});

/** Who a share or removal is about. */
export type Grant =
  | { type: "person"; email: string; role?: AccessRole }
  | { type: "team"; teamId: string; role?: AccessRole }
  | { type: "organization"; role?: AccessRole };
/** Every field any kind of grant has. */
interface GrantFields {
  type: unknown;
  email: unknown;
  teamId: unknown;
  role: unknown;
}
const grant: Shape = {
  what: "a grant",
  fields: { type: "value", email: "value", teamId: "value", role: "value" } satisfies FieldsOf<GrantFields>,
};

/** Who may open the session by its link. */
export interface LinkAccess {
  mode: "none" | "anyone" | "password";
  role?: AccessRole;
}

/** An access change: at least one of `share`, `remove` and `link`. */
export interface AccessChange extends ExtraBody {
  share?: Grant[];
  remove?: Grant[];
  link?: LinkAccess;
}
export const accessShape: Shape = {
  what: "the access change",
  extra: true,
  fields: {
    share: { list: grant },
    remove: { list: grant },
    link: { what: "the link access", fields: { mode: "value", role: "value" } satisfies FieldsOf<LinkAccess> },
  } satisfies FieldsOf<AccessChange>,
};

/** Paging of every list. */
export interface PageParams extends ExtraBody {
  /** 1 to 100. */
  pageSize?: number;
  /** The previous page's `next_cursor` (the `listAll` iterators follow it for you). */
  cursor?: string;
}

/** Session list filters. */
export interface ListSessionsParams extends PageParams {
  search?: string;
  sortOrder?: "asc" | "desc" | (string & {});
  type?: string;
  state?: SessionState;
  creatorUserId?: string;
  triggerId?: string;
}
export const listSessionsShape: Shape = {
  what: "the session list parameters",
  extra: true,
  fields: {
    pageSize: "value", cursor: "value", search: "value", sortOrder: "value", type: "value", state: "value", creatorUserId: "value", triggerId: "value",
  } satisfies FieldsOf<ListSessionsParams>,
};

/** Agent list filters. */
export interface ListAgentsParams extends PageParams {
  /** Matches names and descriptions. */
  search?: string;
  teamId?: string;
  /** Shorter agent objects. */
  summary?: boolean;
}
export const listAgentsShape: Shape = {
  what: "the agent list parameters",
  extra: true,
  fields: { pageSize: "value", cursor: "value", search: "value", teamId: "value", summary: "value" } satisfies FieldsOf<ListAgentsParams>,
};

/** Artifact list filters. */
export interface ListArtifactsParams extends PageParams {
  sessionId?: string;
  searchQuery?: string;
  sortOrder?: "asc" | "desc" | (string & {});
}
export const listArtifactsShape: Shape = {
  what: "the artifact list parameters",
  extra: true,
  fields: { pageSize: "value", cursor: "value", sessionId: "value", searchQuery: "value", sortOrder: "value" } satisfies FieldsOf<ListArtifactsParams>,
};

/** How long `wait` polls (milliseconds, each positive). */
export interface WaitParams {
  /** The overall deadline (default 10 minutes); then an APITimeoutError. */
  timeoutMs?: number;
  /** The first pause between two polls (default 250); it grows by half each time. */
  pollIntervalMs?: number;
  /** The longest pause (default 5000). */
  maxPollIntervalMs?: number;
}
export const waitShape: Shape = {
  what: "the wait parameters",
  fields: { timeoutMs: "value", pollIntervalMs: "value", maxPollIntervalMs: "value" } satisfies FieldsOf<WaitParams>,
};

/** Which version of an artifact. */
export interface ArtifactVersionParams {
  /** A version of the artifact other than its latest. */
  versionId?: string;
}
export const artifactVersionShape: Shape = {
  what: "the artifact version parameters",
  fields: { versionId: "value" } satisfies FieldsOf<ArtifactVersionParams>,
};

/** Which bytes to download, and how many at most. */
export interface DownloadParams {
  /** A version of the artifact other than its latest. */
  versionId?: string;
  /** The most bytes accepted; more is refused as ResponseTooLarge (an InvalidResponseError). */
  maxBytes?: number;
}
export const downloadShape: Shape = {
  what: "the download parameters",
  fields: { versionId: "value", maxBytes: "value" } satisfies FieldsOf<DownloadParams>,
};

/** A session's state. */
export type SessionState = "idle" | "queued" | "processing" | "approval_required" | "completed" | "failed";
