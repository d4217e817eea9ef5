//! Plain conversions between Python values, JSON values and core argument types.

use clickairtime::Error as CoreError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::Value;
use std::time::Duration;

type CoreResult<T> = Result<T, CoreError>;

/// A JSON value as the equivalent Python object (dict, list, str, int, float, bool, None).
pub(crate) fn json_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, json_to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// Seconds (a Python number) as a `Duration`; negative, NaN or infinite is an invalid-input error.
pub(crate) fn secs(field: &str, v: Option<f64>) -> CoreResult<Option<Duration>> {
    match v {
        None => Ok(None),
        Some(s) => Duration::try_from_secs_f64(s).map(Some).map_err(|_| {
            CoreError::invalid(
                field,
                format!("{s} is not a non-negative, finite number of seconds"),
            )
        }),
    }
}

pub(crate) fn amount(
    field: &str,
    text: Option<String>,
) -> CoreResult<Option<clickairtime::money::Decimal>> {
    text.map(|t| clickairtime::money::parse_amount(field, &t))
        .transpose()
}

pub(crate) fn u32_arg(field: &str, v: Option<i64>) -> CoreResult<Option<u32>> {
    v.map(|n| {
        u32::try_from(n).map_err(|_| CoreError::invalid(field, format!("{n} is out of range")))
    })
    .transpose()
}

pub(crate) fn metadata(json: Option<String>) -> CoreResult<Option<serde_json::Map<String, Value>>> {
    json.map(|s| {
        serde_json::from_str::<serde_json::Map<String, Value>>(&s)
            .map_err(|e| CoreError::invalid("metadata", format!("must be a JSON object: {e}")))
    })
    .transpose()
}

/// A Python value as JSON, for `from_dict`: `Decimal` and other numbers-as-objects as their text, times and
/// dates as ISO 8601, models through their `to_dict()`.
pub(crate) fn py_to_json(v: &Bound<'_, PyAny>) -> PyResult<Value> {
    if v.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if v.is_instance_of::<PyInt>() {
        if let Ok(i) = v.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = v.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Ok(Value::String(v.str()?.to_string()));
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        return Ok(serde_json::Number::from_f64(f.value())
            .map(Value::Number)
            .unwrap_or(Value::Null));
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Value::String(s.to_string()));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut map = serde_json::Map::new();
        for (k, item) in d.iter() {
            map.insert(k.str()?.to_string(), py_to_json(&item)?);
        }
        return Ok(Value::Object(map));
    }
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        return v
            .try_iter()?
            .map(|item| py_to_json(&item?))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    if v.hasattr("to_dict")? {
        return py_to_json(&v.call_method0("to_dict")?);
    }
    if v.hasattr("isoformat")? {
        return Ok(Value::String(
            v.call_method0("isoformat")?.str()?.to_string(),
        ));
    }
    Ok(Value::String(v.str()?.to_string()))
}
