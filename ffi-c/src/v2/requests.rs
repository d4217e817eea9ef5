//! The request objects of V2 calls: `ca_v2_topup_request` (a send) and `ca_v2_topup_filter` (a listing).

use crate::fail::{Fail, ca_error};
use crate::guard::{self, arg_mut, arg_str, into_handle, opt_str, out, run};
use crate::result::ca_result;
use sdk::money::parse_amount;
use sdk::v2::{CreateTopUp, ListTopUps, TopUpStatus, idempotency_key_for};
use std::ffi::{CString, c_char};

/// A V2 top-up to send. Not thread-safe while being modified; may be sent from several threads once built.
/// Its reference is the sale's identity: a request with no reference gets a new generated one at each send
/// (a new sale each time); call `ca_v2_topup_request_prepare` (or set your own reference) to fix it, and
/// persist it, before sending.
pub struct ca_v2_topup_request {
    pub(super) req: CreateTopUp,
    /// What `ca_v2_topup_request_reference` / `_idempotency_key` hand out (kept in step with `req`).
    reference_c: Option<CString>,
    key_c: Option<CString>,
}

impl ca_v2_topup_request {
    fn new(req: CreateTopUp) -> ca_v2_topup_request {
        let mut r = ca_v2_topup_request {
            req,
            reference_c: None,
            key_c: None,
        };
        r.refresh();
        r
    }

    /// Recompute the handles the getters return (after the reference or key changed).
    fn refresh(&mut self) {
        self.reference_c = self.req.reference.as_deref().map(guard::cstring);
        self.key_c = self
            .req
            .idempotency_key
            .clone()
            .or_else(|| self.req.reference.as_deref().map(idempotency_key_for))
            .map(guard::cstring);
    }
}

/// Filters of `ca_v2_topup_list` / `ca_v2_topup_list_all`. Not thread-safe while being modified.
#[derive(Default)]
pub struct ca_v2_topup_filter {
    pub(super) f: ListTopUps,
}

/// A custom-amount top-up: `phone_number` in E.164 (`+233541112259`), `network_id` from the lookup,
/// `amount` an exact decimal string in the network's local currency (`"50"`, `"12.50"`), `currency` that
/// currency (`GHS`). Strings are copied. On `CA_OK`, `*request_out` owns a new request; free it with
/// `ca_v2_topup_request_free`. The phone number and network are checked when sending.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`phone_number`, `amount`, `currency`, `request_out`);
/// `CA_ERR_INVALID_UTF8`; `CA_ERR_INVALID_INPUT` (`amount` not a positive decimal with at most 4 places);
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_new_amount(
    phone_number: *const c_char,
    network_id: i64,
    amount: *const c_char,
    currency: *const c_char,
    request_out: *mut *mut ca_v2_topup_request,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let phone = arg_str(phone_number, "phone_number")?;
        let amount = arg_str(amount, "amount")?;
        let currency = arg_str(currency, "currency")?;
        let o = out(request_out, "request_out")?;
        let value = parse_amount("amount", amount)?;
        o.write(into_handle(ca_v2_topup_request::new(CreateTopUp::amount(
            phone, network_id, value, currency,
        ))));
        Ok(())
    })
}

/// A bundle top-up: `product_id` is a bundle id from the catalog (`ca_catalog_bundle_id`). Strings are
/// copied. On `CA_OK`, `*request_out` owns a new request; free it with `ca_v2_topup_request_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`phone_number`, `product_id`, `request_out`);
/// `CA_ERR_INVALID_UTF8`; `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_new_product(
    phone_number: *const c_char,
    network_id: i64,
    product_id: *const c_char,
    request_out: *mut *mut ca_v2_topup_request,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let phone = arg_str(phone_number, "phone_number")?;
        let product = arg_str(product_id, "product_id")?;
        let o = out(request_out, "request_out")?;
        o.write(into_handle(ca_v2_topup_request::new(CreateTopUp::product(
            phone, network_id, product,
        ))));
        Ok(())
    })
}

/// Release a request. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_free(request: *mut ca_v2_topup_request) {
    guard::free_handle(request)
}

