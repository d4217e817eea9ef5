//! The journal without a crash.

use super::*;

// ---------------------------------------------------------------------------------------------------------
// The journal without a crash
// ---------------------------------------------------------------------------------------------------------

#[test]
fn a_journal_that_cannot_be_opened_fails_the_build_before_any_send() {
    let bad = Path::new("/nonexistent-clickairtime-dir/sub/journal.db");
    let e = v2::Client::builder(support::KEY)
        .base_url("http://127.0.0.1:9")
        .journal(bad)
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Journal, "{e:?}");
    let e = v1::Client::builder("a@b.c", "t")
        .base_url("http://127.0.0.1:9")
        .journal(bad)
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Journal, "{e:?}");
    // a file that is not a journal
    let junk = temp_path("junk.journal");
    std::fs::write(&junk, vec![0x42u8; 8192]).unwrap();
    let e = v2::Client::builder(support::KEY)
        .base_url("http://127.0.0.1:9")
        .journal(&junk)
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Journal, "{e:?}");
    remove_journal(&junk);
    // recover() needs one
    let e = support::v2("http://127.0.0.1:9").recover().unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidInput, Some("journal"))
    );
    assert!(
        support::v2("http://127.0.0.1:9")
            .pending()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_journal_refuses_a_different_sale_under_a_held_reference_and_is_readable() {
    let t = setup("conflict");
    let c = t.v2(BIG);
    let a = c.topups().create(&v2_order("held-1")).unwrap();
    let e = c
        .topups()
        .create(&CreateTopUp::amount(PHONE, 42, Decimal::from(6), "GHS").reference("held-1"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ReferenceConflict, "{e:?}");
    assert_eq!(e.transaction_id(), Some(a.id.as_str()));
    assert_eq!(t.posts("v2"), 1, "refused by the journal: no write");
    // a refusal by the API is written down as refused, and a new attempt may write
    let d = c.topups().create(&v2_order("held-2")).unwrap_err();
    assert_eq!(d.kind(), ErrorKind::DuplicateSale, "{d:?}");
    let entry = c.journal_entry("held-2").unwrap().unwrap();
    assert_eq!(entry.state, SendState::Refused);
    assert_eq!(entry.error_kind, Some(ErrorKind::DuplicateSale));
    // the documented schema, read as the sqlite3 tool would
    let db = rusqlite::Connection::open(&t.journal).unwrap();
    let rows: Vec<(String, String, String, Option<String>)> = db
        .prepare("select api, reference, state, transaction_id from sends order by created_at")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows[0],
        (
            "v2".into(),
            "held-1".into(),
            "sent".into(),
            Some(a.id.clone())
        )
    );
    assert_eq!(
        (rows[1].1.as_str(), rows[1].2.as_str()),
        ("held-2", "refused")
    );
    let mode: String = db
        .query_row("pragma journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode.to_lowercase(), "wal");
}
