//! The `clickairtime` command, as a library.
//!
//! The binary is a thin `fn main()` around [`main_with_args`]; the Python wheel (console script and
//! `python -m clickairtime`) and the npm package (`npx clickairtime`) call the same function, so every
//! host runs the same command.
//!
//! What [`main_with_args`] touches outside its arguments (and nothing else):
//! - the environment variables it documents (`CLICKAIRTIME_*`, `XDG_*`/`HOME` for the default paths,
//!   `HTTPS_PROXY`/`NO_PROXY` through the core client);
//! - stdout and stderr (file descriptors 1 and 2), and stdin for `webhooks verify -`;
//! - a Ctrl-C / SIGTERM handler, installed once per process by the commands that stop gracefully (`bulk`,
//!   `sandbox`, `webhooks listen`, waits); after that, Ctrl-C in the process goes through it (it exits
//!   with 130 when no command is running);
//! - with `--verbose`, a `log` logger writing to stderr, if the process has none yet.
//!
//! It never calls `std::process::exit` itself, except on a second Ctrl-C; it returns the exit code.

#![forbid(unsafe_code)]

mod account;
mod args;
mod bulk;
mod interrupt;
mod journal;
mod output;
mod pace;
mod sandbox;
mod settings;
mod topups;
mod webhooks;

use args::{Cli, Cmd, WebhooksCmd};
use clap::Parser;
use clickairtime::{ClientBuilder, ErrorKind, RateLimitPolicy, v1, v2};
use output::{Failure, code, report_failure};
use settings::Settings;

pub use output::code as exit_code;

/// README.md's Rust code blocks, compiled and run by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// What README.md's command lines and config example are checked with (by `tests/it/readme.rs`): the
/// command's own argument parser and config-file reader. Not a stable interface.
#[doc(hidden)]
pub mod readme_checks {
    use clap::Parser;

    /// Parse `args` (`args[0]` is the program name) as the command does, without running anything.
    /// `--help` and `--version` parse.
    pub fn parse_args(args: &[String]) -> Result<(), String> {
        use clap::error::ErrorKind as K;
        match crate::args::Cli::try_parse_from(args) {
            Ok(_) => Ok(()),
            Err(e) if matches!(e.kind(), K::DisplayHelp | K::DisplayVersion) => Ok(()),
            Err(e) => Err(e.render().to_string()),
        }
    }

    /// Read a config file's text as the command does: its keys and values.
    pub fn parse_config(text: &str) -> Result<std::collections::BTreeMap<String, String>, String> {
        crate::settings::parse_config(text)
    }
}

/// Run the command with `args` (`args[0]` is the program name, as in `std::env::args()`), and return
/// the exit code. See the crate docs for what it touches besides its arguments.
pub fn main_with_args(args: Vec<String>) -> i32 {
    let json_hint = args.iter().skip(1).any(|a| a == "--json");
    let cli = match Cli::try_parse_from(&args) {
        Ok(c) => c,
        Err(e) => return clap_error(e, json_hint),
    };
    let json = cli.global.json;
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cli))) {
        Ok(code) => code,
        Err(_) => report_failure(
            json,
            Failure::new(
                code::UNKNOWN,
                "error",
                "internal error (a bug): if a send was under way its outcome is unknown; run `clickairtime pending`",
            ),
        ),
    }
}

/// [`main_with_args`] with the process's own arguments.
pub fn main_from_env() -> i32 {
    main_with_args(std::env::args().collect())
}

fn clap_error(e: clap::Error, json: bool) -> i32 {
    use clap::error::ErrorKind as K;
    let code = e.exit_code();
    let is_help = matches!(e.kind(), K::DisplayHelp | K::DisplayVersion);
    if json && !is_help {
        let message = e.render().to_string();
        let message = message.trim().trim_start_matches("error: ");
        return report_failure(true, Failure::usage(message.to_owned()));
    }
    let _ = e.print();
    code
}

/// The resolved context of one run.
pub(crate) struct Ctx {
    pub json: bool,
    pub v1: bool,
    pub s: Settings,
}

/// What a client needs besides credentials.
#[derive(Default, Clone, Copy)]
pub(crate) struct ClientOpts {
    /// Open the journal (every command that sends).
    pub journal: bool,
    /// Client-side rate limit.
    pub rate: Option<RateLimitPolicy>,
    /// The limiter's "minute", shortened (tests only: `bulk --rate-window-ms`).
    pub rate_window: Option<std::time::Duration>,
}

