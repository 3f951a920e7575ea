#!/usr/bin/env bash
# Installs each release artifact of dist/ as its users would, away from the checkout, and runs
# its quickstart against the emulator (`make test-dist`, part of `make test`):
#
#   scripts/with-emulator.sh scripts/test-dist.sh [c] [python] [node] [go] [sdist]
#
# Every install and every quickstart runs in a clean environment (env -i) whose PATH holds only
# the system's directories and the language's own tool: no cargo or rustc is on it (checked),
# and the work directory is a fresh temporary one outside the checkout, so nothing can fall back
# on the repository's build. Prints, per language, the seconds from the artifact to the first
# call's output (unpack or install, build, run): a measurement, never asserted.
#
# Needs: DIST_DIR (what `make dist` made), DIST_TOOLS_VENV's auditwheel, GO (the Go toolchain),
# cc, c++, cmake, pkg-config, node and npm, and the emulator's variables (with-emulator.sh).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
: "${DIST_DIR:?}" "${GUMLOOP_BASE_URL:?run under scripts/with-emulator.sh}" "${GLIBC_FLOOR:?}"
version="$("$root/scripts/version.sh")"
languages=("$@")
((${#languages[@]})) || languages=(c python node go)

work="$(mktemp -d "${TMPDIR:-/tmp}/gumloop-test-dist.XXXXXX")"
# The module cache's files are read-only: make them writable to remove them.
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
case "$work/" in "$root"/*) echo "test-dist.sh: the work directory $work is inside the checkout" >&2; exit 1 ;; esac
mkdir -p "$work/home"

system_path="/usr/local/bin:/usr/bin:/bin"
failures=0
timings=()
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
step() { echo "== test-dist: $*"; }

# Runs a command in a clean environment: PATH is EXTRA_PATH (if set) then the system's; only
# the emulator's address and the quickstart's credentials pass.
clean() {
    env -i HOME="$work/home" PATH="${EXTRA_PATH:+$EXTRA_PATH:}$system_path" LANG=C.UTF-8 \
        TMPDIR="$work" npm_config_update_notifier=false GUMLOOP_BASE_URL="$GUMLOOP_BASE_URL" GUMLOOP_STREAM_BASE_URL="$GUMLOOP_STREAM_BASE_URL" \
        GUMLOOP_ACCESS_TOKEN=gk_personal_ada GUMLOOP_USER_ID=user_ada ${CLEAN_ENV:-} "$@"
}

# The quickstart's output must show a session the emulator created: OUTPUT_FILE LABEL
created_session() {
    grep -q 'sess_\|"agent_id":"agent_pro"' "$1" || { fail "$2 printed no session:"; cat "$1" >&2; }
}

# Seconds since START (date +%s.%N), for the summary.
took() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# The library is stripped and needs no glibc newer than the floor: LIBRARY LABEL
check_library() {
    local floor
    floor="$("$root/scripts/glibc-floor.sh" "$1")"
    [[ "$(printf '%s\n%s\n' "$floor" "$GLIBC_FLOOR" | sort -V | tail -n 1)" == "$GLIBC_FLOOR" ]] ||
        fail "$2 needs GLIBC_$floor, newer than $GLIBC_FLOOR"
    ! readelf -S "$1" | grep -qE '\.(symtab|debug_)' || fail "$2 is not stripped"
    echo "$2: $(stat -c %s "$1") bytes, stripped, needs glibc $floor"
}

for tool in cargo rustc; do
    if clean sh -c "command -v $tool" >/dev/null; then
        echo "test-dist.sh: $tool is on the system PATH ($system_path); the clean environment needs it absent" >&2
        exit 1
    fi
done

if [[ -f "$DIST_DIR/SHA256SUMS" ]]; then
    (cd "$DIST_DIR" && sha256sum --quiet -c SHA256SUMS) || fail "dist/SHA256SUMS does not match the artifacts"
fi

test_c() {
    local archive name unpacked start
    archive="$DIST_DIR/c/gumloop-$version-x86_64-linux-gnu.tar.gz"
    name="$(basename "$archive" .tar.gz)"
    unpacked="$work/c/$name"
    step "C and C++: $(basename "$archive") with pkg-config and with CMake"
    start="$(date +%s.%N)"
    mkdir -p "$work/c" && tar -xzf "$archive" -C "$work/c"
    (cd "$unpacked" && sha256sum --quiet -c SHA256SUMS) || fail "the archive's SHA256SUMS"
    # shellcheck disable=SC2016  # expanded by the clean shell
    clean PKG_CONFIG_PATH="$unpacked/lib/pkgconfig" sh -c 'cc -std=c11 -Wall -Wextra -Wpedantic -Werror \
        "$1/examples/quickstart.c" $(pkg-config --cflags --libs gumloop) \
        -Wl,-rpath,"$(pkg-config --variable=libdir gumloop)" -o "$2"' sh "$unpacked" "$work/c/quickstart" ||
        fail "quickstart.c with pkg-config"
    clean "$work/c/quickstart" agent_pro >"$work/c/quickstart.out" || fail "quickstart (pkg-config)"
    timings+=("C (unpack, pkg-config build, first call): $(took "$start") s")
    created_session "$work/c/quickstart.out" "quickstart.c (pkg-config)"
    for file in include/gumloop.h include/gumloop.hpp lib/libgumloop.a "lib/libgumloop.so.$version" \
        LICENSE-MIT LICENSE-APACHE CHANGELOG.md lib/cmake/gumloop/gumloop-config.cmake; do
        [[ -f "$unpacked/$file" ]] || fail "the archive has no $file"
    done
    check_library "$unpacked/lib/libgumloop.so.$version" "the archive's libgumloop.so.$version"

    start="$(date +%s.%N)"
    clean cmake -S "$unpacked/examples" -B "$work/c/cmake" -DCMAKE_PREFIX_PATH="$unpacked" \
        >"$work/c/cmake.log" 2>&1 && clean cmake --build "$work/c/cmake" >>"$work/c/cmake.log" 2>&1 ||
        { cat "$work/c/cmake.log" >&2; fail "the examples with CMake"; return; }
    clean "$work/c/cmake/quickstart_cpp" agent_pro >"$work/c/quickstart_cpp.out" || fail "quickstart_cpp (CMake)"
    timings+=("C++ (CMake configure and build, first call): $(took "$start") s")
    grep -q '"final":true' "$work/c/quickstart_cpp.out" || fail "quickstart_cpp streamed no final event"
    clean "$work/c/cmake/quickstart_c" agent_pro >"$work/c/quickstart_c.out" || fail "quickstart_c (CMake)"
    created_session "$work/c/quickstart_c.out" "quickstart_c (CMake)"
}

test_python() {
    local wheels wheel sdist venv start python3_bin
    wheels=("$DIST_DIR"/python/*.whl)
    wheel="${wheels[0]}"
    sdist="$DIST_DIR/python/gumloop_ffi-$version.tar.gz"
    step "Python: $(basename "$wheel") into a new venv"
    ((${#wheels[@]} == 1)) || fail "dist/python holds ${#wheels[@]} wheels, expected 1"
    [[ "$(basename "$wheel")" == "gumloop_ffi-$version-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl" ]] ||
        fail "the wheel's tags: $(basename "$wheel")"
    "$DIST_TOOLS_VENV/bin/auditwheel" show "$wheel" >"$work/auditwheel.txt" 2>&1 || fail "auditwheel show"
    local tag="manylinux_${GLIBC_FLOOR/./_}_x86_64"
    tr '\n' ' ' <"$work/auditwheel.txt" | grep -q "is consistent with the following platform tag: *\"$tag\"" ||
        { cat "$work/auditwheel.txt" >&2; fail "auditwheel does not call the wheel $tag"; }
    echo "auditwheel: $(tr '\n' ' ' <"$work/auditwheel.txt" | grep -o 'is consistent with the following platform tag: *"[^"]*"')"

    # A Python that is neither the checkout's venv nor on a Rust path: the interpreter itself.
    python3_bin="$(python3 -c 'import sys; print(sys.executable)')"
    venv="$work/python/venv"
    start="$(date +%s.%N)"
    clean "$python3_bin" -m venv "$venv"
    EXTRA_PATH="$venv/bin" clean python -m pip install --quiet --no-index --disable-pip-version-check "$wheel" ||
        fail "pip install the wheel"
    cp "$root/examples/quickstart.py" "$work/python/"
    EXTRA_PATH="$venv/bin" clean python "$work/python/quickstart.py" agent_pro >"$work/python/quickstart.out" ||
        fail "quickstart.py"
    timings+=("Python (venv, pip install of the wheel, first call): $(took "$start") s")
    created_session "$work/python/quickstart.out" "quickstart.py"
    local loaded
    loaded="$(EXTRA_PATH="$venv/bin" clean python -c 'from gumloop_ffi import _native; print(_native.native.path)')"
    [[ "$loaded" == "$venv"/* ]] || fail "gumloop_ffi loaded $loaded, not the wheel's library"
    check_library "$loaded" "the wheel's libgumloop.so"
    for license in LICENSE-MIT LICENSE-APACHE; do
        compgen -G "$venv/lib/python*/site-packages/gumloop_ffi-$version.dist-info/licenses/$license" >/dev/null ||
            fail "the wheel installs no $license"
    done

    step "Python: the sdist carries the Rust sources and says what it needs where cargo is missing"
    tar -tzf "$sdist" >"$work/sdist.txt"
    for file in rust/Cargo.toml rust/Cargo.lock rust/build.rs rust/src/lib.rs LICENSE-MIT LICENSE-APACHE; do
        grep -qx "gumloop_ffi-$version/$file" "$work/sdist.txt" || fail "the sdist has no $file"
    done
    mkdir -p "$work/sdist" && tar -xzf "$sdist" -C "$work/sdist"
    if (cd "$work/sdist/gumloop_ffi-$version" && EXTRA_PATH="$DIST_TOOLS_VENV/bin" \
        clean python -m build --no-isolation --wheel --outdir "$work/sdist/out" . >"$work/sdist/build.log" 2>&1); then
        fail "the sdist built a wheel without cargo"
    fi
    grep -q "needs Rust's cargo" "$work/sdist/build.log" ||
        { tail -n 20 "$work/sdist/build.log" >&2; fail "the sdist's error without cargo does not say that cargo is needed"; }
}

test_node() {
    local main platform app start npm_cache
    main="$DIST_DIR/node/gumloop-ffi-$version.tgz"
    platform="$DIST_DIR/node/gumloop-ffi-linux-x64-gnu-$version.tgz"
    app="$work/node/app"
    step "Node: an empty npm project installs $(basename "$main") and $(basename "$platform")"
    # npm's cache (not a checkout): koffi comes from it when it is there.
    npm_cache="$(npm config get cache)"
    mkdir -p "$app"
    start="$(date +%s.%N)"
    (cd "$app" && clean npm_config_cache="$npm_cache" npm init -y >/dev/null &&
        clean npm_config_cache="$npm_cache" npm install --no-audit --no-fund --prefer-offline --silent \
            "$main" "$platform") || { fail "npm install of the two packages"; return; }
    cp "$root/examples/quickstart.mjs" "$app/"
    (cd "$app" && clean node quickstart.mjs agent_pro >"$work/node/quickstart.out") || fail "quickstart.mjs"
    timings+=("Node (npm install of the two tarballs, first call): $(took "$start") s")
    created_session "$work/node/quickstart.out" "quickstart.mjs"
    # CommonJS and ES module entries are one instance, loading the platform package's library.
    # shellcheck disable=SC2016  # JavaScript
    (cd "$app" && clean node -e '
        const cjs = require("gumloop-ffi");
        import("gumloop-ffi").then((esm) => {
          const expected = require.resolve("gumloop-ffi-linux-x64-gnu/package.json").replace(/package\.json$/, "lib/libgumloop.so");
          if (esm.Client !== cjs.Client) throw new Error("the ES module and CommonJS entries differ");
          if (cjs.libraryPath !== expected) throw new Error(`loaded ${cjs.libraryPath}, not ${expected}`);
          console.log(`CommonJS and ES module entries agree; library: ${cjs.libraryPath}`);
        });') || fail "gumloop-ffi's CommonJS and ES module entries"
    # A TypeScript program type-checks against the installed types, through import and require
    # (the checkout's pinned compiler and Node types: tools, not the package under test).
    local tools="$root/bindings/node/node_modules"
    printf '%s\n' 'import { Client, GumloopError, libraryVersion } from "gumloop-ffi";' \
        'export const version: string = libraryVersion();' 'export const classes = [Client, GumloopError] as const;' \
        >"$app/esm.mts"
    printf '%s\n' 'import gumloop = require("gumloop-ffi");' 'export const client: typeof gumloop.Client = gumloop.Client;' \
        >"$app/cjs.cts"
    (cd "$app" && clean node "$tools/typescript/bin/tsc" --noEmit --strict --module nodenext --moduleResolution nodenext \
        --target es2022 --typeRoots "$tools/@types" --types node esm.mts cjs.cts) || fail "the package's types (tsc)"
    for file in dist/index.js dist/index.d.ts dist/index.cjs dist/index.d.cts LICENSE-MIT LICENSE-APACHE; do
        [[ -f "$app/node_modules/gumloop-ffi/$file" ]] || fail "gumloop-ffi has no $file"
    done
    check_library "$app/node_modules/gumloop-ffi-linux-x64-gnu/lib/libgumloop.so" "gumloop-ffi-linux-x64-gnu's libgumloop.so"
}

test_go() {
    local zip module_path module app start go_root go_cache example
    module_path="$(awk '$1 == "module" { print $2; exit }' "$root/bindings/go/go.mod")"
    zip="$DIST_DIR/go/proxy/$module_path/@v/v$version.zip"
    app="$work/go/app"
    step "Go: a program using the module extracted from $(basename "$zip") (GOPROXY=off, replace)"
    go_root="$("$GO" env GOROOT)"
    go_cache="$("$GO" env GOCACHE)" # the compiler's cache, shared with other builds
    mkdir -p "$work/go/extracted" "$app"
    start="$(date +%s.%N)"
    (cd "$work/go/extracted" && python3 -m zipfile -e "$zip" .)
    module="$work/go/extracted/$module_path@v$version"
    [[ -f "$module/lib/linux_amd64/libgumloop.a" && -f "$module/gumloop.h" ]] ||
        fail "the module lacks its library or header"
    cmp -s "$module/gumloop.h" "$root/include/gumloop.h" || fail "the module's gumloop.h differs from include/gumloop.h"
    example="$root/examples/go/quickstart/main.go"
    [[ -f "$example" ]] || example="$root/examples/quickstart.go"
    cp "$example" "$app/main.go"
    printf 'module example.com/quickstart\n\ngo 1.23\n\nrequire %s v%s\n\nreplace %s => %s\n' \
        "$module_path" "$version" "$module_path" "$module" >"$app/go.mod"
    local -a go_env=(GOROOT="$go_root" GOCACHE="$go_cache" GOPATH="$work/go/path" GOPROXY=off GOFLAGS=-mod=mod
        GOTOOLCHAIN=local GOTELEMETRY=off CGO_ENABLED=1)
    (cd "$app" && EXTRA_PATH="$go_root/bin" CLEAN_ENV="${go_env[*]}" clean go build -o quickstart .) ||
        { fail "go build against the module"; return; }
    clean "$app/quickstart" agent_pro >"$work/go/quickstart.out" || fail "the Go quickstart"
    timings+=("Go (unzip the module, go build, first call): $(took "$start") s")
    created_session "$work/go/quickstart.out" "the Go quickstart"
    ! readelf -d "$app/quickstart" | grep -q 'NEEDED.*libgumloop' || fail "the Go program needs a shared libgumloop"

    step "Go: the same program fetching the module from dist/go/proxy (GOPROXY=file://, no replace)"
    local from_proxy="$work/go/from-proxy"
    mkdir -p "$from_proxy"
    cp "$app/main.go" "$from_proxy/"
    printf 'module example.com/quickstart\n\ngo 1.23\n\nrequire %s v%s\n' "$module_path" "$version" >"$from_proxy/go.mod"
    # The go command checks the zip as a module zip when it extracts it into the module cache.
    (cd "$from_proxy" && EXTRA_PATH="$go_root/bin" \
        CLEAN_ENV="${go_env[*]/GOPROXY=off/GOPROXY=file://$DIST_DIR/go/proxy} GOSUMDB=off GONOSUMDB=$module_path" \
        clean go build -o quickstart .) || fail "go build with the module from the proxy layout"
    clean "$from_proxy/quickstart" agent_pro >"$work/go/from-proxy.out" || fail "the Go quickstart (module from the proxy layout)"
    created_session "$work/go/from-proxy.out" "the Go quickstart (module from the proxy layout)"

    step "Go: the gumloop_pkgconfig tag links the C archive's library through pkg-config"
    if [[ " ${languages[*]} " == *" c "* ]]; then
        local libdir="$work/c/gumloop-$version-x86_64-linux-gnu/lib"
        (cd "$app" && EXTRA_PATH="$go_root/bin" CLEAN_ENV="${go_env[*]} PKG_CONFIG_PATH=$libdir/pkgconfig CGO_LDFLAGS=-Wl,-rpath,$libdir" \
            clean go build -tags gumloop_pkgconfig -o quickstart-pkgconfig .) || fail "go build -tags gumloop_pkgconfig"
        readelf -d "$app/quickstart-pkgconfig" | grep -q 'NEEDED.*libgumloop.so' ||
            fail "the gumloop_pkgconfig build does not load the shared library"
        clean "$app/quickstart-pkgconfig" agent_pro >"$work/go/quickstart-pkgconfig.out" || fail "the Go quickstart (pkg-config)"
        created_session "$work/go/quickstart-pkgconfig.out" "the Go quickstart (pkg-config)"
    else
        echo "(needs the C archive: run with c)"
    fi
}

# Not in the default list (it builds the library from source, minutes long; `make test-dist-sdist`):
# pip builds and installs the sdist where cargo is on PATH, and the quickstart runs.
test_sdist() {
    local sdist venv start cargo_bin
    sdist="$DIST_DIR/python/gumloop_ffi-$version.tar.gz"
    venv="$work/sdist-venv"
    cargo_bin="$(dirname "$(command -v cargo)")"
    step "Python: $(basename "$sdist") built by pip with cargo, into a new venv"
    start="$(date +%s.%N)"
    clean "$(python3 -c 'import sys; print(sys.executable)')" -m venv "$venv"
    # cargo and rustup keep their toolchain and crates under these homes, not under HOME.
    EXTRA_PATH="$venv/bin:$cargo_bin" CLEAN_ENV="CARGO_HOME=${CARGO_HOME:-$HOME/.cargo} RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup} CARGO_TARGET_DIR=$work/sdist-target" \
        clean python -m pip install --quiet --disable-pip-version-check "$sdist" || { fail "pip install of the sdist"; return; }
    cp "$root/examples/quickstart.py" "$work/"
    EXTRA_PATH="$venv/bin" clean python "$work/quickstart.py" agent_pro >"$work/sdist-quickstart.out" ||
        fail "quickstart.py (from the sdist)"
    timings+=("Python from the sdist (venv, cargo build, install, first call): $(took "$start") s")
    created_session "$work/sdist-quickstart.out" "quickstart.py (from the sdist)"
    local loaded
    loaded="$(EXTRA_PATH="$venv/bin" clean python -c 'from gumloop_ffi import _native; print(_native.native.path)')"
    [[ "$loaded" == "$venv"/* ]] || fail "gumloop_ffi (from the sdist) loaded $loaded, not its own library"
    ! readelf -S "$loaded" | grep -qE '\.(symtab|debug_)' || fail "the sdist's build left the library unstripped"
}

for language in "${languages[@]}"; do
    case "$language" in
        c | python | node | go | sdist) "test_$language" ;;
        *) echo "test-dist.sh: unknown language '$language' (c, python, node, go, sdist)" >&2; exit 2 ;;
    esac
done

echo "== test-dist: from artifact to first call"
printf '  %s\n' "${timings[@]}"
if ((failures > 0)); then
    echo "test-dist: $failures failures" >&2
    exit 1
fi
echo "test-dist: ${languages[*]}: every artifact installed away from the checkout and ran its quickstart"
