//! Gives the shared library its ABI name.
//!
//! - Linux (and the other ELF systems): SONAME `libclickairtime.so.<abi>`, where `<abi>` is the major
//!   version, or `0.<minor>` while the major version is 0 (a 0.x minor release may break the ABI). The
//!   packaged file is `libclickairtime.so.<version>`, with the links `libclickairtime.so.<abi>` (what programs
//!   load) and `libclickairtime.so` (what `-lclickairtime` finds); `make -C ffi-c install` and
//!   `scripts/dist.sh` create them.
//! - macOS: install name `@rpath/libclickairtime.<abi>.dylib` (scripts/dist.sh names the file so).
//! - Windows: `clickairtime.dll` carries no version in its name; nothing to do.
//!
//! Programs linked in the source tree (`-L target/<triple>/<profile> -lclickairtime` plus an rpath, as the
//! tests and benchmarks do) look for the SONAME in that directory, so the `libclickairtime.so.<abi>` link is
//! also made there, next to the library cargo writes.

use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let major = env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
    let minor = env::var("CARGO_PKG_VERSION_MINOR").unwrap_or_else(|_| "0".into());
    let abi = if major == "0" {
        format!("0.{minor}")
    } else {
        major
    };
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    match os.as_str() {
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" | "illumos"
        | "solaris" => {
            let soname = format!("libclickairtime.so.{abi}");
            println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
            link_in_tree(&soname);
        }
        "macos" | "ios" => {
            println!(
                "cargo:rustc-cdylib-link-arg=-Wl,-install_name,@rpath/libclickairtime.{abi}.dylib"
            );
        }
        _ => {}
    }
}

/// `<artifact dir>/libclickairtime.so.<abi> -> libclickairtime.so`. OUT_DIR is
/// `<artifact dir>/build/clickairtime-ffi-<hash>/out`. Best effort: a failure only affects in-tree runs.
#[cfg(unix)]
fn link_in_tree(soname: &str) {
    let Some(out) = env::var_os("OUT_DIR").map(PathBuf::from) else {
        return;
    };
    let Some(dir) = out.ancestors().nth(3) else {
        return;
    };
    let link = dir.join(soname);
    if std::fs::symlink_metadata(&link).is_err() {
        let _ = std::os::unix::fs::symlink("libclickairtime.so", &link);
    }
}

#[cfg(not(unix))]
fn link_in_tree(_soname: &str) {}
