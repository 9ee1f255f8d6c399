//! 站群: the sites this installation serves and the host names that reach them. Site 1
//! (`main`) is reached by the public address and by the machine's own names (`localhost`, a
//! loopback address); any other site only by the hosts listed for it.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

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
    let (host, port) = if raw.starts_with('[') {
        let end = raw.find(']')?;
        (raw[..=end].to_owned(), &raw[end + 1..])
    } else {
        let at = raw.find(':').unwrap_or(raw.len());
        (raw[..at].trim_end_matches('.').to_owned(), &raw[at..])
    };
    // Nothing after the host but a port.
    let port = port.strip_prefix(':').unwrap_or(port);
    if port.len() > 5 || !port.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let fits = !host.is_empty()
        && host.len() <= 253
        && (host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .is_some_and(|ip| ip.parse::<std::net::Ipv6Addr>().is_ok())
            || (host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                && host.split('.').all(|l| {
                    !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-')
                })));
    fits.then_some(host)
}

/// The host of an address such as `https://www.example.org:8443/portal` (normalized).
pub fn host_of_url(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    normalize_host(authority)
}

/// `raw` without its port, when what is left may already be a kept host: a name (not a
/// bracketed address) followed by nothing or by `:` and at most five digits. Whether it is
/// one is for the lookup to say; anything else goes through [`normalize_host`].
fn as_kept(raw: &str) -> Option<&str> {
    let (host, port) = raw.split_once(':').unwrap_or((raw, ""));
    let plain_port = port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit());
    (plain_port && !host.is_empty() && !host.starts_with('[')).then_some(host)
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

/// Whether a site answers its readers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteStatus {
    /// Serving.
    Active,
    /// Made, not yet open to readers.
    Preparing,
    /// No longer served.
    Closed,
}

impl SiteStatus {
    pub const fn code(self) -> &'static str {
        match self {
            SiteStatus::Active => "active",
            SiteStatus::Preparing => "preparing",
            SiteStatus::Closed => "closed",
        }
    }

    /// A stored status; anything else reads as closed (never served by mistake).
    pub fn parse(stored: &str) -> SiteStatus {
        match stored {
            "active" => SiteStatus::Active,
            "preparing" => SiteStatus::Preparing,
            _ => SiteStatus::Closed,
        }
    }
}

/// A site as a request sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteRef {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub status: SiteStatus,
    /// The host its own links use (none for the main site, which uses the public address).
    pub primary_host: Option<String>,
    /// Where its addresses start, without a final `/`: the public address for the main
    /// site, the public address's scheme with the primary host for the others.
    pub base_url: String,
}

impl SiteRef {
    /// The absolute address of one of its paths, such as `/articles/3`.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

/// Where a request's host leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    Site(Arc<SiteRef>),
    /// A site that is being prepared: readers are told to come back later.
    NotOpen(Arc<SiteRef>),
    /// No site here (or a closed one): a plain 404, never another site's page.
    Unknown,
}

/// The sites by host name, read from the database once and again after each change.
#[derive(Debug)]
pub struct Directory {
    by_host: HashMap<String, Arc<SiteRef>>,
    main: Arc<SiteRef>,
    main_host: String,
}

impl Directory {
    /// The directory of `entries`; `public_url` is the main site's public address
    /// (`[site] public-url`, without a final `/`).
    pub fn new(entries: Vec<SiteEntry>, public_url: &str) -> Directory {
        let main_host = host_of_url(public_url).unwrap_or_default();
        let scheme = public_url.split_once("://").map_or("http", |(s, _)| s);
        let mut main = None;
        let mut by_host = HashMap::new();
        for e in entries {
            let primary_host = (e.site.id != MAIN)
                .then(|| e.hosts.first().cloned())
                .flatten();
            let base_url = match &primary_host {
                Some(host) => format!("{scheme}://{host}"),
                None => public_url.to_owned(),
            };
            let site = Arc::new(SiteRef {
                id: e.site.id,
                status: SiteStatus::parse(&e.site.status),
                primary_host,
                base_url,
                code: e.site.code,
                name: e.site.name,
            });
            for host in e.hosts {
                by_host.insert(host, site.clone());
            }
            if site.id == MAIN {
                main = Some(site);
            }
        }
        Directory {
            by_host,
            // The migration makes site 1; a database without it still has a main site.
            main: main.unwrap_or_else(|| {
                Arc::new(SiteRef {
                    id: MAIN,
                    code: "main".into(),
                    name: String::new(),
                    status: SiteStatus::Active,
                    primary_host: None,
                    base_url: public_url.to_owned(),
                })
            }),
            main_host,
        }
    }

