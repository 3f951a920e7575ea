// The package against the library's own description (gumloop_description_get): every operation
// has a method that starts it with the arguments the library names, every client option has its
// camelCase field, every code and group its error class.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Agents, Artifacts, Client, ERROR_CLASSES, GumloopError, OAuth, Sessions, description, errorClassOf } from "../dist/index.js";
import { clientOptionsShape } from "../dist/options.js";
import { baseUrl } from "./emulator.mjs";

/**
 * Each operation's method, where the package's name is not the operation's: a resource, the
 * method, and the arguments that call it (IDs and the smallest valid parameters).
 * @type {Record<string, [string, string, unknown[]]>}
 */
const METHODS = {
  create_session: ["sessions", "create", ["agent", { input: "x" }]],
  get_session: ["sessions", "retrieve", ["sess"]],
  list_sessions: ["sessions", "list", ["agent", { pageSize: 1 }]],
  send_message: ["sessions", "send", ["sess", { input: "x" }]],
  cancel_session: ["sessions", "cancel", ["sess"]],
  rename_session: ["sessions", "rename", ["sess", "name"]],
  wait_session: ["sessions", "wait", ["sess", { timeoutMs: 1 }]],
  stream_session: ["sessions", "stream", ["agent", { input: "x" }]],
  stream_message: ["sessions", "streamMessage", ["sess", { input: "x" }]],
  resume_stream: ["sessions", "resumeStream", ["sess", "cursor"]],
  upload_file: ["sessions", "uploadFile", ["sess", "a.txt", "text", { mediaType: "text/plain" }]],
  resolve_approvals: ["sessions", "resolveApprovals", ["sess", { approvalResponses: [{ actionRequestId: "a", action: "accept" }] }]],
  list_queue: ["sessions", "listQueue", ["sess"]],
  queue_message: ["sessions", "queueMessage", ["sess", { input: "x" }]],
  edit_queued_message: ["sessions", "editQueuedMessage", ["sess", "qmsg", { input: "x" }]],
  delete_queued_message: ["sessions", "deleteQueuedMessage", ["sess", "qmsg"]],
  send_queued_message: ["sessions", "sendQueuedMessage", ["sess", "qmsg"]],
  get_session_access: ["sessions", "getAccess", ["sess"]],
  update_session_access: ["sessions", "updateAccess", ["sess", { link: { mode: "none" } }]],
  list_agents: ["agents", "list", [{ pageSize: 1 }]],
  get_agent: ["agents", "retrieve", ["agent"]],
  list_artifacts: ["artifacts", "list", ["agent", { sessionId: "sess" }]],
  get_artifact_download: ["artifacts", "download", ["art", { versionId: "v" }]],
  download_artifact_to_file: ["artifacts", "downloadToFile", ["art", "/nonexistent/x", { versionId: "v", maxBytes: 1 }]],
  download_artifact: ["artifacts", "downloadBytes", ["art", { versionId: "v", maxBytes: 1 }]],
  send_request: ["client", "request", ["GET", ["sessions"], { query: { a: "b" }, body: {} }]],
  oauth_register_client: ["oauth", "registerClient", [{ redirectUri: "r", clientName: "n", scopes: ["s"] }]],
  oauth_exchange_code: ["oauth", "exchangeCode", [{ clientId: "c", code: "x", redirectUri: "r", codeVerifier: "v", clientSecret: "s" }]],
  oauth_refresh_token: ["oauth", "refreshToken", [{ clientId: "c", refreshToken: "t", clientSecret: "s" }]],
  oauth_revoke: ["oauth", "revoke", [{ clientId: "c", token: "t" }]],
};

/**
 * A Caller that records what a method starts, without starting anything.
 * @returns {{ caller: any, started: Array<{ operation: string, args: Record<string, unknown>, data: unknown, kind: string }> }}
 */
function recorder() {
  /** @type {Array<{ operation: string, args: Record<string, unknown>, data: unknown, kind: string }>} */
  const started = [];
  /** @param {unknown} value */
  const resolve = (value) => (typeof value === "function" ? value() : value);
  const caller = {
    /** @param {string} operation @param {unknown} args @param {unknown} _options @param {unknown} data */
    call(operation, args, _options, data) {
      started.push({ operation, args: resolve(args), data: resolve(data), kind: "call" });
      return Promise.resolve(JSON.stringify({ next_cursor: null, sessions: [], agents: [], artifacts: [] }));
    },
    /** @param {string} operation @param {unknown} args */
    bytes(operation, args) {
      started.push({ operation, args: resolve(args), data: null, kind: "bytes" });
      return Promise.resolve({ answer: "{}", data: new Uint8Array(0) });
    },
    /** @param {string} operation @param {unknown} args */
    stream(operation, args) {
      started.push({ operation, args: resolve(args), data: null, kind: "stream" });
      return { finished: () => Promise.resolve(null) };
    },
  };
  return { caller, started };
}

