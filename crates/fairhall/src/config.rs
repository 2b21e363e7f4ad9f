//! Loads the configuration: defaults in code, then the TOML file (`--config`), then
//! `FAIRHALL_*` environment variables (`FAIRHALL_DATABASE_URL` sets `database_url`), then the
//! command line's `--bind` and `--data-dir`. A bad value names its key.

use fairhall_app::Config;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};

use crate::cli::Cli;

pub fn load(cli: &Cli) -> Result<Config, String> {
    let mut figment = Figment::from(Serialized::defaults(Config::default()));
    if let Some(path) = &cli.config {
        if !path.exists() {
            return Err(format!("config file {} does not exist", path.display()));
        }
        figment = figment.merge(Toml::file(path));
    }
    figment = figment.merge(Env::prefixed("FAIRHALL_"));
    let mut config: Config = figment.extract().map_err(|e| {
        let key = e.path.join(".");
        if key.is_empty() {
            e.to_string()
        } else {
            format!("{key}: {e}")
        }
    })?;
    if let Some(bind) = cli.bind {
        config.bind = bind;
    }
    if let Some(dir) = &cli.data_dir {
        config.data_dir = dir.clone();
    }
    Ok(config)
}
