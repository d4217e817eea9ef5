//! Property tests over every response decoder: arbitrary bytes, arbitrary JSON, and each documented fixture
//! mutated. Each must end in a value or a typed error — never a panic.

use crate::error::ErrorKind;
use crate::response::Response;
use crate::sendproto::Answer;
use crate::transport::RawResponse;
use proptest::prelude::*;

const FIXTURES: &[&[u8]] = &[
    include_bytes!("../../tests/fixtures/v2_topup_status_200.json"),
    include_bytes!("../../tests/fixtures/seed_v2_topup_create_201.json"),
    include_bytes!("../../tests/fixtures/v2_balance_200.json"),
    include_bytes!("../../tests/fixtures/v2_catalog_networks_200.json"),
    include_bytes!("../../tests/fixtures/v2_error_insufficient_balance.json"),
    include_bytes!("../../tests/fixtures/v2_error_rate_limited_429_guide.json"),
    include_bytes!("../../tests/fixtures/seed_v1_adp_success_200.json"),
    include_bytes!("../../tests/fixtures/seed_v1_transactions_200.json"),
    include_bytes!("../../tests/fixtures/seed_v1_adp_error_low_balance.json"),
    include_bytes!("../../tests/fixtures/v1_error_insufficient_balance_guide_code0.json"),
    include_bytes!("../../tests/fixtures/v1_product_catalog_200.json"),
];

fn raw(status: u16, body: Vec<u8>) -> RawResponse {
    RawResponse {
        status,
        body,
        rate_limit: None,
        retry_after: None,
    }
}

/// Run every decoder on one answer; any outcome but a panic is fine, and errors must be typed and keep a body
/// when they are about the body.
fn decode_all(status: u16, body: &[u8]) {
    let r = raw(status, body.to_vec());
    fn check<T>(res: crate::Result<Response<T>>) {
        if let Err(e) = res {
            assert!(ErrorKind::ALL.contains(&e.kind()));
            if e.kind() == ErrorKind::UnexpectedResponse {
                assert!(e.body().is_some() || e.http_status().is_some());
            }
        }
    }
    check(crate::v2::decode::<crate::v2::TopUp>(&r));
    check(crate::v2::decode::<Vec<crate::v2::TopUp>>(&r));
    check(crate::v2::decode::<crate::v2::Balance>(&r));
    check(crate::v2::decode::<crate::v2::Catalog>(&r));
    check(crate::v2::decode::<Vec<crate::v2::Network>>(&r));
    check(crate::v2::decode::<Vec<crate::v2::Country>>(&r));
    let _ = crate::v2::api_error(&r);
    check(crate::v1::decode::<Vec<crate::v1::Transaction>>(&r));
    check(crate::v1::decode::<Vec<crate::v1::Service>>(&r));
    check(crate::v1::decode::<Vec<crate::v1::AccountBalance>>(&r));
    check(crate::v1::decode::<Vec<crate::v1::Product>>(&r));
    let _ = crate::v1::interpret_for_tests(&r);
    let _ = crate::v2::webhooks::parse(body);
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        "[a-zA-Z0-9_.:+-]{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let keys = prop_oneof![
            Just("success".to_owned()),
            Just("data".to_owned()),
            Just("error".to_owned()),
            Just("code".to_owned()),
            Just("meta".to_owned()),
            Just("status".to_owned()),
            Just("amount".to_owned()),
            Just("id".to_owned()),
            Just("state".to_owned()),
            Just("wallets".to_owned()),
            Just("network".to_owned()),
            "[a-z_]{1,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(status in prop_oneof![Just(200u16), Just(201), Just(400), Just(403), Just(409), Just(429), Just(500)],
                       body in prop::collection::vec(any::<u8>(), 0..512)) {
        decode_all(status, &body);
    }

    #[test]
    fn arbitrary_json(status in prop_oneof![Just(200u16), Just(201), Just(402), Just(404), Just(503)], v in arb_json()) {
        decode_all(status, v.to_string().as_bytes());
    }

    #[test]
    fn mutated_fixtures(which in 0..FIXTURES.len(), pos in any::<prop::sample::Index>(), byte in any::<u8>(),
                        cut in any::<prop::sample::Index>(), status in prop_oneof![Just(200u16), Just(403), Just(500)]) {
        let mut body = FIXTURES[which].to_vec();
        let i = pos.index(body.len());
        body[i] = byte;
        decode_all(status, &body);
        let keep = cut.index(body.len());
        decode_all(status, &body[..keep]);
    }

    #[test]
    fn fixture_values_replaced(which in 0..FIXTURES.len(), v in arb_json(), path in any::<prop::sample::Index>()) {
        // replace one value anywhere in the fixture by an arbitrary one
        let mut doc: serde_json::Value = serde_json::from_slice(FIXTURES[which]).unwrap();
        let mut slots = Vec::new();
        fn walk(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
            out.push(at.clone());
            match v {
                serde_json::Value::Object(m) => for (k, x) in m { walk(x, format!("{at}/{k}"), out) },
                serde_json::Value::Array(a) => for (i, x) in a.iter().enumerate() { walk(x, format!("{at}/{i}"), out) },
                _ => {}
            }
        }
        walk(&doc, String::new(), &mut slots);
        let target = slots[path.index(slots.len())].clone();
        if let Some(slot) = doc.pointer_mut(&target) { *slot = v; }
        decode_all(200, doc.to_string().as_bytes());
        decode_all(403, doc.to_string().as_bytes());
    }
}

#[test]
fn interpret_classifies_v1_answers() {
    let ok = raw(
        200,
        include_bytes!("../../tests/fixtures/seed_v1_adp_success_200.json").to_vec(),
    );
    assert!(matches!(
        crate::v1::interpret_for_tests(&ok),
        Answer::Record { .. }
    ));
    let dup = raw(
        403,
        include_bytes!("../../tests/fixtures/seed_v1_adp_error_duplicate_extrefid.json").to_vec(),
    );
    assert!(matches!(
        crate::v1::interpret_for_tests(&dup),
        Answer::Duplicate { .. }
    ));
    let unknown = raw(502, b"<html>".to_vec());
    assert!(matches!(
        crate::v1::interpret_for_tests(&unknown),
        Answer::Unknown(_)
    ));
    let mystery = raw(
        200,
        br#"{"message":"?","statusCode":200,"code":777}"#.to_vec(),
    );
    assert!(
        matches!(crate::v1::interpret_for_tests(&mystery), Answer::Unknown(_)),
        "unknown code without a record: look it up"
    );
}
