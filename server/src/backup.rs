//! The `backup`, `restore` and `move-to` commands: progress on stderr, results on stdout.
//! The work itself is `service::backup`.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use service::backup::{FileCount, Manifest, Progress};
use service::db::Db;
use service::storage::{Location, Stores};

use crate::config::Settings;
use crate::startup::{connect_and_migrate, open_stores, redact};

/// Shows progress on stderr: on a terminal one line rewritten at most every 200 ms,
/// otherwise (a log, a pipe) a line every 5 seconds.
struct Shown {
    last: Instant,
    started: Instant,
    terminal: bool,
}

impl Shown {
    fn new() -> Shown {
        use std::io::IsTerminal;
        Shown {
            last: Instant::now(),
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn show(&mut self, p: Progress) {
        let line = match p {
            Progress::Step(s) => {
                if self.terminal {
                    eprint!("\r\x1b[K");
                }
                eprintln!("{s}");
                return;
            }
            Progress::Rows { table, rows, total } if total > 0 => {
                format!("{table}: {rows}/{total} rows")
            }
            Progress::Rows { table, rows, .. } => format!("{table}: {rows} rows"),
            Progress::Files {
                store,
                files,
                total,
                bytes,
            } => format!("{store} files: {files}/{total} ({})", mb(bytes)),
        };
        let every = if self.terminal { 200 } else { 5000 };
        if self.last.elapsed().as_millis() >= every {
            self.last = Instant::now();
            let mut err = std::io::stderr();
            let _ = if self.terminal {
                write!(err, "\r\x1b[K{line}")
            } else {
                writeln!(err, "{line}")
            };
            let _ = err.flush();
        }
    }

    fn done(&self) -> f64 {
        if self.terminal {
            eprint!("\r\x1b[K");
        }
        self.started.elapsed().as_secs_f64()
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_048_576.0)
}

fn rows_total(m: &Manifest) -> u64 {
    m.tables.iter().map(|t| t.1).sum()
}

fn anyhow_of(e: service::Error) -> anyhow::Error {
    match e {
        service::Error::Invalid(m) => anyhow::anyhow!(m),
        other => anyhow::anyhow!(other),
    }
}

/// `portico backup FILE`.
pub async fn backup(db: &Db, stores: &Stores, file: &Path) -> anyhow::Result<Manifest> {
    let mut shown = Shown::new();
    let m = service::backup::backup(db, stores, file, |p| shown.show(p))
        .await
        .map_err(anyhow_of)
        .with_context(|| format!("backup to {} failed", file.display()))?;
    let secs = shown.done();
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!(
        "wrote {}: {} rows in {} tables, {} + {} files ({}), {} in {secs:.1} s; snapshot of {}",
        file.display(),
        rows_total(&m),
        m.tables.len(),
        m.media.files,
        m.private.files,
        mb(m.media.bytes + m.private.bytes),
        mb(size),
        m.made_at.format("%Y-%m-%d %H:%M:%S UTC")
    );
    Ok(m)
}

/// `portico restore FILE [--force]`.
pub async fn restore(
    db: &Db,
    stores: &Stores,
    file: &Path,
    force: bool,
) -> anyhow::Result<Manifest> {
    let mut shown = Shown::new();
    let m = service::backup::restore(db, stores, file, force, |p| shown.show(p))
        .await
        .map_err(anyhow_of)
        .with_context(|| format!("restore of {} failed", file.display()))?;
    let secs = shown.done();
    println!(
        "restored {}: {} rows, {} + {} files ({}) in {secs:.1} s (snapshot of {}); staff \
         sign in again",
        file.display(),
        rows_total(&m),
        m.media.files,
        m.private.files,
        mb(m.media.bytes + m.private.bytes),
        m.made_at.format("%Y-%m-%d %H:%M:%S UTC")
    );
    Ok(m)
}

/// What two sites hold, table by table and store by store.
struct Census {
    rows: Vec<(String, u64)>,
    media: FileCount,
    private: FileCount,
}

async fn census(db: &Db, stores: &Stores) -> anyhow::Result<Census> {
    Ok(Census {
        rows: service::backup::row_counts(db).await.map_err(anyhow_of)?,
        media: service::backup::file_count(&stores.media)
            .await
            .map_err(anyhow_of)?,
        private: service::backup::file_count(&stores.private)
            .await
            .map_err(anyhow_of)?,
    })
}

/// `portico move-to --database URL [--storage URL]`: a backup of this site restored into the
/// target, then both counted. Fails (after printing the differences) unless every table's
/// rows and every store's files and bytes are equal.
pub async fn move_to(
    settings: &Settings,
    database: &str,
    storage: &Location,
    work_dir: Option<&Path>,
) -> anyhow::Result<()> {
    if service::db::Backend::of(database).is_none() {
        anyhow::bail!("--database: expected a sqlite:// or postgres:// URL");
    }
    if database == settings.database_url && *storage == settings.storage {
        anyhow::bail!("the target is this site itself");
    }
    let source_db = connect_and_migrate(&settings.database_url).await?;
    let source_stores = open_stores(settings)?;
    let target_db = connect_and_migrate(database).await?;
    let target_stores = Stores::open(storage)
        .with_context(|| format!("cannot open the target storage ({})", storage.describe()))?;

    let dir = work_dir.map_or_else(std::env::temp_dir, Path::to_path_buf);
    let archive = dir.join(format!("portico-move-{}.tar.gz", std::process::id()));
    struct Remove<'a>(&'a Path);
    impl Drop for Remove<'_> {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(self.0);
        }
    }
    let _remove = Remove(&archive);
    eprintln!("1/3 backing up this site");
    let made = backup(&source_db, &source_stores, &archive).await?;
    eprintln!("2/3 restoring into the target");
    restore(&target_db, &target_stores, &archive, false).await?;
    eprintln!("3/3 comparing");
    let there = census(&target_db, &target_stores).await?;

    let mut same = true;
    println!("{:<24} {:>12} {:>12}", "", "snapshot", "target");
    for ((table, want), (_, got)) in made.tables.iter().zip(&there.rows) {
        let mark = if want == got { "" } else { "  <- differs" };
        same &= want == got;
        println!("{table:<24} {want:>12} {got:>12}{mark}");
    }
    for (label, want, got) in [
        ("media files", made.media, there.media),
        ("private files", made.private, there.private),
    ] {
        // Files already in a target store would show as more there.
        let mark = if want == got { "" } else { "  <- differs" };
        same &= want == got;
        println!(
            "{label:<24} {:>12} {:>12}{mark}\n{:<24} {:>12} {:>12}",
            want.files, got.files, "  bytes", want.bytes, got.bytes
        );
    }
    if !same {
        anyhow::bail!("the target differs from the snapshot (see above)");
    }
    println!(
        "moved: the target holds the site as of {}. Sessions were not copied (staff sign in \
         again). Now set [database] url = \"{}\"{} in Leptos.toml (or the environment) and \
         restart the servers.",
        made.made_at.format("%Y-%m-%d %H:%M:%S UTC"),
        redact(database),
        match storage {
            Location::S3(s) => format!(
                " and [storage] url = \"s3://{}/{}\", endpoint, path-style",
                s.bucket, s.prefix
            ),
            Location::Local { .. } if *storage != settings.storage => {
                " and the storage directories".to_owned()
            }
            Location::Local { .. } => String::new(),
        }
    );
    Ok(())
}
