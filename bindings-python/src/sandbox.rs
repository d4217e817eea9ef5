//! The in-process emulator.

use crate::convert::{json_to_py, secs};
use crate::errors::py_error;
use crate::guard::guard;
use crate::logging::detach;
use clickairtime::Error as CoreError;
use clickairtime_sandbox::{
    DuplicateMode, Fault, FaultKind, IdempotencyMode, Sandbox, SandboxConfig,
};
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use std::str::FromStr;
use std::sync::Mutex;

/// The in-process emulator; `clickairtime.sandbox.Sandbox` wraps it.
#[pyclass(frozen, module = "clickairtime._native")]
pub(crate) struct NativeSandbox {
    inner: Mutex<Option<Sandbox>>,
    #[pyo3(get)]
    base_url: String,
    #[pyo3(get)]
    port: u16,
    #[pyo3(get)]
    api_key: String,
    #[pyo3(get)]
    v1_email: String,
    #[pyo3(get)]
    v1_token: String,
}

impl NativeSandbox {
    fn with<T: Send>(&self, py: Python<'_>, f: impl FnOnce(&Sandbox) -> T + Send) -> PyResult<T> {
        detach(py, || {
            let guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            guard.as_ref().map(f)
        })
        .ok_or_else(|| invalid(py, "sandbox", "is stopped (it was closed)"))
    }
}

/// A `ValidationError` (code `INVALID_INPUT`) naming `field`: every bad sandbox setting is one.
pub(crate) fn invalid(py: Python<'_>, field: &str, message: impl std::fmt::Display) -> PyErr {
    py_error(py, &CoreError::invalid(field, message.to_string()))
}

pub(crate) fn sandbox_io_error(py: Python<'_>, e: std::io::Error) -> PyErr {
    if e.kind() == std::io::ErrorKind::InvalidInput {
        // the one setting the sandbox checks itself: a fixed api_key must look like a real one
        invalid(py, "api_key", e)
    } else {
        PyOSError::new_err(e.to_string())
    }
}

