//! Loading a checked archive: the rows in one transaction, then the files, then the
//! search index and the id sequences.

use super::*;

/// Rows and files already in the target, as a sentence (`None` when it is empty).
async fn existing(db: &Db, stores: &Stores) -> Result<Option<String>> {
    let mut found = Vec::new();
    for (table, n) in row_counts(db).await? {
        // The settings row and the forms' key are made on first start of any server, and
        // the audit chain's head, the main site and its settings by the migrations.
        let made_by_migrations = (table == table_name::<site::Entity>() && n == 1)
            || table == table_name::<site_setting::Entity>()
            || table == table_name::<site_value::Entity>()
            || table == table_name::<audit_head::Entity>();
        if n > 0 && !made_by_migrations {
            found.push(format!("{n} rows in {table}"));
        }
    }
    for (label, store) in [("media", &stores.media), ("private", &stores.private)] {
        let c = file_count(store).await?;
        if c.files > 0 {
            found.push(format!("{} files in the {label} storage", c.files));
        }
    }
    Ok((!found.is_empty()).then(|| found.join(", ")))
}

/// Empties the archived tables (children first), and the sessions and sign-in throttles
/// that point at the accounts.
async fn clear(txn: &DatabaseTransaction) -> Result<()> {
    session::Entity::delete_many().exec(txn).await?;
    login_throttle::Entity::delete_many().exec(txn).await?;
    // The audit rows are replaced by the archive's, whose chain the archive's head names:
    // the rows here are let go as if archived (the operator restoring is at the machine).
    audit_head::Entity::update_many()
        .col_expr(
            audit_head::Column::ArchivedSeq,
            sea_orm::sea_query::Expr::value(i64::MAX),
        )
        .exec(txn)
        .await?;
    // Columns point at their parents: unlinked before any is deleted.
    column::Entity::update_many()
        .col_expr(
            column::Column::ParentId,
            sea_orm::sea_query::Expr::value(Option::<i32>::None),
        )
        .exec(txn)
        .await?;
    for table in table_names().iter().rev() {
        txn.execute_unprepared(&format!("DELETE FROM \"{table}\""))
            .await?;
    }
    Ok(())
}

async fn insert_rows<E>(txn: &DatabaseTransaction, bytes: &[u8]) -> Result<u64>
where
    E: EntityTrait,
    E::Model: DeserializeOwned + IntoActiveModel<E::ActiveModel>,
{
    let rows = parse_rows::<E>(bytes)?;
    let n = rows.len() as u64;
    if n > 0 {
        E::insert_many(rows.into_iter().map(IntoActiveModel::into_active_model))
            .exec(txn)
            .await?;
    }
    Ok(n)
}

/// Columns first without their parents (a column may sit under one made after it), then
/// the parents set.
async fn insert_columns(
    txn: &DatabaseTransaction,
    bytes: &[u8],
    parents: &mut Vec<(i32, i32)>,
) -> Result<u64> {
    let mut rows = parse_rows::<column::Entity>(bytes)?;
    for row in &mut rows {
        if let Some(p) = row.parent_id.take() {
            parents.push((row.id, p));
        }
    }
    let n = rows.len() as u64;
    if n > 0 {
        column::Entity::insert_many(rows.into_iter().map(IntoActiveModel::into_active_model))
            .exec(txn)
            .await?;
    }
    Ok(n)
}

async fn load_entry(
    txn: &DatabaseTransaction,
    table: &str,
    bytes: &[u8],
    parents: &mut Vec<(i32, i32)>,
) -> Result<u64> {
    if table == table_name::<column::Entity>() {
        return insert_columns(txn, bytes, parents).await;
    }
    macro_rules! load {
        (; $($m:ident),*) => {
            $(if table == table_name::<$m::Entity>() {
                return insert_rows::<$m::Entity>(txn, bytes).await;
            })*
        };
    }
    each_table!(load!());
    Err(bad(format!("unknown table {table:?}")))
}