/// Your reference for this sale (at most 100 characters; unique per sale, e.g. the receipt number). It is
/// the sale's identity: it finds the top-up after a lost answer, the journal keys the send by it, and the
/// `Idempotency-Key` is derived from it (`ca_v2_idempotency_key_for`) unless you set one, so selling the
/// same reference again (after a crash, say) is recognised as the same sale. Generated (`ca-<uuid>`) at
/// each send when not set (see `ca_v2_topup_request_prepare`). Copied; checked when sending.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`request`, `reference`), `CA_ERR_INVALID_UTF8`, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_set_reference(
    request: *mut ca_v2_topup_request,
    reference: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg_mut(request, "request")?;
        r.req.reference = Some(arg_str(reference, "reference")?.to_owned());
        r.refresh();
        Ok(())
    })
}

/// Fix the sale's handles before anything is sent: a reference is generated (`ca-<uuid>`) if none is set;
/// the `Idempotency-Key` is the one set, else derived from the reference (it follows the reference: a
/// reference set later brings its own key). Afterwards `ca_v2_topup_request_reference` and
/// `ca_v2_topup_request_idempotency_key` return what every send of this request will carry. Persist the
/// reference (with the order) BEFORE `ca_v2_topup_create`: after a crash, selling the same order with the
/// same reference is recognised as the same sale (by the API, and by the journal without any write).
/// Calling it again changes nothing.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`request`), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_prepare(
    request: *mut ca_v2_topup_request,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg_mut(request, "request")?;
        // only the reference is stored: a derived key stays derived, so it can never go stale (the core's
        // `prepared()` would store it, and a reference set afterwards would then carry the old one)
        if r.req.reference.is_none() {
            r.req.reference = Some(sdk::v2::new_reference());
        }
        r.refresh();
        Ok(())
    })
}

/// The reference this request's sends carry: the one set or made by `ca_v2_topup_request_prepare`. Owned
/// by `request`, valid until the request is modified or freed. NULL if none is fixed yet (each send would
/// generate its own) or `request` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_reference(
    request: *const ca_v2_topup_request,
) -> *const c_char {
    guard::get_val(request, std::ptr::null(), |r| {
        r.reference_c
            .as_ref()
            .map_or(std::ptr::null(), |c| c.as_ptr())
    })
}

/// The `Idempotency-Key` this request's sends carry: the one set, else the one derived from the reference.
/// Owned by `request`, valid until the request is modified or freed. NULL if no reference is fixed yet or
/// `request` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_idempotency_key(
    request: *const ca_v2_topup_request,
) -> *const c_char {
    guard::get_val(request, std::ptr::null(), |r| {
        r.key_c.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())
    })
}

/// The `Idempotency-Key` header. Derived from the reference when not set (recommended: the same reference
/// then always carries the same key, in every process). Set it only to use your own scheme, one key per
/// sale; every send of this request then carries it. Copied.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`request`, `idempotency_key`), `CA_ERR_INVALID_UTF8`,
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_set_idempotency_key(
    request: *mut ca_v2_topup_request,
    idempotency_key: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg_mut(request, "request")?;
        r.req.idempotency_key = Some(arg_str(idempotency_key, "idempotency_key")?.to_owned());
        r.refresh();
        Ok(())
    })
}

/// SMS the recipient; `message` (at most 480 characters) may be NULL for the default text. Copied.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`request`), `CA_ERR_INVALID_UTF8`, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_set_sms(
    request: *mut ca_v2_topup_request,
    message: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg_mut(request, "request")?;
        let m = opt_str(message, "message")?.map(str::to_owned);
        r.req.sms = Some(sdk::v2::Sms {
            enabled: true,
            message: m,
        });
        Ok(())
    })
}

/// URL that receives status webhooks (https, or http to a loopback host). Copied.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`request`, `callback_url`), `CA_ERR_INVALID_UTF8`,
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_set_callback_url(
    request: *mut ca_v2_topup_request,
    callback_url: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg_mut(request, "request")?;
        r.req.callback_url = Some(arg_str(callback_url, "callback_url")?.to_owned());
        Ok(())
    })
}

/// Add one metadata entry (a string value) stored with the top-up. Copied.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`request`, `key`, `value`), `CA_ERR_INVALID_UTF8`,
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_request_add_metadata(
    request: *mut ca_v2_topup_request,
    key: *const c_char,
    value: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let r = arg_mut(request, "request")?;
        let k = arg_str(key, "key")?;
        let v = arg_str(value, "value")?;
        r.req
            .metadata
            .get_or_insert_with(Default::default)
            .insert(k.to_owned(), v.into());
        Ok(())
    })
}

