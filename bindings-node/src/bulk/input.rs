//! The input of a bulk run (a CSV path, CSV bytes, or an array of row objects written as CSV for the core's
//! parser) and its options, checked on the JS thread.

use super::shapes::{BulkOptions, BulkRowResult};
use crate::args::{ArgResult, Call, FromJs, RawBody, bad, shown, top};
use clickairtime::bulk::BulkApi;
use napi::bindgen_prelude::*;
use napi::{JsValue, ValueType};

// ---------------------------------------------------------------- the input

/// Where the rows come from.
pub(crate) enum Source {
    /// A CSV file (read when the run starts, on the SDK's threads for `bulk`).
    Path(String),
    /// CSV bytes: given as a Buffer, or written from an array of rows (`array`).
    Csv {
        data: Vec<u8>,
        array: bool,
        /// Some row has no reference (one is derived from the batch's name: `name` is then required).
        missing_refs: bool,
    },
}

/// The column a row object's key fills: the core's aliases, in any case and with or without `_` (`phone`,
/// `phoneNumber`, `msisdn` → `phone`; `productId` → `product`; `extRefId` → `reference`; `networkId` →
/// `network_id`), so rows may mix spellings. Other keys are used as they are (V2 metadata).
fn column_of(key: &str) -> String {
    let folded: String = key
        .chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    match folded.as_str() {
        "phone" | "phonenumber" | "msisdn" => "phone",
        "amount" => "amount",
        "currency" => "currency",
        "product" | "productid" => "product",
        "reference" | "extrefid" => "reference",
        "networkid" | "network" => "network_id",
        "sms" => "sms",
        _ => return key.to_owned(),
    }
    .to_owned()
}

/// One cell from a JS value: text as is, a number in its shortest form, a boolean as `true`/`false`,
/// `null`/`undefined` empty.
fn cell(v: Unknown<'_>, field: &str) -> ArgResult<String> {
    match v.get_type().unwrap_or(ValueType::Unknown) {
        ValueType::Undefined | ValueType::Null => Ok(String::new()),
        ValueType::String => String::from_js(v, field),
        ValueType::Boolean => bool::from_js(v, field).map(|b| b.to_string()),
        ValueType::Number => {
            let n = f64::from_js(v, field)?;
            if !n.is_finite() {
                return Err(bad(field, format!("must be a finite number (got {n})")));
            }
            Ok(n.to_string())
        }
        _ => Err(bad(
            field,
            format!(
                "must be a string, a number or a boolean (got {})",
                shown(&v)
            ),
        )),
    }
}

/// The `sms` cell: V2 takes the SMS text; V1 `true` (the default SMS) or `false`. A boolean never becomes the
/// text `"false"` (the core reads any V1 value as "send the SMS", any V2 value as its text).
fn sms_cell(api: BulkApi, v: Unknown<'_>, field: &str) -> ArgResult<String> {
    match (api, v.get_type().unwrap_or(ValueType::Unknown)) {
        (_, ValueType::Undefined | ValueType::Null) => Ok(String::new()),
        (BulkApi::V1, ValueType::Boolean) => Ok(if bool::from_js(v, field)? {
            "true".into()
        } else {
            String::new()
        }),
        (BulkApi::V1, _) => Err(bad(
            field,
            format!("must be true or false (got {})", shown(&v)),
        )),
        (BulkApi::V2, ValueType::String) => String::from_js(v, field),
        (BulkApi::V2, _) => Err(bad(
            field,
            format!("must be the text of the SMS (got {})", shown(&v)),
        )),
    }
}

/// An array of row objects, written as CSV (header: every column, in first-seen order).
fn rows_to_csv(api: BulkApi, v: Unknown<'_>) -> ArgResult<Source> {
    let arr: Object<'_> = unsafe { v.cast() }.map_err(|_| bad("rows", "cannot be read"))?;
    let len = arr
        .get_array_length()
        .map_err(|e| bad("rows", format!("cannot be read ({})", e.reason)))?;
    if len == 0 {
        return Err(bad("rows", "is empty: give at least one row"));
    }
    let mut header: Vec<String> = Vec::new();
    let mut records: Vec<Vec<(usize, String)>> = Vec::with_capacity(len as usize);
    let mut missing_refs = false;
    for i in 0..len {
        let name = format!("rows[{i}]");
        let e: Unknown<'_> = arr
            .get_element(i)
            .map_err(|e| bad(&name, format!("cannot be read ({})", e.reason)))?;
        let obj = crate::args::object(e, &name)?;
        let keys =
            Object::keys(&obj).map_err(|e| bad(&name, format!("cannot be read ({})", e.reason)))?;
        let mut rec: Vec<(usize, String)> = Vec::with_capacity(keys.len());
        let mut has_ref = false;
        for key in keys {
            let field = format!("{name}.{key}");
            let value: Unknown<'_> = obj
                .get_named_property(&key)
                .map_err(|e| bad(&field, format!("cannot be read ({})", e.reason)))?;
            let col = column_of(&key);
            let text = if col == "sms" {
                sms_cell(api, value, &field)?
            } else {
                cell(value, &field)?
            };
            let c = match header.iter().position(|h| *h == col) {
                Some(c) => c,
                None => {
                    header.push(col.clone());
                    header.len() - 1
                }
            };
            if rec.iter().any(|(k, _)| *k == c) {
                return Err(bad(
                    &field,
                    format!("names the same column as another key of this row ({col})"),
                ));
            }
            if col == "reference" && !text.trim().is_empty() {
                has_ref = true;
            }
            rec.push((c, text));
        }
        missing_refs |= !has_ref;
        records.push(rec);
    }
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let io = |e: csv::Error| bad("rows", format!("cannot be written as CSV ({e})"));
    w.write_record(&header).map_err(io)?;
    for rec in records {
        let mut line = vec![String::new(); header.len()];
        for (c, text) in rec {
            line[c] = text;
        }
        w.write_record(&line).map_err(io)?;
    }
    let data = w
        .into_inner()
        .map_err(|e| bad("rows", format!("cannot be written as CSV ({e})")))?;
    Ok(Source::Csv {
        data,
        array: true,
        missing_refs,
    })
}

