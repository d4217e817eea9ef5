//! The Python face of `_Model`, the base of every result model (see `model`): `.meta`, `to_dict`,
//! `to_json`, `repr`, equality, hashing and pickling.

use crate::guard::guard;
use crate::model::{Dflt, Model};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pyclass::CompareOp;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyTuple, PyType};

static JSON_DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

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
