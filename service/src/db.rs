//! Connecting to SQLite or PostgreSQL and bringing the schema up to date.
//!
//! [`Db`] is the one handle the rest of the code gets. On SQLite it holds two pools: readers,
//! which only read (`PRAGMA query_only`), and a single writer connection that every write
//! statement and every transaction goes through, taking SQLite's write lock up front
//! (`BEGIN IMMEDIATE`). SQLite allows one writer at a time; queuing writers in order on that
//! one connection, instead of letting many connections fight in SQLite's busy handler, means
//! no write ever fails with "database is locked", and in WAL mode readers never wait for it.
//! On PostgreSQL they are two pools (16 readers, 8 writers), so that writers waiting for
//! row locks never take the connections reads need.

use std::path::Path;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    AccessMode, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction,
    DbBackend, DbErr, ExecResult, IsolationLevel, QueryResult, SqliteTransactionMode, Statement,
    TransactionError, TransactionOptions, TransactionTrait,
};

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

/// Connections that read at once from a SQLite file.
const SQLITE_READERS: u32 = 8;
/// PostgreSQL connections per server: for reads, and for writes and transactions.
const PG_READERS: u32 = 16;
const PG_WRITERS: u32 = 8;
/// How long a write waits for its turn on the writer before it gives up. Writes queue in
/// arrival order; each usually holds the writer for a few milliseconds.
const WRITE_QUEUE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long SQLite itself waits for a lock held by another process (a `portico` command run
/// beside the server, a backup).
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// One connection pool's use.
#[derive(Clone, Copy, Debug)]
pub struct PoolUse {
    pub name: &'static str,
    /// Connections open now.
    pub open: u32,
    /// Of those, waiting for work.
    pub idle: usize,
    /// The most it may open.
    pub max: u32,
}

/// The database handle: reads go to a pool of readers, writes and transactions to the
/// writer. Cheap to clone. Implements sea-orm's [`ConnectionTrait`] and
/// [`TransactionTrait`], so every service function takes it as it is.
#[derive(Clone, Debug)]
pub struct Db {
    read: DatabaseConnection,
    write: DatabaseConnection,
    backend: Backend,
}

impl Db {
    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection writes go through (also for migrations).
    pub fn writer(&self) -> &DatabaseConnection {
        &self.write
    }

    /// Checks that both the readers and the writer answer.
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.read.ping().await?;
        self.write.ping().await
    }

    /// How the readers' and the writer's connection pools are used (for `/metrics`).
    pub fn pool_use(&self) -> [PoolUse; 2] {
        let of = |name: &'static str, conn: &DatabaseConnection| match self.backend {
            Backend::Sqlite => {
                let p = conn.get_sqlite_connection_pool();
                PoolUse {
                    name,
                    open: p.size(),
                    idle: p.num_idle(),
                    max: p.options().get_max_connections(),
                }
            }
            Backend::Postgres => {
                let p = conn.get_postgres_connection_pool();
                PoolUse {
                    name,
                    open: p.size(),
                    idle: p.num_idle(),
                    max: p.options().get_max_connections(),
                }
            }
        };
        [of("read", &self.read), of("write", &self.write)]
    }

    /// Closes every connection.
    pub async fn close_by_ref(&self) -> Result<(), DbErr> {
        self.read.close_by_ref().await?;
        self.write.close_by_ref().await
    }

    /// Where a statement runs: plain `SELECT`s on a reader, everything else (including
    /// `INSERT … RETURNING`, which sea-orm sends as a query) on the writer.
    fn for_statement(&self, sql: &str) -> &DatabaseConnection {
        if is_read_only(sql) {
            &self.read
        } else {
            &self.write
        }
    }
}

impl Db {
    /// The statement as it is sent: on SQLite with its `LIMIT` written in (see
    /// [`inline_limits`]).
    fn prepared(&self, stmt: Statement) -> Statement {
        match self.backend {
            Backend::Sqlite => inline_limits(stmt),
            Backend::Postgres => stmt,
        }
    }
}

