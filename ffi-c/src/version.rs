//! Version of the C API, at compile time (macros in the header) and at run time.
//!
//! The numbers are literals because cbindgen writes `#define`s only from literals; the build fails when they
//! differ from the crate version in Cargo.toml (see the assertions below), so a release bump cannot forget
//! them. `ca_version()` (the version string) is in helpers.rs.

/// Major version of the header (the library's version when the header was generated).
pub const CLICKAIRTIME_VERSION_MAJOR: u32 = 0;
/// Minor version of the header.
pub const CLICKAIRTIME_VERSION_MINOR: u32 = 1;
/// Patch version of the header.
pub const CLICKAIRTIME_VERSION_PATCH: u32 = 0;
/// MAJOR * 10000 + MINOR * 100 + PATCH, for `#if CLICKAIRTIME_VERSION_NUMBER >= 100` style checks; compare
/// it with `ca_version_number()` to detect a header/library mismatch at run time.
pub const CLICKAIRTIME_VERSION_NUMBER: u32 = CLICKAIRTIME_VERSION_MAJOR * 10000
    + CLICKAIRTIME_VERSION_MINOR * 100
    + CLICKAIRTIME_VERSION_PATCH;

const fn parse(s: &str) -> u32 {
    let b = s.as_bytes();
    let mut i = 0;
    let mut n = 0u32;
    while i < b.len() {
        assert!(b[i].is_ascii_digit(), "version component is not a number");
        n = n * 10 + (b[i] - b'0') as u32;
        i += 1;
    }
    n
}

const _: () = assert!(
    CLICKAIRTIME_VERSION_MAJOR == parse(env!("CARGO_PKG_VERSION_MAJOR"))
        && CLICKAIRTIME_VERSION_MINOR == parse(env!("CARGO_PKG_VERSION_MINOR"))
        && CLICKAIRTIME_VERSION_PATCH == parse(env!("CARGO_PKG_VERSION_PATCH")),
    "ffi-c/src/version.rs: the CLICKAIRTIME_VERSION_* constants differ from the crate version; update them \
     and regenerate include/clickairtime.h"
);

/// Version of the loaded library as MAJOR * 10000 + MINOR * 100 + PATCH (0.1.0 gives 100). Differs from
/// CLICKAIRTIME_VERSION_NUMBER when the program was compiled against another header than the library it runs
/// with.
#[unsafe(no_mangle)]
pub extern "C" fn ca_version_number() -> u32 {
    CLICKAIRTIME_VERSION_NUMBER
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::{CStr, c_char};

    #[test]
    fn matches_the_version_string() {
        // SAFETY: ca_version returns a static NUL-terminated string.
        let s = unsafe { CStr::from_ptr(crate::ca_version() as *const c_char) };
        let parts = format!(
            "{CLICKAIRTIME_VERSION_MAJOR}.{CLICKAIRTIME_VERSION_MINOR}.{CLICKAIRTIME_VERSION_PATCH}"
        );
        assert_eq!(s.to_str().unwrap(), parts);
        assert_eq!(
            ca_version_number(),
            100 * (100 * CLICKAIRTIME_VERSION_MAJOR + CLICKAIRTIME_VERSION_MINOR)
                + CLICKAIRTIME_VERSION_PATCH
        );
    }
}
