//! Cancel tokens.

use crate::guard::guard;
use clickairtime::Cancel;
use pyo3::prelude::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A cancel token: core's `Cancel` over a shared flag (the flag also stops a bulk run). The package's
/// `clickairtime.CancelToken` wraps it; `cancel()` may be called from any thread.
#[pyclass(frozen, module = "clickairtime._native")]
pub(crate) struct NativeCancel {
    pub(crate) flag: Arc<AtomicBool>,
}

impl NativeCancel {
    fn token(&self) -> Cancel {
        Cancel::from(self.flag.clone())
    }
}

pub(crate) fn cancel_of(c: Option<PyRef<'_, NativeCancel>>) -> Option<Cancel> {
    c.map(|c| c.token())
}

#[pymethods]
impl NativeCancel {
    #[new]
    fn new(py: Python<'_>) -> PyResult<Self> {
        guard(py, "NativeCancel", || {
            Ok(NativeCancel {
                flag: Arc::new(AtomicBool::new(false)),
            })
        })
    }

    /// Cancel every call holding this token.
    fn cancel(&self, py: Python<'_>) -> PyResult<()> {
        guard(py, "NativeCancel.cancel", || {
            self.flag.store(true, Ordering::SeqCst);
            Ok(())
        })
    }

    #[getter]
    fn cancelled(&self, py: Python<'_>) -> PyResult<bool> {
        guard(py, "NativeCancel.cancelled", || {
            Ok(self.flag.load(Ordering::SeqCst))
        })
    }
}
