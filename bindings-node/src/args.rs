//! Arguments from JS, converted by hand so that every mistake is a `ClickAirtimeError` (`INVALID_INPUT`) naming
//! the argument or option as Node spells it (`apiKey`, `networkId`, `sms.message`), never one of napi's raw
//! conversion errors ("rust type `i64`", `StringExpected`). Only types are checked here; every rule about
//! values lives in the core.

use crate::ErrorInfo;
use clickairtime::ErrorKind;
use napi::bindgen_prelude::*;
use napi::{JsValue, ValueType};
use serde_json::{Map, Value};

/// A conversion's result: the value, or what the `ClickAirtimeError` will carry.
pub(crate) type ArgResult<T> = std::result::Result<T, Box<ErrorInfo>>;

/// `snake_case` (a Rust field, a core field name) → `camelCase` (its Node spelling); dots are kept.
pub(crate) fn camel(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut up = false;
    for ch in s.chars() {
        if ch == '_' {
            up = true;
        } else if up {
            out.extend(ch.to_uppercase());
            up = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// The Node name of a field the core names (`phone_number` → `phoneNumber`, `deadline` → `deadlineMs`).
pub(crate) fn node_field(core: &str) -> String {
    let ms = match core {
        "deadline" => "deadlineMs",
        "initial_interval" => "initialIntervalMs",
        "max_interval" => "maxIntervalMs",
        "not_found_grace" => "notFoundGraceMs",
        "timeout" => "timeoutMs",
        "connect_timeout" => "connectTimeoutMs",
        "read_timeout" => "readTimeoutMs",
        "send_deadline" => "sendDeadlineMs",
        "convergence_bound" => "convergenceBoundMs",
        "retry_base_delay" => "retryBaseDelayMs",
        "max_retry_delay" => "maxRetryDelayMs",
        "max_retry_after" => "maxRetryAfterMs",
        "ca_certificates" => "caCertificatesPem",
        _ => return camel(core),
    };
    ms.to_owned()
}

/// An `INVALID_INPUT` naming `field`.
pub(crate) fn bad(field: &str, message: impl std::fmt::Display) -> Box<ErrorInfo> {
    Box::new(ErrorInfo {
        code: ErrorKind::InvalidInput.as_str().to_owned(),
        message: format!("invalid input: {field}: {message}"),
        field: Some(field.to_owned()),
        ..Default::default()
    })
}

/// `parent.child`, or `child` at the top.
pub(crate) fn path(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_owned()
    } else {
        format!("{parent}.{child}")
    }
}

fn kind(v: &Unknown<'_>) -> ValueType {
    v.get_type().unwrap_or(ValueType::Unknown)
}

/// What the caller gave, for messages: `number 5`, `string "x"`, `an object`, `an array`, `undefined`.
pub(crate) fn shown(v: &Unknown<'_>) -> String {
    match kind(v) {
        ValueType::Undefined => "undefined".into(),
        ValueType::Null => "null".into(),
        ValueType::Boolean => format!("boolean {}", v.coerce_to_bool().unwrap_or(false)),
        ValueType::Number => match unsafe { v.cast::<f64>() } {
            Ok(n) => format!("number {n}"),
            Err(_) => "a number".into(),
        },
        ValueType::String => match unsafe { v.cast::<String>() } {
            Ok(s) => {
                let short: String = s.chars().take(40).collect();
                if short.len() < s.len() {
                    format!("string {short:?}…")
                } else {
                    format!("string {short:?}")
                }
            }
            Err(_) => "a string".into(),
        },
        ValueType::BigInt => "a bigint".into(),
        ValueType::Symbol => "a symbol".into(),
        ValueType::Function => "a function".into(),
        ValueType::Object if v.is_array().unwrap_or(false) => "an array".into(),
        ValueType::Object if v.is_buffer().unwrap_or(false) => "a Buffer".into(),
        ValueType::Object => "an object".into(),
        _ => "an unsupported value".into(),
    }
}

fn absent(v: &Unknown<'_>) -> bool {
    matches!(kind(v), ValueType::Undefined | ValueType::Null)
}

fn want(v: &Unknown<'_>, field: &str, what: &str) -> Box<ErrorInfo> {
    if absent(v) {
        bad(field, format!("is required ({what})"))
    } else {
        bad(field, format!("must be {what} (got {})", shown(v)))
    }
}

/// A value from JS, checked for its type. `field` names it in errors.
pub(crate) trait FromJs: Sized {
    fn from_js(v: Unknown<'_>, field: &str) -> ArgResult<Self>;
}

impl FromJs for String {
    fn from_js(v: Unknown<'_>, field: &str) -> ArgResult<Self> {
        if kind(&v) != ValueType::String {
            return Err(want(&v, field, "a string"));
        }
        unsafe { v.cast::<String>() }.map_err(|_| want(&v, field, "a string"))
    }
}

impl FromJs for bool {
    fn from_js(v: Unknown<'_>, field: &str) -> ArgResult<Self> {
        if kind(&v) != ValueType::Boolean {
            return Err(want(&v, field, "true or false"));
        }
        unsafe { v.cast::<bool>() }.map_err(|_| want(&v, field, "true or false"))
    }
}

fn number(v: &Unknown<'_>, field: &str, what: &str) -> ArgResult<f64> {
    if kind(v) != ValueType::Number {
        return Err(want(v, field, what));
    }
    unsafe { v.cast::<f64>() }.map_err(|_| want(v, field, what))
}

impl FromJs for f64 {
    fn from_js(v: Unknown<'_>, field: &str) -> ArgResult<Self> {
        number(&v, field, "a number")
    }
}

impl FromJs for i64 {
    fn from_js(v: Unknown<'_>, field: &str) -> ArgResult<Self> {
        let n = number(&v, field, "an integer")?;
        if !n.is_finite() || n.fract() != 0.0 || n.abs() > 9_007_199_254_740_991.0 {
            return Err(bad(field, format!("must be an integer (got number {n})")));
        }
        Ok(n as i64)
    }
}

impl FromJs for u32 {
    fn from_js(v: Unknown<'_>, field: &str) -> ArgResult<Self> {
        let what = "a whole number from 0 to 4294967295";
        let n = number(&v, field, what)?;
        if !n.is_finite() || n.fract() != 0.0 || !(0.0..=u32::MAX as f64).contains(&n) {
            return Err(bad(field, format!("must be {what} (got number {n})")));
        }
        Ok(n as u32)
    }
}

impl<T: FromJs> FromJs for Option<T> {
    fn from_js(v: Unknown<'_>, field: &str) -> ArgResult<Self> {
        if absent(&v) {
            return Ok(None);
        }
        T::from_js(v, field).map(Some)
    }
}

/// An array, each element checked (`field[i]` names it in errors).
impl<T: FromJs> FromJs for Vec<T> {
    fn from_js(v: Unknown<'_>, field: &str) -> ArgResult<Self> {
        if kind(&v) != ValueType::Object || !v.is_array().unwrap_or(false) {
            return Err(want(&v, field, "an array"));
        }
        let arr: Object<'_> = unsafe { v.cast() }.map_err(|_| want(&v, field, "an array"))?;
        let len = arr
            .get_array_length()
            .map_err(|e| bad(field, format!("cannot be read ({})", e.reason)))?;
        let mut out = Vec::with_capacity(len as usize);
        for i in 0..len {
            let name = format!("{field}[{i}]");
            let e: Unknown<'_> = arr
                .get_element(i)
                .map_err(|e| bad(&name, format!("cannot be read ({})", e.reason)))?;
            out.push(T::from_js(e, &name)?);
        }
        Ok(out)
    }
}

/// An amount: a decimal string (exact) or a number.
impl FromJs for Either<String, f64> {
    fn from_js(v: Unknown<'_>, field: &str) -> ArgResult<Self> {
        let what = "a decimal string (e.g. \"12.50\") or a number";
        match kind(&v) {
            ValueType::String => String::from_js(v, field).map(Either::A),
            ValueType::Number => f64::from_js(v, field).map(Either::B),
            _ => Err(want(&v, field, what)),
        }
    }
}

/// An id given as text or as an integer (a V2 bundle id).
impl FromJs for Either<String, i64> {
    fn from_js(v: Unknown<'_>, field: &str) -> ArgResult<Self> {
        match kind(&v) {
            ValueType::String => String::from_js(v, field).map(Either::A),
            ValueType::Number => i64::from_js(v, field).map(Either::B),
            _ => Err(want(&v, field, "a string or an integer")),
        }
    }
}

/// JSON metadata: a plain object of JSON values.
impl FromJs for Map<String, Value> {
    fn from_js(v: Unknown<'_>, field: &str) -> ArgResult<Self> {
        if kind(&v) != ValueType::Object || v.is_array().unwrap_or(false) {
            return Err(want(&v, field, "an object of JSON values"));
        }
        match unsafe { v.cast::<Value>() } {
            Ok(Value::Object(m)) => Ok(m),
            _ => Err(bad(
                field,
                "must be an object of JSON values (strings, numbers, booleans, null, arrays, objects)",
            )),
        }
    }
}

/// A webhook body: the raw bytes as received (a Buffer or Uint8Array), or the raw text.
pub(crate) struct RawBody(pub Vec<u8>);

impl FromJs for RawBody {
    fn from_js(v: Unknown<'_>, field: &str) -> ArgResult<Self> {
        match kind(&v) {
            ValueType::String => String::from_js(v, field).map(|s| RawBody(s.into_bytes())),
            ValueType::Object
                if v.is_buffer().unwrap_or(false) || v.is_typedarray().unwrap_or(false) =>
            {
                unsafe { v.cast::<Uint8Array>() }
                    .map(|b| RawBody(b.to_vec()))
                    .or_else(|_| unsafe { v.cast::<Buffer>() }.map(|b| RawBody(b.to_vec())))
                    .map_err(|_| want(&v, field, "the raw body (a Buffer or a string)"))
            }
            ValueType::Object => Err(bad(
                field,
                format!(
                    "must be the raw body exactly as received (a Buffer or a string), got {}: a parsed JSON body cannot be verified, since re-serialising it changes the bytes. Read the body raw, e.g. express.raw({{ type: 'application/json' }}) instead of express.json()",
                    shown(&v)
                ),
            )),
            _ if absent(&v) => Err(bad(
                field,
                "is required: the raw body exactly as received (a Buffer or a string), e.g. from express.raw({ type: 'application/json' })",
            )),
            _ => Err(want(&v, field, "the raw body (a Buffer or a string)")),
        }
    }
}

/// An options object: `undefined`/`null` → `None` for optional ones; anything but a plain object refused.
pub(crate) fn object<'a>(v: Unknown<'a>, field: &str) -> ArgResult<Object<'a>> {
    if kind(&v) != ValueType::Object || v.is_array().unwrap_or(false) {
        let name = if field.is_empty() { "options" } else { field };
        return Err(want(&v, name, "an object"));
    }
    unsafe { v.cast::<Object<'a>>() }.map_err(|_| want(&v, field, "an object"))
}

/// One property of an options object, converted (its path names it in errors).
pub(crate) fn prop<T: FromJs>(obj: &Object<'_>, parent: &str, rust_name: &str) -> ArgResult<T> {
    let name = path(parent, &camel(rust_name));
    let v: Unknown<'_> = obj
        .get_named_property(&camel(rust_name))
        .map_err(|e| bad(&name, format!("cannot be read ({})", e.reason)))?;
    T::from_js(v, &name)
}

/// The JS call an options object is given to, named in the message of an unknown option: how the user writes
/// the call (`topups.list`, `new V2Client`) and what a `signal` put in that object should have been.
#[derive(Clone, Copy)]
pub(crate) struct Call {
    name: &'static str,
    signal: Signal,
}

#[derive(Clone, Copy)]
enum Signal {
    /// The call takes `{ signal }` as its last argument: the form to write.
    Last(&'static str),
    /// A blocking `…Sync` twin: the Promise form that takes `{ signal }`.
    Blocking(&'static str),
    /// The call cannot be cancelled at all.
    Never,
}

impl Call {
    /// A call that takes `{ signal }` as its last argument, e.g. `("topups.list", "topups.list(filter, { signal })")`.
    pub(crate) const fn cancellable(name: &'static str, usage: &'static str) -> Call {
        Call {
            name,
            signal: Signal::Last(usage),
        }
    }
    /// A blocking `…Sync` twin, with the Promise form that takes a signal.
    pub(crate) const fn blocking(name: &'static str, usage: &'static str) -> Call {
        Call {
            name,
            signal: Signal::Blocking(usage),
        }
    }
    /// A call that takes no signal (a constructor, a sandbox control).
    pub(crate) const fn plain(name: &'static str) -> Call {
        Call {
            name,
            signal: Signal::Never,
        }
    }
}

thread_local! {
    // The call and argument whose options object is being read (set by `top` for the conversion; every
    // conversion runs on the JS thread, to the end, before the call does anything else).
    static READING: std::cell::Cell<Option<(Call, &'static str)>> = const { std::cell::Cell::new(None) };
}

/// An options-object argument of `call`: its properties are named by their own names in errors (`apiKey`, not
/// `options.apiKey`); `name` names the argument itself when it is missing or not an object. A property that is
/// not an option of it (`signal` in a filter, a misspelt name) is `INVALID_INPUT` naming it and the call.
pub(crate) fn top<T: FromJs>(v: Unknown<'_>, name: &'static str, call: Call) -> ArgResult<T> {
    let outer = READING.with(|r| r.replace(Some((call, name))));
    let out = if kind(&v) == ValueType::Object && !v.is_array().unwrap_or(false) {
        T::from_js(v, "")
    } else {
        T::from_js(v, name)
    };
    READING.with(|r| r.set(outer));
    out
}

/// Refuse a property of `obj` (the object at `parent`) that is none of `fields` (Rust names of the options) or
/// `extra` (JS names the entry point handles itself, e.g. `onProgress`). Only own enumerable string keys count,
/// as for `Object.keys`; inherited ones are never options.
pub(crate) fn only_known(
    obj: &Object<'_>,
    parent: &str,
    fields: &[&str],
    extra: &[&str],
) -> ArgResult<()> {
    use napi::bindgen_prelude::{KeyCollectionMode, KeyConversion, KeyFilter};
    let name = if parent.is_empty() { "options" } else { parent };
    let keys = obj
        .get_all_property_names(
            KeyCollectionMode::OwnOnly,
            KeyFilter::Enumerable,
            KeyConversion::NumbersToStrings,
        )
        .map_err(|e| bad(name, format!("cannot be read ({})", e.reason)))?;
    let len = keys
        .get_array_length()
        .map_err(|e| bad(name, format!("cannot be read ({})", e.reason)))?;
    for i in 0..len {
        let k: Unknown<'_> = keys
            .get_element(i)
            .map_err(|e| bad(name, format!("cannot be read ({})", e.reason)))?;
        if kind(&k) != ValueType::String {
            continue; // a symbol key is never an option
        }
        let Ok(key) = (unsafe { k.cast::<String>() }) else {
            continue;
        };
        if fields.iter().any(|f| camel(f) == key) || extra.contains(&key.as_str()) {
            continue;
        }
        let mut known: Vec<String> = fields.iter().map(|f| camel(f)).collect();
        known.extend(extra.iter().map(|e| (*e).to_owned()));
        return Err(unknown(parent, &key, &known));
    }
    Ok(())
}

/// `INVALID_INPUT` for the property `key` of the object at `parent`, which is not one of `known`.
fn unknown(parent: &str, key: &str, known: &[String]) -> Box<ErrorInfo> {
    let field = path(parent, key);
    let reading = READING.with(|r| r.get());
    let Some((call, arg)) = reading else {
        return bad(
            &field,
            format!("is not an option (the options are: {})", known.join(", ")),
        );
    };
    let holder = if parent.is_empty() {
        arg.to_owned()
    } else {
        path(arg, parent)
    };
    let what = format!("is not an option of {} ({holder})", call.name);
    let message = match (key, call.signal) {
        ("signal", Signal::Last(usage)) => {
            format!("{what}: pass {{ signal }} as the last argument: {usage}")
        }
        ("signal", Signal::Blocking(usage)) => format!(
            "{what}: the …Sync twins cannot be cancelled (they block the thread, so nothing could abort them): use the Promise form, {usage}"
        ),
        ("signal", Signal::Never) => format!("{what}: {} cannot be cancelled", call.name),
        _ => format!("{what}; its options are: {}", known.join(", ")),
    };
    bad(&field, message)
}

/// An argument of a function: `name` names it in errors.
pub(crate) fn arg<T: FromJs>(v: Unknown<'_>, name: &str) -> ArgResult<T> {
    T::from_js(v, name)
}

/// `FromJs` for an options struct (declared with `#[napi(object, object_from_js = false)]` for its types),
/// read property by property, each named by its path in errors: `from_js!(Name { field_a, field_b })`. Any
/// other own property is refused (`only_known`), except the JS names listed after the fields,
/// `from_js!(Name { field_a } also ["onProgress"])`: options the entry point or the binding reads itself.
macro_rules! from_js {
    ($name:ident { $($field:ident),* $(,)? } $(also [$($extra:literal),* $(,)?])?) => {
        impl $crate::args::FromJs for $name {
            fn from_js(
                v: napi::bindgen_prelude::Unknown<'_>,
                field: &str,
            ) -> $crate::args::ArgResult<Self> {
                let obj = $crate::args::object(v, field)?;
                $crate::args::only_known(&obj, field, &[$(stringify!($field)),*], &[$($($extra),*)?])?;
                Ok($name {
                    $( $field: $crate::args::prop(&obj, field, stringify!($field))?, )*
                })
            }
        }
    };
}
pub(crate) use from_js;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(camel("api_key"), "apiKey");
        assert_eq!(camel("sms.message"), "sms.message");
        assert_eq!(camel("v1_duplicate_window_ms"), "v1DuplicateWindowMs");
        assert_eq!(node_field("phone_number"), "phoneNumber");
        assert_eq!(node_field("deadline"), "deadlineMs");
        assert_eq!(node_field("ca_certificates"), "caCertificatesPem");
        assert_eq!(path("", "apiKey"), "apiKey");
        assert_eq!(path("sms", "message"), "sms.message");
    }
}
