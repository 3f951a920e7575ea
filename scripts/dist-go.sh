#!/usr/bin/env bash
# The Go module (make dist-go), into dist/go/:
#
#   module/                      the module directory, ready to copy or vendor: bindings/go's
#                                sources (no tests: they drive the repository's emulator),
#                                go.mod, gumloop.h, the licenses, and the release build's
#                                static library in lib/linux_amd64/libgumloop.a, which cgo links
#                                by default (link_bundled.go)
#   proxy/MODULE/@v/vVERSION.*   the same module in the layout of a Go module proxy (list, .info,
#                                .mod, .zip), for serving from the module path's host or for
#                                GOPROXY=file://...
set -euo pipefail
source "$(dirname "$0")/dist-common.sh"

go_dir="$root/bindings/go"
module_path="$(awk '$1 == "module" { print $2; exit }' "$go_dir/go.mod")"
out="$DIST_DIR/go"
fresh_dir "$out"
module="$out/module"
mkdir -p "$module/lib/linux_amd64"

(cd "$go_dir" && find . -maxdepth 1 -type f \( -name '*.go' ! -name '*_test.go' -o -name go.mod -o -name go.sum \
    -o -name README.md -o -name gumloop.h \) -exec cp {} "$module/" \;)
cmp -s "$module/gumloop.h" "$root/include/gumloop.h" ||
    { echo "dist-go.sh: bindings/go/gumloop.h differs from include/gumloop.h (run 'make header')" >&2; exit 1; }
cp "$DIST_LIB/libgumloop.a" "$module/lib/linux_amd64/"
# link_bundled.go names the system libraries the static library needs; rustc says which they are.
linked="$(sed -n 's|^#cgo linux LDFLAGS: ||p' "$go_dir/link_bundled.go")"
needed="$(cat "$DIST_LIB/native-static-libs.txt")"
[[ "$linked" == "$needed" ]] ||
    { echo "dist-go.sh: link_bundled.go links '$linked', the static library needs '$needed'" >&2; exit 1; }
copy_licenses "$module"

proxy="$out/proxy/$module_path/@v"
mkdir -p "$proxy"
echo "v$version" >"$proxy/list"
printf '{"Version":"v%s","Time":"%s"}\n' "$version" "$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)" \
    >"$proxy/v$version.info"
cp "$module/go.mod" "$proxy/v$version.mod"
# A module zip: every file under MODULE@VERSION/, no directories, no symbolic links.
python3 - "$module" "$module_path@v$version" "$proxy/v$version.zip" <<'PY'
import os, sys, zipfile
source, prefix, target = sys.argv[1:]
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
    for directory, _, files in sorted(os.walk(source)):
        for name in sorted(files):
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, source)
            info = zipfile.ZipInfo(f"{prefix}/{relative}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as stream:
                archive.writestr(info, stream.read())
PY
echo "dist/go: module $module_path v$version ($(du -sb "$module" | cut -f1) bytes; zip $(stat -c %s "$proxy/v$version.zip") bytes)"
