//! V2 catalog: the result models of `lookup`, `countries`, `networks` and `products`.

use crate::model::{Dflt, Kind};

crate::model! {
    /// A mobile network operator.
    Network {
        id: Kind::Plain, Dflt::Req;
        name: Kind::Plain, Dflt::Str("");
        country: Kind::Plain, Dflt::Null;
        country_code: Kind::Plain, Dflt::Null;
        currency: Kind::Plain, Dflt::Null;
        logo_url: Kind::Plain, Dflt::Null;
        product_count: Kind::Plain, Dflt::Null;
        supports_custom_airtime: Kind::Plain, Dflt::Null;
    }
}

crate::model! {
    /// Exchange rate between the wallet (USD) and the local currency.
    ExchangeRate {
        source_currency: Kind::Plain, Dflt::Null;
        destination_currency: Kind::Plain, Dflt::Null;
        rate: Kind::Dec, Dflt::Null;
    }
}

crate::model! {
    /// Free-amount airtime limits of a network.
    CustomAirtime {
        available: Kind::Plain, Dflt::Bool(false);
        min_amount_local: Kind::Dec, Dflt::Null;
        max_amount_local: Kind::Dec, Dflt::Null;
        local_currency: Kind::Plain, Dflt::Null;
    }
}

crate::model! {
    /// A fixed bundle (data, airtime …) with a price.
    Bundle {
        id: Kind::Plain, Dflt::Req;
        name: Kind::Plain, Dflt::Str("");
        bundle_type: Kind::Plain, Dflt::Str("DATA");
        price_usd: Kind::Dec, Dflt::Null;
        local_value: Kind::Plain, Dflt::Null;
        local_amount: Kind::Dec, Dflt::Null;
        local_currency: Kind::Plain, Dflt::Null;
    }
}

crate::model! {
    /// Products of a network.
    Products {
        custom_airtime: Kind::Model(CustomAirtime::DECL), Dflt::Null;
        fixed_bundles: Kind::Models(Bundle::DECL), Dflt::List;
    }
}

crate::model! {
    /// Answer of a lookup or a products query: the network, its rate and its products.
    Catalog {
        network: Kind::Model(Network::DECL), Dflt::Req;
        phone_number: Kind::Plain, Dflt::Null;
        exchange_rate: Kind::Model(ExchangeRate::DECL), Dflt::Null;
        products: Kind::Model(Products::DECL), Dflt::Model(Products::empty);
    }
}

crate::model! {
    /// A supported country.
    Country {
        country_code: Kind::Plain, Dflt::Null;
        name: Kind::Plain, Dflt::Null;
        currency: Kind::Plain, Dflt::Null;
        networks: Kind::Models(Network::DECL), Dflt::List;
    }
}
