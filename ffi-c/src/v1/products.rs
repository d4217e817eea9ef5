//! V1 products: the product catalog, products, one product.

use super::ca_v1_client;
use crate::fail::ca_error;
use crate::guard::{arg, into_handle, out, run};
use crate::models::v1::{ca_v1_product, ca_v1_product_list, ca_v1_service_list};
use crate::result::ca_result;

/// Services (operators) with products for the account. On `CA_OK`, `*services_out` owns a new list; free
/// it with `ca_v1_service_list_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `services_out`),
/// any SDK result, `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_product_catalog(
    client: *const ca_v1_client,
    services_out: *mut *mut ca_v1_service_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(services_out, "services_out")?;
        o.write(into_handle(ca_v1_service_list::new(
            c.inner.product_catalog()?,
        )));
        Ok(())
    })
}

/// Products of one service. On `CA_OK`, `*products_out` owns a new list; free it with
/// `ca_v1_product_list_free`. Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `products_out`), any SDK
/// result, `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_products(
    client: *const ca_v1_client,
    service_id: i64,
    products_out: *mut *mut ca_v1_product_list,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(products_out, "products_out")?;
        o.write(into_handle(ca_v1_product_list::new(
            c.inner.products(service_id)?,
        )));
        Ok(())
    })
}

/// One product. On `CA_OK`, `*product_out` owns it; free it with `ca_v1_product_free`.
/// Results: `CA_OK`, `CA_ERR_NULL_ARGUMENT` (`client`, `product_out`), any SDK result (`CA_ERR_NOT_FOUND`),
/// `CA_ERR_PANIC`. `error_out` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ca_v1_get_product(
    client: *const ca_v1_client,
    product_id: i64,
    product_out: *mut *mut ca_v1_product,
    error_out: *mut *mut ca_error,
) -> ca_result {
    run(error_out, || {
        let c = arg(client, "client")?;
        let o = out(product_out, "product_out")?;
        o.write(into_handle(ca_v1_product::new(
            c.inner.product(product_id)?,
        )));
        Ok(())
    })
}
