/**
 * Errors: every failure is a `GumloopError`, of the class its code's error stem names in the
 * library's description (`RateLimit` -> `RateLimitError`), carrying the library's whole error
 * document. Group classes are bases: every status error is an `APIStatusError`, every transport
 * error an `APIConnectionError`, and so on.
 */
import { description } from "./description.js";

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
  attempts?: number | null;
  body?: unknown;
  stream?: unknown;
}

function codeEntry(code: number) {
  return description().codes.find((entry) => entry.code === code);
}

/** The document's `error` object, or null when the text is not one. */
function documentError(document: string): Partial<ErrorDocument> | null {
  try {
    const parsed = JSON.parse(document) as { error?: unknown } | null;
    const error = parsed?.error;
    return typeof error === "object" && error !== null && !Array.isArray(error) ? (error as Partial<ErrorDocument>) : null;
  } catch {
    return null;
  }
}

/** A failed call: the server's and the library's codes and the whole error document. */
export class GumloopError extends Error {
  /** The server's error code, e.g. `session_already_exists` (null when no server answered). */
  readonly code: string | null;
  /** The library's numeric code (`gumloop_code`), e.g. 203. */
  readonly gumloopCode: number;
  /** The library code's name, e.g. `GUMLOOP_ERR_NOT_FOUND`. */
  readonly kind: string;
  /** The HTTP status the server answered, or null when no answer came. */
  readonly status: number | null;
  /** The server's error type, e.g. `invalid_request_error`. */
  readonly type: string | null;
  /** The argument or field at fault (the library's or the server's spelling). */
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

  /** The error of library code `gumloopCode` with its error document's text. */
  constructor(gumloopCode: number, document: string, options?: { cause?: unknown }) {
    const error = documentError(document) ?? {};
    super(typeof error.message === "string" ? error.message : (codeEntry(gumloopCode)?.message ?? document), options);
    this.gumloopCode = gumloopCode;
    this.kind = typeof error.kind === "string" ? error.kind : (codeEntry(gumloopCode)?.name ?? "GUMLOOP_ERR_UNKNOWN");
    this.status = error.status ?? null;
    this.code = error.code ?? null;
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

/** The caller's mistake, found before anything was sent. */
export class InvalidArgumentError extends GumloopError {}
/** No credential anywhere (and, through `instanceof`, a 401: {@link UnauthorizedError}). */
export class AuthenticationError extends InvalidArgumentError {
  /** True for an AuthenticationError and, as the vocabulary says, an UnauthorizedError. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return this === AuthenticationError && value instanceof UnauthorizedError;
  }
}
/** A library call made from a thread where it is not allowed. */
export class WrongThreadError extends InvalidArgumentError {}
/** No answer: the connection could not be made or was lost. */
export class APIConnectionError extends GumloopError {}
/** A time limit was reached. */
export class APITimeoutError extends APIConnectionError {}
/** The call was cancelled (an AbortSignal, a stopped stream). */
export class CancelledError extends APIConnectionError {}
/** The server answered with an error status. */
export class APIStatusError extends GumloopError {}
/** 400. */
export class BadRequestError extends APIStatusError {}
/** 401; also an {@link AuthenticationError} for `instanceof`. */
export class UnauthorizedError extends APIStatusError {}
/** 403. */
export class PermissionDeniedError extends APIStatusError {}
/** 404. */
export class NotFoundError extends APIStatusError {}
/** 409. */
export class ConflictError extends APIStatusError {}
/** 413. */
export class PayloadTooLargeError extends APIStatusError {}
/** 429. */
export class RateLimitError extends APIStatusError {}
/** 5xx. */
export class InternalServerError extends APIStatusError {}
/** The server's answer could not be used (not JSON, too large, too deep, ...). */
export class InvalidResponseError extends GumloopError {}
/** A stream ended before its final event and could not be resumed. */
export class StreamIncompleteError extends InvalidResponseError {}
/** A defect in the library. */
export class InternalError extends GumloopError {}

/** The type of GumloopError and its subclasses. */
export type ErrorClass = typeof GumloopError;

/**
 * Each error stem's class (the description's `error` of a code or a group). The coverage test
 * checks every stem of the description against it, and each code's class against its group's.
 */
export const ERROR_CLASSES: Readonly<Record<string, ErrorClass>> = {
  InvalidArgument: InvalidArgumentError,
  Authentication: AuthenticationError,
  WrongThread: WrongThreadError,
  APIConnection: APIConnectionError,
  APITimeout: APITimeoutError,
  Cancelled: CancelledError,
  APIStatus: APIStatusError,
  BadRequest: BadRequestError,
  Unauthorized: UnauthorizedError,
  PermissionDenied: PermissionDeniedError,
  NotFound: NotFoundError,
  Conflict: ConflictError,
  PayloadTooLarge: PayloadTooLargeError,
  RateLimit: RateLimitError,
  InternalServer: InternalServerError,
  InvalidResponse: InvalidResponseError,
  StreamIncomplete: StreamIncompleteError,
  Internal: InternalError,
};

/** The class of library code `code`: its stem's, else its group's (a newer library), else GumloopError. */
export function errorClassOf(code: number): ErrorClass {
  const stem = codeEntry(code)?.error ?? description().groups.find((g) => g.first <= code && code <= g.last)?.error;
  return (stem && Object.prototype.hasOwnProperty.call(ERROR_CLASSES, stem) ? ERROR_CLASSES[stem] : undefined) ?? GumloopError;
}

/** The error of a failed call, from its code and error document. */
export function errorFor(code: number, document: string | null, cause?: unknown): GumloopError {
  const Class = errorClassOf(code);
  return new Class(code, document ?? "{}", cause === undefined ? undefined : { cause });
}

/** The full name of a code: `NOT_FOUND` -> `GUMLOOP_ERR_NOT_FOUND`. */
function fullName(name: string): string {
  return name.startsWith("GUMLOOP_") ? name : `GUMLOOP_ERR_${name}`;
}

/** The numeric code of a name such as `NOT_FOUND` (`GUMLOOP_ERR_` may be left out); -1 when the library has none. */
export function codeOf(name: string): number {
  const full = fullName(name);
  return description().codes.find((c) => c.name === full)?.code ?? -1;
}

/** An error this package finds itself, with a document in the library's shape. */
export function localError(name: string, message: string, param: string | null = null, cause?: unknown): GumloopError {
  const code = codeOf(name);
  const fields = Object.fromEntries(description().error_fields.map((field) => [field, null])) as Record<string, unknown>;
  const document = { error: { ...fields, kind: fullName(name), gumloop_code: code, message, param, retryable: false } };
  return errorFor(code, JSON.stringify(document), cause);
}
