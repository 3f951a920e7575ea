// Completes `npm run build` after tsc has compiled src/ to CommonJS in dist/cjs:
//
//   dist/cjs/package.json   marks dist/cjs as CommonJS (this package's own "type" is "module")
//   dist/index.js           the ES module entry: it re-exports the CommonJS build, so `import`
//                           and `require` share one instance of the package (one loaded library,
//                           one class per error, so instanceof holds whichever way it was loaded)
//   dist/index.d.ts         its types, the CommonJS build's
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
mkdirSync(join(dist, "cjs"), { recursive: true });
writeFileSync(join(dist, "cjs", "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
const header = "// The ES module entry of gumloop-ffi: the CommonJS build, re-exported (scripts/finish-build.mjs).\n";
writeFileSync(join(dist, "index.js"), `${header}export * from "./cjs/index.js";\n`);
writeFileSync(join(dist, "index.d.ts"), `${header}export * from "./cjs/index.js";\n`);
