//! The full browser bundle's entry point: hydrates the islands of a server-rendered page,
//! including the forms, 我的收藏 and the editors (see `frontend` for the reader bundle).
#![cfg(target_arch = "wasm32")]

// Links the app so that its islands are part of the wasm module.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}