/**
 * Runs the method of `operation` on resources over a recorder; what it started.
 * @param {string} operation
 */
async function startedBy(operation) {
  const entry = METHODS[operation];
  assert.ok(entry, `the operation ${operation} has no method in this package (add it, and to METHODS)`);
  const [resource, method, args] = entry;
  const { caller, started } = recorder();
  /** @type {Record<string, any>} */
  const resources = { sessions: new Sessions(caller), agents: new Agents(caller), artifacts: new Artifacts(caller), oauth: new OAuth(caller) };
  if (resource === "client") {
    const client = new Client({ accessToken: "t", baseUrl });
    /** @type {any} */ (client).call = caller.call;
    resources["client"] = client;
  }
  const target = resources[resource];
  assert.equal(typeof target?.[method], "function", `${resource}.${method} (for ${operation}) is not a method`);
  const result = target[method](...args);
  if (typeof result?.then === "function") await result.then(() => undefined, () => undefined);
  return started;
}

test("every operation of the description has a method that starts it with the library's arguments", async () => {
  const operations = description().operations;
  assert.ok(operations.length >= 20, `${operations.length} operations described`);
  for (const operation of operations) {
    const started = await startedBy(operation.name);
    assert.ok(started.length >= 1, `${operation.name}: the method started nothing`);
    const first = /** @type {(typeof started)[number]} */ (started[0]);
    assert.equal(first.operation, operation.name, `${operation.name}: the method started ${first.operation}`);
    assert.equal(first.kind, operation.result === "json" ? "call" : operation.result, `${operation.name}: ${operation.result}`);
    const named = new Map(operation.arguments.map((a) => [a.name, a]));
    for (const key of Object.keys(first.args)) {
      assert.ok(named.has(key), `${operation.name}: the method sends \`${key}\`, which the library does not take (it takes ${[...named.keys()].join(", ")})`);
    }
    for (const argument of operation.arguments) {
      if (argument.type === "bytes") {
        assert.ok(first.data instanceof Uint8Array, `${operation.name}: no bytes given`);
      } else if (argument.required) {
        assert.ok(first.args[argument.name] != null, `${operation.name}: the required \`${argument.name}\` is not sent`);
      } else {
        assert.ok(argument.name in first.args, `${operation.name}: the optional \`${argument.name}\` cannot be given`);
      }
    }
  }
  const described = new Set(operations.map((o) => o.name));
  const extra = Object.keys(METHODS).filter((name) => !described.has(name));
  assert.deepEqual(extra, [], "METHODS names operations the library does not describe");
});

test("every client option of the description has its camelCase field, and no other", () => {
  /** @param {string} name */
  const camel = (name) => name.replace(/_([a-z0-9])/g, (_, l) => l.toUpperCase());
  const options = description().options.map((o) => camel(o.name));
  const fields = Object.keys(clientOptionsShape.fields);
  assert.deepEqual(options.filter((o) => !fields.includes(o)), [], "options without a ClientOptions field");
  assert.deepEqual(fields.filter((f) => !options.includes(f)), [], "ClientOptions fields the library does not take");
});

test("every code and group of the description has its error class, under its group's", () => {
  const { codes, groups } = description();
  for (const group of groups) {
    assert.ok(ERROR_CLASSES[group.error], `the group ${group.name} has no class ${group.error}Error`);
  }
  for (const code of codes) {
    if (code.error === null) continue;
    const Class = ERROR_CLASSES[code.error];
    assert.ok(Class, `${code.name}: no class for the stem ${code.error}`);
    assert.equal(Class.name, `${code.error}Error`);
    assert.equal(errorClassOf(code.code), Class, `${code.name} maps to ${errorClassOf(code.code).name}`);
    const group = groups.find((g) => g.first <= code.code && code.code <= g.last);
    assert.ok(group, `${code.name}: in no group`);
    const Base = /** @type {import("../dist/index.js").ErrorClass} */ (ERROR_CLASSES[group.error]);
    assert.ok(Class === Base || Class.prototype instanceof Base, `${Class.name} is not a ${Base.name}`);
    assert.ok(Class.prototype instanceof GumloopError);
  }
  const stems = new Set(codes.map((c) => c.error).concat(groups.map((g) => g.error)));
  assert.deepEqual(Object.keys(ERROR_CLASSES).filter((s) => !stems.has(s)), [], "classes for stems the library does not name");
});
