//! The soak itself: the parent that runs the sending process, kills and restarts it, and checks the ledger.

use super::*;

// ---------------------------------------------------------------------------------------------------------
// The soak
// ---------------------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Outcome {
    Ok {
        origin: String,
        id: String,
    },
    Err {
        kind: ErrorKind,
        other: Option<String>,
    },
}

fn parse_outcome(rest: &[&str]) -> Outcome {
    match rest {
        ["ok", origin, id] => Outcome::Ok {
            origin: (*origin).to_owned(),
            id: (*id).to_owned(),
        },
        ["ok", origin] => Outcome::Ok {
            origin: (*origin).to_owned(),
            id: String::new(),
        },
        ["err", kind, other, ..] => Outcome::Err {
            kind: ErrorKind::from_name(kind).unwrap_or_else(|| panic!("kind {kind}")),
            other: (*other != "-").then(|| (*other).to_owned()),
        },
        other => panic!("bad result line {other:?}"),
    }
}

struct JournalGuard(std::path::PathBuf);

impl Drop for JournalGuard {
    fn drop(&mut self) {
        remove_journal(&self.0);
    }
}

#[test]
fn soak_1000_sends_with_faults_and_kill_9_restarts() {
    let started = Instant::now();
    let s = Sandbox::start_with(
        SandboxConfig::default()
            .processing_after(ms(10))
            .complete_after(ms(30))
            .rate_limit_per_minute(1_000_000)
            .duplicate_window(Duration::from_secs(600))
            .v1_duplicate_window(Duration::from_secs(600)),
    )
    .unwrap();
    let journal = JournalGuard(temp_path("soak.journal"));
    let plan = plan();

    // the earlier sales that duplicate-window sales and collisions refer to (no journal, no faults)
    let a2 = v2::Client::builder(s.api_key())
        .base_url(s.base_url())
        .build()
        .unwrap();
    let a1 = v1::Client::builder(s.v1_email(), s.v1_token())
        .base_url(s.base_url())
        .build()
        .unwrap();
    let mut anchor_ids: HashSet<String> = HashSet::new();
    for n in 0..ANCHORS_PER_API {
        for v2 in [true, false] {
            let a = anchor(v2, n);
            let line = send(&a2, &a1, &a);
            let id = line.split_whitespace().nth(2).unwrap().to_owned();
            assert!(line.starts_with("ok created "), "anchor {a:?}: {line}");
            anchor_ids.insert(id);
        }
    }

    // the sending process: killed KILLS times at random points, restarted each time
    let seed = fastrand::u64(..);
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut results: HashMap<usize, Vec<Outcome>> = HashMap::new();
    let mut interrupted: HashSet<usize> = HashSet::new();
    let mut kills = 0;
    let mut runs = 0;
    let todo_file = temp_path("soak.todo");
    loop {
        let todo: Vec<usize> = (0..SENDS).filter(|i| !results.contains_key(i)).collect();
        if todo.is_empty() {
            break;
        }
        runs += 1;
        assert!(runs <= KILLS + 3, "the sending process does not finish");
        std::fs::write(
            &todo_file,
            todo.iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(" "),
        )
        .unwrap();
        let envs = vec![
            ("SOAK_ROLE", "send".to_owned()),
            ("SOAK_URL", s.base_url().to_owned()),
            ("SOAK_KEY", s.api_key().to_owned()),
            ("SOAK_EMAIL", s.v1_email().to_owned()),
            ("SOAK_TOKEN", s.v1_token().to_owned()),
            ("SOAK_JOURNAL", journal.0.display().to_string()),
            ("SOAK_TODO", todo_file.display().to_string()),
        ];
        let mut child = ChildProc::spawn("soak_child", &envs);
        // kill after a random number of results (and a random moment after it)
        let kill_after = (kills < KILLS).then(|| rng.usize(60..(todo.len() / 3).max(61)));
        let mut started_here: HashSet<usize> = HashSet::new();
        let mut done_here = 0usize;
        let deadline = Instant::now() + Duration::from_secs(90);
        let mut finished = false;
        while Instant::now() < deadline {
            let Ok(line) = child.lines.recv_timeout(Duration::from_secs(10)) else {
                break;
            };
            let Some(i) = line.find("SOAK-") else {
                continue;
            };
            let words: Vec<&str> = line[i..].split_whitespace().collect();
            match words.as_slice() {
                ["SOAK-S", idx] => {
                    started_here.insert(idx.parse().unwrap());
                }
                ["SOAK-R", idx, rest @ ..] => {
                    if rest.first() == Some(&"err") && std::env::var("SOAK_VERBOSE").is_ok() {
                        eprintln!("{}", &line[i..]);
                    }
                    let idx: usize = idx.parse().unwrap();
                    results.entry(idx).or_default().push(parse_outcome(rest));
                    done_here += 1;
                    if kill_after == Some(done_here) {
                        std::thread::sleep(ms(rng.u64(0..150)));
                        child.kill9();
                        kills += 1;
                        break;
                    }
                }
                ["SOAK-DONE"] => {
                    finished = true;
                    break;
                }
                _ => {}
            }
        }
        if finished {
            assert!(
                child.finish(Duration::from_secs(10)),
                "the sending process failed"
            );
        } else {
            child.kill9();
        }
        for i in started_here {
            if !results.contains_key(&i) {
                interrupted.insert(i);
            }
        }
    }
    let _ = std::fs::remove_file(&todo_file);
    assert_eq!(kills, KILLS);

    // the final recovery pass, once the bound has passed since every write and no fault is pending
    std::thread::sleep(BOUND + ms(300));
    let (status, _) = http(s.base_url(), "DELETE", "/_sandbox/faults", None);
    assert_eq!(status, 200);
    let c2 = v2::Client::builder(s.api_key())
        .base_url(s.base_url())
        .journal(&journal.0)
        .convergence_bound(BOUND)
        .send_deadline(ms(5000))
        .build()
        .unwrap();
    let c1 = v1::Client::builder(s.v1_email(), s.v1_token())
        .base_url(s.base_url())
        .journal(&journal.0)
        .convergence_bound(BOUND)
        .send_deadline(ms(5000))
        .build()
        .unwrap();
    let recovered = c2.recover().unwrap().len() + c1.recover().unwrap().len();
    assert!(
        c2.pending().unwrap().is_empty(),
        "{:?}",
        c2.pending().unwrap()
    );
    assert!(
        c1.pending().unwrap().is_empty(),
        "{:?}",
        c1.pending().unwrap()
    );

    // ---- the ledger: (api, reference) → [(id, number)] ----
    let ledger = s.transactions();
    let mut by_ref: HashMap<(String, String), Vec<(String, String)>> = HashMap::new();
    let mut all_ids: HashMap<String, (String, String)> = HashMap::new();
    for tx in ledger["v2"].as_array().unwrap() {
        let key = (
            "v2".to_owned(),
            tx["reference"].as_str().unwrap_or("").to_owned(),
        );
        let id = tx["id"].as_str().unwrap().to_owned();
        by_ref.entry(key.clone()).or_default().push((
            id.clone(),
            tx["phone_number"].as_str().unwrap_or("").to_owned(),
        ));
        all_ids.insert(id, key);
    }
    for tx in ledger["v1"].as_array().unwrap() {
        let key = (
            "v1".to_owned(),
            tx["extRefId"].as_str().unwrap_or("").to_owned(),
        );
        let id = tx["transactionId"].as_str().unwrap().to_owned();
        by_ref
            .entry(key.clone())
            .or_default()
            .push((id.clone(), tx["msisdn"].as_str().unwrap_or("").to_owned()));
        all_ids.insert(id, key);
    }
    let created = all_ids.len() - anchor_ids.len();
    let ours = |sale: &Sale| -> Vec<String> {
        by_ref
            .get(&(sale.api().to_owned(), sale.reference.clone()))
            .map(|v| {
                v.iter()
                    .filter(|(_, number)| *number == sale.number())
                    .map(|(id, _)| id.clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    let entry = |sale: &Sale| {
        if sale.v2 {
            c2.journal_entry(&sale.reference).unwrap()
        } else {
            c1.journal_entry(&sale.reference).unwrap()
        }
    };

    // ---- the checks ----
    let mut duplicates = 0;
    let mut lost = 0;
    let mut maybe_sent_as_not_sent = 0;
    let mut other_sale_as_success = 0;
    let mut unknown_or_cut = 0;
    let mut unknown_then_recovered = 0;
    let (mut n_ok, mut n_refused, mut n_not_sent, mut n_unknown) = (0, 0, 0, 0);
    let mut problems = Vec::new();
    for txs in by_ref.values() {
        if txs.len() > 1 {
            duplicates += txs.len() - 1;
            problems.push(format!("several transactions with one reference: {txs:?}"));
        }
    }
    let mut success_ids: HashMap<String, usize> = HashMap::new();
    let mut accounted: HashSet<String> = anchor_ids.clone();
    for (i, sale) in plan.iter().enumerate() {
        let outs = results
            .get(&i)
            .unwrap_or_else(|| panic!("sale {i} has no result"));
        let mine = ours(sale);
        let last = outs.last().unwrap();
        match last {
            Outcome::Ok { .. } => n_ok += 1,
            Outcome::Err {
                kind: ErrorKind::OutcomeUnknown,
                ..
            } => n_unknown += 1,
            Outcome::Err {
                kind: ErrorKind::DuplicateSale | ErrorKind::ReferenceConflict,
                ..
            } => n_refused += 1,
            Outcome::Err { .. } => n_not_sent += 1,
        }
        for o in outs {
            match o {
                Outcome::Ok { id, origin } => {
                    *success_ids.entry(id.clone()).or_default() += 1;
                    if !mine.contains(id) {
                        if all_ids.contains_key(id) {
                            other_sale_as_success += 1;
                            problems.push(format!(
                                "sale {i} {sale:?}: success with another sale's {id} ({origin})"
                            ));
                        } else {
                            lost += 1;
                            problems.push(format!(
                                "sale {i} {sale:?}: success {id} ({origin}) is not at the server"
                            ));
                        }
                    } else {
                        accounted.insert(id.clone());
                    }
                    if sale.kind != Kind::Normal {
                        problems.push(format!(
                            "sale {i} {sale:?}: a refused sale reported success {id}"
                        ));
                    }
                }
                Outcome::Err { kind, other } => {
                    if kind.is_definitely_not_sent() && !mine.is_empty() {
                        maybe_sent_as_not_sent += 1;
                        problems.push(format!("sale {i} {sale:?}: {kind} but {mine:?} exists"));
                    }
                    if matches!(
                        kind,
                        ErrorKind::DuplicateSale | ErrorKind::ReferenceConflict
                    ) && let Some(o) = other
                        && mine.contains(o)
                    {
                        other_sale_as_success += 1;
                        problems.push(format!("sale {i}: refused naming itself {o}"));
                    }
                }
            }
        }
        // the journal's word on it, after the final recovery
        let e = entry(sale);
        let was_open = interrupted.contains(&i)
            || outs.iter().any(|o| {
                matches!(
                    o,
                    Outcome::Err {
                        kind: ErrorKind::OutcomeUnknown,
                        ..
                    }
                )
            });
        if was_open {
            unknown_or_cut += 1;
        }
        match (&e, sale.kind) {
            // a collision's reference may be held in the journal by another collision that claimed it first
            // (then this one was refused by the journal); the API holds it for the anchor
            (_, Kind::Collision(_)) => {
                if was_open && e.as_ref().is_none_or(|e| !e.state.is_open()) {
                    unknown_then_recovered += 1;
                }
            }
            (None, _) => problems.push(format!("sale {i}: not in the journal")),
            (Some(e), _) => {
                match e.state {
                    SendState::Sent => {
                        let id = e.transaction_id.clone().unwrap_or_default();
                        if mine.contains(&id) {
                            accounted.insert(id);
                        } else {
                            lost += 1;
                            problems.push(format!(
                                "sale {i}: journal says sent {id}, the server has {mine:?}"
                            ));
                        }
                    }
                    SendState::NotSent | SendState::Refused if !mine.is_empty() => {
                        maybe_sent_as_not_sent += 1;
                        problems.push(format!(
                            "sale {i}: journal says {} but {mine:?} exists",
                            e.state
                        ));
                    }
                    SendState::InFlight | SendState::Unknown => {
                        problems.push(format!("sale {i}: journal still {}", e.state));
                    }
                    _ => {}
                }
                if was_open && !e.state.is_open() {
                    unknown_then_recovered += 1;
                }
            }
        }
    }
    for (id, n) in &success_ids {
        if *n > 1 {
            duplicates += n - 1;
            problems.push(format!("{id} reported as the success of {n} sales"));
        }
    }
    for (id, key) in &all_ids {
        if !accounted.contains(id) {
            lost += 1;
            problems.push(format!(
                "transaction {id} {key:?} is accounted for by no success and no journal entry"
            ));
        }
    }
    // how each category of sale ended
    let mut ends: std::collections::BTreeMap<String, usize> = Default::default();
    for (i, sale) in plan.iter().enumerate() {
        let cat = match sale.kind {
            Kind::Normal => "normal",
            Kind::DuplicateWindow(_) => "duplicate-window",
            Kind::Collision(_) => "collision",
        };
        let end = match results[&i].last().unwrap() {
            Outcome::Ok { origin, .. } => format!("ok {origin}"),
            Outcome::Err { kind, .. } => kind.to_string(),
        };
        *ends.entry(format!("{cat} {end}")).or_default() += 1;
    }
    eprintln!("soak ends: {ends:?}");
    let faults = plan.iter().filter(|s| s.fault.is_some()).count();
    let late = plan
        .iter()
        .filter(|s| {
            s.fault
                .as_deref()
                .is_some_and(|f| f.contains("late_commit"))
        })
        .count();
    let dup = plan
        .iter()
        .filter(|s| matches!(s.kind, Kind::DuplicateWindow(_)))
        .count();
    let coll = plan
        .iter()
        .filter(|s| matches!(s.kind, Kind::Collision(_)))
        .count();
    let faulted = plan
        .iter()
        .filter(|s| s.fault.is_some() || s.kind != Kind::Normal)
        .count();
    let stats = s.stats();
    let writes = stats["v1"]["posts"].as_u64().unwrap() + stats["v2"]["posts"].as_u64().unwrap();
    let figures = format!(
        "soak: sends {SENDS} ({faulted} faulted: {dup} duplicate-window, {coll} reference collisions, {faults} injected faults incl. {late} late commits; kill -9 restarts {kills}), \
         transactions created {created} (+{} earlier sales), writes {writes}, duplicates {duplicates}, lost {lost}, maybe-sent reported as not-sent {maybe_sent_as_not_sent}, \
         other-sale-as-success {other_sale_as_success}, unknown or cut by a kill {unknown_or_cut} -> recovered {unknown_then_recovered} (final recover pass settled {recovered}); \
         ends: success {n_ok}, refused {n_refused}, not sent {n_not_sent}, unknown {n_unknown}; seed {seed}; {:.1} s",
        anchor_ids.len(),
        started.elapsed().as_secs_f64()
    );
    eprintln!("{figures}");
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/soak-figures.txt");
    let _ = std::fs::write(out, format!("{figures}\n"));
    for p in problems.iter().take(30) {
        eprintln!("  {p}");
    }
    assert!(faulted * 5 >= SENDS, "at least 20% faults: {figures}");
    assert_eq!(duplicates, 0, "{figures}");
    assert_eq!(lost, 0, "{figures}");
    assert_eq!(maybe_sent_as_not_sent, 0, "{figures}");
    assert_eq!(other_sale_as_success, 0, "{figures}");
    assert_eq!(
        unknown_then_recovered, unknown_or_cut,
        "every open sale was settled: {figures}"
    );
    assert!(problems.is_empty(), "{figures}\n{}", problems.join("\n"));
    assert!(started.elapsed() < Duration::from_secs(150), "{figures}");
}
