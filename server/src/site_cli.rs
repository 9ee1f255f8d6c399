//! `portico site list|add|host|open|close`: the sites of this installation (站群) and their host names,
//! from the server's command line. Changes are recorded in the audit log as the command
//! line's, and every running server reads the sites again within `cache-poll`.

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
    /// Add or remove a host name of a site (`main` for the main site's other names).
    #[command(subcommand)]
    Host(HostCommand),
    /// Open site CODE to its readers (it needs a host name).
    Open { code: String },
    /// Close site CODE: its hosts answer 404 until it is opened again; nothing is deleted.
    Close { code: String },
}

#[derive(Debug, Subcommand)]
pub enum HostCommand {
    /// Let HOST reach site CODE too (e.g. `site host add main cadz.org.cn` beside www).
    Add { code: String, host: String },
    /// Stop HOST reaching site CODE.
    Remove { code: String, host: String },
}

/// The main site's host: the public address's.
pub fn main_host(settings: &Settings) -> String {
    directory::host_of_url(&settings.public_url).unwrap_or_default()
}

pub async fn run(settings: &Settings, command: SiteCommand) -> anyhow::Result<()> {
    let db = connect_and_migrate(&settings.database_url).await?;
    let actor = Actor::system("command-line");
    let said = |e: service::Error| anyhow::anyhow!(e.reader_message());
    match command {
        SiteCommand::List => {
            for e in directory::list(&db).await.map_err(|e| anyhow::anyhow!(e))? {
                let hosts = if e.site.id == directory::MAIN {
                    [format!("{}（公开地址）", main_host(settings))]
                        .into_iter()
                        .chain(e.hosts)
                        .collect::<Vec<_>>()
                        .join(" ")
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
            let made = directory::add(
                &db,
                &actor,
                NewSite { code, name, hosts },
                &main_host(settings),
            )
            .await
            .map_err(said)?;
            println!(
                "站点 {}（{}）已建立，编号 {}",
                made.name, made.code, made.id
            );
        }
        SiteCommand::Host(HostCommand::Add { code, host }) => {
            directory::add_host(&db, &actor, &code, &host, &main_host(settings))
                .await
                .map_err(said)?;
            println!("主机名 {host} 已通往站点 {code}");
        }
        SiteCommand::Open { code } => {
            let site = directory::set_status(&db, &actor, &code, directory::SiteStatus::Active)
                .await
                .map_err(said)?;
            println!("站点 {}（{}）已开放", site.name, site.code);
        }
        SiteCommand::Close { code } => {
            let site = directory::set_status(&db, &actor, &code, directory::SiteStatus::Closed)
                .await
                .map_err(said)?;
            println!("站点 {}（{}）已关闭", site.name, site.code);
        }
        SiteCommand::Host(HostCommand::Remove { code, host }) => {
            directory::remove_host(&db, &actor, &code, &host)
                .await
                .map_err(said)?;
            println!("主机名 {host} 不再通往站点 {code}");
        }
    }
    Ok(())
}
