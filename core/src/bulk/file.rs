//! Reading a bulk file: the CSV parsed and validated whole, every bad row with its physical line.

use crate::error::{Error, Result};
use crate::money::{Decimal, parse_amount, validate_amount_for, validate_currency};
use std::collections::{BTreeMap, HashMap, HashSet};

use super::{BulkApi, BulkRow, RowError};

/// The reference of a row that has none: `bulk-` and 24 hex digits of a SHA-256 over the file's name
/// (without folders), the line number and the sale (phone, amount/currency or product). Moving the file or
/// editing *other* rows keeps it; renaming the file or changing this row's sale makes a new one.
pub fn derive_reference(source_name: &str, line: usize, phone: &str, sale: &str) -> String {
    use sha2::{Digest, Sha256};
    let name = std::path::Path::new(source_name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| source_name.to_owned());
    let digest = Sha256::digest(format!("{name}\n{line}\n{phone}\n{sale}").as_bytes());
    format!("bulk-{}", &hex::encode(digest)[..24])
}

/// The 1-based line of the byte at `offset` (the csv reader's own line count skips blank lines).
fn physical_line(data: &[u8], offset: u64) -> usize {
    let mut end = (offset as usize).min(data.len());
    // a record's position may be the blank lines before it
    while end < data.len() && matches!(data[end], b'\n' | b'\r') {
        end += 1;
    }
    data[..end].iter().filter(|b| **b == b'\n').count() + 1
}

fn column(headers: &[String], names: &[&str]) -> Option<usize> {
    headers
        .iter()
        .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
}

