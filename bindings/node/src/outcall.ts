/**
 * The library's synchronous functions that answer through `out_json` (they never block): their
 * answer's text, or their error as the package's error.
 */
import { errorFor } from "./errors.js";
import { OK, Pointer, takeString } from "./native.js";

/** Runs `call` with an `out_json` slot; its text on success (null when the library gave none), else throws its error. */
export function outJson(call: (out: [Pointer | null]) => number): string | null {
  const out: [Pointer | null] = [null];
  const code = call(out);
  const text = takeString(out[0]);
  if (code !== OK) throw errorFor(code, text);
  return text;
}
