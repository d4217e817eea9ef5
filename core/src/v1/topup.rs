//! `POST /adp` (money-safe), waiting on an extRefId, reconciling.

use super::transactions::{Transaction, TransactionFilter};
use super::{Client, parse_envelope, v1_error};
use crate::decode::decimal_as_number;
use crate::error::{Error, Result};
use crate::money::{Decimal, validate_amount};
use crate::phone::validate_msisdn;
use crate::polling::{Poll, WaitOptions, poll_until};
use crate::response::{Meta, Response};
use crate::sendproto::{SendAttempt, SendProtocol, run_send};
use crate::transport::{Failure, RawResponse};
use serde::Serialize;

/// `processingMode` of a V1 send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum ProcessingMode {
    /// The answer carries a terminal state (within about 10 s). Default.
    #[default]
    #[serde(rename = "SYNC")]
    Sync,
    /// Queued; the answer is immediate (code 232); poll with [`Client::wait`].
    #[serde(rename = "ASYNC")]
    Async,
}

impl std::str::FromStr for ProcessingMode {
    type Err = Error;
    /// `SYNC` or `ASYNC`, any case (for bindings that take the mode as text).
    fn from_str(s: &str) -> Result<Self> {
        if s.eq_ignore_ascii_case("SYNC") {
            Ok(ProcessingMode::Sync)
        } else if s.eq_ignore_ascii_case("ASYNC") {
            Ok(ProcessingMode::Async)
        } else {
            Err(Error::invalid(
                "processing_mode",
                format!("{s:?} is not SYNC or ASYNC"),
            ))
        }
    }
}

/// A V1 top-up to send.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SendTopUp {
    /// Recipient, international format without `+` (`263719545499`).
    pub msisdn: String,
    /// Amount in the destination currency; required unless `product_id` is a FIXED_PRODUCT.
    pub amount: Option<Decimal>,
    /// Product from the product catalog.
    pub product_id: Option<i64>,
    /// Your external reference: tracking and deduplication. Generated (UUID) when absent; always returned.
    pub ext_ref_id: Option<String>,
    /// SYNC (default) or ASYNC.
    pub processing_mode: ProcessingMode,
    /// SMS the recipient on success.
    pub send_sms: bool,
}

impl SendTopUp {
    /// An amount top-up.
    pub fn amount(msisdn: impl Into<String>, amount: Decimal) -> Self {
        SendTopUp {
            msisdn: msisdn.into(),
            amount: Some(amount),
            ..Default::default()
        }
    }
    /// A product top-up.
    pub fn product(msisdn: impl Into<String>, product_id: i64) -> Self {
        SendTopUp {
            msisdn: msisdn.into(),
            product_id: Some(product_id),
            ..Default::default()
        }
    }
    /// Set the external reference.
    pub fn ext_ref_id(mut self, r: impl Into<String>) -> Self {
        self.ext_ref_id = Some(r.into());
        self
    }
    /// Set the processing mode.
    pub fn mode(mut self, m: ProcessingMode) -> Self {
        self.processing_mode = m;
        self
    }
    /// SMS the recipient.
    pub fn send_sms(mut self, yes: bool) -> Self {
        self.send_sms = yes;
        self
    }

    /// Check every field; the error names the first bad one.
    pub fn validate(&self) -> Result<()> {
        validate_msisdn("msisdn", &self.msisdn)?;
        if let Some(a) = self.amount {
            validate_amount("amount", a)?;
        }
        match self.product_id {
            Some(p) if p <= 0 => {
                return Err(Error::invalid("product_id", "must be a positive integer"));
            }
            None if self.amount.is_none() => {
                return Err(Error::invalid(
                    "amount",
                    "give an amount, a product_id, or both (OPEN_PRODUCT)",
                ));
            }
            _ => {}
        }
        if let Some(r) = &self.ext_ref_id {
            check_ref("ext_ref_id", r)?;
        }
        Ok(())
    }
}

