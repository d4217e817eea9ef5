//! sandbox/README.md, block by block: its Rust blocks are doctests (sandbox/src/lib.rs includes the README
//! under `cfg(doctest)`); its console lines are checked here. `cargo run -p … -- OPTIONS` names the sandbox's
//! package and options its binary takes (the parser in sandbox/src/main.rs), and the lines shown are the ones
//! that binary prints; the `curl` line runs against a sandbox and answers what the README shows. The options
//! table lists exactly the binary's options. A block in any other language fails the test.

use crate::common::http;
use crate::fences::{SimpleCmd, broken_paths, fences};
use crate::readme::{Line, lines_of, root};
use clickairtime_sandbox::{DEFAULT_V1_EMAIL, Sandbox};
use serde_json::Value;
use std::collections::BTreeSet;

const README: &str = include_str!("../../../sandbox/README.md");
const MAIN_RS: &str = include_str!("../../../sandbox/src/main.rs");
const LIB_RS: &str = include_str!("../../../sandbox/src/lib.rs");
const CARGO_TOML: &str = include_str!("../../../sandbox/Cargo.toml");

/// The options the binary takes: the `"--name"` string literals of `parse_args` in sandbox/src/main.rs.
fn options_in_main() -> BTreeSet<String> {
    let body = &MAIN_RS[MAIN_RS.find("fn parse_args").unwrap()..MAIN_RS.find("fn main").unwrap()];
    body.match_indices("\"--")
        .filter_map(|(i, _)| {
            let rest = &body[i + 1..];
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))?;
            (end > 2 && rest[end..].starts_with('"')).then(|| rest[..end].to_owned())
        })
        .collect()
}

/// The variables the binary prints, in order (`writeln!(out, "NAME={}"…`).
fn printed_by_main() -> Vec<String> {
    MAIN_RS
        .match_indices("writeln!(out, \"")
        .filter_map(|(i, m)| Some(MAIN_RS[i + m.len()..].split_once('=')?.0.to_owned()))
        .collect()
}

#[test]
fn sandbox_readme_blocks_are_checked_and_its_paths_exist() {
    let all = fences(README);
    for f in &all {
        assert!(
            matches!(f.lang.as_str(), "rust" | "console"),
            "sandbox/README.md:{}: a ```{} block no test checks",
            f.line,
            f.lang
        );
    }
    assert!(
        LIB_RS.contains("#[cfg(doctest)]\n#[doc = include_str!(\"../README.md\")]"),
        "sandbox/src/lib.rs must include README.md for its Rust blocks' doctests"
    );
    let bad = broken_paths(&root().join("sandbox/README.md"), README, &root());
    assert!(
        bad.is_empty(),
        "sandbox/README.md names what does not exist: {bad:?}"
    );
    // the options table: exactly the binary's options (its help aside)
    let table: BTreeSet<String> = README
        .lines()
        .filter_map(|l| l.strip_prefix("| `--"))
        .map(|l| format!("--{}", l.split([' ', '`']).next().unwrap()))
        .collect();
    let mut main = options_in_main();
    main.remove("--help");
    assert_eq!(
        table, main,
        "sandbox/README.md's options table vs sandbox/src/main.rs"
    );
}

#[test]
fn sandbox_readme_console_lines_are_what_the_sandbox_does() {
    let sb = Sandbox::start().unwrap();
    let mut ran = 0;
    for f in fences(README).iter().filter(|f| f.lang == "console") {
        for line in lines_of("sandbox/README.md", f) {
            let cmds = line.cmds(&|n| match n {
                "CLICKAIRTIME_SANDBOX_URL" => sb.base_url().to_owned(),
                other => panic!("{}: ${other} has no value in the test", line.at),
            });
            assert_eq!(cmds.len(), 1, "{}", line.at);
            match cmds[0].argv[0].as_str() {
                "cargo" => check_cargo_run(&line, &cmds[0], &sb),
                "curl" => check_curl(&line, &cmds[0]),
                other => panic!("{}: the test does not know the command {other:?}", line.at),
            }
            ran += 1;
        }
    }
    assert!(ran >= 2, "{ran} console lines");
}

