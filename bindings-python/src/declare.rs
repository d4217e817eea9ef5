//! `model!`: the declaration of one native result model (see `model`).

/// Declare a native model: a frozen subclass of [`Model`] with one getter per field, `from_dict`,
/// `__match_args__`, and the extra methods given after the fields.
#[macro_export]
macro_rules! model {
    (
        $(#[doc = $doc:literal])*
        $name:ident { $($field:ident : $kind:expr, $dflt:expr;)* }
        $($extra:tt)*
    ) => {
        $(#[doc = $doc])*
        #[pyo3::pyclass(extends = $crate::model::Model, frozen, module = "clickairtime._native")]
        pub(crate) struct $name {}

        impl $name {
            pub(crate) fn fields() -> &'static $crate::model::Fields {
                static FIELDS: $crate::model::Fields = $crate::model::Fields {
                    class: stringify!($name),
                    list: &[$($crate::model::Field { name: stringify!($field), kind: $kind, dflt: $dflt }),*],
                };
                &FIELDS
            }

            pub(crate) fn wrap(
                py: pyo3::Python<'_>,
                base: $crate::model::Model,
            ) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                let init = pyo3::PyClassInitializer::from(base).add_subclass($name {});
                Ok(pyo3::Py::new(py, init)?.into_any())
            }

            /// The class as a [`Decl`]($crate::model::Decl): what nested fields and the answers name.
            pub(crate) const DECL: $crate::model::Decl = $crate::model::Decl {
                fields: Self::fields,
                wrap: Self::wrap,
            };

            /// From its JSON form (`from_dict`, or a record the core gives as JSON).
            pub(crate) fn make(
                py: pyo3::Python<'_>,
                v: &serde_json::Value,
            ) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                Self::DECL.make(py, v)
            }

            /// Every field at its default.
            #[allow(dead_code)]
            pub(crate) fn empty(py: pyo3::Python<'_>) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                Self::make(py, &serde_json::Value::Object(Default::default()))
            }
        }

        #[pyo3::pymethods]
        impl $name {
            #[new]
            #[pyo3(signature = (*args, **kwargs))]
            fn __new__(
                py: pyo3::Python<'_>,
                args: &pyo3::Bound<'_, pyo3::types::PyTuple>,
                kwargs: Option<&pyo3::Bound<'_, pyo3::types::PyDict>>,
            ) -> pyo3::PyResult<pyo3::PyClassInitializer<$name>> {
                $crate::guard::guard(py, stringify!($name), || {
                    let base = $crate::model::Model::from_args(py, Self::fields(), args, kwargs)?;
                    Ok(pyo3::PyClassInitializer::from(base).add_subclass($name {}))
                })
            }

            #[classattr]
            fn __match_args__(py: pyo3::Python<'_>) -> pyo3::PyResult<pyo3::Py<pyo3::types::PyTuple>> {
                Ok($crate::model::names(py, Self::fields())?.unbind())
            }

            /// Rebuild from `to_dict()`'s output or the API's JSON: decimal text becomes `Decimal`, ISO 8601
            /// text an aware `datetime`, nested dicts their models.
            #[classmethod]
            fn from_dict(
                cls: &pyo3::Bound<'_, pyo3::types::PyType>,
                data: &pyo3::Bound<'_, pyo3::PyAny>,
            ) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                let py = cls.py();
                $crate::guard::guard(py, concat!(stringify!($name), ".from_dict"), || {
                    Self::make(py, &$crate::model::from_dict_value(data)?)
                })
            }

            $(
                #[getter]
                fn $field(slf: &pyo3::Bound<'_, Self>) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                    $crate::guard::guard(slf.py(), concat!(stringify!($name), ".", stringify!($field)), || {
                        slf.as_super().get().get(slf.py(), stringify!($field))
                    })
                }
            )*

            $($extra)*
        }
    };
}
