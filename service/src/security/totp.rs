//! The second factor: time-based one-time passwords (TOTP, RFC 6238: HMAC-SHA1, 30-second
//! steps, six digits — what every authenticator app makes) and one-time recovery codes.
//!
//! The shared secret is stored encrypted (AES-256-GCM, a key derived from the installation
//! secret, which the database never holds); recovery codes are stored as keyed hashes. A
//! code is accepted one step either side of now (clocks drift), and never twice: the last
//! step used is kept, and only a later one is accepted.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::Sha256;

use crate::secret::{self, hex};
use crate::{Error, Result};

/// Seconds per step.
pub const STEP: i64 = 30;
/// Steps either side of now that are still accepted.
pub const DRIFT: i64 = 1;
/// Recovery codes made at once.
pub const RECOVERY_CODES: usize = 10;

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    Ok(b)
}

/// A new shared secret (160 bits, as RFC 4226 recommends).
pub fn new_secret() -> Result<Vec<u8>> {
    Ok(random::<20>()?.to_vec())
}

/// The secret as authenticator apps take it when typed in: base32 without padding.
pub fn base32(secret: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(secret)
}

/// The address an authenticator app reads from the QR code.
pub fn otpauth_url(issuer: &str, account: &str, secret: &[u8]) -> String {
    let issuer_q = uri_component(issuer);
    format!(
        "otpauth://totp/{issuer_q}:{}?secret={}&issuer={issuer_q}&algorithm=SHA1&digits=6&period={STEP}",
        uri_component(account),
        base32(secret),
    )
}

/// Percent-encodes everything but unreserved characters (for the otpauth label).
fn uri_component(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The six-digit code of `secret` at step `step` (RFC 4226's HOTP of the step counter).
pub fn code_at(secret: &[u8], step: i64) -> u32 {
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(&step.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[19] & 0x0f);
    let bin = (u32::from(h[offset]) & 0x7f) << 24
        | u32::from(h[offset + 1]) << 16
        | u32::from(h[offset + 2]) << 8
        | u32::from(h[offset + 3]);
    bin % 1_000_000
}

/// The step of a Unix time.
pub fn step_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP)
}

/// The step `code` belongs to, when it is right for a step near `now` and later than
/// `last_used` (a code already used is refused).
pub fn accepts(secret: &[u8], code: &str, now: i64, last_used: Option<i64>) -> Option<i64> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let wanted: u32 = digits.parse().ok()?;
    let here = step_of(now);
    (here - DRIFT..=here + DRIFT)
        .filter(|s| last_used.is_none_or(|l| *s > l))
        .find(|s| constant_time_eq(code_at(secret, *s), wanted))
}

fn constant_time_eq(a: u32, b: u32) -> bool {
    (a ^ b) == 0
}

fn cipher() -> Result<Aes256Gcm> {
    let key = secret::installed()?.derive("totp-secret-v1");
    Aes256Gcm::new_from_slice(&key).map_err(|_| Error::Invalid("bad key length".into()))
}

/// Encrypts a shared secret for storing: `v1:` and base64 of nonce and ciphertext.
pub fn seal(plain: &[u8]) -> Result<String> {
    let nonce = random::<12>()?;
    let sealed = cipher()?
        .encrypt(&Nonce::from(nonce), plain)
        .map_err(|_| Error::Invalid("encryption failed".into()))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    Ok(format!("v1:{}", STANDARD.encode(out)))
}

/// Decrypts a stored shared secret.
pub fn open(stored: &str) -> Result<Vec<u8>> {
    let bad = || {
        Error::Io(std::io::Error::other(
            "a stored second-factor secret cannot be decrypted (another installation key?)",
        ))
    };
    let raw = stored
        .strip_prefix("v1:")
        .and_then(|b| STANDARD.decode(b).ok())
        .filter(|b| b.len() > 12)
        .ok_or_else(bad)?;
    let nonce: [u8; 12] = raw[..12].try_into().map_err(|_| bad())?;
    cipher()?
        .decrypt(&Nonce::from(nonce), &raw[12..])
        .map_err(|_| bad())
}

/// Ten new recovery codes, `ABCD-EFGH` (about 40 bits each).
pub fn new_recovery_codes() -> Result<Vec<String>> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let c = crate::auth::random_code(8)?;
            Ok(format!("{}-{}", &c[..4], &c[4..]))
        })
        .collect()
}

/// A recovery code as typed (any case, with or without the dash or spaces) in one form.
pub fn normalize_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Whether `code` looks like a recovery code rather than a six-digit one.
pub fn is_recovery_code(code: &str) -> bool {
    normalize_recovery(code).len() == 8
}

/// The stored form of a recovery code: a keyed hash.
pub fn recovery_hash(code: &str) -> Result<String> {
    let key = secret::installed()?.derive("recovery-code-v1");
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(normalize_recovery(code).as_bytes());
    Ok(hex(&mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 (its eight-digit codes, of which TOTP apps show the last
    /// six).
    #[test]
    fn codes_match_the_rfc_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, eight) in [
            (59_i64, 94_287_082_u32),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
            (20_000_000_000, 65_353_130),
        ] {
            assert_eq!(code_at(secret, step_of(time)), eight % 1_000_000, "{time}");
        }
    }

    #[test]
    fn a_code_is_accepted_near_its_time_and_only_once() {
        let secret = new_secret().unwrap();
        let now = 1_800_000_000;
        let code = format!("{:06}", code_at(&secret, step_of(now)));
        let step = accepts(&secret, &code, now, None).unwrap();
        assert_eq!(step, step_of(now));
        assert_eq!(
            accepts(&secret, &code, now + 30, None),
            Some(step),
            "one step late"
        );
        assert_eq!(accepts(&secret, &code, now + 90, None), None, "too late");
        assert_eq!(accepts(&secret, &code, now, Some(step)), None, "used");
        assert_eq!(accepts(&secret, "12345", now, None), None);
        assert_eq!(accepts(&secret, "abcdef", now, None), None);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(accepts(&secret, &spaced, now, None), Some(step));
    }

    #[test]
    fn secrets_are_sealed_and_recovery_codes_hashed() {
        let secret = new_secret().unwrap();
        let sealed = seal(&secret).unwrap();
        assert!(sealed.starts_with("v1:"));
        assert!(!sealed.contains(&base32(&secret)));
        assert_ne!(seal(&secret).unwrap(), sealed, "a fresh nonce each time");
        assert_eq!(open(&sealed).unwrap(), secret);
        // One character of the sealed text changed, in the middle (the last one may carry
        // only padding bits, and may already be the replacement).
        let middle = sealed.len() / 2;
        let other = if sealed.as_bytes()[middle] == b'A' {
            "B"
        } else {
            "A"
        };
        let mut tampered = sealed.clone();
        tampered.replace_range(middle..=middle, other);
        assert_ne!(tampered, sealed);
        assert!(open(&tampered).is_err());
        let codes = new_recovery_codes().unwrap();
        assert_eq!(codes.len(), 10);
        assert!(codes.iter().all(|c| c.len() == 9 && is_recovery_code(c)));
        assert!(!is_recovery_code("123456"));
        assert_eq!(
            recovery_hash(&codes[0]).unwrap(),
            recovery_hash(&codes[0].to_lowercase().replace('-', " ")).unwrap()
        );
        assert_eq!(
            base32(b"12345678901234567890"),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
        let url = otpauth_url("中国开发区协会", "chief", b"12345678901234567890");
        assert!(url.starts_with("otpauth://totp/%E4%B8%AD"), "{url}");
        assert!(url.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&"));
    }
}
