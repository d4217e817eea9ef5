//! The result models as native, frozen classes.
//!
//! One base class, `_Model`, holds the values of every model and gives what they all share (`to_dict`,
//! `to_json`, `from_dict`, `repr`, equality, hashing, pickling, `.meta`); each model is a small subclass
//! declared with [`model!`](crate::model!) that names its fields, in the order of `docs/SHAPES.md`, and
//! adds a getter per field. Objects are made from the core's typed records (`fill`) or from JSON
//! (`from_dict`), both through the same per-field rules (`scalar_slot`, `value_slot`): text, numbers and
//! flags at once; `Decimal` and `datetime` values on first access, then cached in the object (the same
//! object every time). The class's Python methods are in `model_py`.

use crate::convert::{json_to_py, py_to_json};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use serde_json::Value;

/// Makes a model object from its JSON form (the core's serde output).
pub(crate) type Make = fn(Python<'_>, &Value) -> PyResult<Py<PyAny>>;
/// Makes a model object with every field at its default.
pub(crate) type Empty = fn(Python<'_>) -> PyResult<Py<PyAny>>;
/// Makes the Python `Meta` of an answer from the core's (on the first `.meta`).
pub(crate) type MakeMeta = fn(Python<'_>, &clickairtime::response::Meta) -> PyResult<Py<PyAny>>;

/// A model class: its fields, and how a filled base becomes an object of the class.
#[derive(Clone, Copy)]
pub(crate) struct Decl {
    pub(crate) fields: fn() -> &'static Fields,
    pub(crate) wrap: fn(Python<'_>, Model) -> PyResult<Py<PyAny>>,
}

impl Decl {
    /// An object of the class from its JSON form.
    pub(crate) fn make(self, py: Python<'_>, v: &Value) -> PyResult<Py<PyAny>> {
        (self.wrap)(py, Model::from_json(py, (self.fields)(), v)?)
    }
}

/// What a field holds, and so how it is made from JSON and shown by `to_dict`.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    /// Text, a number, a flag, or any JSON value, as it is.
    Plain,
    /// A `decimal.Decimal`, made from the exact text on first access.
    Dec,
    /// An aware `datetime`, made from RFC 3339 text on first access (`None` if it does not parse).
    Time,
    /// An aware `datetime`, made from Unix milliseconds on first access.
    Ms,
    /// Another model.
    Model(Decl),
    /// A list of another model.
    Models(Decl),
    /// A sent record: a V1 `Transaction` (first) or a V2 `TopUp` (second), by the object's `api` (or its
    /// `entry`'s); `None` when it does not read as one.
    Record(Make, Make),
}

/// The value of a field that is not given.
#[derive(Clone, Copy)]
pub(crate) enum Dflt {
    Req,
    Null,
    Str(&'static str),
    Int(i64),
    Bool(bool),
    List,
    Model(Empty),
}

pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    pub(crate) dflt: Dflt,
}

/// A model's name and fields, in order.
pub(crate) struct Fields {
    pub(crate) class: &'static str,
    pub(crate) list: &'static [Field],
}

/// A value as received, before its Python object is made.
pub(crate) enum Raw {
    Dec(Box<str>),
    Time(Box<str>),
    Ms(i64),
}

/// One field's value: made at once, or made from its raw form on first access and then kept.
pub(crate) enum Slot {
    Ready(Py<PyAny>),
    Lazy(Raw, PyOnceLock<Py<PyAny>>),
}

impl Slot {
    fn lazy(raw: Raw) -> Slot {
        Slot::Lazy(raw, PyOnceLock::new())
    }

    fn value<'a>(&'a self, py: Python<'_>) -> PyResult<&'a Py<PyAny>> {
        let (raw, cell) = match self {
            Slot::Ready(v) => return Ok(v),
            Slot::Lazy(raw, cell) => (raw, cell),
        };
        cell.get_or_try_init(py, || match raw {
            Raw::Dec(t) => Ok(decimal_class(py)?.call1((&**t,))?.unbind()),
            Raw::Time(t) => Ok(dates(py, "parse_datetime")?.call1((&**t,))?.unbind()),
            Raw::Ms(ms) => Ok(dates(py, "ms_datetime")?.call1((*ms,))?.unbind()),
        })
    }

    /// The exact text of a decimal not made into a `Decimal` yet.
    fn pending_decimal(&self, py: Python<'_>) -> Option<&str> {
        match self {
            Slot::Lazy(Raw::Dec(t), cell) if cell.get(py).is_none() => Some(t),
            _ => None,
        }
    }
}

static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static PARSE_DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static MS_DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn decimal_class(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    DECIMAL
        .get_or_try_init(py, || {
            Ok(py.import("decimal")?.getattr("Decimal")?.unbind())
        })
        .map(|d| d.bind(py))
}

/// A time helper of `clickairtime._dates` (imported on the first time value).
fn dates<'py>(py: Python<'py>, name: &'static str) -> PyResult<&'py Bound<'py, PyAny>> {
    let cell = if name == "ms_datetime" {
        &MS_DATETIME
    } else {
        &PARSE_DATETIME
    };
    cell.get_or_try_init(py, || {
        Ok(py.import("clickairtime._dates")?.getattr(name)?.unbind())
    })
    .map(|d| d.bind(py))
}

/// A JSON-ready form of any value a model may hold: models as dicts, `Decimal` as its text, times as
/// ISO 8601, lists and dicts item by item.
fn plain<'py>(py: Python<'py>, v: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    if v.is_none() || v.is_instance_of::<PyString>() || v.is_instance_of::<pyo3::types::PyInt>() {
        return Ok(v.clone());
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let out = PyDict::new(py);
        for (k, item) in d.iter() {
            out.set_item(k, plain(py, &item)?)?;
        }
        return Ok(out.into_any());
    }
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        let out = PyList::empty(py);
        for item in v.try_iter()? {
            out.append(plain(py, &item?)?)?;
        }
        return Ok(out.into_any());
    }
    if let Ok(m) = v.cast::<Model>() {
        return Ok(m.get().dict(py)?.into_bound(py).into_any());
    }
    if v.hasattr("isoformat")? {
        return v.call_method0("isoformat");
    }
    if v.is_instance(decimal_class(py)?)? {
        return Ok(v.str()?.into_any());
    }
    if v.hasattr("to_dict")? {
        return v.call_method0("to_dict");
    }
    Ok(v.clone())
}

