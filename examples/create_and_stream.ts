// create_and_stream: create a session and stream its run, then read it back, with gumloop-ffi.
//
//     npm install ./bindings/node
//     GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... node create_and_stream.js [agent_id] [prompt]
//
// (compiled from TypeScript: `make test-node` type-checks and runs it against the emulator).
// The streamed text goes to standard output; the session's ID and state to standard error.
import { Client, GumloopError } from "gumloop-ffi";

const agentId = process.argv[2] ?? "gumball";
const prompt = process.argv[3] ?? "Write a haiku about the sea";

try {
  await using client = new Client();
  const stream = client.sessions.stream(agentId, { input: prompt, name: "create_and_stream example" });
  for await (const event of stream) {
    if (event.type === "text-delta") process.stdout.write(event.delta ?? "");
  }
  process.stdout.write("\n");
  const sessionId = stream.summary?.session_id;
  if (!sessionId) throw new Error("the stream named no session");
  const { session } = await client.sessions.retrieve(sessionId);
  console.error(`session ${session.id}: ${session.state}, ${session.messages?.length ?? 0} messages, ${stream.summary?.resumes} resumes`);
  if (session.state !== "completed") process.exitCode = 1;
} catch (error) {
  if (!(error instanceof GumloopError)) throw error;
  console.error(`${error.name} [${error.kind}${error.code ? `, ${error.code}` : ""}]: ${error.message}`);
  process.exitCode = 1;
}
