//! cli/README.md, block by block: every command line (sh, console, cron) parses with the command's own clap
//! definition, and runs in README order against the sandbox the README starts (`clickairtime sandbox`), with
//! the exit code it documents; console output the README shows is compared with the real output. The TOML
//! example loads with the command's config reader (and is used as the default config file), the CSV example
//! parses with core's bulk parser (and is the file the bulk lines send). Rust blocks are doctests
//! (`src/lib.rs` includes the README under `cfg(doctest)`). A block in any other language fails the test.
//! The run itself is readme_run.rs.

use crate::common::{TempDir, clean};
use crate::fences::{Fence, SimpleCmd, broken_paths, commands, fences, tokenize};
use clickairtime_cli::readme_checks;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const README: &str = include_str!("../../README.md");
const LIB_RS: &str = include_str!("../../src/lib.rs");

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One command line of a block, and the output the README shows after it (console blocks).
pub struct Line {
    pub at: String,
    pub text: String,
    pub output: Vec<String>,
}

impl Line {
    pub fn cmds(&self, var: &dyn Fn(&str) -> String) -> Vec<SimpleCmd> {
        let toks = tokenize(&self.text, var).unwrap_or_else(|e| panic!("{}: {e}", self.at));
        commands(&toks).unwrap_or_else(|e| panic!("{}: {e}", self.at))
    }
}

/// The command lines of a sh, console (`$ ` lines; the lines after one are its output) or cron block.
pub fn lines_of(file: &str, f: &Fence) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    for (i, raw) in f.body.iter().enumerate() {
        let at = format!("{file}:{}", f.line + 1 + i);
        let text = match f.lang.as_str() {
            "console" => match raw.strip_prefix("$ ") {
                Some(t) => t.to_owned(),
                None => {
                    let last = out.last_mut();
                    last.unwrap_or_else(|| panic!("{at}: output before any `$ ` command"))
                        .output
                        .push(raw.clone());
                    continue;
                }
            },
            "cron" if !raw.trim().is_empty() => {
                let mut rest = raw.trim_start();
                for _ in 0..5 {
                    let (field, r) = rest
                        .split_once(' ')
                        .unwrap_or_else(|| panic!("{at}: not a crontab line"));
                    let ok = field
                        .chars()
                        .all(|c| c.is_ascii_digit() || "*/,-".contains(c));
                    assert!(ok, "{at}: {field:?} is not a crontab time field");
                    rest = r.trim_start();
                }
                rest.to_owned()
            }
            _ => raw.clone(),
        };
        if tokenize(&text, &|_| String::new()).is_ok_and(|t| t.is_empty()) {
            continue; // blank or a comment
        }
        out.push(Line {
            at,
            text,
            output: Vec::new(),
        });
    }
    assert!(
        !out.is_empty(),
        "{file}:{}: a ```{} block without a command",
        f.line,
        f.lang
    );
    out
}

const KNOWN: &[&str] = &["sh", "console", "cron", "toml", "csv", "rust"];

#[test]
fn readme_blocks_are_all_checked_its_paths_exist_and_its_examples_load() {
    let all = fences(README);
    let unknown: Vec<String> = all
        .iter()
        .filter(|f| !KNOWN.contains(&f.lang.as_str()))
        .map(|f| format!("line {}: ```{}", f.line, f.lang))
        .collect();
    assert!(
        unknown.is_empty(),
        "README.md blocks no test checks: {unknown:?}"
    );
    if all.iter().any(|f| f.lang == "rust") {
        assert!(
            LIB_RS.contains("#[cfg(doctest)]\n#[doc = include_str!(\"../README.md\")]"),
            "src/lib.rs must include README.md for its Rust blocks' doctests"
        );
    }
    let bad = broken_paths(&root().join("cli/README.md"), README, &root());
    assert!(
        bad.is_empty(),
        "README.md names what does not exist: {bad:?}"
    );
    for f in all.iter().filter(|f| f.lang == "csv") {
        let text = f.body.join("\n") + "\n";
        let rows = clickairtime::bulk::parse_csv(
            clickairtime::bulk::BulkApi::V2,
            "staff-bonus.csv",
            text.as_bytes(),
        )
        .unwrap_or_else(|e| panic!("README.md:{}: the CSV example has bad rows: {e:?}", f.line));
        assert_eq!(
            rows.len(),
            f.body.len() - 1,
            "one row per line after the header"
        );
        for (r, line) in rows.iter().zip(&f.body[1..]) {
            // a given reference is kept; an empty one is derived (from the name, the line and the sale)
            let given = line.split(',').nth(3).unwrap_or("");
            match given {
                "" => assert!(r.reference.starts_with("bulk-"), "{r:?}"),
                g => assert_eq!(r.reference, g),
            }
            assert!(
                r.metadata.contains_key("department"),
                "other columns are metadata"
            );
        }
    }
    for f in all.iter().filter(|f| f.lang == "toml") {
        check_toml(f);
    }
}

