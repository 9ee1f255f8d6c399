//! 图片新闻: a slideshow of the stories flagged 幻灯. Rendered on the server with every slide,
//! the first one shown, and a list of all the stories, which is what readers without script
//! get. Once [`SlideshowLive`] is live it advances every few seconds, pauses while hovered or
//! focused, shows previous / next and dot controls, follows the arrow keys, and stands still
//! for readers who ask for reduced motion. The island has no props (it works on the markup),
//! so the browser needs no JSON to start it.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::browser::{
    document, key_of, on_window, select, select_all_in, target_closest, when_live,
};
use crate::models::Slide;

/// How wide a slide is shown (the home page's left column; the whole width on phones).
const SLIDE_SIZES: &str = "(max-width: 767.98px) 100vw, (max-width: 1199.98px) 60vw, 720px";

/// Time each slide is shown.
const INTERVAL: Duration = Duration::from_millis(5000);

#[component]
pub fn Slideshow(slides: Vec<Slide>) -> impl IntoView {
    let stage = slides
        .iter()
        .enumerate()
        .map(|(i, s)| {
            view! {
                <a class="slide" class:active=i == 0 href=s.href.clone()>
                    <img
                        src=s.image.src.clone()
                        srcset=s.image.srcset.clone()
                        sizes=s.image.srcset.is_some().then_some(SLIDE_SIZES)
                        alt=s.image.alt.clone()
                        width=s.image.width
                        height=s.image.height
                        loading=if i == 0 { "eager" } else { "lazy" }
                        fetchpriority=(i == 0).then_some("high")
                    />
                    <span class="slide-caption">{s.title.clone()}</span>
                </a>
            }
        })
        .collect_view();
    let dots = (0..slides.len())
        .map(|i| {
            view! {
                <button
                    type="button"
                    class="slide-dot"
                    aria-label=format!("第{}张", i + 1)
                    aria-pressed=if i == 0 { "true" } else { "false" }
                    data-slide=i
                ></button>
            }
        })
        .collect_view();
    let list = slides
        .into_iter()
        .map(|s| {
            view! {
                <li>
                    <a href=s.href>{s.title}</a>
                </li>
            }
        })
        .collect_view();

    view! {
        <section class="slideshow" aria-roledescription="carousel" aria-label="图片新闻">
            <div class="slide-stage" aria-live="off">
                {stage}
                <button type="button" class="slide-prev" aria-label="上一张" hidden>
                    "‹"
                </button>
                <button type="button" class="slide-next" aria-label="下一张" hidden>
                    "›"
                </button>
                <div class="slide-dots" role="group" aria-label="选择图片" hidden>
                    {dots}
                </div>
            </div>
            <ol class="slide-list">{list}</ol>
            <SlideshowLive />
        </section>
    }
}

/// The live state of the page's slideshow, kept on the elements themselves.
struct Show {
    root: web_sys::Element,
    count: usize,
    current: Cell<usize>,
    hovered: Cell<bool>,
    focused: Cell<bool>,
    still: bool,
}

fn related_in_show(event: &web_sys::Event) -> bool {
    let related = event
        .dyn_ref::<web_sys::MouseEvent>()
        .and_then(|e| e.related_target())
        .or_else(|| {
            event
                .dyn_ref::<web_sys::FocusEvent>()
                .and_then(|e| e.related_target())
        });
    related
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|t| t.closest(".slideshow").ok().flatten())
        .is_some()
}

impl Show {
    fn find() -> Option<Self> {
        let root = select(".slideshow")?;
        let count = select_all_in(&root, ".slide").len();
        let still = web_sys::window()
            .and_then(|w| {
                w.match_media("(prefers-reduced-motion: reduce)")
                    .ok()
                    .flatten()
            })
            .is_some_and(|m| m.matches());
        Some(Self {
            root,
            count,
            current: Cell::new(0),
            hovered: Cell::new(false),
            focused: Cell::new(false),
            still,
        })
    }

