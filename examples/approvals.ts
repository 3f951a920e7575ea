// approvals: start a run that asks for approval, wait for the asks, answer them, and stream the
// continued run from where it resumed, with gumloop-ffi.
//
//     npm install ./bindings/node
//     GUMLOOP_ACCESS_TOKEN=... GUMLOOP_USER_ID=... node approvals.js [agent_id] [prompt]
//
// (compiled from TypeScript: `make test-node` type-checks and runs it against the emulator,
// whose prompt marker "[approval]" makes the run pause on a tool approval). Tool approvals are
// accepted; a human-input ask is answered with its question's first option.
import { accept, Client, GumloopError, type ApprovalResponse, type PendingApproval } from "gumloop-ffi";

const agentId = process.argv[2] ?? "gumball";
const prompt = process.argv[3] ?? "Search the web for this week's launches and deploy the summary";

/** The answer to one ask: accept it, choosing the first option of each question it has. */
function answer(ask: PendingApproval): ApprovalResponse {
  const questions = ask.questions ?? [];
  if (questions.length === 0) return accept(ask);
  return accept(ask, Object.fromEntries(questions.map((q) => [q.name, q.options?.[0] ?? ""])));
}

try {
  await using client = new Client();
  const { session } = await client.sessions.create(agentId, { input: prompt });
  const paused = await client.sessions.wait(session.id); // returns at approval_required too
  if (paused.session.state !== "approval_required") {
    console.error(`the run did not ask for approval: ${paused.session.state}`);
    process.exit(1);
  }
  const asks = paused.session.pending_approvals ?? [];
  for (const ask of asks) console.log(`approval asked: ${ask.title ?? ask.type} (${ask.action_request_id})`);

  const resolution = await client.sessions.resolveApprovals(session.id, { approvalResponses: asks.map(answer) });
  console.log(`outcome: ${resolution.results.map((r) => r.outcome).join(", ")}`);
  if (resolution.stream_cursor === null) throw new Error("the continued run has no stream cursor");

  await using continued = client.sessions.resumeStream(session.id, resolution.stream_cursor);
  for await (const event of continued) {
    if (event.type === "text-delta") process.stdout.write(event.delta ?? "");
  }
  process.stdout.write("\n");
  console.error(`finished: ${continued.summary?.finish_reason}`);
} catch (error) {
  if (!(error instanceof GumloopError)) throw error;
  console.error(`${error.name} [${error.kind}${error.code ? `, ${error.code}` : ""}]: ${error.message}`);
  process.exitCode = 1;
}
