//! Writing an archive: every table's rows from one snapshot, every stored file, the manifest.

use super::*;

/// The archive being written: entries with their hashes.
struct Writer {
    tar: tar::Builder<GzEncoder<BufWriter<File>>>,
    entries: BTreeMap<String, String>,
}

impl Writer {
    fn add(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(Utc::now().timestamp().max(0) as u64);
        header.set_entry_type(tar::EntryType::Regular);
        self.tar.append_data(&mut header, path, bytes)?;
        if path != MANIFEST {
            self.entries
                .insert(path.to_owned(), hex(&Sha256::digest(bytes)));
        }
        Ok(())
    }
}

async fn dump<E>(
    txn: &DatabaseTransaction,
    out: &mut Writer,
    progress: &mut impl FnMut(Progress),
) -> Result<u64>
where
    E: EntityTrait,
    E::Model: Serialize + Sync,
{
    let name = table_name::<E>();
    let total = E::find().count(txn).await?;
    let mut query = E::find();
    for key in E::PrimaryKey::iter() {
        query = query.order_by_asc(key.into_column());
    }
    let mut rows = 0;
    let mut page = 0u64;
    loop {
        let batch = query
            .clone()
            .offset(page * PAGE)
            .limit(PAGE)
            .all(txn)
            .await?;
        if batch.is_empty() {
            break;
        }
        let mut lines = Vec::with_capacity(batch.len() * 256);
        for row in &batch {
            serde_json::to_writer(&mut lines, row).map_err(io)?;
            lines.push(b'\n');
        }
        out.add(&format!("tables/{name}/{page:06}.jsonl"), &lines)?;
        rows += batch.len() as u64;
        page += 1;
        progress(Progress::Rows {
            table: name.clone(),
            rows,
            total,
        });
    }
    Ok(rows)
}

async fn copy_files(
    store: &Store,
    label: &'static str,
    out: &mut Writer,
    progress: &mut impl FnMut(Progress),
) -> Result<FileCount> {
    let mut files: Vec<(String, u64)> = store.list().try_collect().await?;
    files.sort();
    let total = files.len() as u64;
    let mut done = FileCount::default();
    for (path, _) in files {
        let bytes = match store.get(&path).await {
            Ok(b) => b,
            // Removed since it was listed (an image deleted meanwhile): not in the snapshot.
            Err(Error::NotFound) => continue,
            Err(e) => return Err(e),
        };
        out.add(&format!("files/{label}/{path}"), &bytes)?;
        done.files += 1;
        done.bytes += bytes.len() as u64;
        progress(Progress::Files {
            store: label,
            files: done.files,
            total,
            bytes: done.bytes,
        });
    }
    Ok(done)
}

/// Writes the archive of the site in `db` and `stores` to `path` (replacing it only once it
/// is complete). Safe while the site is serving: the rows are one snapshot; files written
/// after it are included, files deleted after it are not (their rows are deleted first).
pub async fn backup(
    db: &Db,
    stores: &Stores,
    path: &Path,
    mut progress: impl FnMut(Progress),
) -> Result<Manifest> {
    let partial = path.with_extension("partial");
    let file = File::create(&partial)?;
    let mut out = Writer {
        tar: tar::Builder::new(GzEncoder::new(BufWriter::new(file), Compression::fast())),
        entries: BTreeMap::new(),
    };
    let txn = match db.backend() {
        // One read-only snapshot of every table.
        Backend::Postgres => {
            db.writer()
                .begin_with_config(
                    Some(sea_orm::IsolationLevel::RepeatableRead),
                    Some(AccessMode::ReadOnly),
                )
                .await?
        }
        // A deferred transaction: its first read fixes the snapshot (WAL), and it never
        // takes the write lock, so the site keeps saving meanwhile.
        Backend::Sqlite => db.writer().begin().await?,
    };
    let made_at = Utc::now();
    let mut tables = Vec::new();
    macro_rules! dump_all {
        (; $($m:ident),*) => {
            $(tables.push((table_name::<$m::Entity>(), dump::<$m::Entity>(&txn, &mut out, &mut progress).await?));)*
        };
    }
    each_table!(dump_all!());
    txn.rollback().await?;
    let media = copy_files(&stores.media, "media", &mut out, &mut progress).await?;
    let private = copy_files(&stores.private, "private", &mut out, &mut progress).await?;
    let manifest = Manifest {
        format: FORMAT,
        made_at,
        source: match db.backend() {
            Backend::Sqlite => "sqlite".into(),
            Backend::Postgres => "postgres".into(),
        },
        schema: schema(),
        tables,
        media,
        private,
        entries: std::mem::take(&mut out.entries),
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(io)?;
    out.add(MANIFEST, &json)?;
    let mut gz = out.tar.into_inner()?;
    gz.flush()?;
    let buf = gz.finish()?;
    let file = buf.into_inner().map_err(|e| io(e.error()))?;
    file.sync_all()?;
    std::fs::rename(&partial, path)?;
    Ok(manifest)
}

// --- reading ---------------------------------------------------------------------------
