#!/usr/bin/env bash
# The C library: build it, run the C conformance harness against the static and the shared
# library and the torture program (tests/c/torture.c), compile the header as C++ and as C89,
# run both under valgrind and AddressSanitizer, race ipt_course_free against calls on the same
# course under AddressSanitizer and ThreadSanitizer (tests/c/race.c), install the library under a prefix
# (scripts/install-c.sh) and build the README's C example against the installed library from a
# directory outside the repository, through pkg-config and through CMake find_package(ipt),
# and run miri on the binding's unsafe code. Installs what it needs, idempotently.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/target/c
mkdir -p "$out"

need_apt=()
command -v valgrind >/dev/null || need_apt+=(valgrind)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
command -v g++ >/dev/null || need_apt+=(g++)
command -v cmake >/dev/null || need_apt+=(cmake)
command -v readelf >/dev/null || need_apt+=(binutils)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

# Nightly with miri and the standard library's source (the sanitizer builds and miri).
if ! rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^miri'; then
  rustup toolchain install nightly --profile minimal
  rustup component add --toolchain nightly miri rust-src
fi
# `--install`: install what this part needs, and stop (scripts/test.sh does this first).
[ "${1:-}" = --install ] && exit 0

# The release library as the release-test profile builds it (the root Cargo.toml says why), for
# every step below, the install included.
export IPT_CARGO_PROFILE=release-test
echo "--> cargo build --profile $IPT_CARGO_PROFILE -p ipt-ffi"
cargo build -q --profile "$IPT_CARGO_PROFILE" -p ipt-ffi
lib=$root/target/$IPT_CARGO_PROFILE
cflags=(-std=c99 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -pedantic -O1 -g -I"$root/include")
static_libs=("$lib/libipt.a" -lpthread -ldl -lm)

