// upload_and_attach: upload a file to a session, attach it to a message and print the answer,
// with gumloop-ffi.
//
//     npm install ./bindings/node
//     GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... node upload_and_attach.js [agent_id] [file]
//
// (compiled from TypeScript: `make test-node` type-checks and runs it against the emulator).
// Without a file it uploads a small generated report. The agent's answer goes to standard output.
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { Client, GumloopError, type Attachment } from "gumloop-ffi";

const agentId = process.argv[2] ?? "gumball";
const path = process.argv[3];

try {
  await using client = new Client();
  const { session } = await client.sessions.create(agentId, { name: "upload_and_attach example" });
  const stored =
    path === undefined
      ? await client.sessions.uploadFile(session.id, "report.txt", "Q3 revenue: 1.2M\n", { mediaType: "text/plain" })
      : await client.sessions.uploadFile(session.id, basename(path), await readFile(path));
  console.error(`uploaded ${stored.file_name} (${stored.size} bytes)`);

  const attachments: Attachment[] = [{ fileName: stored.file_name, mediaType: stored.media_type }];
  await client.sessions.send(session.id, { input: "Summarise the attached file", attachments });
  const done = await client.sessions.wait(session.id);
  const answer = done.session.messages?.filter((m) => m.role === "assistant").at(-1);
  console.log(typeof answer?.content === "string" ? answer.content : JSON.stringify(answer?.content ?? "(no answer)"));
  if (done.session.state !== "completed") process.exitCode = 1;
} catch (error) {
  if (!(error instanceof GumloopError)) throw error;
  console.error(`${error.name} [${error.kind}${error.code ? `, ${error.code}` : ""}]: ${error.message}`);
  process.exitCode = 1;
}
