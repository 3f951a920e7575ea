// quickstart: create Gumloop agent sessions from Node.js with the gumloop-ffi package.
//
//     npm install ./bindings/node
//     GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... node examples/quickstart.mjs [agent_id]
//
// The client reads its credential, user ID and base URL from the environment
// (GUMLOOP_ACCESS_TOKEN or GUMLOOP_API_KEY, GUMLOOP_USER_ID, GUMLOOP_BASE_URL); without
// GUMLOOP_BASE_URL it talks to the real service.
import { Client, GumloopError, libraryVersion } from "gumloop-ffi";

const agentId = process.argv[2] ?? "gumball";
console.log(`libgumloop ${libraryVersion()}`);
const client = new Client();
try {
  const idle = await client.sessions.create(agentId);
  console.log(`an idle session: ${idle.session.id} (${idle.session.state})`);

  const working = await client.sessions.create(agentId, {
    input: "Say hello in three words",
    metadata: { source: "quickstart.mjs" },
  });
  console.log(`a working session: ${working.session.id} (${working.session.state})`);

  const stream = client.sessions.stream(agentId, { input: "Stream a short greeting" });
  for await (const event of stream) {
    if (event.type === "text-delta") process.stdout.write(event.delta ?? "");
  }
  console.log(`\na streamed session: ${stream.summary?.session_id} (${stream.summary?.finish_reason})`);
} catch (error) {
  if (!(error instanceof GumloopError)) throw error;
  console.error(`failed: ${error.name} [${error.kind}]: ${error.message}`);
  process.exitCode = 1;
} finally {
  client.close();
}
