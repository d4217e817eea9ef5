//! Step-by-step waits (core's `wait_steps`).

use crate::errors::check;
use crate::guard::guard;
use crate::logging::detach;
use crate::response::with_meta;
use crate::v1::transactions::Transaction;
use crate::v2::topups::TopUp;
use clickairtime::response::Response;
use clickairtime::{Error as CoreError, WaitStep, v1, v2};
use pyo3::prelude::*;
use pyo3::types::PyFloat;
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

/// A finished wait's answer: the core's record, made into its model under the GIL like every other answer.
enum Done {
    V2(Response<clickairtime::v2::TopUp>),
    V1(Response<clickairtime::v1::Transaction>),
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
                        WaitStep::Done(r) => Ok(WaitStep::Done(Done::V2(r))),
                        WaitStep::Sleep(d) => Ok(WaitStep::Sleep(d)),
                    },
                    WaitInner::V1(w) => match w.step()? {
                        WaitStep::Done(r) => Ok(WaitStep::Done(Done::V1(r))),
                        WaitStep::Sleep(d) => Ok(WaitStep::Sleep(d)),
                    },
                }
            });
            match check(py, r)? {
                WaitStep::Done(Done::V2(r)) => Ok((true, with_meta(py, TopUp::DECL, r)?)),
                WaitStep::Done(Done::V1(r)) => Ok((true, with_meta(py, Transaction::DECL, r)?)),
                WaitStep::Sleep(d) => {
                    Ok((false, PyFloat::new(py, d.as_secs_f64()).into_any().unbind()))
                }
            }
        })
    }
}
