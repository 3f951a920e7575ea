// The emulator's admin API, for the tests. The suite runs under scripts/with-emulator.sh, which
// exports GUMLOOP_BASE_URL, GUMLOOP_STREAM_BASE_URL and GUMLOOP_EMULATOR_ADMIN.
import { Client } from "../dist/index.js";

const admin = process.env["GUMLOOP_EMULATOR_ADMIN"];
export const baseUrl = process.env["GUMLOOP_BASE_URL"] ?? "";
export const streamBaseUrl = process.env["GUMLOOP_STREAM_BASE_URL"] ?? "";
if (!admin || !baseUrl || !streamBaseUrl) {
  throw new Error("run the suite under scripts/with-emulator.sh (make test-node does)");
}

/**
 * One admin request; its JSON answer.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
export async function adminCall(method, path, body) {
  const response = await fetch(admin + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`admin ${method} ${path}: HTTP ${response.status}`);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** @param {Record<string, unknown>} fault */
export const arm = (fault) => adminCall("POST", "/faults", fault);
/** @returns {Promise<Array<Record<string, any>>>} */
export const requests = async () => (await adminCall("GET", "/requests")).requests;
/** @returns {Promise<Record<string, any>>} */
export const stats = () => adminCall("GET", "/stats");

/**
 * A client with Ada's personal key; the emulator is reset first.
 * @param {import("../dist/index.js").ClientOptions} [options]
 */
export async function ada(options = {}) {
  await adminCall("POST", "/reset");
  return new Client({ accessToken: "gk_personal_ada", userId: "user_ada", baseUrl, streamBaseUrl, ...options });
}
