// queue: queue messages behind a running session, edit and reorder what waits, and send one
// now, with gumloop-ffi.
//
//     npm install ./bindings/node
//     GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... node queue.js [agent_id] [prompt]
//
// (compiled from TypeScript: `make test-node` type-checks and runs it against the emulator).
import { Client, GumloopError } from "gumloop-ffi";

const agentId = process.argv[2] ?? "gumball";
const prompt = process.argv[3] ?? "Research our three largest competitors";

try {
  await using client = new Client();
  const { session } = await client.sessions.create(agentId, { input: prompt });

  // Deduplicated: the same idempotency key queues the message once, however often it is sent.
  const receipt = await client.sessions.send(session.id, { input: "Then compare their pricing", delivery: "queued", idempotencyKey: `pricing-${session.id}` });
  console.log(`queued ${receipt.message_id} (${receipt.status})`);

  const extra = await client.sessions.queueMessage(session.id, { input: "And their hiring" });
  await client.sessions.editQueuedMessage(session.id, extra.queued_message.id, { input: "And their hiring this year" });
  for (const message of (await client.sessions.listQueue(session.id)).queue) {
    console.log(`waiting #${message.position}: ${message.input} (${message.id})`);
  }

  const first = (await client.sessions.listQueue(session.id)).queue[0];
  if (first === undefined) throw new Error("the queue is empty");
  const left = await client.sessions.deleteQueuedMessage(session.id, first.id);
  console.log(`removed ${first.id}; ${left.queue.length} left`);

  // Sends the last queued message now, interrupting the current run.
  await client.sessions.sendQueuedMessage(session.id, extra.queued_message.id);
  const done = await client.sessions.wait(session.id);
  console.log(`session ${session.id}: ${done.session.state}`);
  if (done.session.state !== "completed") process.exitCode = 1;
} catch (error) {
  if (!(error instanceof GumloopError)) throw error;
  console.error(`${error.name} [${error.kind}${error.code ? `, ${error.code}` : ""}]: ${error.message}`);
  process.exitCode = 1;
}
