// What crosses the boundary: bad parameters are refused by name with nothing sent, a hostile
// answer becomes the package's InvalidResponseError, and `await using` closes a client.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { test } from "node:test";
import { CancelledError, Client, GumloopError, InvalidArgumentError, InvalidResponseError, MAX_JSON_DEPTH } from "../dist/index.js";
import { ada, adminCall, requests } from "./emulator.mjs";

/**
 * Checks that `promise` rejects with an InvalidArgumentError naming `param`.
 * @param {Promise<unknown>} promise
 * @param {string | null} param
 * @param {RegExp} [message]
 */
async function refused(promise, param, message) {
  await assert.rejects(promise, (/** @type {unknown} */ error) => {
    assert.ok(error instanceof InvalidArgumentError, String(error));
    assert.equal(error.kind, "GUMLOOP_ERR_INVALID_ARGUMENT");
    assert.equal(error.param, param);
    if (message) assert.match(error.message, message);
    return true;
  });
}

test("bad parameters are refused by name and nothing is sent", async () => {
  const client = await ada();
  const { session } = await client.sessions.create("agent_pro");
  await adminCall("DELETE", "/requests");
  const any = /** @type {any} */ (client.sessions);
  await refused(any.uploadFile(session.id, "a.txt", 5), "content", /got number/);
  await refused(any.uploadFile(session.id, "a.txt", null), "content", /got null/);
  await refused(any.uploadFile(session.id, "a.txt", [1, 2]), "content", /got an array/);
  await refused(any.uploadFile(session.id, "a.txt", "x", { media_type: "text/plain" }), "media_type", /did you mean `mediaType`/);
  await refused(any.send(session.id, { input: "x", attachments: ["notes.txt"] }), "attachments[0]", /an attachment/);
  await refused(any.send(session.id, { input: "x", attachments: [{ file_name: "f" }] }), "file_name", /did you mean `fileName`/);
  await refused(any.send(session.id, { input: "x", attachments: "f" }), "attachments", /array/);
  await refused(any.send(session.id, { input: "x", idempotency_key: "k" }), "idempotency_key", /idempotencyKey/);
  await refused(client.sessions.create("agent_pro", { metadata: { big: 1n } }), null, /BigInt/);
  /** @type {Record<string, unknown>} */
  const cycle = {};
  cycle["self"] = cycle;
  await refused(client.sessions.create("agent_pro", { metadata: cycle }), null, /circular/);
  await refused(any.create("agent_pro", "hello"), "body", /plain object/);
  await refused(any.wait(session.id, { timeout_ms: 5 }), "timeout_ms", /timeoutMs/);
  await refused(any.retrieve(session.id, { signal: "stop" }), "signal", /AbortSignal/);
  await refused(client.sessions.create("agent_pro", { extraBody: { name: "x" }, name: "y" }), "name", /repeats/);
  await refused(any.updateAccess(session.id, { share: [{ type: "team", team_id: "t" }] }), "team_id", /teamId/);
  const list = /** @type {any} */ (client.agents).list({ page_size: 2 });
  await refused(Promise.resolve(list), "page_size", /pageSize/);
  assert.equal((await requests()).length, 0, "nothing reached the server");
  client.close();
});

test("an empty upload is an empty file, and bytes go as they are", async () => {
  const client = await ada();
  const { session } = await client.sessions.create("agent_pro");
  const bytes = new Uint8Array([0, 255, 10, 13]);
  const stored = await client.sessions.uploadFile(session.id, "raw.bin", bytes.buffer);
  assert.equal(stored.size, 4);
  const upload = (await requests()).filter((r) => r["path"].endsWith("/files")).at(-1);
  assert.equal(JSON.parse(upload?.["body"]).file_content, Buffer.from(bytes).toString("base64"));
  client.close();
});

/**
 * A server that answers every request with JSON nested `depth` deep.
 * @param {number} depth
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
async function deepServer(depth) {
  const body = `{"session":${"[".repeat(depth)}${"]".repeat(depth)}}`;
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    response.end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(null)));
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}/api/v1`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test("a 100,000-deep answer is an InvalidResponseError", async () => {
  const server = await deepServer(100_000);
  try {
    const client = new Client({ accessToken: "gk_personal_ada", baseUrl: server.url, streamBaseUrl: server.url, maxRetries: 0 });
    for (const call of [() => client.sessions.retrieve("sess_deep"), () => client.request("GET", ["sessions", "sess_deep"])]) {
      await assert.rejects(call(), (/** @type {unknown} */ error) => {
        assert.ok(error instanceof InvalidResponseError, String(error));
        assert.ok(error instanceof GumloopError);
        assert.equal(error.kind, "GUMLOOP_ERR_INVALID_RESPONSE");
        assert.match(error.message, new RegExp(`deeper than ${MAX_JSON_DEPTH}`));
        return true;
      });
    }
    client.close();
  } finally {
    await server.close();
  }
});

test("an answer as deep as the limit is read", async () => {
  const server = await deepServer(MAX_JSON_DEPTH - 1);
  try {
    const client = new Client({ accessToken: "gk_personal_ada", baseUrl: server.url, maxRetries: 0 });
    const answer = /** @type {any} */ (await client.sessions.retrieve("sess_deep"));
    assert.ok(Array.isArray(answer.session));
    client.close();
  } finally {
    await server.close();
  }
});

test("disposing a client closes it once its calls have ended", async () => {
  const client = await ada();
  const running = client.sessions.create("agent_pro", { input: "hi" });
  let disposed = false;
  const disposing = client[Symbol.asyncDispose]().then(() => (disposed = true));
  assert.ok(client.closed);
  const done = await running;
  assert.equal(done.session.agent_id, "agent_pro");
  await disposing;
  assert.ok(disposed);
  await assert.rejects(client.sessions.retrieve("sess_any"), InvalidArgumentError);
});

test("disposing a stream stops it and closes its connection", async () => {
  const client = await ada();
  const stream = client.sessions.stream("agent_pro", { input: "[words:50] [slow:20000] x" });
  const events = stream[Symbol.asyncIterator]();
  assert.equal((await events.next()).done, false);
  await stream[Symbol.asyncDispose]();
  assert.equal((await events.next()).done, true);
  await assert.rejects(stream.finished(), CancelledError);
  assert.equal(stream.summary, null);
  client.close();
});
