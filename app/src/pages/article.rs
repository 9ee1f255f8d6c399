//! `/articles/{id}`: the article with its reader widgets.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{PageView, SitePage};
use crate::api::articles::get_article_page;
use crate::components::favorite::FavoriteToggle;
use crate::components::font_size::FontSizeSwitcher;
use crate::components::hit_count::HitCount;
use crate::components::seo::Seo;
use crate::components::share::SharePanel;
use crate::error::AppError;
use crate::models::{ArticlePage as Article, DatedLink};
use crate::prefs::ReaderPrefs;

/// Parses the `{id}` of the URL: a positive 32-bit number, nothing else.
pub fn parse_id(raw: &str) -> Option<i32> {
    if raw.is_empty() || raw.len() > 10 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok().filter(|id| *id > 0)
}

#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new_blocking(
        move || params.read().get("id").as_deref().and_then(parse_id),
        |id| async move {
            match id {
                Some(id) => get_article_page(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <SitePage data render=render /> }
}

fn render(a: Article) -> PageView {
    PageView {
        active: a.section_href.clone(),
        content: view! { <ArticleView a /> }.into_any(),
    }
}

fn neighbour(label: &'static str, link: Option<DatedLink>) -> impl IntoView {
    view! {
        <p class="neighbour">
            <span class="neighbour-label">{label}</span>
            {match link {
                Some(l) => view! { <a href=l.href>{l.title}</a> }.into_any(),
                None => view! { <span class="none">"没有了"</span> }.into_any(),
            }}
        </p>
    }
}

#[component]
fn ArticleView(a: Article) -> impl IntoView {
    view! {
        <Seo seo=a.seo.clone() />
        <Breadcrumb crumbs=a.crumbs.clone() />
        <div class="article-layout">
            <article class="article" aria-labelledby="article-title">
                <ArticleHeader a=a.clone() />
                <div class="article-body prose" inner_html=a.body_html.clone()></div>
                <ArticleFooter a />
            </article>
        </div>
    }
    .into_any()
}

#[component]
pub fn Breadcrumb(crumbs: Vec<crate::models::NavLink>) -> impl IntoView {
    view! {
        <nav class="breadcrumb" aria-label="当前位置">
            <span class="breadcrumb-label">"当前位置："</span>
            <a href="/">"首页"</a>
            {crumbs
                .into_iter()
                .map(|c| {
                    view! {
                        <span class="sep" aria-hidden="true">
                            ">"
                        </span>
                        <a href=c.href>{c.name}</a>
                    }
                })
                .collect_view()}
        </nav>
    }
    .into_any()
}

#[component]
fn ArticleHeader(a: Article) -> impl IntoView {
    let back_query = format!("/articles/{}", a.id).replace('/', "%2F");
    let font_size = use_context::<ReaderPrefs>().unwrap_or_default().font_size;
    let meta = view! {
        <div class="article-meta">
            {(!a.source.is_empty())
                .then(|| {
                    view! {
                        <span class="meta-item">
                            <span class="meta-label">"来源："</span>
                            {a.source.clone()}
                        </span>
                    }
                })}
            {(!a.author.is_empty())
                .then(|| {
                    view! {
                        <span class="meta-item">
                            <span class="meta-label">"作者："</span>
                            {a.author.clone()}
                        </span>
                    }
                })} <span class="meta-item">
                <span class="meta-label">"发布时间："</span>
                <time datetime=a.published_iso.clone()>{a.published_at.clone()}</time>
            </span> <span class="meta-item hits">
                <span class="meta-label">"点击量："</span>
                <HitCount id=a.id initial=a.hits />
            </span>
        </div>
    }
    .into_any();
    let tools = view! {
        <div class="article-tools">
            <FontSizeSwitcher current=font_size back_query />
            <SharePanel links=a.share.clone() title=a.title.clone() />
            <FavoriteToggle id=a.id title=a.title.clone() />
        </div>
    }
    .into_any();
    view! {
        <header class="article-header">
            <h1 id="article-title">{a.title.clone()}</h1>
            {(!a.subtitle.is_empty())
                .then(|| view! { <p class="subtitle">{a.subtitle.clone()}</p> })}
            {meta}
            {tools}
        </header>
    }
    .into_any()
}

#[component]
fn ArticleFooter(a: Article) -> impl IntoView {
    let last_crumb = a.crumbs.last().cloned();
    view! {
        <footer class="article-footer">
            {last_crumb
                .map(|c| {
                    view! {
                        <p class="back-to-column">"返回栏目："<a href=c.href>{c.name}</a></p>
                    }
                })} <nav class="prev-next" aria-label="上一篇和下一篇">
                {neighbour("上一篇：", a.prev.clone())}
                {neighbour("下一篇：", a.next.clone())}
            </nav>
        </footer>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::parse_id;

    #[test]
    fn ids_are_positive_decimal_numbers_only() {
        assert_eq!(parse_id("42"), Some(42));
        assert_eq!(parse_id("0"), None);
        assert_eq!(parse_id("-1"), None);
        assert_eq!(parse_id("+1"), None);
        assert_eq!(parse_id("1e3"), None);
        assert_eq!(parse_id("99999999999999999999"), None);
        assert_eq!(parse_id("2147483648"), None);
        assert_eq!(parse_id("２"), None);
        assert_eq!(parse_id(""), None);
    }
}
