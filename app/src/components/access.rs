//! 长者模式 and the 无障碍 toolbar, native and server-rendered.
//!
//! Every switch is a real `<button>` in a GET form to `/prefs/aid`: without script it sets
//! the cookie on the server and comes back, and the page is rendered with the choice (the
//! page root carries `data-elder`, `data-contrast`, …, so there is no flash). Once
//! [`AccessLive`] is live a click changes the page at once and sets the same cookie. 十字线
//! (a reading guide that follows the pointer or the keyboard focus) and 朗读 (the browser's
//! speech synthesis in zh-CN, one paragraph at a time, the one being read highlighted) need
//! script: their controls are hidden until the island shows them, and 朗读 only where the
//! browser can speak and the page has an article body.

use leptos::prelude::*;

use crate::prefs::{Aid, Aids};

/// The switch of one aid, its state in `aria-pressed`. `back` is the page to come back to.
#[component]
pub fn AidSwitch(
    aid: Aid,
    aids: Aids,
    #[prop(into)] back: String,
    /// Extra classes for the button.
    #[prop(into, optional)]
    class: String,
) -> impl IntoView {
    let on = aids.has(aid);
    let needs_script = aid == Aid::Guide;
    view! {
        <form class="aid-form" action="/prefs/aid" method="get" hidden=needs_script>
            <input type="hidden" name="aid" value=aid.code() />
            <input type="hidden" name="back" value=back />
            <button
                type="submit"
                name="on"
                value=if on { "0" } else { "1" }
                class=format!("aid-switch {class}")
                aria-pressed=if on { "true" } else { "false" }
                data-aid=aid.code()
            >
                {aid.label()}
            </button>
        </form>
    }
}

/// The 无障碍 toolbar: a disclosure (it opens without script) with the switches, 朗读 and a
/// reset.
#[component]
pub fn AccessToolbar(aids: Aids, #[prop(into)] back: String) -> impl IntoView {
    let reset = format!("/prefs/reset?back={}", crate::query::encode(&back));
    let switches = [Aid::Elder, Aid::Cursor, Aid::Contrast, Aid::Guide]
        .into_iter()
        .map(|aid| view! { <AidSwitch aid aids back=back.clone() /> })
        .collect_view();
    view! {
        <details class="popover access">
            <summary>"无障碍"</summary>
            <div class="popover-panel access-panel" role="group" aria-label="无障碍工具">
                <div class="access-switches">{switches}</div>
                <button type="button" class="aid-switch speech-start" data-speech="start" hidden>
                    "朗读"
                </button>
                <a class="aid-reset" href=reset data-reset="">
                    "重置"
                </a>
                <button
                    type="button"
                    class="popover-close"
                    aria-label="关闭"
                    title="关闭"
                    hidden
                >
                    "×"
                </button>
            </div>
        </details>
    }
}

/// What the page needs once for the toolbar: the reading guide's two lines and the 朗读
/// control bar, shown while a reading runs.
#[component]
pub fn AccessParts() -> impl IntoView {
    view! {
        <div class="guide-line guide-x" aria-hidden="true"></div>
        <div class="guide-line guide-y" aria-hidden="true"></div>
        <div class="speech-bar" role="region" aria-label="朗读" hidden>
            <p class="speech-status" role="status"></p>
            <button type="button" class="speech-pause" data-speech="pause">
                "暂停"
            </button>
            <button type="button" class="speech-stop" data-speech="stop">
                "停止朗读"
            </button>
        </div>
        <AccessLive />
    }
}

#[island]
pub fn AccessLive() -> impl IntoView {
    super::browser::when_live(live::start);
}

/// The browser side (only ever runs in the browser).
mod live {
    use wasm_bindgen::JsCast;

    use crate::components::browser::{
        key_of, on_window, select, select_all, set_cookie, target_closest,
    };
    use crate::prefs::{Aid, Aids, FontSize};

    fn site() -> Option<web_sys::Element> {
        select(".site")
    }

    /// The aids the page shows now (read from the page root, which the server set).
    fn current() -> Aids {
        let site = site();
        Aid::ALL.into_iter().fold(Aids::default(), |aids, aid| {
            let on = site
                .as_ref()
                .is_some_and(|s| s.has_attribute(aid.attribute()));
            aids.with(aid, on)
        })
    }

    fn show(aids: Aids) {
        if let Some(site) = site() {
            for aid in Aid::ALL {
                let _ = if aids.has(aid) {
                    site.set_attribute(aid.attribute(), "")
                } else {
                    site.remove_attribute(aid.attribute())
                };
            }
        }
        for button in select_all("button[data-aid]") {
            let on = button
                .get_attribute("data-aid")
                .and_then(|c| Aid::from_code(&c))
                .is_some_and(|a| aids.has(a));
            let _ = button.set_attribute("aria-pressed", if on { "true" } else { "false" });
            let _ = button.set_attribute("value", if on { "0" } else { "1" });
        }
        if !aids.has(Aid::Guide) {
            hide_guide();
        }
        set_cookie(&aids.cookie());
    }

