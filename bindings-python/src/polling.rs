//! Step-by-step waits (core's `wait_steps`).

use crate::errors::check;
use crate::guard::guard;
use crate::logging::detach;
use crate::model::{Make, attach_core};
use crate::response::core_meta;
use crate::v1::transactions::Transaction;
use crate::v2::topups::TopUp;
use clickairtime::response::Response;
use clickairtime::{Error as CoreError, ErrorKind, WaitStep, v1, v2};
use pyo3::prelude::*;
use pyo3::types::PyFloat;
use serde_json::Value;
use std::sync::Mutex;

type CoreResult<T> = Result<T, CoreError>;

pub(crate) enum WaitInner {
    V2(v2::TopUpWait),
    V1(v1::TransactionWait),
}

/// A wait driven step by step (core's `wait_steps`): each `step()` makes one exchange, without the GIL,
/// and says whether the wait is over or how long to sleep before the next step. The package sleeps between
/// steps on its own (`asyncio.sleep` in `clickairtime.aio`, an interruptible wait in the blocking clients),
/// so a pending wait holds no thread.
#[pyclass(frozen, module = "clickairtime._native")]
pub(crate) struct NativeWait {
    pub(crate) inner: Mutex<WaitInner>,
}

/// A finished wait's answer, converted off the GIL: the record as JSON, the core's meta (made into a Python
/// `Meta` on the first `.meta`, as for every other call), and the record's model.
type Done = (Value, clickairtime::response::Meta, Make);

fn done<T: serde::Serialize>(r: &Response<T>, make: Make) -> CoreResult<Done> {
    let json = |v: serde_json::Result<Value>| {
        v.map_err(|e| {
            CoreError::new(
                ErrorKind::UnexpectedResponse,
                format!("cannot convert a record: {e}"),
            )
        })
    };
    Ok((json(serde_json::to_value(&r.data))?, r.meta.clone(), make))
}

#[pymethods]
impl NativeWait {
    /// `(True, record)` (a `TopUp` or `Transaction` with `.meta`) when the wait is over, `(False, seconds)`
    /// to sleep before the next step. Errors as the blocking wait's (`StillPending` past the deadline,
    /// `Cancelled` once the token fired).
    fn step(&self, py: Python<'_>) -> PyResult<(bool, Py<PyAny>)> {
        guard(py, "NativeWait.step", || {
            let r: CoreResult<WaitStep<Done>> = detach(py, || {
                let mut w = self.inner.lock().unwrap_or_else(|p| p.into_inner());
                match &mut *w {
                    WaitInner::V2(w) => match w.step()? {
                        WaitStep::Done(r) => Ok(WaitStep::Done(done(&r, TopUp::make)?)),
                        WaitStep::Sleep(d) => Ok(WaitStep::Sleep(d)),
                    },
                    WaitInner::V1(w) => match w.step()? {
                        WaitStep::Done(r) => Ok(WaitStep::Done(done(&r, Transaction::make)?)),
                        WaitStep::Sleep(d) => Ok(WaitStep::Sleep(d)),
                    },
                }
            });
            match check(py, r)? {
                WaitStep::Done((data, meta, make)) => {
                    let obj = make(py, &data)?;
                    attach_core(py, &obj, meta, core_meta)?;
                    Ok((true, obj))
                }
                WaitStep::Sleep(d) => {
                    Ok((false, PyFloat::new(py, d.as_secs_f64()).into_any().unbind()))
                }
            }
        })
    }
}
