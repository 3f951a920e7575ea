/**
 * The library's description of itself (`gumloop_description_get`): its operations, client
 * options, codes and code groups. The package derives its error classes' mapping from it, and
 * the coverage test checks the methods and options against it.
 */
import { c } from "./native.js";

/** One argument of an operation. */
export interface ArgumentDescription {
  name: string;
  type: "string" | "object" | "array" | "bytes" | (string & {});
  required: boolean;
}

/** One operation of the library's table. */
export interface OperationDescription {
  /** The poller's name, e.g. `get_session`. */
  name: string;
  /** The blocking C function, or null. */
  function: string | null;
  result: "json" | "bytes" | "stream" | (string & {});
  arguments: ArgumentDescription[];
}

/** One client option. */
export interface OptionDescription {
  name: string;
  type: string;
  default: unknown;
  secret?: boolean;
}

/** One code. */
export interface CodeDescription {
  /** e.g. `GUMLOOP_ERR_RATE_LIMITED`. */
  name: string;
  code: number;
  group: string;
  /** The error stem (`RateLimit` -> `RateLimitError`); null for `GUMLOOP_OK`. */
  error: string | null;
  message: string;
}

/** A range of codes with its base error stem. */
export interface GroupDescription {
  name: string;
  first: number;
  last: number;
  error: string;
}

/** The whole description. */
export interface LibraryDescription {
  version: string;
  operations: OperationDescription[];
  options: OptionDescription[];
  codes: CodeDescription[];
  groups: GroupDescription[];
  /** The fields of every error document. */
  error_fields: string[];
}

let cached: LibraryDescription | null = null;

/** The loaded library's description (read once; the library's string is static). */
export function description(): LibraryDescription {
  cached ??= JSON.parse(c.descriptionGet()) as LibraryDescription;
  return cached;
}
