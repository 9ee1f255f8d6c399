use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::extract::FromRef;
use chrono_tz::Tz;
use leptos::config::LeptosOptions;
use service::db::Db;
use service::password::Passwords;
use service::view_count::HitBuffer;

use super::client::TrustedProxies;

/// The installation's configuration that pages need (from Leptos.toml and the environment),
/// the same for every site; a site's own address is its [`RequestSite`]'s.
#[derive(Clone, Debug)]
pub struct SiteConfig {
    pub time_zone: Tz,
    /// Whether cookies get the `Secure` flag (the public URL is https).
    pub secure_cookies: bool,
    /// The operator's proxies, whose `X-Forwarded-For` is believed (`[site] trusted-proxies`).
    pub trusted_proxies: TrustedProxies,
}

/// Everything a request handler or server function needs. Cheap to clone: one shared
/// [`AppStateInner`] (every request clones the state several times on its way through the
/// middleware, and cloning the fields themselves was a third of a cached page's CPU). Holds
/// no state that matters beyond this process except through the database: the hit buffer is
/// flushed to it every few seconds.
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

impl AppState {
    pub fn new(inner: AppStateInner) -> AppState {
        AppState(Arc::new(inner))
    }
}

impl std::ops::Deref for AppState {
    type Target = AppStateInner;

    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

/// What [`AppState`] shares.
pub struct AppStateInner {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub hits: Arc<HitBuffer>,
    /// Addresses answered 404, counted for the back office's list of missing pages.
    pub misses: Arc<service::redirect::Misses>,
    pub site: Arc<SiteConfig>,
    /// The stored files: public media (`/media/`) and private 投稿 attachments, in a
    /// directory or an S3 bucket.
    pub files: service::storage::Stores,
    /// The password worker (argon2id with its memory allocated once).
    pub passwords: Arc<Passwords>,
    /// Sign-in attempts worked on at once (the rest wait, then are told to retry).
    pub logins: Arc<super::gate::Gate>,
    pub setup: Arc<SetupGate>,
    /// The public forms' signing key and limits.
    pub forms: Arc<FormsConfig>,
    /// E-mail notices, when `[mail]` is configured.
    pub mail: Option<service::mail::Mailer>,
    /// The settings, columns, footer links and notices every page shows, read once.
    pub common: Arc<service::site::Common>,
    /// The chrome made of the current `common` copy.
    pub chrome: service::site::Derived<crate::models::Chrome>,
    /// The security policy, read again every few seconds.
    pub security: Arc<service::security::PolicyCache>,
    /// 站群: the sites and the host names that reach them, read again when they change.
    pub sites: Arc<service::site::directory::Sites>,
}

/// The site a request is for, put into the request by the host routing before anything else
/// sees it.
#[derive(Clone, Debug)]
pub struct RequestSite(pub Arc<service::site::directory::SiteRef>);

impl RequestSite {
    /// The absolute address of one of the site's paths, such as `/articles/3`.
    pub fn absolute(&self, path: &str) -> String {
        self.0.absolute(path)
    }

    pub fn id(&self) -> i32 {
        self.0.id
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for RequestSite {
    type Rejection = crate::error::AppError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        of_request(parts)
    }
}

/// The request's site, which the host routing put there (a request without one is a fault
/// in the server's wiring, never a reason to serve another site).
pub(super) fn of_request(
    parts: &http::request::Parts,
) -> Result<RequestSite, crate::error::AppError> {
    parts
        .extensions
        .get::<RequestSite>()
        .cloned()
        .ok_or_else(|| {
            tracing::error!(path = %parts.uri.path(), "a request reached the app without its site");
            crate::error::AppError::Internal
        })
}

/// What the public forms (留言, 投稿) are checked with.
#[derive(Clone, Debug)]
pub struct FormsConfig {
    pub keys: service::form::Keys,
    pub limits: service::form::Limits,
}

/// First-time setup: the code printed to this server's log at start while no account exists
/// (a local reverse proxy would otherwise make every visitor "local"), and the wrong codes
/// typed against it. After [`SetupGate::MAX_FAILURES`] wrong codes setup closes until the
/// server restarts with a new code.
#[derive(Debug)]
pub struct SetupGate {
    code: String,
    failures: AtomicU32,
}

/// What a typed setup code got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupCheck {
    Right,
    Wrong,
    /// Too many wrong codes: setup is closed until the server restarts.
    Closed,
}

impl SetupGate {
    pub const MAX_FAILURES: u32 = 10;

    /// A gate with a fresh random code (empty, so closed, if no randomness is available).
    pub fn generate() -> SetupGate {
        SetupGate::with_code(service::auth::setup_code().unwrap_or_default())
    }

    pub fn with_code(code: String) -> SetupGate {
        SetupGate {
            code,
            failures: AtomicU32::new(0),
        }
    }

    /// The code, grouped for reading: `7KQF-M3XP-9TWA`.
    pub fn code(&self) -> &str {
        &self.code
    }

    pub fn is_closed(&self) -> bool {
        self.code.is_empty() || self.failures.load(Ordering::Acquire) >= Self::MAX_FAILURES
    }

    /// Checks a typed code (case, spaces and dashes do not matter); a wrong one counts.
    pub fn check(&self, typed: &str) -> SetupCheck {
        if self.is_closed() {
            return SetupCheck::Closed;
        }
        let normal = |s: &str| -> Vec<u8> {
            s.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_uppercase() as u8)
                .collect()
        };
        let (typed, expected) = (normal(typed), normal(&self.code));
        let same = typed.len() == expected.len()
            && typed
                .iter()
                .zip(&expected)
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if same {
            return SetupCheck::Right;
        }
        let failures = self.failures.fetch_add(1, Ordering::AcqRel) + 1;
        if failures >= Self::MAX_FAILURES {
            SetupCheck::Closed
        } else {
            SetupCheck::Wrong
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_codes_are_long_unambiguous_and_close_after_ten_wrong_tries() {
        let gate = SetupGate::generate();
        let code = gate.code().to_owned();
        let chars: String = code.chars().filter(|c| *c != '-').collect();
        assert!(chars.chars().count() >= 12, "{code}");
        assert!(
            chars
                .chars()
                .all(|c| "ABCDEFGHJKMNPQRSTUVWXYZ23456789".contains(c)),
            "{code}"
        );
        assert_ne!(SetupGate::generate().code(), code, "codes are random");
        // Typed in lower case with spaces, it is still right.
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(gate.check(&typed), SetupCheck::Right);
        for _ in 0..9 {
            assert_eq!(gate.check("AAAA-AAAA-AAAA"), SetupCheck::Wrong);
        }
        assert_eq!(gate.check("AAAA-AAAA-AAAA"), SetupCheck::Closed);
        // Closed even for the right code now.
        assert_eq!(gate.check(&code), SetupCheck::Closed);
        assert!(gate.is_closed());
    }
}
