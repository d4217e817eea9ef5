//! `POST /adp` (money-safe), waiting on an extRefId, reconciling.

use super::transactions::{Transaction, TransactionFilter};
use super::{Client, check_ref};
use crate::decode::decimal_as_number;
use crate::error::{Error, Result};
use crate::money::{Decimal, validate_amount_for};
use crate::polling::{Poll, Poller, WaitOptions, WaitStep};
use crate::response::{Meta, Response};
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
    /// Your external reference: one per sale, unique; tracking and deduplication. Generated (`ca-<uuid>`)
    /// when absent; always returned. A record is believed only if it carries it. Persist it (see
    /// [`prepared`](Self::prepared)) before sending.
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

    /// The same order with its `ext_ref_id` fixed (generated if absent). Persist it before `send_topup`:
    /// after a crash, sending the same order with the same `ext_ref_id` is recognised as the same sale.
    pub fn prepared(&self) -> SendTopUp {
        self.prepared_with(crate::phone::to_msisdn(&self.msisdn).ok())
    }

    /// [`validate`](Self::validate) and [`prepared`](Self::prepared) in one, the number checked once (see
    /// the V2 `CreateTopUp::checked`). The error names the first bad field.
    pub fn checked(&self) -> Result<SendTopUp> {
        self.checked_order()
    }

    /// The same order with only its `extRefId` fixed (as [`prepared`](Self::prepared) fixes it), the number
    /// as given and nothing checked: for a caller that must know the handle before `send_topup`, which
    /// checks every field itself before any write.
    pub fn with_handles(&self) -> SendTopUp {
        self.prepared_with(None)
    }

    pub(crate) fn checked_order(&self) -> Result<SendTopUp> {
        let msisdn = crate::phone::to_msisdn(&self.msisdn)?;
        self.validate_fields()?;
        Ok(self.prepared_with(Some(msisdn)))
    }

    fn prepared_with(&self, msisdn: Option<String>) -> SendTopUp {
        let mut o = self.clone();
        if let Some(m) = msisdn {
            o.msisdn = m;
        }
        o.ext_ref_id
            .get_or_insert_with(crate::handles::new_reference);
        o
    }

    /// Check every field; the error names the first bad one.
    pub fn validate(&self) -> Result<()> {
        // "263719545499", "+263 71 954 5499": the number must exist in its country
        self.checked_order().map(drop)
    }

    /// Every field but the number.
    fn validate_fields(&self) -> Result<()> {
        if let Some(a) = self.amount {
            validate_amount_for("amount", a, None)?;
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Body<'a> {
    pub msisdn: &'a str,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_num")]
    pub amount: Option<&'a Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<i64>,
    pub ext_ref_id: &'a str,
    pub processing_mode: ProcessingMode,
    #[serde(rename = "sendSMS")]
    pub send_sms: bool,
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
    /// Find the transaction sent with `ext_ref_id` (a record must carry it). `Ok(None)`: the API shows none
    /// *now*; that proves it was never created only once the convergence bound (about 12 minutes) has
    /// passed since its last write. Several records with it are a
    /// [`ReferenceConflict`](crate::ErrorKind::ReferenceConflict).
    /// An answer with a record of another reference (a filter ignored by a proxy or server) proves nothing
    /// and is an `UnexpectedResponse`, never `Ok(None)`.
    pub fn reconcile(&self, ext_ref_id: &str) -> Result<Option<Response<Transaction>>> {
        self.reconcile_until(ext_ref_id, None)
    }

    pub(crate) fn reconcile_until(
        &self,
        ext_ref_id: &str,
        deadline: Option<std::time::Instant>,
    ) -> Result<Option<Response<Transaction>>> {
        check_ref("ext_ref_id", ext_ref_id)?;
        let r = self.transactions_until(&TransactionFilter::ext_ref_id(ext_ref_id), deadline)?;
        let Response { data, meta } = r;
        let mut found = crate::sendproto::exact_matches(data, ext_ref_id, |t: &Transaction| {
            t.ext_ref_id.as_deref()
        })?;
        if found.len() > 1 {
            return Err(crate::Error::new(
                crate::ErrorKind::ReferenceConflict,
                format!(
                    "{} transactions carry extRefId {ext_ref_id}; the reference is not unique",
                    found.len()
                ),
            )
            .with_existing(found[0].transaction_id.clone(), Some(ext_ref_id.to_owned())));
        }
        Ok(found.pop().map(|t| Response {
            data: t,
            meta: Meta {
                reference: Some(ext_ref_id.to_owned()),
                ..meta
            },
        }))
    }

    /// Poll by `ext_ref_id` until the transaction is terminal (SUCCESS, FAILED, TIMEOUT, UNDERLIVERED,
    /// CANCELED), with backoff, up to `opts.deadline` (default 13 min; every record is terminal within about
    /// 12). Every poll gets only the time that remains. Past the deadline:
    /// [`StillPending`](crate::ErrorKind::StillPending) with the reference, the transaction id when seen, and
    /// the last state — it may still complete. `opts.cancel` stops it with `Cancelled`.
    pub fn wait(&self, ext_ref_id: &str, opts: &WaitOptions) -> Result<Response<Transaction>> {
        let mut w = self.wait_steps(ext_ref_id, opts)?;
        loop {
            match w.step()? {
                WaitStep::Done(r) => return Ok(r),
                WaitStep::Sleep(d) => {
                    crate::polling::sleep_cancellable(d, opts.cancel.as_ref());
                }
            }
        }
    }

    /// The same wait, driven step by step (see [`crate::v2::TopupsApi::wait_steps`]).
    pub fn wait_steps(&self, ext_ref_id: &str, opts: &WaitOptions) -> Result<TransactionWait> {
        check_ref("ext_ref_id", ext_ref_id)?;
        Ok(TransactionWait {
            client: self.clone(),
            ext_ref_id: ext_ref_id.to_owned(),
            poller: Poller::new(opts)?,
            seen_id: None,
        })
    }
}

/// A V1 wait in progress; from [`Client::wait_steps`].
#[derive(Debug)]
pub struct TransactionWait {
    client: Client,
    ext_ref_id: String,
    poller: Poller,
    seen_id: Option<String>,
}

impl TransactionWait {
    /// One poll: done, or how long to sleep before the next step.
    pub fn step(&mut self) -> Result<WaitStep<Response<Transaction>>> {
        let poll = self.poller.check_cancel().and_then(|()| {
            let found = self
                .client
                .reconcile_until(&self.ext_ref_id, Some(self.poller.deadline()))?;
            if let Some(r) = &found
                && r.transaction_id.is_some()
            {
                self.seen_id = r.transaction_id.clone();
            }
            Ok(match found {
                Some(r) if r.state.is_terminal() => Poll::Done(r),
                Some(r) => Poll::Pending(r.state.to_string()),
                None => Poll::Pending("not found yet".into()),
            })
        });
        let seen = self.seen_id.clone();
        let reference = self.ext_ref_id.clone();
        let step = match poll {
            Err(e) if e.kind() == crate::ErrorKind::Cancelled => Err(e),
            p => self.poller.after(p),
        };
        step.map_err(|e| {
            let e = e.with_send_ref(&reference, None);
            match (e.transaction_id().is_none(), seen) {
                (true, Some(id)) => e.with_transaction_id(Some(id)),
                _ => e,
            }
        })
    }
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
