/**
 * Parameters cross to the library here: the package's camelCase parameter objects become the
 * API's snake_case JSON (`pageSize` -> `page_size`, `attachments: [{fileName}]` ->
 * `attachments: [{file_name}]`). Each body's fields are declared once in a {@link Shape}; a field
 * no shape declares is refused with an InvalidArgumentError naming it (nothing is sent), and
 * `extraBody` carries fields this package does not know yet, as given, in the API's spelling.
 * Values that are the caller's own data (`metadata`, `input` parts, an answer's `values`) pass
 * through unchanged.
 */
import { localError } from "./errors.js";

/** How one field travels: as given, as an object of its own shape, or as a list of those. */
export type FieldShape = "value" | Shape | { readonly list: Shape };

/** The fields of one parameter object, by their camelCase names. */
export interface Shape {
  /** What the object is, for error messages (e.g. "an attachment"). */
  readonly what: string;
  readonly fields: Readonly<Record<string, FieldShape>>;
  /**
   * Whether fields unknown to this package may be given as given (API spelling), and under
   * which parameter: `true` is `extraBody` (request bodies and queries).
   */
  readonly extra?: boolean | string;
  /** The library code of a refused field (default `INVALID_ARGUMENT`). */
  readonly code?: string;
}

/** The API's spelling of a parameter name: `pageSize` -> `page_size`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** This package's spelling of an API name: `page_size` -> `pageSize`. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The parameter under which `shape` takes unknown fields, or null. */
function extraKey(shape: Shape): string | null {
  if (shape.extra === true) return "extraBody";
  return typeof shape.extra === "string" ? shape.extra : null;
}

function refuse(shape: Shape, message: string, param: string) {
  return localError(shape.code ?? "INVALID_ARGUMENT", message, param);
}

function unknownField(key: string, shape: Shape) {
  const extra = extraKey(shape);
  const known = Object.keys(shape.fields).concat(extra ? [extra] : []);
  const hint = Object.prototype.hasOwnProperty.call(shape.fields, camelCase(key)) ? `; did you mean \`${camelCase(key)}\`?` : "";
  return refuse(shape, `\`${key}\` is not a field of ${shape.what}${hint} (known: ${known.join(", ")})`, key);
}

function convertField(value: unknown, field: FieldShape, param: string): unknown {
  if (field === "value") return value;
  if ("list" in field) {
    if (!Array.isArray(value)) throw localError("INVALID_ARGUMENT", `\`${param}\` must be an array of ${field.list.what}s`, param);
    return value.map((item: unknown, i) => toWire(item, field.list, `${param}[${i}]`));
  }
  return toWire(value, field, param);
}

/**
 * The API's JSON object for `value`, a parameter object of `shape`; `param` names it in errors
 * (the API's spelling). Undefined fields are left out; `null` is sent as null.
 */
export function toWire(value: unknown, shape: Shape, param: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw refuse(shape, `${param ? `\`${param}\`` : "the argument"} must be ${shape.what}: a plain object`, param);
  const extraName = extraKey(shape);
  const out: Record<string, unknown> = {};
  for (const [key, fieldValue] of Object.entries(value)) {
    if (fieldValue === undefined || key === extraName) continue;
    if (!Object.prototype.hasOwnProperty.call(shape.fields, key)) throw unknownField(key, shape);
    const wire = snakeCase(key);
    out[wire] = convertField(fieldValue, shape.fields[key] as FieldShape, wire);
  }
  const extra = extraName === null ? undefined : value[extraName];
  if (extra !== undefined && extraName !== null) {
    if (!isPlainObject(extra)) throw refuse(shape, `\`${extraName}\` must be a plain object of fields in the library's spelling`, extraName);
    for (const [key, fieldValue] of Object.entries(extra)) {
      if (key in out) throw refuse(shape, `\`${extraName}\` repeats \`${key}\`, which a named parameter already sets`, key);
      out[key] = fieldValue;
    }
  }
  return out;
}
