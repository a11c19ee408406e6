#!/usr/bin/env bash
# Installs the ipt C library under a prefix, as a C library is installed:
#
#   <prefix>/include/ipt.h
#   <prefix>/lib/libipt.so.X.Y.Z          (SONAME libipt.so.X, set by ipt-ffi/build.rs)
#   <prefix>/lib/libipt.so.X -> libipt.so.X.Y.Z
#   <prefix>/lib/libipt.so   -> libipt.so.X
#   <prefix>/lib/libipt.a
#   <prefix>/lib/pkgconfig/ipt.pc
#   <prefix>/lib/cmake/ipt/ipt-config.cmake, ipt-config-version.cmake  (targets ipt::ipt, ipt::ipt_static)
#
# Usage: scripts/install-c.sh [PREFIX]      (default /usr/local)
# Environment: DESTDIR stages the install under another root (packaging); LIBDIR is the
# library directory under the prefix (default lib, e.g. lib/x86_64-linux-gnu); CARGO_TARGET_DIR
# as for cargo; IPT_CARGO_PROFILE the cargo profile the library is built with (default release;
# the test suite installs its release-test build). Builds the library first (a no-op when it is
# up to date).
# Linux and other ELF systems; it says so and stops elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=${1:-/usr/local}
case $prefix in /*) ;; *) echo "install-c.sh: the prefix must be an absolute path: $prefix" >&2; exit 2 ;; esac
prefix=${prefix%/}
libdir=${LIBDIR:-lib}
libdir=${libdir#/}
libdir=${libdir%/}
dest=${DESTDIR:-}

case "$(uname -s)" in
  Linux | FreeBSD | NetBSD | OpenBSD | DragonFly | SunOS) ;;
  *) echo "install-c.sh: installs ELF shared libraries (Linux, the BSDs); this is $(uname -s)" >&2; exit 2 ;;
esac

version=$(cargo pkgid -p ipt-ffi | sed 's/.*[#@]//')
IFS=. read -r major minor patch <<<"$version"
[ -n "$major" ] && [ -n "$minor" ] && [ -n "$patch" ] || { echo "install-c.sh: cannot read the version ($version)" >&2; exit 1; }

profile=${IPT_CARGO_PROFILE:-release}
cargo build -q --profile "$profile" -p ipt-ffi
release=${CARGO_TARGET_DIR:-target}/$profile
so=$release/libipt.so
if command -v readelf >/dev/null; then
  soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
  [ "$soname" = "libipt.so.$major" ] || { echo "install-c.sh: $so has SONAME '$soname', not libipt.so.$major" >&2; exit 1; }
fi

inc=$dest$prefix/include
lib=$dest$prefix/$libdir
install -d "$inc" "$lib/pkgconfig" "$lib/cmake/ipt"
install -m 644 include/ipt.h "$inc/ipt.h"
install -m 755 "$so" "$lib/libipt.so.$version"
ln -sfn "libipt.so.$version" "$lib/libipt.so.$major"
ln -sfn "libipt.so.$major" "$lib/libipt.so"
install -m 644 "$release/libipt.a" "$lib/libipt.a"

# From <libdir> to <prefix>/include: one `..` per component of the library directory.
up=$(printf '%s\n' "$libdir" | tr '/' '\n' | sed 's/.*/../' | paste -sd/ -)
sizeof_void_p=$(( $(getconf LONG_BIT) / 8 ))
fill() {
  sed -e "s|@PREFIX@|$prefix|g" -e "s|@LIBDIR@|$libdir|g" -e "s|@VERSION@|$version|g" \
      -e "s|@MAJOR@|$major|g" -e "s|@MINOR@|$minor|g" -e "s|@LIBDIR_TO_INCLUDEDIR@|$up/include|g" \
      -e "s|@SIZEOF_VOID_P@|$sizeof_void_p|g" "$1" > "$2"
  chmod 644 "$2"
}
fill ipt-ffi/ipt.pc.in "$lib/pkgconfig/ipt.pc"
fill ipt-ffi/cmake/ipt-config.cmake.in "$lib/cmake/ipt/ipt-config.cmake"
fill ipt-ffi/cmake/ipt-config-version.cmake.in "$lib/cmake/ipt/ipt-config-version.cmake"

echo "installed ipt $version under $dest$prefix (libipt.so.$major, libipt.a, ipt.h, pkg-config ipt, CMake ipt::ipt)"
