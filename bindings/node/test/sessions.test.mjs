import assert from "node:assert/strict";
import { test } from "node:test";
import { ConflictError, libraryVersion, version } from "../dist/index.js";
import { ada, arm, requests } from "./emulator.mjs";

test("the loaded library is the package's version", () => {
  assert.equal(libraryVersion(), version);
});

test("create, retrieve, update and cancel", async () => {
  const client = await ada();
  const idle = await client.sessions.create("agent_pro");
  assert.equal(idle.session.state, "idle");
  const working = await client.sessions.create("agent_pro", { input: "[slow:60000] think", name: "node" });
  assert.equal(working.session.state, "processing");
  assert.equal(working.session.name, "node");
  const got = await client.sessions.retrieve(working.session.id);
  assert.equal(got.session.id, working.session.id);
  assert.equal(got.session.messages?.length, 1);
  const renamed = await client.sessions.update(working.session.id, { name: "renamed" });
  assert.equal(renamed.session.name, "renamed");
  const cancelled = await client.sessions.cancel(working.session.id);
  assert.equal(cancelled.session.state, "failed");
  client.close();
});

test("list and listAll page through every session once", async () => {
  const client = await ada();
  const made = new Set();
  for (let i = 0; i < 5; i++) made.add((await client.sessions.create("agent_pro", { name: `n${i}` })).session.id);
  const page = await client.sessions.list("agent_pro", { pageSize: 2 });
  assert.equal(page.sessions.length, 2);
  assert.ok(page.next_cursor);
  const seen = [];
  for await (const session of client.sessions.list("agent_pro", { pageSize: 2 })) seen.push(session.id);
  assert.equal(seen.length, 5);
  assert.deepEqual(new Set(seen), made);
  const again = [];
  for await (const session of client.sessions.listAll("agent_pro", { pageSize: 3 })) again.push(session.id);
  assert.deepEqual(new Set(again), made);
  const pages = [];
  for await (const p of client.sessions.list("agent_pro", { pageSize: 2 }).pages()) pages.push(p.sessions.length);
  assert.deepEqual(pages, [2, 2, 1]);
  const lists = (await requests()).filter((r) => r["method"] === "GET" && r["path"] === "/api/v1/agents/agent_pro/sessions");
  assert.ok(lists.every((r) => /(^|&)page_size=\d/.test(r["query"] ?? "")), JSON.stringify(lists.map((r) => r["query"])));
  client.close();
});

test("send, queue with an idempotency key, and wait", async () => {
  const client = await ada();
  const { session } = await client.sessions.create("agent_pro", { input: "first" });
  await assert.rejects(client.sessions.send(session.id, { input: "too soon" }), ConflictError);
  const receipt = await client.sessions.send(session.id, { input: "later", delivery: "queued", idempotencyKey: "node-1" });
  const again = await client.sessions.send(session.id, { input: "later", delivery: "queued", idempotencyKey: "node-1" });
  const queued = (await requests()).filter((r) => r["method"] === "POST" && r["path"].endsWith("/messages"));
  assert.equal(queued.at(-1)?.["headers"]["idempotency-key"], "node-1");
  assert.ok(receipt.message_id);
  assert.equal(again.message_id, receipt.message_id);
  const done = await client.sessions.wait(session.id, { timeoutMs: 30000, pollIntervalMs: 20 });
  assert.equal(done.session.state, "completed");
  client.close();
});

test("a stream delivers every event once and resumes after a drop", async () => {
  const client = await ada();
  await arm({ listener: "stream", drop_stream_after: 7 });
  const stream = client.sessions.stream("agent_pro", { input: "[words:40] go" });
  const cursors = [];
  let words = 0;
  for await (const event of stream) {
    cursors.push(event.stream_cursor);
    if (event.type === "text-delta") words++;
  }
  assert.equal(words, 40);
  assert.equal(new Set(cursors).size, cursors.length);
  const summary = stream.summary;
  assert.ok(summary);
  assert.ok(summary.resumes >= 1);
  assert.equal(summary.events, cursors.length);
  assert.equal(summary.final, true);
  const resumed = await client.sessions.resumeStream(/** @type {string} */ (summary.session_id), /** @type {string} */ (cursors[2])).finished();
  assert.equal(resumed.finish_reason, "not_resumable");
  client.close();
});

test("streamMessage streams the run a send starts", async () => {
  const client = await ada();
  const { session } = await client.sessions.create("agent_pro");
  let text = "";
  const stream = client.sessions.streamMessage(session.id, { input: "[words:5] hi" });
  for await (const event of stream) if (event.type === "text-delta") text += event.delta;
  assert.equal(text.trim().split(/\s+/).length, 5);
  assert.equal(stream.summary?.session_id, session.id);
  client.close();
});
