/**
 * Errors: every failed call rejects with a `GumloopError` (or the subclass for its kind) that
 * carries the library's whole error document.
 */
import { c } from "./native.js";

/** The error document's `error` object, as the library writes it. */
export interface ErrorDocument {
  kind: string;
  gumloop_code: number;
  message: string;
  status?: number | null;
  code?: string | null;
  type?: string | null;
  param?: string | null;
  details?: unknown;
  retryable?: boolean;
  retry_after_ms?: number | null;
  trace_id?: string | null;
  attempts?: number;
  body?: unknown;
  stream?: unknown;
}

/** A failed call: the library's code and its whole error document. */
export class GumloopError extends Error {
  /** The numeric `gumloop_code`. */
  readonly code: number;
  /** The code's name, e.g. `GUMLOOP_ERR_NOT_FOUND`. */
  readonly kind: string;
  /** The HTTP status the server answered, or null when no answer came. */
  readonly status: number | null;
  /** The server's error code, e.g. `session_already_exists`. */
  readonly serverCode: string | null;
  /** The server's error type, e.g. `invalid_request_error`. */
  readonly type: string | null;
  /** The argument or field at fault. */
  readonly param: string | null;
  /** The server's or the library's details. */
  readonly details: unknown;
  /** Whether repeating this exact call is safe and may succeed. */
  readonly retryable: boolean;
  /** The wait the server asked for, in milliseconds. */
  readonly retryAfterMs: number | null;
  /** The server's trace ID. */
  readonly traceId: string | null;
  /** How many requests the call made. */
  readonly attempts: number | null;
  /** The server's whole body (its text when it was not JSON). */
  readonly body: unknown;
  /** A failed stream's summary. */
  readonly stream: unknown;
  /** The error document as the library wrote it. */
  readonly document: string;

  constructor(code: number, document: string, options?: { cause?: unknown }) {
    let error: Partial<ErrorDocument> = {};
    try {
      const parsed = JSON.parse(document) as { error?: Partial<ErrorDocument> };
      error = parsed.error ?? {};
    } catch {
      error = { message: document };
    }
    super(error.message ?? c.codeGetMessage(code), options);
    this.code = code;
    this.kind = error.kind ?? c.codeGetName(code);
    this.status = error.status ?? null;
    this.serverCode = error.code ?? null;
    this.type = error.type ?? null;
    this.param = error.param ?? null;
    this.details = error.details ?? null;
    this.retryable = error.retryable ?? false;
    this.retryAfterMs = error.retry_after_ms ?? null;
    this.traceId = error.trace_id ?? null;
    this.attempts = error.attempts ?? null;
    this.body = error.body ?? null;
    this.stream = error.stream ?? null;
    this.document = document;
    this.name = new.target.name;
  }
}

/* One subclass per code (the official SDK's Python exceptions have the same names). */
export class NullArgumentError extends GumloopError {}
export class InvalidUtf8Error extends GumloopError {}
export class InvalidJsonError extends GumloopError {}
export class InvalidArgumentError extends GumloopError {}
export class InvalidOptionError extends GumloopError {}
export class NoCredentialsError extends GumloopError {}
export class UseStreamingCallError extends GumloopError {}
export class WrongThreadError extends GumloopError {}
export class ConnectError extends GumloopError {}
export class TimeoutError extends GumloopError {}
export class TlsError extends GumloopError {}
export class ConnectionLostError extends GumloopError {}
export class CancelledError extends GumloopError {}
export class RedirectError extends GumloopError {}
export class BadRequestError extends GumloopError {}
export class UnauthorizedError extends GumloopError {}
export class ForbiddenError extends GumloopError {}
export class NotFoundError extends GumloopError {}
export class ConflictError extends GumloopError {}
export class PayloadTooLargeError extends GumloopError {}
export class RateLimitedError extends GumloopError {}
export class ServerError extends GumloopError {}
export class HttpStatusError extends GumloopError {}
export class InvalidResponseError extends GumloopError {}
export class ResponseTooLargeError extends GumloopError {}
export class StreamIncompleteError extends GumloopError {}
export class InternalError extends GumloopError {}

/** The type of GumloopError and its subclasses. */
export type ErrorClass = typeof GumloopError;

/**
 * The subclass of each code, by the code's name without `GUMLOOP_ERR_`. A test checks it
 * against every name the library knows, so a new code cannot be forgotten here.
 */
export const ERROR_CLASSES: Readonly<Record<string, ErrorClass>> = {
  NULL_ARGUMENT: NullArgumentError,
  INVALID_UTF8: InvalidUtf8Error,
  INVALID_JSON: InvalidJsonError,
  INVALID_ARGUMENT: InvalidArgumentError,
  INVALID_OPTION: InvalidOptionError,
  NO_CREDENTIALS: NoCredentialsError,
  USE_STREAMING_CALL: UseStreamingCallError,
  WRONG_THREAD: WrongThreadError,
  CONNECT: ConnectError,
  TIMEOUT: TimeoutError,
  TLS: TlsError,
  CONNECTION_LOST: ConnectionLostError,
  CANCELLED: CancelledError,
  REDIRECT: RedirectError,
  BAD_REQUEST: BadRequestError,
  UNAUTHORIZED: UnauthorizedError,
  FORBIDDEN: ForbiddenError,
  NOT_FOUND: NotFoundError,
  CONFLICT: ConflictError,
  PAYLOAD_TOO_LARGE: PayloadTooLargeError,
  RATE_LIMITED: RateLimitedError,
  SERVER: ServerError,
  HTTP_STATUS: HttpStatusError,
  INVALID_RESPONSE: InvalidResponseError,
  RESPONSE_TOO_LARGE: ResponseTooLargeError,
  STREAM_INCOMPLETE: StreamIncompleteError,
  INTERNAL: InternalError,
};

/** The error for a failed call: the subclass of its code, or GumloopError for a new code. */
export function errorFor(code: number, document: string | null, cause?: unknown): GumloopError {
  const name = c.codeGetName(code).replace(/^GUMLOOP_ERR_/, "");
  const Class = ERROR_CLASSES[name] ?? GumloopError;
  return new Class(code, document ?? "{}", cause === undefined ? undefined : { cause });
}

/** The numeric code of a name such as `NOT_FOUND`, as the library reports it. */
export function codeOf(name: string): number {
  for (let code = 0; code < 1000; code++) {
    if (c.codeGetName(code) === `GUMLOOP_ERR_${name}`) return code;
  }
  throw new RangeError(`no code is named GUMLOOP_ERR_${name}`);
}

/** An error this package finds itself, with a document in the library's shape. */
export function localError(name: string, message: string, param: string | null = null, cause?: unknown): GumloopError {
  const code = codeOf(name);
  const document = { error: { kind: `GUMLOOP_ERR_${name}`, gumloop_code: code, message, param, retryable: false } };
  return errorFor(code, JSON.stringify(document), cause);
}
