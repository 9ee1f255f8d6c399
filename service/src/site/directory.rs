//! 站群: the sites this installation serves and the host names that reach them. Site 1
//! (`main`) is reached by the public address and by the machine's own names (`localhost`, a
//! loopback address); any other site only by the hosts listed for it.

use chrono::Utc;
use entity::{site, site_host};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::db::Db;
use crate::{Error, Result};

/// The main site's id.
pub const MAIN: i32 = 1;

/// A host as the site table keeps it: lower-case, without the port and a final dot; `None`
/// for anything that is not a host name (an IPv6 literal is kept in its brackets).
pub fn normalize_host(raw: &str) -> Option<String> {
    let raw = raw.trim().to_ascii_lowercase();
    let host = if raw.starts_with('[') {
        let end = raw.find(']')?;
        raw[..=end].to_owned()
    } else {
        raw.split(':').next()?.trim_end_matches('.').to_owned()
    };
    let fits = !host.is_empty()
        && host.len() <= 253
        && (host.starts_with('[')
            || (host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                && host.split('.').all(|l| {
                    !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-')
                })));
    fits.then_some(host)
}

/// Whether `host` (normalized) is this machine's own name: `localhost` or a loopback address.
pub fn is_own_name(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether `code` may name a site: 2 to 32 lower-case letters, digits and `-`, not at either
/// end.
pub fn is_site_code(code: &str) -> bool {
    (2..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !code.starts_with('-')
        && !code.ends_with('-')
}

/// A site with its hosts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteEntry {
    pub site: site::Model,
    pub hosts: Vec<String>,
}

/// Every site, by id, with its hosts (the primary first).
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<SiteEntry>> {
    let sites = site::Entity::find()
        .order_by_asc(site::Column::Id)
        .all(db)
        .await?;
    let hosts = site_host::Entity::find()
        .order_by_desc(site_host::Column::IsPrimary)
        .order_by_asc(site_host::Column::Host)
        .all(db)
        .await?;
    Ok(sites
        .into_iter()
        .map(|site| SiteEntry {
            hosts: hosts
                .iter()
                .filter(|h| h.site_id == site.id)
                .map(|h| h.host.clone())
                .collect(),
            site,
        })
        .collect())
}

/// What a new site is made with.
#[derive(Clone, Debug, Default)]
pub struct NewSite {
    pub code: String,
    pub name: String,
    /// The first is its primary host.
    pub hosts: Vec<String>,
}

/// Makes a site, not yet open to readers (`preparing`). Refuses a bad or taken code, an
/// empty name, a host that is not a host name or is taken, and the main site's own names
/// (`main_host`: the public address's host; `localhost` and loopback addresses).
pub async fn add(db: &Db, actor: &Actor, new: NewSite, main_host: &str) -> Result<site::Model> {
    let code = new.code.trim().to_owned();
    if !is_site_code(&code) {
        return Err(Error::Invalid(format!(
            "站点代码“{code}”不可用：须为 2 到 32 个小写字母、数字或连字符"
        )));
    }
    let name = crate::input::required("站点名称", &new.name, 100)?;
    let mut hosts = Vec::new();
    for raw in &new.hosts {
        let host = normalize_host(raw)
            .ok_or_else(|| Error::Invalid(format!("“{raw}”不是有效的主机名")))?;
        if host == main_host || is_own_name(&host) {
            return Err(Error::Invalid(format!("主机名 {host} 属于主站")));
        }
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    let txn = db.begin().await?;
    if site::Entity::find()
        .filter(site::Column::Code.eq(code.clone()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(Error::Conflict(format!("站点代码 {code} 已被使用")));
    }
    if let Some(taken) = site_host::Entity::find()
        .filter(site_host::Column::Host.is_in(hosts.clone()))
        .one(&txn)
        .await?
    {
        return Err(Error::Conflict(format!(
            "主机名 {} 已属于另一个站点",
            taken.host
        )));
    }
    let made = site::ActiveModel {
        code: Set(code.clone()),
        name: Set(name.clone()),
        status: Set("preparing".into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (i, host) in hosts.iter().enumerate() {
        site_host::ActiveModel {
            host: Set(host.clone()),
            site_id: Set(made.id),
            is_primary: Set(i == 0),
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        actor,
        "site.add",
        "site",
        made.id,
        format!("新建站点「{name}」（{code}）：{}", hosts.join("、")),
    )
    .await?;
    txn.commit().await?;
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_lower_case_without_port_or_final_dot() {
        for (raw, want) in [
            ("WWW.CADZ.org.cn", Some("www.cadz.org.cn")),
            ("zhundong.cadz.org.cn:8080", Some("zhundong.cadz.org.cn")),
            ("b.test.", Some("b.test")),
            ("127.0.0.1:54321", Some("127.0.0.1")),
            ("[::1]:3000", Some("[::1]")),
            ("", None),
            ("bad host", None),
            ("-x.test", None),
            ("a..b", None),
            ("evil.example/path", None),
        ] {
            assert_eq!(normalize_host(raw).as_deref(), want, "{raw}");
        }
    }

    #[test]
    fn own_names_and_codes() {
        for own in ["localhost", "127.0.0.1", "[::1]"] {
            assert!(is_own_name(own), "{own}");
        }
        assert!(!is_own_name("portico.test"));
        for ok in ["main", "zhundong", "zone-12"] {
            assert!(is_site_code(ok), "{ok}");
        }
        for bad in ["a", "Zhundong", "-x", "x-", "站点", &"a".repeat(33)] {
            assert!(!is_site_code(bad), "{bad}");
        }
    }
}
