/**
 * The library's log records (attempts, retries, redirects, stream resumes, recoveries,
 * refreshes), published on the `node:diagnostics_channel` channel {@link LOG_CHANNEL}. Off by
 * default: `setLogLevel("info")` turns them on. Records are pulled from the library on the
 * event loop (its threads never run JavaScript): when its descriptor says records wait, and
 * when each call ends, so a call's records are published before its promise settles. A record
 * never holds a credential, a user ID, a header, a body or a URL's query.
 */
import { channel } from "node:diagnostics_channel";
import { Socket } from "node:net";
import { parseAnswer } from "./json.js";
import { c, dup } from "./native.js";
import { outJson } from "./outcall.js";

/** The diagnostics channel the records are published on, one message per record. */
export const LOG_CHANNEL = "gumloop-ffi:log";

/** A level of the library's log. */
export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

/** One record (the library's JSON; fields depend on `event`). */
export interface LogRecord {
  ts_ms: number;
  level: Exclude<LogLevel, "off">;
  event: "attempt" | "retry" | "redirect" | "resume" | "recovered" | "refresh" | (string & {});
  operation: string | null;
  message: string;
  method?: string;
  path?: string;
  status?: number | null;
  error?: string;
  duration_ms?: number;
  attempt?: number;
  [key: string]: unknown;
}

const published = channel(LOG_CHANNEL);
let watcher: Socket | null = null;
let on = false;

/** Publishes every waiting record (nothing when logging is off). */
export function drainLogs(): void {
  if (!on) return;
  const text = outJson((out) => c.logTake(out));
  if (text === null) return;
  const taken = parseAnswer<{ records: LogRecord[]; dropped: number }>(text, "the log records");
  for (const record of taken.records) published.publish(record);
}

/**
 * Sets the level of the library's log records published on {@link LOG_CHANNEL} (process-wide;
 * `"off"` by default); returns the previous level. An unknown level is an InvalidArgumentError.
 */
export function setLogLevel(level: LogLevel): LogLevel {
  const previous = parseAnswer<{ level: LogLevel }>(outJson((out) => c.logSetLevel(level, out)) ?? "{}").level;
  on = level !== "off";
  if (on && watcher === null) {
    const fd = c.logGetFd();
    if (fd >= 0) {
      watcher = new Socket({ fd: dup(fd), readable: true, writable: false });
      // The bytes are only a wake-up: what waits is what log_take gives.
      watcher.on("data", () => drainLogs());
      watcher.unref();
    }
  }
  return previous;
}