    fn go_live(&self) {
        let _ = self.root.class_list().add_1("live");
        for control in select_all_in(&self.root, ".slide-prev, .slide-next, .slide-dots") {
            let _ = control.remove_attribute("hidden");
        }
        self.show(self.current.get());
    }

    fn show(&self, index: usize) {
        let index = index % self.count.max(1);
        self.current.set(index);
        for (i, slide) in select_all_in(&self.root, ".slide").iter().enumerate() {
            let _ = slide.class_list().toggle_with_force("active", i == index);
        }
        for (i, item) in select_all_in(&self.root, ".slide-list li")
            .iter()
            .enumerate()
        {
            let _ = item.class_list().toggle_with_force("active", i == index);
        }
        for (i, dot) in select_all_in(&self.root, ".slide-dot").iter().enumerate() {
            let _ = dot.set_attribute("aria-pressed", if i == index { "true" } else { "false" });
        }
    }

    fn step(&self, forward: bool) {
        let count = self.count.max(1);
        let current = self.current.get();
        self.show(if forward {
            current + 1
        } else {
            current + count - 1
        });
    }

    /// Paused while the reader's pointer or focus is in it; the stage is announced only then,
    /// so a screen reader is not interrupted by slides changing on their own.
    fn set_paused(&self, hovered: Option<bool>, focused: Option<bool>) {
        if let Some(h) = hovered {
            self.hovered.set(h);
        }
        if let Some(f) = focused {
            self.focused.set(f);
        }
        if let Ok(Some(stage)) = self.root.query_selector(".slide-stage") {
            let _ = stage.set_attribute("aria-live", if self.paused() { "polite" } else { "off" });
        }
    }

    fn paused(&self) -> bool {
        self.hovered.get() || self.focused.get()
    }

    fn tick(&self) {
        let hidden = document().is_some_and(|d| d.hidden());
        // 长者模式 never advances by itself (it may be switched on while the page is open).
        let elder = select(".site[data-elder]").is_some();
        if self.count > 1 && !self.paused() && !self.still && !hidden && !elder {
            self.step(true);
        }
    }
}

fn start() {
    let Some(show) = Show::find() else {
        return;
    };
    let show = Rc::new(show);
    show.go_live();
    {
        let show = Rc::clone(&show);
        // Runs as long as the page: the island is never unmounted.
        let _ = set_interval_with_handle(move || show.tick(), INTERVAL);
    }
    {
        let show = Rc::clone(&show);
        on_window("click", move |e| {
            if target_closest(&e, ".slideshow .slide-prev").is_some() {
                show.step(false);
            } else if target_closest(&e, ".slideshow .slide-next").is_some() {
                show.step(true);
            } else if let Some(dot) = target_closest(&e, ".slideshow .slide-dot")
                && let Some(i) = dot.get_attribute("data-slide").and_then(|i| i.parse().ok())
            {
                show.show(i);
            }
        });
    }
    {
        let show = Rc::clone(&show);
        on_window("keydown", move |e| {
            if target_closest(&e, ".slideshow").is_none() {
                return;
            }
            match key_of(&e).as_str() {
                "ArrowLeft" => show.step(false),
                "ArrowRight" => show.step(true),
                _ => {}
            }
        });
    }
    {
        let show = Rc::clone(&show);
        on_window("mouseover", move |e| {
            show.set_paused(Some(target_closest(&e, ".slideshow").is_some()), None);
        });
    }
    {
        let show = Rc::clone(&show);
        on_window("mouseout", move |e| {
            if !related_in_show(&e) {
                show.set_paused(Some(false), None);
            }
        });
    }
    {
        let show = Rc::clone(&show);
        on_window("focusin", move |e| {
            show.set_paused(None, Some(target_closest(&e, ".slideshow").is_some()));
        });
    }
    on_window("focusout", move |e| {
        if !related_in_show(&e) {
            show.set_paused(None, Some(false));
        }
    });
}

/// The behaviour of the page's [`Slideshow`].
#[island(lazy)]
pub fn SlideshowLive() -> impl IntoView {
    when_live(start);
}