/// Writes the values of `LIMIT ?` into the SQL. SQLite (since 3.47) plans a statement with
/// the value bound to its `LIMIT` and so marks it to be prepared again whenever that parameter
/// is bound, which is every time it runs: a page's cached statements were parsed and planned
/// anew on every request, a tenth of a page render's CPU. Written in, the limit is part of the
/// statement's text and the cached statement is reused. Only whole non-negative integers are
/// written, and only when the placeholders and the values agree in number.
fn inline_limits(mut stmt: Statement) -> Statement {
    const MARK: &str = " LIMIT ?";
    let Some(values) = stmt.values.as_mut() else {
        return stmt;
    };
    if !stmt.sql.contains(MARK) || stmt.sql.matches('?').count() != values.0.len() {
        return stmt;
    }
    let mut search_end = stmt.sql.len();
    while let Some(at) = stmt.sql[..search_end].rfind(MARK) {
        search_end = at;
        let after = at + MARK.len();
        if stmt.sql[after..]
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != ')')
        {
            continue;
        }
        let index = stmt.sql[..at].matches('?').count();
        let limit = match values.0.get(index) {
            Some(sea_orm::Value::BigUnsigned(Some(n))) => Some(*n),
            Some(sea_orm::Value::Unsigned(Some(n))) => Some(u64::from(*n)),
            Some(sea_orm::Value::BigInt(Some(n))) => u64::try_from(*n).ok(),
            Some(sea_orm::Value::Int(Some(n))) => u64::try_from(*n).ok(),
            _ => None,
        };
        if let Some(n) = limit {
            stmt.sql.replace_range(at..after, &format!(" LIMIT {n}"));
            values.0.remove(index);
        }
    }
    stmt
}

/// Whether a statement only reads: it starts with `SELECT`.
fn is_read_only(sql: &str) -> bool {
    sql.trim_start()
        .get(..6)
        .is_some_and(|w| w.eq_ignore_ascii_case("select"))
}

#[async_trait::async_trait]
impl ConnectionTrait for Db {
    fn get_database_backend(&self) -> DbBackend {
        self.write.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.write.execute_raw(self.prepared(stmt)).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.write.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        let stmt = self.prepared(stmt);
        self.for_statement(&stmt.sql).query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        let stmt = self.prepared(stmt);
        self.for_statement(&stmt.sql).query_all_raw(stmt).await
    }
}

/// Transactions run on the writer and, on SQLite, take the write lock when they begin
/// (`BEGIN IMMEDIATE`): a transaction that reads and then writes can never find that
/// another connection wrote in between. A transaction asked to be read-only runs on a
/// reader.
#[async_trait::async_trait]
impl TransactionTrait for Db {
    type Transaction = DatabaseTransaction;

    async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        self.begin_with_options(TransactionOptions::default()).await
    }

    async fn begin_with_config(
        &self,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Result<DatabaseTransaction, DbErr> {
        self.begin_with_options(TransactionOptions {
            isolation_level,
            access_mode,
            sqlite_transaction_mode: None,
        })
        .await
    }

    async fn begin_with_options(
        &self,
        mut options: TransactionOptions,
    ) -> Result<DatabaseTransaction, DbErr> {
        if options.access_mode == Some(AccessMode::ReadOnly) {
            return self.read.begin_with_options(options).await;
        }
        if self.backend == Backend::Sqlite {
            options
                .sqlite_transaction_mode
                .get_or_insert(SqliteTransactionMode::Immediate);
        }
        self.write.begin_with_options(options).await
    }

    async fn transaction<F, T, E>(&self, callback: F) -> Result<T, TransactionError<E>>
    where
        F: for<'c> FnOnce(
                &'c DatabaseTransaction,
            )
                -> std::pin::Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>>
            + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        self.transaction_with_config(callback, None, None).await
    }

    async fn transaction_with_config<F, T, E>(
        &self,
        callback: F,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Result<T, TransactionError<E>>
    where
        F: for<'c> FnOnce(
                &'c DatabaseTransaction,
            )
                -> std::pin::Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>>
            + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        let txn = self
            .begin_with_config(isolation_level, access_mode)
            .await
            .map_err(TransactionError::Connection)?;
        match callback(&txn).await {
            Ok(value) => {
                txn.commit().await.map_err(TransactionError::Connection)?;
                Ok(value)
            }
            Err(e) => {
                txn.rollback().await.map_err(TransactionError::Connection)?;
                Err(TransactionError::Transaction(e))
            }
        }
    }
}

