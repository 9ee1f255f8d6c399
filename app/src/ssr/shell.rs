//! The HTML document around every page, and which browser bundle it loads.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use leptos::WasmSplitManifest;
use leptos::prelude::*;
use leptos_meta::MetaTags;

use crate::app::App;

/// Where the full bundle sits under the site's pkg directory (scripts/build-site copies it).
const FULL_DIR: &str = "full";
/// The full bundle's cargo-leptos output name and hash file (Cargo.toml, project
/// "portico-full").
const FULL_NAME: &str = "portico-full";
const FULL_HASH_FILE: &str = "hash-full.txt";

/// Whether the page at `path` has one of the islands only the full bundle holds (the reader
/// forms, 我的收藏, the editors). Every other page loads the reader bundle, which has only the
/// small reader islands.
pub fn uses_full_bundle(path: &str) -> bool {
    path == "/admin"
        || path.starts_with("/admin/")
        || matches!(path, "/favorites" | "/messages" | "/submit")
}

/// The options that make `HydrationScripts` load the full bundle.
fn full_options(options: &LeptosOptions) -> LeptosOptions {
    let mut full = options.clone();
    full.output_name = Arc::from(FULL_NAME);
    full.site_pkg_dir = Arc::from(format!("{}/{FULL_DIR}", options.site_pkg_dir));
    full.hash_file = Arc::from(FULL_HASH_FILE);
    full
}

/// The response header that hands the render's script nonce to the layer that writes the
/// page's Content-Security-Policy (which removes it again).
pub const NONCE_HEADER: &str = "x-portico-script-nonce";

/// Tells the policy layer the nonce this render put on the framework's own scripts (Leptos
/// writes it on its hydration and streaming scripts): only scripts carrying it may run.
fn announce_nonce() {
    let nonce = leptos::nonce::use_nonce();
    let options = use_context::<leptos_axum::ResponseOptions>();
    if let (Some(nonce), Some(options)) = (nonce, options)
        && let Ok(value) = http::HeaderValue::from_str(&nonce)
    {
        options.insert_header(http::HeaderName::from_static(NONCE_HEADER), value);
    }
}

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    announce_nonce();
    let css = stylesheet_href(&options);
    let path = use_context::<http::request::Parts>()
        .map(|p| p.uri.path().to_owned())
        .unwrap_or_default();
    let full = uses_full_bundle(&path);
    let scripts = if full {
        full_options(&options)
    } else {
        options.clone()
    };
    let manifest = split_manifest(&scripts, full);
    let view = view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b4a8b" />
                <link rel="stylesheet" id="site-css" href=css />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options=scripts islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    };
    // `HydrationScripts` keeps one split manifest per process: give the page the one of the
    // bundle it loads, so the chunks it preloads are that bundle's.
    if let Some(manifest) = manifest {
        provide_context(manifest);
    }
    view
}

/// The split manifest (which chunks each lazy island needs) of the reader or the full bundle,
/// read once per process.
fn split_manifest(options: &LeptosOptions, full: bool) -> Option<WasmSplitManifest> {
    static READER: OnceLock<Option<WasmSplitManifest>> = OnceLock::new();
    static FULL: OnceLock<Option<WasmSplitManifest>> = OnceLock::new();
    let cell = if full { &FULL } else { &READER };
    cell.get_or_init(|| read_manifest(options)).clone()
}

fn read_manifest(options: &LeptosOptions) -> Option<WasmSplitManifest> {
    let hashes = hashes(options);
    let named = |kind: &str, stem: &str, ext: &str| match hashes.get(kind) {
        Some(h) => format!("{stem}.{h}.{ext}"),
        None => format!("{stem}.{ext}"),
    };
    let split_js = match hashes.get("split") {
        Some(h) => format!("__wasm_split.{h}.js"),
        None => "__wasm_split.______________________.js".to_owned(),
    };
    let file = std::path::Path::new(options.site_root.as_ref())
        .join(options.site_pkg_dir.as_ref())
        .join(named("manifest", "__wasm_split_manifest", "json"));
    let text = std::fs::read_to_string(file).ok()?;
    let map: HashMap<String, Vec<String>> = serde_json::from_str(&text).ok()?;
    Some(WasmSplitManifest(ArcStoredValue::new((
        format!("/{}", options.site_pkg_dir),
        map,
        split_js,
    ))))
}

/// The hashes cargo-leptos wrote beside the server binary (`kind: hash` lines).
fn hashes(options: &LeptosOptions) -> HashMap<String, String> {
    if !options.hash_files {
        return HashMap::new();
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            let file = exe.parent()?.join(options.hash_file.as_ref());
            std::fs::read_to_string(file).ok()
        })
        .map(|text| {
            text.lines()
                .filter_map(|line| {
                    let (kind, hash) = line.split_once(':')?;
                    Some((kind.trim().to_owned(), hash.trim().to_owned()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The stylesheet's address, with the hash cargo-leptos put in its name. Found once per
/// process: leptos_meta's `HashedStylesheet` reads the hash file on every render.
fn stylesheet_href(options: &LeptosOptions) -> &'static str {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| {
        let name = match hashes(options).get("css") {
            Some(h) => format!("{}.{h}.css", options.output_name),
            None => format!("{}.css", options.output_name),
        };
        format!("/{}/{name}", options.site_pkg_dir)
    })
}

#[cfg(test)]
mod tests {
    use super::uses_full_bundle;

    #[test]
    fn only_pages_with_heavy_islands_load_the_full_bundle() {
        for path in [
            "/admin",
            "/admin/articles/3",
            "/favorites",
            "/messages",
            "/submit",
        ] {
            assert!(uses_full_bundle(path), "{path}");
        }
        for path in [
            "/",
            "/articles/1",
            "/columns/news",
            "/messages/track",
            "/submit/track",
            "/administer",
        ] {
            assert!(!uses_full_bundle(path), "{path}");
        }
    }
}
