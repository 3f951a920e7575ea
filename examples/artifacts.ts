// artifacts: run a session, then download every file it produced into a directory, with
// gumloop-ffi.
//
//     npm install ./bindings/node
//     GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... node artifacts.js [agent_id] [prompt] [dir]
//
// (compiled from TypeScript: `make test-node` type-checks and runs it against the emulator,
// whose prompt marker "[artifact:NAME:SIZE]" makes the run produce a file). Files are written
// under `dir` (default: the current directory) by their base names; the server's name is never
// used as a path as it is.
import { mkdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { Client, GumloopError } from "gumloop-ffi";

const agentId = process.argv[2] ?? "gumball";
const prompt = process.argv[3] ?? "Write a one-page market report as a PDF";
const dir = process.argv[4] ?? ".";

try {
  await using client = new Client();
  const { session } = await client.sessions.create(agentId, { input: prompt });
  await client.sessions.wait(session.id);
  await mkdir(dir, { recursive: true });
  let count = 0;
  for await (const artifact of client.artifacts.list(agentId, { sessionId: session.id })) {
    const name = basename(artifact.filename ?? artifact.id) || artifact.id;
    const written = await client.artifacts.downloadToFile(artifact.id, join(dir, name));
    console.log(`${join(dir, name)}: ${written.size} bytes (${written.media_type ?? "unknown type"})`);
    count++;
  }
  if (count === 0) {
    console.error(`session ${session.id} produced no artifacts`);
    process.exitCode = 1;
  }
} catch (error) {
  if (!(error instanceof GumloopError)) throw error;
  console.error(`${error.name} [${error.kind}${error.code ? `, ${error.code}` : ""}]: ${error.message}`);
  process.exitCode = 1;
}