echo "--> install under a prefix (scripts/install-c.sh); the shared-library steps below use the installed library"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
bash scripts/install-c.sh "$prefix"
version=$(cargo pkgid -p ipt-ffi | sed 's/.*[#@]//')
major=${version%%.*}
minor=${version#*.}; minor=${minor%%.*}
for f in include/ipt.h "lib/libipt.so.$version" lib/libipt.a lib/pkgconfig/ipt.pc \
         lib/cmake/ipt/ipt-config.cmake lib/cmake/ipt/ipt-config-version.cmake; do
  [ -f "$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
[ "$(readlink "$prefix/lib/libipt.so.$major")" = "libipt.so.$version" ]
[ "$(readlink "$prefix/lib/libipt.so")" = "libipt.so.$major" ]
readelf -d "$prefix/lib/libipt.so.$version" | grep -q "Library soname: \[libipt.so.$major\]" \
  || { echo "libipt.so.$version has no SONAME libipt.so.$major"; exit 1; }
cmp -s include/ipt.h "$prefix/include/ipt.h"
# Nothing installed points back into the repository.
if grep -rl "$root" "$prefix/include" "$prefix/lib/pkgconfig" "$prefix/lib/cmake"; then
  echo "an installed file names the repository"; exit 1
fi
echo "installed: libipt.so.$version (SONAME libipt.so.$major), libipt.a, ipt.h, ipt.pc, ipt-config.cmake"
installed=(-I"$prefix/include" -L"$prefix/lib" -lipt -Wl,-rpath,"$prefix/lib")

echo "--> C harness, static library"
gcc "${cflags[@]}" tests/c/conformance.c "${static_libs[@]}" -o "$out/conformance_static"
"$out/conformance_static" tests/vectors

echo "--> C harness, shared library (installed)"
gcc "${cflags[@]}" tests/c/conformance.c "${installed[@]}" -o "$out/conformance_shared"
"$out/conformance_shared" tests/vectors

echo "--> torture: NULLs, the input bound at a guard page, dead and foreign handles, threads, 10^6 calls"
# Every function of the header is exercised by the torture program (or its table of named ones).
for fn in $(grep -oE '^[A-Za-z].*[ *]ipt_[a-z_]+\(' include/ipt.h | grep -oE 'ipt_[a-z_]+'); do
  grep -qw "$fn" tests/c/torture.c tests/c/named_operations.h || { echo "torture.c does not call $fn"; exit 1; }
done
gcc "${cflags[@]}" -pthread tests/c/torture.c "${static_libs[@]}" -o "$out/torture"
"$out/torture" 1000000

echo "--> the header as C++"
g++ -std=c++17 -Wall -Wextra -Werror -pedantic tests/c/header_cpp.cpp "${installed[@]}" -o "$out/header_cpp"
"$out/header_cpp"

echo "--> the header as C89 (-std=c89 -pedantic -Werror), and its version macros against the library"
gcc -std=c89 -pedantic -Werror -Wall -Wextra tests/c/header_c89.c "${installed[@]}" -o "$out/header_c89"
"$out/header_c89"

echo "--> valgrind (no errors; no definite, indirect or possible leaks)"
valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
  "$out/conformance_static" tests/vectors

echo "--> the installed shared library under valgrind (a course handle created and freed)"
valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
  "$out/header_cpp"

echo "--> the torture program under valgrind (2,000 calls in its memory loop)"
valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
  "$out/torture" 2000

echo "--> AddressSanitizer + UndefinedBehaviorSanitizer"
gcc "${cflags[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all \
  tests/c/conformance.c "${static_libs[@]}" -o "$out/conformance_asan"
ASAN_OPTIONS=detect_leaks=1 "$out/conformance_asan" tests/vectors
gcc "${cflags[@]}" -pthread -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all \
  tests/c/torture.c "${static_libs[@]}" -o "$out/torture_asan"
ASAN_OPTIONS=detect_leaks=1 "$out/torture_asan" 20000

echo "--> ipt_course_free racing ipt_course_apply and ipt_course_status on other threads (tests/c/race.c),"
echo "    the library (its Rust code too) and the program built with AddressSanitizer, then ThreadSanitizer"
# The sanitized libraries: debug builds of the static library alone, with nightly's sanitizers,
# each in a target directory of its own. ThreadSanitizer needs the standard library built with
# it too (-Zbuild-std): it cannot see the futex inside Rust's locks otherwise. The program is
# compiled with gcc's instrumentation and linked with nightly's own sanitizer runtime, the one
# the Rust code was instrumented for (gcc 12's libtsan lacks calls newer LLVM emits).
# ipt-core and serde_json at opt-level 0 here, not the dev profile's 1: the build takes less
# than half the time (24 s against 57 for AddressSanitizer's, measured alone), and the race
# test's 150 rounds do not need the speed.
unoptimised=(--config profile.dev.package.ipt-core.opt-level=0 --config profile.dev.package.serde_json.opt-level=0)
host=$(rustc -vV | sed -n 's/^host: //p')
runtimes=$(rustc +nightly --print sysroot)/lib/rustlib/$host/lib
for san in address thread; do
  std=()
  [ "$san" = thread ] && std=(-Zbuild-std)
  RUSTFLAGS="-Zsanitizer=$san" cargo +nightly rustc -q -p ipt-ffi --lib --crate-type staticlib \
    --target "$host" --target-dir "$root/target/sanitizer-$san" "${std[@]}" "${unoptimised[@]}"
  gcc "${cflags[@]}" -pthread -fsanitize="$san" -fno-omit-frame-pointer -c tests/c/race.c -o "$out/race_$san.o"
  gcc -pthread "$out/race_$san.o" "$root/target/sanitizer-$san/$host/debug/libipt.a" \
    -Wl,--whole-archive "$runtimes/librustc-nightly_rt.${san:0:1}san.a" -Wl,--no-whole-archive \
    -lpthread -ldl -lm -lrt -o "$out/race_$san"
  ASAN_OPTIONS=detect_leaks=1 TSAN_OPTIONS=halt_on_error=1 "$out/race_$san" 150
done

echo "--> the README's C example, against the installed library through pkg-config, outside the repository"
mkdir -p "$work/pkg-config"
awk '/<!-- example:c:start -->/{f=1;next}/<!-- example:c:end -->/{f=0}f' README.md | sed '/^```/d' > "$work/pkg-config/main.c"
diff -u examples/c/main.c "$work/pkg-config/main.c" || { echo "README C example and examples/c/main.c differ"; exit 1; }
(
  cd "$work/pkg-config"
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
  [ "$(pkg-config --modversion ipt)" = "$version" ]
  # shellcheck disable=SC2046
  gcc -std=c99 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -pedantic main.c \
    $(pkg-config --cflags --libs ipt) -Wl,-rpath,"$prefix/lib" -o readme_example
  readelf -d readme_example | grep -q "NEEDED.*\[libipt.so.$major\]" \
    || { echo "the program does not ask for libipt.so.$major"; exit 1; }
  [ "$(./readme_example)" = "contraindicated" ]
)
echo "pkg-config: ok"

echo "--> examples/c with CMake find_package(ipt), shared and static, outside the repository"
mkdir -p "$work/cmake"
cp examples/c/CMakeLists.txt examples/c/main.c "$work/cmake/"
for kind in shared static; do
  static=OFF; [ "$kind" = static ] && static=ON
  build=$work/cmake/build-$kind
  { cmake -S "$work/cmake" -B "$build" -DCMAKE_PREFIX_PATH="$prefix" -DIPT_STATIC=$static \
      && cmake --build "$build"; } > "$work/cmake-$kind.log" 2>&1 \
    || { cat "$work/cmake-$kind.log"; exit 1; }
  [ "$("$build/ipt_example")" = "contraindicated" ]
  if [ "$kind" = static ] && readelf -d "$build/ipt_example" | grep -q 'NEEDED.*libipt'; then
    echo "the static build needs libipt.so"; exit 1
  fi
done
# The version file: this major.minor is found; the next minor (an API change before 1.0) is not.
mkdir -p "$work/version"
for want in "$major.$minor" "$major.$((minor + 1))"; do
  printf 'cmake_minimum_required(VERSION 3.13)\nproject(v C)\nfind_package(ipt %s REQUIRED)\n' "$want" \
    > "$work/version/CMakeLists.txt"
  if cmake -S "$work/version" -B "$work/version/build-$want" -DCMAKE_PREFIX_PATH="$prefix" > "$work/version.log" 2>&1; then
    found=yes
  else
    found=no
  fi
  expected=no; [ "$want" = "$major.$minor" ] && expected=yes
  [ "$found" = "$expected" ] || { cat "$work/version.log"; echo "find_package(ipt $want): found=$found"; exit 1; }
done
echo "CMake: ok"

echo "--> miri on the binding's unsafe code"
cargo +nightly miri setup >/dev/null 2>&1 || cargo +nightly miri setup
cargo +nightly miri test -q -p ipt-ffi --lib
