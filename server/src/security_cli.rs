//! `portico security show|set|check|rotate-personal-data|retention`: the security policy from the server's command line (for
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
    /// Re-encrypt readers' phone numbers and e-mail addresses under the current
    /// `personal-data-key` (after a change of key; the old one must be in
    /// `personal-data-old-keys` until this has run). Exits with status 1 when some values
    /// could not be decrypted.
    RotatePersonalData,
    /// Remove readers' messages and manuscripts past the retention period now (the servers
    /// do it every hour).
    Retention,
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
        SecurityCommand::RotatePersonalData => {
            use service::security::personal;
            let (done, after) = personal::rotate(&db, &Actor::system("command-line"))
                .await
                .map_err(|e| anyhow::anyhow!(e))?;
            println!(
                "key {}: re-encrypted {} rows; values under the current key {}, under older keys {}, in the clear {}",
                personal::keyring()
                    .map_err(|e| anyhow::anyhow!(e))?
                    .current_id(),
                done.rows,
                after.current,
                after.older,
                after.clear
            );
            if done.unreadable > 0 {
                eprintln!(
                    "{} rows could not be decrypted: add their key to [security] personal-data-old-keys and run this again",
                    done.unreadable
                );
                std::process::exit(1);
            }
        }
        SecurityCommand::Retention => {
            let stores = crate::startup::open_stores(settings)?;
            let done = service::security::personal::apply_retention(
                &db,
                &stores.private,
                policy.retention_months,
                chrono::Utc::now(),
            )
            .await
            .map_err(|e| anyhow::anyhow!(e))?;
            println!(
                "retention {} months: deleted {} messages, anonymised {} published messages, deleted {} manuscripts ({} files)",
                policy.retention_months,
                done.messages,
                done.anonymised,
                done.submissions,
                done.files
            );
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
