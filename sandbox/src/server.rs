//! Accept loop, connection handling, fault application and routing.

use crate::faults::{Fault, FaultKind, LATE_COMMIT_DEFAULT};
use crate::http::{self, ReadError, Request, Response};
use crate::shared::{After, Reply, Shared};
use crate::util::sleep_unless;
use crate::{control, foreign, v1, v2};
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// Idle time after which a keep-alive connection is closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(15);
/// Default per-byte delay of the `slowloris` fault.
const SLOWLORIS_DEFAULT: Duration = Duration::from_millis(100);

/// How the connection answers.
enum Output {
    Send(Response),
    SendAfter(Duration, Response),
    Close,
    Truncated(Response),
    Slowloris(Response, Duration),
}

/// Runs the accept loop until `stop` is set.
pub(crate) fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping() {
            break;
        }
        let stream = match stream {
            Ok(s) => s,
            Err(e) => {
                log::warn!("accept failed: {e}");
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let id = shared.next_conn.fetch_add(1, Ordering::SeqCst);
        if let Ok(clone) = stream.try_clone() {
            shared
                .conns
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(id, clone);
        }
        let sh = Arc::clone(&shared);
        let spawned = std::thread::Builder::new()
            .name("clickairtime-sandbox-conn".into())
            .spawn(move || {
                serve_connection(&sh, stream);
                sh.conns
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(&id);
            });
        let mut threads = shared
            .conn_threads
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        threads.retain(|h| !h.is_finished());
        match spawned {
            Ok(h) => threads.push(h),
            Err(e) => {
                log::warn!("could not spawn a connection thread: {e}");
                shared
                    .conns
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(&id);
            }
        }
    }
}

