// Credentials that live: OAuth sign-in as the SDK does it, refresh on 401 with the new pair
// handed to onTokens on the event loop, credentials replaced on a live client, and the library's
// log records on node:diagnostics_channel.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { test } from "node:test";
import {
  AuthenticationError, BadRequestError, Client, InvalidArgumentError, LOG_CHANNEL, UnauthorizedError, buildAuthorizationUrl, setLogLevel,
} from "../dist/index.js";
import { adminCall, arm, baseUrl, requests } from "./emulator.mjs";

const REDIRECT = "http://127.0.0.1:8765/callback";
const CLIENT_ID = "gumloop_cli";

/** The emulator's OAuth counters. @returns {Promise<Record<string, number>>} */
const oauthStats = () => adminCall("GET", "/oauth");

/**
 * Signs in through the whole flow (the emulator approves without a browser); the token answer.
 * @returns {Promise<import("../dist/index.js").TokenResponse>}
 */
async function signIn() {
  await adminCall("POST", "/reset");
  const built = buildAuthorizationUrl({ clientId: CLIENT_ID, redirectUri: REDIRECT, baseUrl });
  const approved = await fetch(`${built.url}&auto_approve=true`, { redirect: "manual" });
  assert.equal(approved.status, 302);
  const back = new URL(/** @type {string} */ (approved.headers.get("location")));
  assert.equal(back.searchParams.get("state"), built.state);
  const signing = new Client({ baseUrl, clientId: CLIENT_ID });
  try {
    return await signing.oauth.exchangeCode({
      clientId: CLIENT_ID, code: /** @type {string} */ (back.searchParams.get("code")), redirectUri: REDIRECT, codeVerifier: built.code_verifier,
    });
  } finally {
    signing.close();
  }
}

test("the authorization URL carries the SDK's parameters, with PKCE S256", () => {
  const built = buildAuthorizationUrl({ clientId: CLIENT_ID, redirectUri: REDIRECT, scopes: ["gumloop", "userinfo"], resource: "https://mcp.example/x", baseUrl });
  const url = new URL(built.url);
  assert.equal(url.pathname, "/oauth/authorize");
  assert.deepEqual([...url.searchParams.keys()], ["response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method", "resource"]);
  assert.equal(url.searchParams.get("response_type"), "code");
  assert.equal(url.searchParams.get("scope"), "gumloop userinfo");
  assert.equal(url.searchParams.get("code_challenge_method"), "S256");
  assert.equal(url.searchParams.get("state"), built.state);
  assert.equal(url.searchParams.get("code_challenge"), createHash("sha256").update(built.code_verifier).digest("base64url"));
  assert.notEqual(buildAuthorizationUrl({ clientId: CLIENT_ID, redirectUri: REDIRECT, baseUrl }).code_verifier, built.code_verifier);
  assert.throws(() => buildAuthorizationUrl(/** @type {any} */ ({ client_id: CLIENT_ID, redirectUri: REDIRECT })), InvalidArgumentError);
});

test("sign in, then ten concurrent calls meeting a 401 cause one refresh, and onTokens gets the new pair once", async () => {
  const tokens = await signIn();
  assert.ok(tokens.access_token && tokens.refresh_token);
  /** @type {Array<import("../dist/index.js").RefreshedTokens>} */
  const seen = [];
  const client = new Client({ baseUrl, accessToken: tokens.access_token, refreshToken: tokens.refresh_token, clientId: CLIENT_ID, onTokens: (pair) => seen.push(pair) });
  await client.agents.retrieve("agent_pro");
  assert.equal(seen.length, 0, "no refresh yet");
  await adminCall("POST", "/oauth/expire", {});
  await adminCall("DELETE", "/requests");
  const answers = await Promise.all(Array.from({ length: 10 }, () => client.agents.retrieve("agent_pro")));
  assert.ok(answers.every((a) => a.agent.id === "agent_pro"));
  assert.equal((await oauthStats())["refreshes"], 1);
  assert.equal((await requests()).filter((r) => r["path"] === "/oauth/token").length, 1);
  assert.equal(seen.length, 1, "onTokens ran once");
  const pair = /** @type {import("../dist/index.js").RefreshedTokens} */ (seen[0]);
  assert.equal(pair.refresh_count, 1);
  assert.ok(pair.tokens.refresh_token);
  assert.notEqual(pair.tokens.refresh_token, tokens.refresh_token, "the refresh token rotated");
  // The old refresh token no longer works.
  await assert.rejects(client.oauth.refreshToken({ clientId: CLIENT_ID, refreshToken: /** @type {string} */ (tokens.refresh_token) }), BadRequestError);
  client.close();
});