fn missing(fields: &Fields, name: &str) -> PyErr {
    PyTypeError::new_err(format!(
        "{}.__init__() missing 1 required positional argument: '{name}'",
        fields.class
    ))
}

fn default_slot(py: Python<'_>, fields: &Fields, f: &Field) -> PyResult<Slot> {
    let v = match f.dflt {
        Dflt::Req => return Err(missing(fields, f.name)),
        Dflt::Null => py.None(),
        Dflt::Str(s) => PyString::new(py, s).into_any().unbind(),
        Dflt::Int(n) => n.into_pyobject(py)?.into_any().unbind(),
        Dflt::Bool(b) => pyo3::types::PyBool::new(py, b)
            .to_owned()
            .into_any()
            .unbind(),
        Dflt::List => PyList::empty(py).into_any().unbind(),
        Dflt::Model(empty) => empty(py)?,
    };
    Ok(Slot::Ready(v))
}

/// A JSON scalar, borrowed: what both ways of making a model (from JSON, from the core's records) give
/// [`scalar_slot`].
#[derive(Clone, Copy)]
pub(crate) enum Scalar<'a> {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(&'a str),
}

impl<'a> Scalar<'a> {
    fn of(v: &'a Value) -> Option<Scalar<'a>> {
        Some(match v {
            Value::Null => Scalar::Null,
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => Scalar::I64(i),
                (None, Some(u)) => Scalar::U64(u),
                _ => Scalar::F64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(t) => Scalar::Str(t),
            Value::Array(_) | Value::Object(_) => return None,
        })
    }

    /// The number as JSON writes it (`None` if this is not a number).
    fn number_text(self) -> Option<String> {
        match self {
            Scalar::I64(i) => Some(i.to_string()),
            Scalar::U64(u) => Some(u.to_string()),
            Scalar::F64(x) => serde_json::Number::from_f64(x).map(|n| n.to_string()),
            _ => None,
        }
    }

    fn to_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(match self {
            Scalar::Null => py.None(),
            Scalar::Bool(b) => pyo3::types::PyBool::new(py, b)
                .to_owned()
                .into_any()
                .unbind(),
            Scalar::I64(i) => i.into_pyobject(py)?.into_any().unbind(),
            Scalar::U64(u) => u.into_pyobject(py)?.into_any().unbind(),
            Scalar::F64(x) => pyo3::types::PyFloat::new(py, x).into_any().unbind(),
            Scalar::Str(t) => PyString::new(py, t).into_any().unbind(),
        })
    }
}

