//! V2 balance: the result models of `balance.list` and `balance.get`.

use crate::model::{Dflt, Kind};

crate::model! {
    /// Total across wallets, in USD.
    AvailableBalance {
        amount: Kind::Dec, Dflt::Req;
        currency: Kind::Plain, Dflt::Str("");
    }
}

crate::model! {
    /// One wallet.
    Wallet {
        id: Kind::Plain, Dflt::Req;
        balance: Kind::Dec, Dflt::Req;
        currency: Kind::Plain, Dflt::Str("");
        wallet_type: Kind::Plain, Dflt::Str("global");
        status: Kind::Plain, Dflt::Str("active");
        allowed_countries: Kind::Plain, Dflt::List;
    }
}

crate::model! {
    /// Every wallet and the USD total.
    Balance {
        available_balance: Kind::Model(AvailableBalance::DECL), Dflt::Null;
        wallets: Kind::Models(Wallet::DECL), Dflt::List;
    }
}
