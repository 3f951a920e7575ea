// The package's modules import in one direction: no cycle, type-only imports included.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

const src = new URL("../src/", import.meta.url);

test("the sources have no import cycle", () => {
  /** @type {Map<string, string[]>} */
  const imports = new Map();
  for (const file of readdirSync(src).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(new URL(file, src), "utf8");
    const targets = [...text.matchAll(/(?:import|export)\s[^;]*?from\s+"\.\/([\w-]+)\.js"/g)].map((m) => `${m[1]}.ts`);
    imports.set(file, targets);
  }
  assert.ok((imports.get("client.ts") ?? []).includes("sessions.ts"), "the scan reads the imports");
  /** @type {string[]} */
  const cycles = [];
  /** @type {Set<string>} */
  const done = new Set();
  /** @param {string} file @param {string[]} path */
  const visit = (file, path) => {
    if (path.includes(file)) {
      cycles.push([...path.slice(path.indexOf(file)), file].join(" -> "));
      return;
    }
    if (done.has(file)) return;
    for (const next of imports.get(file) ?? []) visit(next, [...path, file]);
    done.add(file);
  };
  for (const file of imports.keys()) visit(file, []);
  assert.deepEqual(cycles, []);
});
