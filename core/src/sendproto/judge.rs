//! What a record or an error means for this sale (rule 3): verified, another sale, or unknown.

use super::{Found, Run, SendProtocol, Verdict, carry, outcome_unknown};
use crate::error::{Error, ErrorKind, Result};
use crate::response::{Meta, Response, SendOrigin};

impl<P: SendProtocol> Run<'_, P> {
    /// One verified lookup by reference.
    pub(super) fn find(&self) -> Result<Found<P::Output>> {
        let (records, meta) = self.p.lookup(self.deadline)?;
        Ok(self.judge(records, meta))
    }

    pub(super) fn judge(&self, records: Vec<P::Output>, meta: Meta) -> Found<P::Output> {
        let reference = self.p.reference();
        let n = records.len();
        if n == 0 {
            return Found::Nothing;
        }
        let verdicts: Vec<Verdict> = records.iter().map(|r| self.p.verify(r, false)).collect();
        // our own record is this sale, even among others; another sale carrying the reference too is the
        // caller's problem to hear about (logged), but it does not make ours less real
        if let Some(i) = verdicts.iter().position(|v| *v == Verdict::Ours) {
            if n > 1 {
                log::error!(target: "clickairtime", "{n} transactions carry reference {reference}; one is this sale, the others are not: the reference is not unique");
            }
            let rec = records.into_iter().nth(i).expect("index in range");
            return Found::Ours(rec, meta);
        }
        // records that do not carry our reference: the lookup ignored its filter (a proxy that dropped the
        // query, a server that lists everything), so its answer proves nothing either way — ours may be on
        // a page it did not show
        if let Some(i) = verdicts
            .iter()
            .position(|v| matches!(v, Verdict::OtherSale | Verdict::Unrelated(_)))
        {
            return Found::Unclear(self.unclear(
                &records[i],
                "the lookup by reference answered with records of other references",
            ));
        }
        // a record with our reference (or none) that lacks the fields to compare may be this sale
        let unverifiable = records.iter().zip(&verdicts).find_map(|(r, v)| match v {
            Verdict::Unverifiable(why) => Some((r, why)),
            _ => None,
        });
        if let Some((rec, why)) = unverifiable {
            return Found::Unclear(self.unclear(rec, why));
        }
        // what is left carries our reference on a sale whose details differ: definitely another sale's
        let (rec, why) = records
            .iter()
            .zip(&verdicts)
            .find_map(|(r, v)| match v {
                Verdict::Conflict(why) => Some((r, why.as_str())),
                _ => None,
            })
            .unwrap_or((&records[0], "its details differ"));
        if n == 1 {
            return Found::Foreign(self.conflict(rec, why));
        }
        let d = P::describe(rec);
        Found::Foreign(
            Error::new(
                ErrorKind::ReferenceConflict,
                format!(
                    "{n} transactions carry reference {reference} (one is {}; {why}), none of them this sale: the reference is not unique; use a new one",
                    d.summary
                ),
            )
            .with_existing(d.id, d.reference),
        )
    }

    fn unclear(&self, rec: &P::Output, why: &str) -> Error {
        let d = P::describe(rec);
        Error::new(
            ErrorKind::UnexpectedResponse,
            format!(
                "the lookup of reference {} found {} and could not verify it either way ({why})",
                self.p.reference(),
                d.summary
            ),
        )
        .with_existing(d.id, d.reference)
    }

    /// A 409 / code 90 / code 50 to a clean write.
    pub(super) fn resolve_duplicate(
        &mut self,
        err: Error,
        id: Option<String>,
        named_reference: Option<String>,
        near: bool,
    ) -> Result<Option<Response<P::Output>>> {
        // the record the API named, if any
        let mut named: Option<(P::Output, Verdict)> = None;
        if let Some(id) = id.as_deref() {
            match self.p.get_by_id(id, self.deadline) {
                Ok(Some(rec)) => match self.p.verify(&rec, false) {
                    Verdict::Ours => {
                        return Ok(Some(Response {
                            data: rec,
                            meta: Meta {
                                origin: Some(SendOrigin::Replayed),
                                ..Meta::default()
                            },
                        }));
                    }
                    v => named = Some((rec, v)),
                },
                Ok(None) => {}
                Err(e) => {
                    self.open(err);
                    return Err(
                        self.unknown_with(e, "the lookup of the transaction the API named failed")
                    );
                }
            }
        }
        // our own earlier write of this reference (before a crash, by another till …)?
        match self.find() {
            Ok(Found::Ours(rec, meta)) => {
                return Ok(Some(Response {
                    data: rec,
                    meta: Meta {
                        origin: Some(SendOrigin::Replayed),
                        ..meta
                    },
                }));
            }
            Ok(Found::Foreign(e)) => return Err(e),
            Ok(Found::Unclear(e)) => {
                // a record that may be ours: settle by lookups, never "use a new reference"
                log::warn!(target: "clickairtime", "{e}");
                self.open(err);
                return Ok(None);
            }
            Ok(Found::Nothing) => {}
            Err(e) => {
                self.open(err);
                return Err(self.unknown_with(
                    e,
                    "the lookup that would settle the duplicate answer failed",
                ));
            }
        }
        let mut other: Option<P::Output> = None;
        match named {
            Some((rec, Verdict::Conflict(why))) | Some((rec, Verdict::Unrelated(why))) => {
                // the API ties our key or reference to a sale that is not this one, and nothing of ours
                // carries the reference: this write created nothing
                return Err(self.conflict(&rec, &why));
            }
            Some((_, Verdict::Unverifiable(why))) => {
                // the named record may be ours (it lacks the fields to compare): settle by lookups
                log::warn!(target: "clickairtime", "the transaction the API named for reference {} could not be verified: {why}", self.p.reference());
                self.open(err);
                return Ok(None);
            }
            Some((rec, Verdict::OtherSale)) => other = Some(rec),
            Some((_, Verdict::Ours)) | None => {}
        }
        if let Some(rec) = other {
            return Err(self.duplicate_sale(&rec, Some(&err)));
        }
        if near {
            let similar = self.p.find_similar(self.deadline);
            let mut e = Error::new(
                ErrorKind::DuplicateSale,
                format!(
                    "the API refused this sale as a duplicate of a similar recent one ({}); nothing was sent for it",
                    err.message()
                ),
            );
            if let Some(rec) = similar {
                let d = P::describe(&rec);
                e = e.with_existing(d.id, d.reference);
            }
            return Err(carry(e, &err));
        }
        if named_reference.is_some() {
            log::debug!(target: "clickairtime", "duplicate answer named reference {named_reference:?}, not found");
        }
        // the key or reference was used, and nothing with it is visible (yet): it may be ours
        self.open(err);
        Ok(None)
    }

    pub(super) fn duplicate_sale(&self, rec: &P::Output, cause: Option<&Error>) -> Error {
        let d = P::describe(rec);
        let e = Error::new(
            ErrorKind::DuplicateSale,
            format!(
                "the API refused this sale as a duplicate of {} (same phone, network and amount within its duplicate window); nothing was sent for this one",
                d.summary
            ),
        )
        .with_existing(d.id, d.reference);
        match cause {
            Some(c) => carry(e, c),
            None => e,
        }
    }

    pub(super) fn conflict(&self, rec: &P::Output, why: &str) -> Error {
        let d = P::describe(rec);
        Error::new(
            ErrorKind::ReferenceConflict,
            format!(
                "reference {} belongs to another sale at the API ({}; {why}); use a new reference",
                self.p.reference(),
                d.summary
            ),
        )
        .with_existing(d.id, d.reference)
    }

    /// End in `OutcomeUnknown` if anything may have been received, else with `e` itself.
    pub(super) fn unknown_or(&self, e: Error) -> Error {
        if self.maybe_received {
            outcome_unknown(&e, self.p.reference(), self.writes, None)
        } else {
            e
        }
    }

    pub(super) fn unknown_with(&self, e: Error, why: &str) -> Error {
        let cause = self.cause.clone().unwrap_or_else(|| e.clone());
        let mut u = outcome_unknown(&cause, self.p.reference(), self.writes, Some(why));
        if matches!(
            e.kind(),
            ErrorKind::PermissionDenied | ErrorKind::Authentication
        ) {
            u = u.with_cause_kind(e.kind());
        }
        u
    }
}
