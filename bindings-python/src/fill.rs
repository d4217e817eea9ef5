//! Model objects made straight from the core's typed records, without a `serde_json::Value` in between.
//!
//! The core's records are `Serialize`; the plain route serialised each into a `Value` map and read the map
//! back by field name, which cost as much as making the Python object (half of it allocating and freeing the
//! map). Here a serde `Serializer` walks the record once: a field that is another model (or a list of them)
//! is filled the same way, recursively; text, numbers, flags and nulls go straight into their slots, and a
//! free-form map or list through its JSON value. Every field goes through the same per-field rules as
//! `from_dict` (`model::scalar_slot`, `model::value_slot`), so both routes give the same object (a test
//! compares them on every model an answer returns).

use crate::model::{Decl, Field, Fields, Kind, Model, Scalar, Slot, scalar_slot, value_slot};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;
use serde::Serialize;
use serde::ser::{self, Impossible};
use std::fmt;

/// A model object of `decl` from a core record.
pub(crate) fn build<T: Serialize + ?Sized>(
    py: Python<'_>,
    decl: Decl,
    value: &T,
) -> PyResult<Py<PyAny>> {
    let fields = (decl.fields)();
    // a field that picks its model by a sibling's value (a journal's record) needs the whole map
    if fields
        .list
        .iter()
        .any(|f| matches!(f.kind, Kind::Record(..)))
    {
        let v = serde_json::to_value(value)
            .map_err(|e| PyValueError::new_err(format!("cannot convert a core value: {e}")))?;
        return decl.make(py, &v);
    }
    match value.serialize(ModelSer { py, decl }) {
        Ok(Some(obj)) => Ok(obj),
        Ok(None) => Err(PyTypeError::new_err(format!(
            "{}: expected an object, got null",
            fields.class
        ))),
        Err(e) => Err(e.0),
    }
}

/// A Python error carried through serde.
pub(crate) struct Fail(PyErr);

impl fmt::Debug for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}
impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}
impl std::error::Error for Fail {}
impl ser::Error for Fail {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        Fail(PyValueError::new_err(format!(
            "cannot convert a core value: {msg}"
        )))
    }
}
impl From<PyErr> for Fail {
    fn from(e: PyErr) -> Self {
        Fail(e)
    }
}

fn not_object(decl: Decl, what: &str) -> Fail {
    Fail(PyTypeError::new_err(format!(
        "{}: expected an object, got {what}",
        (decl.fields)().class
    )))
}

fn not_list(what: &str) -> Fail {
    Fail(PyTypeError::new_err(format!(
        "expected a list of objects, got {what}"
    )))
}

/// Serialises one record into its model object; `None` for a null.
struct ModelSer<'py> {
    py: Python<'py>,
    decl: Decl,
}

/// The fields of one record as they arrive, by position in the model.
pub(crate) struct Fill<'py> {
    py: Python<'py>,
    decl: Decl,
    slots: Vec<Option<Slot>>,
    key: Option<String>,
}

impl<'py> Fill<'py> {
    fn new(py: Python<'py>, decl: Decl) -> Self {
        let n = (decl.fields)().list.len();
        Fill {
            py,
            decl,
            slots: (0..n).map(|_| None).collect(),
            key: None,
        }
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Fail> {
        let fields = (self.decl.fields)();
        // a field the model does not name is not shown, as in from_dict
        let Some(i) = fields.list.iter().position(|f| f.name == key) else {
            return Ok(());
        };
        let f = &fields.list[i];
        let py = self.py;
        let slot = match f.kind {
            Kind::Model(inner) => match value.serialize(ModelSer { py, decl: inner })? {
                Some(obj) => Slot::Ready(obj),
                None => value_slot(py, fields, f, Some(&serde_json::Value::Null), None)?,
            },
            Kind::Models(inner) => match value.serialize(ListSer { py, decl: inner })? {
                Some(list) => Slot::Ready(list),
                None => value_slot(py, fields, f, Some(&serde_json::Value::Null), None)?,
            },
            // text, a number, a flag or a null straight into its slot; anything else (a free-form map or
            // list) through its JSON value
            _ => match value.serialize(ScalarSer { py, fields, f }) {
                Ok(slot) => slot,
                Err(Off::Py(e)) => return Err(Fail(e)),
                Err(Off::NotScalar) => {
                    let v = serde_json::to_value(value).map_err(<Fail as ser::Error>::custom)?;
                    value_slot(py, fields, f, Some(&v), None)?
                }
            },
        };
        self.slots[i] = Some(slot);
        Ok(())
    }

    fn finish(self) -> Result<Option<Py<PyAny>>, Fail> {
        let py = self.py;
        let fields = (self.decl.fields)();
        let slots = fields
            .list
            .iter()
            .zip(self.slots)
            .map(|(f, s)| match s {
                Some(s) => Ok(s),
                None => value_slot(py, fields, f, None, None),
            })
            .collect::<PyResult<Vec<_>>>()?;
        let model = Model::from_slots(fields, slots);
        Ok(Some((self.decl.wrap)(py, model)?))
    }
}

impl ser::SerializeStruct for Fill<'_> {
    type Ok = Option<Py<PyAny>>;
    type Error = Fail;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Fail> {
        self.field(key, value)
    }
    fn end(self) -> Result<Self::Ok, Fail> {
        self.finish()
    }
}

