#!/usr/bin/env bash
# Installs or uninstalls libgumloop (called by `make install` / `make uninstall`):
#
#   scripts/install.sh install | uninstall | list
#
# Settings come from the environment (mk/install.mk passes them):
#   DESTDIR, PREFIX, LIBDIR, INCLUDEDIR, PKGCONFIGDIR, CMAKEDIR   where files go
#   LIBRARY_TYPES          "shared static" (default), or one of them
#   BUILD_OUT              the cargo output directory holding libgumloop.so and libgumloop.a
#   NATIVE_STATIC_LIBS     what the static library needs, as rustc reports it (-lfoo ...)
#   VERSION                the package version (Cargo.toml)
#   RELOCATABLE            1: gumloop.pc names its prefix relative to itself (${pcfiledir}), so
#                          the installed tree may be moved (the release archive); default 0
#
# The shared library is installed as libgumloop.so.VERSION with two links: its SONAME (read from
# the built file, where build.rs put it) and libgumloop.so for the linker. `list` prints the
# files `install` makes, relative to DESTDIR.
set -euo pipefail

action="${1:?usage: $0 install|uninstall|list}"
root="$(cd "$(dirname "$0")/.." && pwd)"
: "${PREFIX:?}" "${LIBDIR:?}" "${INCLUDEDIR:?}" "${PKGCONFIGDIR:?}" "${CMAKEDIR:?}" "${VERSION:?}"
DESTDIR="${DESTDIR:-}"
LIBRARY_TYPES="${LIBRARY_TYPES:-shared static}"

wants() { [[ " $LIBRARY_TYPES " == *" $1 "* ]]; }
for kind in $LIBRARY_TYPES; do
    [[ "$kind" == shared || "$kind" == static ]] ||
        { echo "install.sh: LIBRARY_TYPES: unknown type '$kind' (shared, static)" >&2; exit 2; }
done
real="libgumloop.so.$VERSION"

# Path from directory $1 to path $2 (both absolute).
relative() { realpath -m --relative-to="$1" "$2"; }