/// References travel in query strings and bodies: 1–100 printable characters, no control characters.
pub(crate) fn check_ref(field: &str, v: &str) -> Result<()> {
    crate::config::check_text(field, v, 100)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    msisdn: &'a str,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_num")]
    amount: Option<&'a Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    product_id: Option<i64>,
    ext_ref_id: &'a str,
    processing_mode: ProcessingMode,
    #[serde(rename = "sendSMS")]
    send_sms: bool,
}

fn opt_num<S: serde::Serializer>(
    v: &Option<&Decimal>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match v {
        Some(d) => decimal_as_number(d, s),
        None => s.serialize_none(),
    }
}

impl Client {
    /// Send a top-up, at most once (see [`crate::v2::TopupsApi::create`] for the protocol; here the
    /// reference is the `extRefId`, and the API's code 90 "duplicate extRefId" resolves to the existing record).
    /// A SYNC answer carries a terminal state; an ASYNC one (code 232) or a pending SYNC one (code 10) a
    /// PENDING state: call [`wait`](Self::wait). A transaction that failed at the provider is returned with its
    /// FAILED state, not as an error.
    pub fn send_topup(&self, req: &SendTopUp) -> Result<Response<Transaction>> {
        req.validate()?;
        let ext_ref_id = req
            .ext_ref_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let body = serde_json::to_vec(&Body {
            msisdn: &req.msisdn,
            amount: req.amount.as_ref(),
            product_id: req.product_id,
            ext_ref_id: &ext_ref_id,
            processing_mode: req.processing_mode,
            send_sms: req.send_sms,
        })
        .map_err(|e| Error::invalid("amount", format!("cannot be encoded: {e}")))?;
        run_send(
            &self.t,
            &V1Send {
                c: self,
                ext_ref_id: &ext_ref_id,
                body,
            },
            &ext_ref_id,
            None,
        )
    }

    /// Find the transaction sent with `ext_ref_id`. `Ok(None)`: the API has none, so it was never created.
    pub fn reconcile(&self, ext_ref_id: &str) -> Result<Option<Response<Transaction>>> {
        check_ref("ext_ref_id", ext_ref_id)?;
        let r = self.transactions(&TransactionFilter::ext_ref_id(ext_ref_id))?;
        let Response { data, meta } = r;
        let found = data
            .into_iter()
            .find(|t| t.ext_ref_id.as_deref().is_none_or(|x| x == ext_ref_id));
        Ok(found.map(|t| Response {
            data: t,
            meta: Meta {
                reference: Some(ext_ref_id.to_owned()),
                ..meta
            },
        }))
    }

    /// Poll by `ext_ref_id` until the transaction is terminal (SUCCESS, FAILED, TIMEOUT, UNDERLIVERED,
    /// CANCELED), with backoff, up to `opts.deadline` (default 13 min; every record is terminal within about
    /// 12). Past the deadline: a timeout error carrying the reference.
    pub fn wait(&self, ext_ref_id: &str, opts: &WaitOptions) -> Result<Response<Transaction>> {
        check_ref("ext_ref_id", ext_ref_id)?;
        poll_until(opts, || {
            Ok(match self.reconcile(ext_ref_id)? {
                Some(r) if r.state.is_terminal() => Poll::Done(r),
                Some(r) => Poll::Pending(r.state.to_string()),
                None => Poll::Pending("not found yet".into()),
            })
        })
        .map_err(|e| e.with_send_ref(ext_ref_id, None))
    }
}

struct V1Send<'a> {
    c: &'a Client,
    ext_ref_id: &'a str,
    body: Vec<u8>,
}

/// Business codes whose meaning does not depend on the HTTP status.
const BUSINESS_CODES: &[i64] = &[0, 5, 20, 30, 50, 90];