/// Opens the database. For SQLite the file's directory is created, the file runs in WAL mode
/// (readers never wait for the writer) with `synchronous = NORMAL`: a commit is in the WAL
/// file when it returns, so a killed process loses nothing it acknowledged (a power cut can
/// lose the last commits before a checkpoint, never corrupt the file).
pub async fn connect(url: &str) -> Result<Db, DbErr> {
    let backend = Backend::of(url).ok_or_else(|| {
        DbErr::Custom("the database URL must start with sqlite: or postgres://".into())
    })?;
    let base = |max: u32| {
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .sqlx_logging(false)
            .connect_timeout(Duration::from_secs(5))
            .acquire_timeout(Duration::from_secs(5))
            .max_connections(max)
            .min_connections(1);
        options
    };
    match backend {
        Backend::Postgres => {
            // Writers get connections of their own, so that however many are waiting for
            // row locks, reads always find a free connection.
            let mut writer = base(PG_WRITERS);
            writer.acquire_timeout(WRITE_QUEUE_TIMEOUT);
            let write = Database::connect(writer).await?;
            let read = Database::connect(base(PG_READERS)).await?;
            Ok(Db {
                read,
                write,
                backend,
            })
        }
        Backend::Sqlite => {
            let Some(file) = sqlite_file(url) else {
                // An in-memory database lives in its one connection.
                let mut options = base(1);
                options.map_sqlx_sqlite_opts(|o| o.foreign_keys(true));
                let pool = Database::connect(options).await?;
                return Ok(Db {
                    read: pool.clone(),
                    write: pool,
                    backend,
                });
            };
            if let Some(dir) = file.parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir)
                    .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", dir.display())))?;
            }
            // The writer first: it creates the file and switches it to WAL for good.
            let mut writer = base(1);
            writer
                .acquire_timeout(WRITE_QUEUE_TIMEOUT)
                .map_sqlx_sqlite_opts(|o| {
                    o.foreign_keys(true)
                        .busy_timeout(SQLITE_BUSY_TIMEOUT)
                        .journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Normal)
                });
            let write = Database::connect(writer).await?;
            let mut reader = base(SQLITE_READERS);
            reader.map_sqlx_sqlite_opts(|o| {
                o.foreign_keys(true)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .pragma("query_only", "ON")
            });
            let read = Database::connect(reader).await?;
            Ok(Db {
                read,
                write,
                backend,
            })
        }
    }
}

