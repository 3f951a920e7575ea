import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BadRequestError, NotFoundError } from "../dist/index.js";
import { ada, requests } from "./emulator.mjs";

test("a file uploaded to a session is attached to a message the answer mentions", async () => {
  const client = await ada();
  const { session } = await client.sessions.create("agent_pro");
  const stored = await client.sessions.uploadFile(session.id, "notes.txt", "hello notes", { mediaType: "text/plain" });
  assert.equal(stored["file_name"], `sessions/${session.id}/files/notes.txt`);
  assert.equal(stored["size"], 11);
  const upload = (await requests()).find((r) => r["path"].endsWith("/files"));
  assert.ok(upload, "the upload was sent");
  assert.equal(JSON.parse(upload["body"]).file_content, Buffer.from("hello notes").toString("base64"));
  await client.sessions.send(session.id, { input: "read it", attachments: [/** @type {any} */ ({ file_name: stored["file_name"] })] });
  const done = await client.sessions.wait(session.id);
  const answer = /** @type {Record<string, any>} */ (done.session.messages?.at(-1));
  assert.match(String(answer["content"]), /Attached files: notes\.txt \(11 bytes\)/);
  client.close();
});

test("approvals: wait stops at the asks, accepting them streams the continuation", async () => {
  const client = await ada();
  const { session } = await client.sessions.create("agent_pro", { input: "[approval:2] deploy" });
  const paused = await client.sessions.wait(session.id);
  assert.equal(paused.session.state, "approval_required");
  const asks = /** @type {Array<Record<string, any>>} */ (paused.session.pending_approvals);
  assert.equal(asks.length, 2);
  await assert.rejects(client.sessions.resolveApprovals(session.id, { approval_responses: [{ action_request_id: "nope", action: "accept" }] }), BadRequestError);
  const resolved = await client.sessions.resolveApprovals(session.id, {
    approval_responses: asks.map((ask) => ({ action_request_id: ask["action_request_id"], action: "accept" })),
  });
  const results = /** @type {Array<Record<string, any>>} */ (resolved["results"]);
  assert.deepEqual(results.map((r) => r["outcome"]), ["accepted", "accepted"]);
  let text = "";
  const stream = client.sessions.resumeStream(session.id, /** @type {string} */ (resolved["stream_cursor"]));
  for await (const event of stream) if (event.type === "text-delta") text += event.delta;
  assert.match(text, /Continuing after approvals/);
  client.close();
});

test("the queue: add, edit, list, delete and send now", async () => {
  const client = await ada();
  const { session } = await client.sessions.create("agent_pro", { input: "[slow:60000] busy" });
  const first = await client.sessions.queueMessage(session.id, { input: "one" });
  const second = await client.sessions.queueMessage(session.id, { input: "two" });
  const firstId = /** @type {Record<string, any>} */ (first["queued_message"])["id"];
  const secondId = /** @type {Record<string, any>} */ (second["queued_message"])["id"];
  await client.sessions.editQueuedMessage(session.id, firstId, { input: "one, edited" });
  const listed = /** @type {Array<Record<string, any>>} */ ((await client.sessions.listQueue(session.id))["queue"]);
  assert.deepEqual(listed.map((m) => m["input"]), ["one, edited", "two"]);
  const after = /** @type {Array<unknown>} */ ((await client.sessions.deleteQueuedMessage(session.id, secondId))["queue"]);
  assert.equal(after.length, 1);
  await assert.rejects(client.sessions.deleteQueuedMessage(session.id, secondId), NotFoundError);
  const sent = /** @type {Record<string, any>} */ (await client.sessions.sendQueuedMessage(session.id, firstId));
  assert.equal(sent["session"]["id"], session.id);
  assert.equal(/** @type {Array<unknown>} */ ((await client.sessions.listQueue(session.id))["queue"]).length, 0);
  await client.sessions.cancel(session.id);
  client.close();
});

test("access: read and share", async () => {
  const client = await ada();
  const { session } = await client.sessions.create("agent_pro");
  const before = /** @type {Record<string, any>} */ ((await client.sessions.getAccess(session.id))["access"]);
  assert.ok(Array.isArray(before["people"]));
  const changed = await client.sessions.updateAccess(session.id, { share: [{ type: "person", email: "bob@example.com", role: "viewer" }] });
  assert.deepEqual(changed["notified"], ["bob@example.com"]);
  const people = /** @type {Array<Record<string, any>>} */ (/** @type {Record<string, any>} */ (changed["access"])["people"]);
  assert.ok(people.some((p) => p["email"] === "bob@example.com"));
  client.close();
});

test("agents: list every page and retrieve one", async () => {
  const client = await ada();
  const ids = [];
  for await (const agent of client.agents.listAll({ page_size: 2 })) ids.push(agent["id"]);
  assert.ok(ids.includes("agent_pro"));
  assert.equal(new Set(ids).size, ids.length);
  const { agent } = await client.agents.retrieve("agent_pro");
  assert.equal(agent["name"], "Sales research agent");
  await assert.rejects(client.agents.retrieve("agent_none"), NotFoundError);
  client.close();
});

test("artifacts: list, describe, and fetch the bytes without credentials", async () => {
  const client = await ada();
  const { session } = await client.sessions.create("agent_pro", { input: "[artifact:../report.txt:40] make it" });
  await client.sessions.wait(session.id);
  const page = await client.artifacts.list("agent_pro", { session_id: session.id });
  assert.equal(page.artifacts.length, 1);
  const artifact = /** @type {Record<string, any>} */ (page.artifacts[0]);
  assert.equal(artifact["filename"], "../report.txt");
  const described = await client.artifacts.download(artifact["id"]);
  assert.equal(described["size"], 40);
  const expected = `${session.id}/../report.txt\n`.repeat(10).slice(0, 40);
  const bytes = await client.artifacts.downloadBytes(artifact["id"]);
  assert.equal(Buffer.from(bytes).toString("utf8"), expected);
  const dir = await mkdtemp(join(tmpdir(), "node-artifact-"));
  try {
    const target = join(dir, "saved.txt");
    await client.artifacts.downloadToFile(artifact["id"], target);
    assert.equal(await readFile(target, "utf8"), expected);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  client.close();
});

test("a raw request reaches what is not wrapped, with the path encoded by segment", async () => {
  const client = await ada();
  const { session } = await client.sessions.create("agent_pro");
  const got = /** @type {Record<string, any>} */ (await client.request("GET", ["sessions", session.id]));
  assert.equal(got["session"]["id"], session.id);
  await assert.rejects(client.request("GET", ["sessions", "../agents"]), NotFoundError);
  const log = await requests();
  assert.ok(log.some((r) => r["path"] === "/api/v1/sessions/..%2Fagents"), JSON.stringify(log.map((r) => r["path"])));
  client.close();
});
