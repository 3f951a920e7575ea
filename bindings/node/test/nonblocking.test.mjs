import assert from "node:assert/strict";
import { test } from "node:test";
import { CancelledError } from "../dist/index.js";
import { ada, stats } from "./emulator.mjs";

test("the event loop keeps running while 100 streams are open", async () => {
  const client = await ada();
  /** @type {string[]} */
  const order = [];
  let ticks = 0;
  const timer = setInterval(() => {
    ticks++;
    order.push("tick");
  }, 1);
  const streams = [];
  for (let i = 0; i < 100; i++) {
    streams.push(
      (async () => {
        let events = 0;
        for await (const event of client.sessions.stream("agent_ent", { input: `[words:20] [slow:1500] ${i}` })) {
          events++;
          order.push("event");
          assert.ok(event.type);
        }
        return events;
      })(),
    );
  }
  const counts = await Promise.all(streams);
  clearInterval(timer);
  // Every stream got its 20 words (and its other events), each once.
  for (const n of counts) assert.equal(n, 25);
  // The timer fired between the first and the last event, many times: nothing blocked the loop.
  const first = order.indexOf("event");
  const last = order.lastIndexOf("event");
  const between = order.slice(first, last).filter((x) => x === "tick").length;
  assert.ok(between >= 10, `${between} timer ticks between the first and the last of 2,500 events`);
  assert.ok(ticks >= between);
  client.close();
});

test("aborting a stream mid-way rejects with CancelledError and closes its connection", async () => {
  const client = await ada();
  const baseline = await openConnections(client);
  const controller = new AbortController();
  let events = 0;
  await assert.rejects(
    (async () => {
      for await (const _event of client.sessions.stream("agent_pro", { input: "[words:100] [slow:20000] x" }, { signal: controller.signal })) {
        if (++events === 3) controller.abort();
      }
    })(),
    CancelledError,
  );
  assert.equal(events, 3);
  await waitForConnections(baseline);
  client.close();
});

test("breaking out of a stream cancels it and closes its connection", async () => {
  const client = await ada();
  const baseline = await openConnections(client);
  let events = 0;
  for await (const _event of client.sessions.stream("agent_pro", { input: "[words:100] [slow:20000] x" })) {
    if (++events === 2) break;
  }
  assert.equal(events, 2);
  await waitForConnections(baseline);
  client.close();
});

test("aborting a call that waits cancels it", async () => {
  const client = await ada();
  const { session } = await client.sessions.create("agent_pro", { input: "[slow:60000] long" });
  const controller = new AbortController();
  const waiting = client.sessions.wait(session.id, {}, { signal: controller.signal });
  setImmediate(() => controller.abort());
  await assert.rejects(waiting, CancelledError);
  client.close();
});

/**
 * The emulator's open connections once the client's pool and the admin connection are warm.
 * @param {import("../dist/index.js").Client} client
 */
async function openConnections(client) {
  await client.sessions.create("agent_pro");
  return (await stats()).connections.open;
}

/**
 * Polls the emulator's stats until at most `n` connections are open (the admin request's own
 * included). A liveness bound only: 30 s.
 * @param {number} n
 */
async function waitForConnections(n) {
  for (let i = 0; i < 300; i++) {
    if ((await stats()).connections.open <= n) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail("the cancelled stream's connection is still open");
}
