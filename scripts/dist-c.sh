#!/usr/bin/env bash
# The C/C++ release archive (make dist-c): dist/c/gumloop-VERSION-x86_64-linux-gnu.tar.gz with
#
#   include/                 gumloop.h, gumloop.hpp
#   lib/                     libgumloop.so.VERSION (stripped), its SONAME link, libgumloop.so,
#                            libgumloop.a
#   lib/pkgconfig/gumloop.pc relocatable (prefix=${pcfiledir}/../..)
#   lib/cmake/gumloop/       the CMake package (paths relative to itself)
#   examples/                quickstart.c, quickstart.cpp and their CMakeLists.txt
#   LICENSE-MIT LICENSE-APACHE CHANGELOG.md README.md
#   SHA256SUMS               of every other file in the archive
#
# from the release build in $DIST_LIB (scripts/release-build.sh), installed by scripts/install.sh.
set -euo pipefail
source "$(dirname "$0")/dist-common.sh"

name="gumloop-$version-$platform"
stage="$DIST_BUILD/c/$name"
fresh_dir "$stage"
fresh_dir "$DIST_DIR/c"

DESTDIR="" PREFIX="$stage" LIBDIR="$stage/lib" INCLUDEDIR="$stage/include" \
    PKGCONFIGDIR="$stage/lib/pkgconfig" CMAKEDIR="$stage/lib/cmake/gumloop" \
    LIBRARY_TYPES="shared static" BUILD_OUT="$DIST_LIB" VERSION="$version" RELOCATABLE=1 \
    NATIVE_STATIC_LIBS="$(cat "$DIST_LIB/native-static-libs.txt")" \
    "$root/scripts/install.sh" install >/dev/null
mkdir -p "$stage/examples"
cp "$root/examples/quickstart.c" "$root/examples/quickstart.cpp" "$root/examples/CMakeLists.txt" "$stage/examples/"
copy_licenses "$stage"
cp "$root/CHANGELOG.md" "$stage/"
sed "s/@VERSION@/$version/g" "$root/packaging/c/README.md.in" >"$stage/README.md"
(cd "$stage" && find . -type f ! -name SHA256SUMS -printf '%P\n' | sort | xargs sha256sum >SHA256SUMS)

tarball "$DIST_DIR/c/$name.tar.gz" "$stage" "$name"
echo "dist/c/$name.tar.gz: $(stat -c %s "$DIST_DIR/c/$name.tar.gz") bytes"