/// `cargo run -p PACKAGE -- OPTIONS`: the sandbox's package, options its binary takes, and the lines it prints.
fn check_cargo_run(line: &Line, c: &SimpleCmd, sb: &Sandbox) {
    let at = &line.at;
    assert_eq!(c.argv[1..3], ["run", "-p"], "{at}");
    assert!(
        CARGO_TOML.contains(&format!("[[bin]]\nname = \"{}\"", c.argv[3])),
        "{at}: no such binary"
    );
    assert!(
        CARGO_TOML.contains(&format!("[package]\nname = \"{}\"", c.argv[3])),
        "{at}: no such package"
    );
    assert_eq!(c.argv[4], "--", "{at}");
    let options = options_in_main();
    let mut args = c.argv[5..].iter();
    while let Some(a) = args.next() {
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) => (n, Some(v.to_owned())),
            None => (a.as_str(), None),
        };
        assert!(options.contains(name), "{at}: the sandbox takes no {name}");
        if name.ends_with("-ms") || name == "--port" || name == "--rate-limit" {
            let v = inline.or_else(|| args.next().cloned()).unwrap_or_default();
            assert!(v.parse::<u64>().is_ok(), "{at}: {name} {v}: not a number");
        }
    }
    let shown: Vec<(&str, &str)> = line
        .output
        .iter()
        .map(|l| l.split_once('=').unwrap())
        .collect();
    let names: Vec<String> = shown.iter().map(|(k, _)| k.to_string()).collect();
    assert_eq!(
        names,
        printed_by_main(),
        "{at}: the lines the binary prints"
    );
    let hexish = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase() || c == '-')
    };
    for (k, v) in shown {
        let v = v.trim_end_matches('…');
        match k {
            "CLICKAIRTIME_SANDBOX_URL" => {
                for u in [v, sb.base_url()] {
                    let port = u
                        .strip_prefix("http://127.0.0.1:")
                        .unwrap_or_else(|| panic!("{at}: {u}"));
                    assert!(port.parse::<u16>().is_ok(), "{at}: {u}");
                }
            }
            "CLICKAIRTIME_API_KEY" => {
                assert!(
                    v.starts_with("ce_live_") && sb.api_key().starts_with("ce_live_"),
                    "{at}"
                );
                assert!(v[8..].chars().all(|c| c.is_ascii_alphanumeric()), "{at}");
            }
            "CLICKAIRTIME_V1_EMAIL" => {
                assert_eq!((v, sb.v1_email()), (DEFAULT_V1_EMAIL, DEFAULT_V1_EMAIL))
            }
            "CLICKAIRTIME_V1_TOKEN" => assert!(hexish(v) && hexish(sb.v1_token()), "{at}: {v}"),
            other => panic!("{at}: {other}"),
        }
    }
}

/// `curl -s -XMETHOD URL -d BODY`: run over HTTP; the answer is the JSON the README shows.
fn check_curl(line: &Line, c: &SimpleCmd) {
    let at = &line.at;
    let (mut method, mut url, mut body) = ("GET".to_owned(), None, Vec::new());
    let mut args = c.argv[1..].iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "-s" => {}
            "-d" => {
                body = args.next().expect("-d BODY").clone().into_bytes();
                method = "POST".into();
            }
            m if m.starts_with("-X") => method = m[2..].to_owned(),
            u if u.starts_with("http://") => url = Some(u.to_owned()),
            other => panic!("{at}: curl {other}: not known to the test"),
        }
    }
    let (status, answer) = http(&url.expect("a URL"), &method, &[], &body);
    assert_eq!(status, 200, "{at}: {answer}");
    let got: Value = serde_json::from_str(&answer).unwrap();
    let shown: Value = serde_json::from_str(&line.output.join("\n"))
        .unwrap_or_else(|e| panic!("{at}: the README's answer is not JSON: {e}"));
    assert_eq!(got, shown, "{at}");
}
