// Completes `npm run build` after tsc has compiled src/ to ES modules in dist/: the CommonJS
// entry, which loads the ES module build with require() (Node 20.19 and later load an ES module
// without top-level await synchronously). `import` and `require` so share one instance of the
// package: one loaded library, one class per error, so instanceof holds whichever way it was
// loaded.
//
//   dist/index.cjs     module.exports = require("./index.js")
//   dist/index.d.cts   its types: those of the ES module build
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const header = "// The CommonJS entry of gumloop-ffi: the ES module build, required (scripts/finish-build.mjs).\n";
writeFileSync(join(dist, "index.cjs"), `${header}"use strict";\nmodule.exports = require("./index.js");\n`);
writeFileSync(join(dist, "index.d.cts"), `${header}export * from "./index.js";\n`);
