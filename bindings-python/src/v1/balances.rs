//! V1 balances: the result model of `balances` and `balance`.

use crate::model::{Dflt, Kind};

crate::model! {
    /// Balance of one V1 service account.
    AccountBalance {
        balance: Kind::Dec, Dflt::Req;
        account_id: Kind::Plain, Dflt::Null;
        service_name: Kind::Plain, Dflt::Null;
        service_country: Kind::Plain, Dflt::Null;
        currency: Kind::Plain, Dflt::Null;
    }
}
