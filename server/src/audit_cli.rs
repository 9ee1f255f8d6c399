//! `portico audit verify|archive|export`: the auditor's tools on the command line.

use std::io::{BufReader, BufWriter};
use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use std::io::Write;

use service::audit::{Actor, Filter, archive, chain};

use crate::config::Settings;
use crate::startup::connect_and_migrate;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain of every row (and of the archives given, oldest first). Exits
    /// with status 0 only when everything is intact; otherwise prints the first broken link.
    Verify {
        /// Archive files made by `audit archive`, oldest first.
        archives: Vec<PathBuf>,
    },
    /// Move the rows older than BEFORE (YYYY-MM-DD, at least the retention period ago) to a
    /// signed archive file, then remove them from the database.
    Archive {
        #[arg(long)]
        before: String,
        /// The archive to write (it must not exist yet).
        #[arg(long)]
        out: PathBuf,
    },
    /// After the installation key is lost (no server starts: the log is sealed with another
    /// key), start a new chain with this installation's key. The rows sealed with the lost key
    /// stay in the database but can never be verified; the restart is the new chain's first
    /// row, and `verify` names it every time.
    NewChain {
        /// Why (recorded in the restart row), e.g. "密钥文件随旧服务器一起损毁".
        #[arg(long)]
        reason: String,
    },
    /// Write the log (or part of it) as CSV or JSON lines.
    Export {
        /// `csv` or `jsonl`.
        #[arg(long, default_value = "csv", value_parser = ["csv", "jsonl"])]
        format: String,
        /// Only rows from this day on (YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
        /// Only rows before this day (YYYY-MM-DD).
        #[arg(long)]
        until: Option<String>,
        /// The file to write [default: standard output].
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// A day at midnight in the site's time zone.
fn day(text: &str, tz: chrono_tz::Tz) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    let d = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .with_context(|| format!("{text:?} is not a date (YYYY-MM-DD)"))?;
    let local = d
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(tz).earliest())
        .context("no such time in the site's time zone")?;
    Ok(local.with_timezone(&chrono::Utc))
}

pub async fn run(settings: &Settings, command: AuditCommand) -> anyhow::Result<()> {
    let db = match &command {
        // Not `connect_and_migrate`: that refuses a log sealed with another key.
        AuditCommand::NewChain { .. } => {
            let db = service::db::connect(&settings.database_url).await?;
            service::db::migrate(&db).await?;
            db
        }
        _ => connect_and_migrate(&settings.database_url).await?,
    };
    match command {
        AuditCommand::NewChain { reason } => {
            let r = chain::restart_after_lost_key(&db, &reason)
                .await
                .map_err(|e| anyhow::anyhow!(e.reader_message()))?;
            println!(
                "started a new audit chain with key {} after row {}; the {} rows sealed with the lost key {} can no longer be verified",
                r.new_key, r.through_seq, r.stranded, r.old_key
            );
        }
        AuditCommand::Verify { archives } => {
            let mut files = Vec::new();
            for path in &archives {
                let f = std::fs::File::open(path)
                    .with_context(|| format!("cannot open {}", path.display()))?;
                match archive::verify_file(BufReader::new(f)) {
                    Ok(a) => {
                        println!(
                            "{}: rows {} to {} intact ({} rows)",
                            path.display(),
                            a.from_seq,
                            a.through_seq,
                            a.rows
                        );
                        files.push(a);
                    }
                    Err(e) => {
                        println!("{}: BROKEN: {}", path.display(), e.reader_message());
                        std::process::exit(1);
                    }
                }
            }
            let verdict = chain::verify(&db).await.map_err(|e| anyhow::anyhow!(e))?;
            if let Err(e) = archive::check_sequence(&files, &verdict) {
                println!("BROKEN: {}", e.reader_message());
                std::process::exit(1);
            }
            for restart in &verdict.restarts {
                println!("note: the chain was restarted after a lost key: {restart}");
            }
            match &verdict.broken {
                None => println!(
                    "audit log intact: {} rows checked (rows {} to {}), head {}",
                    verdict.checked,
                    verdict.first_seq,
                    verdict.head_seq,
                    if verdict.head_hash.is_empty() {
                        "-"
                    } else {
                        &verdict.head_hash
                    }
                ),
                Some(b) => {
                    println!(
                        "BROKEN at row {}: {} ({} rows checked before it)",
                        b.seq.map_or("-".to_owned(), |s| s.to_string()),
                        b.what,
                        verdict.checked
                    );
                    std::process::exit(1);
                }
            }
        }
        AuditCommand::Archive { before, out } => {
            let before = day(&before, settings.time_zone)?;
            let policy = service::security::policy(&db)
                .await
                .map_err(|e| anyhow::anyhow!(e))?;
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&out)
                .with_context(|| format!("cannot create {}", out.display()))?;
            let result = archive::archive(
                &db,
                &Actor::system("command-line"),
                archive::Cutoff {
                    before,
                    keep_days: i64::from(policy.audit_keep_days),
                    now: chrono::Utc::now(),
                },
                BufWriter::new(file),
            )
            .await;
            match result {
                Ok(a) => println!(
                    "archived rows {} to {} ({} rows) to {}; keep this file with the key",
                    a.from_seq,
                    a.through_seq,
                    a.rows,
                    out.display()
                ),
                Err(e) => {
                    let _ = std::fs::remove_file(&out);
                    anyhow::bail!("{}", e.reader_message());
                }
            }
        }
        AuditCommand::Export {
            format,
            since,
            until,
            out,
        } => {
            let filter = Filter {
                since: since
                    .as_deref()
                    .map(|d| day(d, settings.time_zone))
                    .transpose()?,
                until: until
                    .as_deref()
                    .map(|d| day(d, settings.time_zone))
                    .transpose()?,
                ..Filter::default()
            };
            let format = if format == "jsonl" {
                archive::Format::JsonLines
            } else {
                archive::Format::Csv
            };
            let mut writer: Box<dyn std::io::Write + Send> = match &out {
                Some(path) => Box::new(BufWriter::new(
                    std::fs::File::create(path)
                        .with_context(|| format!("cannot create {}", path.display()))?,
                )),
                None => Box::new(BufWriter::new(std::io::stdout())),
            };
            let n = archive::export(&db, &filter, format, settings.time_zone, &mut writer)
                .await
                .map_err(|e| anyhow::anyhow!(e))?;
            writer.flush()?;
            eprintln!("exported {n} rows");
        }
    }
    Ok(())
}
