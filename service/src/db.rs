//! Connecting to SQLite or PostgreSQL and bringing the schema up to date.

use std::path::Path;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

/// Which database a URL points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// The file a `sqlite:` URL names, if it names one (not `:memory:`).
pub fn sqlite_file(url: &str) -> Option<&Path> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.contains(":memory:") {
        None
    } else {
        Some(Path::new(path))
    }
}

/// Opens a connection pool. For SQLite the file's directory is created, and the database runs
/// in WAL mode so that readers never wait for the hit-count writer.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let backend = Backend::of(url).ok_or_else(|| {
        DbErr::Custom("the database URL must start with sqlite: or postgres://".into())
    })?;
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5));
    match backend {
        Backend::Sqlite => {
            if let Some(file) = sqlite_file(url)
                && let Some(dir) = file.parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir)
                    .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", dir.display())))?;
            }
            let in_memory = sqlite_file(url).is_none();
            options
                .max_connections(if in_memory { 1 } else { 8 })
                .min_connections(1)
                .map_sqlx_sqlite_opts(move |o| {
                    let o = o.foreign_keys(true).busy_timeout(Duration::from_secs(5));
                    if in_memory {
                        o
                    } else {
                        o.journal_mode(SqliteJournalMode::Wal)
                            .synchronous(SqliteSynchronous::Normal)
                    }
                });
        }
        Backend::Postgres => {
            options.max_connections(16).min_connections(1);
        }
    }
    Database::connect(options).await
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_backends() {
        assert_eq!(
            Backend::of("sqlite://data/x.db?mode=rwc"),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::of("postgres://localhost/test"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::of("mysql://localhost/test"), None);
    }

    #[test]
    fn finds_the_sqlite_file() {
        assert_eq!(
            sqlite_file("sqlite://data/x.db?mode=rwc"),
            Some(Path::new("data/x.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:///tmp/a.db"),
            Some(Path::new("/tmp/a.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://x"), None);
    }
}