/// The first argument: a path, the CSV bytes, or an array of rows.
pub(crate) fn source(api: BulkApi, v: Unknown<'_>) -> ArgResult<Source> {
    let what = "a CSV file's path, the CSV itself (a Buffer), or an array of rows (objects)";
    match v.get_type().unwrap_or(ValueType::Unknown) {
        ValueType::String => {
            let p = String::from_js(v, "input")?;
            if p.is_empty() {
                return Err(bad("input", "must not be empty (a CSV file's path)"));
            }
            Ok(Source::Path(p))
        }
        ValueType::Object if v.is_array().unwrap_or(false) => rows_to_csv(api, v),
        ValueType::Object
            if v.is_buffer().unwrap_or(false) || v.is_typedarray().unwrap_or(false) =>
        {
            let body = RawBody::from_js(v, "input")?;
            Ok(Source::Csv {
                data: body.0,
                array: false,
                missing_refs: true,
            })
        }
        ValueType::Undefined | ValueType::Null => {
            Err(bad("input", format!("is required ({what})")))
        }
        _ => Err(bad("input", format!("must be {what} (got {})", shown(&v)))),
    }
}

/// Everything a run needs, checked on the JS thread.
pub(crate) struct Plan {
    pub(super) source: Source,
    pub(super) name: Option<String>,
    pub(super) concurrency: usize,
    pub(super) report: Option<String>,
}

pub(crate) fn plan(
    api: BulkApi,
    input: Unknown<'_>,
    options: Option<BulkOptions>,
) -> ArgResult<Plan> {
    let source = source(api, input)?;
    let o = options.unwrap_or(BulkOptions {
        concurrency: None,
        report: None,
        name: None,
    });
    let concurrency = o.concurrency.unwrap_or(4);
    if !(1..=64).contains(&concurrency) {
        return Err(bad(
            "concurrency",
            format!("must be from 1 to 64 (got {concurrency})"),
        ));
    }
    if let Some(n) = &o.name
        && n.trim().is_empty()
    {
        return Err(bad("name", "must not be empty"));
    }
    if let Some(r) = &o.report
        && r.is_empty()
    {
        return Err(bad("report", "must not be empty (a file path)"));
    }
    if let Source::Csv {
        array,
        missing_refs: true,
        ..
    } = &source
        && o.name.is_none()
    {
        return Err(bad(
            "name",
            if *array {
                "is required when a row has no reference: the references of such rows are derived from the batch's name (e.g. 'bonus-2026-05'), its line and its sale, so that a rerun maps to the same sales"
            } else {
                "is required for CSV given as a Buffer: the references of rows without one are derived from the batch's name (e.g. 'bonus-2026-05.csv'), so that a rerun maps to the same sales"
            },
        ));
    }
    Ok(Plan {
        source,
        name: o.name,
        concurrency: concurrency as usize,
        report: o.report,
    })
}

/// `onProgress(result, done, total)` as `bulkSync` calls it.
type OnProgress<'a> = Function<'a, FnArgs<(BulkRowResult, u32, u32)>, Unknown<'a>>;

const SYNC: Call = Call::blocking("client.bulkSync", "client.bulk(input, { signal })");

/// The options object of `bulkSync`, with its `onProgress` function; a `signal` is a mistake there.
pub(crate) fn sync_options<'a>(
    v: Unknown<'a>,
) -> ArgResult<(Option<BulkOptions>, Option<OnProgress<'a>>)> {
    if v.get_type().unwrap_or(ValueType::Unknown) != ValueType::Object
        || v.is_array().unwrap_or(false)
    {
        return Ok((top(v, "options", SYNC)?, None));
    }
    let obj: Object<'a> = unsafe { v.cast() }.map_err(|_| bad("options", "cannot be read"))?;
    if obj.has_named_property("signal").unwrap_or(false) {
        let s: Unknown<'_> = obj
            .get_named_property("signal")
            .map_err(|_| bad("signal", "cannot be read"))?;
        if !matches!(s.get_type(), Ok(ValueType::Undefined | ValueType::Null)) {
            return Err(bad(
                "signal",
                "bulkSync cannot be cancelled (it blocks the thread, so nothing could abort it): use bulk(input, { signal })",
            ));
        }
    }
    let p: Unknown<'a> = obj
        .get_named_property("onProgress")
        .map_err(|_| bad("onProgress", "cannot be read"))?;
    let f = match p.get_type().unwrap_or(ValueType::Unknown) {
        ValueType::Undefined | ValueType::Null => None,
        ValueType::Function => {
            Some(unsafe { p.cast() }.map_err(|_| bad("onProgress", "cannot be read"))?)
        }
        _ => {
            return Err(bad(
                "onProgress",
                format!(
                    "must be a function (result, done, total) (got {})",
                    shown(&p)
                ),
            ));
        }
    };
    Ok((top(v, "options", SYNC)?, f))
}
