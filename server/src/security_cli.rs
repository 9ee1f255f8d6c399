//! `portico security show|set`: the security policy from the server's command line (for
//! operators and scripts; every change is recorded in the audit log as the command line's).

use clap::Subcommand;
use service::audit::Actor;

use crate::config::Settings;
use crate::startup::connect_and_migrate;

#[derive(Debug, Subcommand)]
pub enum SecurityCommand {
    /// Print every setting of the security policy: name, value, meaning.
    Show,
    /// Change settings: NAME VALUE pairs, e.g. `set idle_minutes 20 totp_writers 0`
    /// (names as `show` prints them).
    Set {
        #[arg(num_args = 2.., value_names = ["NAME", "VALUE"])]
        pairs: Vec<String>,
    },
    /// 等保自查: one line per control (clause, title, setting, levels met). With --level,
    /// exits with status 1 when a control does not meet that level.
    Check {
        #[arg(long, value_parser = ["2", "3"])]
        level: Option<String>,
    },
}

pub async fn run(settings: &Settings, command: SecurityCommand) -> anyhow::Result<()> {
    let db = connect_and_migrate(&settings.database_url).await?;
    let mut policy = service::security::policy(&db)
        .await
        .map_err(|e| anyhow::anyhow!(e))?;
    match command {
        SecurityCommand::Show => {
            for f in service::security::fields() {
                println!(
                    "{:<24} {:>6}  {}",
                    f.key.trim_start_matches("security."),
                    f.value(&policy),
                    f.label
                );
            }
            println!(
                "{:<24} {:>6}  后台地址白名单: {}",
                "admin_allow",
                "",
                if policy.admin_allow.is_empty() {
                    "（不限制）"
                } else {
                    &policy.admin_allow
                }
            );
        }
        SecurityCommand::Check { level } => {
            use service::security::check;
            let mut facts = check::facts(&db, policy, settings.public_url.starts_with("https://"))
                .await
                .map_err(|e| anyhow::anyhow!(e))?;
            facts.chain_intact = Some(
                service::audit::chain::verify(&db)
                    .await
                    .map_err(|e| anyhow::anyhow!(e))?
                    .intact(),
            );
            let mark = |met: bool| if met { "满足" } else { "未满足" };
            let mut failed = false;
            for c in check::controls(&facts) {
                println!(
                    "{:<11} 二级{:<3} 三级{:<3} {}：{}",
                    c.clause,
                    mark(c.level2),
                    mark(c.level3),
                    c.title,
                    c.setting
                );
                failed |= match level.as_deref() {
                    Some("2") => !c.level2,
                    Some("3") => !c.level3,
                    _ => false,
                };
            }
            if failed {
                std::process::exit(1);
            }
        }
        SecurityCommand::Set { pairs } => {
            if pairs.len() % 2 != 0 {
                anyhow::bail!("give NAME VALUE pairs");
            }
            for pair in pairs.chunks(2) {
                let key = format!("security.{}", pair[0].trim_start_matches("security."));
                if key == service::security::ADMIN_ALLOW
                    && let Err(e) = app::ssr::client::TrustedProxies::parse(&pair[1])
                {
                    anyhow::bail!("admin_allow: {e}");
                }
                match policy.set(&key, &pair[1]) {
                    Ok(true) => {}
                    Ok(false) => anyhow::bail!(
                        "unknown setting {:?} (see `portico security show`)",
                        pair[0]
                    ),
                    Err(e) => anyhow::bail!("{}", e.reader_message()),
                }
            }
            service::security::save_policy(&db, &Actor::system("command-line"), &policy)
                .await
                .map_err(|e| anyhow::anyhow!(e.reader_message()))?;
            println!("saved; running servers use it within 5 seconds");
        }
    }
    Ok(())
}
