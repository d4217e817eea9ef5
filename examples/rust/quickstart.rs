//! Quickstart: a real top-up flow against the embedded sandbox (no credentials needed).
//!
//! Run it with `cargo run -p clickairtime --example quickstart`, or pass `--base-url`, `--api-key`,
//! `--v1-email` and `--v1-token` to point it at another server.

use clickairtime::money::Decimal;
use clickairtime::v1::{self, SendTopUp};
use clickairtime::v2::{self, CreateTopUp};
use clickairtime::{ErrorKind, WaitOptions};
use clickairtime_sandbox::{Sandbox, SandboxConfig};
use std::time::Duration;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start_with(
        SandboxConfig::default()
            .processing_after(Duration::from_millis(300))
            .complete_after(Duration::from_millis(1200)),
    )?;
    println!("sandbox running at {}\n", sandbox.base_url());

    // ---- V2: look up, send, wait, balance ----
    // The journal writes every sale down before it leaves, so a crash or power cut cannot lose it.
    let journal = std::env::temp_dir().join(format!(
        "clickairtime-quickstart-{}.journal",
        std::process::id()
    ));
    let client = v2::Client::builder(sandbox.api_key())
        .base_url(sandbox.base_url())
        .journal(&journal)
        .build()?;
    for r in client.recover()? {
        println!("earlier sale {}: {}", r.entry.reference, r.entry.state);
    }
    let phone = "+233541112259";
    let found = client.catalog().lookup(Some(phone), None)?;
    println!(
        "V2 lookup {phone}: {} ({}), network id {}",
        found.network.name,
        found.network.country.as_deref().unwrap_or("?"),
        found.network.id
    );
    if let Some(custom) = &found.products.custom_airtime {
        println!(
            "  custom airtime {}..{} {}",
            opt(custom.min_amount_local),
            opt(custom.max_amount_local),
            custom.local_currency.as_deref().unwrap_or("")
        );
    }

    // the reference and idempotency key are fixed before anything is sent: a till writes them down here
    let order = CreateTopUp::amount(phone, found.network.id, Decimal::from(50), "GHS")
        .reference(format!("quickstart-{}", std::process::id()))
        .prepared();
    println!(
        "V2 sale {} (idempotency key {})",
        order.reference.as_deref().unwrap_or(""),
        order.idempotency_key.as_deref().unwrap_or("")
    );
    let sent = match client.topups().create(&order) {
        Ok(sent) => sent,
        Err(e) => {
            println!("{}", tell(&e));
            return Err(e.into());
        }
    };
    println!(
        "V2 sent: id {} status {} reference {} ({}, request {})",
        sent.id,
        sent.status,
        sent.meta.reference.as_deref().unwrap_or(""),
        sent.meta.origin.map(|o| o.as_str()).unwrap_or(""),
        sent.meta.request_id.as_deref().unwrap_or("")
    );
    let done = match client.topups().wait(
        &sent.id,
        &WaitOptions {
            initial_interval: Duration::from_millis(250),
            ..WaitOptions::with_deadline(Duration::from_secs(30))
        },
    ) {
        Ok(done) => done,
        Err(e) => {
            // the top-up exists: whatever went wrong while waiting, it was sold
            println!("sold ({}), delivery not confirmed yet: {e}", sent.id);
            return Err(e.into());
        }
    };
    let cost = done
        .cost
        .as_ref()
        .map(|c| format!("{} {}", c.value, c.currency))
        .unwrap_or_default();
    println!(
        "V2 final: {} — delivered {} {}, charged {}",
        done.status,
        done.amount
            .as_ref()
            .map(|a| a.value.to_string())
            .unwrap_or_default(),
        done.amount
            .as_ref()
            .map(|a| a.currency.as_str())
            .unwrap_or(""),
        cost
    );
    let balance = client.balance().list()?;
    for w in &balance.wallets {
        println!(
            "  wallet {} {} {} ({})",
            w.id, w.balance, w.currency, w.wallet_type
        );
    }

    // ---- V1: send, wait, balances ----
    let legacy = v1::Client::builder(sandbox.v1_email(), sandbox.v1_token())
        .base_url(sandbox.base_url())
        .journal(&journal)
        .build()?;
    let msisdn = clickairtime::phone::to_msisdn(phone)?;
    let tx = match legacy.send_topup(
        &SendTopUp::amount(&msisdn, Decimal::from(5))
            .ext_ref_id(format!("QS-{}", std::process::id())),
    ) {
        Ok(tx) => tx,
        Err(e) => {
            println!("{}", tell(&e));
            return Err(e.into());
        }
    };
    println!(
        "\nV1 sent: extRefId {} state {} code {:?}",
        tx.meta.reference.as_deref().unwrap_or(""),
        tx.state,
        tx.code
    );
    let final_tx = match legacy.wait(
        tx.meta.reference.as_deref().unwrap_or_default(),
        &WaitOptions {
            initial_interval: Duration::from_millis(250),
            ..WaitOptions::with_deadline(Duration::from_secs(30))
        },
    ) {
        Ok(t) => t,
        Err(e) => {
            println!("sold, delivery not confirmed yet: {e}");
            return Err(e.into());
        }
    };
    println!(
        "V1 final: {} transaction {}",
        final_tx.state,
        final_tx.transaction_id.as_deref().unwrap_or("?")
    );
    for b in legacy.balances()?.iter() {
        println!(
            "  {} ({}): {}",
            b.service_name.as_deref().unwrap_or("?"),
            b.service_country.as_deref().unwrap_or("?"),
            b.balance
        );
    }

    sandbox.shutdown();
    std::fs::remove_file(&journal).ok();
    println!("\nquickstart finished");
    Ok(())
}

/// What to tell the customer when a send returns an error: true for every kind.
fn tell(e: &clickairtime::Error) -> String {
    match e.kind() {
        ErrorKind::OutcomeUnknown => format!(
            "We cannot tell yet whether this top-up went through. Do not sell it again; it will be settled (reference {}).",
            e.reference().unwrap_or("?")
        ),
        ErrorKind::DuplicateSale => format!(
            "Nothing was sold for this one: the same top-up was just sold ({}).",
            e.transaction_id().unwrap_or("see recent sales")
        ),
        ErrorKind::ReferenceConflict => format!(
            "Nothing was sold: this sale's reference is already used by another sale ({}). Use a new one.",
            e.transaction_id().unwrap_or("?")
        ),
        _ => format!("Nothing was sold: {e}"),
    }
}

fn opt(d: Option<Decimal>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "?".into())
}
