/**
 * JSON at the boundary: arguments become the library's JSON text, answers become values. A
 * value that cannot be written (a cycle, a BigInt) is the caller's InvalidArgumentError; an
 * answer that cannot be read safely (not JSON, or nested deeper than {@link MAX_JSON_DEPTH}) is
 * an InvalidResponseError. Nothing here throws a bare TypeError, RangeError or SyntaxError.
 */
import { localError } from "./errors.js";

/**
 * The deepest nesting of arrays and objects accepted in an answer or an event. Deeper JSON is
 * refused as an invalid response: JavaScript's own recursive code (`JSON.stringify`,
 * `structuredClone`, the caller's tree walks) would otherwise overflow the stack on it later.
 */
export const MAX_JSON_DEPTH = 1000;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Whether JSON `text` nests arrays and objects deeper than `limit` (strings are skipped). */
export function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === BACKSLASH) i++;
      else if (ch === QUOTE) inString = false;
    } else if (ch === QUOTE) {
      inString = true;
    } else if (ch === OPEN_BRACE || ch === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** Reads the JSON text the library handed over (`what` names it in the error). */
export function parseAnswer<T>(text: string, what = "the answer"): T {
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) {
    throw localError("INVALID_RESPONSE", `${what} nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels; it was not read`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw localError("INVALID_RESPONSE", `${what} is not JSON: ${(error as Error).message}`, null, error);
  }
}

/** The library's JSON text of a call's arguments. */
export function argumentsJson(args: unknown): string {
  try {
    return JSON.stringify(args);
  } catch (error) {
    throw localError("INVALID_ARGUMENT", `the arguments cannot be written as JSON: ${(error as Error).message}`, null, error);
  }
}

/** A call's answer, read (see {@link parseAnswer}). */
export function answerOf<T>(text: Promise<string>): Promise<T> {
  return text.then((t) => parseAnswer<T>(t));
}