impl Ctx {
    fn configure<C>(
        &self,
        mut b: ClientBuilder<C>,
        o: ClientOpts,
    ) -> Result<ClientBuilder<C>, Failure> {
        b = b.user_agent_suffix(concat!("clickairtime-cli/", env!("CARGO_PKG_VERSION")));
        if let Some(u) = &self.s.base_url {
            b = b.base_url(u.clone());
        }
        if let Some(d) = self.s.send_deadline {
            b = b.send_deadline(d);
        }
        if let Some(d) = self.s.convergence_bound {
            b = b.convergence_bound(d);
        }
        if let Some(p) = o.rate {
            b = b.rate_limit(p);
        }
        if let Some(w) = o.rate_window {
            b = b.rate_limit_window(w);
        }
        if o.journal {
            let path = self.s.journal_path()?;
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| {
                    Failure::new(
                        code::NOT_SENT,
                        "not_sent",
                        format!(
                            "cannot create the journal's folder {}: {e}; nothing was sent",
                            dir.display()
                        ),
                    )
                })?;
            }
            b = b.journal(path);
        }
        Ok(b)
    }

    fn built<T>(&self, r: clickairtime::Result<T>) -> Result<T, Failure> {
        r.map_err(|e| match e.kind() {
            ErrorKind::InvalidInput => Failure::usage(format!(
                "bad setting: {e} (from a flag, the environment or {})",
                self.s.config_hint()
            ))
            .with_error(&e),
            _ => Failure::new(code::NOT_SENT, "not_sent", format!("{e}; nothing was sent"))
                .with_error(&e),
        })
    }

    /// A V2 client, or a usage error saying where the key goes.
    pub fn v2_client(&self, o: ClientOpts) -> Result<v2::Client, Failure> {
        let Some(key) = &self.s.api_key else {
            return Err(Failure::usage(format!(
                "no V2 API key: pass --api-key, set {}, or put api_key in {}",
                settings::ENV_API_KEY,
                self.s.config_hint()
            )));
        };
        let b = self.configure(v2::Client::builder(key.clone()), o)?;
        self.built(b.build())
    }

    /// A V1 client, or a usage error saying where the credentials go.
    pub fn v1_client(&self, o: ClientOpts) -> Result<v1::Client, Failure> {
        let (Some(email), Some(token)) = (&self.s.v1_email, &self.s.v1_token) else {
            return Err(Failure::usage(format!(
                "V1 needs an e-mail and a token: --v1-email/--v1-token, {}/{}, or v1_email/v1_token in {}",
                settings::ENV_V1_EMAIL,
                settings::ENV_V1_TOKEN,
                self.s.config_hint()
            )));
        };
        let b = self.configure(v1::Client::builder(email.clone(), token.clone()), o)?;
        self.built(b.build())
    }
}

struct StderrLogger;

impl log::Log for StderrLogger {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        m.target().starts_with("clickairtime")
    }
    fn log(&self, r: &log::Record<'_>) {
        if self.enabled(r.metadata()) {
            output::warn(&format!("[{} {}] {}", r.level(), r.target(), r.args()));
        }
    }
    fn flush(&self) {}
}

static LOGGER: StderrLogger = StderrLogger;

fn run(cli: Cli) -> i32 {
    let g = cli.global;
    if g.verbose && log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Debug);
    }
    let s = match Settings::resolve(&g) {
        Ok(s) => s,
        Err(f) => return report_failure(g.json, f),
    };
    let ctx = Ctx {
        json: g.json,
        v1: g.v1,
        s,
    };
    let r = match &cli.cmd {
        Cmd::Balance(a) => account::balance(&ctx, a),
        Cmd::Lookup(a) => account::lookup(&ctx, a),
        Cmd::Send(a) => topups::send(&ctx, a),
        Cmd::Status(a) => topups::status(&ctx, a),
        Cmd::List(a) => topups::list(&ctx, a),
        Cmd::Wait(a) => topups::wait(&ctx, a),
        Cmd::Pending(a) => journal::pending(&ctx, a),
        Cmd::Recover => journal::recover(&ctx),
        Cmd::Bulk(a) => bulk::bulk(&ctx, a),
        Cmd::Sandbox(a) => sandbox::sandbox(&ctx, a),
        Cmd::Webhooks(WebhooksCmd::Verify(a)) => webhooks::verify(&ctx, a),
        Cmd::Webhooks(WebhooksCmd::Listen(a)) => webhooks::listen(&ctx, a),
    };
    match r {
        Ok(code) => code,
        Err(f) => report_failure(ctx.json, f),
    }
}
