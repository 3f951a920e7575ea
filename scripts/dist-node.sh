#!/usr/bin/env bash
# The npm packages (make dist-node), into dist/node/:
#
#   gumloop-ffi-VERSION.tgz                 the package: CommonJS build, ES module entry, .d.ts
#                                           (compiled by its prepack script while npm packs it)
#   gumloop-ffi-linux-x64-gnu-VERSION.tgz   the release library for Linux x64 glibc (os, cpu and
#                                           libc set, so npm installs it only there)
#
# Both are staged in build/dist/node from the checkout's bindings/node. The platform packages
# (bindings/node/platforms/*) get Cargo.toml's version, and the staged gumloop-ffi names each as
# an optional dependency at that version (the checkout's package.json does not, so `npm ci`
# there never looks for them).
set -euo pipefail
source "$(dirname "$0")/dist-common.sh"

node_dir="$root/bindings/node"
stage="$DIST_BUILD/node"
fresh_dir "$stage"
fresh_dir "$DIST_DIR/node"

main="$stage/gumloop-ffi"
mkdir -p "$main"
(cd "$node_dir" && tar -ch --exclude=node_modules --exclude=dist --exclude=platforms --exclude=test .) |
    tar -x -C "$main"
copy_licenses "$main"
ln -s "$node_dir/node_modules" "$main/node_modules" # the pinned compiler, for prepack

platforms=()
for dir in "$node_dir"/platforms/*/; do
    name="$(node -p 'require(process.argv[1]).name' "$dir/package.json")"
    platforms+=("$name")
    pkg="$stage/$name"
    mkdir -p "$pkg/lib"
    cp "$dir/package.json" "$dir/README.md" "$pkg/"
    copy_licenses "$pkg"
done
# The one platform built here.
cp "$DIST_LIB/libgumloop.so" "$stage/gumloop-ffi-linux-x64-gnu/lib/libgumloop.so"

# The version of each platform package, and the main package's optional dependencies on them.
node - "$stage" "$version" "${platforms[@]}" <<'JS'
const fs = require("node:fs");
const path = require("node:path");
const [stage, version, ...platforms] = process.argv.slice(2);
const edit = (file, change) => {
  const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  change(manifest);
  fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
};
for (const name of platforms) edit(path.join(stage, name, "package.json"), (m) => { m.version = version; });
edit(path.join(stage, "gumloop-ffi", "package.json"), (m) => {
  if (m.version !== version) throw new Error(`bindings/node/package.json is ${m.version}, Cargo.toml ${version}`);
  m.optionalDependencies = Object.fromEntries(platforms.map((name) => [name, version]));
});
JS

for pkg in "$main" "${platforms[@]/#/$stage/}"; do
    [[ -f "$pkg/lib/libgumloop.so" || "$pkg" == "$main" ]] || continue
    (cd "$pkg" && npm pack --silent --pack-destination "$DIST_DIR/node" >/dev/null)
done
ls -l "$DIST_DIR/node"
