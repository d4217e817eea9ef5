//! The native V1 client: one method per call, each a thin conversion over core.

use crate::bulk::bulk_run;
use crate::cancel::{NativeCancel, cancel_of};
use crate::config::{HttpOptions, wait_options};
use crate::errors::check;
use crate::guard::{guard, guard_send};
use crate::journal::{entries_to_py, opt_entry_to_py, recoveries_to_py};
use crate::logging::detach;
use crate::polling::{NativeWait, WaitInner};
use crate::response::{RateLimit, bare, many, one, opt_one};
use crate::v1::balances::AccountBalance;
use crate::v1::products::{Product, Service};
use crate::v1::topup::{v1_order, v1_order_to_py};
use crate::v1::transactions::Transaction;
use clickairtime::bulk::BulkApi;
use clickairtime::v1;
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::Mutex;

/// Native V1 client; `clickairtime.V1Client` wraps it.
#[pyclass(frozen, module = "clickairtime._native")]
pub(crate) struct V1Client {
    pub(crate) inner: v1::Client,
}

#[pymethods]
impl V1Client {
    #[new]
    #[pyo3(signature = (email, token, *, base_url=None, timeout=None, connect_timeout=None, read_timeout=None,
        max_retries=None, retry_base_delay=None, max_retry_delay=None, max_retry_after=None, send_deadline=None,
        proxy=None, proxy_from_env=None, ca_certificates_pem=None, user_agent_suffix=None,
        max_idle_connections_per_host=None, topup_path=None, journal=None, convergence_bound=None,
        rate_limit_per_minute=None, rate_limit_per_hour=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        email: String,
        token: String,
        base_url: Option<String>,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        read_timeout: Option<f64>,
        max_retries: Option<i64>,
        retry_base_delay: Option<f64>,
        max_retry_delay: Option<f64>,
        max_retry_after: Option<f64>,
        send_deadline: Option<f64>,
        proxy: Option<String>,
        proxy_from_env: Option<bool>,
        ca_certificates_pem: Option<Vec<u8>>,
        user_agent_suffix: Option<String>,
        max_idle_connections_per_host: Option<i64>,
        topup_path: Option<String>,
        journal: Option<PathBuf>,
        convergence_bound: Option<f64>,
        rate_limit_per_minute: Option<i64>,
        rate_limit_per_hour: Option<i64>,
    ) -> PyResult<Self> {
        guard(py, "V1Client", || {
            let opts = HttpOptions {
                base_url,
                timeout,
                connect_timeout,
                read_timeout,
                max_retries,
                retry_base_delay,
                max_retry_delay,
                max_retry_after,
                send_deadline,
                proxy,
                proxy_from_env,
                ca_certificates_pem,
                user_agent_suffix,
                max_idle_connections_per_host,
                journal,
                convergence_bound,
                rate_limit_per_minute,
                rate_limit_per_hour,
            };
            let built = detach(py, || {
                opts.apply(v1::Client::builder(email, token))
                    .and_then(|mut b| {
                        if let Some(p) = topup_path {
                            b = b.topup_path(p);
                        }
                        b.build()
                    })
            });
            Ok(V1Client {
                inner: check(py, built)?,
            })
        })
    }

    #[getter]
    fn base_url(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, "base_url", || Ok(self.inner.base_url().to_owned()))
    }

    fn last_rate_limit(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        guard(py, "last_rate_limit", || {
            let rl = detach(py, || self.inner.last_rate_limit());
            rl.map(|rl| bare(py, RateLimit::DECL, &rl)).transpose()
        })
    }

    /// Validate an order and fix its `ext_ref_id` (core's `SendTopUp::prepared`). Nothing is sent.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (msisdn, *, amount=None, product_id=None, ext_ref_id=None, processing_mode=None, send_sms=false))]
    fn prepare_topup(
        &self,
        py: Python<'_>,
        msisdn: String,
        amount: Option<String>,
        product_id: Option<i64>,
        ext_ref_id: Option<String>,
        processing_mode: Option<String>,
        send_sms: bool,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "prepare_topup", || {
            let o = check(
                py,
                v1_order(
                    msisdn,
                    amount,
                    product_id,
                    ext_ref_id,
                    processing_mode,
                    send_sms,
                )
                .and_then(|req| req.checked()),
            )?;
            v1_order_to_py(py, &o)
        })
    }

    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (msisdn, *, amount=None, product_id=None, ext_ref_id=None, processing_mode=None, send_sms=false, cancel=None))]
    fn send_topup(
        &self,
        py: Python<'_>,
        msisdn: String,
        amount: Option<String>,
        product_id: Option<i64>,
        ext_ref_id: Option<String>,
        processing_mode: Option<String>,
        send_sms: bool,
        cancel: Option<PyRef<'_, NativeCancel>>,
    ) -> PyResult<Py<PyAny>> {
        let cancel = cancel_of(cancel);
        guard(py, "send_topup", || {
            let order = check(
                py,
                v1_order(
                    msisdn,
                    amount,
                    product_id,
                    ext_ref_id,
                    processing_mode,
                    send_sms,
                ),
            )?
            // the handle is fixed here so that even a panic can name it; `send_topup` checks the fields
            .with_handles();
            let reference = order.ext_ref_id.clone().unwrap_or_default();
            guard_send(py, "send_topup", &reference, None, || {
                let r = detach(py, || match &cancel {
                    Some(c) => self.inner.send_topup_cancellable(&order, c),
                    None => self.inner.send_topup(&order),
                });
                one(py, Transaction::DECL, r)
            })
        })
    }

    #[pyo3(signature = (*, transaction_id=None, msisdn=None, ext_ref_id=None))]
    fn transactions(
        &self,
        py: Python<'_>,
        transaction_id: Option<String>,
        msisdn: Option<String>,
        ext_ref_id: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "transactions", || {
            let r = detach(py, || {
                let f = v1::TransactionFilter {
                    transaction_id,
                    msisdn,
                    ext_ref_id,
                };
                self.inner.transactions(&f)
            });
            many(py, Transaction::DECL, r)
        })
    }

    fn reconcile(&self, py: Python<'_>, ext_ref_id: String) -> PyResult<Option<Py<PyAny>>> {
        guard(py, "reconcile", || {
            let r = detach(py, || self.inner.reconcile(&ext_ref_id));
            opt_one(py, Transaction::DECL, r)
        })
    }

    #[pyo3(signature = (ext_ref_id, *, deadline=None, initial_interval=None, max_interval=None, not_found_grace=None, cancel=None))]
    #[allow(clippy::too_many_arguments)]
    fn wait(
        &self,
        py: Python<'_>,
        ext_ref_id: String,
        deadline: Option<f64>,
        initial_interval: Option<f64>,
        max_interval: Option<f64>,
        not_found_grace: Option<f64>,
        cancel: Option<PyRef<'_, NativeCancel>>,
    ) -> PyResult<Py<PyAny>> {
        let cancel = cancel_of(cancel);
        guard(py, "wait", || {
            let r = detach(py, || {
                let mut opts =
                    wait_options(deadline, initial_interval, max_interval, not_found_grace)?;
                opts.cancel = cancel;
                self.inner.wait(&ext_ref_id, &opts)
            });
            one(py, Transaction::DECL, r)
        })
    }

    /// The same wait, driven step by step by the caller (no network here).
    #[pyo3(signature = (ext_ref_id, *, deadline=None, initial_interval=None, max_interval=None, not_found_grace=None, cancel=None))]
    #[allow(clippy::too_many_arguments)]
    fn wait_steps(
        &self,
        py: Python<'_>,
        ext_ref_id: String,
        deadline: Option<f64>,
        initial_interval: Option<f64>,
        max_interval: Option<f64>,
        not_found_grace: Option<f64>,
        cancel: Option<PyRef<'_, NativeCancel>>,
    ) -> PyResult<NativeWait> {
        let cancel = cancel_of(cancel);
        guard(py, "wait_steps", || {
            let w = wait_options(deadline, initial_interval, max_interval, not_found_grace)
                .and_then(|mut opts| {
                    opts.cancel = cancel;
                    self.inner.wait_steps(&ext_ref_id, &opts)
                });
            Ok(NativeWait {
                inner: Mutex::new(WaitInner::V1(check(py, w)?)),
            })
        })
    }

    /// Bulk payouts (core's `bulk::run_v1`) of a CSV text; see `bulk_run`.
    #[pyo3(signature = (source_name, data, *, concurrency=4, on_progress=None, cancel=None))]
    fn bulk(
        &self,
        py: Python<'_>,
        source_name: &str,
        data: &[u8],
        concurrency: i64,
        on_progress: Option<Py<PyAny>>,
        cancel: Option<PyRef<'_, NativeCancel>>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "bulk", || {
            let client = self.inner.clone();
            bulk_run(
                py,
                BulkApi::V1,
                source_name,
                data,
                concurrency,
                on_progress,
                cancel,
                Box::new(move |rows, opts, progress| {
                    clickairtime::bulk::run_v1(&client, rows, opts, progress)
                }),
            )
        })
    }

    fn product_catalog(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "product_catalog", || {
            let r = detach(py, || self.inner.product_catalog());
            many(py, Service::DECL, r)
        })
    }

    fn products(&self, py: Python<'_>, service_id: i64) -> PyResult<Py<PyAny>> {
        guard(py, "products", || {
            let r = detach(py, || self.inner.products(service_id));
            many(py, Product::DECL, r)
        })
    }

    fn product(&self, py: Python<'_>, product_id: i64) -> PyResult<Py<PyAny>> {
        guard(py, "product", || {
            let r = detach(py, || self.inner.product(product_id));
            one(py, Product::DECL, r)
        })
    }

    fn balances(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "balances", || {
            let r = detach(py, || self.inner.balances());
            many(py, AccountBalance::DECL, r)
        })
    }

    fn balance(&self, py: Python<'_>, account_id: String) -> PyResult<Py<PyAny>> {
        guard(py, "balance", || {
            let r = detach(py, || self.inner.balance(&account_id));
            one(py, AccountBalance::DECL, r)
        })
    }

    fn pending(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "pending", || {
            let r = detach(py, || self.inner.pending());
            entries_to_py(py, r)
        })
    }

    fn journal_entry(&self, py: Python<'_>, ext_ref_id: String) -> PyResult<Option<Py<PyAny>>> {
        guard(py, "journal_entry", || {
            let r = detach(py, || self.inner.journal_entry(&ext_ref_id));
            opt_entry_to_py(py, r)
        })
    }

    fn recover(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "recover", || {
            let r = detach(py, || self.inner.recover());
            recoveries_to_py(py, Transaction::DECL, r)
        })
    }
}
