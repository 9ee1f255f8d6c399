//! The frame of every public page: top bar with the header widgets, masthead, navigation,
//! 通知公告 strip, and the footer with its four link groups.

use leptos::prelude::*;

use super::access::{AccessParts, AccessToolbar, AidSwitch};
use super::menu::NavMenu;
use super::popover::{Popover, Popovers};
use crate::models::{Chrome, DatedLink, LinkGroup, NavLink};
use crate::prefs::{Aid, Aids};

/// The page being shown, as the address the page cache knows it by (the path and the query
/// parameters the page reads): where the no-script preference switches come back to.
fn current_page() -> String {
    let location = leptos_router::hooks::use_location();
    let path = location.pathname.get_untracked();
    let search = location.search.get_untracked();
    let query = (!search.is_empty()).then_some(search.as_str());
    match crate::canonical::canonical(&path, query) {
        crate::canonical::Canonical::Page(p) => p,
        crate::canonical::Canonical::Redirect(to) => to,
    }
}

/// The site frame around a page's content. `active` is the href of the navigation item to
/// mark as current.
#[component]
pub fn Layout(chrome: Chrome, #[prop(into)] active: String, children: Children) -> impl IntoView {
    let Chrome {
        site_name,
        site_name_en,
        logo_url,
        magazine_name,
        slogan,
        wechat_account,
        wechat_qr_svg,
        qq_group,
        contact_href,
        nav,
        notices,
        link_groups,
        footer_lines,
        icp,
        copyright,
        prefs,
    } = chrome;
    let aids = prefs.aids;
    let back = current_page();
    // The home page has its own 通知公告 block.
    let notices = if active == "/" { Vec::new() } else { notices };
    let header = view! {
        <header class="site-header">
            <TopBar
                aids
                back=back.clone()
                site_name=site_name.clone()
                wechat_account
                wechat_qr_svg
                qq_group
                contact_href=contact_href.clone()
            />
            <Masthead site_name site_name_en logo_url magazine_name slogan />
            <Navigation nav active aids back=back.clone() />
        </header>
    }
    .into_any();
    view! {
        <div
            class="site"
            data-fs=prefs.font_size.code()
            data-elder=aids.has(Aid::Elder).then_some("")
            data-contrast=aids.has(Aid::Contrast).then_some("")
            data-cursor=aids.has(Aid::Cursor).then_some("")
            data-guide=aids.has(Aid::Guide).then_some("")
        >
            <a class="skip-link" href="#main">
                "跳到正文"
            </a>
            {header}
            <NoticeStrip notices />
            <main id="main" class="wrap main" tabindex="-1">
                {children()}
            </main>
            <Footer link_groups footer_lines icp copyright contact_href />
            <Popovers />
            <AccessParts />
        </div>
    }
    .into_any()
}