/// Parse and validate a whole file. Every bad row is reported (with its line), or none is sent.
pub fn parse_csv(
    api: BulkApi,
    source_name: &str,
    data: &[u8],
) -> std::result::Result<Vec<BulkRow>, Vec<RowError>> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(data);
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(e) => {
            return Err(vec![RowError {
                line: 1,
                field: "header".into(),
                message: e.to_string(),
            }]);
        }
    };
    let bad = |line, field: &str, message: String| RowError {
        line,
        field: field.into(),
        message,
    };
    let phone_col = column(&headers, &["phone", "phone_number", "msisdn"]);
    let amount_col = column(&headers, &["amount"]);
    let currency_col = column(&headers, &["currency"]);
    let product_col = column(&headers, &["product", "product_id", "productid"]);
    let reference_col = column(&headers, &["reference", "ext_ref_id", "extrefid"]);
    let network_col = column(&headers, &["network_id", "network"]);
    let sms_col = column(&headers, &["sms"]);
    let mut errors = Vec::new();
    if phone_col.is_none() {
        errors.push(bad(1, "header", "a `phone` column is required".into()));
    }
    if amount_col.is_none() && product_col.is_none() {
        errors.push(bad(
            1,
            "header",
            "an `amount` (with `currency` for V2) or a `product` column is required".into(),
        ));
    }
    if api == BulkApi::V2 && amount_col.is_some() && currency_col.is_none() {
        errors.push(bad(
            1,
            "header",
            "`amount` needs a `currency` column".into(),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let known: HashSet<usize> = [
        phone_col,
        amount_col,
        currency_col,
        product_col,
        reference_col,
        network_col,
        sms_col,
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut rows = Vec::new();
    let mut seen_refs: HashMap<String, usize> = HashMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(i + 2);
                errors.push(bad(line, "row", e.to_string()));
                continue;
            }
        };
        // the physical line (blank lines and quoted line breaks counted), as an editor shows it
        let line = rec
            .position()
            .map(|p| physical_line(data, p.byte()))
            .unwrap_or(i + 2);
        if rec.iter().all(str::is_empty) {
            continue;
        }
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).filter(|v| !v.is_empty());
        let before = errors.len();
        // phone, as people type it
        let phone = match get(phone_col) {
            None => {
                errors.push(bad(line, "phone", "missing".into()));
                String::new()
            }
            Some(p) => {
                let converted = match api {
                    BulkApi::V2 => crate::phone::to_e164(p),
                    BulkApi::V1 => crate::phone::to_msisdn(p),
                };
                match converted {
                    Ok(v) => v,
                    Err(_) => {
                        errors.push(bad(
                            line,
                            "phone",
                            format!("{p:?} is not an international number"),
                        ));
                        String::new()
                    }
                }
            }
        };
        let currency = get(currency_col).map(|c| c.to_ascii_uppercase());
        let amount = match get(amount_col) {
            None => None,
            Some(a) => match parse_amount("amount", a) {
                Ok(d) => {
                    let cur = if api == BulkApi::V2 {
                        currency.as_deref()
                    } else {
                        None
                    };
                    match validate_amount_for("amount", d, cur) {
                        Ok(()) => Some(d),
                        Err(e) => {
                            errors.push(bad(
                                line,
                                "amount",
                                e.message().trim_start_matches("amount: ").to_owned(),
                            ));
                            None
                        }
                    }
                }
                Err(_) => {
                    errors.push(bad(
                        line,
                        "amount",
                        format!("{a:?} is not a positive amount"),
                    ));
                    None
                }
            },
        };
        let product = get(product_col).map(str::to_owned);
        match (&amount, &product) {
            (Some(_), Some(_)) if api == BulkApi::V2 => errors.push(bad(
                line,
                "amount",
                "give either amount or product, not both".into(),
            )),
            (None, None) if errors.len() == before => {
                errors.push(bad(line, "amount", "give an amount or a product".into()))
            }
            _ => {}
        }
        if api == BulkApi::V2 && amount.is_some() {
            match &currency {
                None => errors.push(bad(line, "currency", "required with amount".into())),
                Some(c) => {
                    if let Err(e) = validate_currency("currency", c) {
                        errors.push(bad(
                            line,
                            "currency",
                            e.message().trim_start_matches("currency: ").to_owned(),
                        ));
                    }
                }
            }
        }
        if api == BulkApi::V1
            && let Some(p) = &product
            && p.parse::<i64>().map_or(true, |n| n <= 0)
        {
            errors.push(bad(
                line,
                "product",
                format!("{p:?} is not a V1 product id"),
            ));
        }
        let network_id = match get(network_col) {
            None => None,
            Some(n) => match n.parse::<i64>() {
                Ok(v) if v > 0 => Some(v),
                _ => {
                    errors.push(bad(
                        line,
                        "network_id",
                        format!("{n:?} is not a network id"),
                    ));
                    None
                }
            },
        };
        let sale = match (&amount, &product) {
            (Some(a), _) => format!("{} {}", a.normalize(), currency.as_deref().unwrap_or("")),
            (None, Some(p)) => format!("product {p}"),
            _ => String::new(),
        };
        let reference = match get(reference_col) {
            Some(r) => {
                if let Err(e) = crate::config::check_text("reference", r, 100) {
                    errors.push(bad(
                        line,
                        "reference",
                        e.message().trim_start_matches("reference: ").to_owned(),
                    ));
                }
                r.to_owned()
            }
            // without a file name, derived references of two batches would collide: one would look paid
            None if source_name.trim().is_empty() => {
                errors.push(bad(
                    line,
                    "reference",
                    "required when the rows have no file name to derive it from".into(),
                ));
                String::new()
            }
            None => derive_reference(source_name, line, &phone, &sale),
        };
        if let Some(first) = seen_refs.insert(reference.clone(), line) {
            errors.push(bad(
                line,
                "reference",
                format!("{reference:?} is already used on line {first}: one reference per sale"),
            ));
        }
        // `true`/`yes`/`1`: the default SMS; `false`/`no`/`0`: none; any other text (V2): the SMS's text
        let sms = match get(sms_col) {
            None => None,
            Some(v)
                if ["false", "no", "0", "n"]
                    .iter()
                    .any(|f| v.eq_ignore_ascii_case(f)) =>
            {
                None
            }
            Some(v)
                if ["true", "yes", "1", "y"]
                    .iter()
                    .any(|t| v.eq_ignore_ascii_case(t)) =>
            {
                Some(String::new())
            }
            Some(v) if api == BulkApi::V1 => {
                errors.push(bad(line, "sms", format!("{v:?}: use true or false for V1")));
                None
            }
            Some(v) => Some(v.to_owned()),
        };
        let mut metadata = serde_json::Map::new();
        for (c, h) in headers.iter().enumerate() {
            if !known.contains(&c)
                && let Some(v) = rec.get(c).filter(|v| !v.is_empty())
            {
                metadata.insert(h.clone(), v.into());
            }
        }
        if errors.len() == before {
            rows.push(BulkRow {
                line,
                phone,
                amount,
                currency,
                product,
                network_id,
                reference,
                sms,
                metadata,
            });
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Totals per currency of what a file would send (bundles counted per product), for `--dry-run`.
pub fn totals(rows: &[BulkRow]) -> BTreeMap<String, Decimal> {
    let mut t: BTreeMap<String, Decimal> = BTreeMap::new();
    for r in rows {
        match (&r.amount, &r.product) {
            (Some(a), _) => {
                *t.entry(r.currency.clone().unwrap_or_else(|| "(local)".into()))
                    .or_default() += *a
            }
            (None, Some(p)) => *t.entry(format!("product {p}")).or_default() += Decimal::ONE,
            _ => {}
        }
    }
    t
}

/// Parse, validate and check a file in one call (for bindings): the rows, or one `InvalidInput` error listing
/// every bad row, one a line, with `field` = the first bad column.
pub fn load(api: BulkApi, source_name: &str, data: &[u8]) -> Result<Vec<BulkRow>> {
    parse_csv(api, source_name, data).map_err(|errs| {
        let lines: Vec<String> = errs.iter().map(ToString::to_string).collect();
        let msg = format!(
            "{} bad row(s), nothing was sent:\n{}",
            errs.len(),
            lines.join("\n")
        );
        let mut e = Error::invalid(errs[0].field.clone(), msg.clone());
        e.set_message(msg);
        e
    })
}
