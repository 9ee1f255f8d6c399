//! The browser entry point: hydrates the islands of a server-rendered page.
#![cfg(target_arch = "wasm32")]

// Links the app so that its islands are part of the wasm module.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
