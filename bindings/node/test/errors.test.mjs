import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  BadRequestError, CancelledError, Client, ConflictError, ConnectError, ConnectionLostError,
  ERROR_CLASSES, ForbiddenError, GumloopError, HttpStatusError, InvalidArgumentError,
  InvalidOptionError, InvalidResponseError, NoCredentialsError, NotFoundError,
  PayloadTooLargeError, RateLimitedError, RedirectError, ResponseTooLargeError, ServerError,
  StreamIncompleteError, TimeoutError, TlsError, UnauthorizedError, UseStreamingCallError,
  codeOf,
} from "../dist/index.js";
import { ada, adminCall, arm, baseUrl, requests } from "./emulator.mjs";

/**
 * Checks the error's class, and that it carries its document.
 * @param {Promise<unknown>} promise
 * @param {import("../dist/index.js").ErrorClass} errorClass
 * @returns {Promise<GumloopError>}
 */
async function rejectsWith(promise, errorClass) {
  const Class = errorClass;
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Class, `want ${Class.name}, got ${error}`);
    assert.ok(error instanceof GumloopError);
    assert.equal(error.kind, `GUMLOOP_ERR_${Object.entries(ERROR_CLASSES).find(([, c]) => c === Class)?.[0]}`);
    assert.doesNotThrow(() => JSON.parse(error.document));
    return error;
  }
  assert.fail(`want ${Class.name}, the call succeeded`);
}

test("every code the library names has its error class", () => {
  const named = [];
  for (let code = 1; code < 1000; code++) {
    const name = /** @type {string} */ (Object.keys(ERROR_CLASSES).find((n) => codeOf(n) === code) ?? "");
    if (name) named.push(name);
  }
  assert.deepEqual(named.sort(), Object.keys(ERROR_CLASSES).sort());
  const header = readFileSync(new URL("../../../include/gumloop.h", import.meta.url), "utf8");
  const inHeader = [...header.matchAll(/#define GUMLOOP_ERR_([A-Z0-9_]+) \d+/g)].map((m) => m[1]);
  assert.deepEqual(inHeader.sort(), Object.keys(ERROR_CLASSES).sort());
});

test("caller errors are refused before anything is sent", async () => {
  const client = await ada();
  await adminCall("DELETE", "/requests");
  const bad = await rejectsWith(client.sessions.create("agent_pro", { name: "   " }), InvalidArgumentError);
  assert.equal(bad.param, "name");
  // A lone surrogate cannot become UTF-8: the library refuses the argument by name.
  const surrogate = await rejectsWith(client.sessions.retrieve("sess_\ud800"), InvalidArgumentError);
  assert.equal(surrogate.param, "session_id");
  await rejectsWith(client.sessions.create("agent_pro", { stream: true }), UseStreamingCallError);
  await rejectsWith(client.sessions.retrieve(""), InvalidArgumentError);
  const aborted = new AbortController();
  aborted.abort();
  await rejectsWith(client.sessions.create("agent_pro", {}, { signal: aborted.signal }), CancelledError);
  assert.equal((await requests()).length, 0);
  client.close();
  await rejectsWith(client.sessions.create("agent_pro"), InvalidArgumentError);
});

test("client options are checked", async () => {
  assert.throws(() => new Client({ accessToken: "t", baseUrl, extra: { acess_token: "typo" } }), (error) => {
    assert.ok(error instanceof InvalidOptionError);
    assert.equal(error.param, "acess_token");
    return true;
  });
  const saved = { ...process.env };
  delete process.env["GUMLOOP_ACCESS_TOKEN"];
  delete process.env["GUMLOOP_API_KEY"];
  try {
    let error;
    try {
      const client = new Client({ baseUrl });
      await client.sessions.create("agent_pro").finally(() => client.close());
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof NoCredentialsError, String(error));
  } finally {
    Object.assign(process.env, saved);
  }
});

test("server errors keep their details", async () => {
  const client = await ada({ maxRetries: 0 });
  const missing = await rejectsWith(client.sessions.retrieve("sess_missing"), NotFoundError);
  assert.equal(missing.status, 404);
  assert.equal(missing.serverCode, "session_not_found");
  assert.equal(missing.type, "not_found_error");
  await rejectsWith(client.sessions.create("agent_private"), ForbiddenError);
  await client.sessions.create("agent_pro", { session_id: "sess_node_conflict" });
  const conflict = await rejectsWith(client.sessions.create("agent_pro", { session_id: "sess_node_conflict" }), ConflictError);
  assert.equal(conflict.serverCode, "session_already_exists");
  assert.equal(conflict.retryable, false);
  client.close();
  const stranger = await ada({ accessToken: "gk_nobody" });
  await rejectsWith(stranger.sessions.create("agent_pro"), UnauthorizedError);
  stranger.close();
});

const faults = [
  [{ status: 400 }, BadRequestError],
  [{ status: 413 }, PayloadTooLargeError],
  [{ status: 429, retry_after: 1 }, RateLimitedError],
  [{ status: 500 }, ServerError],
  [{ status: 418 }, HttpStatusError],
  [{ garbage: true }, InvalidResponseError],
  [{ reset: "before_response" }, ConnectionLostError],
  [{ redirect: "http://127.0.0.2:1/elsewhere" }, RedirectError],
];
for (const [fault, Class] of faults) {
  test(`a fault becomes ${/** @type {Function} */ (Class).name}`, async () => {
    const client = await ada({ maxRetries: 0 });
    await arm({ method: "GET", path: "/api/v1/sessions/*", ...fault });
    const error = await rejectsWith(client.sessions.retrieve("sess_any"), /** @type {import("../dist/index.js").ErrorClass} */ (Class));
    if (Class === RateLimitedError) assert.equal(error.retryAfterMs, 1000);
    client.close();
  });
}

test("limits and transport failures", async () => {
  const small = await ada({ maxResponseBytes: 64 });
  await rejectsWith(small.sessions.create("agent_pro"), ResponseTooLargeError);
  small.close();
  const slow = await ada({ maxRetries: 0, timeoutMs: 200 });
  await arm({ method: "GET", delay_ms: 5000 });
  await rejectsWith(slow.sessions.retrieve("sess_any"), TimeoutError);
  slow.close();
  const nowhere = new Client({ accessToken: "t", baseUrl: "http://127.0.0.1:1/api/v1", maxRetries: 0 });
  await rejectsWith(nowhere.sessions.retrieve("sess_any"), ConnectError);
  nowhere.close();
  const tls = new Client({ accessToken: "t", baseUrl: baseUrl.replace("http://", "https://"), maxRetries: 0 });
  await rejectsWith(tls.sessions.retrieve("sess_any"), TlsError);
  tls.close();
});

test("a stream that cannot resume is incomplete, with its summary", async () => {
  const client = await ada();
  await arm({ listener: "stream", drop_stream_after: 0, times: 100 });
  const error = await rejectsWith(client.sessions.stream("agent_pro", { input: "[words:200] [slow:4000] x" }).finished(), StreamIncompleteError);
  assert.ok(error.stream);
  client.close();
});
