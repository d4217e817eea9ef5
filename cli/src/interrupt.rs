//! Ctrl-C (and SIGTERM): installed once per process, the first time a command needs a graceful stop.
//!
//! While a command has registered a stop flag (bulk, sandbox, webhooks listen, waits), the first Ctrl-C
//! sets it and the command winds down (bulk: sends already written settle first); a second one exits at
//! once with 130 — safe, since every send is in the journal. With no flag registered, Ctrl-C exits with
//! 130 as usual.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

struct Target {
    flag: Arc<AtomicBool>,
    /// Printed on the first Ctrl-C.
    first: Option<String>,
    /// Printed before exiting on the second.
    second: Option<String>,
}

static INSTALLED: OnceLock<bool> = OnceLock::new();
static PRESSES: AtomicUsize = AtomicUsize::new(0);
static TARGET: Mutex<Option<Target>> = Mutex::new(None);

fn install() -> bool {
    *INSTALLED.get_or_init(|| {
        ctrlc::set_handler(|| {
            let n = PRESSES.fetch_add(1, Ordering::SeqCst) + 1;
            let target = TARGET.lock().unwrap_or_else(|p| p.into_inner());
            match target.as_ref() {
                Some(t) if n == 1 => {
                    t.flag.store(true, Ordering::SeqCst);
                    if let Some(m) = &t.first {
                        crate::output::warn(m);
                    }
                }
                Some(t) => {
                    if let Some(m) = &t.second {
                        crate::output::warn(m);
                    }
                    std::process::exit(crate::output::code::INTERRUPTED);
                }
                None => std::process::exit(crate::output::code::INTERRUPTED),
            }
        })
        .is_ok()
    })
}

/// While the guard lives, Ctrl-C sets `flag` (once) instead of exiting.
pub(crate) struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        *TARGET.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

/// Route Ctrl-C to `flag`. Returns `None` when no handler could be installed (Ctrl-C then does what
/// the host process does by default).
pub(crate) fn on_interrupt(
    flag: Arc<AtomicBool>,
    first: Option<String>,
    second: Option<String>,
) -> Option<Guard> {
    if !install() {
        return None;
    }
    PRESSES.store(0, Ordering::SeqCst);
    *TARGET.lock().unwrap_or_else(|p| p.into_inner()) = Some(Target {
        flag,
        first,
        second,
    });
    Some(Guard)
}