impl ser::SerializeMap for Fill<'_> {
    type Ok = Option<Py<PyAny>>;
    type Error = Fail;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Fail> {
        self.key = Some(
            match serde_json::to_value(key).map_err(<Fail as ser::Error>::custom)? {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            },
        );
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Fail> {
        let key = self.key.take().unwrap_or_default();
        self.field(&key, value)
    }
    fn end(self) -> Result<Self::Ok, Fail> {
        self.finish()
    }
}

/// Serialises a list of records into a Python list of their model objects (`None` for a null item);
/// `None` for a null list.
struct ListSer<'py> {
    py: Python<'py>,
    decl: Decl,
}

struct ListFill<'py> {
    py: Python<'py>,
    decl: Decl,
    list: Bound<'py, PyList>,
}

impl ser::SerializeSeq for ListFill<'_> {
    type Ok = Option<Py<PyAny>>;
    type Error = Fail;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Fail> {
        let item = value.serialize(ModelSer {
            py: self.py,
            decl: self.decl,
        })?;
        self.list
            .append(item.unwrap_or_else(|| self.py.None()))
            .map_err(Fail)
    }
    fn end(self) -> Result<Self::Ok, Fail> {
        Ok(Some(self.list.into_any().unbind()))
    }
}

/// The serializer methods a record or a list never takes: each is a type error naming what came instead.
macro_rules! refuse {
    ($err:expr; $($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(
            fn $method(self, $(_: $arg),*) -> Result<$ret, Fail> {
                Err(($err)(self.decl, stringify!($method)))
            }
        )*
    };
}

macro_rules! scalars_refused {
    ($err:expr) => {
        refuse! { $err;
            serialize_bool(bool) -> Self::Ok;
            serialize_i8(i8) -> Self::Ok;
            serialize_i16(i16) -> Self::Ok;
            serialize_i32(i32) -> Self::Ok;
            serialize_i64(i64) -> Self::Ok;
            serialize_u8(u8) -> Self::Ok;
            serialize_u16(u16) -> Self::Ok;
            serialize_u32(u32) -> Self::Ok;
            serialize_u64(u64) -> Self::Ok;
            serialize_f32(f32) -> Self::Ok;
            serialize_f64(f64) -> Self::Ok;
            serialize_char(char) -> Self::Ok;
            serialize_str(&str) -> Self::Ok;
            serialize_bytes(&[u8]) -> Self::Ok;
            serialize_unit_struct(&'static str) -> Self::Ok;
            serialize_unit_variant(&'static str, u32, &'static str) -> Self::Ok;
            serialize_tuple(usize) -> Self::SerializeTuple;
            serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
            serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
            serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
        }
        fn serialize_none(self) -> Result<Self::Ok, Fail> {
            Ok(None)
        }
        fn serialize_unit(self) -> Result<Self::Ok, Fail> {
            Ok(None)
        }
        fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, Fail> {
            value.serialize(self)
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<Self::Ok, Fail> {
            value.serialize(self)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, Fail> {
            Err(($err)(self.decl, "an enum variant"))
        }
    };
}

impl<'py> ser::Serializer for ModelSer<'py> {
    type Ok = Option<Py<PyAny>>;
    type Error = Fail;
    type SerializeSeq = Impossible<Self::Ok, Fail>;
    type SerializeTuple = Impossible<Self::Ok, Fail>;
    type SerializeTupleStruct = Impossible<Self::Ok, Fail>;
    type SerializeTupleVariant = Impossible<Self::Ok, Fail>;
    type SerializeMap = Fill<'py>;
    type SerializeStruct = Fill<'py>;
    type SerializeStructVariant = Impossible<Self::Ok, Fail>;

    scalars_refused!(|d, what: &str| not_object(d, what.trim_start_matches("serialize_")));

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Fail> {
        Err(not_object(self.decl, "a list"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Fail> {
        Ok(Fill::new(self.py, self.decl))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Fail> {
        Ok(Fill::new(self.py, self.decl))
    }
}

impl<'py> ser::Serializer for ListSer<'py> {
    type Ok = Option<Py<PyAny>>;
    type Error = Fail;
    type SerializeSeq = ListFill<'py>;
    type SerializeTuple = Impossible<Self::Ok, Fail>;
    type SerializeTupleStruct = Impossible<Self::Ok, Fail>;
    type SerializeTupleVariant = Impossible<Self::Ok, Fail>;
    type SerializeMap = Impossible<Self::Ok, Fail>;
    type SerializeStruct = Impossible<Self::Ok, Fail>;
    type SerializeStructVariant = Impossible<Self::Ok, Fail>;

    scalars_refused!(|_, what: &str| not_list(what.trim_start_matches("serialize_")));

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Fail> {
        Ok(ListFill {
            py: self.py,
            decl: self.decl,
            list: PyList::empty(self.py),
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Fail> {
        Err(not_list("an object"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Fail> {
        Err(not_list("an object"))
    }
}

/// Serialises one scalar field straight into its slot (`scalar_slot`'s rules); `NotScalar` for anything
/// else, which then goes through its JSON value.
struct ScalarSer<'py, 'f> {
    py: Python<'py>,
    fields: &'f Fields,
    f: &'f Field,
}

enum Off {
    Py(PyErr),
    NotScalar,
}

impl fmt::Debug for Off {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Off::Py(e) => fmt::Debug::fmt(e, out),
            Off::NotScalar => out.write_str("not a scalar"),
        }
    }
}
impl fmt::Display for Off {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, out)
    }
}
impl std::error::Error for Off {}
impl ser::Error for Off {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        Off::Py(PyValueError::new_err(format!(
            "cannot convert a core value: {msg}"
        )))
    }
}

impl ScalarSer<'_, '_> {
    fn slot(self, v: Scalar<'_>) -> Result<Slot, Off> {
        scalar_slot(self.py, self.fields, self.f, v).map_err(Off::Py)
    }
}

/// The serializer methods of compound values: each sends the field through its JSON value.
macro_rules! compound {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(
            fn $method(self, $(_: $arg),*) -> Result<$ret, Off> {
                Err(Off::NotScalar)
            }
        )*
    };
}

/// The serializer methods of integers that always fit an i64.
macro_rules! small_ints {
    ($($method:ident($ty:ty);)*) => {
        $(
            fn $method(self, v: $ty) -> Result<Slot, Off> {
                self.slot(Scalar::I64(v.into()))
            }
        )*
    };
}

impl ser::Serializer for ScalarSer<'_, '_> {
    type Ok = Slot;
    type Error = Off;
    type SerializeSeq = Impossible<Slot, Off>;
    type SerializeTuple = Impossible<Slot, Off>;
    type SerializeTupleStruct = Impossible<Slot, Off>;
    type SerializeTupleVariant = Impossible<Slot, Off>;
    type SerializeMap = Impossible<Slot, Off>;
    type SerializeStruct = Impossible<Slot, Off>;
    type SerializeStructVariant = Impossible<Slot, Off>;

    fn serialize_bool(self, v: bool) -> Result<Slot, Off> {
        self.slot(Scalar::Bool(v))
    }
    small_ints! { serialize_i8(i8); serialize_i16(i16); serialize_i32(i32); serialize_i64(i64);
    serialize_u8(u8); serialize_u16(u16); serialize_u32(u32); }
    fn serialize_u64(self, v: u64) -> Result<Slot, Off> {
        // as JSON reads it back: an i64 where it fits
        match i64::try_from(v) {
            Ok(i) => self.slot(Scalar::I64(i)),
            Err(_) => self.slot(Scalar::U64(v)),
        }
    }
    fn serialize_f32(self, v: f32) -> Result<Slot, Off> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<Slot, Off> {
        // JSON has no NaN or infinity: serde_json writes them as null
        if v.is_finite() {
            self.slot(Scalar::F64(v))
        } else {
            self.slot(Scalar::Null)
        }
    }
    fn serialize_char(self, v: char) -> Result<Slot, Off> {
        self.slot(Scalar::Str(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> Result<Slot, Off> {
        self.slot(Scalar::Str(v))
    }
    fn serialize_none(self) -> Result<Slot, Off> {
        self.slot(Scalar::Null)
    }
    fn serialize_unit(self) -> Result<Slot, Off> {
        self.slot(Scalar::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Slot, Off> {
        self.slot(Scalar::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        name: &'static str,
    ) -> Result<Slot, Off> {
        self.slot(Scalar::Str(name))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Slot, Off> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Slot, Off> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Slot, Off> {
        Err(Off::NotScalar)
    }
    compound! {
        serialize_bytes(&[u8]) -> Slot;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
}
