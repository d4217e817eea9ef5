//! What every part of a running sandbox shares: the [`Shared`] state and the shape of a handler's
//! [`Reply`]. The HTTP handlers (`v1`, `v2`, `control`, `foreign`) and the server build on this.

use crate::config::Resolved;
use crate::http::Response;
use crate::state::State;
use std::collections::HashMap;
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

/// State shared by every thread of one sandbox.
pub(crate) struct Shared {
    pub cfg: Resolved,
    state: Mutex<State>,
    pub stop: AtomicBool,
    pub conns: Mutex<HashMap<u64, TcpStream>>,
    pub conn_threads: Mutex<Vec<JoinHandle<()>>>,
    pub next_conn: AtomicU64,
}

impl Shared {
    pub fn new(cfg: Resolved) -> Shared {
        Shared {
            state: Mutex::new(State::new(cfg.modes)),
            cfg,
            stop: AtomicBool::new(false),
            conns: Mutex::new(HashMap::new()),
            conn_threads: Mutex::new(Vec::new()),
            next_conn: AtomicU64::new(1),
        }
    }

    /// Locks the state (a panic in another thread does not poison it for good).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// Closes every open connection and joins their threads.
    pub fn close_connections(&self) {
        let conns: Vec<TcpStream> = {
            let mut map = self.conns.lock().unwrap_or_else(|e| e.into_inner());
            map.drain().map(|(_, s)| s).collect()
        };
        for c in conns {
            let _ = c.shutdown(std::net::Shutdown::Both);
        }
        let handles: Vec<JoinHandle<()>> = {
            let mut v = self.conn_threads.lock().unwrap_or_else(|e| e.into_inner());
            v.drain(..).collect()
        };
        for h in handles {
            let _ = h.join();
        }
    }
}

/// What happens after a handler ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum After {
    /// Answer now.
    Nothing,
    /// Close the connection without answering.
    Close,
    /// Answer after a delay.
    Delay(Duration),
}

/// A top-up committed by a handler.
#[derive(Debug, Clone)]
pub(crate) struct Committed {
    pub v1: bool,
    pub id: String,
    pub reference: Option<String>,
}

/// A handler's result.
#[derive(Debug)]
pub(crate) struct Reply {
    pub response: Response,
    pub after: After,
    pub committed: Option<Committed>,
}

impl From<Response> for Reply {
    fn from(response: Response) -> Reply {
        Reply {
            response,
            after: After::Nothing,
            committed: None,
        }
    }
}
