// Per-call context: each call's own headers and time limit, and what its requests saw.
import assert from "node:assert/strict";
import { test } from "node:test";
import { APITimeoutError, InvalidArgumentError } from "../dist/index.js";
import { ada, adminCall, arm, requests } from "./emulator.mjs";

const TRACE_A = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const TRACE_B = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

test("two concurrent calls with different traceparent values arrive with their own", async () => {
  const client = await ada({ extraHeaders: { traceparent: "00-ffffffffffffffffffffffffffffffff-ffffffffffffffff-01", "x-team": "blue" } });
  const { session } = await client.sessions.create("agent_pro");
  await adminCall("DELETE", "/requests");
  await Promise.all([
    client.sessions.retrieve(session.id, { extraHeaders: { traceparent: TRACE_A } }),
    client.agents.retrieve("agent_pro", { extraHeaders: { traceparent: TRACE_B } }),
  ]);
  const log = await requests();
  const bySession = log.find((r) => r["path"].endsWith(`/sessions/${session.id}`));
  const byAgent = log.find((r) => r["path"].endsWith("/agents/agent_pro"));
  assert.equal(bySession?.["headers"]["traceparent"], TRACE_A);
  assert.equal(byAgent?.["headers"]["traceparent"], TRACE_B);
  assert.equal(bySession?.["headers"]["x-team"], "blue", "the client's other extra headers stay");
  client.close();
});

test("a per-call time limit applies to that call only", async () => {
  const client = await ada({ maxRetries: 0 });
  await arm({ method: "GET", path: "/api/v1/agents/agent_pro", delay_ms: 3000, times: 1 });
  await assert.rejects(client.agents.retrieve("agent_pro", { timeoutMs: 100 }), APITimeoutError);
  assert.equal((await client.agents.retrieve("agent_pro")).agent.id, "agent_pro");
  client.close();
});

test("onInfo gets the attempts and the server's request ID, for successes and failures", async () => {
  const client = await ada();
  await arm({ method: "GET", path: "/api/v1/agents/agent_pro", status: 503, retry_after: 0, times: 1 });
  /** @type {Array<import("../dist/index.js").CallInfo>} */
  const infos = [];
  await client.agents.retrieve("agent_pro", { onInfo: (info) => infos.push(info) });
  const last = (await requests()).filter((r) => r["path"] === "/api/v1/agents/agent_pro").at(-1);
  assert.equal(infos.length, 1);
  assert.equal(infos[0]?.attempts, 2);
  assert.equal(infos[0]?.request_id, `req_${last?.["seq"]}`);
  await assert.rejects(client.agents.retrieve("agent_none", { onInfo: (info) => infos.push(info) }));
  assert.equal(infos.length, 2);
  assert.equal(infos[1]?.attempts, 1);
  let streamed = 0;
  await client.sessions.stream("agent_pro", { input: "[words:3] hi" }, { onInfo: () => streamed++ }).finished();
  assert.equal(streamed, 1);
  client.close();
});

test("bad call options are refused by name and nothing is sent", async () => {
  const client = await ada();
  await adminCall("DELETE", "/requests");
  const any = /** @type {any} */ (client.agents);
  for (const [options, param] of [
    [{ extraHeaders: { authorization: "Bearer x" } }, "request_options.extra_headers"],
    [{ timeoutMs: -1 }, "request_options.timeout_ms"],
    [{ timeout_ms: 5 }, "timeout_ms"],
    [{ onInfo: 5 }, "onInfo"],
  ]) {
    await assert.rejects(any.retrieve("agent_pro", options), (/** @type {any} */ error) => {
      assert.ok(error instanceof InvalidArgumentError, String(error));
      assert.equal(error.param, param);
      return true;
    });
  }
  assert.equal((await requests()).length, 0);
  client.close();
});
