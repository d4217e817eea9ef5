//! Property tests over the C ABI's string and byte inputs: arbitrary bytes (NUL-terminated where a C string
//! is expected) into every parsing entry point. Each call must return a documented result — never panic
//! (which would show as `CA_ERR_PANIC`), never write outputs on failure — and every error handle must free.

use crate::ca_result::*;
use crate::*;
use proptest::prelude::*;
use std::ffi::CString;
use std::ptr;

/// A C string from arbitrary bytes (interior NULs end it, as they would in C).
fn cstr(bytes: &[u8]) -> CString {
    let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).expect("no interior NUL")
}

fn settle(rc: ca_result, err: *mut ca_error, allowed: &[ca_result]) {
    assert!(allowed.contains(&rc), "undocumented result {rc:?}");
    assert_ne!(rc, CA_ERR_PANIC);
    if rc == CA_OK {
        assert!(err.is_null(), "no error handle on success");
    } else {
        assert!(!err.is_null(), "an error handle on failure");
        ca_error_free(err);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn phone_and_amount_strings(bytes in prop::collection::vec(any::<u8>(), 0..40), buf_len in 0usize..40) {
        let s = cstr(&bytes);
        let allowed = [CA_OK, CA_ERR_INVALID_UTF8, CA_ERR_INVALID_INPUT, CA_ERR_BUFFER_TOO_SMALL];
        let mut buf = vec![0x55 as std::ffi::c_char; buf_len.max(1)];
        for f in [ca_phone_to_e164, ca_phone_to_msisdn, ca_amount_parse] {
            let mut written = usize::MAX;
            let mut err = ptr::null_mut();
            buf.fill(0x55);
            let rc = f(s.as_ptr(), buf.as_mut_ptr(), buf_len, &mut written, &mut err);
            if rc == CA_OK {
                prop_assert!(written < buf_len);
                prop_assert_eq!(buf[written], 0);
            } else {
                prop_assert_eq!(written, usize::MAX, "output untouched on failure");
                prop_assert!(buf.iter().all(|c| *c == 0x55), "buffer untouched on failure");
            }
            settle(rc, err, &allowed);
        }
        for f in [ca_phone_validate_e164, ca_phone_validate_msisdn] {
            let mut err = ptr::null_mut();
            let rc = f(s.as_ptr(), &mut err);
            settle(rc, err, &[CA_OK, CA_ERR_INVALID_UTF8, CA_ERR_INVALID_INPUT]);
        }
    }

    #[test]
    fn webhook_inputs(body in prop::collection::vec(any::<u8>(), 0..200),
                      sig in prop::collection::vec(any::<u8>(), 0..80),
                      ts in prop::collection::vec(any::<u8>(), 0..16),
                      key in prop::collection::vec(any::<u8>(), 0..48),
                      tolerance in -1i64..1000) {
        let (sig, ts, key) = (cstr(&sig), cstr(&ts), cstr(&key));
        let mut err = ptr::null_mut();
        let rc = ca_webhook_verify(body.as_ptr(), body.len(), sig.as_ptr(), ts.as_ptr(), key.as_ptr(), tolerance, &mut err);
        settle(rc, err, &[CA_OK, CA_ERR_INVALID_UTF8, CA_ERR_INVALID_SIGNATURE, CA_ERR_INVALID_INPUT]);
        let mut event = ptr::null_mut();
        let mut err = ptr::null_mut();
        let rc = ca_webhook_parse(body.as_ptr(), body.len(), &mut event, &mut err);
        if rc == CA_OK { prop_assert!(!event.is_null()); ca_webhook_event_free(event); } else { prop_assert!(event.is_null()); }
        settle(rc, err, &[CA_OK, CA_ERR_UNEXPECTED_RESPONSE]);
    }

    #[test]
    fn client_settings(url in prop::collection::vec(any::<u8>(), 0..60), key in prop::collection::vec(any::<u8>(), 0..60)) {
        let (url, key) = (cstr(&url), cstr(&key));
        let mut opts = ptr::null_mut();
        let mut err = ptr::null_mut();
        prop_assert_eq!(ca_client_options_new(&mut opts, &mut err), CA_OK);
        let mut err = ptr::null_mut();
        let rc = ca_client_options_set_base_url(opts, url.as_ptr(), &mut err);
        settle(rc, err, &[CA_OK, CA_ERR_INVALID_UTF8, CA_ERR_INVALID_INPUT]);
        let mut client = ptr::null_mut();
        let mut err = ptr::null_mut();
        let rc = ca_v2_client_new(key.as_ptr(), opts, &mut client, &mut err);
        if rc == CA_OK { ca_v2_client_free(client); } else { prop_assert!(client.is_null()); }
        settle(rc, err, &[CA_OK, CA_ERR_INVALID_UTF8, CA_ERR_INVALID_INPUT]);
        ca_client_options_free(opts);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn handles_before_the_write(bytes in prop::collection::vec(any::<u8>(), 0..120), buf_len in 0usize..60) {
        let s = cstr(&bytes);
        let mut buf = vec![0x55 as std::ffi::c_char; buf_len.max(1)];
        let mut written = usize::MAX;
        let mut err = ptr::null_mut();
        let rc = ca_v2_idempotency_key_for(s.as_ptr(), buf.as_mut_ptr(), buf_len, &mut written, &mut err);
        if rc == CA_OK {
            prop_assert_eq!(written, 44);
            prop_assert_eq!(buf[44], 0);
        } else {
            prop_assert_eq!(written, usize::MAX);
            prop_assert!(buf.iter().all(|c| *c == 0x55));
        }
        settle(rc, err, &[CA_OK, CA_ERR_INVALID_UTF8, CA_ERR_BUFFER_TOO_SMALL]);
        let mut err = ptr::null_mut();
        let rc = ca_new_reference(buf.as_mut_ptr(), buf_len, ptr::null_mut(), &mut err);
        prop_assert_eq!(rc == CA_OK, buf_len >= CA_REFERENCE_BUFFER_SIZE);
        settle(rc, err, &[CA_OK, CA_ERR_BUFFER_TOO_SMALL]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// National numbers with a country, and whole CSV files for the bulk engine's validation: a documented
    /// result, never a panic, outputs untouched on failure, and nothing sent (the client points nowhere).
    #[test]
    fn national_numbers_and_bulk_files(number in prop::collection::vec(any::<u8>(), 0..30),
                                       country in prop::collection::vec(any::<u8>(), 0..4),
                                       csv in prop::collection::vec(any::<u8>(), 0..200),
                                       buf_len in 0usize..24) {
        let (n, c) = (cstr(&number), cstr(&country));
        let mut buf = vec![0x55 as std::ffi::c_char; buf_len.max(1)];
        let mut written = usize::MAX;
        let mut err = ptr::null_mut();
        let rc = ca_phone_to_e164_in(n.as_ptr(), c.as_ptr(), buf.as_mut_ptr(), buf_len, &mut written, &mut err);
        if rc == CA_OK {
            prop_assert!(written < buf_len);
            prop_assert_eq!(buf[written], 0);
        } else {
            prop_assert_eq!(written, usize::MAX);
            prop_assert!(buf.iter().all(|c| *c == 0x55));
        }
        settle(rc, err, &[CA_OK, CA_ERR_INVALID_UTF8, CA_ERR_INVALID_INPUT, CA_ERR_BUFFER_TOO_SMALL]);

        // a V2 client that cannot send (a closed port): only validation can end these runs, or rows not sent
        let url = CString::new("http://127.0.0.1:9").unwrap();
        let key = CString::new("ce_live_00000000000000000000000000000000").unwrap();
        let mut opts = ptr::null_mut();
        let mut err = ptr::null_mut();
        prop_assert_eq!(ca_client_options_new(&mut opts, &mut err), CA_OK);
        prop_assert_eq!(ca_client_options_set_base_url(opts, url.as_ptr(), ptr::null_mut()), CA_OK);
        let mut client = ptr::null_mut();
        prop_assert_eq!(ca_v2_client_new(key.as_ptr(), opts, &mut client, ptr::null_mut()), CA_OK);
        let cancel = {
            let mut c = ptr::null_mut();
            prop_assert_eq!(ca_cancel_new(&mut c, ptr::null_mut()), CA_OK);
            ca_cancel_cancel(c); // nothing may be sent: every row is skipped if the file is valid
            c
        };
        let name = CString::new("fuzz.csv").unwrap();
        let mut report = ptr::null_mut();
        let mut err = ptr::null_mut();
        let rc = ca_v2_bulk_run(client, name.as_ptr(), csv.as_ptr(), csv.len(), ptr::null(), None,
                                ptr::null_mut(), cancel, &mut report, &mut err);
        if rc == CA_OK {
            let total = ca_bulk_report_count(report);
            prop_assert_eq!(ca_bulk_report_outcome_count(report, ca_bulk_outcome::CA_BULK_SKIPPED), total);
            ca_bulk_report_free(report);
        } else {
            prop_assert!(report.is_null());
        }
        settle(rc, err, &[CA_OK, CA_ERR_INVALID_INPUT]);
        ca_cancel_free(cancel);
        ca_v2_client_free(client);
        ca_client_options_free(opts);
    }
}
