#!/usr/bin/env bash
# The installed tree, as a C or C++ developer meets it (`make test-install`, part of `make test`):
#
#   tests/install/test-install.sh WORKDIR
#
# Needs a finished `make install-build`, cmake, pkg-config and the debug emulator (mk/install.mk
# sees to all three). Installs with DESTDIR (the exact file list, the SONAME and its links, the
# exports, then an uninstall that leaves nothing), into a prefix (shared and static) and into a
# static-only prefix; builds examples/quickstart.c with pkg-config (shared, and --static) and
# both quickstarts with CMake's find_package (shared, and the static component); runs each
# against the emulator; asks the CMake package which versions and components it accepts.
set -euo pipefail

work="${1:?usage: $0 WORKDIR}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
make_cmd=("${MAKE:-make}" -C "$root" --no-print-directory)
cc="${CC:-cc}"
with_emulator="$root/scripts/with-emulator.sh"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)"
major="${version%%.*}"
minor="$(cut -d. -f2 <<<"$version")"
# The ABI version: 0.MINOR before 1.0, MAJOR after (build.rs sets it).
if [[ "$major" == 0 ]]; then soname="libgumloop.so.0.$minor"; else soname="libgumloop.so.$major"; fi

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
step() { echo "== test-install: $*"; }
run_quickstart() {
    GUMLOOP_ACCESS_TOKEN=gk_personal_ada GUMLOOP_USER_ID=user_ada "$with_emulator" "$@"
}
needs_libgumloop() { readelf -d "$1" | grep -q "(NEEDED).*\[$soname\]"; }
tree() { (cd "$1" && find . \( -type f -o -type l \) | sed 's|^\./|/|' | sort); }

rm -rf "$work"
mkdir -p "$work"

step "staged install (DESTDIR) of PREFIX=/opt/gumloop"
stage="$work/stage"
"${make_cmd[@]}" install-files DESTDIR="$stage" PREFIX=/opt/gumloop
expected="$(printf '%s\n' /opt/gumloop/include/gumloop.h /opt/gumloop/include/gumloop.hpp \
    /opt/gumloop/lib/cmake/gumloop/gumloop-config-version.cmake \
    /opt/gumloop/lib/cmake/gumloop/gumloop-config.cmake /opt/gumloop/lib/libgumloop.a \
    /opt/gumloop/lib/libgumloop.so "/opt/gumloop/lib/$soname" "/opt/gumloop/lib/libgumloop.so.$version" \
    /opt/gumloop/lib/pkgconfig/gumloop.pc | sort)"
diff -u <(echo "$expected") <(tree "$stage") || fail "the installed files differ from the expected list"
lib="$stage/opt/gumloop/lib"
[[ -f "$lib/libgumloop.so.$version" && ! -L "$lib/libgumloop.so.$version" ]] || fail "the versioned library is not a file"
[[ "$(readlink "$lib/$soname")" == "libgumloop.so.$version" ]] || fail "$soname does not link to the versioned file"
[[ "$(readlink "$lib/libgumloop.so")" == "$soname" ]] || fail "libgumloop.so does not link to $soname"
readelf -d "$lib/libgumloop.so.$version" | grep -q "(SONAME).*\[$soname\]" || fail "the SONAME is not $soname"
"$root/scripts/check-exports.sh" "$lib/libgumloop.so.$version" "$stage/opt/gumloop/include/gumloop.h" ||
    fail "the installed library's exports"
grep -qx 'prefix=/opt/gumloop' "$stage/opt/gumloop/lib/pkgconfig/gumloop.pc" || fail "gumloop.pc's prefix"
grep -q '^Libs.private: .*-l' "$stage/opt/gumloop/lib/pkgconfig/gumloop.pc" || fail "gumloop.pc has no Libs.private"
echo "-- readelf -d /opt/gumloop/lib/libgumloop.so.$version"
readelf -d "$lib/libgumloop.so.$version"
echo "-- installed files"
(cd "$stage" && find . \( -type f -printf '%M /%P\n' \) -o \( -type l -printf '%M /%P -> %l\n' \) | sort -k2)
"${make_cmd[@]}" uninstall DESTDIR="$stage" PREFIX=/opt/gumloop
[[ -z "$(tree "$stage")" ]] || fail "uninstall left files behind: $(tree "$stage" | tr '\n' ' ')"

step "install into $work/prefix and $work/static (LIBRARY_TYPES=static)"
prefix="$work/prefix"
static="$work/static"
"${make_cmd[@]}" install-files PREFIX="$prefix"
"${make_cmd[@]}" install-files PREFIX="$static" LIBRARY_TYPES=static
[[ ! -e "$static/lib/libgumloop.so" && -f "$static/lib/libgumloop.a" ]] || fail "the static-only prefix"

