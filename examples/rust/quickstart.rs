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
    let client = v2::Client::builder(sandbox.api_key())
        .base_url(sandbox.base_url())
        .build()?;
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

    let order = CreateTopUp::amount(phone, found.network.id, Decimal::from(50), "GHS")
        .reference(format!("quickstart-{}", std::process::id()));
    let sent = match client.topups().create(&order) {
        Ok(sent) => sent,
        Err(e) if e.kind() == ErrorKind::OutcomeUnknown => {
            // never tell the customer "failed" here: the top-up may exist. Reconcile by reference later.
            println!(
                "outcome unknown; reconcile reference {}",
                e.reference().unwrap_or("?")
            );
            return Err(e.into());
        }
        Err(e) => return Err(e.into()),
    };
    println!(
        "V2 sent: id {} status {} reference {} (request {})",
        sent.id,
        sent.status,
        sent.meta.reference.as_deref().unwrap_or(""),
        sent.meta.request_id.as_deref().unwrap_or("")
    );
    let done = client.topups().wait(
        &sent.id,
        &WaitOptions {
            initial_interval: Duration::from_millis(250),
            ..WaitOptions::with_deadline(Duration::from_secs(30))
        },
    )?;
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
        .build()?;
    let msisdn = clickairtime::phone::to_msisdn(phone)?;
    let tx = legacy.send_topup(
        &SendTopUp::amount(&msisdn, Decimal::from(5))
            .ext_ref_id(format!("QS-{}", std::process::id())),
    )?;
    println!(
        "\nV1 sent: extRefId {} state {} code {:?}",
        tx.meta.reference.as_deref().unwrap_or(""),
        tx.state,
        tx.code
    );
    let final_tx = legacy.wait(
        tx.meta.reference.as_deref().unwrap_or_default(),
        &WaitOptions {
            initial_interval: Duration::from_millis(250),
            ..WaitOptions::with_deadline(Duration::from_secs(30))
        },
    )?;
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
    println!("\nquickstart finished");
    Ok(())
}

fn opt(d: Option<Decimal>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "?".into())
}