fn serve_connection(shared: &Shared, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::new();
    loop {
        if shared.stopping() {
            break;
        }
        let req = match http::read_request(&mut stream, &mut buf) {
            Ok(r) => r,
            Err(ReadError::Closed) => break,
            Err(ReadError::Bad(status, msg)) => {
                log::debug!("bad request: {msg}");
                let body = serde_json::json!({"message": msg, "statusCode": status});
                let _ = Response::json(status, &body).write_to(&mut stream, false);
                break;
            }
        };
        if shared.stopping() {
            break;
        }
        let keep_alive = req.keep_alive;
        let output = process(shared, &req);
        let ok = match output {
            Output::Send(resp) => {
                log::debug!("{} {} -> {}", req.method, req.path, resp.status);
                resp.write_to(&mut stream, keep_alive).is_ok()
            }
            Output::SendAfter(delay, resp) => {
                sleep_unless(delay, &shared.stop);
                !shared.stopping() && resp.write_to(&mut stream, keep_alive).is_ok()
            }
            Output::Close => {
                log::debug!(
                    "{} {} -> connection closed without answer",
                    req.method,
                    req.path
                );
                false
            }
            Output::Truncated(resp) => {
                let mut bytes = resp.head_bytes(resp.body.len() + 64, false);
                bytes.extend_from_slice(&resp.body);
                let _ = stream.write_all(&bytes);
                let _ = stream.flush();
                false
            }
            Output::Slowloris(resp, delay) => {
                write_slowly(shared, &mut stream, &resp, delay, keep_alive)
            }
        };
        if !ok || !keep_alive {
            break;
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

fn write_slowly(
    shared: &Shared,
    stream: &mut TcpStream,
    resp: &Response,
    delay: Duration,
    keep_alive: bool,
) -> bool {
    if stream
        .write_all(&resp.head_bytes(resp.body.len(), keep_alive))
        .and_then(|_| stream.flush())
        .is_err()
    {
        return false;
    }
    for b in &resp.body {
        sleep_unless(delay, &shared.stop);
        if shared.stopping()
            || stream
                .write_all(&[*b])
                .and_then(|_| stream.flush())
                .is_err()
        {
            return false;
        }
    }
    true
}

fn is_v1(path: &str) -> bool {
    path == "/adp" || path.starts_with("/adp/")
}

fn process(shared: &Shared, req: &Request) -> Output {
    if req.path == "/_sandbox" || req.path.starts_with("/_sandbox/") {
        return Output::Send(control::handle(shared, req));
    }
    let fault = {
        let mut st = shared.lock();
        st.stats.request(&req.method, &req.path);
        st.take_fault(&req.method, &req.path)
    };
    if let Some(f) = &fault {
        log::debug!("fault {} on {} {}", f.kind(), req.method, req.path);
        if f.kind() == FaultKind::LateCommit {
            return late_commit(shared, req, f);
        }
        if !f.kind().handles_request() {
            return pre_commit_fault(shared, req, f);
        }
    }
    let reply = route(shared, req);
    let base = match reply.after {
        After::Close => return Output::Close,
        After::Delay(d) => Output::SendAfter(d, reply.response.clone()),
        After::Nothing => Output::Send(reply.response.clone()),
    };
    match fault {
        None => base,
        Some(f) => post_commit_fault(shared, req, &f, reply),
    }
}

/// `late_commit`: nothing is answered; after the delay the request is handled as if it arrived
/// then (whether or not the client is still connected), and the connection is closed.
fn late_commit(shared: &Shared, req: &Request, f: &Fault) -> Output {
    sleep_unless(f.get_delay().unwrap_or(LATE_COMMIT_DEFAULT), &shared.stop);
    if shared.stopping() {
        return Output::Close;
    }
    let reply = route(shared, req);
    log::debug!(
        "{} {} handled late ({}), connection closed without answer",
        req.method,
        req.path,
        reply.response.status
    );
    Output::Close
}

fn route(shared: &Shared, req: &Request) -> Reply {
    if req.path == "/v2" || req.path.starts_with("/v2/") {
        v2::handle(shared, req)
    } else if is_v1(&req.path) {
        v1::handle(shared, req)
    } else {
        Response::json(
            404,
            &serde_json::json!({"message": "Not found", "statusCode": 404}),
        )
        .into()
    }
}

fn pre_commit_fault(shared: &Shared, req: &Request, f: &Fault) -> Output {
    let v1 = is_v1(&req.path);
    match f.kind() {
        FaultKind::DropBeforeCommit => Output::Close,
        FaultKind::ServerError => Output::Send(if v1 {
            v1::internal_error()
        } else {
            v2::with_peeked_rate(shared, req, v2::internal_error())
        }),
        FaultKind::RateLimit => {
            let secs = f.get_retry_after();
            let resp = if v1 {
                v1::too_many()
            } else {
                v2::with_peeked_rate(
                    shared,
                    req,
                    v2::err(
                        429,
                        "RATE_LIMIT_EXCEEDED",
                        &format!("Rate limit exceeded. Please retry after {secs} seconds."),
                        serde_json::json!({"retry_after": secs}),
                    ),
                )
            };
            Output::Send(resp.with_header("Retry-After", secs.to_string()))
        }
        FaultKind::Html404 => Output::Send(Response::raw(
            404,
            "text/html",
            "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n\
             <center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n\
             </body>\r\n</html>\r\n",
        )),
        _ => Output::Send(Response::raw(
            502,
            "text/html; charset=utf-8",
            "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\
             <body><h1>502 Bad Gateway</h1><p>The upstream server did not answer.</p></body></html>\n",
        )),
    }
}

fn post_commit_fault(shared: &Shared, req: &Request, f: &Fault, reply: Reply) -> Output {
    let resp = reply.response;
    match f.kind() {
        FaultKind::DropAfterCommit => Output::Close,
        FaultKind::Slow => Output::SendAfter(f.get_delay().unwrap_or(shared.cfg.slow_delay), resp),
        FaultKind::Duplicate409 => match reply.committed {
            Some(c) if c.v1 => Output::Send(v1::duplicate_ext_ref()),
            Some(c) => Output::Send(v2::with_peeked_rate(
                shared,
                req,
                v2::duplicate(&c.id, c.reference.as_deref()),
            )),
            None => Output::Send(resp),
        },
        FaultKind::Garbage => {
            let mut r = resp;
            r.status = 200;
            r.body = b"<<<%%% sandbox garbage: this is not JSON \x01\x02 }{ %%%>>>".to_vec();
            Output::Send(r)
        }
        FaultKind::Truncated => Output::Truncated(resp),
        FaultKind::Slowloris => Output::Slowloris(resp, f.get_delay().unwrap_or(SLOWLORIS_DEFAULT)),
        FaultKind::EmptyBody => {
            let mut r = resp;
            r.status = 200;
            r.body.clear();
            Output::Send(r)
        }
        FaultKind::ForeignRecord => Output::Send(foreign::apply(shared, req, resp, false)),
        FaultKind::ExtraRecord => Output::Send(foreign::apply(shared, req, resp, true)),
        _ => Output::Send(resp),
    }
}
