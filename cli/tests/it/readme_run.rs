//! cli/README.md's command lines, run in README order against the sandbox the README starts (`clickairtime
//! sandbox`), each with the exit code it documents; console output the README shows is compared with the real
//! output. See readme.rs for the other checks of the README.

use crate::common::{TempDir, clean, http, interrupt};
use crate::fences::{Fence, SimpleCmd, fences, mask_times, matches};
use crate::readme::{Line, README, check_known, lines_of};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[test]
fn readme_command_lines_run_against_the_sandbox_it_starts() {
    let mut r = Runner::new();
    let all = fences(README);
    let csv: Vec<&Fence> = all.iter().filter(|f| f.lang == "csv").collect();
    assert_eq!(
        csv.len(),
        1,
        "one CSV example: the file the bulk lines send"
    );
    std::fs::write(
        r.dir.path().join("staff-bonus.csv"),
        csv[0].body.join("\n") + "\n",
    )
    .unwrap();
    r.csv_rows = csv[0].body.len() - 1;
    for f in all
        .iter()
        .filter(|f| matches!(f.lang.as_str(), "sh" | "console" | "cron"))
    {
        for line in lines_of("README.md", f) {
            if ["$SIG", "$TS"].iter().any(|v| line.text.contains(v)) && !r.vars.contains_key("SIG")
            {
                r.signed_delivery();
            }
            let cmds = line.cmds(&|n| r.vars.get(n).cloned().unwrap_or_else(|| panic!("no ${n}")));
            for c in &cmds {
                check_known(&line.at, c);
                match c.argv[0].as_str() {
                    "clickairtime" => r.exec(&line, c),
                    "export" => r.export(&line, c),
                    _ => {} // cargo install (checked), mail (not run)
                }
            }
        }
    }
    let mut child = r.sandbox.take().expect("the README started a sandbox");
    interrupt(&child);
    let t = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "Ctrl-C stops the sandbox"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The report's columns as the README lists them ("has one line per row: `row, reference, outcome (…), …`").
fn report_columns() -> String {
    let (_, rest) = README
        .split_once("has one line per row: `")
        .expect("the report's columns");
    let mut cols = rest[..rest.find('`').unwrap()].to_owned();
    while let (Some(i), Some(j)) = (cols.find(" ("), cols.find(')')) {
        cols.replace_range(i..=j, "");
    }
    cols.split(',').map(str::trim).collect::<Vec<_>>().join(",")
}

struct Runner {
    dir: TempDir,
    env: BTreeMap<String, String>,
    /// The README's sandbox output (what its export line copies) and the real one.
    readme_printed: BTreeMap<String, String>,
    printed: BTreeMap<String, String>,
    sandbox: Option<Child>,
    /// `$SIG`, `$TS` of the webhook lines.
    vars: BTreeMap<String, String>,
    topup_id: Option<String>,
    /// The reference of the `pending` example's open send.
    unknown_ref: Option<String>,
    csv_rows: usize,
}

impl Drop for Runner {
    /// A failed check must not leave the sandbox process running.
    fn drop(&mut self) {
        if let Some(mut c) = self.sandbox.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Runner {
    fn new() -> Runner {
        Runner {
            dir: TempDir::new("readme"),
            env: BTreeMap::new(),
            readme_printed: BTreeMap::new(),
            printed: BTreeMap::new(),
            sandbox: None,
            vars: BTreeMap::new(),
            topup_id: None,
            unknown_ref: None,
            csv_rows: 0,
        }
    }

    fn url(&self) -> &str {
        &self.printed["CLICKAIRTIME_SANDBOX_URL"]
    }

    /// The binary as an operator's shell runs it: HOME in the test's folder, the default XDG paths, the
    /// exported variables.
    fn run(&self, args: &[String], stdin: Option<&str>) -> Out {
        let mut c = clean(self.dir.path());
        c.env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_STATE_HOME")
            .envs(&self.env)
            .args(&args[1..]);
        match stdin {
            Some(f) => c.stdin(std::fs::File::open(self.dir.path().join(f)).unwrap()),
            None => c.stdin(Stdio::null()),
        };
        let o = c.output().unwrap();
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    fn export(&mut self, line: &Line, c: &SimpleCmd) {
        for a in &c.argv[1..] {
            let (k, v) = a.split_once('=').unwrap();
            // the line copies what the sandbox printed, and so does the test (the real values)
            assert_eq!(
                self.readme_printed.get(k).map(String::as_str),
                Some(v),
                "{}",
                line.at
            );
            self.env.insert(k.to_owned(), self.printed[k].clone());
        }
    }

    fn exec(&mut self, line: &Line, c: &SimpleCmd) {
        let sub: Vec<&str> = c.argv[1..]
            .iter()
            .map(String::as_str)
            .filter(|a| !a.starts_with('-'))
            .collect();
        match sub.first().copied() {
            Some("sandbox") if self.sandbox.is_none() => return self.start_sandbox(line, c),
            // long-running: parsed; `sandbox` ran above, `webhooks listen` runs in processes.rs
            Some("sandbox") => return,
            Some("webhooks") if sub.get(1) == Some(&"listen") => return,
            Some("pending") if self.unknown_ref.is_none() => self.open_unknown_send(line),
            Some("recover") => self.await_late_commit(),
            _ => {}
        }
        if c.argv.iter().any(|a| a == "--v1") {
            // "export those lines": all of them
            for (k, v) in &self.printed {
                self.env.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        let args = self.fill(&c.argv);
        let expected = match args.iter().position(|a| a == "--below") {
            Some(i) => self.below_code(&args, &args[i + 1]),
            None => 0,
        };
        let o = self.run(&args, c.stdin.as_deref());
        let ctx = format!(
            "{}: {}\nexit {}\n{}{}",
            line.at, line.text, o.code, o.stdout, o.stderr
        );
        assert_eq!(o.code, expected, "{ctx}");
        if !line.output.is_empty() {
            self.compare(line, &o.stdout);
        }
        if let Some(f) = c.stdout.as_deref().filter(|f| *f != "/dev/null") {
            std::fs::write(self.dir.path().join(f), &o.stdout).unwrap();
            if f.ends_with(".csv") {
                assert!(o.stdout.starts_with("id,"), "a CSV with its header: {ctx}");
            }
        }
        if args.iter().any(|a| a == "--help") {
            for w in [
                "Exit codes:",
                "Configuration:",
                "balance",
                "bulk",
                "webhooks",
            ] {
                assert!(o.stdout.contains(w), "--help shows {w}: {ctx}");
            }
        }
        if sub.first() == Some(&"send") && args.iter().any(|a| a == "--wait") {
            let last = o.stdout.lines().last().unwrap_or_default();
            assert!(last.starts_with("delivered: top-up "), "{ctx}");
            self.topup_id
                .get_or_insert(last.split_whitespace().nth(2).unwrap().to_owned());
        }
        if sub.first() == Some(&"bulk") && !args.iter().any(|a| a == "--dry-run") {
            let report = match args.iter().position(|a| a == "--report") {
                Some(i) => args[i + 1].clone(),
                None => sub[1].replace(".csv", ".report.csv"),
            };
            let text = std::fs::read_to_string(self.dir.path().join(&report))
                .unwrap_or_else(|e| panic!("{ctx}\nreport {report}: {e}"));
            assert_eq!(
                text.lines().count(),
                1 + self.csv_rows,
                "a header and one line per row: {text}"
            );
            assert_eq!(
                text.lines().next(),
                Some(report_columns().as_str()),
                "{ctx}"
            );
        }
    }

    /// Placeholders of the README made real: `3f0c…` a top-up the README sent, `--account ID` a V1 account,
    /// `ce_live_…` the sandbox's key.
    fn fill(&self, argv: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for a in argv {
            let v = match a.as_str() {
                "3f0c…" => self.topup_id.clone().expect("a top-up sent before"),
                "ce_live_…" => self.printed["CLICKAIRTIME_API_KEY"].clone(),
                "ID" if out.last().is_some_and(|p| p == "--account") => {
                    let o = self.run(
                        &["clickairtime", "--json", "--v1", "balance"].map(String::from),
                        None,
                    );
                    let v: Value = serde_json::from_str(&o.stdout).unwrap();
                    v["accounts"][0]["account_id"].as_str().unwrap().to_owned()
                }
                _ => a.clone(),
            };
            out.push(v);
        }
        out
    }

    /// What `--below` must exit with: 6 when a balance it checks (per its `--json` answer) is lower.
    fn below_code(&self, args: &[String], threshold: &str) -> i32 {
        let mut j = vec![args[0].clone(), "--json".into()];
        j.extend_from_slice(&args[1..]);
        let o = self.run(&j, None);
        let v: Value =
            serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", o.stdout));
        let checked = v["threshold_check"]["checked"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(!checked.is_empty(), "{v}");
        let num = |s: &Value| s.as_str().unwrap().parse::<f64>().unwrap();
        let below = checked
            .iter()
            .any(|c| num(&c["balance"]) < num(&Value::from(threshold)));
        if let Some(i) = args.iter().position(|a| a == "--currency") {
            assert!(
                checked
                    .iter()
                    .all(|c| c["currency"] == args[i + 1].as_str()),
                "{v}"
            );
        }
        let code = if below { 6 } else { 0 };
        assert_eq!(v["exit_code"], code, "{v}");
        code
    }

    /// `clickairtime sandbox --port N`, on a port the OS picks; its lines are what the README shows.
    fn start_sandbox(&mut self, line: &Line, c: &SimpleCmd) {
        let port_at = c.argv.iter().position(|a| a == "--port").expect("--port") + 1;
        let mut args = c.argv.clone();
        args[port_at] = "0".into();
        let mut child = clean(self.dir.path())
            .args(&args[1..])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        self.sandbox = Some(child);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for l in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(l);
            }
        });
        let got: Vec<String> = line
            .output
            .iter()
            .map(|_| {
                rx.recv_timeout(Duration::from_secs(10))
                    .expect("the sandbox's lines")
            })
            .collect();
        for l in &got {
            let (k, v) = l.split_once('=').unwrap();
            self.printed.insert(k.into(), v.into());
        }
        let real = self.url().trim_start_matches("http://").to_owned();
        for (shown, l) in line.output.iter().zip(&got) {
            let (k, v) = shown.split_once('=').unwrap();
            self.readme_printed.insert(k.into(), v.into());
            // the README's port is the one it asked for; the test's is the OS's
            let shown = shown.replace(&format!("127.0.0.1:{}", c.argv[port_at]), &real);
            assert!(
                matches(&shown, l),
                "{}: the sandbox printed {l:?}, README shows {shown:?}",
                line.at
            );
        }
        // the README's lines follow each other faster than a person types: no "same sale moments ago" window
        let (s, b) = http(
            &format!("{}/_sandbox/config", self.url()),
            "POST",
            &[],
            br#"{"duplicate_window_ms":0}"#,
        );
        assert_eq!(s, 200, "{b}");
    }

    /// Output the README shows, against the real output (`…` stands for a value; times and the home folder
    /// are the README's).
    fn compare(&self, line: &Line, stdout: &str) {
        let home = self.dir.path().display().to_string();
        let shown_home = line
            .output
            .iter()
            .find_map(|l| l.strip_prefix("journal: ")?.split_once("/.local/state/"))
            .map(|(h, _)| h.to_owned());
        let actual = match &shown_home {
            Some(h) => stdout.replace(&home, h),
            None => stdout.to_owned(),
        };
        let actual: Vec<&str> = actual.lines().collect();
        let ok = actual.len() == line.output.len()
            && line
                .output
                .iter()
                .zip(&actual)
                .all(|(s, a)| matches(&mask_times(&s.replace("3f0c…", "…")), &mask_times(a)));
        assert!(
            ok,
            "{}: {}\nREADME shows:\n{}\nthe command printed:\n{}",
            line.at,
            line.text,
            line.output.join("\n"),
            actual.join("\n")
        );
    }

    /// For the `pending` / `recover` example: a send whose outcome is unknown (its write is committed only
    /// after the send's deadline), with the reference the README shows.
    fn open_unknown_send(&mut self, line: &Line) {
        let reference = line
            .output
            .iter()
            .find_map(|l| l.strip_prefix("v2 ")?.split_whitespace().next())
            .expect("a v2 row");
        let fault =
            br#"{"fault":"late_commit","method":"POST","path":"/v2/topups","delay_ms":2500}"#;
        assert_eq!(
            http(
                &format!("{}/_sandbox/faults", self.url()),
                "POST",
                &[],
                fault
            )
            .0,
            200
        );
        let args = [
            "clickairtime",
            "--send-deadline",
            "1",
            "send",
            "+233541112259",
            "--amount",
            "7",
            "--currency",
            "GHS",
            "--reference",
            reference,
        ];
        let o = self.run(&args.map(String::from), None);
        assert_eq!(o.code, 3, "{}{}", o.stdout, o.stderr);
        self.unknown_ref = Some(reference.to_owned());
    }

    fn await_late_commit(&self) {
        let t = Instant::now();
        loop {
            let (_, body) = http(
                &format!("{}/_sandbox/transactions", self.url()),
                "GET",
                &[],
                b"",
            );
            let v: Value = serde_json::from_str(&body).unwrap();
            let reference = self.unknown_ref.as_deref().expect("the open send");
            if v["v2"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["reference"] == reference)
            {
                return;
            }
            assert!(
                t.elapsed() < Duration::from_secs(10),
                "the late commit landed"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// For the `webhooks verify` lines: a delivery the sandbox signed (to a local receiver), as `body.json`,
    /// `$SIG` and `$TS`.
    fn signed_delivery(&mut self) {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let hook = format!("http://{}/hooks", l.local_addr().unwrap());
        std::thread::spawn(move || {
            for mut s in l.incoming().map_while(Result::ok) {
                let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
                let mut buf = [0u8; 8192];
                let _ = s.read(&mut buf);
                let _ = s.write_all(
                    b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        });
        let args = [
            "clickairtime",
            "send",
            "+233541112263",
            "--amount",
            "3",
            "--currency",
            "GHS",
            "--callback-url",
            &hook,
        ];
        let o = self.run(&args.map(String::from), None);
        assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
        let t = Instant::now();
        let d = loop {
            let (_, body) = http(
                &format!("{}/_sandbox/webhooks", self.url()),
                "GET",
                &[],
                b"",
            );
            let v: Value = serde_json::from_str(&body).unwrap();
            let found = v["deliveries"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["url"] == hook.as_str() && d["outcome"] == "delivered")
                .cloned();
            if let Some(d) = found {
                break d;
            }
            assert!(t.elapsed() < Duration::from_secs(10), "a delivery: {v}");
            std::thread::sleep(Duration::from_millis(50));
        };
        std::fs::write(
            self.dir.path().join("body.json"),
            d["body"].as_str().unwrap(),
        )
        .unwrap();
        for (var, h) in [
            ("SIG", "X-Webhook-Signature"),
            ("TS", "X-Webhook-Timestamp"),
        ] {
            self.vars
                .insert(var.into(), d["headers"][h].as_str().unwrap().to_owned());
        }
    }
}