/// The TOML example: the config reader yields exactly the keys and values shown; as the default config file
/// (the path in its first comment) it is read, `~/` expanded, and the command warns while others can read it.
fn check_toml(f: &Fence) {
    let text = f.body.join("\n");
    let got = readme_checks::parse_config(&text).unwrap_or_else(|e| {
        panic!(
            "README.md:{}: the config example does not load: {e}",
            f.line
        )
    });
    let shown: BTreeMap<String, String> = f
        .body
        .iter()
        .filter(|l| !l.trim_start().starts_with('#') && l.contains('='))
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap();
            (k.trim().to_owned(), v.trim().trim_matches('"').to_owned())
        })
        .collect();
    assert_eq!(got, shown, "README.md:{}", f.line);
    let dir = TempDir::new("readme-toml");
    let path = f.body[0].trim_start_matches("# ~/").trim();
    let file = dir.path().join(path);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, &text).unwrap();
    let pending = || {
        let mut c = clean(dir.path());
        c.env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_STATE_HOME")
            .arg("pending");
        crate::common::run(c)
    };
    let journal = shown["journal"].replace("~", &dir.path().display().to_string());
    for (mode, warns) in [(0o644, true), (0o600, false)] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        let r = pending();
        assert_eq!(r.code, 0, "{r:?}");
        assert_eq!(
            r.stdout.lines().next(),
            Some(format!("journal: {journal} (config file; not created yet)").as_str()),
            "{r:?}"
        );
        assert_eq!(
            r.stderr.contains("chmod 600"),
            warns,
            "mode {mode:o}: {r:?}"
        );
    }
}

/// Every simple command of the README's command lines is one the test knows, and a `clickairtime` one
/// parses with the command's own definition.
pub fn check_known(at: &str, c: &SimpleCmd) {
    match c.argv[0].as_str() {
        "clickairtime" => {
            if let Err(e) = readme_checks::parse_args(&c.argv) {
                panic!("{at}: {:?} does not parse:\n{e}", c.argv)
            }
        }
        "cargo" => {
            assert_eq!(c.argv[1..3], ["install", "--path"], "{at}");
            let toml = std::fs::read_to_string(root().join(&c.argv[3]).join("Cargo.toml"))
                .unwrap_or_else(|e| panic!("{at}: {e}"));
            assert!(
                toml.contains("[[bin]]\nname = \"clickairtime\""),
                "{at}: that package has no `clickairtime` binary"
            );
        }
        "export" => assert!(c.argv[1..].iter().all(|a| a.contains('=')), "{at}"),
        // the cron line's alarm: the shell runs it when the check fails
        "mail" if c.after.as_deref() == Some("||") => {}
        other => panic!("{at}: the test does not know the command {other:?}"),
    }
}

#[test]
fn readme_command_lines_parse() {
    let dummy = |n: &str| match n {
        "SIG" | "TS" => "0".to_owned(),
        other => panic!("README.md uses ${other}: give the test a value for it"),
    };
    for f in fences(README)
        .iter()
        .filter(|f| matches!(f.lang.as_str(), "sh" | "console" | "cron"))
    {
        for l in lines_of("README.md", f) {
            for c in l.cmds(&dummy) {
                check_known(&l.at, &c);
            }
        }
    }
}
