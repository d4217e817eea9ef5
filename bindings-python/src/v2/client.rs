//! The native V2 client: one method per call, each a thin conversion over core.

use crate::bulk::bulk_run;
use crate::cancel::{NativeCancel, cancel_of};
use crate::config::{HttpOptions, wait_options};
use crate::errors::check;
use crate::guard::{guard, guard_send};
use crate::journal::{entries_to_py, opt_entry_to_py, recoveries_to_py};
use crate::logging::detach;
use crate::polling::{NativeWait, WaitInner};
use crate::response::{RateLimit, bare, many, one, opt_one};
use crate::v2::balance::{Balance, Wallet};
use crate::v2::catalog::{Catalog, Country, Network};
use crate::v2::send::{V2Order, v2_order_to_py};
use crate::v2::topups::{TopUp, TopUpIter, list_filter};
use crate::v2::webhooks::WebhookEvent;
use clickairtime::bulk::BulkApi;
use clickairtime::v2;
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::Mutex;

/// Native V2 client; `clickairtime.V2Client` wraps it.
#[pyclass(frozen, module = "clickairtime._native")]
pub(crate) struct V2Client {
    pub(crate) inner: v2::Client,
}

#[pymethods]
impl V2Client {
    #[new]
    #[pyo3(signature = (api_key, *, base_url=None, timeout=None, connect_timeout=None, read_timeout=None,
        max_retries=None, retry_base_delay=None, max_retry_delay=None, max_retry_after=None, send_deadline=None,
        proxy=None, proxy_from_env=None, ca_certificates_pem=None, user_agent_suffix=None,
        max_idle_connections_per_host=None, journal=None, convergence_bound=None, rate_limit_per_minute=None,
        rate_limit_per_hour=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: String,
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
        journal: Option<PathBuf>,
        convergence_bound: Option<f64>,
        rate_limit_per_minute: Option<i64>,
        rate_limit_per_hour: Option<i64>,
    ) -> PyResult<Self> {
        guard(py, "V2Client", || {
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
            // opening the journal touches the disk: without the GIL
            let built = detach(py, || {
                opts.apply(v2::Client::builder(api_key))
                    .and_then(|b| b.build())
            });
            Ok(V2Client {
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

    #[pyo3(signature = (phone_number=None, network_id=None))]
    fn catalog_lookup(
        &self,
        py: Python<'_>,
        phone_number: Option<String>,
        network_id: Option<i64>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "catalog_lookup", || {
            let r = detach(py, || {
                self.inner
                    .catalog()
                    .lookup(phone_number.as_deref(), network_id)
            });
            one(py, Catalog::DECL, r)
        })
    }

    fn catalog_countries(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "catalog_countries", || {
            let r = detach(py, || self.inner.catalog().countries());
            many(py, Country::DECL, r)
        })
    }

    #[pyo3(signature = (country_code=None))]
    fn catalog_networks(
        &self,
        py: Python<'_>,
        country_code: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "catalog_networks", || {
            let r = detach(py, || {
                self.inner.catalog().networks(country_code.as_deref())
            });
            many(py, Network::DECL, r)
        })
    }

    fn catalog_products(&self, py: Python<'_>, network_id: i64) -> PyResult<Py<PyAny>> {
        guard(py, "catalog_products", || {
            let r = detach(py, || self.inner.catalog().products(network_id));
            one(py, Catalog::DECL, r)
        })
    }

    /// Validate an order and fix its handles (core's `CreateTopUp::prepared`): the reference (generated if
    /// absent) and the idempotency key (derived from the reference if absent). Nothing is sent.
    #[pyo3(signature = (phone_number, network_id, *, amount=None, currency=None, product_id=None, sms=None,
        sms_message=None, reference=None, callback_url=None, metadata_json=None, idempotency_key=None))]
    #[allow(clippy::too_many_arguments)]
    fn topups_prepare(
        &self,
        py: Python<'_>,
        phone_number: String,
        network_id: i64,
        amount: Option<String>,
        currency: Option<String>,
        product_id: Option<String>,
        sms: Option<bool>,
        sms_message: Option<String>,
        reference: Option<String>,
        callback_url: Option<String>,
        metadata_json: Option<String>,
        idempotency_key: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "topups_prepare", || {
            let order = V2Order {
                phone_number,
                network_id,
                amount,
                currency,
                product_id,
                sms,
                sms_message,
                reference,
                callback_url,
                metadata_json,
                idempotency_key,
            };
            let prepared = check(py, order.build().and_then(|req| req.checked()))?;
            v2_order_to_py(py, &prepared)
        })
    }

    #[pyo3(signature = (phone_number, network_id, *, amount=None, currency=None, product_id=None, sms=None,
        sms_message=None, reference=None, callback_url=None, metadata_json=None, idempotency_key=None, cancel=None))]
    #[allow(clippy::too_many_arguments)]
    fn topups_create(
        &self,
        py: Python<'_>,
        phone_number: String,
        network_id: i64,
        amount: Option<String>,
        currency: Option<String>,
        product_id: Option<String>,
        sms: Option<bool>,
        sms_message: Option<String>,
        reference: Option<String>,
        callback_url: Option<String>,
        metadata_json: Option<String>,
        idempotency_key: Option<String>,
        cancel: Option<PyRef<'_, NativeCancel>>,
    ) -> PyResult<Py<PyAny>> {
        let cancel = cancel_of(cancel);
        guard(py, "topups_create", || {
            let order = V2Order {
                phone_number,
                network_id,
                amount,
                currency,
                product_id,
                sms,
                sms_message,
                reference,
                callback_url,
                metadata_json,
                idempotency_key,
            };
            // the handles are fixed here (core's one rule), so that even a panic can name them; the
            // fields, the number included, are checked once, by `create`, before any write
            let order = check(py, order.build())?.with_handles();
            let reference = order.reference.clone().unwrap_or_default();
            let key = order.idempotency_key.clone();
            guard_send(py, "topups_create", &reference, key.as_deref(), || {
                let r = detach(py, || match &cancel {
                    Some(c) => self.inner.topups().create_cancellable(&order, c),
                    None => self.inner.topups().create(&order),
                });
                one(py, TopUp::DECL, r)
            })
        })
    }

    fn topups_get(&self, py: Python<'_>, id: String) -> PyResult<Py<PyAny>> {
        guard(py, "topups_get", || {
            let r = detach(py, || self.inner.topups().get(&id));
            one(py, TopUp::DECL, r)
        })
    }

    #[pyo3(signature = (*, page=None, per_page=None, status=None, phone_number=None, reference=None,
        from_=None, to=None, sort=None))]
    #[allow(clippy::too_many_arguments)]
    fn topups_list(
        &self,
        py: Python<'_>,
        page: Option<i64>,
        per_page: Option<i64>,
        status: Option<String>,
        phone_number: Option<String>,
        reference: Option<String>,
        from_: Option<String>,
        to: Option<String>,
        sort: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "topups_list", || {
            let r = detach(py, || {
                let f = list_filter(
                    page,
                    per_page,
                    status,
                    phone_number,
                    reference,
                    from_,
                    to,
                    sort,
                )?;
                self.inner.topups().list(&f)
            });
            many(py, TopUp::DECL, r)
        })
    }

    #[pyo3(signature = (*, page=None, per_page=None, status=None, phone_number=None, reference=None,
        from_=None, to=None, sort=None, cancel=None))]
    #[allow(clippy::too_many_arguments)]
    fn topups_list_all(
        &self,
        py: Python<'_>,
        page: Option<i64>,
        per_page: Option<i64>,
        status: Option<String>,
        phone_number: Option<String>,
        reference: Option<String>,
        from_: Option<String>,
        to: Option<String>,
        sort: Option<String>,
        cancel: Option<PyRef<'_, NativeCancel>>,
    ) -> PyResult<TopUpIter> {
        let cancel = cancel_of(cancel);
        guard(py, "topups_list_all", || {
            let r = list_filter(
                page,
                per_page,
                status,
                phone_number,
                reference,
                from_,
                to,
                sort,
            )
            .and_then(|f| self.inner.topups().list_all(&f))
            .map(|pages| match cancel {
                Some(c) => pages.with_cancel(c),
                None => pages,
            });
            Ok(TopUpIter {
                inner: Mutex::new(check(py, r)?),
            })
        })
    }

    fn topups_reconcile(&self, py: Python<'_>, reference: String) -> PyResult<Option<Py<PyAny>>> {
        guard(py, "topups_reconcile", || {
            let r = detach(py, || self.inner.topups().reconcile(&reference));
            opt_one(py, TopUp::DECL, r)
        })
    }

    #[pyo3(signature = (id, *, deadline=None, initial_interval=None, max_interval=None, not_found_grace=None, cancel=None))]
    #[allow(clippy::too_many_arguments)]
    fn topups_wait(
        &self,
        py: Python<'_>,
        id: String,
        deadline: Option<f64>,
        initial_interval: Option<f64>,
        max_interval: Option<f64>,
        not_found_grace: Option<f64>,
        cancel: Option<PyRef<'_, NativeCancel>>,
    ) -> PyResult<Py<PyAny>> {
        let cancel = cancel_of(cancel);
        guard(py, "topups_wait", || {
            let r = detach(py, || {
                let mut opts =
                    wait_options(deadline, initial_interval, max_interval, not_found_grace)?;
                opts.cancel = cancel;
                self.inner.topups().wait(&id, &opts)
            });
            one(py, TopUp::DECL, r)
        })
    }

    /// The same wait, driven step by step by the caller (no network here: the first `step()` polls).
    #[pyo3(signature = (id, *, deadline=None, initial_interval=None, max_interval=None, not_found_grace=None, cancel=None))]
    #[allow(clippy::too_many_arguments)]
    fn topups_wait_steps(
        &self,
        py: Python<'_>,
        id: String,
        deadline: Option<f64>,
        initial_interval: Option<f64>,
        max_interval: Option<f64>,
        not_found_grace: Option<f64>,
        cancel: Option<PyRef<'_, NativeCancel>>,
    ) -> PyResult<NativeWait> {
        let cancel = cancel_of(cancel);
        guard(py, "topups_wait_steps", || {
            let w = wait_options(deadline, initial_interval, max_interval, not_found_grace)
                .and_then(|mut opts| {
                    opts.cancel = cancel;
                    self.inner.topups().wait_steps(&id, &opts)
                });
            Ok(NativeWait {
                inner: Mutex::new(WaitInner::V2(check(py, w)?)),
            })
        })
    }

    /// Bulk payouts (core's `bulk::run_v2`) of a CSV text; see `bulk_run`.
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
                BulkApi::V2,
                source_name,
                data,
                concurrency,
                on_progress,
                cancel,
                Box::new(move |rows, opts, progress| {
                    clickairtime::bulk::run_v2(&client, rows, opts, progress)
                }),
            )
        })
    }

    fn balance_list(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "balance_list", || {
            let r = detach(py, || self.inner.balance().list());
            one(py, Balance::DECL, r)
        })
    }

    fn balance_get(&self, py: Python<'_>, wallet_id: String) -> PyResult<Py<PyAny>> {
        guard(py, "balance_get", || {
            let r = detach(py, || self.inner.balance().get(&wallet_id));
            one(py, Wallet::DECL, r)
        })
    }

    fn verify_webhook(
        &self,
        py: Python<'_>,
        body: &[u8],
        signature: &str,
        timestamp: &str,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "verify_webhook", || {
            let ev = check(py, self.inner.verify_webhook(body, signature, timestamp))?;
            bare(py, WebhookEvent::DECL, &ev)
        })
    }

    /// Open journal entries (`in_flight`, `unknown`), oldest first; empty without a journal.
    fn pending(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "pending", || {
            let r = detach(py, || self.inner.pending());
            entries_to_py(py, r)
        })
    }

    fn journal_entry(&self, py: Python<'_>, reference: String) -> PyResult<Option<Py<PyAny>>> {
        guard(py, "journal_entry", || {
            let r = detach(py, || self.inner.journal_entry(&reference));
            opt_entry_to_py(py, r)
        })
    }

    fn recover(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "recover", || {
            let r = detach(py, || self.inner.recover());
            recoveries_to_py(py, TopUp::DECL, r)
        })
    }
}