step "pkg-config, shared"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
[[ "$(pkg-config --modversion gumloop)" == "$version" ]] || fail "pkg-config --modversion"
# shellcheck disable=SC2046  # pkg-config's flags are meant to split
"$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror "$root/examples/quickstart.c" $(pkg-config --cflags --libs gumloop) \
    -Wl,-rpath,"$(pkg-config --variable=libdir gumloop)" -o "$work/quickstart_pc_shared"
needs_libgumloop "$work/quickstart_pc_shared" || fail "quickstart (pkg-config) does not load $soname"
run_quickstart "$work/quickstart_pc_shared" agent_pro >"$work/pc_shared.out" || fail "quickstart (pkg-config) failed"
grep -q '"agent_id":"agent_pro"' "$work/pc_shared.out" || fail "quickstart (pkg-config) printed no session"

step "pkg-config --static, from the static-only prefix"
export PKG_CONFIG_PATH="$static/lib/pkgconfig"
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror "$root/examples/quickstart.c" \
    $(pkg-config --static --cflags --libs gumloop) -o "$work/quickstart_pc_static"
! needs_libgumloop "$work/quickstart_pc_static" || fail "quickstart (pkg-config --static) loads $soname"
run_quickstart "$work/quickstart_pc_static" agent_pro >"$work/pc_static.out" || fail "quickstart (static) failed"
grep -q '"agent_id":"agent_pro"' "$work/pc_static.out" || fail "quickstart (static) printed no session"
unset PKG_CONFIG_PATH

for kind in shared static; do
    step "CMake find_package(gumloop), $kind"
    build="$work/cmake-$kind"
    option=OFF
    [[ "$kind" == static ]] && option=ON
    cmake -S "$root/examples" -B "$build" -DCMAKE_PREFIX_PATH="$prefix" -DQUICKSTART_STATIC="$option" \
        -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="${CXX:-c++}" >"$build.log" 2>&1 ||
        { cat "$build.log"; fail "cmake configure ($kind)"; continue; }
    cmake --build "$build" >>"$build.log" 2>&1 || { cat "$build.log"; fail "cmake build ($kind)"; continue; }
    for program in quickstart_c quickstart_cpp; do
        if [[ "$kind" == shared ]]; then
            needs_libgumloop "$build/$program" || fail "$program ($kind) does not load $soname"
        else
            ! needs_libgumloop "$build/$program" || fail "$program ($kind) loads $soname"
        fi
        run_quickstart "$build/$program" agent_pro >"$build/$program.out" || fail "$program ($kind) failed"
    done
    grep -q '"final":true' "$build/quickstart_cpp.out" || fail "quickstart_cpp ($kind) streamed no final event"
done

step "the CMake package's versions and components"
probe() {
    local where="$1" want="$2"
    shift 2
    local dir answer
    dir="$(mktemp -d "$work/probe.XXXXXX")"
    answer="$(cmake -S "$root/tests/install/probe" -B "$dir" -DCMAKE_PREFIX_PATH="$where" "$@" 2>&1 |
        sed -n 's/^-- gumloop-probe: //p')"
    [[ "$answer" == "$want" ]] || fail "probe $* in $where: '$answer', expected '$want'"
}
probe "$prefix" "found $version gumloop::shared"
probe "$prefix" "found $version gumloop::shared" -DPROBE_VERSION="$major.$minor"
probe "$prefix" "found $version gumloop::shared" -DPROBE_VERSION="$version" "-DPROBE_ARGS=EXACT"
probe "$prefix" "not found" -DPROBE_VERSION="$major.$((minor + 1))"
probe "$prefix" "not found" -DPROBE_VERSION="$((major + 1)).0"
if [[ "$major" == 0 && "$minor" -gt 0 ]]; then probe "$prefix" "not found" -DPROBE_VERSION="0.$((minor - 1))"; fi
probe "$prefix" "found $version gumloop::static" "-DPROBE_ARGS=COMPONENTS;static"
probe "$prefix" "found $version gumloop::static" -DGUMLOOP_USE_STATIC_LIBS=ON
probe "$prefix" "not found" "-DPROBE_ARGS=COMPONENTS;dynamic"
probe "$static" "found $version gumloop::static"
probe "$static" "not found" "-DPROBE_ARGS=COMPONENTS;shared"

step "uninstall"
"${make_cmd[@]}" uninstall PREFIX="$prefix"
"${make_cmd[@]}" uninstall PREFIX="$static" LIBRARY_TYPES=static
[[ -z "$(tree "$prefix")" ]] || fail "uninstall left files in $prefix: $(tree "$prefix" | tr '\n' ' ')"
[[ -z "$(tree "$static")" ]] || fail "uninstall left files in $static: $(tree "$static" | tr '\n' ' ')"

if ((failures > 0)); then
    echo "test-install: $failures failures" >&2
    exit 1
fi
echo "test-install: the installed tree works with pkg-config (shared, static) and CMake (shared, static)"
