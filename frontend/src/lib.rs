//! The browser entry point: hydrates the islands of a server-rendered page.
#![cfg(target_arch = "wasm32")]

// Links the app so that its islands are part of the wasm module.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // No panic hook: the islands do not panic on purpose, and the hook's message formatting
    // was 0.7 KB of every page's download.
    leptos::mount::hydrate_islands();
}
