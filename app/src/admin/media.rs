//! `/admin/media`: the media library.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::{AdminPage, AdminView, CsrfField};
use crate::api::admin::media::{DeleteMedia, DescribeMedia, UPLOAD_URL, list_media};
use crate::components::pager::Pagination;
use crate::models::admin::AdminChrome;
use crate::models::admin::{MediaItem, MediaList};
use crate::query::opt;

#[component]
pub fn MediaPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new_blocking(
        move || (query.read().get("q"), query.read().get("page")),
        |(q, page)| list_media(q, page.and_then(|p| p.parse().ok())),
    );
    view! {
        <AdminPage
            data
            render=move |m: MediaList| {
                let q = opt(query.read_untracked().get("q"));
                let csrf = use_context::<AdminChrome>().map(|c| c.csrf_token).unwrap_or_default();
                AdminView {
                    title: "媒体库".into(),
                    content: view! {
                        <UploadForm csrf=csrf.clone() />
                        <form method="get" class="filters" role="search">
                            <label>
                                "搜索"
                                <input
                                    name="q"
                                    value=q.clone()
                                    placeholder="说明、来源或文件名"
                                />
                            </label>
                            <button type="submit" class="button">
                                "搜索"
                            </button>
                        </form>
                        {(m.pager.total == 0)
                            .then(|| view! { <p class="empty">"没有找到图片。"</p> })}
                        <ul class="media-grid">
                            {m.items.into_iter().map(|i| view! { <MediaCard i /> }).collect_view()}
                        </ul>
                        <Pagination pager=m.pager />
                    }
                        .into_any(),
                }
            }
        />
    }
}

/// Uploading a picture (a plain multipart form, handled by the upload route).
#[component]
fn UploadForm(csrf: String) -> impl IntoView {
    view! {
        <section class="panel">
            <h2>"上传图片"</h2>
            <form method="post" enctype="multipart/form-data" action=UPLOAD_URL class="upload-form">
                // First field: the upload handler checks it before reading the file.
                <input type="hidden" name="csrf_token" value=csrf.clone() />
                <label>
                    "图片文件（JPEG、PNG、WebP、GIF，不超过 15 MB）"
                    <input
                        type="file"
                        name="file"
                        accept="image/jpeg,image/png,image/webp,image/gif"
                        required
                    />
                </label>
                <label>
                    "替代文字（供读屏软件朗读）" <input name="alt" maxlength="255" />
                </label>
                <label>"图片说明"<input name="caption" maxlength="255" /></label>
                <label>"图片来源"<input name="credit" maxlength="100" /></label>
                <button type="submit" class="button primary">
                    "上传"
                </button>
                <p class="hint">
                    "上传时会自动去除照片中的位置等信息，并生成多种尺寸的 WebP 图片。"
                </p>
            </form>
        </section>
    }
}

/// One picture of the library: its sizes, its texts (editable) and 删除.
#[component]
fn MediaCard(i: MediaItem) -> impl IntoView {
    view! {
        <li class="media-card">
            <a href=i.src.clone() target="_blank" rel="noopener">
                <img src=i.thumb.clone() alt=i.alt.clone() loading="lazy" />
            </a>
            <p class="muted">
                {format!(
                    "#{} · {}×{} · {} · {} 种尺寸",
                    i.id,
                    i.width,
                    i.height,
                    i.size,
                    i.variants,
                )}
            </p>
            <form method="post" action=DescribeMedia::PATH class="stack small">
                <CsrfField />
                <input type="hidden" name="id" value=i.id />
                <label>
                    "替代文字" <input name="alt" value=i.alt.clone() maxlength="255" />
                </label>
                <label>
                    "说明" <input name="caption" value=i.caption.clone() maxlength="255" />
                </label>
                <label>
                    "来源" <input name="credit" value=i.credit.clone() maxlength="100" />
                </label>
                <button type="submit" class="button">
                    "保存说明"
                </button>
            </form>
            <form method="post" action=DeleteMedia::PATH>
                <CsrfField />
                <input type="hidden" name="id" value=i.id />
                <button
                    type="submit"
                    class="button danger"
                    data-confirm="确定删除这张图片吗？"
                >
                    "删除"
                </button>
            </form>
        </li>
    }
}
