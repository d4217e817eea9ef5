//! Settling Promises from the SDK's threads. Each JS environment (the main thread, each worker thread) has ONE
//! threadsafe function, made on its first asynchronous call and kept for the environment's life: a finished
//! call posts its result to it (no allocation of a threadsafe function, no `uv_async` handle to open and
//! close per call, as a `JsDeferred` would), and Node runs every result queued since its last wake-up in one
//! pass on the JS thread, where each is converted into JS values and its Promise resolved or rejected.
//!
//! The threadsafe function keeps the event loop alive only while a call of its environment is pending (it is
//! `ref`'d when the first one starts and `unref`'d when the last one settles), as one `JsDeferred` per call
//! did. When the environment tears down (a worker thread ends) while calls are still running, a cleanup hook,
//! which Node runs before it frees the threadsafe function, detaches it under the lock the SDK's threads post
//! through: results that come later are dropped, never posted to freed memory.

use crate::{Out, guarded, js_error, pool};
use napi::bindgen_prelude::*;
use napi::{Env, JsError};
use std::cell::RefCell;
use std::ffi::c_void;
use std::ptr;
use std::sync::{Arc, Mutex};

/// A finished call's result, turned into a JS value on the JS thread: `Ok` resolves, `Err` rejects.
type Settle =
    Box<dyn FnOnce(sys::napi_env) -> std::result::Result<sys::napi_value, sys::napi_value> + Send>;

/// What travels from an SDK thread to the JS thread: the Promise to settle and how.
struct Done {
    deferred: sys::napi_deferred,
    settle: Settle,
}

// SAFETY: the deferred handle is only used on the JS thread (in `call_js`); on an SDK thread it is only moved.
unsafe impl Send for Done {}

/// The threadsafe function, as the SDK's threads see it: `None` once the environment is tearing down.
struct Shared {
    tsfn: Mutex<Option<Tsfn>>,
}

struct Tsfn(sys::napi_threadsafe_function);

// SAFETY: a threadsafe function is made to be called from any thread.
unsafe impl Send for Tsfn {}

/// The JS thread's side of its environment's channel.
struct Local {
    env: sys::napi_env,
    tsfn: sys::napi_threadsafe_function,
    shared: Arc<Shared>,
    /// Calls started and not settled yet (the threadsafe function is `ref`'d while this is above 0).
    pending: usize,
}

thread_local! {
    static LOCAL: RefCell<Option<Local>> = const { RefCell::new(None) };
}

fn status(s: sys::napi_status, what: &str) -> Result<()> {
    if s == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(Error::new(Status::GenericFailure, format!("cannot {what}")))
    }
}

/// The environment's channel (made on first use), counted as carrying one more pending call.
fn open(env: sys::napi_env) -> Result<Arc<Shared>> {
    LOCAL.with(|l| {
        let mut l = l.borrow_mut();
        if l.as_ref().map(|x| x.env) != Some(env) {
            *l = Some(create(env)?);
        }
        let local = l.as_mut().expect("the channel was just made");
        if local.pending == 0 {
            status(
                unsafe { sys::napi_ref_threadsafe_function(env, local.tsfn) },
                "keep the event loop alive for a call",
            )?;
        }
        local.pending += 1;
        Ok(Arc::clone(&local.shared))
    })
}

/// A call's Promise will never be settled (its start failed after `open`): uncount it.
fn close_one(env: sys::napi_env) {
    let _ = LOCAL.try_with(|l| {
        if let Ok(mut l) = l.try_borrow_mut()
            && let Some(local) = l.as_mut().filter(|x| x.env == env)
        {
            local.pending = local.pending.saturating_sub(1);
            if local.pending == 0 {
                unsafe { sys::napi_unref_threadsafe_function(env, local.tsfn) };
            }
        }
    });
}

fn create(env: sys::napi_env) -> Result<Local> {
    let name = c"clickairtime";
    let mut js_name = ptr::null_mut();
    status(
        unsafe { sys::napi_create_string_utf8(env, name.as_ptr(), 12, &mut js_name) },
        "name the settling channel",
    )?;
    let mut tsfn = ptr::null_mut();
    status(
        unsafe {
            sys::napi_create_threadsafe_function(
                env,
                ptr::null_mut(),
                ptr::null_mut(),
                js_name,
                0,
                1,
                ptr::null_mut(),
                None,
                ptr::null_mut(),
                Some(call_js),
                &mut tsfn,
            )
        },
        "create the settling channel",
    )?;
    // not pending yet: the channel alone must not keep the process alive
    unsafe { sys::napi_unref_threadsafe_function(env, tsfn) };
    let shared = Arc::new(Shared {
        tsfn: Mutex::new(Some(Tsfn(tsfn))),
    });
    // registered after the threadsafe function, so it runs before Node frees it (hooks run in reverse order)
    let hook = Arc::into_raw(Arc::clone(&shared)) as *mut c_void;
    let s = unsafe { sys::napi_add_env_cleanup_hook(env, Some(teardown), hook) };
    if s != sys::Status::napi_ok {
        drop(unsafe { Arc::from_raw(hook as *const Shared) });
        *shared.tsfn.lock().unwrap_or_else(|e| e.into_inner()) = None;
        return Err(Error::new(
            Status::GenericFailure,
            "cannot guard the settling channel".to_owned(),
        ));
    }
    Ok(Local {
        env,
        tsfn,
        shared,
        pending: 0,
    })
}

