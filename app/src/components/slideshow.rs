//! 图片新闻: a slideshow of the stories flagged 幻灯. Rendered on the server as the first
//! story's picture and a list of all the stories, which is what readers without script get.
//! Once live it advances every few seconds, pauses while hovered or focused, has previous /
//! next and dot controls, follows the arrow keys, and stands still for readers who ask for
//! reduced motion.

use std::time::Duration;

use leptos::prelude::*;

use crate::models::Slide;

/// Time each slide is shown.
const INTERVAL: Duration = Duration::from_millis(5000);

fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// Lazy: only the home page has a slideshow, so its code is a separate wasm chunk.
#[island(lazy)]
pub fn Slideshow(slides: Vec<Slide>) -> impl IntoView {
    let count = slides.len().max(1);
    let current = RwSignal::new(0usize);
    let hovered = RwSignal::new(false);
    let focused = RwSignal::new(false);
    let live = RwSignal::new(false);
    let still = RwSignal::new(false);
    let paused = move || hovered.get() || focused.get();

    Effect::new(move |_| {
        live.set(true);
        still.set(prefers_reduced_motion());
        if count > 1
            && let Ok(handle) = set_interval_with_handle(
                move || {
                    let stopped = hovered.get_untracked() || focused.get_untracked();
                    if !stopped && !still.get_untracked() && !page_hidden() {
                        current.update(|c| *c = (*c + 1) % count);
                    }
                },
                INTERVAL,
            )
        {
            on_cleanup(move || handle.clear());
        }
    });

    let show = move |i: usize| current.set(i % count);
    let step = move |forward: bool| {
        current.update(|c| {
            *c = if forward {
                (*c + 1) % count
            } else {
                (*c + count - 1) % count
            }
        });
    };

    let stage = slides
        .iter()
        .enumerate()
        .map(|(i, s)| {
            view! {
                <a class="slide" class:active=move || current.get() == i href=s.href.clone()>
                    <img
                        src=s.image.src.clone()
                        alt=s.image.alt.clone()
                        width=s.image.width
                        height=s.image.height
                        loading=if i == 0 { "eager" } else { "lazy" }
                    />
                    <span class="slide-caption">{s.title.clone()}</span>
                </a>
            }
        })
        .collect_view();
    let list = slides
        .iter()
        .enumerate()
        .map(|(i, s)| {
            view! {
                <li class:active=move || live.get() && current.get() == i>
                    <a href=s.href.clone()>{s.title.clone()}</a>
                </li>
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
                    aria-pressed=move || (current.get() == i).to_string()
                    on:click=move |_| show(i)
                ></button>
            }
        })
        .collect_view();

    view! {
        <section
            class="slideshow"
            class:live=move || live.get()
            aria-roledescription="carousel"
            aria-label="图片新闻"
            on:mouseenter=move |_| hovered.set(true)
            on:mouseleave=move |_| hovered.set(false)
            on:focusin=move |_| focused.set(true)
            on:focusout=move |_| focused.set(false)
            on:keydown=move |e| match e.key().as_str() {
                "ArrowLeft" => step(false),
                "ArrowRight" => step(true),
                _ => {}
            }
        >
            <div class="slide-stage" aria-live=move || if paused() { "polite" } else { "off" }>
                {stage}
                <button type="button" class="slide-prev" aria-label="上一张" hidden=move || !live.get() on:click=move |_| step(false)>
                    "‹"
                </button>
                <button type="button" class="slide-next" aria-label="下一张" hidden=move || !live.get() on:click=move |_| step(true)>
                    "›"
                </button>
                <div class="slide-dots" role="group" aria-label="选择图片" hidden=move || !live.get()>
                    {dots}
                </div>
            </div>
            <ol class="slide-list">{list}</ol>
        </section>
    }
}
