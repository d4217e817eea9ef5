//! The command line, as clap sees it.

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The exit codes, shown at the end of `clickairtime --help` (and in README.md).
pub(crate) const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success: sent (or already sent earlier), delivered, found, balance at or above --below
  1  not sent / failed: a send that definitely did not happen, a delivery that ended failed,
     a top-up not found, an invalid webhook signature, or a read that failed (connection, auth)
  2  usage error: bad arguments, configuration or input (a bulk file with bad rows); nothing was sent
  3  outcome unknown: a send may have been received; do NOT send it again, run `clickairtime recover`
  4  still pending: created, not final yet; check again later (`clickairtime wait ID`)
  5  refused: the API holds another sale (duplicate sale, or the reference belongs to another sale)
  6  balance below the --below threshold
  7  bulk finished, but at least one row is not sent, refused, unknown or skipped (whatever the mix:
     the summary and the report say which); running the same command again is safe
  130 interrupted (a second Ctrl-C); sends in flight stay open in the journal

Configuration: flags > environment (CLICKAIRTIME_API_KEY, CLICKAIRTIME_V1_EMAIL, CLICKAIRTIME_V1_TOKEN,
CLICKAIRTIME_BASE_URL, CLICKAIRTIME_JOURNAL, CLICKAIRTIME_CONFIG) > config file
($XDG_CONFIG_HOME/clickairtime/config.toml, or --config PATH). The journal defaults to
$XDG_STATE_HOME/clickairtime/journal.sqlite (`clickairtime pending` prints it).";

#[derive(Parser, Debug)]
#[command(
    name = "clickairtime",
    bin_name = "clickairtime",
    version,
    about = "Click Airtime from the shell: balances, lookups, top-ups (V2 and V1), the send journal, bulk payouts, a local sandbox and webhooks",
    after_help = EXIT_CODES_HELP,
    propagate_version = true,
    max_term_width = 110
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub cmd: Cmd,
}