/// The environment is tearing down: detach the threadsafe function before Node frees it.
unsafe extern "C" fn teardown(arg: *mut c_void) {
    let shared = unsafe { Arc::from_raw(arg as *const Shared) };
    *shared.tsfn.lock().unwrap_or_else(|e| e.into_inner()) = None;
    let _ = LOCAL.try_with(|l| {
        if let Ok(mut l) = l.try_borrow_mut()
            && l.as_ref().is_some_and(|x| Arc::ptr_eq(&x.shared, &shared))
        {
            *l = None;
        }
    });
}

/// On an SDK thread: hand a result to the JS thread (dropped if its environment is gone).
fn post(shared: &Shared, done: Box<Done>) {
    let guard = shared.tsfn.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(t) = guard.as_ref() {
        let raw = Box::into_raw(done);
        let s = unsafe {
            sys::napi_call_threadsafe_function(
                t.0,
                raw.cast(),
                sys::ThreadsafeFunctionCallMode::nonblocking,
            )
        };
        if s != sys::Status::napi_ok {
            drop(unsafe { Box::from_raw(raw) });
        }
    }
}

/// On the JS thread: settle one Promise. `env` is null when Node drops queued calls at teardown.
unsafe extern "C" fn call_js(
    env: sys::napi_env,
    _callback: sys::napi_value,
    _context: *mut c_void,
    data: *mut c_void,
) {
    if data.is_null() {
        return;
    }
    let done = unsafe { Box::from_raw(data as *mut Done) };
    if env.is_null() {
        return;
    }
    close_one(env);
    let Done { deferred, settle } = *done;
    let settled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| settle(env)));
    let settled = settled.unwrap_or_else(|_| {
        Err(unsafe {
            JsError::from(Error::new(
                Status::GenericFailure,
                "internal error: converting a result panicked; please report it".to_owned(),
            ))
            .into_value(env)
        })
    });
    unsafe {
        match settled {
            Ok(v) => sys::napi_resolve_deferred(env, deferred, v),
            Err(e) => sys::napi_reject_deferred(env, deferred, e),
        };
    }
}

/// Start `work` on one of the SDK's threads (panics caught) and return a Promise of its result: resolved with
/// the converted value on the JS thread, or rejected with a `ClickAirtimeError`. `send` (the reference and
/// key of a send) makes a panic `OUTCOME_UNKNOWN` with them.
pub(crate) fn promise<'e, T>(
    env: &'e Env,
    send: Option<(String, Option<String>)>,
    work: impl FnOnce() -> Out<T> + Send + 'static,
) -> Result<Object<'e>>
where
    T: ToNapiValue + Send + 'static,
{
    let raw = env.raw();
    let shared = open(raw)?;
    let mut deferred = ptr::null_mut();
    let mut promise = ptr::null_mut();
    if let Err(e) = status(
        unsafe { sys::napi_create_promise(raw, &mut deferred, &mut promise) },
        "create a Promise",
    ) {
        close_one(raw);
        return Err(e);
    }
    let deferred = SendDeferred(deferred);
    pool::submit(move || {
        let send = send.as_ref().map(|(r, k)| (r.as_str(), k.as_deref()));
        let out = guarded(send, work);
        let settle: Settle = Box::new(move |env| match out {
            Ok(v) => unsafe { T::to_napi_value(env, v) }
                .map_err(|e| unsafe { JsError::from(e).into_value(env) }),
            Err(info) => {
                let e = js_error(&Env::from_raw(env), *info);
                Err(unsafe { JsError::from(e).into_value(env) })
            }
        });
        let deferred = deferred;
        post(
            &shared,
            Box::new(Done {
                deferred: deferred.0,
                settle,
            }),
        );
    });
    unsafe { Object::from_napi_value(raw, promise) }
}

struct SendDeferred(sys::napi_deferred);

// SAFETY: only moved through the SDK's thread, used on the JS thread (see `Done`).
unsafe impl Send for SendDeferred {}