#[pymethods]
impl NativeSandbox {
    #[new]
    #[pyo3(signature = (*, port=0, api_key=None, v1_email=None, v1_token=None, processing_after=None,
        complete_after=None, slow_delay=None, duplicate_window=None, rate_limit_per_minute=None,
        duplicate_mode=None, idempotency_mode=None, v1_duplicate_window=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        port: u16,
        api_key: Option<String>,
        v1_email: Option<String>,
        v1_token: Option<String>,
        processing_after: Option<f64>,
        complete_after: Option<f64>,
        slow_delay: Option<f64>,
        duplicate_window: Option<f64>,
        rate_limit_per_minute: Option<u32>,
        duplicate_mode: Option<String>,
        idempotency_mode: Option<String>,
        v1_duplicate_window: Option<f64>,
    ) -> PyResult<Self> {
        guard(py, "NativeSandbox", || {
            let mut c = SandboxConfig::default().port(port);
            if let Some(k) = api_key {
                c = c.api_key(k);
            }
            if let Some(e) = v1_email {
                c = c.v1_email(e);
            }
            if let Some(t) = v1_token {
                c = c.v1_token(t);
            }
            let dur = |field: &str, v| secs(field, v).map_err(|e| py_error(py, &e));
            if let Some(d) = dur("processing_after", processing_after)? {
                c = c.processing_after(d);
            }
            if let Some(d) = dur("complete_after", complete_after)? {
                c = c.complete_after(d);
            }
            if let Some(d) = dur("slow_delay", slow_delay)? {
                c = c.slow_delay(d);
            }
            if let Some(d) = dur("duplicate_window", duplicate_window)? {
                c = c.duplicate_window(d);
            }
            if let Some(n) = rate_limit_per_minute {
                c = c.rate_limit_per_minute(n);
            }
            if let Some(m) = duplicate_mode {
                c = c.duplicate_mode(
                    DuplicateMode::from_str(&m).map_err(|e| invalid(py, "duplicate_mode", e))?,
                );
            }
            if let Some(m) = idempotency_mode {
                c = c.idempotency_mode(
                    IdempotencyMode::from_str(&m)
                        .map_err(|e| invalid(py, "idempotency_mode", e))?,
                );
            }
            if let Some(d) = dur("v1_duplicate_window", v1_duplicate_window)? {
                c = c.v1_duplicate_window(d);
            }
            let sb = py
                .detach(|| Sandbox::start_with(c))
                .map_err(|e| sandbox_io_error(py, e))?;
            Ok(NativeSandbox {
                base_url: sb.base_url().to_owned(),
                port: sb.port(),
                api_key: sb.api_key().to_owned(),
                v1_email: sb.v1_email().to_owned(),
                v1_token: sb.v1_token().to_owned(),
                inner: Mutex::new(Some(sb)),
            })
        })
    }

    #[getter]
    fn running(&self, py: Python<'_>) -> PyResult<bool> {
        guard(py, "running", || {
            Ok(self
                .inner
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .is_some())
        })
    }

    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (fault, *, count=1, skip=0, method=None, path=None, delay=None, retry_after=None))]
    fn inject(
        &self,
        py: Python<'_>,
        fault: &str,
        count: u32,
        skip: u32,
        method: Option<String>,
        path: Option<String>,
        delay: Option<f64>,
        retry_after: Option<u64>,
    ) -> PyResult<()> {
        guard(py, "inject", || {
            let kind = FaultKind::from_str(fault).map_err(|e| invalid(py, "fault", e))?;
            let mut f = Fault::new(kind).count(count).skip(skip);
            if let Some(m) = method {
                f = f.method(m);
            }
            if let Some(p) = path {
                f = f.path(p);
            }
            if let Some(d) = secs("delay", delay).map_err(|e| py_error(py, &e))? {
                f = f.delay(d);
            }
            if let Some(r) = retry_after {
                f = f.retry_after(r);
            }
            self.with(py, move |sb| sb.inject(f))
        })
    }

    /// Change the runtime modes (only the given ones), as `POST /_sandbox/config` does; returns the modes.
    #[pyo3(signature = (*, duplicate_mode=None, duplicate_window=None, idempotency_mode=None, v1_duplicate_window=None))]
    fn configure(
        &self,
        py: Python<'_>,
        duplicate_mode: Option<String>,
        duplicate_window: Option<f64>,
        idempotency_mode: Option<String>,
        v1_duplicate_window: Option<f64>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "configure", || {
            let dup = duplicate_mode
                .map(|m| DuplicateMode::from_str(&m).map_err(|e| invalid(py, "duplicate_mode", e)))
                .transpose()?;
            let idem = idempotency_mode
                .map(|m| {
                    IdempotencyMode::from_str(&m).map_err(|e| invalid(py, "idempotency_mode", e))
                })
                .transpose()?;
            let window =
                secs("duplicate_window", duplicate_window).map_err(|e| py_error(py, &e))?;
            let v1_window =
                secs("v1_duplicate_window", v1_duplicate_window).map_err(|e| py_error(py, &e))?;
            let v = self.with(py, move |sb| {
                if let Some(m) = dup {
                    sb.set_duplicate_mode(m);
                }
                if let Some(w) = window {
                    sb.set_duplicate_window(w);
                }
                if let Some(m) = idem {
                    sb.set_idempotency_mode(m);
                }
                if let Some(w) = v1_window {
                    sb.set_v1_duplicate_window(w);
                }
                sb.config()
            })?;
            Ok(json_to_py(py, &v)?.unbind())
        })
    }

    fn config(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "config", || {
            let v = self.with(py, |sb| sb.config())?;
            Ok(json_to_py(py, &v)?.unbind())
        })
    }

    fn stats(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "stats", || {
            let v = self.with(py, |sb| sb.stats())?;
            Ok(json_to_py(py, &v)?.unbind())
        })
    }

    fn transactions(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "transactions", || {
            let v = self.with(py, |sb| sb.transactions())?;
            Ok(json_to_py(py, &v)?.unbind())
        })
    }

    fn webhook_deliveries(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "webhook_deliveries", || {
            let v = self.with(py, |sb| sb.webhook_deliveries())?;
            Ok(json_to_py(py, &v)?.unbind())
        })
    }

    fn reset(&self, py: Python<'_>) -> PyResult<()> {
        guard(py, "reset", || self.with(py, |sb| sb.reset()))
    }

    /// Stop the sandbox (idempotent). The GIL is released while its threads are joined.
    fn shutdown(&self, py: Python<'_>) -> PyResult<()> {
        guard(py, "shutdown", || {
            detach(py, || {
                let sb = self.inner.lock().unwrap_or_else(|p| p.into_inner()).take();
                if let Some(sb) = sb {
                    sb.shutdown();
                }
            });
            Ok(())
        })
    }
}
