//! What V1 and V2 waits share: one step of a wait driven from JS, and the options of a blocking wait.

use crate::args::{ArgResult, Call, bad, top};
use crate::options::WaitOptions;
use crate::types::FromCore;
use clickairtime::WaitStep;
use napi::bindgen_prelude::*;
use napi::{Env, JsValue};

/// `options` of a `…Sync` wait: a `signal` there is a mistake (nothing can abort a blocking call).
pub(crate) fn sync_wait_options(v: Unknown, call: &'static str) -> ArgResult<Option<WaitOptions>> {
    if v.get_type().ok() == Some(napi::ValueType::Object) {
        let o: Object = unsafe { v.cast() }.map_err(|_| bad("options", "cannot be read"))?;
        if o.has_named_property("signal").unwrap_or(false) {
            return Err(bad(
                "signal",
                "the …Sync twins cannot be cancelled (they block the thread, so nothing could abort them): use the Promise form, e.g. wait(id, { signal })",
            ));
        }
    }
    top(v, "options", Call::plain(call))
}

/// What one step of a wait found: the result (`done`), or how long to sleep before the next step.
pub enum Step<T> {
    /// Terminal: the wait is over.
    Done(T),
    /// Not yet: sleep this long (ms), then step again.
    Sleep(f64),
}

impl<T: ToNapiValue> ToNapiValue for Step<T> {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        let env_ = Env::from_raw(env);
        let mut o = Object::new(&env_)?;
        match val {
            Step::Done(v) => {
                o.set_named_property("done", true)?;
                o.set_named_property("value", v)?;
            }
            Step::Sleep(ms) => {
                o.set_named_property("done", false)?;
                o.set_named_property("sleepMs", ms)?;
            }
        }
        Ok(o.raw())
    }
}

pub(crate) fn step<C, T: FromCore<C>>(
    s: clickairtime::Result<WaitStep<clickairtime::Response<C>>>,
) -> clickairtime::Result<Step<T>> {
    Ok(match s? {
        WaitStep::Done(r) => Step::Done(T::from_core(r)),
        WaitStep::Sleep(d) => Step::Sleep(d.as_millis() as f64),
    })
}