# The prefix-relative form of a directory in the .pc file (${prefix}/lib), else as given.
pc_dir() {
    case "$1" in
        "$PREFIX") echo '${prefix}' ;;
        "$PREFIX"/*) echo "\${prefix}/${1#"$PREFIX"/}" ;;
        *) echo "$1" ;;
    esac
}

soname_of() { readelf -d "$1" | sed -n 's/.*(SONAME).*\[\(.*\)\]$/\1/p'; }

list() {
    if wants shared; then
        local soname
        soname="$(soname_of "$BUILD_OUT/libgumloop.so")"
        printf '%s\n' "$LIBDIR/$real" "$LIBDIR/$soname" "$LIBDIR/libgumloop.so"
    fi
    if wants static; then echo "$LIBDIR/libgumloop.a"; fi
    printf '%s\n' "$INCLUDEDIR/gumloop.h" "$INCLUDEDIR/gumloop.hpp" "$PKGCONFIGDIR/gumloop.pc" \
        "$CMAKEDIR/gumloop-config.cmake" "$CMAKEDIR/gumloop-config-version.cmake"
}

fill() {
    local soname="$1" cmake_libs="$2" bits="$3"
    local prefix="$PREFIX"
    # pkg-config's own variable, the directory of the .pc file: PKGCONFIGDIR relative to PREFIX.
    if [[ "${RELOCATABLE:-0}" == 1 ]]; then prefix="\${pcfiledir}/$(relative "$PKGCONFIGDIR" "$PREFIX")"; fi
    sed -e "s|@PREFIX@|$prefix|g" \
        -e "s|@LIBDIR@|$(pc_dir "$LIBDIR")|g" \
        -e "s|@INCLUDEDIR@|$(pc_dir "$INCLUDEDIR")|g" \
        -e "s|@LIBDIR_FROM_HERE@|$(relative "$CMAKEDIR" "$LIBDIR")|g" \
        -e "s|@INCLUDEDIR_FROM_HERE@|$(relative "$CMAKEDIR" "$INCLUDEDIR")|g" \
        -e "s|@VERSION@|$VERSION|g" \
        -e "s|@VERSION_MAJOR@|${VERSION%%.*}|g" \
        -e "s|@VERSION_MINOR@|$(cut -d. -f2 <<<"$VERSION")|g" \
        -e "s|@SONAME@|$soname|g" \
        -e "s|@NATIVE_STATIC_LIBS@|$NATIVE_STATIC_LIBS|g" \
        -e "s|@NATIVE_STATIC_LIBS_CMAKE@|$cmake_libs|g" \
        -e "s|@SIZEOF_VOID_P@|$bits|g"
}

install_files() {
    : "${BUILD_OUT:?}" "${NATIVE_STATIC_LIBS:?}"
    local shared="$BUILD_OUT/libgumloop.so" soname bits cmake_libs
    soname="$(soname_of "$shared")"
    if [[ -z "$soname" || "$real" != "$soname"* ]]; then
        echo "install.sh: $shared has the SONAME '$soname', which does not name version $VERSION" >&2
        exit 1
    fi
    bits=8
    readelf -h "$shared" | grep -q 'Class:.*ELF32' && bits=4
    # -lfoo becomes foo for CMake; anything else (a linker flag) stays as it is.
    cmake_libs="$(tr ' ' '\n' <<<"$NATIVE_STATIC_LIBS" | sed -n 's/^-l//p; /^-l/!{/./p}' | paste -sd ';')"

    local d="$DESTDIR"
    install -d "$d$LIBDIR" "$d$INCLUDEDIR" "$d$PKGCONFIGDIR" "$d$CMAKEDIR"
    if wants shared; then
        install -m 755 "$shared" "$d$LIBDIR/$real"
        ln -sfn "$real" "$d$LIBDIR/$soname"
        ln -sfn "$soname" "$d$LIBDIR/libgumloop.so"
    fi
    if wants static; then install -m 644 "$BUILD_OUT/libgumloop.a" "$d$LIBDIR/libgumloop.a"; fi
    install -m 644 "$root/include/gumloop.h" "$root/include/gumloop.hpp" "$d$INCLUDEDIR/"
    local tmp
    tmp="$(mktemp -d)"
    fill "$soname" "$cmake_libs" "$bits" <"$root/packaging/gumloop.pc.in" >"$tmp/gumloop.pc"
    fill "$soname" "$cmake_libs" "$bits" <"$root/packaging/gumloop-config.cmake.in" >"$tmp/gumloop-config.cmake"
    fill "$soname" "$cmake_libs" "$bits" <"$root/packaging/gumloop-config-version.cmake.in" \
        >"$tmp/gumloop-config-version.cmake"
    install -m 644 "$tmp/gumloop.pc" "$d$PKGCONFIGDIR/gumloop.pc"
    install -m 644 "$tmp/gumloop-config.cmake" "$tmp/gumloop-config-version.cmake" "$d$CMAKEDIR/"
    rm -rf "$tmp"
    echo "installed libgumloop $VERSION into ${d}${PREFIX}:"
    list | sed 's/^/  /'
}

# Removes what install_files makes, found without the build: the versioned file, every
# libgumloop.so.* link to it (the SONAME link) and libgumloop.so.
uninstall_files() {
    local d="$DESTDIR" link
    for link in "$d$LIBDIR"/libgumloop.so.*; do
        if [[ -L "$link" && "$(readlink "$link")" == "$real" ]]; then rm -f "$link"; fi
    done
    rm -f "$d$LIBDIR/$real" "$d$LIBDIR/libgumloop.so" "$d$LIBDIR/libgumloop.a" \
        "$d$INCLUDEDIR/gumloop.h" "$d$INCLUDEDIR/gumloop.hpp" "$d$PKGCONFIGDIR/gumloop.pc" \
        "$d$CMAKEDIR/gumloop-config.cmake" "$d$CMAKEDIR/gumloop-config-version.cmake"
    rmdir "$d$CMAKEDIR" 2>/dev/null || true
    echo "uninstalled libgumloop $VERSION from ${d}${PREFIX}"
}

case "$action" in
    install) install_files ;;
    uninstall) uninstall_files ;;
    list) list ;;
    *) echo "usage: $0 install|uninstall|list" >&2; exit 2 ;;
esac
