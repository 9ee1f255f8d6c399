//! `portico [serve|migrate|seed-demo|create-admin|audit|security|security-check|reindex|backup|restore|move-to|import|bench-data]`.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::startup::{Application, connect_and_migrate, open_stores, seed_demo};
use crate::telemetry;
use entity::user::Role;
use service::audit::Actor;

/// Portico: the news portal and content management system of the China Association of
/// Development Zones.
#[derive(Debug, Parser)]
#[command(name = "portico", version, about, long_about = None)]
pub struct Cli {
    /// The configuration file [default: Leptos.toml in the current directory, if present].
    /// Every key can be overridden by an environment variable (see the file's comments).
    #[arg(long, global = true, env = "PORTICO_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default): migrate the database, seed the demo content into an
    /// empty database (unless disabled), then serve the site.
    Serve {
        /// Do not seed demo content, even into an empty database (same as PORTICO_SEED_DEMO=false).
        #[arg(long)]
        no_seed: bool,
    },
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Migrate, then seed the demo content if the database is empty, then exit.
    SeedDemo,
    /// Create a staff account (the first administrator, for instance). The password is read
    /// from PORTICO_ADMIN_PASSWORD, or asked for twice on the terminal.
    CreateAdmin {
        /// The login name: 3 to 50 letters, digits, `_`, `-`, `.`.
        #[arg(long)]
        username: String,
        /// The name shown in the back office [default: the username].
        #[arg(long, default_value = "")]
        display_name: String,
        /// `sysadmin` (系统管理员: users, settings, columns, storage and the content),
        /// `secadmin` (安全管理员: the security policy), `auditor` (审计管理员: the audit log),
        /// `admin` (管理员: all three, only while the separation of duties is off),
        /// `editor` (content: writes, reviews, publishes) or `writer` (撰稿人: writes and
        /// submits for review).
        #[arg(long, default_value = "sysadmin", value_parser = ["sysadmin", "secadmin", "auditor", "admin", "editor", "writer"])]
        role: String,
        /// The password is for someone else: they must choose their own at the first sign-in.
        #[arg(long)]
        must_change_password: bool,
    },
    /// The audit log: verify its hash chain, archive old rows to a signed file, export it.
    #[command(subcommand)]
    Audit(crate::audit_cli::AuditCommand),
    /// The security policy: show it, change settings, run the self-check, rotate the
    /// personal-data key, apply the retention period.
    #[command(subcommand)]
    Security(crate::security_cli::SecurityCommand),
    /// 站群: list the sites of this installation, or make one.
    #[command(subcommand)]
    Site(crate::site_cli::SiteCommand),
    /// 等保自查 (the same as `security check`): one line per control with the levels met; with
    /// --level, exits with status 1 when a control does not meet that level.
    SecurityCheck {
        #[arg(long, value_parser = ["2", "3"])]
        level: Option<String>,
    },
    /// Rebuild the search index from the content (safe while the site is serving: it works
    /// in small transactions, and the old entries answer searches until replaced).
    Reindex,
    /// Write one archive of the whole site (every table and every stored file) to FILE,
    /// consistently while the site is serving.
    Backup {
        /// The archive to write (e.g. portico-2026-12-05.tar.gz); replaced once complete.
        file: PathBuf,
    },
    /// Load an archive made by `backup` into the configured database and storage, which must
    /// be empty. The whole archive is checked before anything is written.
    Restore {
        file: PathBuf,
        /// Replace the rows of a database that is not empty (its files stay; files of the
        /// same name are overwritten).
        #[arg(long)]
        force: bool,
    },
    /// Copy this site (the configured database and storage) to another database and,
    /// optionally, other storage, then compare the two: the way from SQLite and a local
    /// directory to PostgreSQL and S3 (or back). Changes made after its snapshot are not
    /// copied, so stop editing first; then point the configuration at the new place.
    MoveTo {
        /// The target database: postgres://USER@HOST/DB or sqlite://PATH?mode=rwc (empty).
        #[arg(long)]
        database: String,
        /// The target storage: s3://bucket/prefix or file:///directory [default: the
        /// configured storage, unchanged].
        #[arg(long)]
        storage: Option<String>,
        /// The S3 server of the target storage (e.g. http://127.0.0.1:8333).
        #[arg(long, env = "PORTICO_S3_ENDPOINT")]
        endpoint: Option<String>,
        #[arg(long, env = "PORTICO_S3_REGION", default_value = "us-east-1")]
        region: String,
        /// Path-style S3 requests (most self-hosted servers need them).
        #[arg(long, env = "PORTICO_S3_PATH_STYLE")]
        path_style: bool,
        /// Where the intermediate archive goes [default: the system's temporary directory].
        #[arg(long)]
        work_dir: Option<PathBuf>,
    },
    /// Move an existing site in: columns, articles, single pages, notices and pictures from
    /// another CMS, with every old address answered by a redirect to its new one. Safe to
    /// run again: what did not change is skipped, what changed is updated, an interrupted
    /// run picks up where it stopped. The report is printed and saved beside SOURCE.
    Import(crate::import::ImportArgs),
    /// For benchmarks: how long saving an article takes, and how much of it is the search
    /// index (COUNT saves of a demo article through the editor's save, then COUNT index
    /// writes of it alone).
    BenchSave {
        #[arg(long, default_value_t = 200)]
        count: u32,
    },
    /// For benchmarks: seed the demo content if needed, then add ARTICLES synthetic
    /// published articles.
    BenchData {
        /// How many articles to add.
        #[arg(long, default_value_t = 100_000)]
        articles: u64,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = Settings::load(cli.config.as_deref())?;
    telemetry::init(&settings.log);
    crate::startup::install_secret(&settings)?;
    match cli.command.unwrap_or(Command::Serve { no_seed: false }) {
        Command::Serve { no_seed } => {
            if no_seed {
                settings.seed_demo = false;
            }
            let app = Application::build(settings).await?;
            tracing::info!("Portico is listening on http://{}", app.address());
            app.run_until_stopped().await.context("server stopped")?;
        }
        Command::Migrate => {
            connect_and_migrate(&settings.database_url).await?;
            println!("database is up to date");
        }
        Command::SeedDemo => {
            let db = connect_and_migrate(&settings.database_url).await?;
            match seed_demo(&db, &open_stores(&settings)?, &settings).await? {
                Some(r) => println!(
                    "seeded {} columns, {} articles, {} images, {} notices, {} links",
                    r.columns, r.articles, r.images, r.notices, r.links
                ),
                None => println!("the database already has content; nothing seeded"),
            }
        }
        Command::CreateAdmin {
            username,
            display_name,
            role,
            must_change_password,
        } => {
            let password = read_password()?;
            let db = connect_and_migrate(&settings.database_url).await?;
            let role = service::security::parse_role(&role).unwrap_or(Role::SysAdmin);
            let passwords = service::password::Passwords::start()?;
            let user = service::auth::create_user(
                &db,
                &passwords,
                &Actor::system("command-line"),
                service::auth::NewAccount {
                    username: &username,
                    display_name: &display_name,
                    password: &password,
                    role,
                    must_change_password,
                },
            )
            .await
            .map_err(|e| match e {
                service::Error::Invalid(m) => anyhow::anyhow!(m),
                other => anyhow::anyhow!(other),
            })?;
            println!(
                "created {} {} (id {}); sign in at /admin/login",
                service::auth::role_label(user.role),
                user.username,
                user.id
            );
        }
        Command::Audit(command) => crate::audit_cli::run(&settings, command).await?,
        Command::Security(command) => crate::security_cli::run(&settings, command).await?,
        Command::Site(command) => crate::site_cli::run(&settings, command).await?,
        Command::SecurityCheck { level } => {
            crate::security_cli::run(
                &settings,
                crate::security_cli::SecurityCommand::Check { level },
            )
            .await?
        }
        Command::Reindex => {
            let db = connect_and_migrate(&settings.database_url).await?;
            reindex(&db).await?;
        }
        Command::Backup { file } => {
            let db = connect_and_migrate(&settings.database_url).await?;
            crate::backup::backup(&db, &open_stores(&settings)?, &file).await?;
        }
        Command::Restore { file, force } => {
            let db = connect_and_migrate(&settings.database_url).await?;
            crate::backup::restore(&db, &open_stores(&settings)?, &file, force).await?;
        }
        Command::MoveTo {
            database,
            storage,
            endpoint,
            region,
            path_style,
            work_dir,
        } => {
            let target = match storage {
                Some(url) => service::storage::Location::parse(
                    &url,
                    endpoint.as_deref(),
                    &region,
                    path_style,
                )
                .map_err(|e| anyhow::anyhow!("--storage: {e}"))?,
                None => settings.storage.clone(),
            };
            crate::backup::move_to(&settings, &database, &target, work_dir.as_deref()).await?;
        }
        Command::Import(args) => crate::import::import(&settings, args).await?,
        Command::BenchSave { count } => {
            let db = connect_and_migrate(&settings.database_url).await?;
            seed_demo(&db, &open_stores(&settings)?, &settings).await?;
            bench_save(&db, count).await?;
        }
        Command::BenchData { articles } => {
            let db = connect_and_migrate(&settings.database_url).await?;
            seed_demo(&db, &open_stores(&settings)?, &settings).await?;
            let started = std::time::Instant::now();
            let n = service::synth::generate(&db, articles)
                .await
                .context("generating the synthetic articles failed")?;
            println!(
                "added {n} articles in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            reindex(&db).await?;
        }
    }
    Ok(())
}

/// Times `count` saves of the first demo article and `count` search-index writes of it.
async fn bench_save(db: &service::db::Db, count: u32) -> anyhow::Result<()> {
    use sea_orm::{EntityTrait, TransactionTrait};
    let article = entity::article::Entity::find_by_id(1)
        .one(db)
        .await?
        .context("no article 1: seed the demo content first")?;
    let actor = Actor::system("bench-save");
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let mut saves = Vec::new();
    for i in 0..count.max(1) {
        let mut input = service::editorial::ArticleInput::from_model(&article);
        input.body = format!("{}<p>修订 {i}</p>", article.body);
        let started = std::time::Instant::now();
        service::editorial::save(db, &actor, Some(article.id), input)
            .await
            .map_err(|e| anyhow::anyhow!(e))?;
        saves.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let mut indexes = Vec::new();
    for _ in 0..count.max(1) {
        // Timed inside the transaction: in a save the index shares the save's commit.
        let txn = db.begin().await?;
        let started = std::time::Instant::now();
        service::search::index_article(&txn, &article)
            .await
            .map_err(|e| anyhow::anyhow!(e))?;
        indexes.push(started.elapsed().as_secs_f64() * 1000.0);
        txn.commit().await?;
    }
    // PostgreSQL: what the saves left in the GIN index's pending list, merged as the servers
    // do every minute, off the save path.
    let started = std::time::Instant::now();
    service::search::tidy(db)
        .await
        .map_err(|e| anyhow::anyhow!(e))?;
    let merge = started.elapsed().as_secs_f64() * 1000.0 / f64::from(count.max(1) * 2);
    let (save, index) = (median(saves), median(indexes));
    println!(
        "article of {} characters: save {save:.2} ms (median of {count}), of which the search \
         index {index:.2} ms alone: +{:.0}% over the save without it; merging into the \
         index afterwards (every minute, off the save path): {merge:.2} ms per save",
        article.body.chars().count(),
        100.0 * index / (save - index).max(0.001)
    );
    Ok(())
}

/// Rebuilds the search index, showing progress on stderr.
async fn reindex(db: &service::db::Db) -> anyhow::Result<()> {
    use std::io::Write;
    let started = std::time::Instant::now();
    let mut last_shown = std::time::Instant::now();
    let n = service::search::rebuild(db, |done, total| {
        if last_shown.elapsed().as_millis() >= 500 || done == total {
            last_shown = std::time::Instant::now();
            let mut err = std::io::stderr();
            let _ = write!(err, "\rindexing {done}/{total} documents");
            let _ = err.flush();
        }
    })
    .await
    .context("rebuilding the search index failed")?;
    eprintln!();
    println!(
        "indexed {n} documents in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if let Ok(Some(bytes)) = service::search::size_bytes(db).await {
        println!("search index: {:.1} MB", bytes as f64 / 1_048_576.0);
    }
    Ok(())
}

/// The new account's password: PORTICO_ADMIN_PASSWORD, or typed twice without echo.
fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("PORTICO_ADMIN_PASSWORD") {
        return Ok(p);
    }
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "set PORTICO_ADMIN_PASSWORD or run create-admin in a terminal to type the password"
        );
    }
    let first = rpassword::prompt_password(
        "password (at least 10 characters, three of: lower case, upper case, digits, others): ",
    )?;
    let second = rpassword::prompt_password("again: ")?;
    if first != second {
        anyhow::bail!("the two passwords differ");
    }
    Ok(first)
}
