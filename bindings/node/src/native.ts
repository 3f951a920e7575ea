/**
 * The loaded libgumloop and its declared C functions (koffi). Nothing else in the package
 * touches koffi, pointers or the library's strings.
 *
 * The library is found, in order: the file named by `GUMLOOP_FFI_LIBRARY` (only that one), the
 * copy bundled in this package (`lib/libgumloop.so`), then the release and debug builds of the
 * repository checkout this package sits in.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import koffi from "koffi";
import type * as Koffi from "koffi";

/** The environment variable that names the library file to load. */
export const LIBRARY_ENV = "GUMLOOP_FFI_LIBRARY";

/** A pointer the library handed out (koffi gives addresses as bigint). */
export type Pointer = bigint;

function libraryFileName(): string {
  if (process.platform === "darwin") return "libgumloop.dylib";
  if (process.platform === "win32") return "gumloop.dll";
  return "libgumloop.so";
}

/** The candidate files, in the order they are tried. */
export function libraryCandidates(): string[] {
  const explicit = process.env[LIBRARY_ENV];
  if (explicit) return [explicit];
  const here = dirname(fileURLToPath(import.meta.url));
  const found = [join(here, "..", "lib", libraryFileName())];
  for (let dir = here; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, "include", "gumloop.h")) && existsSync(join(dir, "Cargo.toml"))) {
      const target = process.env["CARGO_TARGET_DIR"] ? resolve(process.env["CARGO_TARGET_DIR"]) : join(dir, "target");
      found.push(join(target, "release", libraryFileName()), join(target, "debug", libraryFileName()));
      break;
    }
  }
  return found;
}

function loadLibrary(): { lib: Koffi.LibraryHandle; path: string } {
  const tried: string[] = [];
  for (const path of libraryCandidates()) {
    if (!existsSync(path)) {
      tried.push(`${path} (no such file)`);
      continue;
    }
    try {
      return { lib: koffi.load(path), path };
    } catch (error) {
      tried.push(`${path} (${(error as Error).message})`);
    }
  }
  throw new Error(`libgumloop could not be loaded; tried: ${tried.join("; ")}. Set ${LIBRARY_ENV} to its path.`);
}

const { lib, path } = loadLibrary();

/** The file the library was loaded from. */
export const libraryPath: string = path;

