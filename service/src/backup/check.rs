//! Reading an archive back and checking all of it (every hash, every row, the schema)
//! before anything is written.

use super::*;

pub(super) fn open_archive(path: &Path) -> Result<tar::Archive<GzDecoder<BufReader<File>>>> {
    let file = File::open(path)?;
    Ok(tar::Archive::new(GzDecoder::new(BufReader::new(file))))
}

/// The largest entry read: one page of rows or one stored file. Sizes written in an
/// entry's header are never trusted for an allocation; its bytes are read as they come.
pub const MAX_ENTRY: u64 = 512 * 1024 * 1024;

/// An entry's bytes, refused past [`MAX_ENTRY`].
pub(super) fn read_entry(entry: impl Read, name: &str) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    entry.take(MAX_ENTRY + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_ENTRY {
        return Err(std::io::Error::other(format!(
            "the entry {name:?} is larger than {} MB",
            MAX_ENTRY >> 20
        )));
    }
    Ok(bytes)
}

/// Parses the rows of one table entry as that table's models.
pub(super) fn parse_rows<E>(bytes: &[u8]) -> Result<Vec<E::Model>>
where
    E: EntityTrait,
    E::Model: DeserializeOwned,
{
    let mut rows = Vec::new();
    for (n, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        rows.push(serde_json::from_slice(line).map_err(|e| {
            bad(format!(
                "row {} of table {} does not read: {e}",
                n + 1,
                table_name::<E>()
            ))
        })?);
    }
    Ok(rows)
}

/// The number of rows in a table entry, after checking that every row reads.
pub(super) fn check_rows(table: &str, bytes: &[u8]) -> Result<u64> {
    macro_rules! check {
        (; $($m:ident),*) => {
            $(if table == table_name::<$m::Entity>() {
                return Ok(parse_rows::<$m::Entity>(bytes)?.len() as u64);
            })*
        };
    }
    each_table!(check!());
    Err(bad(format!("the archive has an unknown table {table:?}")))
}

/// `tables/<name>/<page>.jsonl` → the table's name.
pub(super) fn table_of(entry: &str) -> Option<&str> {
    let rest = entry.strip_prefix("tables/")?;
    let (name, file) = rest.split_once('/')?;
    file.ends_with(".jsonl").then_some(name)
}

/// `files/<store>/<path>` → the store and the path.
pub(super) fn file_of(entry: &str) -> Option<(&str, &str)> {
    let rest = entry.strip_prefix("files/")?;
    let (store, path) = rest.split_once('/')?;
    matches!(store, "media" | "private").then_some((store, path))
}

/// Reads the whole archive and checks it: every entry's hash against the manifest, every
/// row against its table, the row and file counts, the format and the schema. Writes
/// nothing; returns the manifest.
pub fn check(path: &Path, progress: impl FnMut(Progress)) -> Result<Manifest> {
    check_reader(File::open(path)?, progress)
}

/// [`check`] of an archive read from `source` (gzip-compressed tar).
pub fn check_reader(source: impl Read, mut progress: impl FnMut(Progress)) -> Result<Manifest> {
    let mut archive = tar::Archive::new(GzDecoder::new(BufReader::new(source)));
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut rows: BTreeMap<String, u64> = BTreeMap::new();
    let mut media = FileCount::default();
    let mut private = FileCount::default();
    let mut manifest: Option<Manifest> = None;
    let not_archive = |e: std::io::Error| bad(format!("not a Portico backup archive: {e}"));
    for entry in archive.entries().map_err(not_archive)? {
        let mut entry = entry.map_err(not_archive)?;
        let name = entry
            .path()
            .map_err(not_archive)?
            .to_string_lossy()
            .into_owned();
        let bytes = read_entry(&mut entry, &name).map_err(not_archive)?;
        if name == MANIFEST {
            manifest = Some(
                serde_json::from_slice(&bytes)
                    .map_err(|e| bad(format!("the archive's manifest does not read: {e}")))?,
            );
            continue;
        }
        if let Some(table) = table_of(&name) {
            let n = check_rows(table, &bytes)?;
            let total = rows.entry(table.to_owned()).or_default();
            *total += n;
            progress(Progress::Rows {
                table: table.to_owned(),
                rows: *total,
                total: 0,
            });
        } else if let Some((store, _)) = file_of(&name) {
            let count = if store == "media" {
                &mut media
            } else {
                &mut private
            };
            count.files += 1;
            count.bytes += bytes.len() as u64;
        } else {
            return Err(bad(format!("the archive has an unexpected entry {name:?}")));
        }
        if seen
            .insert(name.clone(), hex(&Sha256::digest(&bytes)))
            .is_some()
        {
            return Err(bad(format!("the archive has {name:?} twice")));
        }
    }
    let manifest = manifest.ok_or_else(|| {
        bad("the archive has no manifest.json (not a Portico backup, or cut short)")
    })?;
    if manifest.format != FORMAT {
        return Err(bad(format!(
            "the archive is in format {}, this Portico reads format {FORMAT}",
            manifest.format
        )));
    }
    if manifest.schema != schema() {
        return Err(bad(format!(
            "the archive's database schema ({} migrations, the last {:?}) differs from this \
             Portico's ({}, the last {:?}): restore it with the version that made it",
            manifest.schema.len(),
            manifest.schema.last(),
            schema().len(),
            schema().last()
        )));
    }
    if seen != manifest.entries {
        let damaged = manifest
            .entries
            .iter()
            .find(|(k, v)| seen.get(*k) != Some(v))
            .map(|(k, _)| k.clone())
            .or_else(|| {
                seen.keys()
                    .find(|k| !manifest.entries.contains_key(*k))
                    .cloned()
            })
            .unwrap_or_default();
        return Err(bad(format!(
            "the archive is damaged: {damaged:?} is missing or differs from when it was written"
        )));
    }
    for (table, expected) in &manifest.tables {
        let got = rows.get(table).copied().unwrap_or(0);
        if got != *expected {
            return Err(bad(format!(
                "table {table}: the manifest says {expected} rows, the archive has {got}"
            )));
        }
    }
    if media != manifest.media || private != manifest.private {
        return Err(bad("the archive's files differ from its manifest"));
    }
    Ok(manifest)
}