/// Applies every pending migration.
/// On PostgreSQL the servers of a cluster may start together: one migrates while the others
/// wait on an advisory lock (held by a connection of its own), then find nothing to do.
pub async fn migrate(db: &Db) -> Result<(), DbErr> {
    if db.backend != Backend::Postgres {
        return Migrator::up(db.writer(), None).await;
    }
    const MIGRATION_LOCK: i64 = 0x504f_5254_4943_4f31; // "PORTICO1"
    let lock_err = |e: sea_orm::sqlx::Error| DbErr::Custom(format!("migration lock: {e}"));
    let mut holder = db
        .write
        .get_postgres_connection_pool()
        .acquire()
        .await
        .map_err(lock_err)?;
    sea_orm::sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *holder)
        .await
        .map_err(lock_err)?;
    let result = Migrator::up(db.writer(), None).await;
    sea_orm::sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *holder)
        .await
        .map_err(lock_err)?;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_written_into_sqlite_statements() {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};
        let values = |s: &Statement| s.values.as_ref().map(|v| v.0.len()).unwrap_or(0);
        let stmt = entity::article::Entity::find()
            .filter(entity::article::Column::Id.gt(5))
            .limit(20)
            .offset(40)
            .build(DbBackend::Sqlite);
        assert_eq!(values(&stmt), 3);
        let inlined = inline_limits(stmt);
        assert!(
            inlined.sql.ends_with(" LIMIT 20 OFFSET ?"),
            "{}",
            inlined.sql
        );
        assert_eq!(values(&inlined), 2);
        assert_eq!(
            inlined.values.as_ref().map(|v| v.0[1].clone()),
            Some(sea_orm::Value::BigUnsigned(Some(40)))
        );
        // A string that holds a question mark is bound, not written: nothing to confuse.
        let stmt = entity::article::Entity::find()
            .filter(entity::article::Column::Title.eq("为什么？?"))
            .limit(1)
            .build(DbBackend::Sqlite);
        let inlined = inline_limits(stmt);
        assert!(inlined.sql.ends_with(" LIMIT 1"), "{}", inlined.sql);
        assert_eq!(values(&inlined), 1);
        // Without a LIMIT nothing changes.
        let stmt = entity::article::Entity::find().build(DbBackend::Sqlite);
        assert_eq!(inline_limits(stmt.clone()).sql, stmt.sql);
    }

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

    #[test]
    fn only_selects_go_to_the_readers() {
        assert!(is_read_only("SELECT 1"));
        assert!(is_read_only("  select * from articles"));
        assert!(!is_read_only("INSERT INTO a VALUES (1) RETURNING id"));
        assert!(!is_read_only("UPDATE a SET b = 1 RETURNING b"));
        assert!(!is_read_only("WITH x AS (SELECT 1) DELETE FROM a"));
        assert!(!is_read_only("SEL"));
    }

    /// Many writers at once on one SQLite file: every transaction that reads and then writes
    /// succeeds, none fails with "database is locked", and reads go on meanwhile.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_sqlite_writers_never_fail() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("w.db").display());
        let db = connect(&url).await.expect("connect");
        db.execute_unprepared("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
            .await
            .expect("create");
        db.execute_unprepared("INSERT INTO counter (id, n) VALUES (1, 0)")
            .await
            .expect("insert");
        let mut tasks = Vec::new();
        for _ in 0..64 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                for _ in 0..5 {
                    let txn = db.begin().await?;
                    let row = txn
                        .query_one_raw(Statement::from_string(
                            DbBackend::Sqlite,
                            "SELECT n FROM counter WHERE id = 1",
                        ))
                        .await?
                        .ok_or_else(|| DbErr::Custom("no row".into()))?;
                    let n: i64 = row.try_get("", "n")?;
                    tokio::task::yield_now().await;
                    txn.execute_unprepared(&format!(
                        "UPDATE counter SET n = {} WHERE id = 1",
                        n + 1
                    ))
                    .await?;
                    txn.commit().await?;
                    // A read between writes, on a reader.
                    db.query_one_raw(Statement::from_string(
                        DbBackend::Sqlite,
                        "SELECT n FROM counter WHERE id = 1",
                    ))
                    .await?;
                }
                Ok::<(), DbErr>(())
            }));
        }
        for t in tasks {
            t.await.expect("task").expect("every write succeeds");
        }
        let row = db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT n FROM counter WHERE id = 1",
            ))
            .await
            .expect("read")
            .expect("row");
        let n: i64 = row.try_get("", "n").expect("n");
        assert_eq!(n, 64 * 5, "no increment was lost");
    }

    /// The readers cannot write: a write that did not go through the writer fails loudly.
    #[tokio::test]
    async fn readers_refuse_writes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("r.db").display());
        let db = connect(&url).await.expect("connect");
        db.execute_unprepared("CREATE TABLE t (id INTEGER PRIMARY KEY)")
            .await
            .expect("create");
        let err = db
            .read
            .execute_unprepared("INSERT INTO t (id) VALUES (1)")
            .await;
        assert!(err.is_err(), "a reader wrote");
    }
}
