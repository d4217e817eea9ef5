//! Bulk payouts as a library call: `client.bulk(input, { concurrency, onProgress, report, name, signal })` and
//! its blocking twin `bulkSync`, for V2 and V1. Everything is the core's (`clickairtime::bulk`): the CSV format,
//! the whole-file validation, the derived references, the sends (through the client's journal and rate limit,
//! `concurrency` in flight), the outcomes and the report's CSV. This module only turns the input (a path, the
//! CSV bytes, or an array of row objects, written as CSV for the core's parser) and the results into JS.
//!
//! The asynchronous form runs the whole run on one of the SDK's threads (the core's send workers are threads of
//! its own); progress, the end and a failure all travel through ONE threadsafe function to the JS entry point's
//! dispatcher (`clickairtime.js`), non-blocking and in order, so every `onProgress` call is delivered before the
//! Promise settles, with `done` counting 1, 2, … up to `total`. The stop flag is the call's [`CancelToken`]
//! (the JS side cancels it when the `signal` aborts or `onProgress` throws): the core stops taking new rows,
//! and sends already under way settle (`CANCELLED` before their first write: `skipped`, nothing sent).

mod input;
mod shapes;

pub(crate) use input::sync_options;
pub use shapes::{
    BulkCounts, BulkOptions, BulkReport, BulkRowError, BulkRowResult, Event, Finished,
};

use crate::args::{Call, bad, top};
use crate::{CancelToken, ErrorInfo, Out};
use clickairtime::ErrorKind;
use clickairtime::bulk::{self as core, BulkApi, BulkRow, RowError, RowOutcome, RowResult};
use input::{Plan, Source, plan};
use napi::Env;
use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use shapes::{report_of, row_result};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

// ---------------------------------------------------------------- the run

/// The client a run sends through.
#[derive(Clone)]
pub(crate) enum Client {
    V2(clickairtime::v2::Client),
    V1(clickairtime::v1::Client),
}

impl Client {
    fn api(&self) -> BulkApi {
        match self {
            Client::V2(_) => BulkApi::V2,
            Client::V1(_) => BulkApi::V1,
        }
    }
}

fn rows_invalid(errs: &[RowError], array: bool) -> Box<ErrorInfo> {
    let show = |e: &RowError| {
        if !array {
            e.to_string()
        } else if e.line < 2 {
            format!("rows: {}", e.message)
        } else {
            format!("rows[{}]: {}: {}", e.line - 2, e.field, e.message)
        }
    };
    let shown: Vec<String> = errs.iter().take(50).map(show).collect();
    let mut message = format!(
        "invalid input: {} bad row(s), nothing was sent:\n{}",
        errs.len(),
        shown.join("\n")
    );
    let more = errs.len().saturating_sub(50);
    if more > 0 {
        message.push_str(&format!("\n… and {more} more"));
    }
    Box::new(ErrorInfo {
        code: ErrorKind::InvalidInput.as_str().to_owned(),
        message,
        field: errs.first().map(|e| e.field.clone()),
        row_errors: Some(
            errs.iter()
                .map(|e| BulkRowError {
                    line: e.line as u32,
                    index: (e.line >= 2).then(|| (e.line - 2) as u32),
                    field: e.field.clone(),
                    message: e.message.clone(),
                })
                .collect(),
        ),
        ..Default::default()
    })
}

/// Read and validate the whole input, and open the report file: nothing is sent unless all of it is good.
fn load(api: BulkApi, plan: &Plan) -> Out<(Vec<BulkRow>, Option<std::fs::File>)> {
    let (name, data, array) = match &plan.source {
        Source::Path(p) => {
            let data = std::fs::read(p)
                .map_err(|e| bad("input", format!("cannot read the CSV file {p:?}: {e}")))?;
            (plan.name.clone().unwrap_or_else(|| p.clone()), data, false)
        }
        Source::Csv { data, array, .. } => {
            (plan.name.clone().unwrap_or_default(), data.clone(), *array)
        }
    };
    let rows = core::parse_csv(api, &name, &data).map_err(|errs| rows_invalid(&errs, array))?;
    if let (Source::Path(input), Some(report)) = (&plan.source, &plan.report) {
        let same = match (std::fs::canonicalize(input), std::fs::canonicalize(report)) {
            (Ok(a), Ok(b)) => a == b,
            _ => input == report,
        };
        if same {
            return Err(bad(
                "report",
                "is the input file itself: give the report another path",
            ));
        }
    }
    let file = match &plan.report {
        None => None,
        Some(p) => Some(
            std::fs::File::create(p)
                .map_err(|e| bad("report", format!("cannot write the report file {p:?}: {e}")))?,
        ),
    };
    Ok((rows, file))
}