    pub async fn load(db: &impl ConnectionTrait, public_url: &str) -> Result<Directory> {
        Ok(Directory::new(list(db).await?, public_url))
    }

    /// The site a request for `host` (a `Host` header or the URI's authority) is for: a
    /// listed host's site; else the main site for the public address's host, `localhost`
    /// and loopback addresses; else none.
    pub fn resolve(&self, host: Option<&str>) -> Resolved {
        let Some(raw) = host else {
            return Resolved::Unknown;
        };
        // Most requests name a known host exactly as it is kept, perhaps with a port: found
        // without making a normalized copy (a known host is a normalized one).
        let site = match as_kept(raw).and_then(|bare| self.known(bare)) {
            Some(site) => site,
            None => {
                let Some(host) = normalize_host(raw) else {
                    return Resolved::Unknown;
                };
                match self.known(&host) {
                    Some(site) => site,
                    None if is_own_name(&host) => &self.main,
                    None => return Resolved::Unknown,
                }
            }
        };
        match site.status {
            SiteStatus::Active => Resolved::Site(site.clone()),
            SiteStatus::Preparing => Resolved::NotOpen(site.clone()),
            SiteStatus::Closed => Resolved::Unknown,
        }
    }

    /// The site of a normalized host: a listed one, or the public address's.
    fn known(&self, host: &str) -> Option<&Arc<SiteRef>> {
        self.by_host
            .get(host)
            .or_else(|| (host == self.main_host).then_some(&self.main))
    }

    pub fn main(&self) -> &Arc<SiteRef> {
        &self.main
    }
}

/// The current [`Directory`], shared by every request of a process and replaced whole when
/// the invalidation log says the sites changed (tag [`crate::cache::tag::SITES`]).
#[derive(Debug)]
pub struct Sites {
    public_url: String,
    current: RwLock<Arc<Directory>>,
}

impl Sites {
    /// `public_url`: the main site's public address (`[site] public-url`).
    pub async fn load(db: &impl ConnectionTrait, public_url: &str) -> Result<Sites> {
        Ok(Sites {
            current: RwLock::new(Arc::new(Directory::load(db, public_url).await?)),
            public_url: public_url.to_owned(),
        })
    }