test("a revoked refresh token ends in the 401, with the refresh's error attached", async () => {
  const tokens = await signIn();
  const client = new Client({ baseUrl, accessToken: tokens.access_token, refreshToken: tokens.refresh_token, clientId: CLIENT_ID, onTokens: () => assert.fail("no new pair") });
  await client.oauth.revoke({ clientId: CLIENT_ID, token: /** @type {string} */ (tokens.refresh_token) });
  await adminCall("POST", "/oauth/expire", {});
  await assert.rejects(client.agents.retrieve("agent_pro"), (/** @type {any} */ error) => {
    assert.ok(error instanceof UnauthorizedError && error instanceof AuthenticationError, String(error));
    const details = /** @type {Record<string, unknown> | null} */ (error.details);
    assert.ok(details?.["refresh"], JSON.stringify(details));
    return true;
  });
  client.close();
});

test("credentials replaced on a live client apply to the calls after", async () => {
  await adminCall("POST", "/reset");
  const client = new Client({ baseUrl, accessToken: "gk_nobody", userId: "user_ada", maxRetries: 0 });
  await assert.rejects(client.agents.retrieve("agent_pro"), UnauthorizedError);
  const { generation } = client.setCredentials({ accessToken: "gk_personal_ada" });
  assert.equal((await client.agents.retrieve("agent_pro")).agent.id, "agent_pro");
  assert.throws(() => client.setCredentials({ accessToken: "a\r\nx-evil: 1" }), InvalidArgumentError);
  assert.throws(() => client.setCredentials(/** @type {any} */ ({ access_token: "gk_nobody" })), InvalidArgumentError);
  assert.equal(client.setCredentials({ userId: "user_ada" }).generation, generation + 1, "the refused changes changed nothing");
  assert.equal((await client.agents.retrieve("agent_pro")).agent.id, "agent_pro");
  client.close();
});

test("a 503-then-200 call yields two attempt records on the diagnostics channel, without secrets", async () => {
  await adminCall("POST", "/reset");
  /** @type {Array<import("../dist/index.js").LogRecord>} */
  const records = [];
  /** @param {unknown} record */
  const listener = (record) => records.push(/** @type {import("../dist/index.js").LogRecord} */ (record));
  subscribe(LOG_CHANNEL, listener);
  const previous = setLogLevel("debug");
  try {
    const client = new Client({ baseUrl, accessToken: "gk_personal_ada", userId: "user_ada" });
    await arm({ method: "GET", path: "/api/v1/agents/agent_pro", status: 503, retry_after: 0, times: 1 });
    await client.agents.retrieve("agent_pro");
    // A download's signed URL reaches the storage host: its query must not be in any record.
    const { session } = await client.sessions.create("agent_pro", { input: "[artifact:r.txt:10] go" });
    await client.sessions.wait(session.id, { pollIntervalMs: 20 });
    const artifact = (await client.artifacts.list("agent_pro", { sessionId: session.id })).artifacts[0];
    assert.equal((await client.artifacts.downloadBytes(/** @type {string} */ (artifact?.id))).length, 10);
    client.close();
  } finally {
    setLogLevel(previous);
    unsubscribe(LOG_CHANNEL, listener);
  }
  const attempts = records.filter((r) => r.event === "attempt" && r.operation === "get_agent");
  assert.deepEqual(attempts.map((r) => [r.attempt, r.status]), [[1, 503], [2, 200]]);
  const text = JSON.stringify(records);
  for (const secret of ["gk_personal_ada", "user_ada"]) assert.ok(!text.includes(secret), `a record holds ${secret}`);
  assert.ok(records.some((r) => r.operation === "download_artifact"), "the download was logged");
  assert.ok(records.every((r) => !String(r.path ?? "").includes("?") && !r.message.includes("?")), "a record holds a query");
  assert.throws(() => setLogLevel(/** @type {any} */ ("loud")), InvalidArgumentError);
});
