// node_client.mjs: one bench workload from Node.js, with the gumloop-ffi package
// (bindings/node, built) or with Node's built-in fetch (undici), `--concurrency` requests in
// flight at once on the one event loop, and one JSON line on stdout: requests/s, latency
// percentiles, CPU per request and peak RSS, as the C bench programs print.
//
//   node benches/node_client.mjs --client ffi|fetch --workload create_idle|retrieve
//        [--concurrency N] [--seconds S] [--warmup S] [--session-id ID]
//
// Reads GUMLOOP_BASE_URL and GUMLOOP_STREAM_BASE_URL (the emulator's).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const TOKEN = "gk_personal_ada";
const USER = "user_ada";
const AGENT = "agent_pro";

const { values: args } = parseArgs({
  options: {
    client: { type: "string", default: "ffi" },
    workload: { type: "string", default: "create_idle" },
    concurrency: { type: "string", default: "1" },
    seconds: { type: "string", default: "3" },
    warmup: { type: "string", default: "0.3" },
    "session-id": { type: "string" },
  },
});
const workload = args.workload;
const sessionId = args["session-id"];
if (!["create_idle", "retrieve"].includes(workload) || (workload === "retrieve" && !sessionId)) {
  console.error("usage: node_client.mjs --client ffi|fetch --workload create_idle|retrieve [--session-id ID]");
  process.exit(2);
}
const base = process.env.GUMLOOP_BASE_URL;

/** One request of the workload, as a Promise of the decoded answer. */
async function makeRequest(client) {
  if (client === "ffi") {
    const here = new URL("../bindings/node/dist/index.js", import.meta.url);
    const { Client } = await import(here.href);
    const gumloop = new Client({
      accessToken: TOKEN,
      userId: USER,
      baseUrl: base,
      streamBaseUrl: process.env.GUMLOOP_STREAM_BASE_URL,
    });
    const call = workload === "retrieve" ? () => gumloop.sessions.retrieve(sessionId) : () => gumloop.sessions.create(AGENT);
    return { label: "gumloop-ffi (Node)", call, close: () => gumloop.close() };
  }
  if (client === "fetch") {
    const url = workload === "retrieve" ? `${base}/sessions/${sessionId}` : `${base}/agents/${AGENT}/sessions`;
    const headers = { Authorization: `Bearer ${TOKEN}`, "x-auth-key": USER, Accept: "application/json" };
    const init =
      workload === "retrieve"
        ? { method: "GET", headers }
        : { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: "{}" };
    const call = async () => {
      const response = await fetch(url, init);
      const answer = await response.json();
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${JSON.stringify(answer)}`);
      return answer;
    };
    return { label: "fetch (Node)", call, close: () => {} };
  }
  console.error("--client ffi|fetch");
  process.exit(2);
}

function peakRssKiB() {
  const line = readFileSync("/proc/self/status", "utf8").split("\n").find((l) => l.startsWith("VmHWM:"));
  return line ? Number(line.split(/\s+/)[1]) : -1;
}

const { label, call, close } = await makeRequest(args.client);
const concurrency = Number(args.concurrency);
const warmupEnd = performance.now() + Number(args.warmup) * 1e3;
const latencies = [];
let errors = 0;
let deadline = 0;

async function worker(measured) {
  for (;;) {
    const before = performance.now();
    if (before >= (measured ? deadline : warmupEnd)) return;
    try {
      await call();
      if (measured) latencies.push(performance.now() - before);
    } catch (error) {
      if (errors++ === 0) console.error(`request failed: ${error}`);
      if (!measured) return;
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, () => worker(false)));
const began = performance.now();
deadline = began + Number(args.seconds) * 1e3;
const cpuBefore = process.cpuUsage();
await Promise.all(Array.from({ length: concurrency }, () => worker(true)));
const seconds = (performance.now() - began) / 1e3;
const cpuUsed = process.cpuUsage(cpuBefore);
const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
close();
latencies.sort((a, b) => a - b);
const at = (p) => (latencies.length ? latencies[Math.floor(p * (latencies.length - 1))] * 1e3 : 0);
console.log(
  JSON.stringify({
    label,
    workload,
    threads: concurrency,
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50_us: at(0.5),
    p99_us: at(0.99),
    cpu_s: cpu,
    cpu_us_per_req: latencies.length ? (cpu * 1e6) / latencies.length : 0,
    max_rss_kb: peakRssKiB(),
  }),
);
process.exitCode = errors > 0 ? 1 : 0;
