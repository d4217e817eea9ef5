//! Logging: core's `log` records go to Python's `logging`.

use crate::guard::guard;
use pyo3::marker::Ungil;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::time::Instant;

// logging: core's `log` records (target "clickairtime") go to Python's `logging.getLogger("clickairtime")`
//
// Asking Python whether a record is wanted means attaching to the interpreter from inside `py.detach`, on
// every record: the bridge keeps the logger's threshold in an atomic instead (`PY_LEVEL`: the lowest Python
// level `isEnabledFor` can say yes to), so a record nobody wants costs a compare. The cache is checked at
// every call boundary, where the calling thread holds the GIL anyway (`detach`): it is refreshed when
// `logging` has cleared its own caches since (every `setLevel` of any logger and `logging.disable` do: the
// bridge keeps a key of its own in the logger's `_cache` dict and looks for it) or when it is a second old.
// During a long call (a wait), a record below a cached level that is more than a second old attaches and
// refreshes, so a level set from another thread also applies within a second. A record that passes still
// goes through `Logger.log`, which has the last word (handlers, `disabled`, filters).

pub(crate) static FORWARD_LOGS: AtomicBool = AtomicBool::new(true);
/// Lowest Python level that may be enabled for the `clickairtime` logger (0: all, until the first check).
pub(crate) static PY_LEVEL: AtomicU8 = AtomicU8::new(0);
/// When `PY_LEVEL` was last read from Python, in `now_ms()` units (0: never).
pub(crate) static LEVEL_CHECKED_MS: AtomicU64 = AtomicU64::new(0);
pub(crate) const LEVEL_MAX_AGE_MS: u64 = 1000;

/// The `clickairtime` logger, its level cache (CPython's `Logger._cache`, when there is one) and the key the
/// bridge keeps in it.
pub(crate) struct PyLogger {
    logger: Py<PyAny>,
    cache: Option<Py<PyDict>>,
    marker: Py<PyAny>,
}

pub(crate) static PY_LOGGER: PyOnceLock<PyLogger> = PyOnceLock::new();

pub(crate) fn py_logger(py: Python<'_>) -> PyResult<&PyLogger> {
    PY_LOGGER.get_or_try_init(py, || {
        let logger = py
            .import("logging")?
            .call_method1("getLogger", ("clickairtime",))?;
        let cache = logger
            .getattr("_cache")
            .ok()
            .and_then(|c| c.cast_into::<PyDict>().ok())
            .map(Bound::unbind);
        let marker = py.import("builtins")?.getattr("object")?.call0()?.unbind();
        // like any library, silent unless the app configures logging
        let null = py.import("logging")?.getattr("NullHandler")?.call0()?;
        logger.call_method1("addHandler", (null,))?;
        Ok(PyLogger {
            logger: logger.unbind(),
            cache,
            marker,
        })
    })
}

pub(crate) fn now_ms() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    let ms = START.get_or_init(Instant::now).elapsed().as_millis();
    u64::try_from(ms).unwrap_or(u64::MAX - 1) + 1
}

pub(crate) fn level_cache_is_old() -> bool {
    now_ms().saturating_sub(LEVEL_CHECKED_MS.load(Ordering::Relaxed)) >= LEVEL_MAX_AGE_MS
}

/// Read the logger's threshold from Python into `PY_LEVEL` (the GIL is held).
pub(crate) fn refresh_log_level(py: Python<'_>) {
    let Ok(l) = py_logger(py) else {
        PY_LEVEL.store(0, Ordering::Relaxed); // let `Logger.log` decide, as if nothing were cached
        return;
    };
    let logger = l.logger.bind(py);
    // the marker goes in first: a level change while the level is read clears it again
    if let Some(cache) = &l.cache {
        let _ = cache.bind(py).set_item(l.marker.bind(py), true);
    }
    let threshold = (|| -> PyResult<i64> {
        let effective: i64 = logger.call_method0("getEffectiveLevel")?.extract()?;
        let disabled: i64 = logger.getattr("manager")?.getattr("disable")?.extract()?;
        Ok(effective.max(disabled.saturating_add(1)))
    })()
    .unwrap_or(0);
    PY_LEVEL.store(threshold.clamp(0, 255) as u8, Ordering::Relaxed);
    LEVEL_CHECKED_MS.store(now_ms(), Ordering::Relaxed);
}

