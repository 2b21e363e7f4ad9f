use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use fairhall_app::{App, Config};
use fairhall_domain::account::Role;
use fairhall_web::Application;

use crate::seed;

/// fairhall: video campus career fairs (视频双选会).
#[derive(Debug, Parser)]
#[command(name = "fairhall", version, about)]
pub struct Cli {
    /// TOML configuration file; `FAIRHALL_*` environment variables override it.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Address to listen on (default 127.0.0.1:8080; also `FAIRHALL_BIND`).
    #[arg(long, global = true, value_name = "ADDR")]
    pub bind: Option<SocketAddr>,
    /// Folder for the SQLite database and uploads (default ./fairhall-data; also
    /// `FAIRHALL_DATA_DIR`).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Platform administration.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Create demo data (idempotent), print every demo login and the demo fair's link, then
    /// serve. The demo fair is live from an hour ago until eight hours from now.
    Demo,
    /// Student rosters (云就业匹配).
    Roster {
        #[command(subcommand)]
        command: RosterCommand,
    },
    /// Create a city-scale fair for load tests in bulk (employers with approved registrations,
    /// students with resumes who entered), with a signed-in session per account, and write one
    /// JSON line per account (cookie and CSRF token) to `--out`. Seeded accounts' password:
    /// `fairhall-load-1`. Never run it against a production database.
    Seed {
        #[arg(long, default_value_t = 1_000)]
        employers: usize,
        #[arg(long, default_value_t = 50_000)]
        students: usize,
        /// Where the sessions go (JSON lines).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// How long the seeded sessions last, in hours.
        #[arg(long, default_value_t = 24)]
        session_hours: i64,
    },
    /// Print the newest SMS and e-mail messages of the outbox.
    Outbox {
        /// How many messages to print.
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a platform admin account.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        /// Display name.
        #[arg(long, default_value = "平台管理员")]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum RosterCommand {
    /// Import a roster file (CSV or XLSX) for an organizer, as the organizer's first staff
    /// account: every row, or nothing if any row is bad.
    Import {
        /// The organizer's id.
        #[arg(long)]
        organizer: i64,
        /// The roster file.
        file: PathBuf,
    },
}

pub async fn run(cli: Cli, config: Config) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(Application::build(config).await?, None).await,
        Command::Migrate => {
            App::connect_store(&config).await?.close().await;
            println!("migrations applied");
            Ok(())
        }
        Command::Admin {
            command:
                AdminCommand::Create {
                    email,
                    password,
                    name,
                },
        } => {
            let state = App::start(config.clone(), App::connect_store(&config).await?).await?;
            let user = state
                .create_password_account(Role::PlatformAdmin, &email, &password, &name, None, None)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
            println!("platform admin {} created (id {})", email, user.id);
            Ok(())
        }
        Command::Roster {
            command: RosterCommand::Import { organizer, file },
        } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let store = App::connect_store(&config).await?;
            let state = App::start(config.clone(), store.clone()).await?;
            let staff = store
                .users_by_role(Role::OrganizerStaff)
                .await?
                .into_iter()
                .find(|u| u.organizer_id == Some(organizer))
                .with_context(|| format!("organizer {organizer} has no staff account"))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let report = state
                .import_roster(&staff, &name, bytes)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
            if !report.imported {
                for p in &report.problems {
                    eprintln!("{}", p.message);
                }
                anyhow::bail!(
                    "{} of {} rows refused; nothing was imported",
                    report.problems_total,
                    report.rows_total
                );
            }
            println!(
                "{} rows imported: {} new, {} updated",
                report.rows_total, report.inserted, report.updated
            );
            Ok(())
        }
        Command::Seed {
            employers,
            students,
            out,
            session_hours,
        } => {
            let started = std::time::Instant::now();
            let store = App::connect_store(&config).await?;
            let state = App::start(config.clone(), store.clone()).await?;
            let file = std::fs::File::create(&out)
                .with_context(|| format!("creating {}", out.display()))?;
            let mut writer = std::io::BufWriter::new(file);
            let spec = seed::SeedSpec {
                employers,
                students,
                session_secs: session_hours * 3600,
            };
            let report = seed::seed_fair(&state, &store, &spec, &mut writer).await?;
            println!(
                "fair {} (/f/{}): {} employers, {} students, sessions in {}; staff {} / {} ({:.1} s)",
                report.fair_id,
                report.entry_code,
                report.employers,
                report.students,
                out.display(),
                report.staff_email,
                seed::SEED_PASSWORD,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Outbox { limit } => {
            let store = App::connect_store(&config).await?;
            let messages = store.outbox_recent(limit).await?;
            if messages.is_empty() {
                println!("the outbox is empty");
            }
            for m in messages.iter().rev() {
                println!(
                    "#{} [{}] to {} ({}): {}{}",
                    m.id,
                    m.channel.as_str(),
                    m.recipient,
                    m.status.as_str(),
                    if m.subject.is_empty() {
                        String::new()
                    } else {
                        format!("{} — ", m.subject)
                    },
                    m.body
                );
            }
            Ok(())
        }
        Command::Demo => {
            let app = Application::build(config).await?;
            let info = app
                .state()
                .seed_demo()
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
            let addr = app.local_addr()?;
            let base = app
                .state()
                .config
                .http
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{addr}"));
            let mut text = String::from("\nfairhall demo data is ready.\n\nLogins:\n");
            for l in &info.logins {
                text.push_str(&format!(
                    "  {:<16} {:<32} {}\n",
                    l.role.as_str(),
                    l.login,
                    l.secret
                ));
            }
            text.push_str(&format!("\nDemo fair entry: {base}/f/{}\n", info.fair_code));
            text.push_str(&format!("Sign in at:      {base}/login\n"));
            serve(app, Some(text)).await
        }
    }
}

async fn serve(app: Application, banner: Option<String>) -> anyhow::Result<()> {
    let addr = app.local_addr()?;
    let token = app.shutdown_token();
    tokio::spawn(async move {
        shutdown_signal().await;
        token.cancel();
    });
    if let Some(text) = banner {
        println!("{text}");
    }
    tracing::info!(%addr, "fairhall listening on http://{addr}");
    app.run().await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("signal received");
}
