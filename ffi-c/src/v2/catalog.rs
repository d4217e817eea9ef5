//! V2 catalog calls: number lookup, countries, networks, products.

use super::ca_v2_client;
use crate::fail::ca_error;
use crate::guard::{arg, into_handle, opt_str, out, run};
use crate::models::v2::{ca_catalog, ca_country_list, ca_network_list};
use crate::result::ca_result;
use std::ffi::c_char;

/// Find the network of a number (HLR lookup) and its products. `phone_number` may be NULL when `network_id`
/// is given (else it is an E.164 number); `network_id` 0 means "not given" (a known network skips the HLR lookup, e.g. for
/// ported numbers). On `CA_OK`, `*catalog_out` owns a new catalog; free it with `ca_catalog_free`.
/// Results: `CA_OK`; `CA_ERR_NULL_ARGUMENT` (`client`, `catalog_out`); `CA_ERR_INVALID_UTF8`; any SDK
/// result (e.g. `CA_ERR_INVALID_INPUT` for a malformed number, `CA_ERR_API` for an unknown prefix);
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_lookup(
    client: *const ca_v2_client,
    phone_number: *const c_char,
    network_id: i64,
    catalog_out: *mut *mut ca_catalog,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let phone = opt_str(phone_number, "phone_number")?;
        let o = out(catalog_out, "catalog_out")?;
        let r = c
            .inner
            .catalog()
            .lookup(phone, (network_id != 0).then_some(network_id))?;
        o.write(into_handle(ca_catalog::new(r)));
        Ok(())
    })
}

/// Supported countries. On `CA_OK`, `*countries_out` owns a new list; free it with `ca_country_list_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `countries_out`), any SDK result, `CA_ERR_PANIC`.
/// `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_countries(
    client: *const ca_v2_client,
    countries_out: *mut *mut ca_country_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(countries_out, "countries_out")?;
        o.write(into_handle(ca_country_list::new(
            c.inner.catalog().countries()?,
        )));
        Ok(())
    })
}

/// Networks, of one country (`country_code` ISO 3166-1 alpha-2, e.g. "GH") or of all (`country_code`
/// NULL). On `CA_OK`, `*networks_out` owns a new list; free it with `ca_network_list_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `networks_out`), `CA_ERR_INVALID_UTF8`, any SDK
/// result, `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_networks(
    client: *const ca_v2_client,
    country_code: *const c_char,
    networks_out: *mut *mut ca_network_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let cc = opt_str(country_code, "country_code")?;
        let o = out(networks_out, "networks_out")?;
        o.write(into_handle(ca_network_list::new(
            c.inner.catalog().networks(cc)?,
        )));
        Ok(())
    })
}

/// Full catalog of one network. On `CA_OK`, `*catalog_out` owns a new catalog; free it with
/// `ca_catalog_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `catalog_out`), any SDK result
/// (`CA_ERR_NOT_FOUND` for an unknown network), `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v2_products(
    client: *const ca_v2_client,
    network_id: i64,
    catalog_out: *mut *mut ca_catalog,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(catalog_out, "catalog_out")?;
        o.write(into_handle(ca_catalog::new(
            c.inner.catalog().products(network_id)?,
        )));
        Ok(())
    })
}
