//! The SDK's own threads. Every blocking piece of work of an asynchronous call (one exchange, one send, one
//! journal query) runs here — never on libuv's thread pool, which Node shares with `fs`, `dns.lookup`, `zlib`
//! and `crypto` — and its Promise is settled on the JS thread through its environment's one threadsafe
//! function (`settle`). Waits and polls do not sleep here at all: the JS side sleeps on timers between single
//! exchanges (see `clickairtime.js`), so a pending wait holds no thread.
//!
//! The pool grows on demand (a job never waits for a thread while fewer than [`MAX_THREADS`] exist) and an
//! idle thread exits after [`IDLE`]. Its threads never keep the process alive; a pending Promise does.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

/// Most threads at once; more concurrent jobs queue (in order) until one is free.
pub(crate) const MAX_THREADS: usize = 64;
/// An idle thread exits after this long.
const IDLE: Duration = Duration::from_secs(30);

type Job = Box<dyn FnOnce() + Send + 'static>;

#[derive(Default)]
struct State {
    jobs: VecDeque<Job>,
    idle: usize,
    threads: usize,
    spawned: u64,
}

#[derive(Default)]
struct Pool {
    state: Mutex<State>,
    ready: Condvar,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(Pool::default)
}

/// Run `job` on one of the SDK's threads.
pub(crate) fn submit(job: impl FnOnce() + Send + 'static) {
    let p = pool();
    let mut s = p.state.lock().unwrap_or_else(|e| e.into_inner());
    s.jobs.push_back(Box::new(job));
    if s.jobs.len() > s.idle && s.threads < MAX_THREADS {
        s.spawned += 1;
        let name = format!("clickairtime-{}", s.spawned);
        if std::thread::Builder::new().name(name).spawn(worker).is_ok() {
            s.threads += 1;
        }
    }
    // a thread that is not waiting takes the job on its next turn: wake one only if one is asleep (a
    // `notify_one` is a system call even when nobody waits)
    let wake = s.idle > 0;
    drop(s);
    if wake {
        p.ready.notify_one();
    }
}

fn worker() {
    let p = pool();
    let mut s = p.state.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if let Some(job) = s.jobs.pop_front() {
            drop(s);
            // every job runs its work inside the panic guard; this catch only keeps the thread alive
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            s = p.state.lock().unwrap_or_else(|e| e.into_inner());
            continue;
        }
        s.idle += 1;
        let (next, timeout) = p
            .ready
            .wait_timeout(s, IDLE)
            .unwrap_or_else(|e| e.into_inner());
        s = next;
        s.idle -= 1;
        if timeout.timed_out() && s.jobs.is_empty() {
            s.threads -= 1;
            return;
        }
    }
}

/// Threads alive now (for tests).
pub(crate) fn threads() -> usize {
    pool().state.lock().map(|s| s.threads).unwrap_or(0)
}
