//! The result models as native, frozen classes.
//!
//! One base class, `_Model`, holds the values of every model and gives what they all share (`to_dict`,
//! `to_json`, `from_dict`, `repr`, equality, hashing, pickling, `.meta`); each model is a small subclass
//! declared with [`model!`](crate::model!) that names its fields, in the order of `docs/SHAPES.md`, and
//! adds a getter per field. Values are made from the core's serde output: text, numbers and flags at once;
//! `Decimal` and `datetime` values on first access, then cached in the object (the same object every time).

use crate::convert::{json_to_py, py_to_json};
use crate::guard::guard;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pyclass::CompareOp;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyTuple, PyType};
use serde_json::Value;

/// Makes a model object from its JSON form (the core's serde output).
pub(crate) type Make = fn(Python<'_>, &Value) -> PyResult<Py<PyAny>>;
/// Makes a model object with every field at its default.
pub(crate) type Empty = fn(Python<'_>) -> PyResult<Py<PyAny>>;
/// Makes the Python `Meta` of an answer from the core's (on the first `.meta`).
pub(crate) type MakeMeta = fn(Python<'_>, &clickairtime::response::Meta) -> PyResult<Py<PyAny>>;

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
    Model(Make),
    /// A list of another model.
    Models(Make),
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
enum Raw {
    Ready,
    Dec(Box<str>),
    Time(Box<str>),
    Ms(i64),
}

struct Slot {
    raw: Raw,
    cell: PyOnceLock<Py<PyAny>>,
}

impl Slot {
    fn ready(py: Python<'_>, v: Py<PyAny>) -> Slot {
        let cell = PyOnceLock::new();
        let _ = cell.set(py, v);
        Slot {
            raw: Raw::Ready,
            cell,
        }
    }

    fn lazy(raw: Raw) -> Slot {
        Slot {
            raw,
            cell: PyOnceLock::new(),
        }
    }

    fn value<'a>(&'a self, py: Python<'_>) -> PyResult<&'a Py<PyAny>> {
        self.cell.get_or_try_init(py, || match &self.raw {
            Raw::Ready => Ok(py.None()),
            Raw::Dec(t) => Ok(decimal_class(py)?.call1((&**t,))?.unbind()),
            Raw::Time(t) => Ok(dates(py, "parse_datetime")?.call1((&**t,))?.unbind()),
            Raw::Ms(ms) => Ok(dates(py, "ms_datetime")?.call1((*ms,))?.unbind()),
        })
    }
}

static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static JSON_DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
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
    Ok(Slot::ready(py, v))
}

fn json_slot(
    py: Python<'_>,
    fields: &Fields,
    f: &Field,
    obj: &serde_json::Map<String, Value>,
) -> PyResult<Slot> {
    let v = obj.get(f.name);
    let v = match v {
        None => return default_slot(py, fields, f),
        Some(Value::Null) => {
            // a null the API sends for a field with a plain default is kept as None
            return match f.dflt {
                Dflt::Req => Err(missing(fields, f.name)),
                Dflt::List | Dflt::Model(_) => default_slot(py, fields, f),
                _ => Ok(Slot::ready(py, py.None())),
            };
        }
        Some(v) => v,
    };
    let wrong = |what: &str| {
        PyTypeError::new_err(format!(
            "{}.{}: expected {what}, got {v}",
            fields.class, f.name
        ))
    };
    Ok(match (f.kind, v) {
        (Kind::Dec, Value::String(s)) => Slot::lazy(Raw::Dec(s.as_str().into())),
        (Kind::Dec, Value::Number(n)) => Slot::lazy(Raw::Dec(n.to_string().into())),
        (Kind::Time, Value::String(s)) => Slot::lazy(Raw::Time(s.as_str().into())),
        (Kind::Time, _) => Slot::ready(py, py.None()),
        (Kind::Ms, Value::Number(n)) if n.is_i64() => Slot::lazy(Raw::Ms(n.as_i64().unwrap_or(0))),
        (Kind::Ms, Value::String(s)) => Slot::lazy(Raw::Time(s.as_str().into())),
        (Kind::Model(make), Value::Object(_)) => Slot::ready(py, make(py, v)?),
        (Kind::Model(_), _) => return Err(wrong("an object")),
        (Kind::Models(make), Value::Array(items)) => {
            let list = PyList::empty(py);
            for item in items {
                if item.is_null() {
                    list.append(py.None())?;
                } else {
                    list.append(make(py, item)?)?;
                }
            }
            Slot::ready(py, list.into_any().unbind())
        }
        (Kind::Models(_), _) => return Err(wrong("a list")),
        (Kind::Record(v1, v2), Value::Object(_)) => {
            let api = obj
                .get("api")
                .or_else(|| obj.get("entry").and_then(|e| e.get("api")))
                .and_then(Value::as_str);
            let make = if api == Some("v1") { v1 } else { v2 };
            Slot::ready(py, make(py, v).unwrap_or_else(|_| py.None()))
        }
        (Kind::Record(..), _) => Slot::ready(py, py.None()),
        _ => Slot::ready(py, json_to_py(py, v)?.unbind()),
    })
}

/// The base of every result model (`clickairtime._native._Model`); see the module's documentation.
#[pyclass(subclass, frozen, module = "clickairtime._native", name = "_Model")]
pub(crate) struct Model {
    fields: &'static Fields,
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
            .map(|f| json_slot(py, fields, f, obj))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Model {
            fields,
            slots: slots.into_boxed_slice(),
            meta: PyOnceLock::new(),
            core_meta: std::sync::Mutex::new(None),
        })
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
                Some(v) => Ok(Slot::ready(py, v)),
                None => default_slot(py, fields, f),
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Model {
            fields,
            slots: slots.into_boxed_slice(),
            meta: PyOnceLock::new(),
            core_meta: std::sync::Mutex::new(None),
        })
    }

    /// From values already made, one per field in order.
    pub(crate) fn from_values(
        py: Python<'_>,
        fields: &'static Fields,
        values: Vec<Py<PyAny>>,
    ) -> Model {
        let slots: Vec<Slot> = values.into_iter().map(|v| Slot::ready(py, v)).collect();
        Model {
            fields,
            slots: slots.into_boxed_slice(),
            meta: PyOnceLock::new(),
            core_meta: std::sync::Mutex::new(None),
        }
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

    fn meta_of(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
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

    fn dict(&self, py: Python<'_>) -> PyResult<Py<PyDict>> {
        let d = PyDict::new(py);
        for (f, slot) in self.fields.list.iter().zip(self.slots.iter()) {
            match (&slot.raw, slot.cell.get(py)) {
                (Raw::Dec(t), None) => d.set_item(f.name, &**t)?,
                _ => d.set_item(f.name, plain(py, slot.value(py)?.bind(py))?)?,
            }
        }
        Ok(d.unbind())
    }

    fn values<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
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
    meta: &clickairtime::response::Meta,
    make: MakeMeta,
) -> PyResult<()> {
    obj.bind(py)
        .cast::<Model>()?
        .get()
        .set_core_meta(meta.clone(), make);
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

#[pymethods]
impl Model {
    /// Not made directly: the models are its subclasses.
    #[new]
    fn new(py: Python<'_>) -> PyResult<Self> {
        guard(py, "_Model", || {
            Err(PyTypeError::new_err(
                "_Model is the base of the result models; make a TopUp, a Money …",
            ))
        })
    }

    /// Request id, rate limits, pagination and send handles of the call that returned this object.
    #[getter]
    fn meta(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        guard(py, "_Model.meta", || self.meta_of(py))
    }

    /// The fields as a JSON-ready dict: nested results as dicts, amounts (`Decimal`) as their exact decimal
    /// text (`"12.50"`), times as ISO 8601 text. `Model.from_dict(d)` reads it back.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyDict>> {
        guard(py, "_Model.to_dict", || self.dict(py))
    }

    /// `to_dict()` as JSON text (`kwargs` go to `json.dumps`, e.g. `indent=2`).
    #[pyo3(signature = (**kwargs))]
    fn to_json(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
        guard(py, "_Model.to_json", || {
            let dumps = JSON_DUMPS
                .get_or_try_init(py, || {
                    Ok::<_, PyErr>(py.import("json")?.getattr("dumps")?.unbind())
                })?
                .bind(py);
            Ok(dumps.call((self.dict(py)?,), kwargs)?.unbind())
        })
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        guard(slf.py(), "_Model.__repr__", || {
            let py = slf.py();
            let m = slf.get();
            let mut parts = Vec::new();
            for (f, v) in m.fields.list.iter().zip(m.values(py)?) {
                if v.is_none() {
                    continue;
                }
                if matches!(f.dflt, Dflt::List)
                    && (v.is_instance_of::<PyList>() || v.is_instance_of::<PyDict>())
                    && v.len()? == 0
                {
                    continue;
                }
                parts.push(format!("{}={}", f.name, v.repr()?));
            }
            Ok(format!("{}({})", slf.get_type().name()?, parts.join(", ")))
        })
    }

    fn __richcmp__(
        slf: &Bound<'_, Self>,
        other: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        guard(py, "_Model.__richcmp__", || {
            if !matches!(op, CompareOp::Eq | CompareOp::Ne) || !other.get_type().is(slf.get_type())
            {
                return Ok(py.NotImplemented());
            }
            let other = other.cast::<Model>()?;
            let mut same = true;
            for (a, b) in slf.get().values(py)?.iter().zip(other.get().values(py)?) {
                if !a.eq(b)? {
                    same = false;
                    break;
                }
            }
            let answer = if matches!(op, CompareOp::Eq) {
                same
            } else {
                !same
            };
            Ok(pyo3::types::PyBool::new(py, answer)
                .to_owned()
                .into_any()
                .unbind())
        })
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        guard(py, "_Model.__hash__", || {
            PyTuple::new(py, self.values(py)?)?.hash()
        })
    }

    /// Pickling and copying: the class's `_restore` with the field values (in order) and the meta.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        guard(py, "_Model.__reduce__", || {
            let m = slf.get();
            let restore = slf.get_type().getattr("_restore")?;
            let args = PyTuple::new(py, m.values(py)?)?;
            let meta = m.meta_of(py)?.unwrap_or_else(|| py.None());
            let inner = PyTuple::new(py, [args.into_any(), meta.into_bound(py)])?;
            PyTuple::new(py, [restore, inner.into_any()])
        })
    }

    /// Rebuild a pickled object: the class called with the values, then the meta attached.
    #[classmethod]
    #[pyo3(signature = (args, meta=None))]
    fn _restore<'py>(
        cls: &Bound<'py, PyType>,
        args: &Bound<'py, PyTuple>,
        meta: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = cls.py();
        guard(py, "_Model._restore", || {
            let obj = cls.call1(args)?;
            if let Some(meta) = meta.filter(|m| !m.is_none(py)) {
                obj.cast::<Model>()?.get().set_meta(py, meta);
            }
            Ok(obj)
        })
    }

    /// This object with `meta` attached (once; the package's own use).
    fn _with_meta<'py>(slf: &Bound<'py, Self>, meta: Py<PyAny>) -> PyResult<Bound<'py, Self>> {
        guard(slf.py(), "_Model._with_meta", || {
            slf.get().set_meta(slf.py(), meta);
            Ok(slf.clone())
        })
    }
}
