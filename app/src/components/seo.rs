//! `<head>` metadata: title, description, keywords, canonical URL, Open Graph, Twitter card,
//! JSON-LD.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use crate::models::SeoInfo;

/// The site's name, provided by the page frame for titles and `og:site_name`.
#[derive(Clone, Debug)]
pub struct SiteName(pub String);

#[component]
pub fn Seo(seo: SeoInfo) -> impl IntoView {
    let site = use_context::<SiteName>().map(|s| s.0).unwrap_or_default();
    let title = if seo.title.is_empty() || seo.title == "首页" {
        site.clone()
    } else if site.is_empty() {
        seo.title.clone()
    } else {
        format!("{} - {}", seo.title, site)
    };
    let card = if seo.image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    view! {
        <Title text=title.clone() />
        <Meta name="description" content=seo.description.clone() />
        {(!seo.keywords.is_empty())
            .then(|| view! { <Meta name="keywords" content=seo.keywords.clone() /> })}
        <Link rel="canonical" href=seo.canonical.clone() />
        <Meta property="og:type" content=seo.og_type.clone() />
        <Meta property="og:title" content=seo.title.clone() />
        <Meta property="og:description" content=seo.description.clone() />
        <Meta property="og:url" content=seo.canonical.clone() />
        <Meta property="og:site_name" content=site />
        <Meta property="og:locale" content="zh_CN" />
        <Meta name="twitter:card" content=card />
        <Meta name="twitter:title" content=seo.title.clone() />
        <Meta name="twitter:description" content=seo.description.clone() />
        {seo
            .image
            .map(|img| {
                view! {
                    <Meta property="og:image" content=img.clone() />
                    <Meta name="twitter:image" content=img />
                }
            })}
        {seo
            .feed
            .map(|href| {
                view! { <Link rel="alternate" type_="application/rss+xml" title="RSS" href=href /> }
            })}
        {seo
            .json_ld
            .map(|json| view! { <script type="application/ld+json" inner_html=json></script> })}
    }
    .into_any()
}
