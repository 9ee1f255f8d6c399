//! Start-up: database, state, router and listener; the background tasks are in `tasks`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use app::ssr::gate::Gate;
use app::ssr::{AppState, SetupGate, SiteConfig};
use app::{App, shell};
use axum::Router;
use axum::routing::{get, post};
use leptos_axum::{LeptosRoutes, generate_route_list};
use service::db::Db;
use service::password::Passwords;
use service::seed::SeedReport;
use service::storage::Stores;
use service::view_count::HitBuffer;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tower::ServiceBuilder;

use crate::admin_auth;
use crate::config::Settings;
use crate::page_cache::{self, PageCache};
use crate::{routes, tasks};

/// Connects to the configured database and applies pending migrations.
pub async fn connect_and_migrate(url: &str) -> anyhow::Result<Db> {
    let db = service::db::connect(url)
        .await
        .with_context(|| format!("cannot open the database {}", redact(url)))?;
    service::db::migrate(&db)
        .await
        .context("database migration failed")?;
    let sealed = service::audit::chain::seal_earlier_rows(&db)
        .await
        .context("cannot seal the audit log's earlier rows into its hash chain")?;
    if sealed > 0 {
        tracing::info!(
            rows = sealed,
            "sealed the audit log's earlier rows into its hash chain"
        );
    }
    // Readers' contact details from before encryption (or a restored older backup).
    let resealed = service::security::personal::reseal_clear(&db)
        .await
        .context("cannot encrypt readers' contact details")?;
    if resealed.rows > 0 {
        tracing::info!(rows = resealed.rows, "encrypted readers' contact details");
    }
    Ok(db)
}

/// Makes the configured installation secret this process's (see `service::secret`); every
/// command does this first.
pub fn install_secret(settings: &Settings) -> anyhow::Result<()> {
    let secret = settings.secret.load()?;
    let ring = service::security::personal::Keyring::new(
        &secret,
        settings.personal_data_key.as_ref(),
        &settings.personal_data_old_keys,
    );
    service::secret::install(secret).context("cannot use the installation key")?;
    service::security::personal::install(ring).context("cannot use the personal-data key")?;
    Ok(())
}

/// Opens the configured file stores (creating local directories).
pub fn open_stores(settings: &Settings) -> anyhow::Result<Stores> {
    Stores::open(&settings.storage).with_context(|| {
        format!(
            "cannot open the file storage ({})",
            settings.storage.describe()
        )
    })
}

/// Seeds the demo content into an empty database.
pub async fn seed_demo(
    db: &Db,
    stores: &Stores,
    settings: &Settings,
) -> anyhow::Result<Option<SeedReport>> {
    service::seed::seed_demo(db, &stores.media, settings.time_zone)
        .await
        .context("seeding the demo content failed")
}

/// A database URL without its password, for messages.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The state every handler shares.
pub async fn build_state(settings: &Settings, db: Db, files: Stores) -> anyhow::Result<AppState> {
    let form_keys = service::form::Keys::load(&db)
        .await
        .context("cannot read or make the forms' signing key")?;
    let sites = Arc::new(
        service::site::directory::Sites::load(&db, &settings.public_url)
            .await
            .context("cannot read the sites")?,
    );
    Ok(AppState::new(app::ssr::AppStateInner {
        leptos_options: settings.leptos.clone(),
        db,
        hits: Arc::new(HitBuffer::new()),
        misses: Arc::default(),
        site: Arc::new(SiteConfig {
            time_zone: settings.time_zone,
            secure_cookies: settings.public_url.starts_with("https://"),
            trusted_proxies: settings.trusted_proxies.clone(),
        }),
        files,
        passwords: Passwords::start().context("cannot start the password worker")?,
        // A few sign-ins at a time keep the password worker busy; up to 256 more wait (a
        // few kilobytes each) for at most 20 seconds.
        logins: Arc::new(Gate::new(4, 256, Duration::from_secs(20))),
        setup: Arc::new(SetupGate::generate()),
        forms: Arc::new(app::ssr::FormsConfig {
            keys: form_keys,
            limits: settings.forms,
        }),
        mail: match &settings.mail {
            Some(c) => Some(service::mail::Mailer::new(c).map_err(anyhow::Error::msg)?),
            None => None,
        },
        // The log follower drops it at once; the age limit is a backstop.
        common: Arc::new(service::site::Common::new(tasks::COMMON_MAX_AGE)),
        chrome: Default::default(),
        security: Arc::default(),
        sites,
    }))
}

