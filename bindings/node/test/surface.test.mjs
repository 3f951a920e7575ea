import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BadRequestError, InvalidArgumentError, NotFoundError, accept } from "../dist/index.js";
import { ada, requests } from "./emulator.mjs";

test("a file uploaded to a session is attached to a message the answer mentions", async () => {
  const client = await ada();
  const { session } = await client.sessions.create("agent_pro");
  const stored = await client.sessions.uploadFile(session.id, "notes.txt", "hello notes", { mediaType: "text/plain" });
  assert.equal(stored.file_name, `sessions/${session.id}/files/notes.txt`);
  assert.equal(stored.size, 11);
  const upload = (await requests()).find((r) => r["path"].endsWith("/files"));
  assert.ok(upload, "the upload was sent");
  assert.equal(JSON.parse(upload["body"]).file_content, Buffer.from("hello notes").toString("base64"));
  assert.equal(upload["headers"]["content-type"], "application/json");
  assert.equal(JSON.parse(upload["body"]).media_type, "text/plain");
  await client.sessions.send(session.id, { input: "read it", attachments: [{ fileName: stored.file_name, mediaType: "text/plain" }] });
  const sent = (await requests()).filter((r) => r["method"] === "POST" && r["path"].endsWith("/messages")).at(-1);
  assert.deepEqual(JSON.parse(sent?.["body"]).attachments, [{ file_name: stored.file_name, media_type: "text/plain" }]);
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
  const asks = paused.session.pending_approvals ?? [];
  assert.equal(asks.length, 2);
  await assert.rejects(client.sessions.resolveApprovals(session.id, { approvalResponses: [accept("nope")] }), BadRequestError);
  await assert.rejects(
    client.sessions.resolveApprovals(session.id, /** @type {any} */ ({ approval_responses: [] })),
    (/** @type {any} */ error) => error instanceof InvalidArgumentError && /did you mean `approvalResponses`/.test(error.message),
  );
  const resolved = await client.sessions.resolveApprovals(session.id, {
    approvalResponses: asks.map((ask) => ({ actionRequestId: ask.action_request_id, action: "accept" })),
  });
  assert.deepEqual(resolved.results.map((r) => r.outcome), ["accepted", "accepted"]);
  const body = JSON.parse((await requests()).filter((r) => r["path"].endsWith("/approvals")).at(-1)?.["body"]);
  assert.deepEqual(body, { approval_responses: asks.map((ask) => ({ action_request_id: ask.action_request_id, action: "accept" })) });
  let text = "";
  const stream = client.sessions.resumeStream(session.id, /** @type {string} */ (resolved.stream_cursor));
  for await (const event of stream) if (event.type === "text-delta") text += event.delta;
  assert.match(text, /Continuing after approvals/);
  client.close();
});

test("the queue: add, edit, list, delete and send now", async () => {
  const client = await ada();
  const { session } = await client.sessions.create("agent_pro", { input: "[slow:60000] busy" });
  const first = await client.sessions.queueMessage(session.id, { input: "one" });
  const second = await client.sessions.queueMessage(session.id, { input: "two" });
  const firstId = first.queued_message.id;
  const secondId = second.queued_message.id;
  await client.sessions.editQueuedMessage(session.id, firstId, { input: "one, edited" });
  const listed = (await client.sessions.listQueue(session.id)).queue;
  assert.deepEqual(listed.map((m) => m.input), ["one, edited", "two"]);
  const after = (await client.sessions.deleteQueuedMessage(session.id, secondId)).queue;
  assert.equal(after.length, 1);
  await assert.rejects(client.sessions.deleteQueuedMessage(session.id, secondId), NotFoundError);
  const sent = await client.sessions.sendQueuedMessage(session.id, firstId);
  assert.equal(sent.session.id, session.id);
  assert.equal((await client.sessions.listQueue(session.id)).queue.length, 0);
  await client.sessions.cancel(session.id);
  client.close();
});

test("access: read and share", async () => {
  const client = await ada();
  const { session } = await client.sessions.create("agent_pro");
  const before = (await client.sessions.getAccess(session.id)).access;
  assert.ok(Array.isArray(before.people));
  const changed = await client.sessions.updateAccess(session.id, {
    share: [{ type: "person", email: "bob@example.com", role: "viewer" }, { type: "team", teamId: "team_pro", role: "editor" }],
    link: { mode: "anyone" },
  });
  assert.deepEqual(changed.notified, ["bob@example.com"]);
  assert.ok(changed.access.people?.some((p) => p.email === "bob@example.com"));
  assert.deepEqual(changed.access.teams?.map((t) => [t.team_id, t.role]), [["team_pro", "editor"]]);
  const put = JSON.parse((await requests()).filter((r) => r["method"] === "PUT").at(-1)?.["body"]);
  assert.deepEqual(put.share[1], { type: "team", team_id: "team_pro", role: "editor" });
  client.close();
});

test("agents: list every page and retrieve one", async () => {
  const client = await ada();
  const ids = [];
  for await (const agent of client.agents.list({ pageSize: 2 })) ids.push(agent.id);
  assert.ok(ids.includes("agent_pro"));
  assert.equal(new Set(ids).size, ids.length);
  const { agent } = await client.agents.retrieve("agent_pro");
  assert.equal(agent.name, "Sales research agent");
  await assert.rejects(client.agents.retrieve("agent_none"), NotFoundError);
  client.close();
});

test("artifacts: list, describe, and fetch the bytes without credentials", async () => {
  const client = await ada();
  const { session } = await client.sessions.create("agent_pro", { input: "[artifact:../report.txt:40] make it" });
  await client.sessions.wait(session.id);
  const page = await client.artifacts.list("agent_pro", { sessionId: session.id });
  assert.equal(page.artifacts.length, 1);
  const artifact = /** @type {import("../dist/index.js").Artifact} */ (page.artifacts[0]);
  assert.equal(artifact.filename, "../report.txt");
  const all = [];
  for await (const a of client.artifacts.list("agent_pro", { sessionId: session.id, pageSize: 1 })) all.push(a.id);
  assert.deepEqual(all, [artifact.id]);
  const described = await client.artifacts.download(artifact.id);
  assert.equal(described.size, 40);
  const expected = `${session.id}/../report.txt\n`.repeat(10).slice(0, 40);
  const bytes = await client.artifacts.downloadBytes(artifact.id);
  assert.equal(Buffer.from(bytes).toString("utf8"), expected);
  const dir = await mkdtemp(join(tmpdir(), "node-artifact-"));
  try {
    const target = join(dir, "saved.txt");
    const written = await client.artifacts.downloadToFile(artifact.id, target);
    assert.equal(written.size, 40);
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
