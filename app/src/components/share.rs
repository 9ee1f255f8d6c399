//! The 分享 panel: a WeChat QR code of the page, Weibo / QQ / Qzone links, the page address
//! to copy, and (once hydrated) copy-link and the system share sheet.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::browser::{can_web_share, copy_text, web_share};
use super::popover::Popover;
use crate::models::ShareLinks;

/// The whole share panel, rendered on the server; only [`ShareActions`] hydrates inside it.
#[component]
pub fn SharePanel(links: ShareLinks, title: String) -> impl IntoView {
    view! {
        <Popover label="分享" class="share">
            <div class="share-grid">
                <figure class="share-qr">
                    <div inner_html=links.qr_svg.clone()></div>
                    <figcaption>"微信扫一扫，分享给朋友"</figcaption>
                </figure>
                <div class="share-targets">
                    <p class="share-heading">"分享到"</p>
                    <ul class="share-links">
                        <li><a class="to-weibo" href=links.weibo.clone() target="_blank" rel="noopener noreferrer">"新浪微博"</a></li>
                        <li><a class="to-qq" href=links.qq.clone() target="_blank" rel="noopener noreferrer">"QQ好友"</a></li>
                        <li><a class="to-qzone" href=links.qzone.clone() target="_blank" rel="noopener noreferrer">"QQ空间"</a></li>
                    </ul>
                    <label class="share-url">
                        <span>"本页地址"</span>
                        <input type="text" readonly value=links.url.clone() />
                    </label>
                    <ShareActions url=links.url.clone() title />
                </div>
            </div>
        </Popover>
    }
}

#[island]
pub fn ShareActions(url: String, title: String) -> impl IntoView {
    let ready = RwSignal::new(false);
    let can_share = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    Effect::new(move |_| {
        can_share.set(can_web_share());
        ready.set(true);
    });

    let copy = {
        let url = url.clone();
        move |_| {
            let url = url.clone();
            spawn_local(async move {
                let message = if copy_text(&url).await {
                    "链接已复制"
                } else {
                    "复制失败，请手动复制上方地址"
                };
                status.set(message.to_owned());
            });
        }
    };
    let share = move |_| {
        let (title, url) = (title.clone(), url.clone());
        spawn_local(async move { web_share(&title, &url).await });
    };

    view! {
        <div class="share-actions" hidden=move || !ready.get()>
            <button type="button" class="btn copy-link" on:click=copy>"复制链接"</button>
            <button type="button" class="btn web-share" hidden=move || !can_share.get() on:click=share>
                "更多分享方式"
            </button>
            <span class="share-status" role="status" aria-live="polite">{move || status.get()}</span>
        </div>
    }
}
