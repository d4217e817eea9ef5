//! The only place that touches raw pointers: argument checks (NULL, UTF-8), output writes, handle
//! allocation and release, and the panic boundary every exported function runs inside.
//!
//! Contract with C (documented in the header): a non-NULL pointer given to a function points to a valid
//! object of the documented type (a handle this library returned and did not free yet, a NUL-terminated
//! string, or a buffer of the stated length), and a handle is not freed while another call uses it.

pub(crate) use crate::fail::cstring;
use crate::fail::{Fail, ca_error};
use crate::result::ca_result;
use std::collections::HashMap;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;
use std::sync::Mutex;

/// Result of the body of an exported function.
pub(crate) type FfiResult<T> = Result<T, Fail>;

/// Run `f` behind the panic boundary; on failure, store a new `ca_error` in `*error_out` when it is not NULL.
pub(crate) fn run(error_out: *mut *mut ca_error, f: impl FnOnce() -> FfiResult<()>) -> ca_result {
    let fail = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => return ca_result::CA_OK,
        Ok(Err(fail)) => fail,
        Err(payload) => Fail::from_panic(payload),
    };
    let rc = fail.result;
    if error_out.is_null() {
        return rc;
    }
    if let Ok(e) = catch_unwind(AssertUnwindSafe(|| {
        Box::into_raw(Box::new(ca_error::from_fail(fail)))
    })) {
        // SAFETY: non-NULL `error_out` points to a writable `ca_error *` (caller contract).
        unsafe { error_out.write(e) };
    }
    rc
}

/// Run `f` behind the panic boundary for functions that return a plain value; a panic gives `default`.
pub(crate) fn value<R>(default: R, f: impl FnOnce() -> R) -> R {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(default)
}

/// A required handle argument.
pub(crate) fn arg<'a, T>(p: *const T, name: &str) -> FfiResult<&'a T> {
    // SAFETY: non-NULL handles point to live objects of type T (caller contract).
    unsafe { p.as_ref() }.ok_or_else(|| Fail::null(name))
}

/// A required handle argument that the call modifies (builders; not for concurrent use).
pub(crate) fn arg_mut<'a, T>(p: *mut T, name: &str) -> FfiResult<&'a mut T> {
    // SAFETY: as `arg`, and the caller does not use the handle from another thread meanwhile.
    unsafe { p.as_mut() }.ok_or_else(|| Fail::null(name))
}

/// An optional handle argument (NULL means "none").
pub(crate) fn opt_arg<'a, T>(p: *const T) -> Option<&'a T> {
    // SAFETY: as `arg`.
    unsafe { p.as_ref() }
}

/// A required NUL-terminated UTF-8 string.
pub(crate) fn arg_str<'a>(p: *const c_char, name: &str) -> FfiResult<&'a str> {
    opt_str(p, name)?.ok_or_else(|| Fail::null(name))
}

/// An optional NUL-terminated UTF-8 string (NULL means "none").
pub(crate) fn opt_str<'a>(p: *const c_char, name: &str) -> FfiResult<Option<&'a str>> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL strings are NUL-terminated and live for the call (caller contract).
    let c = unsafe { CStr::from_ptr(p) };
    c.to_str().map(Some).map_err(|_| Fail::utf8(name))
}

/// A required byte buffer of `len` bytes (may be empty, but not NULL).
pub(crate) fn arg_bytes<'a>(p: *const u8, len: usize, name: &str) -> FfiResult<&'a [u8]> {
    if p.is_null() {
        return Err(Fail::null(name));
    }
    if len == 0 {
        return Ok(&[]);
    }
    // SAFETY: `p` points to at least `len` readable bytes (caller contract).
    Ok(unsafe { std::slice::from_raw_parts(p, len) })
}

/// An output pointer, checked before any work is done and written only on success.
pub(crate) struct Out<T>(*mut T);

impl<T> Out<T> {
    pub(crate) fn write(self, v: T) {
        // SAFETY: checked non-NULL in `out`; points to writable storage for a T (caller contract).
        unsafe { self.0.write(v) }
    }
}

/// Check an output pointer.
pub(crate) fn out<T>(p: *mut T, name: &str) -> FfiResult<Out<T>> {
    if p.is_null() {
        Err(Fail::null(name))
    } else {
        Ok(Out(p))
    }
}

/// A caller-provided character buffer, checked before any work is done.
pub(crate) struct Buf {
    p: *mut c_char,
    len: usize,
}