    pub fn get(&self) -> Arc<Directory> {
        match self.current.read() {
            Ok(d) => d.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reads the sites again (the old directory serves until the new one is read).
    pub async fn reload(&self, db: &impl ConnectionTrait) -> Result<()> {
        let fresh = Arc::new(Directory::load(db, &self.public_url).await?);
        match self.current.write() {
            Ok(mut d) => *d = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(())
    }
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
    crate::seed::starter(&txn, made.id, &name).await?;
    audit::record(
        &txn,
        actor,
        "site.add",
        "site",
        made.id,
        format!("新建站点「{name}」（{code}）：{}", hosts.join("、")),
    )
    .await?;
    crate::cache::invalidate(&txn, [crate::cache::tag::SITES]).await?;
    txn.commit().await?;
    Ok(made)
}

/// Opens site `code` to its readers (`Active`), takes it back to `Preparing`, or closes it.
/// The main site is always open; a site opens only with a host name to reach it by.
pub async fn set_status(
    db: &Db,
    actor: &Actor,
    code: &str,
    status: SiteStatus,
) -> Result<site::Model> {
    let txn = db.begin().await?;
    let site = by_code(&txn, code).await?;
    if site.id == MAIN {
        return Err(Error::Invalid("主站始终开放，不能更改状态".into()));
    }
    if SiteStatus::parse(&site.status) == status {
        return Ok(site);
    }
    if status == SiteStatus::Active
        && site_host::Entity::find()
            .filter(site_host::Column::SiteId.eq(site.id))
            .one(&txn)
            .await?
            .is_none()
    {
        return Err(Error::Invalid(format!(
            "站点 {} 还没有主机名，请先用 site host add 添加",
            site.code
        )));
    }
    let (action, said) = match status {
        SiteStatus::Active => ("site.open", "开放"),
        SiteStatus::Preparing => ("site.prepare", "改为建设中"),
        SiteStatus::Closed => ("site.close", "关闭"),
    };
    let changed = site::ActiveModel {
        id: Set(site.id),
        status: Set(status.code().to_owned()),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    let what = format!("站点「{}」（{}）{said}", site.name, site.code);
    finish(txn, actor, action, site.id, what).await?;
    Ok(changed)
}

/// The end of every change to a site's status or hosts: the audit row, then the host table
/// reloaded on every server (tag SITES) and the site's pages rebuilt, since their addresses
/// or their being served at all may have changed (its CHROME), all in the change's
/// transaction.
async fn finish(
    txn: sea_orm::DatabaseTransaction,
    actor: &Actor,
    action: &str,
    site: i32,
    what: String,
) -> Result<()> {
    audit::record(&txn, actor, action, "site", site, what).await?;
    crate::cache::invalidate(&txn, [crate::cache::tag::SITES]).await?;
    crate::cache::invalidate_site(&txn, site, [crate::cache::tag::CHROME]).await?;
    txn.commit().await?;
    Ok(())
}

async fn by_code(db: &impl ConnectionTrait, code: &str) -> Result<site::Model> {
    site::Entity::find()
        .filter(site::Column::Code.eq(code.trim()))
        .one(db)
        .await?
        .ok_or_else(|| Error::Invalid(format!("没有代码为 {} 的站点", code.trim())))
}

/// Lets `host` reach the site `code` as well. For the main site this is an alias beside the
/// public address (a bare domain beside `www.`, an intranet name); for another site its
/// first host is its primary one.
pub async fn add_host(
    db: &Db,
    actor: &Actor,
    code: &str,
    host: &str,
    main_host: &str,
) -> Result<()> {
    let normal =
        normalize_host(host).ok_or_else(|| Error::Invalid(format!("“{host}”不是有效的主机名")))?;
    let txn = db.begin().await?;
    let site = by_code(&txn, code).await?;
    if normal == main_host || is_own_name(&normal) {
        return Err(Error::Invalid(format!(
            "主机名 {normal} 本来就通往主站，无须添加"
        )));
    }
    if let Some(taken) = site_host::Entity::find_by_id(normal.clone())
        .one(&txn)
        .await?
    {
        return Err(Error::Conflict(if taken.site_id == site.id {
            format!("主机名 {normal} 已属于此站点")
        } else {
            format!("主机名 {normal} 已属于另一个站点")
        }));
    }
    let first = site_host::Entity::find()
        .filter(site_host::Column::SiteId.eq(site.id))
        .one(&txn)
        .await?
        .is_none();
    site_host::ActiveModel {
        host: Set(normal.clone()),
        site_id: Set(site.id),
        is_primary: Set(first && site.id != MAIN),
    }
    .insert(&txn)
    .await?;
    let what = format!("站点「{}」（{}）增加主机名 {normal}", site.name, site.code);
    finish(txn, actor, "site.host_add", site.id, what).await
}

/// Stops `host` reaching the site `code`. A site's last host cannot go while the site is
/// open (it would be unreachable); when the primary goes, the next host becomes primary.
pub async fn remove_host(db: &Db, actor: &Actor, code: &str, host: &str) -> Result<()> {
    let normal =
        normalize_host(host).ok_or_else(|| Error::Invalid(format!("“{host}”不是有效的主机名")))?;
    let txn = db.begin().await?;
    let site = by_code(&txn, code).await?;
    let Some(row) = site_host::Entity::find_by_id(normal.clone())
        .one(&txn)
        .await?
        .filter(|h| h.site_id == site.id)
    else {
        return Err(Error::Invalid(format!(
            "主机名 {normal} 不属于站点 {}",
            site.code
        )));
    };
    let others: Vec<site_host::Model> = site_host::Entity::find()
        .filter(site_host::Column::SiteId.eq(site.id))
        .filter(site_host::Column::Host.ne(normal.clone()))
        .order_by_asc(site_host::Column::Host)
        .all(&txn)
        .await?;
    if others.is_empty() && site.id != MAIN && SiteStatus::parse(&site.status) == SiteStatus::Active
    {
        return Err(Error::Conflict(format!(
            "主机名 {normal} 是站点 {} 唯一的主机名，站点开放期间不能删除",
            site.code
        )));
    }
    site_host::Entity::delete_by_id(normal.clone())
        .exec(&txn)
        .await?;
    if row.is_primary
        && let Some(next) = others.into_iter().next()
    {
        site_host::ActiveModel {
            host: Set(next.host),
            is_primary: Set(true),
            ..Default::default()
        }
        .update(&txn)
        .await?;
    }
    let what = format!("站点「{}」（{}）删除主机名 {normal}", site.name, site.code);
    finish(txn, actor, "site.host_remove", site.id, what).await
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
            ("[<script>]", None),
            ("https://evil.example", None),
            ("b.test:80:80", None),
            ("[::1]x", None),
            ("[::1", None),
            ("[2001:DB8::1]:443", Some("[2001:db8::1]")),
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
        assert_eq!(
            host_of_url("https://user@WWW.Example.org:8443/portal?x").as_deref(),
            Some("www.example.org")
        );
        assert_eq!(
            host_of_url("http://127.0.0.1:3000").as_deref(),
            Some("127.0.0.1")
        );
        for ok in ["main", "zhundong", "zone-12"] {
            assert!(is_site_code(ok), "{ok}");
        }
        for bad in ["a", "Zhundong", "-x", "x-", "站点", &"a".repeat(33)] {
            assert!(!is_site_code(bad), "{bad}");
        }
    }

    fn entry(id: i32, code: &str, status: &str, hosts: &[&str]) -> SiteEntry {
        SiteEntry {
            site: site::Model {
                id,
                code: code.into(),
                name: code.into(),
                status: status.into(),
                created_at: Utc::now(),
            },
            hosts: hosts.iter().map(|h| (*h).to_owned()).collect(),
        }
    }

    #[test]
    fn hosts_lead_to_their_site_and_nowhere_else() {
        let dir = Directory::new(
            vec![
                entry(MAIN, "main", "active", &["cadz.test"]),
                entry(
                    2,
                    "zhundong",
                    "active",
                    &["zhundong.test", "www.zhundong.test"],
                ),
                entry(3, "new", "preparing", &["new.test"]),
                entry(4, "old", "closed", &["old.test"]),
                entry(5, "odd", "whatever", &["odd.test"]),
            ],
            "https://www.cadz.test",
        );
        let site_of = |host: Option<&str>| match dir.resolve(host) {
            Resolved::Site(s) => format!("site {}", s.code),
            Resolved::NotOpen(s) => format!("not open {}", s.code),
            Resolved::Unknown => "unknown".into(),
        };
        for (host, want) in [
            (Some("WWW.cadz.test:443"), "site main"),
            (Some("cadz.test."), "site main"),
            (Some("localhost:3000"), "site main"),
            (Some("127.0.0.1:54321"), "site main"),
            (Some("[::1]:3000"), "site main"),
            (Some("zhundong.test"), "site zhundong"),
            (Some("www.zhundong.test:8080"), "site zhundong"),
            (Some(" ZHUNDONG.test. "), "site zhundong"),
            (Some("zhundong.test:"), "site zhundong"),
            (Some("zhundong.test:123456"), "unknown"),
            (Some("zhundong.test:80:80"), "unknown"),
            (Some("zhundong.test:x"), "unknown"),
            (Some("new.test"), "not open new"),
            (Some("old.test"), "unknown"),
            (Some("odd.test"), "unknown"),
            (Some("evil.example"), "unknown"),
            (Some("cadz.test.evil.example"), "unknown"),
            (Some(""), "unknown"),
            (Some("bad host"), "unknown"),
            (None, "unknown"),
        ] {
            assert_eq!(site_of(host), want, "{host:?}");
        }
        let Resolved::Site(z) = dir.resolve(Some("www.zhundong.test")) else {
            panic!("zhundong");
        };
        assert_eq!(z.primary_host.as_deref(), Some("zhundong.test"));
        assert_eq!(z.absolute("/rss.xml"), "https://zhundong.test/rss.xml");
        assert_eq!(dir.main().primary_host, None);
        assert_eq!(dir.main().absolute("/"), "https://www.cadz.test/");
    }
}
