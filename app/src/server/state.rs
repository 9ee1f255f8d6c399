use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::FromRef;
use chrono_tz::Tz;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;
use service::hits::HitBuffer;

/// Site-level configuration that pages need (from Leptos.toml and the environment).
#[derive(Clone, Debug)]
pub struct SiteConfig {
    /// The public base URL, without a trailing slash: `https://www.example.org`.
    pub public_url: String,
    pub time_zone: Tz,
    pub uploads_dir: PathBuf,
    /// How long staff sessions last.
    pub sessions: service::auth::SessionPolicy,
    /// Whether cookies get the `Secure` flag (the public URL is https).
    pub secure_cookies: bool,
    /// The code first-time setup asks for, printed to this server's log at start while no
    /// account exists (a local reverse proxy would otherwise make every visitor "local").
    pub setup_code: String,
    /// Whether a local reverse proxy tells the client's address (`[admin] behind-proxy`).
    pub behind_proxy: bool,
}

impl SiteConfig {
    /// The absolute URL of a site path such as `/articles/3`.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.public_url, path)
    }
}

/// Everything a request handler or server function needs. Cheap to clone. Holds no state
/// that matters beyond this process except through the database: the hit buffer is flushed
/// to it every few seconds.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub hits: Arc<HitBuffer>,
    pub site: Arc<SiteConfig>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
