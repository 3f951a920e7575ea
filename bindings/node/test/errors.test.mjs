import assert from "node:assert/strict";
import { test } from "node:test";
import {
  APIConnectionError, APIStatusError, APITimeoutError, AuthenticationError, BadRequestError, CancelledError, Client,
  ConflictError, ERROR_CLASSES, GumloopError, InternalServerError, InvalidArgumentError, InvalidResponseError,
  NotFoundError, PayloadTooLargeError, PermissionDeniedError, RateLimitError, StreamIncompleteError, UnauthorizedError,
  description, errorClassOf,
} from "../dist/index.js";
import { ada, adminCall, arm, baseUrl, requests } from "./emulator.mjs";

/** `gumloop_code` -> `gumloopCode`. @param {string} name */
const camel = (name) => name.replace(/_([a-z])/g, (_, l) => l.toUpperCase());

/**
 * Checks the error's class and kind, and that its document has every field of the library's
 * error documents, each readable as a camelCase property.
 * @param {Promise<unknown>} promise
 * @param {import("../dist/index.js").ErrorClass} Class
 * @param {string} kind
 * @returns {Promise<GumloopError>}
 */
async function rejectsWith(promise, Class, kind) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Class, `want ${Class.name}, got ${error}`);
    assert.ok(error instanceof GumloopError);
    assert.equal(error.kind, `GUMLOOP_ERR_${kind}`);
    assert.equal(errorClassOf(error.gumloopCode), error.constructor);
    const document = JSON.parse(error.document).error;
    for (const field of description().error_fields) {
      assert.ok(field in document, `the document has no ${field}: ${error.document}`);
      const property = field === "gumloop_code" ? "gumloopCode" : camel(field);
      assert.ok(property in error, `the error has no ${property}`);
    }
    return error;
  }
  assert.fail(`want ${Class.name}, the call succeeded`);
}

test("the server's code is `code`, the library's is `gumloopCode` and `kind`", async () => {
  const client = await ada({ maxRetries: 0 });
  const missing = await rejectsWith(client.sessions.retrieve("sess_missing"), NotFoundError, "NOT_FOUND");
  assert.equal(missing.code, "session_not_found");
  assert.equal(missing.gumloopCode, description().codes.find((c) => c.name === "GUMLOOP_ERR_NOT_FOUND")?.code);
  assert.equal(missing.status, 404);
  assert.equal(missing.type, "not_found_error");
  assert.ok(missing instanceof APIStatusError);
  assert.ok(!(missing instanceof APIConnectionError));
  client.close();
});

test("caller errors are refused before anything is sent", async () => {
  const client = await ada();
  await adminCall("DELETE", "/requests");
  const bad = await rejectsWith(client.sessions.create("agent_pro", { name: "   " }), InvalidArgumentError, "INVALID_ARGUMENT");
  assert.equal(bad.param, "name");
  // A lone surrogate cannot become UTF-8: the library refuses the argument by name.
  const surrogate = await rejectsWith(client.sessions.retrieve("sess_\ud800"), InvalidArgumentError, "INVALID_ARGUMENT");
  assert.equal(surrogate.param, "session_id");
  await rejectsWith(client.sessions.create("agent_pro", { extraBody: { stream: true } }), InvalidArgumentError, "USE_STREAMING_CALL");
  await rejectsWith(client.sessions.retrieve(""), InvalidArgumentError, "INVALID_ARGUMENT");
  const aborted = new AbortController();
  aborted.abort();
  await rejectsWith(client.sessions.create("agent_pro", {}, { signal: aborted.signal }), CancelledError, "CANCELLED");
  assert.equal((await requests()).length, 0);
  client.close();
  await rejectsWith(client.sessions.create("agent_pro"), InvalidArgumentError, "INVALID_ARGUMENT");
});

test("client options are checked", async () => {
  assert.throws(() => new Client({ accessToken: "t", baseUrl, extraOptions: { acess_token: "typo" } }), (error) => {
    assert.ok(error instanceof InvalidArgumentError);
    assert.equal(error.kind, "GUMLOOP_ERR_INVALID_OPTION");
    assert.equal(error.param, "acess_token");
    return true;
  });
  assert.throws(() => new Client(/** @type {any} */ ({ accessToken: "t", base_url: baseUrl })), (error) => {
    assert.ok(error instanceof InvalidArgumentError);
    assert.equal(error.kind, "GUMLOOP_ERR_INVALID_OPTION");
    assert.equal(error.param, "base_url");
    assert.match(error.message, /did you mean `baseUrl`/);
    return true;
  });
  const saved = { ...process.env };
  delete process.env["GUMLOOP_ACCESS_TOKEN"];
  delete process.env["GUMLOOP_API_KEY"];
  try {
    const construct = async () => new Client({ baseUrl });
    const error = await rejectsWith(construct(), AuthenticationError, "NO_CREDENTIALS");
    assert.ok(error instanceof InvalidArgumentError);
    assert.ok(!(error instanceof UnauthorizedError));
  } finally {
    Object.assign(process.env, saved);
  }
});