/// The Leptos page routes, generated once per process.
///
/// Generating them runs the whole app with resource loading suppressed through a
/// process-global flag in `leptos_server`: a resource first polled by a page being rendered
/// at that moment would never finish. Doing it once, before any router exists, keeps that
/// window closed for every server in the process (tests start many, and must use this too
/// rather than generating the list themselves).
pub fn page_routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// All routes: the Leptos pages and server functions, and the routes that are not pages,
/// behind the page cache.
pub fn build_router(
    state: AppState,
    cache: Arc<PageCache>,
    metrics_allow: &app::ssr::client::TrustedProxies,
) -> Router {
    let page_routes = page_routes();
    let metrics = Arc::new(crate::metrics::Metrics::default());
    let metrics_sources = crate::metrics::Sources {
        metrics: metrics.clone(),
        cache: cache.clone(),
        app: state.clone(),
        allow: Arc::new(metrics_allow.clone()),
    };
    let router = Router::new()
        .route("/healthz", get(routes::health::alive))
        .route("/readyz", get(routes::health::ready))
        .route("/prefs/font-size", get(routes::prefs::font_size))
        .route("/prefs/aid", get(routes::prefs::aid))
        .route("/prefs/reset", get(routes::prefs::reset))
        .route("/api/hits/{id}", get(routes::hits::hits))
        .route("/rss.xml", get(routes::feeds::site_feed))
        .route("/columns/{slug}/rss.xml", get(routes::feeds::column_feed))
        .route("/sitemap.xml", get(routes::sitemap::sitemap))
        .route("/sitemaps/{file}", get(routes::sitemap::sitemap_file))
        .route("/robots.txt", get(routes::sitemap::robots))
        .route("/messages", post(routes::reader_forms::message::post))
        .route(
            "/messages/track",
            post(routes::reader_forms::message::track),
        )
        .route("/submit", post(routes::reader_forms::submission::post))
        .route(
            "/submit/track",
            post(routes::reader_forms::submission::track),
        )
        .route(
            "/api/admin/submissions/{id}/files/{file}",
            get(routes::staff_files::download),
        )
        .route(
            app::api::admin::articles::DOCX_URL,
            post(routes::staff_files::import_docx),
        )
        .route("/admin/login", post(admin_auth::login))
        .route("/admin/logout", post(admin_auth::logout))
        .route("/admin/login/2fa", post(admin_auth::login_second_factor))
        .route("/admin/setup", post(admin_auth::setup))
        .route("/admin/password", post(admin_auth::change_password))
        .route(
            app::api::admin::audit::EXPORT_URL,
            get(routes::audit_export::export),
        )
        .route(
            app::api::admin::media::UPLOAD_URL,
            post(routes::upload::upload).layer(axum::extract::DefaultBodyLimit::max(
                service::media::MAX_BYTES + 64 * 1024,
            )),
        )
        .route(
            app::api::admin::articles::PASTE_URL,
            post(routes::paste::paste),
        )
        .route("/media/{*path}", get(routes::media::media))
        .leptos_routes(&state, page_routes, {
            // Behind an Arc: the route services are cloned for every request, and with them
            // this closure; the options themselves are only cloned when a page is rendered.
            let options = Arc::new(state.leptos_options.clone());
            move || shell((*options).clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state.clone());
    // The middleware wraps the router as a whole rather than each route (`Router::layer`
    // clones a route's whole stack, boxed, for every request): a page served from the cache
    // never reaches routing at all. Outermost first.
    let stack = ServiceBuilder::new()
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            crate::metrics::record,
        ))
        .layer(axum::middleware::from_fn_with_state(
            routes::security::Https(state.site.secure_cookies),
            routes::security::headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            routes::site::resolve,
        ))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn(routes::body_limit::layer))
        .layer(axum::middleware::from_fn(routes::headers::cache_control))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            routes::redirects::layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            routes::views::count_views,
        ))
        .layer(axum::middleware::from_fn(routes::errors::by_route))
        .layer(axum::middleware::from_fn_with_state(
            cache,
            page_cache::layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            admin_auth::session_layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state,
            admin_auth::guard_layer,
        ))
        .layer(axum::middleware::from_fn(routes::security::csp))
        .service(router);
    // `/metrics` beside the stack: never cached, never counted, answered to few.
    Router::new()
        .route(
            "/metrics",
            get(crate::metrics::handler).with_state(metrics_sources),
        )
        .fallback_service(stack)
}

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    cache: Arc<PageCache>,
    tasks: Vec<JoinHandle<()>>,
}