/// At a call boundary (the GIL is held): refresh `PY_LEVEL` if `logging` changed since, or it is old.
pub(crate) fn sync_log_level(py: Python<'_>) {
    if !FORWARD_LOGS.load(Ordering::Relaxed) {
        return;
    }
    let current = !level_cache_is_old()
        && PY_LOGGER.get(py).is_some_and(|l| {
            l.cache
                .as_ref()
                .is_some_and(|c| c.bind(py).contains(l.marker.bind(py)).unwrap_or(false))
        });
    if !current {
        refresh_log_level(py);
    }
}

/// `detach(py, f)` at a call boundary: the log level cache is brought up to date first.
pub(crate) fn detach<T, F>(py: Python<'_>, f: F) -> T
where
    F: Ungil + FnOnce() -> T,
    T: Ungil,
{
    sync_log_level(py);
    py.detach(f)
}

pub(crate) struct LogBridge;

pub(crate) static LOG_BRIDGE: LogBridge = LogBridge;

pub(crate) fn is_core_target(target: &str) -> bool {
    target == "clickairtime" || target.starts_with("clickairtime::")
}

pub(crate) fn py_level(level: log::Level) -> u8 {
    match level {
        log::Level::Error => 40,
        log::Level::Warn => 30,
        log::Level::Info => 20,
        log::Level::Debug => 10,
        log::Level::Trace => 5,
    }
}

impl log::Log for LogBridge {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        FORWARD_LOGS.load(Ordering::Relaxed)
            && is_core_target(m.target())
            && (py_level(m.level()) >= PY_LEVEL.load(Ordering::Relaxed) || level_cache_is_old())
    }

    fn log(&self, record: &log::Record<'_>) {
        if !FORWARD_LOGS.load(Ordering::Relaxed) || !is_core_target(record.target()) {
            return;
        }
        let level = py_level(record.level());
        let wanted = level >= PY_LEVEL.load(Ordering::Relaxed);
        if !wanted && !level_cache_is_old() {
            return;
        }
        // formatted before attaching when it is known to go out
        let message = wanted.then(|| record.args().to_string());
        // try_attach: never attach to an interpreter that is not running (e.g. shutting down).
        Python::try_attach(|py| {
            if !wanted {
                refresh_log_level(py);
                if level < PY_LEVEL.load(Ordering::Relaxed) {
                    return;
                }
            }
            let message = message.unwrap_or_else(|| record.args().to_string());
            let emit = || -> PyResult<()> {
                // `Logger.log` checks `isEnabledFor` itself
                py_logger(py)?
                    .logger
                    .bind(py)
                    .call_method1("log", (u32::from(level), "%s", message))?;
                Ok(())
            };
            // a failing handler must not turn into an error of the call that logged
            let _ = emit();
        });
    }

    fn flush(&self) {}
}

/// The levels the bridge is asked about. Core logs at debug and above; below that are only other crates'
/// trace records, which the bridge never forwards. Let through, ureq's alone made ~70 calls into it per
/// exchange (callgrind: ~4k instructions of a 109k Python GET); now the `log` macros drop them with one
/// compare, and an exchange reaches the bridge ~3 times.
const FORWARDED_LEVELS: log::LevelFilter = log::LevelFilter::Debug;

/// Turn forwarding of core log records to Python `logging` on or off (the package turns it off at exit).
#[pyfunction]
pub(crate) fn set_log_forwarding(py: Python<'_>, enabled: bool) -> PyResult<()> {
    guard(py, "set_log_forwarding", || {
        FORWARD_LOGS.store(enabled, Ordering::Relaxed);
        log::set_max_level(if enabled {
            FORWARDED_LEVELS
        } else {
            log::LevelFilter::Off
        });
        Ok(())
    })
}

/// Install the bridge (once per process) and read the logger's level, if `logging` is imported already;
/// else the first call boundary reads it (importing `logging` then: `import clickairtime` stays light).
pub(crate) fn install(py: Python<'_>) {
    if log::set_logger(&LOG_BRIDGE).is_ok() {
        log::set_max_level(FORWARDED_LEVELS);
    }
    let imported = py
        .import("sys")
        .and_then(|sys| sys.getattr("modules"))
        .and_then(|m| m.contains("logging"))
        .unwrap_or(true);
    if imported {
        refresh_log_level(py);
    }
}