/// Check a caller buffer (`len` bytes at `p`).
pub(crate) fn buf(p: *mut c_char, len: usize, name: &str) -> FfiResult<Buf> {
    if p.is_null() {
        Err(Fail::null(name))
    } else {
        Ok(Buf { p, len })
    }
}

impl Buf {
    /// Copy `s` and a NUL terminator; `CA_ERR_BUFFER_TOO_SMALL` (buffer untouched) when it does not fit.
    pub(crate) fn write(self, s: &str, written_out: *mut usize) -> FfiResult<()> {
        let need = s.len() + 1;
        if self.len < need {
            return Err(Fail::new(
                ca_result::CA_ERR_BUFFER_TOO_SMALL,
                format!("buffer of {} bytes is too small: {} needed", self.len, need),
            ));
        }
        // SAFETY: the buffer has `self.len >= need` writable bytes (caller contract); `s` does not overlap it.
        unsafe {
            ptr::copy_nonoverlapping(s.as_ptr(), self.p.cast::<u8>(), s.len());
            self.p.add(s.len()).write(0);
            if !written_out.is_null() {
                written_out.write(s.len());
            }
        }
        Ok(())
    }
}

/// Move a value to the heap for C.
pub(crate) fn into_handle<T>(v: T) -> *mut T {
    Box::into_raw(Box::new(v))
}

/// Release a handle made by `into_handle`; NULL does nothing.
pub(crate) fn free_handle<T>(p: *mut T) {
    if p.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `p` came from `into_handle::<T>` and is freed once (caller contract).
        drop(unsafe { Box::from_raw(p) })
    }));
}

/// A `char *` the caller owns and releases with `ca_string_free`.
pub(crate) fn owned_string(s: impl Into<String>) -> *mut c_char {
    cstring(s).into_raw()
}

/// Release a string from `owned_string`; NULL does nothing.
pub(crate) fn free_owned_string(p: *mut c_char) {
    if p.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `p` came from `CString::into_raw` in `owned_string` and is freed once (caller contract).
        drop(unsafe { CString::from_raw(p) })
    }));
}

/// Strings a handle has handed out, kept until the handle is freed (so `const char *` getters stay valid).
#[derive(Default)]
pub(crate) struct StrCache(Mutex<HashMap<(&'static str, usize), Option<CString>>>);

impl StrCache {
    fn get(
        &self,
        key: &'static str,
        index: usize,
        f: impl FnOnce() -> Option<String>,
    ) -> *const c_char {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        // a CString's bytes live on the heap: they do not move when the map grows
        map.entry((key, index))
            .or_insert_with(|| f().map(cstring))
            .as_ref()
            .map_or(ptr::null(), |c| c.as_ptr())
    }
}

/// A handle with a string cache.
pub(crate) trait Cached {
    fn cache(&self) -> &StrCache;
}

/// String getter: NULL for a NULL handle, an absent value or a panic; else owned by the handle.
pub(crate) fn get_str<T: Cached>(
    h: *const T,
    key: &'static str,
    f: impl FnOnce(&T) -> Option<String>,
) -> *const c_char {
    value(ptr::null(), || match opt_arg(h) {
        Some(h) => h.cache().get(key, 0, || f(h)),
        None => ptr::null(),
    })
}

/// Indexed string getter (items of a list).
pub(crate) fn get_str_at<T: Cached>(
    h: *const T,
    key: &'static str,
    index: usize,
    f: impl FnOnce(&T, usize) -> Option<String>,
) -> *const c_char {
    value(ptr::null(), || match opt_arg(h) {
        Some(h) => h.cache().get(key, index, || f(h, index)),
        None => ptr::null(),
    })
}

/// Plain-value getter: `default` for a NULL handle or a panic.
pub(crate) fn get_val<T, R: Copy>(h: *const T, default: R, f: impl FnOnce(&T) -> R) -> R {
    value(default, || opt_arg(h).map_or(default, f))
}

/// Borrowed sub-handle getter (an item of a list, the meta of a response): NULL when absent.
pub(crate) fn get_ref<T, U>(h: *const T, f: impl FnOnce(&T) -> Option<&U>) -> *const U {
    value(ptr::null(), || {
        opt_arg(h)
            .and_then(f)
            .map_or(ptr::null(), |u| u as *const U)
    })
}

/// Write an optional out-value (NULL out pointers are skipped).
pub(crate) fn put<T>(p: *mut T, v: T) {
    if !p.is_null() {
        // SAFETY: non-NULL out pointers point to writable storage (caller contract).
        unsafe { p.write(v) }
    }
}