/** The C functions this package uses, declared from the header's prototypes. */
export const c = {
  versionGet: lib.func("const char *gumloop_version_get(void)") as () => string,
  descriptionGet: lib.func("const char *gumloop_description_get(void)") as () => string,
  codeGetName: lib.func("const char *gumloop_code_get_name(uint32_t code)") as (code: number) => string,
  codeGetMessage: lib.func("const char *gumloop_code_get_message(uint32_t code)") as (code: number) => string,
  stringFree: lib.func("void gumloop_string_free(void *s)") as (s: Pointer | null) => void,
  clientNew: lib.func(
    "uint32_t gumloop_client_new(const char *options_json, _Out_ void **out_client, _Out_ void **out_json)",
  ) as (options: string, outClient: [Pointer | null], outJson: [Pointer | null]) => number,
  clientFree: lib.func("void gumloop_client_free(void *client)") as (client: Pointer) => void,
  clientSetCredentials: lib.func(
    "uint32_t gumloop_client_set_credentials(void *client, const char *credentials_json, _Out_ void **out_json)",
  ) as (client: Pointer, credentials: string, outJson: [Pointer | null]) => number,
  clientTakeTokens: lib.func("uint32_t gumloop_client_take_tokens(void *client, _Out_ void **out_json)") as (
    client: Pointer,
    outJson: [Pointer | null],
  ) => number,
  clientGetRefreshCount: lib.func("uint64_t gumloop_client_get_refresh_count(void *client)") as (client: Pointer) => number | bigint,
  oauthBuildAuthorizationUrl: lib.func(
    "uint32_t gumloop_oauth_build_authorization_url(const char *params_json, _Out_ void **out_json)",
  ) as (params: string, outJson: [Pointer | null]) => number,
  logSetLevel: lib.func("uint32_t gumloop_log_set_level(const char *level, _Out_ void **out_json)") as (
    level: string,
    outJson: [Pointer | null],
  ) => number,
  logTake: lib.func("uint32_t gumloop_log_take(_Out_ void **out_json)") as (outJson: [Pointer | null]) => number,
  logGetFd: lib.func("int gumloop_log_get_fd(void)") as () => number,
  pollerNew: lib.func(
    "uint32_t gumloop_poller_new(const char *options_json, _Out_ void **out_poller, _Out_ void **out_json)",
  ) as (options: string | null, outPoller: [Pointer | null], outJson: [Pointer | null]) => number,
  pollerFree: lib.func("void gumloop_poller_free(void *poller)") as (poller: Pointer) => void,
  pollerGetFd: lib.func("int gumloop_poller_get_fd(void *poller)") as (poller: Pointer) => number,
  pollerStartCall: lib.func(
    "uint32_t gumloop_poller_start_call(void *poller, void *client, const char *operation, const char *args_json, const uint8_t *data, size_t data_len, _Out_ uint64_t *out_call_id, _Out_ void **out_json)",
  ) as (
    poller: Pointer,
    client: Pointer,
    operation: string,
    args: string,
    data: Uint8Array | null,
    dataLength: number,
    outCallId: [number | bigint],
    outJson: [Pointer | null],
  ) => number,
  pollerTakeBytes: lib.func(
    "uint32_t gumloop_poller_take_bytes(void *poller, uint64_t call_id, _Out_ void **out_data, _Out_ size_t *out_len, _Out_ void **out_json)",
  ) as (poller: Pointer, callId: number | bigint, outData: [Pointer | null], outLen: [number | bigint], outJson: [Pointer | null]) => number,
  pollerTakeCallInfo: lib.func(
    "uint32_t gumloop_poller_take_call_info(void *poller, uint64_t call_id, _Out_ void **out_json)",
  ) as (poller: Pointer, callId: number | bigint, outJson: [Pointer | null]) => number,
  bytesFree: lib.func("void gumloop_bytes_free(void *data, size_t len)") as (data: Pointer, len: number | bigint) => void,
  pollerCancelCall: lib.func(
    "uint32_t gumloop_poller_cancel_call(void *poller, uint64_t call_id, _Out_ void **out_json)",
  ) as (poller: Pointer, callId: number | bigint, outJson: [Pointer | null]) => number,
  pollerTakeItem: lib.func(
    "uint32_t gumloop_poller_take_item(void *poller, _Out_ uint64_t *out_call_id, _Out_ uint32_t *out_kind, _Out_ uint32_t *out_code, _Out_ void **out_json)",
  ) as (
    poller: Pointer,
    outCallId: [number | bigint],
    outKind: [number],
    outCode: [number],
    outJson: [Pointer | null],
  ) => number,
};

const libc = koffi.load(process.platform === "linux" ? "libc.so.6" : null);
/** `dup(2)`: the poller's descriptor is duplicated for Node, which closes its copy itself. */
export const dup = libc.func("int dup(int fd)") as (fd: number) => number;

/** Takes a string the library handed out: copies it and frees the library's copy. */
export function takeString(pointer: Pointer | null): string | null {
  if (pointer === null || pointer === 0n) return null;
  try {
    return koffi.decode(pointer, "char", -1) as string;
  } finally {
    c.stringFree(pointer);
  }
}

/** Takes bytes the library handed out: copies them and frees the library's copy. */
export function takeBytes(pointer: Pointer | null, length: number): Uint8Array {
  if (pointer === null || pointer === 0n || length === 0) return new Uint8Array(0);
  try {
    return new Uint8Array(koffi.view(pointer, length).slice(0));
  } finally {
    c.bytesFree(pointer, length);
  }
}

/** The header's item kinds of `gumloop_poller_take_item`. */
export const ITEM_NONE = 0;
export const ITEM_EVENT = 1;
export const ITEM_DONE = 2;
/** `GUMLOOP_OK`. */
export const OK = 0;
