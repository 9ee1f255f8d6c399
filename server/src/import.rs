//! `portico import SOURCE --from SYSTEM [--media DIR] [--dry-run]`: the command-line side of
//! moving a site in (see `service::import`): arguments, a progress line on the terminal, and
//! the report, printed and saved.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use crate::config::Settings;
use crate::startup::{connect_and_migrate, open_stores};
use service::import::{Options, System, sqldump::Charset};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the old system produced: a WordPress export (WXR) file, or a mysqldump of a
    /// DedeCMS, PbootCMS or EmpireCMS database (may be .gz).
    pub source: PathBuf,
    /// The system SOURCE comes from.
    #[arg(long, value_parser = ["wordpress", "dedecms", "pbootcms", "empirecms"])]
    pub from: String,
    /// A copy of the old site's upload folder (uploads/, static/upload/, d/file/ ...):
    /// pictures and attachments are read from here, never from the network.
    #[arg(long, value_name = "DIR")]
    pub media: Option<PathBuf>,
    /// Read everything and print the report without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// How the dump's text is encoded when it does not say: utf8, gbk, big5, latin1, or
    /// auto (UTF-8 where valid, GBK otherwise).
    #[arg(long, default_value = "auto")]
    pub charset: String,
    /// The old site's host name(s), for links written with it (`http://www.example.org.cn/a/1.html`).
    #[arg(long = "old-host", value_name = "HOST")]
    pub old_hosts: Vec<String>,
    /// Where to save the report [default: SOURCE.import-report.txt].
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

pub async fn import(settings: &Settings, args: ImportArgs) -> anyhow::Result<()> {
    let system = System::from_code(&args.from).context("unknown --from")?;
    let charset = match args.charset.as_str() {
        "auto" => Charset::Auto,
        name => Charset::from_name(name)
            .with_context(|| format!("unknown --charset {name} (utf8, gbk, big5, latin1, auto)"))?,
    };
    if let Some(dir) = &args.media
        && !dir.is_dir()
    {
        anyhow::bail!("--media {} is not a directory", dir.display());
    }
    let db = connect_and_migrate(&settings.database_url).await?;
    let stores = open_stores(settings)?;
    let options = Options {
        system,
        source: args.source.clone(),
        media: args.media.clone(),
        dry_run: args.dry_run,
        charset,
        time_zone: settings.time_zone,
        old_hosts: args
            .old_hosts
            .iter()
            .filter_map(|h| service::import::dede::host_of(h))
            .collect(),
    };
    let started = Instant::now();
    let mut last = Instant::now();
    let mut progress = move |p: service::import::write::Progress| {
        if last.elapsed().as_millis() < 250 && p.done != p.total {
            return;
        }
        last = Instant::now();
        let secs = started.elapsed().as_secs_f64();
        let rate = p.done as f64 / secs.max(0.001);
        let eta = if rate > 0.0 && p.total > p.done {
            format!("，约剩 {:.0} 秒", (p.total - p.done) as f64 / rate)
        } else {
            String::new()
        };
        let bar = if p.total > 0 {
            let filled = (p.done * 30 / p.total.max(1)) as usize;
            format!(
                "[{}{}] ",
                "#".repeat(filled),
                ".".repeat(30 - filled.min(30))
            )
        } else {
            String::new()
        };
        let mut err = std::io::stderr();
        if p.total == 0 {
            let _ = write!(err, "\r{}中……", p.phase);
            let _ = err.flush();
            return;
        }
        let _ = write!(
            err,
            "\r{} {bar}{}/{}，每秒 {rate:.0} 条{eta}   ",
            p.phase, p.done, p.total
        );
        let _ = err.flush();
    };
    let result = service::import::run(&db, &stores.media, options, &mut progress).await;
    eprintln!();
    let report = result.map_err(|e| anyhow::anyhow!("导入失败：{e}"))?;
    let text = report.render();
    print!("{text}");
    let path = args.report.unwrap_or_else(|| {
        let mut p = args.source.clone().into_os_string();
        p.push(".import-report.txt");
        PathBuf::from(p)
    });
    std::fs::write(&path, &text)
        .with_context(|| format!("cannot save the report to {}", path.display()))?;
    println!("报告已保存：{}", path.display());
    Ok(())
}