impl std::fmt::Display for Scalar<'_> {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scalar::Null => out.write_str("null"),
            Scalar::Bool(b) => write!(out, "{b}"),
            Scalar::Str(t) => write!(out, "{}", Value::String((*t).to_owned())),
            n => out.write_str(&n.number_text().unwrap_or_else(|| "NaN".into())),
        }
    }
}

fn wrong(fields: &Fields, f: &Field, what: &str, got: &dyn std::fmt::Display) -> PyErr {
    PyTypeError::new_err(format!(
        "{}.{}: expected {what}, got {got}",
        fields.class, f.name
    ))
}

/// The slot of field `f` from a scalar: the rules for text, numbers, flags and nulls in every kind of field.
pub(crate) fn scalar_slot(
    py: Python<'_>,
    fields: &Fields,
    f: &Field,
    v: Scalar<'_>,
) -> PyResult<Slot> {
    Ok(match (f.kind, v) {
        // a null the API sends for a field with a plain default is kept as None
        (_, Scalar::Null) => match f.dflt {
            Dflt::Req => return Err(missing(fields, f.name)),
            Dflt::List | Dflt::Model(_) => return default_slot(py, fields, f),
            _ => Slot::Ready(py.None()),
        },
        (Kind::Dec, Scalar::Str(t)) => Slot::lazy(Raw::Dec(t.into())),
        (Kind::Dec, n) if n.number_text().is_some() => {
            Slot::lazy(Raw::Dec(n.number_text().unwrap_or_default().into()))
        }
        (Kind::Time, Scalar::Str(t)) | (Kind::Ms, Scalar::Str(t)) => {
            Slot::lazy(Raw::Time(t.into()))
        }
        (Kind::Time, _) | (Kind::Record(..), _) => Slot::Ready(py.None()),
        (Kind::Ms, Scalar::I64(ms)) => Slot::lazy(Raw::Ms(ms)),
        (Kind::Model(_), v) => return Err(wrong(fields, f, "an object", &v)),
        (Kind::Models(_), v) => return Err(wrong(fields, f, "a list", &v)),
        (_, v) => Slot::Ready(v.to_py(py)?),
    })
}

