//! V1 products: the result models of `product_catalog`, `products` and `product`.

use crate::model::{Dflt, Kind};

crate::model! {
    /// A V1 service (provider) with products for the account.
    Service {
        service_id: Kind::Plain, Dflt::Req;
        provider_name: Kind::Plain, Dflt::Str("");
    }
}

crate::model! {
    /// A V1 product.
    Product {
        id: Kind::Plain, Dflt::Req;
        name: Kind::Plain, Dflt::Null;
        product_type: Kind::Plain, Dflt::Null;
        amount: Kind::Dec, Dflt::Null;
        currency: Kind::Plain, Dflt::Null;
        service_id: Kind::Plain, Dflt::Null;
        description: Kind::Plain, Dflt::Null;
    }
}
