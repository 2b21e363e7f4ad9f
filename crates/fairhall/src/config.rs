//! Loads the configuration: defaults in code, then the TOML file (`--config`), then
//! `FAIRHALL_*` environment variables (`FAIRHALL_DATABASE_URL` sets `database_url`), then the
//! command line's `--bind` and `--data-dir`. A bad value names its key. Lists (`stun_urls`,
//! `turn_urls`) are comma-separated in the environment. The keys are flat (`smtp_host`, not a
//! `[mail]` table); `Config` sorts them into its sections and keeps each key's default.

use fairhall_app::Config;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};

use crate::cli::Cli;

const ENV_PREFIX: &str = "FAIRHALL_";
/// Keys whose environment value is a comma-separated list.
const LIST_KEYS: [&str; 2] = ["stun_urls", "turn_urls"];

/// `a, b,,c` → `["a", "b", "c"]`; empty means an empty list.
fn split_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

pub fn load(cli: &Cli) -> Result<Config, String> {
    // Keys left unset keep `Config`'s defaults, so the defaults need no provider of their own.
    let mut figment = Figment::new();
    if let Some(path) = &cli.config {
        if !path.exists() {
            return Err(format!("config file {} does not exist", path.display()));
        }
        figment = figment.merge(Toml::file(path));
    }
    figment = figment.merge(Env::prefixed(ENV_PREFIX).ignore(&LIST_KEYS));
    for (key, value) in Env::prefixed(ENV_PREFIX).only(&LIST_KEYS).iter() {
        figment = figment.merge(Serialized::default(key.as_str(), split_list(&value)));
    }
    let mut config: Config = figment.extract().map_err(|e| {
        let key = e.path.join(".");
        if key.is_empty() {
            e.to_string()
        } else {
            format!("{key}: {e}")
        }
    })?;
    if let Some(bind) = cli.bind {
        config.http.bind = bind;
    }
    if let Some(dir) = &cli.data_dir {
        config.data_dir = dir.clone();
    }
    config.validate()?;
    Ok(config)
}

#[cfg(test)]
#[expect(
    clippy::result_large_err,
    reason = "figment::Jail's closures return figment's own error type"
)]
mod tests {
    use clap::Parser;

    use super::*;

    fn cli(args: &[&str]) -> Cli {
        Cli::parse_from(std::iter::once("fairhall").chain(args.iter().copied()))
    }

    #[test]
    fn defaults_need_no_configuration() {
        figment::Jail::expect_with(|_| {
            let c = load(&cli(&[])).map_err(|e| e.to_string())?;
            assert_eq!(c, Config::default());
            Ok(())
        });
    }

