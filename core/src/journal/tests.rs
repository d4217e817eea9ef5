use super::*;

fn record_round_trips<
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
>(
    fixture: &[u8],
) {
    let v: serde_json::Value = serde_json::from_slice(fixture).unwrap();
    let data = v["data"].clone();
    let data = if data.is_array() {
        data[0].clone()
    } else {
        data
    };
    let rec: T = serde_json::from_value(data).unwrap();
    let stored = serde_json::to_string(&rec).unwrap();
    let back: T = serde_json::from_str(&stored).unwrap();
    assert_eq!(rec, back);
}

#[test]
fn recorded_records_read_back_identically() {
    record_round_trips::<crate::v2::TopUp>(include_bytes!(
        "../../../tests/fixtures/seed_v2_topup_create_201.json"
    ));
    record_round_trips::<crate::v1::Transaction>(include_bytes!(
        "../../../tests/fixtures/seed_v1_transactions_200.json"
    ));
    record_round_trips::<crate::v1::Transaction>(include_bytes!(
        "../../../tests/fixtures/seed_v1_adp_success_200.json"
    ));
}

#[test]
fn claims_follow_the_states() {
    let dir = std::env::temp_dir().join(format!("ca-journal-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("j.sqlite");
    let j = Journal::open(&path).unwrap();
    let lease = Duration::from_secs(60);
    let body = br#"{"phone_number":"+233541112259"}"#;
    assert!(matches!(
        j.claim(Api::V2, "r1", Some("k"), body, "fp", lease)
            .unwrap(),
        Claim::Fresh
    ));
    // a live lease: another sender holds it
    assert!(matches!(
        j.claim(Api::V2, "r1", Some("k"), body, "fp", lease)
            .unwrap(),
        Claim::Busy(_)
    ));
    // another sale under the same reference
    assert!(matches!(
        j.claim(Api::V2, "r1", Some("k"), body, "other", lease)
            .unwrap(),
        Claim::Conflict(_)
    ));
    j.mark_writing(Api::V2, "r1", 5).unwrap();
    j.finish(Api::V2, "r1", SendState::Unknown, None, None, None, None)
        .unwrap();
    assert_eq!(j.pending("v2").unwrap().len(), 1);
    let Claim::Resume(e) = j
        .claim(Api::V2, "r1", Some("k"), body, "fp", lease)
        .unwrap()
    else {
        panic!("unknown resumes");
    };
    assert_eq!(e.writes, 1);
    assert_eq!(e.last_write_at, Some(5));
    j.finish(
        Api::V2,
        "r1",
        SendState::Sent,
        Some("tx-1"),
        Some("completed"),
        None,
        Some("{}"),
    )
    .unwrap();
    assert!(matches!(
        j.claim(Api::V2, "r1", Some("k"), body, "fp", lease)
            .unwrap(),
        Claim::Recorded(_)
    ));
    assert!(j.pending("v2").unwrap().is_empty());
    // the same reference is a different entry for the other API
    assert!(matches!(
        j.claim(Api::V1, "r1", None, body, "fp", lease).unwrap(),
        Claim::Fresh
    ));
    // a second handle (another process) sees the same rows
    let j2 = Journal::open(&path).unwrap();
    assert_eq!(
        j2.get("v2", "r1")
            .unwrap()
            .unwrap()
            .transaction_id
            .as_deref(),
        Some("tx-1")
    );
    // an in-flight entry of a live owner is busy for the other handle; once that owner is gone
    // (its lock released, as at a crash or close), it resumes at once despite the running lease
    assert!(matches!(
        j.claim(Api::V2, "r2", Some("k"), body, "fp", lease)
            .unwrap(),
        Claim::Fresh
    ));
    assert!(matches!(
        j2.claim(Api::V2, "r2", Some("k"), body, "fp", lease)
            .unwrap(),
        Claim::Busy(_)
    ));
    drop(j);
    assert!(matches!(
        j2.claim(Api::V2, "r2", Some("k"), body, "fp", lease)
            .unwrap(),
        Claim::Resume(_)
    ));
    drop(j2);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_unwritable_journal_is_an_error_before_anything() {
    let e = Journal::open("/nonexistent-dir-ca/x/j.sqlite").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Journal);
    assert!(e.message().contains("/nonexistent-dir-ca/x/j.sqlite"));
}

/// docs/JOURNAL.md and this module's doc show the table a new journal really creates: same columns, same
/// order, same types and NOT NULLs.
#[test]
fn the_documented_schema_is_the_real_one() {
    fn documented(text: &str) -> Vec<(String, String, bool)> {
        let start = text.find("CREATE TABLE sends (").expect("schema block");
        let body = &text[start..];
        let body = &body[..body.find(");").expect("end of schema")];
        body.lines()
            .skip(1)
            .map(|l| l.trim().trim_start_matches("//!").trim())
            .filter(|l| !l.is_empty() && !l.starts_with("PRIMARY KEY"))
            .map(|l| {
                let l = l.split("--").next().unwrap().trim().trim_end_matches(',');
                let mut w = l.split_whitespace();
                let name = w.next().unwrap().to_owned();
                let ty = w.next().unwrap().to_owned();
                (name, ty, l.contains("NOT NULL"))
            })
            .collect()
    }
    let dir = std::env::temp_dir().join(format!("ca-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("j.sqlite");
    let _j = Journal::open(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mut stmt = conn.prepare("PRAGMA table_info(sends)").unwrap();
    let real: Vec<(String, String, bool)> = stmt
        .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? == 1)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert!(!real.is_empty());
    let docs = documented(include_str!("../../../docs/JOURNAL.md"));
    let module = documented(include_str!("mod.rs"));
    assert_eq!(docs, real, "docs/JOURNAL.md");
    assert_eq!(module, real, "core/src/journal/mod.rs");
    drop(stmt);
    drop(conn);
    let _ = std::fs::remove_dir_all(&dir);
}