/// The slot of field `f` from its JSON value (`None`: not given); `obj` is the whole object, which a
/// `Kind::Record` field reads its sibling `api` from.
pub(crate) fn value_slot(
    py: Python<'_>,
    fields: &Fields,
    f: &Field,
    v: Option<&Value>,
    obj: Option<&serde_json::Map<String, Value>>,
) -> PyResult<Slot> {
    let Some(v) = v else {
        return default_slot(py, fields, f);
    };
    if let Some(s) = Scalar::of(v) {
        return scalar_slot(py, fields, f, s);
    }
    // an object or a list
    Ok(match (f.kind, v) {
        (Kind::Model(decl), Value::Object(_)) => Slot::Ready(decl.make(py, v)?),
        (Kind::Model(_), _) => return Err(wrong(fields, f, "an object", v)),
        (Kind::Models(decl), Value::Array(items)) => {
            let list = PyList::empty(py);
            for item in items {
                if item.is_null() {
                    list.append(py.None())?;
                } else {
                    list.append(decl.make(py, item)?)?;
                }
            }
            Slot::Ready(list.into_any().unbind())
        }
        (Kind::Models(_), _) => return Err(wrong(fields, f, "a list", v)),
        (Kind::Record(v1, v2), Value::Object(_)) => {
            let api = obj
                .and_then(|o| o.get("api"))
                .or_else(|| obj?.get("entry").and_then(|e| e.get("api")))
                .and_then(Value::as_str);
            let make = if api == Some("v1") { v1 } else { v2 };
            Slot::Ready(make(py, v).unwrap_or_else(|_| py.None()))
        }
        (Kind::Record(..), _) | (Kind::Time, _) => Slot::Ready(py.None()),
        _ => Slot::Ready(json_to_py(py, v)?.unbind()),
    })
}

/// The base of every result model (`clickairtime._native._Model`); see the module's documentation.
#[pyclass(subclass, frozen, module = "clickairtime._native", name = "_Model")]
pub(crate) struct Model {
    pub(crate) fields: &'static Fields,
    slots: Box<[Slot]>,
    meta: PyOnceLock<Py<PyAny>>,
    /// The core's meta of the answer, until `.meta` is first read (most callers never read it: making it
    /// for every answer cost as much as making the record).
    core_meta: std::sync::Mutex<Option<(Box<clickairtime::response::Meta>, MakeMeta)>>,
}