#[component]
fn TopBar(
    aids: Aids,
    back: String,
    site_name: String,
    wechat_account: String,
    wechat_qr_svg: Option<String>,
    qq_group: String,
    contact_href: String,
) -> impl IntoView {
    // A block the site has not set up is not offered at all.
    let wechat = (wechat_qr_svg.is_some() || !wechat_account.trim().is_empty()).then(|| {
        let code = match wechat_qr_svg {
            Some(svg) => view! { <div class="qr-box" inner_html=svg></div> }.into_any(),
            None => view! { <p>"公众号二维码暂未设置"</p> }.into_any(),
        };
        view! {
            <Popover label="微信公众号" class="wechat">
                {code}
                <p class="qr-caption">"扫一扫 关注公众号"</p>
                <p class="qr-account">{wechat_account}</p>
            </Popover>
        }
    });
    let qq = (!qq_group.trim().is_empty()).then(|| {
        view! {
            <Popover label="加入QQ交流群" class="qq">
                <p>"QQ群号："<strong class="qq-number">{qq_group}</strong></p>
                <p class="hint">"在QQ中搜索群号即可申请加入"</p>
            </Popover>
        }
    });
    view! {
        <div class="topbar">
            <div class="wrap topbar-inner">
                <span class="welcome">{format!("欢迎访问{site_name}网站")}</span>
                <div class="header-widgets">
                    <AidSwitch aid=Aid::Elder aids back=back.clone() class="elder-switch" />
                    <AccessToolbar aids back />
                    <Popover label="收藏本站" class="bookmark-hint">
                        <p>
                            "按 " <kbd>"Ctrl"</kbd> " + " <kbd>"D"</kbd> "（苹果电脑为 "
                            <kbd>"⌘"</kbd> " + " <kbd>"D"</kbd>
                            "）将本站加入浏览器收藏夹。"
                        </p>
                        <p>
                            "阅读文章时点击“☆ 收藏”，可在"
                            <a href="/favorites">"我的收藏"</a> "中查看。"
                        </p>
                    </Popover>
                    {wechat}
                    {qq}
                    <a class="header-link" href=contact_href>
                        "留言"
                    </a>
                    <a class="header-link" href="/favorites">
                        "我的收藏"
                    </a>
                </div>
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn Masthead(
    site_name: String,
    site_name_en: String,
    logo_url: Option<String>,
    magazine_name: String,
    slogan: String,
) -> impl IntoView {
    let logo = match logo_url {
        Some(src) => {
            view! { <img class="brand-logo" src=src alt="" width="56" height="56" /> }.into_any()
        }
        None => view! { <Emblem /> }.into_any(),
    };
    view! {
        <div class="masthead">
            <div class="wrap masthead-inner">
                <a class="brand" href="/">
                    {logo}
                    <span class="brand-text">
                        <span class="brand-name">{site_name}</span>
                        {(!site_name_en.is_empty())
                            .then(|| view! { <span class="brand-en">{site_name_en}</span> })}
                    </span>
                </a>
                <div class="masthead-side">
                    {(!magazine_name.is_empty())
                        .then(|| {
                            view! {
                                <span class="magazine-name">
                                    {format!("会刊《{magazine_name}》")}
                                </span>
                            }
                        })}
                    {(!slogan.is_empty()).then(|| view! { <span class="slogan">{slogan}</span> })}
                </div>
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn Navigation(nav: Vec<NavLink>, active: String, aids: Aids, back: String) -> impl IntoView {
    let items = nav
        .into_iter()
        .map(|NavLink { name, href }| {
            let current = href == active;
            view! {
                <a href=href class:current=current aria-current=current.then_some("page")>
                    {name}
                </a>
            }
        })
        .collect_view();
    view! {
        <NavMenu>
            {items} <HeaderSearch /> <div class="nav-aids">
                <AidSwitch aid=Aid::Elder aids back class="elder-switch" />
            </div>
        </NavMenu>
    }
    .into_any()
}

/// The search box of every page: a plain GET form (no script needed). In the navigation bar
/// on wide screens, inside the collapsible menu on phones.
#[component]
fn HeaderSearch() -> impl IntoView {
    view! {
        <form
            class="nav-search"
            action="/search"
            method="get"
            role="search"
            aria-label="站内搜索"
        >
            <label class="visually-hidden" for="nav-search-q">
                "搜索本站"
            </label>
            <input
                id="nav-search-q"
                type="search"
                name="q"
                maxlength="64"
                placeholder="搜索新闻、通知"
                autocomplete="off"
                enterkeyhint="search"
            />
            <button type="submit">"搜索"</button>
        </form>
    }
}

#[component]
fn NoticeStrip(notices: Vec<DatedLink>) -> impl IntoView {
    (!notices.is_empty()).then(|| {
        view! {
            <div class="wrap">
                <section class="notice-strip" aria-label="通知公告">
                    <h2 class="notice-strip-title">"通知公告"</h2>
                    <ul>
                        {notices
                            .into_iter()
                            .map(|n| {
                                view! {
                                    <li>
                                        <a href=n.href>{n.title}</a>
                                        <span class="date">{n.date}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            </div>
        }
        .into_any()
    })
}

#[component]
fn Footer(
    link_groups: Vec<LinkGroup>,
    footer_lines: Vec<String>,
    icp: String,
    copyright: String,
    contact_href: String,
) -> impl IntoView {
    let groups = link_groups
        .into_iter()
        .map(|g| {
            view! {
                <section class="link-group">
                    <h2>{g.name}</h2>
                    <ul>
                        {g
                            .links
                            .into_iter()
                            .map(|l| {
                                view! {
                                    <li>
                                        <a href=l.href target="_blank" rel="noopener noreferrer">
                                            {l.name}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <div class="link-groups">{groups}</div>
                <div class="footer-meta">
                    <p class="footer-links">
                        <a href=contact_href>"留言箱"</a>
                        <a href="/favorites">"我的收藏"</a>
                        <a href="#main">"返回顶部"</a>
                    </p>
                    {footer_lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
                    <p>
                        {copyright}
                        {(!icp.is_empty())
                            .then(|| {
                                view! {
                                    " "
                                    <a
                                        href="https://beian.miit.gov.cn/"
                                        target="_blank"
                                        rel="noopener noreferrer"
                                    >
                                        {icp}
                                    </a>
                                }
                            })}
                    </p>
                </div>
            </div>
        </footer>
    }
    .into_any()
}

/// The association's emblem: a ring around a rising skyline.
#[component]
fn Emblem() -> impl IntoView {
    view! {
        <svg class="emblem" viewBox="0 0 64 64" width="56" height="56" aria-hidden="true">
            <circle cx="32" cy="32" r="30" fill="#0b4a8b" />
            <circle cx="32" cy="32" r="25" fill="none" stroke="#f4c542" stroke-width="2" />
            <path d="M14 44h36v3H14z" fill="#fff" />
            <path d="M17 44V33h6v11zM25 44V24h7v20zM34 44V29h6v15zM42 44V36h5v8z" fill="#fff" />
            <path d="M28.5 18l2-4 2 4z" fill="#c8161d" />
        </svg>
    }
}
