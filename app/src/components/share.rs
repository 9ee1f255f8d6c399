//! The 分享 panel: a WeChat QR code of the page, Weibo / QQ / Qzone links, the page address
//! to copy, and (once [`ShareLive`] is live) copy-link and the system share sheet.

use leptos::prelude::*;

use super::browser::{
    can_web_share, copy_text, on_window, select, spawn, target_closest, web_share, when_live,
};
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
                        <li>
                            <a
                                class="to-weibo"
                                href=links.weibo.clone()
                                target="_blank"
                                rel="noopener noreferrer"
                            >
                                "新浪微博"
                            </a>
                        </li>
                        <li>
                            <a
                                class="to-qq"
                                href=links.qq.clone()
                                target="_blank"
                                rel="noopener noreferrer"
                            >
                                "QQ好友"
                            </a>
                        </li>
                        <li>
                            <a
                                class="to-qzone"
                                href=links.qzone.clone()
                                target="_blank"
                                rel="noopener noreferrer"
                            >
                                "QQ空间"
                            </a>
                        </li>
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

/// The copy and share buttons, hidden until [`ShareLive`] is live.
#[component]
fn ShareActions(url: String, title: String) -> impl IntoView {
    view! {
        <div class="share-actions" data-url=url data-title=title hidden>
            <button type="button" class="btn copy-link">
                "复制链接"
            </button>
            <button type="button" class="btn web-share" hidden>
                "更多分享方式"
            </button>
            <span class="share-status" role="status" aria-live="polite"></span>
            <ShareLive />
        </div>
    }
}

fn start() {
    if let Some(actions) = select(".share-actions") {
        let _ = actions.remove_attribute("hidden");
    }
    if can_web_share()
        && let Some(button) = select(".share-actions .web-share")
    {
        let _ = button.remove_attribute("hidden");
    }
    on_window("click", |e| {
        let Some(button) = target_closest(&e, ".share-actions button") else {
            return;
        };
        let Some(actions) = button.closest(".share-actions").ok().flatten() else {
            return;
        };
        let url = actions.get_attribute("data-url").unwrap_or_default();
        let title = actions.get_attribute("data-title").unwrap_or_default();
        let status = actions.query_selector(".share-status").ok().flatten();
        if button.class_list().contains("copy-link") {
            spawn(async move {
                let message = if copy_text(&url).await {
                    "链接已复制"
                } else {
                    "复制失败，请手动复制上方地址"
                };
                if let Some(status) = status {
                    status.set_text_content(Some(message));
                }
            });
        } else if button.class_list().contains("web-share") {
            spawn(async move { web_share(&title, &url).await });
        }
    });
}

/// Brings the share buttons of the page to life (no props: what to share is read from the
/// `data-url` and `data-title` of their box).
#[island]
pub fn ShareLive() -> impl IntoView {
    when_live(start);
}