impl Application {
    /// Connects, migrates, seeds (if enabled and the database is empty) and binds.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        // Uploads a killed server left half-read.
        tokio::task::spawn_blocking(service::submission::content::clean_spool);
        install_secret(&settings)?;
        let db = connect_and_migrate(&settings.database_url).await?;
        if settings.seed_demo
            && let Some(r) = seed_demo(&db, &open_stores(&settings)?, &settings).await?
        {
            tracing::info!(
                articles = r.articles,
                images = r.images,
                "seeded the demo content into the empty database"
            );
        }
        // A small database from before search (or filled by an import) gets its index in
        // the background; a large one is asked to run `portico reindex` (with progress).
        let indexing = db.clone();
        tokio::spawn(async move {
            if let Err(e) = service::search::ensure_built(&indexing).await {
                tracing::error!(error = %e, "building the search index failed");
            }
        });
        Self::with_database(settings, db).await
    }

    /// Binds a server over an already prepared database.
    pub async fn with_database(settings: Settings, db: Db) -> anyhow::Result<Application> {
        let addr = settings.leptos.site_addr;
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let state = build_state(&settings, db, open_stores(&settings)?).await?;
        if service::auth::user_count(&state.db).await.unwrap_or(1) == 0 {
            tracing::warn!(
                "尚无管理员账号。请在服务器本机打开 {}/admin/setup ，设置码 {}（或运行 portico create-admin）",
                settings.public_url,
                state.setup.code()
            );
        }
        let cache = Arc::new(PageCache::new(settings.cache_bytes));
        let start = service::cache::latest_id(&state.db)
            .await
            .context("cannot read the cache invalidation log")?;
        let tasks = vec![
            tasks::spawn_hit_flusher(&state, &settings),
            tasks::spawn_miss_flusher(&state, &settings),
            tasks::spawn_scheduler(state.db.clone()),
            tasks::spawn_personal_data_care(state.db.clone(), state.files.private.clone()),
            tasks::spawn_invalidation_follower(
                state.db.clone(),
                cache.clone(),
                state.common.clone(),
                state.sites.clone(),
                settings.cache_poll,
                start,
                state.security.clone(),
            ),
        ];
        Ok(Application {
            router: build_router(state.clone(), cache.clone(), &settings.metrics_allow),
            listener,
            state,
            cache,
            tasks,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    pub fn port(&self) -> u16 {
        self.address().port()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn page_cache(&self) -> Arc<PageCache> {
        self.cache.clone()
    }

    /// Serves until Ctrl-C or SIGTERM, then writes the remaining view counts.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let Application {
            listener,
            router,
            state,
            tasks,
            ..
        } = self;
        let result = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await;
        for task in tasks {
            task.abort();
        }
        if let Err(e) = state.hits.flush(&state.db, state.site.time_zone).await {
            tracing::error!(error = %e, "could not write the last view counts");
        }
        result
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://app:s3cret@db/portico"),
            "postgres://app:***@db/portico"
        );
        assert_eq!(
            redact("postgres://app@db/portico"),
            "postgres://app@db/portico"
        );
        assert_eq!(
            redact("sqlite://data/x.db?mode=rwc"),
            "sqlite://data/x.db?mode=rwc"
        );
    }
}
