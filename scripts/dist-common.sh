# Shared by the dist-*.sh scripts (sourced, not run): the version, the platform of this build,
# the directories mk/dist.mk passes, and small helpers.
# shellcheck shell=bash

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${DIST_LIB:?}" "${DIST_DIR:?}" "${DIST_BUILD:?}"
version="$("$root/scripts/version.sh")"
# The one platform built here (docs/RELEASING.md lists the others and what each needs).
platform="x86_64-linux-gnu"
# A fixed time for every file of an archive, so the same inputs make the same bytes.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}"

# An empty directory of its own (removed first if it was there).
fresh_dir() { rm -rf "$1" && mkdir -p "$1"; }

# tar.gz of DIR's content under the top directory NAME, reproducibly: tarball OUT DIR NAME
tarball() {
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
        -C "$(dirname "$2")" -cf - "$3" | gzip -n -9 >"$1"
}

# Copies the two license texts into DIR.
copy_licenses() { cp "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$1/"; }
