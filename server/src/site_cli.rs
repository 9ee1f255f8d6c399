//! `portico site list|add`: the sites of this installation (站群), from the server's command
//! line. Adding is recorded in the audit log as the command line's.

use clap::Subcommand;
use service::audit::Actor;
use service::site::directory::{self, NewSite};

use crate::config::Settings;
use crate::startup::connect_and_migrate;

#[derive(Debug, Subcommand)]
pub enum SiteCommand {
    /// One line per site: id, code, status, name and host names.
    List,
    /// Make a site (not yet open to readers). It is reached by its --host names.
    Add {
        /// Short and unique: 2 to 32 lower-case letters, digits and `-` (e.g. zhundong).
        #[arg(long)]
        code: String,
        /// The site's name (e.g. 准东经济技术开发区).
        #[arg(long)]
        name: String,
        /// A host name that reaches it; the first is its primary one. Repeat for more.
        #[arg(long = "host")]
        hosts: Vec<String>,
    },
}

pub async fn run(settings: &Settings, command: SiteCommand) -> anyhow::Result<()> {
    let db = connect_and_migrate(&settings.database_url).await?;
    match command {
        SiteCommand::List => {
            for e in directory::list(&db).await.map_err(|e| anyhow::anyhow!(e))? {
                let hosts = if e.site.id == directory::MAIN {
                    "（公开地址和本机）".to_owned()
                } else {
                    e.hosts.join(" ")
                };
                println!(
                    "{:>4}  {:<16} {:<9} {}  {hosts}",
                    e.site.id, e.site.code, e.site.status, e.site.name
                );
            }
        }
        SiteCommand::Add { code, name, hosts } => {
            let main_host = settings
                .public_url
                .split("://")
                .nth(1)
                .and_then(directory::normalize_host)
                .unwrap_or_default();
            let made = directory::add(
                &db,
                &Actor::system("command-line"),
                NewSite { code, name, hosts },
                &main_host,
            )
            .await
            .map_err(|e| anyhow::anyhow!(e.reader_message()))?;
            println!(
                "站点 {}（{}）已建立，编号 {}",
                made.name, made.code, made.id
            );
        }
    }
    Ok(())
}
