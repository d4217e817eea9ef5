//! The handles of a sale, fixed before anything is sent: its reference and (V2) its idempotency key, and
//! which API version a journal entry belongs to. The lowest layer of the send path: no imports from it.

/// Which API a send goes to (the journal keys entries by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    V1,
    V2,
}

impl Api {
    pub fn as_str(self) -> &'static str {
        match self {
            Api::V1 => "v1",
            Api::V2 => "v2",
        }
    }
}

/// The `Idempotency-Key` a V2 send carries when none is given: derived from the reference alone, so the same
/// sale (same reference) carries the same key in every process, after a crash, or when sold again after
/// `reconcile` found nothing.
pub fn idempotency_key_for(reference: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("clickairtime/v2/idempotency-key/{reference}").as_bytes());
    format!("ca2-{}", &hex::encode(digest)[..40])
}

/// A new unique reference (`ca-<uuid>`), for a sale you want to write down before you send it.
pub fn new_reference() -> String {
    format!("ca-{}", uuid::Uuid::new_v4())
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_follow_references() {
        assert_eq!(
            super::idempotency_key_for("a"),
            super::idempotency_key_for("a")
        );
        assert_ne!(
            super::idempotency_key_for("a"),
            super::idempotency_key_for("b")
        );
        assert!(super::new_reference().starts_with("ca-"));
    }
}
