//! A string that never shows itself in `Debug` or `Display` output.

use std::fmt;

/// A credential (V2 API key, V1 token). Its `Debug` and `Display` print a fixed placeholder, so it cannot leak
/// into logs, error messages or binding reprs by accident. Read it with [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The credential itself. Only the transport (headers) and webhook verification call this.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(\"***\")")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret::new(s)
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret::new(s)
    }
}

/// Remove `user:password@` from a URL so it can be logged or shown.
pub(crate) fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://***@{}", &url[..scheme_end], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_redacted() {
        let s = Secret::new("ce_live_abcdefabcdefabcdefabcdefabcdefab");
        assert_eq!(format!("{s:?}"), "Secret(\"***\")");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(s.expose(), "ce_live_abcdefabcdefabcdefabcdefabcdefab");
    }

    #[test]
    fn proxy_password_redacted() {
        assert_eq!(
            redact_url("http://bob:hunter2@proxy:3128"),
            "http://***@proxy:3128"
        );
        assert_eq!(redact_url("http://proxy:3128"), "http://proxy:3128");
    }
}