    #[test]
    fn the_file_then_the_environment_then_flags_override() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "f.toml",
                "bind = \"127.0.0.1:9000\"\notp_ttl_secs = 120\nlog = \"debug\"",
            )?;
            jail.set_env("FAIRHALL_OTP_TTL_SECS", "90");
            jail.set_env("FAIRHALL_DATABASE_URL", "postgres://db/fair");
            let c = load(&cli(&["--config", "f.toml", "--data-dir", "/srv/fh"]))
                .map_err(|e| e.to_string())?;
            assert_eq!(c.http.bind.port(), 9000);
            assert_eq!(c.sign_in.otp_ttl_secs, 90);
            assert_eq!(c.log, "debug");
            assert_eq!(c.database.url(), Some("postgres://db/fair"));
            assert_eq!(c.data_dir, std::path::PathBuf::from("/srv/fh"));
            let c = load(&cli(&["--config", "f.toml", "--bind", "127.0.0.1:9100"]))
                .map_err(|e| e.to_string())?;
            assert_eq!(c.http.bind.port(), 9100);
            Ok(())
        });
    }

    #[test]
    fn a_bad_value_names_its_key() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("FAIRHALL_BIND", "not-an-address");
            let err = load(&cli(&[])).expect_err("refused");
            assert!(err.contains("bind"), "{err}");
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            jail.set_env("FAIRHALL_OTP_TTL", "5");
            let err = load(&cli(&[])).expect_err("unknown keys are refused");
            assert!(err.contains("otp_ttl"), "{err}");
            Ok(())
        });
        figment::Jail::expect_with(|_| {
            let err = load(&cli(&["--config", "missing.toml"])).expect_err("refused");
            assert!(err.contains("missing.toml"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn ice_server_lists_are_comma_separated_in_the_environment() {
        figment::Jail::expect_with(|jail| {
            jail.set_env(
                "FAIRHALL_STUN_URLS",
                "stun:stun1.example.edu.cn:3478, stun:stun2.example.edu.cn",
            );
            jail.set_env(
                "FAIRHALL_TURN_URLS",
                "turn:turn.example.edu.cn:3478?transport=udp,turns:turn.example.edu.cn:5349",
            );
            jail.set_env("FAIRHALL_TURN_SECRET", "0123456789abcdef");
            jail.set_env("FAIRHALL_TURN_TTL_SECS", "600");
            jail.set_env("FAIRHALL_RING_TIMEOUT_SECS", "45");
            jail.set_env("FAIRHALL_REDIS_URL", "redis://10.0.0.5:6379/2");
            jail.set_env("FAIRHALL_REDIS_PREFIX", "fair-tj");
            let c = load(&cli(&[])).map_err(|e| e.to_string())?;
            assert_eq!(c.realtime.redis_url(), Some("redis://10.0.0.5:6379/2"));
            assert_eq!(c.realtime.redis_prefix, "fair-tj");
            assert_eq!(
                c.calls.stun_urls,
                [
                    "stun:stun1.example.edu.cn:3478",
                    "stun:stun2.example.edu.cn"
                ]
            );
            assert_eq!(
                c.calls.turn_urls,
                [
                    "turn:turn.example.edu.cn:3478?transport=udp",
                    "turns:turn.example.edu.cn:5349"
                ]
            );
            assert_eq!(c.calls.turn_secret(), Some("0123456789abcdef"));
            assert_eq!(c.calls.turn_ttl_secs, 600);
            assert_eq!(c.calls.ring_timeout_secs, 45);
            Ok(())
        });
        // One address is a list of one; the environment overrides the file's list.
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "f.toml",
                "stun_urls = [\"stun:a.example\", \"stun:b.example\"]",
            )?;
            jail.set_env("FAIRHALL_STUN_URLS", "stun:c.example");
            let c = load(&cli(&["--config", "f.toml"])).map_err(|e| e.to_string())?;
            assert_eq!(c.calls.stun_urls, ["stun:c.example"]);
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            jail.create_file("f.toml", "stun_urls = [\"stun:a.example\"]")?;
            let c = load(&cli(&["--config", "f.toml"])).map_err(|e| e.to_string())?;
            assert_eq!(c.calls.stun_urls, ["stun:a.example"]);
            Ok(())
        });
    }

    #[test]
    fn ice_settings_are_checked_at_load() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("FAIRHALL_STUN_URLS", "stun:a.example,https://b.example");
            let err = load(&cli(&[])).expect_err("refused");
            assert!(
                err.contains("stun_urls") && err.contains("https://b.example"),
                "{err}"
            );
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            jail.set_env("FAIRHALL_TURN_URLS", "turn:t.example");
            let err = load(&cli(&[])).expect_err("a secret is required");
            assert!(err.contains("turn_secret"), "{err}");
            jail.set_env("FAIRHALL_TURN_SECRET", "short");
            let err = load(&cli(&[])).expect_err("too short");
            assert!(err.contains("turn_secret"), "{err}");
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            jail.set_env("FAIRHALL_TURN_TTL_SECS", "10");
            let err = load(&cli(&[])).expect_err("refused");
            assert!(err.contains("turn_ttl_secs"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn todays_flat_keys_fill_the_sections() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "f.toml",
                r#"
public_url = "https://fair.example.edu.cn"
secure_cookies = true
database_url = "postgres://fairhall@db.internal/fairhall"
read_cache_ms = 1500
codes_per_ip_per_hour = 9
redis_url = "redis://redis.internal:6379/0"
node_name = "node-a"
s3_bucket = "fairhall-files"
s3_endpoint = "https://oss-cn-beijing.aliyuncs.com"
s3_region = "oss-cn-beijing"
s3_access_key_id = "key-id"
s3_secret_access_key = "s3-secret-from-the-file"
smtp_host = "smtp.example.edu.cn"
smtp_port = 465
smtp_password = "smtp-secret-from-the-file"
turn_urls = ["turn:turn.example.edu.cn:3478?transport=udp"]
turn_secret = "turn-secret-from-the-file"
"#,
            )?;
            jail.set_env("FAIRHALL_SMTP_HOST", "smtp2.example.edu.cn");
            jail.set_env("FAIRHALL_SMTP_SECURITY", "tls");
            jail.set_env("FAIRHALL_TURN_SECRET", "turn-secret-from-the-environment");
            let c = load(&cli(&["--config", "f.toml"])).map_err(|e| e.to_string())?;
            assert_eq!(
                c.http.public_url.as_deref(),
                Some("https://fair.example.edu.cn")
            );
            assert!(c.http.secure_cookies);
            assert_eq!(
                c.database.url(),
                Some("postgres://fairhall@db.internal/fairhall")
            );
            assert_eq!(c.database.read_cache_ms, 1500);
            assert_eq!(c.sign_in.codes_per_ip_per_hour, 9);
            assert_eq!(
                c.realtime.redis_url(),
                Some("redis://redis.internal:6379/0")
            );
            assert_eq!(c.realtime.node_name.as_deref(), Some("node-a"));
            assert_eq!(c.files.bucket(), Some("fairhall-files"));
            assert_eq!(c.files.region, "oss-cn-beijing");
            assert_eq!(
                c.files.secret_access_key.as_ref().map(|s| s.expose()),
                Some("s3-secret-from-the-file")
            );
            assert_eq!(c.mail.host.as_deref(), Some("smtp2.example.edu.cn"));
            assert_eq!(c.mail.security, "tls");
            assert_eq!(c.mail.port, 465);
            assert_eq!(
                c.mail.password.as_ref().map(|s| s.expose()),
                Some("smtp-secret-from-the-file")
            );
            assert_eq!(
                c.calls.turn_secret(),
                Some("turn-secret-from-the-environment")
            );
            // Keys left out keep their defaults.
            assert_eq!(c.http.bind, Config::default().http.bind);
            assert_eq!(c.mail.from, Config::default().mail.from);
            // What the binary might print of its configuration shows no secret.
            let shown = format!("{c:?}");
            for secret in [
                "s3-secret-from-the-file",
                "smtp-secret-from-the-file",
                "turn-secret-from-the-file",
                "turn-secret-from-the-environment",
            ] {
                assert!(!shown.contains(secret), "{secret} in {shown}");
            }
            Ok(())
        });
    }

    #[test]
    fn an_unknown_key_in_the_file_is_refused() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("f.toml", "smtp_hots = \"smtp.example.edu.cn\"")?;
            let err = load(&cli(&["--config", "f.toml"])).expect_err("a typo is refused");
            assert!(err.contains("smtp_hots"), "{err}");
            // The file stays flat: a section is not a key.
            jail.create_file("f.toml", "[mail]\nhost = \"smtp.example.edu.cn\"")?;
            let err = load(&cli(&["--config", "f.toml"])).expect_err("a table is refused");
            assert!(err.contains("mail"), "{err}");
            Ok(())
        });
    }
}
