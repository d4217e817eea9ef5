//! Configuration: flags > environment > config file, and the default paths.

use crate::args::Global;
use crate::output::Failure;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Environment variables read (flags win over them, they win over the config file).
pub(crate) const ENV_API_KEY: &str = "CLICKAIRTIME_API_KEY";
pub(crate) const ENV_V1_EMAIL: &str = "CLICKAIRTIME_V1_EMAIL";
pub(crate) const ENV_V1_TOKEN: &str = "CLICKAIRTIME_V1_TOKEN";
pub(crate) const ENV_BASE_URL: &str = "CLICKAIRTIME_BASE_URL";
pub(crate) const ENV_JOURNAL: &str = "CLICKAIRTIME_JOURNAL";
pub(crate) const ENV_CONFIG: &str = "CLICKAIRTIME_CONFIG";

/// Keys of the config file.
const KEYS: &[&str] = &["api_key", "v1_email", "v1_token", "base_url", "journal"];

/// Where a setting came from (shown by `pending` for the journal; never the value of a secret).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Flag,
    Env,
    Config,
    Default,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Flag => "flag",
            Source::Env => "environment",
            Source::Config => "config file",
            Source::Default => "default",
        }
    }
}

/// Everything resolved.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub api_key: Option<String>,
    pub v1_email: Option<String>,
    pub v1_token: Option<String>,
    pub base_url: Option<String>,
    /// The journal's path (None: no state directory could be found and none was given).
    pub journal: Option<PathBuf>,
    pub journal_source: Source,
    /// The config file read, if any.
    pub config_file: Option<PathBuf>,
    /// Where a config file is looked for by default.
    pub default_config: Option<PathBuf>,
    pub send_deadline: Option<Duration>,
    pub convergence_bound: Option<Duration>,
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "clickairtime")
}