/// Load, send every row, write the report: the whole run, on the calling thread (the core's workers send).
/// `progress` gets each result with `done` counting up in the order it is called.
fn execute(
    client: &Client,
    plan: &Plan,
    stop: &Arc<AtomicBool>,
    progress: &(dyn Fn(BulkRowResult, u32, u32) + Sync),
) -> Out<Finished> {
    let (rows, file) = load(client.api(), plan)?;
    let opts = core::BulkOptions {
        concurrency: plan.concurrency,
        stop: Arc::clone(stop),
    };
    // the core counts `done` before it reports, on several threads: count again under one lock, so the
    // results reach JS in the order of `done`
    let done = Mutex::new(0u32);
    let each = |r: &RowResult, _: usize, total: usize| {
        let mut n = done.lock().unwrap_or_else(|p| p.into_inner());
        *n += 1;
        progress(row_result(r), *n, total as u32);
    };
    let report = match client {
        Client::V2(c) => core::run_v2(c, &rows, &opts, &each),
        Client::V1(c) => core::run_v1(c, &rows, &opts, &each),
    };
    let csv = report.to_csv();
    if let Some(mut f) = file
        && let Err(e) = f.write_all(csv.as_bytes()).and_then(|()| f.flush())
    {
        return Err(bad(
            "report",
            format!(
                "the run ended ({} of {} rows sent) but its report could not be written: {e}. Every row's outcome is in the journal: run again with the same journal to get the report (nothing is sent twice)",
                report.count(RowOutcome::Sent),
                report.rows.len()
            ),
        ));
    }
    Ok(Finished {
        report: report_of(&report, stop.load(Ordering::SeqCst)),
        csv,
    })
}

/// A panic outside a row's send (the core catches those): some rows may have been sent.
fn panicked() -> ErrorInfo {
    ErrorInfo {
        code: ErrorKind::OutcomeUnknown.as_str().to_owned(),
        message: "outcome unknown: internal error: the bulk run panicked; rows under way may have been sent. Do not send them again by other means: recover(), or run the same input again with the same journal (nothing is sent twice)".to_owned(),
        cause_kind: Some(ErrorKind::Api.as_str().to_owned()),
        ..Default::default()
    }
}

type Emit = ThreadsafeFunction<Event, (), Event, Status, false>;

/// `client.bulk(…)` (internal form, called by the JS entry point with the stop token and its dispatcher):
/// check the arguments here, then run on one of the SDK's threads, every event through `emit`.
pub(crate) fn start(
    env: &Env,
    client: Client,
    input: Unknown,
    options: Unknown,
    token: &ClassInstance<CancelToken>,
    emit: Function<Event, ()>,
) -> Result<()> {
    let plan = crate::sync(env, || {
        let o: Option<BulkOptions> = top(options, "options", Call::plain("client.bulk"))?;
        plan(client.api(), input, o)
    })?;
    let stop = Arc::clone(&token.flag);
    let emit: Emit = emit
        .build_threadsafe_function::<Event>()
        .callee_handled::<false>()
        .build()?;
    crate::pool::submit(move || {
        let send = |e: Event| {
            emit.call(e, ThreadsafeFunctionCallMode::NonBlocking);
        };
        let run = std::panic::AssertUnwindSafe(|| {
            execute(&client, &plan, &stop, &|r, done, total| {
                send(Event::Progress(r, done, total))
            })
        });
        match std::panic::catch_unwind(run) {
            Ok(Ok(f)) => send(Event::End(f)),
            Ok(Err(e)) => send(Event::Failed(*e)),
            Err(_) => send(Event::Failed(panicked())),
        }
        drop(emit);
    });
    Ok(())
}

/// `client.bulkSync(…)`: the run on a thread of its own while this (the JS) thread calls `onProgress` with
/// each result, in order; an exception from `onProgress` stops the run (sends under way settle), then is
/// rethrown.
pub(crate) fn run_sync(
    env: &Env,
    client: Client,
    input: Unknown,
    options: Unknown,
) -> Result<Finished> {
    let (plan, on_progress) = crate::sync(env, || {
        let (o, f) = sync_options(options)?;
        Ok((plan(client.api(), input, o)?, f))
    })?;
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, rx) = std::sync::mpsc::channel::<(BulkRowResult, u32, u32)>();
    let mut thrown: Option<napi::Error> = None;
    let out = std::thread::scope(|s| {
        let worker = s.spawn(|| {
            let tx = tx;
            let run = std::panic::AssertUnwindSafe(|| {
                execute(&client, &plan, &stop, &|r, done, total| {
                    let _ = tx.send((r, done, total));
                })
            });
            std::panic::catch_unwind(run).unwrap_or_else(|_| Err(Box::new(panicked())))
        });
        for (r, done, total) in rx {
            if thrown.is_some() {
                continue;
            }
            if let Some(f) = &on_progress
                && let Err(e) = f.call(FnArgs::from((r, done, total)))
            {
                stop.store(true, Ordering::SeqCst);
                thrown = Some(e);
            }
        }
        worker.join().unwrap_or_else(|_| Err(Box::new(panicked())))
    });
    if let Some(e) = thrown {
        return Err(e);
    }
    out.map_err(|e| crate::js_error(env, *e))
}