impl SendProtocol for V1Send<'_> {
    type Output = Transaction;

    fn send(&self) -> std::result::Result<RawResponse, Failure> {
        self.c
            .t
            .exchange(&self.c.t.cfg.v1_topup_path, &[], Some(&self.body), &[])
    }

    fn interpret(&self, raw: &RawResponse) -> SendAttempt<Transaction> {
        let ok = (200..300).contains(&raw.status);
        let env = match parse_envelope::<Transaction>(raw) {
            Ok(env) => env,
            Err(e) if raw.status == 401 => {
                return SendAttempt::Failed(e.with_kind(crate::ErrorKind::Authentication));
            }
            Err(e) if raw.status == 429 => {
                return SendAttempt::RateLimited(e.with_kind(crate::ErrorKind::RateLimited));
            }
            Err(e) if ok || raw.status >= 500 => return SendAttempt::Unknown(e),
            Err(e) => return SendAttempt::Failed(e),
        };
        let code = env.code;
        let done = |data: Option<Transaction>| {
            let mut t = data
                .unwrap_or_else(|| empty_tx(self.ext_ref_id))
                .with_envelope(code, env.message.clone());
            t.ext_ref_id
                .get_or_insert_with(|| self.ext_ref_id.to_owned());
            SendAttempt::Done(Response {
                data: t,
                meta: Meta {
                    http_status: raw.status,
                    rate_limit: raw.rate_limit,
                    ..Meta::default()
                },
            })
        };
        match (raw.status, code) {
            (401, _) => SendAttempt::Failed(v1_error(raw, code, env.message.as_deref())),
            (429, _) => SendAttempt::RateLimited(v1_error(raw, code, env.message.as_deref())),
            (_, Some(90) | Some(50)) => SendAttempt::Duplicate {
                err: v1_error(raw, code, env.message.as_deref()),
                transaction_id: None,
            },
            (_, Some(1) | Some(10) | Some(232)) if ok || env.data.is_some() => done(env.data),
            // the provider failed it: a record exists with a failed state
            (_, Some(5)) if env.data.is_some() => done(env.data),
            (_, Some(c)) if BUSINESS_CODES.contains(&c) => {
                SendAttempt::Failed(v1_error(raw, code, env.message.as_deref()))
            }
            // an answer with a record whose state is not settled by the code (e.g. 160, 170)
            (s, _) if (200..300).contains(&s) && env.data.is_some() => done(env.data),
            (s, _) if s >= 500 => SendAttempt::Unknown(v1_error(raw, code, env.message.as_deref())),
            // a 2xx with an unknown code and no record: whether it was created is unknown
            (s, _) if (200..300).contains(&s) => {
                SendAttempt::Unknown(v1_error(raw, code, env.message.as_deref()))
            }
            _ => SendAttempt::Failed(v1_error(raw, code, env.message.as_deref())),
        }
    }

    fn lookup(&self, _transaction_id: Option<&str>) -> Result<Option<Response<Transaction>>> {
        self.c.reconcile(self.ext_ref_id)
    }
}

fn empty_tx(ext_ref_id: &str) -> Transaction {
    serde_json::from_value(serde_json::json!({ "extRefId": ext_ref_id }))
        .expect("an empty record decodes")
}

/// The V1 answer classifier, for the property tests.
#[cfg(test)]
pub(crate) fn interpret_for_tests(raw: &RawResponse) -> SendAttempt<Transaction> {
    let client = Client::builder("t@example.com", "token")
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("client");
    V1Send {
        c: &client,
        ext_ref_id: "REF-1",
        body: Vec::new(),
    }
    .interpret(raw)
}

#[cfg(test)]
mod mode_tests {
    use super::ProcessingMode;

    #[test]
    fn modes_parse_from_text() {
        assert_eq!(
            "async".parse::<ProcessingMode>().unwrap(),
            ProcessingMode::Async
        );
        assert_eq!(
            "SYNC".parse::<ProcessingMode>().unwrap(),
            ProcessingMode::Sync
        );
        assert_eq!(
            "LATER".parse::<ProcessingMode>().unwrap_err().field(),
            Some("processing_mode")
        );
    }
}
