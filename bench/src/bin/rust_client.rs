//! The Rust core itself: `clickairtime::v2::Client` GETs a top-up and sends one (money-safe create), decoding
//! into typed structs; 8 threads share one client in the concurrent phase. Same options and result file as
//! every other side (see `clickairtime_bench::Opts`).

use clickairtime::money::{Decimal, parse_amount};
use clickairtime::v2::{Client, CreateTopUp};
use clickairtime_bench::{CallResult, Opts, concurrent, finish, rss_run, sequential};

fn get(c: &Client, id: &str, amount: Decimal) -> CallResult {
    let t = c.topups().get(id).map_err(|e| format!("GET: {e}"))?;
    let value = t.amount.as_ref().map(|m| m.value);
    if t.id != id || value != Some(amount) {
        return Err(format!("GET: wrong data: id {} amount {value:?}", t.id));
    }
    Ok(())
}

fn post(c: &Client, tag: &str, i: usize, amount: Decimal) -> CallResult {
    let req = CreateTopUp::amount("+233541112259", 42, amount, "GHS")
        .reference(clickairtime_bench::reference(tag, i));
    let t = c.topups().create(&req).map_err(|e| format!("POST: {e}"))?;
    let value = t.amount.as_ref().map(|m| m.value);
    if t.id.is_empty() || value != Some(amount) {
        return Err(format!("POST: wrong data: id {:?} amount {value:?}", t.id));
    }
    Ok(())
}

fn main() {
    let o = Opts::parse();
    let amount = parse_amount("amount", &o.amount)
        .unwrap_or_else(|e| clickairtime_bench::die(&e.to_string()));
    // libphonenumber's rules, loaded here on this thread first: a client starts loading them on a background
    // thread, which would otherwise still be compiling while the calls are counted (the instruction counts are
    // a long run minus a short one); after this, that thread only finds them cached
    let _ = clickairtime::phone::to_e164("+233541112259");
    let client = Client::builder(o.key.clone())
        .base_url(o.url.clone())
        .build()
        .unwrap_or_else(|e| clickairtime_bench::die(&format!("client: {e}")));
    let mut errors = Vec::new();
    let mut results = Vec::new();
    results.push(sequential("get", &o, &mut errors, |_| {
        get(&client, &o.id, amount)
    }));
    results.push(sequential("post", &o, &mut errors, |i| {
        post(&client, &o.tag, i, amount)
    }));
    if o.conc > 0 && o.conc_calls > 0 {
        results.push(concurrent("get", &o, &mut errors, |_| {
            let (c, id) = (client.clone(), o.id.clone());
            move |_| get(&c, &id, amount)
        }));
        results.push(concurrent("post", &o, &mut errors, |w| {
            let (c, tag) = (client.clone(), format!("{}-c{w}", o.tag));
            move |i| post(&c, &tag, i, amount)
        }));
    }
    let rss = (o.rss_calls > 0).then(|| rss_run(&o, &mut errors, |_| get(&client, &o.id, amount)));
    finish(&o, "rust", "clickairtime", results, rss, errors);
}