impl Model {
    /// From the core's serde output (or `from_dict`'s JSON form).
    pub(crate) fn from_json(py: Python<'_>, fields: &'static Fields, v: &Value) -> PyResult<Model> {
        let Some(obj) = v.as_object() else {
            return Err(PyTypeError::new_err(format!(
                "{}: expected an object, got {v}",
                fields.class
            )));
        };
        let slots = fields
            .list
            .iter()
            .map(|f| value_slot(py, fields, f, obj.get(f.name), Some(obj)))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Model::from_slots(fields, slots))
    }

    /// From the constructor's arguments, kept as given (as a dataclass does).
    pub(crate) fn from_args(
        py: Python<'_>,
        fields: &'static Fields,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Model> {
        let n = fields.list.len();
        let class = fields.class;
        if args.len() > n {
            return Err(PyTypeError::new_err(format!(
                "{class}() takes {n} positional arguments but {} were given",
                args.len()
            )));
        }
        let mut given: Vec<Option<Py<PyAny>>> = (0..n).map(|_| None).collect();
        for (i, a) in args.iter().enumerate() {
            given[i] = Some(a.unbind());
        }
        if let Some(kw) = kwargs {
            for (k, v) in kw.iter() {
                let k: String = k.extract()?;
                let Some(i) = fields.list.iter().position(|f| f.name == k) else {
                    return Err(PyTypeError::new_err(format!(
                        "{class}() got an unexpected keyword argument '{k}'"
                    )));
                };
                if given[i].is_some() {
                    return Err(PyTypeError::new_err(format!(
                        "{class}() got multiple values for argument '{k}'"
                    )));
                }
                given[i] = Some(v.unbind());
            }
        }
        let slots = fields
            .list
            .iter()
            .zip(given)
            .map(|(f, v)| match v {
                Some(v) => Ok(Slot::Ready(v)),
                None => default_slot(py, fields, f),
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Model::from_slots(fields, slots))
    }

    /// From filled slots, one per field in order.
    pub(crate) fn from_slots(fields: &'static Fields, slots: Vec<Slot>) -> Model {
        Model {
            fields,
            slots: slots.into_boxed_slice(),
            meta: PyOnceLock::new(),
            core_meta: std::sync::Mutex::new(None),
        }
    }

    /// From values already made, one per field in order.
    pub(crate) fn from_values(fields: &'static Fields, values: Vec<Py<PyAny>>) -> Model {
        Model::from_slots(fields, values.into_iter().map(Slot::Ready).collect())
    }

    /// The value of a field (made on first access for decimals and times).
    pub(crate) fn get(&self, py: Python<'_>, name: &str) -> PyResult<Py<PyAny>> {
        match self.fields.list.iter().position(|f| f.name == name) {
            Some(i) => Ok(self.slots[i].value(py)?.clone_ref(py)),
            None => Err(PyTypeError::new_err(format!("no field {name}"))),
        }
    }

    /// A field's text (for status fields): `None` when it is not text.
    pub(crate) fn text(&self, py: Python<'_>, name: &str) -> PyResult<Option<String>> {
        let v = self.get(py, name)?;
        Ok(v.bind(py).extract::<String>().ok())
    }

    /// Attach the `Meta` of the answer this object came from (once).
    pub(crate) fn set_meta(&self, py: Python<'_>, meta: Py<PyAny>) {
        let _ = self.meta.set(py, meta);
    }

    /// Keep the core's meta, made into the Python `Meta` by `make` on the first `.meta`.
    pub(crate) fn set_core_meta(&self, meta: clickairtime::response::Meta, make: MakeMeta) {
        *self.core_meta.lock().unwrap_or_else(|p| p.into_inner()) = Some((Box::new(meta), make));
    }

    pub(crate) fn meta_of(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        if let Some(m) = self.meta.get(py) {
            return Ok(Some(m.clone_ref(py)));
        }
        let pending = self
            .core_meta
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        let Some((core, make)) = pending else {
            return Ok(None);
        };
        let made = make(py, &core)?;
        // another thread may have made it meanwhile: theirs stands, the same object every time
        let _ = self.meta.set(py, made);
        Ok(self.meta.get(py).map(|m| m.clone_ref(py)))
    }

    pub(crate) fn dict(&self, py: Python<'_>) -> PyResult<Py<PyDict>> {
        let d = PyDict::new(py);
        for (f, slot) in self.fields.list.iter().zip(self.slots.iter()) {
            match slot.pending_decimal(py) {
                Some(t) => d.set_item(f.name, t)?,
                None => d.set_item(f.name, plain(py, slot.value(py)?.bind(py))?)?,
            }
        }
        Ok(d.unbind())
    }

    pub(crate) fn values<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        self.slots
            .iter()
            .map(|s| Ok(s.value(py)?.bind(py).clone()))
            .collect()
    }
}

/// Attach the core's meta to a model object, made into a Python `Meta` on its first `.meta`.
pub(crate) fn attach_core(
    py: Python<'_>,
    obj: &Py<PyAny>,
    meta: clickairtime::response::Meta,
    make: MakeMeta,
) -> PyResult<()> {
    obj.bind(py)
        .cast::<Model>()?
        .get()
        .set_core_meta(meta, make);
    Ok(())
}

/// `from_dict` of a model: its JSON form through `py_to_json` (decimals as text, times as ISO 8601, nested
/// models as dicts).
pub(crate) fn from_dict_value(data: &Bound<'_, PyAny>) -> PyResult<Value> {
    let data = if data.is_instance_of::<PyDict>() {
        data.clone()
    } else {
        data.py()
            .import("builtins")?
            .getattr("dict")?
            .call1((data,))?
    };
    py_to_json(&data)
}

/// The field names of a model, as a tuple (`__match_args__`).
pub(crate) fn names<'py>(py: Python<'py>, fields: &Fields) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, fields.list.iter().map(|f| f.name))
}