test("server errors keep their details", async () => {
  const client = await ada({ maxRetries: 0 });
  await rejectsWith(client.sessions.create("agent_private"), PermissionDeniedError, "FORBIDDEN");
  await client.sessions.create("agent_pro", { sessionId: "sess_node_conflict" });
  const conflict = await rejectsWith(client.sessions.create("agent_pro", { sessionId: "sess_node_conflict" }), ConflictError, "CONFLICT");
  assert.equal(conflict.code, "session_already_exists");
  assert.equal(conflict.retryable, false);
  client.close();
  const stranger = await ada({ accessToken: "gk_nobody" });
  const unauthorized = await rejectsWith(stranger.sessions.create("agent_pro"), UnauthorizedError, "UNAUTHORIZED");
  assert.ok(unauthorized instanceof AuthenticationError, "a 401 is an AuthenticationError too");
  assert.ok(unauthorized instanceof APIStatusError);
  stranger.close();
});

/** @type {Array<[Record<string, unknown>, import("../dist/index.js").ErrorClass, string]>} */
const faults = [
  [{ status: 400 }, BadRequestError, "BAD_REQUEST"],
  [{ status: 413 }, PayloadTooLargeError, "PAYLOAD_TOO_LARGE"],
  [{ status: 429, retry_after: 1 }, RateLimitError, "RATE_LIMITED"],
  [{ status: 500 }, InternalServerError, "SERVER"],
  [{ status: 418 }, APIStatusError, "HTTP_STATUS"],
  [{ garbage: true }, InvalidResponseError, "INVALID_RESPONSE"],
  [{ reset: "before_response" }, APIConnectionError, "CONNECTION_LOST"],
  [{ redirect: "http://127.0.0.2:1/elsewhere" }, APIConnectionError, "REDIRECT"],
];
for (const [fault, Class, kind] of faults) {
  test(`a fault becomes ${Class.name} (${kind})`, async () => {
    const client = await ada({ maxRetries: 0 });
    await arm({ method: "GET", path: "/api/v1/sessions/*", ...fault });
    const error = await rejectsWith(client.sessions.retrieve("sess_any"), Class, kind);
    if (Class === RateLimitError) assert.equal(error.retryAfterMs, 1000);
    client.close();
  });
}

test("limits and transport failures", async () => {
  const small = await ada({ maxResponseBytes: 64 });
  await rejectsWith(small.sessions.create("agent_pro"), InvalidResponseError, "RESPONSE_TOO_LARGE");
  small.close();
  const slow = await ada({ maxRetries: 0, timeoutMs: 200 });
  await arm({ method: "GET", delay_ms: 5000 });
  const timeout = await rejectsWith(slow.sessions.retrieve("sess_any"), APITimeoutError, "TIMEOUT");
  assert.ok(timeout instanceof APIConnectionError);
  slow.close();
  const nowhere = new Client({ accessToken: "t", baseUrl: "http://127.0.0.1:1/api/v1", maxRetries: 0 });
  await rejectsWith(nowhere.sessions.retrieve("sess_any"), APIConnectionError, "CONNECT");
  nowhere.close();
  const tls = new Client({ accessToken: "t", baseUrl: baseUrl.replace("http://", "https://"), maxRetries: 0 });
  await rejectsWith(tls.sessions.retrieve("sess_any"), APIConnectionError, "TLS");
  tls.close();
});

test("a stream that cannot resume is incomplete, with its summary", async () => {
  const client = await ada();
  await arm({ listener: "stream", drop_stream_after: 0, times: 100 });
  const error = await rejectsWith(client.sessions.stream("agent_pro", { input: "[words:200] [slow:4000] x" }).finished(), StreamIncompleteError, "STREAM_INCOMPLETE");
  assert.ok(error instanceof InvalidResponseError);
  assert.ok(error.stream);
  client.close();
});

test("every stem the table exports is a class of this package", () => {
  for (const Class of Object.values(ERROR_CLASSES)) assert.ok(Class.prototype instanceof GumloopError);
});