/// `$XDG_CONFIG_HOME/clickairtime/config.toml` (or the platform's config folder).
pub(crate) fn default_config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// `$XDG_STATE_HOME/clickairtime/journal.sqlite` (or the platform's local data folder).
pub(crate) fn default_journal_path() -> Option<PathBuf> {
    project_dirs().map(|d| {
        d.state_dir()
            .unwrap_or_else(|| d.data_local_dir())
            .join("journal.sqlite")
    })
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn seconds(flag: &str, v: Option<f64>) -> Result<Option<Duration>, Failure> {
    match v {
        None => Ok(None),
        Some(s) if s.is_finite() && s > 0.0 && s < 1e9 => Ok(Some(Duration::from_secs_f64(s))),
        Some(s) => Err(Failure::usage(format!(
            "--{flag}: {s} is not a positive number of seconds"
        ))),
    }
}

impl Settings {
    /// Resolve from the flags, the environment and the config file.
    pub fn resolve(g: &Global) -> Result<Settings, Failure> {
        let default_config = default_config_path();
        let (config_path, explicit) = match (&g.config, env(ENV_CONFIG)) {
            (Some(p), _) => (Some(p.clone()), true),
            (None, Some(p)) => (Some(PathBuf::from(p)), true),
            (None, None) => (default_config.clone(), false),
        };
        let mut file = BTreeMap::new();
        let mut config_file = None;
        if let Some(p) = &config_path {
            match std::fs::read_to_string(p) {
                Ok(text) => {
                    file = parse_config(&text)
                        .map_err(|e| Failure::usage(format!("config file {}: {e}", p.display())))?;
                    warn_if_readable_by_others(p, &file);
                    config_file = Some(p.clone());
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {}
                Err(e) => {
                    return Err(Failure::usage(format!(
                        "cannot read the config file {}: {e}",
                        p.display()
                    )));
                }
            }
        }
        let pick = |flag: &Option<String>, env_name: &str, key: &str| -> Option<String> {
            flag.clone()
                .filter(|v| !v.is_empty())
                .or_else(|| env(env_name))
                .or_else(|| file.get(key).cloned().filter(|v| !v.is_empty()))
        };
        let (journal, journal_source) = if let Some(p) = &g.journal {
            (Some(p.clone()), Source::Flag)
        } else if let Some(p) = env(ENV_JOURNAL) {
            (Some(PathBuf::from(p)), Source::Env)
        } else if let Some(p) = file.get("journal").filter(|v| !v.is_empty()) {
            (Some(expand_home(p)), Source::Config)
        } else {
            (default_journal_path(), Source::Default)
        };
        Ok(Settings {
            api_key: pick(&g.api_key, ENV_API_KEY, "api_key"),
            v1_email: pick(&g.v1_email, ENV_V1_EMAIL, "v1_email"),
            v1_token: pick(&g.v1_token, ENV_V1_TOKEN, "v1_token"),
            base_url: pick(&g.base_url, ENV_BASE_URL, "base_url"),
            journal,
            journal_source,
            config_file,
            default_config,
            send_deadline: seconds("send-deadline", g.send_deadline)?,
            convergence_bound: seconds("convergence-bound", g.convergence_bound)?,
        })
    }

    /// Where the configuration is documented to be looked for, for messages.
    pub fn config_hint(&self) -> String {
        match (&self.config_file, &self.default_config) {
            (Some(p), _) => format!("the config file {}", p.display()),
            (None, Some(p)) => format!("a config file ({})", p.display()),
            (None, None) => "a config file (--config PATH)".into(),
        }
    }

    /// The journal's path, or a usage error saying how to give one.
    pub fn journal_path(&self) -> Result<&Path, Failure> {
        self.journal.as_deref().ok_or_else(|| {
            Failure::usage(
                "no state directory to keep the journal in: pass --journal PATH or set CLICKAIRTIME_JOURNAL",
            )
        })
    }
}

fn expand_home(p: &str) -> PathBuf {
    if let Some(rest) = p.strip_prefix("~/")
        && let Some(home) = directories::BaseDirs::new()
    {
        return home.home_dir().join(rest);
    }
    PathBuf::from(p)
}

#[cfg(unix)]
fn warn_if_readable_by_others(p: &Path, file: &BTreeMap<String, String>) {
    use std::os::unix::fs::PermissionsExt;
    if !(file.contains_key("api_key") || file.contains_key("v1_token")) {
        return;
    }
    if let Ok(m) = std::fs::metadata(p)
        && m.permissions().mode() & 0o077 != 0
    {
        crate::output::warn(&format!(
            "warning: {} holds credentials and is readable by other users; chmod 600 it",
            p.display()
        ));
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_: &Path, _: &BTreeMap<String, String>) {}

/// Parse a config file: flat `key = value` lines, TOML style (`key = "value"`, `# comments`) or plain
/// (`key=value`). A `[clickairtime]` table header is accepted; keys may also be written as the
/// environment variables (`CLICKAIRTIME_API_KEY=…`).
pub(crate) fn parse_config(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if line.starts_with('[') {
            let name = line.trim_start_matches('[').trim_end_matches(']').trim();
            if name.eq_ignore_ascii_case("clickairtime") || name.eq_ignore_ascii_case("default") {
                continue;
            }
            return Err(format!(
                "line {n}: unknown table [{name}] (keys are flat: {})",
                KEYS.join(", ")
            ));
        }
        let Some((k, v)) = line.split_once('=') else {
            return Err(format!("line {n}: expected key = value"));
        };
        let key = k.trim().trim_matches('"').to_ascii_lowercase();
        let key = key.strip_prefix("clickairtime_").unwrap_or(&key).to_owned();
        if !KEYS.contains(&key.as_str()) {
            return Err(format!(
                "line {n}: unknown key {key:?} (known: {})",
                KEYS.join(", ")
            ));
        }
        let value = parse_value(v.trim()).map_err(|e| format!("line {n} ({key}): {e}"))?;
        out.insert(key, value);
    }
    Ok(out)
}

fn parse_value(v: &str) -> Result<String, String> {
    let strip_comment = |rest: &str| -> Result<(), String> {
        let rest = rest.trim();
        if rest.is_empty() || rest.starts_with('#') {
            Ok(())
        } else {
            Err(format!("unexpected text after the value: {rest:?}"))
        }
    };
    if let Some(body) = v.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    strip_comment(&body[i + 1..])?;
                    return Ok(out);
                }
                '\\' => match chars.next().map(|(_, c)| c) {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('\\') => out.push('\\'),
                    Some('"') => out.push('"'),
                    Some(other) => return Err(format!("unknown escape \\{other}")),
                    None => return Err("unterminated string".into()),
                },
                c => out.push(c),
            }
        }
        return Err("unterminated string".into());
    }
    if let Some(body) = v.strip_prefix('\'') {
        let Some(end) = body.find('\'') else {
            return Err("unterminated string".into());
        };
        strip_comment(&body[end + 1..])?;
        return Ok(body[..end].to_owned());
    }
    // a bare value: up to a ` #` comment
    let bare = match v.find(" #") {
        Some(i) => &v[..i],
        None => v,
    };
    Ok(bare.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_files_in_both_styles() {
        let toml = "# mine\n[clickairtime]\napi_key = \"ce_live_abc\" # key\nbase_url='http://127.0.0.1:9'\n";
        let m = parse_config(toml).unwrap();
        assert_eq!(m["api_key"], "ce_live_abc");
        assert_eq!(m["base_url"], "http://127.0.0.1:9");
        let kv =
            "CLICKAIRTIME_V1_EMAIL=pos@example.com\nv1_token = abc # t\njournal=/tmp/j.sqlite\n";
        let m = parse_config(kv).unwrap();
        assert_eq!(m["v1_email"], "pos@example.com");
        assert_eq!(m["v1_token"], "abc");
        assert_eq!(m["journal"], "/tmp/j.sqlite");
        assert!(parse_config("apikey = x").unwrap_err().contains("line 1"));
        assert!(parse_config("[other]\n").is_err());
        assert!(parse_config("api_key = \"x").is_err());
        assert!(parse_config("api_key").is_err());
    }
}