/// Create an empty filter (no constraint). On `CA_OK`, `*filter_out` owns it; free it with
/// `ca_v2_topup_filter_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`filter_out`), `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_filter_new(
    filter_out: *mut *mut ca_v2_topup_filter,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        out(filter_out, "filter_out")?.write(into_handle(ca_v2_topup_filter::default()));
        Ok(())
    })
}

/// Release a filter. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_filter_free(filter: *mut ca_v2_topup_filter) {
    guard::free_handle(filter)
}

/// Page number (from 1) and page size (1..100); 0 leaves a value unset (API defaults: page 1, 20 per page).
/// Checked when listing. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`filter`), `CA_ERR_PANIC`. `error_out`
/// may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_filter_set_page(
    filter: *mut ca_v2_topup_filter,
    page: u32,
    per_page: u32,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let f = arg_mut(filter, "filter")?;
        f.f.page = (page > 0).then_some(page);
        f.f.per_page = (per_page > 0).then_some(per_page);
        Ok(())
    })
}

/// Set a text filter. `name` is one of `status` (`pending`, `processing`, `completed`, `failed`),
/// `phone_number` (partial match), `reference` (exact), `from`, `to` (ISO 8601 date or date-time, on the
/// creation time), `sort` (`created_at`, `completed_at`, `status`, `total_usd`, `-` prefix for descending).
/// Values are copied and checked when listing.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`filter`, `name`, `value`); `CA_ERR_INVALID_UTF8`;
/// `CA_ERR_INVALID_INPUT` (unknown `name`); `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_topup_filter_set(
    filter: *mut ca_v2_topup_filter,
    name: *const c_char,
    value: *const c_char,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let f = arg_mut(filter, "filter")?;
        let n = arg_str(name, "name")?;
        let v = arg_str(value, "value")?.to_owned();
        match n {
            "status" => f.f.status = Some(TopUpStatus::from(v.as_str())),
            "phone_number" => f.f.phone_number = Some(v),
            "reference" => f.f.reference = Some(v),
            "from" => f.f.from = Some(v),
            "to" => f.f.to = Some(v),
            "sort" => f.f.sort = Some(v),
            other => {
                return Err(Fail::from(sdk::Error::invalid(
                    "name",
                    format!(
                        "{other:?} is not one of status, phone_number, reference, from, to, sort"
                    ),
                )));
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::{CStr, CString};
    use std::ptr;

    fn text(p: *const c_char) -> Option<String> {
        // SAFETY: the getters return NULL or a NUL-terminated string owned by a live handle.
        (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned())
    }

    #[test]
    fn the_key_follows_the_reference_even_after_prepare() {
        let mut req = ptr::null_mut();
        let phone = CString::new("+233541112259").unwrap();
        let (amount, ghs) = (CString::new("5").unwrap(), CString::new("GHS").unwrap());
        let rc = ca_v2_topup_request_new_amount(
            phone.as_ptr(),
            42,
            amount.as_ptr(),
            ghs.as_ptr(),
            &mut req,
            ptr::null_mut(),
        );
        assert_eq!(rc, ca_result::CA_OK);
        assert!(ca_v2_topup_request_reference(req).is_null());
        assert_eq!(
            ca_v2_topup_request_prepare(req, ptr::null_mut()),
            ca_result::CA_OK
        );
        let first = text(ca_v2_topup_request_reference(req)).unwrap();
        assert_eq!(
            text(ca_v2_topup_request_idempotency_key(req)).unwrap(),
            idempotency_key_for(&first)
        );
        // a reference set after prepare brings its own key, never the old one
        let r = CString::new("RECEIPT-1").unwrap();
        ca_v2_topup_request_set_reference(req, r.as_ptr(), ptr::null_mut());
        assert_eq!(
            text(ca_v2_topup_request_idempotency_key(req)).unwrap(),
            idempotency_key_for("RECEIPT-1")
        );
        // SAFETY: `req` is a live handle made above.
        let prepared = unsafe { &*req }.req.prepared();
        assert_eq!(
            prepared.idempotency_key.as_deref(),
            Some(idempotency_key_for("RECEIPT-1").as_str())
        );
        ca_v2_topup_request_free(req);
    }
}
