//! Client addresses as the rate limits count them.
//!
//! An IPv4 address is one client. An IPv6 client is usually given a whole /64 (a home or a
//! phone gets 2^64 addresses to choose from), so counting per full IPv6 address would let one
//! client step around every limit: limits count per /64. The audit log keeps the full
//! address.

use std::net::{IpAddr, Ipv6Addr};

/// The part of `address` a limit counts: the address itself for IPv4 (and IPv4-mapped
/// IPv6), its /64 for IPv6 (`2001:db8:1:2::/64`). Anything that is not an address is kept
/// as it is (empty stays empty).
pub fn limit_key(address: &str) -> String {
    match address.trim().parse::<IpAddr>().map(|ip| ip.to_canonical()) {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => {
            let net = u128::from(v6) & (u128::MAX << 64);
            format!("{}/64", Ipv6Addr::from(net))
        }
        Err(_) => address.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        assert_eq!(limit_key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(
            limit_key("2001:db8:1:2:ffff:ffff:ffff:ffff"),
            "2001:db8:1:2::/64"
        );
        assert_ne!(limit_key("2001:db8:1:3::1"), limit_key("2001:db8:1:2::1"));
        assert_eq!(limit_key("203.0.113.7"), "203.0.113.7");
        assert_eq!(limit_key("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(limit_key("::1"), "::/64");
        assert_eq!(limit_key(""), "");
        assert_eq!(limit_key("not an address"), "not an address");
    }
}