    fn toggle(aid: Aid) {
        let aids = current();
        show(aids.with(aid, !aids.has(aid)));
    }

    /// Whether 朗读 has been used on this page (its code is only loaded then).
    static SPOKEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

    fn speech(action: &'static str) {
        if action != "start" && !SPOKEN.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        SPOKEN.store(true, std::sync::atomic::Ordering::Relaxed);
        crate::components::browser::spawn(super::speech::act(action.to_owned()));
    }

    fn reset() {
        speech("stop");
        show(Aids::default());
        crate::components::font_size::choose(FontSize::default());
    }

    // ---- 十字线 ----

    fn guide_lines() -> Option<(web_sys::HtmlElement, web_sys::HtmlElement)> {
        let x = select(".guide-x")?
            .dyn_into::<web_sys::HtmlElement>()
            .ok()?;
        let y = select(".guide-y")?
            .dyn_into::<web_sys::HtmlElement>()
            .ok()?;
        Some((x, y))
    }

    /// Puts the guide's crossing at (`x`, `y`) in the viewport.
    fn place_guide(x: f64, y: f64) {
        if !current().has(Aid::Guide) {
            return;
        }
        if let Some((h, v)) = guide_lines() {
            // Whole pixels, formatted as integers (float formatting would add kilobytes).
            let (x, y) = (x.round() as i32, y.round() as i32);
            let _ = h
                .style()
                .set_property("transform", &format!("translateY({y}px)"));
            let _ = v
                .style()
                .set_property("transform", &format!("translateX({x}px)"));
            let _ = h.class_list().add_1("placed");
            let _ = v.class_list().add_1("placed");
        }
    }

    fn hide_guide() {
        if let Some((h, v)) = guide_lines() {
            let _ = h.class_list().remove_1("placed");
            let _ = v.class_list().remove_1("placed");
        }
    }

    pub fn start() {
        // Controls that need script appear now that it runs.
        for form in select_all(".aid-form[hidden]") {
            let _ = form.remove_attribute("hidden");
        }
        if super::speech::available()
            && select("main .prose").is_some()
            && let Some(button) = select(".speech-start")
        {
            let _ = button.remove_attribute("hidden");
            let _ = button.set_attribute("aria-pressed", "false");
        }
        on_window("click", |e| {
            if let Some(button) = target_closest(&e, "button[data-aid]") {
                e.prevent_default();
                if let Some(aid) = button
                    .get_attribute("data-aid")
                    .and_then(|c| Aid::from_code(&c))
                {
                    toggle(aid);
                }
            } else if target_closest(&e, "a[data-reset]").is_some() {
                e.prevent_default();
                reset();
            } else if let Some(button) = target_closest(&e, "button[data-speech]") {
                match button.get_attribute("data-speech").as_deref() {
                    Some("start") => speech("start"),
                    Some("pause") => speech("pause"),
                    Some("stop") => speech("stop"),
                    _ => {}
                }
            }
        });
        on_window("keydown", |e| {
            if key_of(&e) == "Escape" {
                speech("escape");
            }
        });
        on_window("mousemove", |e| {
            if let Some(m) = e.dyn_ref::<web_sys::MouseEvent>() {
                place_guide(f64::from(m.client_x()), f64::from(m.client_y()));
            }
        });
        // Keyboard readers: the guide crosses at the element that has the focus.
        on_window("focusin", |e| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                let r = el.get_bounding_client_rect();
                place_guide(r.left() + r.width() / 2.0, r.top() + r.height() / 2.0);
            }
        });
        // Leaving the page stops the voice (it would go on reading a page no longer shown).
        on_window("pagehide", |_| speech("stop"));
    }
}

/// 朗读, in its own chunk of the browser bundle: loaded the first time a reader asks for it.
mod speech {
    use std::cell::RefCell;

    use leptos::prelude::lazy;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    use crate::components::browser::{select, select_all};

    /// Whether the browser can speak (checked without loading the rest).
    pub fn available() -> bool {
        synth().is_some()
    }

    /// Does what a 朗读 control asks: `start`, `pause` (or resume), `stop`, `escape` (stop
    /// while reading).
    #[lazy]
    pub fn act(action: String) {
        match action.as_str() {
            "start" => start_speech(),
            "pause" => pause_speech(),
            "escape" => {
                if READING.with_borrow(|r| !r.blocks.is_empty()) {
                    stop_speech();
                }
            }
            _ => stop_speech(),
        }
    }

    struct Reading {
        blocks: Vec<web_sys::Element>,
        at: usize,
        paused: bool,
        /// Bumped by every start and stop: the end of an utterance of an earlier reading
        /// (cancelled ones end too) must not move this one on.
        run: u32,
    }