/// Options every subcommand takes.
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Global options")]
pub(crate) struct Global {
    /// Machine-readable output: JSON on stdout (errors too)
    #[arg(long, global = true)]
    pub json: bool,
    /// Use the V1 API (/adp, e-mail + token) instead of V2
    #[arg(long, global = true)]
    pub v1: bool,
    /// Config file (default $XDG_CONFIG_HOME/clickairtime/config.toml; env CLICKAIRTIME_CONFIG)
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// V2 API key (env CLICKAIRTIME_API_KEY); never printed
    #[arg(long, global = true, value_name = "KEY")]
    pub api_key: Option<String>,
    /// V1 account e-mail (env CLICKAIRTIME_V1_EMAIL)
    #[arg(long, global = true, value_name = "EMAIL")]
    pub v1_email: Option<String>,
    /// V1 API token (env CLICKAIRTIME_V1_TOKEN); never printed
    #[arg(long, global = true, value_name = "TOKEN")]
    pub v1_token: Option<String>,
    /// API host (env CLICKAIRTIME_BASE_URL; default https://api.clickairtime.com)
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// The send journal, an SQLite file (env CLICKAIRTIME_JOURNAL; default
    /// $XDG_STATE_HOME/clickairtime/journal.sqlite)
    #[arg(long, global = true, value_name = "PATH")]
    pub journal: Option<PathBuf>,
    /// Log what the client does to stderr (never credentials)
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// Hard time budget of one send, lookups included (default 120)
    #[arg(long, global = true, value_name = "SECONDS")]
    pub send_deadline: Option<f64>,
    /// How long after a write "not found" proves a top-up was never created (default 780, the API's
    /// convergence bound). Lower it only against the sandbox
    #[arg(long, global = true, value_name = "SECONDS", hide_short_help = true)]
    pub convergence_bound: Option<f64>,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Cmd {
    /// Wallet balances (V2) or account balances (V1); --below AMOUNT exits 6 when lower (for cron)
    Balance(BalanceArgs),
    /// The network and products of a phone number (V2)
    Lookup(LookupArgs),
    /// Send one top-up (airtime amount or bundle), at most once per reference
    Send(SendArgs),
    /// One top-up by id, or by --reference
    Status(StatusArgs),
    /// Top-ups (V2: filters, --since/--until; V1: by phone, reference or id) as a table, CSV or JSON
    List(ListArgs),
    /// Wait until a top-up is final (completed or failed)
    Wait(WaitArgs),
    /// Sends the journal holds open (in flight when a crash hit, or unknown); prints the journal's path
    Pending(PendingArgs),
    /// Settle the journal's open sends with verified lookups (never sends)
    Recover,
    /// Send every row of a CSV file: validated first, paced, journaled, resumable
    ///
    /// The CSV has a header row, columns in any order: `phone` (or `msisdn`), `amount` with `currency`
    /// (V2) or `product`, `reference` (derived from the file's name and the row when empty),
    /// `network_id` (V2, looked up when absent), `sms`, and any other column as metadata (V2). The whole
    /// file is validated first (every bad row listed with its line; nothing is sent if one is bad).
    /// Sends are paced by a client-side rate limiter (the documented 60/min and 1,000/h unless
    /// --rate-per-minute/--rate-per-hour) and go through the journal: running the same command again
    /// after Ctrl-C, a crash or kill -9 sends nothing twice. Ctrl-C stops taking rows; sends under way
    /// settle first. Exit 0 when every row is sent, 7 when any is not (see the summary and the report).
    Bulk(BulkArgs),
    /// Run the local API emulator in the foreground (prints its URL and credentials)
    Sandbox(SandboxArgs),
    /// Verify a webhook delivery, or receive them on a local port
    #[command(subcommand)]
    Webhooks(WebhooksCmd),
}

#[derive(Args, Debug)]
pub(crate) struct BalanceArgs {
    /// Exit 6 when the balance is below AMOUNT (V2: the USD total unless --wallet/--currency)
    #[arg(long, value_name = "AMOUNT")]
    pub below: Option<String>,
    /// Only this wallet (V2) / account (V1)
    #[arg(long, alias = "account", value_name = "ID")]
    pub wallet: Option<String>,
    /// Only wallets / accounts in this currency
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
}

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("what").required(true).multiple(true).args(["phone", "network_id"])))]
pub(crate) struct LookupArgs {
    /// Phone number, international (+233541112259)
    pub phone: Option<String>,
    /// Network id (skips the number lookup, e.g. for ported numbers)
    #[arg(long, value_name = "ID")]
    pub network_id: Option<i64>,
}

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("sale").required(true).multiple(true).args(["amount", "product"])))]
pub(crate) struct SendArgs {
    /// Recipient, international (+233541112259; V1 also 233541112259)
    pub phone: String,
    /// Amount in the network's local currency (V2: with --currency)
    #[arg(long, value_name = "AMOUNT")]
    pub amount: Option<String>,
    /// Local currency of --amount (ISO 4217, e.g. GHS; V2)
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
    /// A bundle (V2) / product id (V1) instead of an amount
    #[arg(long, value_name = "ID")]
    pub product: Option<String>,
    /// Your reference for this sale (generated and printed when absent). Sending the same reference
    /// again never sends twice
    #[arg(long, value_name = "REF")]
    pub reference: Option<String>,
    /// Network id (V2; looked up from the phone when absent)
    #[arg(long, value_name = "ID")]
    pub network_id: Option<i64>,
    /// SMS the recipient (V2: with an optional text)
    #[arg(long, value_name = "TEXT", num_args = 0..=1, default_missing_value = "")]
    pub sms: Option<String>,
    /// URL for status webhooks (V2)
    #[arg(long, value_name = "URL")]
    pub callback_url: Option<String>,
    /// Metadata stored with the top-up (V2), repeatable
    #[arg(long, value_name = "KEY=VALUE")]
    pub metadata: Vec<String>,
    /// V1: queue the top-up (ASYNC) instead of waiting for its state (SYNC)
    #[arg(long = "async")]
    pub async_mode: bool,
    /// Then wait until the top-up is final
    #[arg(long)]
    pub wait: bool,
    /// Deadline of --wait
    #[arg(long, value_name = "SECONDS", default_value_t = 780.0)]
    pub wait_timeout: f64,
}

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("which").required(true).args(["id", "reference"])))]
pub(crate) struct StatusArgs {
    /// Transaction id
    pub id: Option<String>,
    /// Your reference (V2 reference / V1 extRefId)
    #[arg(long, value_name = "REF")]
    pub reference: Option<String>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum Format {
    #[default]
    Table,
    Csv,
    Json,
}

#[derive(Args, Debug)]
pub(crate) struct ListArgs {
    /// Only this status (pending, processing, completed, failed)
    #[arg(long)]
    pub status: Option<String>,
    /// Recipient (V2: partial match; V1: exact msisdn)
    #[arg(long, value_name = "PHONE")]
    pub phone: Option<String>,
    /// Your reference (exact)
    #[arg(long, value_name = "REF")]
    pub reference: Option<String>,
    /// Transaction id (V1)
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// Created at or after (ISO 8601 date or date-time), as the API takes it
    #[arg(long, value_name = "WHEN")]
    pub from: Option<String>,
    /// Created at or before (ISO 8601 date or date-time), as the API takes it
    #[arg(long, value_name = "WHEN")]
    pub to: Option<String>,
    /// Created since: 30m, 24h, 7d, today, yesterday, or an ISO 8601 date / date-time (UTC)
    #[arg(long, value_name = "WHEN", conflicts_with = "from")]
    pub since: Option<String>,
    /// Created before: same forms as --since (`--since yesterday --until today`: all of yesterday)
    #[arg(long, value_name = "WHEN", conflicts_with = "to")]
    pub until: Option<String>,
    /// Sort: created_at, completed_at, status or total_usd; '-' prefix for descending
    #[arg(long, allow_hyphen_values = true)]
    pub sort: Option<String>,
    /// Fetch only this page
    #[arg(long)]
    pub page: Option<u32>,
    /// Page size (1-100)
    #[arg(long)]
    pub per_page: Option<u32>,
    /// Most top-ups to fetch, walking pages (default 1000; 0 = no limit)
    #[arg(long, default_value_t = 1000)]
    pub limit: usize,
    /// Output format (--json implies json)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("which").required(true).args(["id", "reference"])))]
pub(crate) struct WaitArgs {
    /// Transaction id
    pub id: Option<String>,
    /// Your reference (V2 reference / V1 extRefId)
    #[arg(long, value_name = "REF")]
    pub reference: Option<String>,
    /// Give up (exit 4, still pending) after this long
    #[arg(long, value_name = "SECONDS", default_value_t = 780.0)]
    pub timeout: f64,
}

#[derive(Args, Debug)]
pub(crate) struct PendingArgs {
    /// Every entry of the journal, not only the open ones
    #[arg(long)]
    pub all: bool,
}

#[derive(Args, Debug)]
pub(crate) struct BulkArgs {
    /// CSV file with a header row: phone, amount + currency or product, reference, ...
    pub file: PathBuf,
    /// Validate and print what would be sent and the total per currency; send nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Sends in flight at once (1-64)
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// Result CSV (default: FILE.report.csv next to the input)
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// Client-side limit of requests per minute (default 60, the documented tier)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_per_minute: Option<u32>,
    /// Client-side limit of requests per hour (default 1000, the documented tier)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_per_hour: Option<u32>,
    /// Test support (hidden): the rate limiter's "minute" in milliseconds, so a test against a sandbox
    /// with as short a window runs the limiter through many windows in seconds
    #[arg(long, value_name = "MS", hide = true, value_parser = clap::value_parser!(u64).range(100..))]
    pub rate_window_ms: Option<u64>,
    /// Plain progress lines even on a terminal
    #[arg(long)]
    pub no_progress_bar: bool,
}

#[derive(Args, Debug)]
pub(crate) struct SandboxArgs {
    /// Port on 127.0.0.1 (0: the OS picks)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Creation -> final status, in milliseconds
    #[arg(long, value_name = "MS")]
    pub complete_after_ms: Option<u64>,
    /// Creation -> processing, in milliseconds
    #[arg(long, value_name = "MS")]
    pub processing_after_ms: Option<u64>,
    /// V2 requests per minute before 429 (default 600)
    #[arg(long, value_name = "N")]
    pub rate_limit: Option<u32>,
    /// Delay of the slow magic number (…09), in milliseconds
    #[arg(long, value_name = "MS")]
    pub slow_ms: Option<u64>,
}

#[derive(Subcommand, Debug)]
pub(crate) enum WebhooksCmd {
    /// Verify one delivery's signature (X-Webhook-Signature, X-Webhook-Timestamp) and print its event
    Verify(VerifyArgs),
    /// Receive webhooks on 127.0.0.1, verify and print each, optionally forward them
    Listen(ListenArgs),
}

#[derive(Args, Debug)]
pub(crate) struct VerifyArgs {
    /// The raw body as received ('-' = stdin)
    pub file: String,
    /// Signing secret: your V2 API key (default: the configured API key)
    #[arg(long, value_name = "SECRET")]
    pub secret: Option<String>,
    /// X-Webhook-Signature
    #[arg(long, value_name = "HEX")]
    pub signature: String,
    /// X-Webhook-Timestamp (unix seconds)
    #[arg(long, value_name = "UNIX")]
    pub timestamp: String,
    /// Accepted age of the timestamp (0: do not check)
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub tolerance: u64,
}

#[derive(Args, Debug)]
pub(crate) struct ListenArgs {
    /// Port on 127.0.0.1 (0: the OS picks; the URL is printed)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Forward each verified delivery (raw body + X-Webhook-* headers) to this URL and answer with
    /// its status (http:// only to loopback hosts)
    #[arg(long, value_name = "URL")]
    pub forward: Option<String>,
    /// Signing secret: your V2 API key (default: the configured API key)
    #[arg(long, value_name = "SECRET")]
    pub secret: Option<String>,
    /// Accepted age of the timestamp (0: do not check)
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub tolerance: u64,
    /// Exit after this many deliveries (exit 1 if any failed to verify)
    #[arg(long, value_name = "N")]
    pub max_events: Option<u64>,
}