/// PostgreSQL's id sequences continue after the loaded ids (SQLite's follow by themselves).
async fn reset_sequences(db: &Db) -> Result<()> {
    if db.backend() != Backend::Postgres {
        return Ok(());
    }
    for table in table_names() {
        let sql = format!(
            "SELECT setval(seq, COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false) \
             FROM pg_get_serial_sequence('\"{table}\"', 'id') AS seq WHERE seq IS NOT NULL"
        );
        // Tables keyed otherwise have no `id` column: nothing to do for them.
        let has_id: bool = db
            .query_one_raw(sea_orm::Statement::from_sql_and_values(
                sea_orm::DbBackend::Postgres,
                "SELECT EXISTS (SELECT 1 FROM information_schema.columns \
                 WHERE table_name = $1 AND column_name = 'id')",
                [table.clone().into()],
            ))
            .await?
            .and_then(|r| r.try_get_by_index::<bool>(0).ok())
            .unwrap_or(false);
        if has_id {
            db.execute_unprepared(&sql).await?;
        }
    }
    Ok(())
}

/// Loads the archive at `path` into `db` and `stores`, after [`check`]ing all of it. The
/// target must be empty unless `force` (then its rows are replaced; its files stay, and
/// files of the same name are overwritten). The search index is rebuilt afterwards.
pub async fn restore(
    db: &Db,
    stores: &Stores,
    path: &Path,
    force: bool,
    mut progress: impl FnMut(Progress),
) -> Result<Manifest> {
    progress(Progress::Step("checking the archive".into()));
    let manifest = check(path, &mut progress)?;
    if let Some(found) = existing(db, stores).await?
        && !force
    {
        return Err(bad(format!(
            "the target is not empty ({found}); restore into an empty database and storage, \
             or add --force to replace its rows"
        )));
    }
    let txn = db.begin().await?;
    if force {
        clear(&txn).await?;
    } else {
        // The settings row a first start made is replaced by the archive's, the empty
        // audit chain's head by the archive's chain's, and the main site the migrations
        // made by the archive's.
        site_setting::Entity::delete_many().exec(&txn).await?;
        site_value::Entity::delete_many().exec(&txn).await?;
        audit_head::Entity::delete_many().exec(&txn).await?;
        site::Entity::delete_many().exec(&txn).await?;
    }
    let mut archive = open_archive(path)?;
    let mut parents = Vec::new();
    let mut loaded: BTreeMap<String, u64> = BTreeMap::new();
    let mut copied = FileCount::default();
    let total_files = manifest.media.files + manifest.private.files;
    for entry in archive.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.to_string_lossy().into_owned();
        let bytes = read_entry(&mut entry, &name)?;
        if let Some(table) = table_of(&name) {
            let n = load_entry(&txn, table, &bytes, &mut parents).await?;
            let done = loaded.entry(table.to_owned()).or_default();
            *done += n;
            let total = manifest
                .tables
                .iter()
                .find(|(t, _)| t == table)
                .map_or(0, |t| t.1);
            progress(Progress::Rows {
                table: table.to_owned(),
                rows: *done,
                total,
            });
        } else if let Some((store, file)) = file_of(&name) {
            let (target, label) = if store == "media" {
                (&stores.media, "media")
            } else {
                (&stores.private, "private")
            };
            copied.bytes += bytes.len() as u64;
            target.put(file, bytes).await?;
            copied.files += 1;
            progress(Progress::Files {
                store: label,
                files: copied.files,
                total: total_files,
                bytes: copied.bytes,
            });
        }
    }
    for (id, parent) in parents {
        column::Entity::update_many()
            .col_expr(
                column::Column::ParentId,
                sea_orm::sea_query::Expr::value(Some(parent)),
            )
            .filter(column::Column::Id.eq(id))
            .exec(&txn)
            .await?;
    }
    // Every server drops its cached pages (a forced restore under a running site).
    crate::cache::invalidate(&txn, [crate::cache::tag::CHROME]).await?;
    txn.commit().await?;
    reset_sequences(db).await?;
    progress(Progress::Step("rebuilding the search index".into()));
    crate::search::rebuild(db, |_, _| {}).await?;
    Ok(manifest)
}
