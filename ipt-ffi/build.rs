//! Names the shared library for the dynamic linker, as a versioned C library is named: SONAME
//! `libipt.so.<major>` on ELF systems and install name `@rpath/libipt.<major>.dylib` on macOS,
//! so that a program linked against it asks for that name at run time. The install script
//! (`scripts/install-c.sh`) installs the file as `libipt.so.<major>.<minor>.<patch>` with the
//! links `libipt.so.<major>` and `libipt.so`. Only the cdylib's link is changed: no RUSTFLAGS,
//! so the release build stays the one every other build step shares.

use std::env;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let major = env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".to_owned());
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    match os.as_str() {
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" | "illumos"
        | "solaris" => {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libipt.so.{major}");
        }
        "macos" | "ios" => {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-install_name,@rpath/libipt.{major}.dylib");
        }
        _ => {}
    }
}