    thread_local! {
        static READING: RefCell<Reading> = const {
            RefCell::new(Reading { blocks: Vec::new(), at: 0, paused: false, run: 0 })
        };
    }

    /// The browser's speech synthesis, if it has one.
    fn synth() -> Option<web_sys::SpeechSynthesis> {
        let w = web_sys::window()?;
        let value = js_sys::Reflect::get(&w, &"speechSynthesis".into()).ok()?;
        if value.is_undefined() || value.is_null() {
            return None;
        }
        Some(value.unchecked_into())
    }

    /// The blocks 朗读 reads: the article's title, then each block of its body that has text.
    fn readable_blocks() -> Vec<web_sys::Element> {
        select_all("main h1, main .prose > *")
            .into_iter()
            .filter(|b| b.text_content().is_some_and(|t| !t.trim().is_empty()))
            .collect()
    }

    fn set_status(text: &str) {
        if let Some(status) = select(".speech-status") {
            status.set_text_content(Some(text));
        }
    }

    fn highlight(block: Option<&web_sys::Element>) {
        for old in select_all(".speaking") {
            let _ = old.class_list().remove_1("speaking");
        }
        if let Some(block) = block {
            let _ = block.class_list().add_1("speaking");
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Center);
            block.scroll_into_view_with_scroll_into_view_options(&options);
        }
    }

    fn set_bar(open: bool) {
        if let Some(bar) = select(".speech-bar") {
            let _ = if open {
                bar.remove_attribute("hidden")
            } else {
                bar.set_attribute("hidden", "")
            };
        }
        if let Some(start) = select(".speech-start") {
            let _ = start.set_attribute("aria-pressed", if open { "true" } else { "false" });
        }
    }

    fn set_pause_label(paused: bool) {
        if let Some(button) = select(".speech-pause") {
            button.set_text_content(Some(if paused { "继续" } else { "暂停" }));
            let _ = button.set_attribute("aria-pressed", if paused { "true" } else { "false" });
        }
    }

    /// Speaks block `at` of reading `run`; at its end, the next one.
    fn speak(run: u32, at: usize) {
        let Some(synth) = synth() else {
            return;
        };
        let (block, total) = READING.with_borrow_mut(|r| {
            if r.run != run {
                return (None, 0);
            }
            r.at = at;
            (r.blocks.get(at).cloned(), r.blocks.len())
        });
        let Some(block) = block else {
            if total > 0 || at > 0 {
                finish(run);
            }
            return;
        };
        highlight(Some(&block));
        set_status(&format!("正在朗读：第 {} 段，共 {total} 段", at + 1));
        let text = block.text_content().unwrap_or_default();
        let Ok(utterance) = web_sys::SpeechSynthesisUtterance::new_with_text(text.trim()) else {
            return;
        };
        utterance.set_lang("zh-CN");
        utterance.set_rate(0.9);
        let next = Closure::once_into_js(move || speak(run, at + 1));
        utterance.set_onend(Some(next.unchecked_ref()));
        synth.speak(&utterance);
    }

    fn finish(run: u32) {
        let current = READING.with_borrow(|r| r.run);
        if current != run {
            return;
        }
        highlight(None);
        set_status("朗读结束");
        set_bar(false);
        if let Some(start) = select(".speech-start") {
            crate::components::browser::focus(&start);
        }
    }

    fn start_speech() {
        let Some(synth) = synth() else {
            return;
        };
        synth.cancel();
        let blocks = readable_blocks();
        let run = READING.with_borrow_mut(|r| {
            r.run = r.run.wrapping_add(1);
            r.blocks = blocks;
            r.at = 0;
            r.paused = false;
            r.run
        });
        set_pause_label(false);
        set_bar(true);
        if let Some(pause) = select(".speech-pause") {
            crate::components::browser::focus(&pause);
        }
        speak(run, 0);
    }

    fn pause_speech() {
        let Some(synth) = synth() else {
            return;
        };
        let paused = READING.with_borrow_mut(|r| {
            r.paused = !r.paused;
            r.paused
        });
        if paused {
            synth.pause();
            set_status("已暂停");
        } else {
            synth.resume();
            let (at, total) = READING.with_borrow(|r| (r.at, r.blocks.len()));
            set_status(&format!("正在朗读：第 {} 段，共 {total} 段", at + 1));
        }
        set_pause_label(paused);
    }

    fn stop_speech() {
        let running = READING.with_borrow_mut(|r| {
            let was = !r.blocks.is_empty();
            r.run = r.run.wrapping_add(1);
            r.blocks.clear();
            r.paused = false;
            was
        });
        if let Some(synth) = synth() {
            synth.cancel();
        }
        highlight(None);
        if running {
            set_status("已停止朗读");
        }
        set_bar(false);
    }
}
