//! `cliMain`: the `clickairtime` command inside the addon (what `npx clickairtime` runs).

use crate::args::{arg, bad};
use crate::{promise, sync};
use napi::Env;
use napi::bindgen_prelude::*;
use napi_derive::napi;

/// Run the `clickairtime` command (the Rust crate `clickairtime-cli`: the same code as the cargo binary and the
/// Python entry point) with `args` (`args[0]` is the program name, as in `process.argv.slice(1)`), on one of the
/// SDK's own threads; resolves with its exit code. It is what the package's `clickairtime` bin (`npx
/// clickairtime`) runs. It writes to the process's stdout and stderr (file descriptors 1 and 2) and reads its
/// environment (`CLICKAIRTIME_*`); `bulk`, `sandbox` and `webhooks listen` install a Ctrl-C / SIGTERM handler
/// for the whole process (after that, Ctrl-C exits the process with 130 when no command is running) — so call
/// it from a command-line program, not from a server.
#[napi(ts_args_type = "args: string[]", ts_return_type = "Promise<number>")]
pub fn cli_main<'e>(env: &'e Env, args: Unknown) -> Result<Object<'e>> {
    let args: Vec<String> = sync(env, || {
        let args: Vec<String> = arg(args, "args")?;
        if args.is_empty() {
            return Err(bad("args", "must hold at least the program name (args[0])"));
        }
        Ok(args)
    })?;
    promise(env, None, move || {
        let code = clickairtime_cli::main_with_args(args);
        // no Rust `main` returns here to flush them: a last line without a newline would be lost
        let _ = std::io::Write::flush(&mut std::io::stdout());
        let _ = std::io::Write::flush(&mut std::io::stderr());
        Ok(code)
    })
}
