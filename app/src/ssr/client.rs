//! Who is asking: the one place the client's address is decided, for login throttling, the
//! audit log, rate limits and view counts alike.
//!
//! The address is the socket peer's. Only when that peer is one of the operator's own
//! proxies (`[site] trusted-proxies`) is `X-Forwarded-For` read, from the right: each proxy
//! appends the address it received the request from, so the right-most entry that is not a
//! trusted proxy is the client. Entries to its left were written by the client and are never
//! believed. `X-Real-IP` is never read.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use http::HeaderMap;

/// An address range: `10.0.0.0/8`, `2001:db8::/32`, or one address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let network = addr
            .trim()
            .parse::<IpAddr>()
            .map_err(|_| format!("{s:?} is not an IP address or range"))?
            .to_canonical();
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{s:?} has a bad prefix length"))?,
        };
        Ok(Cidr { network, prefix })
    }
}

/// The operator's reverse proxies and load balancers (default: none).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    /// Parses a list separated by commas or spaces: `127.0.0.1, 10.0.0.0/8`.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        list.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(str::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One `X-Forwarded-For` entry: an address, perhaps with a port (`1.2.3.4:5`, `[::1]:5`).
fn forwarded_entry(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    s.parse::<IpAddr>()
        .ok()
        .or_else(|| s.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .map(|ip| ip.to_canonical())
}

/// The client's address (see the module documentation); `None` without a socket peer.
pub fn client_address(
    trusted: &TrustedProxies,
    peer: Option<SocketAddr>,
    headers: &HeaderMap,
) -> Option<IpAddr> {
    let peer = peer?.ip().to_canonical();
    if !trusted.contains(peer) {
        return Some(peer);
    }
    // Every X-Forwarded-For line, in order, as one list.
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    let mut client = peer;
    for entry in entries.iter().rev() {
        let Some(ip) = forwarded_entry(entry) else {
            // Garbage where an address should be: the last hop we trust named nothing
            // usable, so it is the client as far as we can tell.
            break;
        };
        client = ip;
        if !trusted.contains(ip) {
            break;
        }
    }
    Some(client)
}

/// [`client_address`] as text for logs and the audit log (empty without a peer).
pub fn client_address_text(
    trusted: &TrustedProxies,
    peer: Option<SocketAddr>,
    headers: &HeaderMap,
) -> String {
    client_address(trusted, peer, headers)
        .map(|ip| ip.to_string())
        .unwrap_or_default()
}

/// [`client_address_text`] of a request: its socket peer comes from axum's `ConnectInfo`.
pub fn client_of<B>(trusted: &TrustedProxies, req: &http::Request<B>) -> String {
    client_address_text(
        trusted,
        req.extensions()
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map(|c| c.0),
        req.headers(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn xff(values: &[&'static str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_static(v));
        }
        h
    }

    fn peer(s: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(s.parse().unwrap(), 40000))
    }

    fn ip(s: &str) -> Option<IpAddr> {
        s.parse().ok()
    }

    #[test]
    fn ranges_parse_and_match() {
        let t = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8 ::1 2001:db8::/32").expect("list");
        assert!(t.contains("127.0.0.1".parse().unwrap()));
        assert!(t.contains(IpAddr::from([10, 200, 3, 4])));
        assert!(!t.contains(IpAddr::from([11, 0, 0, 1])));
        assert!(t.contains("::1".parse().unwrap()));
        assert!(t.contains("2001:db8:1::5".parse().unwrap()));
        // An IPv4 peer seen as IPv6-mapped is still itself.
        assert!(t.contains("::ffff:10.1.1.1".parse().unwrap()));
        assert!(TrustedProxies::parse("").expect("empty").is_empty());
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("nginx").is_err());
        let all = TrustedProxies::parse("0.0.0.0/0").expect("all");
        assert!(all.contains(IpAddr::from([8, 8, 8, 8])));
    }

    #[test]
    fn without_trusted_proxies_the_socket_decides() {
        let none = TrustedProxies::default();
        let h = xff(&["203.0.113.5"]);
        assert_eq!(
            client_address(&none, peer("127.0.0.1"), &h),
            ip("127.0.0.1")
        );
        assert_eq!(
            client_address(&none, peer("198.51.100.2"), &h),
            ip("198.51.100.2")
        );
        assert_eq!(client_address(&none, None, &h), None);
    }

    #[test]
    fn a_forged_header_from_an_untrusted_peer_is_ignored() {
        let t = TrustedProxies::parse("127.0.0.1").expect("list");
        let mut h = xff(&["10.9.9.9"]);
        h.insert("x-real-ip", HeaderValue::from_static("10.8.8.8"));
        assert_eq!(
            client_address(&t, peer("198.51.100.2"), &h),
            ip("198.51.100.2")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_entry_is_the_client() {
        let t = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").expect("list");
        // The client claimed 1.1.1.1; nginx appended the address it saw.
        let h = xff(&["1.1.1.1, 203.0.113.5"]);
        assert_eq!(client_address(&t, peer("127.0.0.1"), &h), ip("203.0.113.5"));
        // Two proxies of ours: a load balancer at 10.0.0.7 in front of the local nginx.
        let h = xff(&["1.1.1.1, 203.0.113.5, 10.0.0.7"]);
        assert_eq!(client_address(&t, peer("127.0.0.1"), &h), ip("203.0.113.5"));
        // Split over several header lines, the order still holds.
        let h = xff(&["1.1.1.1", "203.0.113.6"]);
        assert_eq!(client_address(&t, peer("127.0.0.1"), &h), ip("203.0.113.6"));
        // With a port, or IPv6.
        let h = xff(&["203.0.113.7:51234"]);
        assert_eq!(client_address(&t, peer("127.0.0.1"), &h), ip("203.0.113.7"));
        let h = xff(&["[2001:db8::9]:443"]);
        assert_eq!(client_address(&t, peer("127.0.0.1"), &h), ip("2001:db8::9"));
    }

    #[test]
    fn x_real_ip_is_never_read() {
        let t = TrustedProxies::parse("127.0.0.1").expect("list");
        let mut h = HeaderMap::new();
        h.insert("x-real-ip", HeaderValue::from_static("203.0.113.9"));
        assert_eq!(client_address(&t, peer("127.0.0.1"), &h), ip("127.0.0.1"));
    }

    #[test]
    fn garbage_or_all_trusted_entries_stop_at_the_last_good_hop() {
        let t = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").expect("list");
        let h = xff(&["203.0.113.5, not-an-ip"]);
        assert_eq!(client_address(&t, peer("127.0.0.1"), &h), ip("127.0.0.1"));
        let h = xff(&["10.1.2.3"]);
        assert_eq!(client_address(&t, peer("127.0.0.1"), &h), ip("10.1.2.3"));
        let h = HeaderMap::new();
        assert_eq!(client_address(&t, peer("127.0.0.1"), &h), ip("127.0.0.1"));
    }
}
