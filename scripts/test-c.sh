#!/usr/bin/env bash
# The C library: build it, run the C conformance harness against the static and the shared
# library and the torture program (tests/c/torture.c), compile the header as C++, run both
# under valgrind and AddressSanitizer, compile and run the README's C example through
# pkg-config, and run miri on the binding's unsafe code. Installs what it needs, idempotently.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/target/c
mkdir -p "$out"

need_apt=()
command -v valgrind >/dev/null || need_apt+=(valgrind)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
command -v g++ >/dev/null || need_apt+=(g++)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

echo "--> cargo build --release -p ipt-ffi"
cargo build -q --release -p ipt-ffi
lib=$root/target/release
cflags=(-std=c99 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -pedantic -O1 -g -I"$root/include")
static_libs=("$lib/libipt.a" -lpthread -ldl -lm)

echo "--> C harness, static library"
gcc "${cflags[@]}" tests/c/conformance.c "${static_libs[@]}" -o "$out/conformance_static"
"$out/conformance_static" tests/vectors

echo "--> C harness, shared library"
gcc "${cflags[@]}" tests/c/conformance.c -L"$lib" -lipt -Wl,-rpath,"$lib" -o "$out/conformance_shared"
"$out/conformance_shared" tests/vectors

echo "--> torture: NULLs, the input bound at a guard page, dead and foreign handles, threads, 10^6 calls"
# Every function of the header is exercised by the torture program (or its table of named ones).
for fn in $(grep -oE '^[A-Za-z].*[ *]ipt_[a-z_]+\(' include/ipt.h | grep -oE 'ipt_[a-z_]+'); do
  grep -qw "$fn" tests/c/torture.c tests/c/named_operations.h || { echo "torture.c does not call $fn"; exit 1; }
done
gcc "${cflags[@]}" -pthread tests/c/torture.c "${static_libs[@]}" -o "$out/torture"
"$out/torture" 1000000

echo "--> the header as C++"
g++ -std=c++17 -Wall -Wextra -Werror -pedantic -I"$root/include" tests/c/header_cpp.cpp -L"$lib" -lipt -Wl,-rpath,"$lib" -o "$out/header_cpp"
"$out/header_cpp"

echo "--> valgrind (no errors; no definite, indirect or possible leaks)"
valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
  "$out/conformance_static" tests/vectors

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

echo "--> the README's C example, built through pkg-config"
awk '/<!-- example:c:start -->/{f=1;next}/<!-- example:c:end -->/{f=0}f' README.md | sed '/^```/d' > "$out/readme_example.c"
diff -u examples/c/main.c "$out/readme_example.c" || { echo "README C example and examples/c/main.c differ"; exit 1; }
prefix=$out/prefix
mkdir -p "$prefix/lib/pkgconfig" "$prefix/include"
cp include/ipt.h "$prefix/include/"
cp "$lib/libipt.so" "$prefix/lib/"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" ipt-ffi/ipt.pc.in > "$prefix/lib/pkgconfig/ipt.pc"
# shellcheck disable=SC2046
gcc -std=c99 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -pedantic "$out/readme_example.c" \
  $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs ipt) -Wl,-rpath,"$prefix/lib" -o "$out/readme_example"
[ "$("$out/readme_example")" = "contraindicated" ]
echo "README example: ok"

echo "--> miri on the binding's unsafe code"
if ! rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^miri'; then
  rustup toolchain install nightly --profile minimal
  rustup component add --toolchain nightly miri rust-src
fi
cargo +nightly miri setup >/dev/null 2>&1 || cargo +nightly miri setup
cargo +nightly miri test -q -p ipt-ffi --lib
