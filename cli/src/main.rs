//! `clickairtime`: see `clickairtime --help` and cli/README.md. Everything lives in the library, which the
//! Python and Node packages call too.

fn main() {
    std::process::exit(clickairtime_cli::main_from_env());
}
