//! The back office (`/admin`): its frame and pages. Rendered on the server like the public
//! site; the few interactive parts are lazy islands, so readers never download them.

pub mod account;
pub mod articles;
pub mod audit;
pub mod columns;
pub mod dashboard;
mod editor;
mod editor_html;
pub mod links;
pub mod login;
pub mod magazine;
pub mod media;
pub mod messages;
pub mod notices;
pub mod pages;
pub mod password;
mod queue;
pub mod redirects;
pub mod review;
mod richtext;
pub mod security;
pub mod submissions;
pub mod sys;
pub mod two_factor;

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Script, Title};
use leptos_router::hooks::use_location;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::admin::chrome::get_admin_chrome;
use crate::error::AppError;
use crate::models::admin::{AdminChrome, Flash};
use crate::pages::Loaded;
use crate::pages::article::parse_id;
use crate::pages::error::ErrorContent;

/// Who sees an entry of the menu.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Who {
    /// Everyone signed in.
    All,
    /// Everyone with the content, writers too.
    Writers,
    /// Editors and admins with the content.
    Editors,
    /// 系统管理员 (or the single 管理员).
    Admins,
    /// 安全管理员.
    Security,
    /// 审计管理员.
    Audit,
}

/// One entry of the back office's menu.
struct MenuItem {
    href: &'static str,
    label: &'static str,
    who: Who,
}

const MENU: &[MenuItem] = &[
    MenuItem {
        href: "/admin",
        label: "仪表盘",
        who: Who::All,
    },
    MenuItem {
        href: "/admin/articles",
        label: "文章",
        who: Who::Writers,
    },
    MenuItem {
        href: "/admin/review",
        label: "待审核",
        who: Who::Editors,
    },
    MenuItem {
        href: "/admin/messages",
        label: "留言",
        who: Who::Editors,
    },
    MenuItem {
        href: "/admin/submissions",
        label: "投稿",
        who: Who::Editors,
    },
    MenuItem {
        href: "/admin/media",
        label: "媒体库",
        who: Who::Writers,
    },
    MenuItem {
        href: "/admin/columns",
        label: "栏目",
        who: Who::Editors,
    },
    MenuItem {
        href: "/admin/pages",
        label: "单页",
        who: Who::Editors,
    },
    MenuItem {
        href: "/admin/notices",
        label: "通知公告",
        who: Who::Editors,
    },
    MenuItem {
        href: "/admin/magazine",
        label: "期刊",
        who: Who::Editors,
    },
    MenuItem {
        href: "/admin/links",
        label: "友情链接",
        who: Who::Editors,
    },
    MenuItem {
        href: "/admin/redirects",
        label: "旧地址跳转",
        who: Who::Editors,
    },
    MenuItem {
        href: "/admin/sys/settings",
        label: "网站设置",
        who: Who::Admins,
    },
    MenuItem {
        href: "/admin/sys/users",
        label: "用户",
        who: Who::Admins,
    },
    MenuItem {
        href: "/admin/security",
        label: "安全策略",
        who: Who::Security,
    },
    MenuItem {
        href: "/admin/audit",
        label: "审计日志",
        who: Who::Audit,
    },
    MenuItem {
        href: "/admin/security/accounts",
        label: "账号安全",
        who: Who::Security,
    },
    MenuItem {
        href: "/admin/security/check",
        label: "等保自查",
        who: Who::Security,
    },
    MenuItem {
        href: "/admin/account/2fa",
        label: "双因素认证",
        who: Who::All,
    },
    MenuItem {
        href: "/admin/account/sessions",
        label: "我的登录",
        who: Who::All,
    },
];

/// The hidden field every back-office form carries.
#[component]
pub fn CsrfField() -> impl IntoView {
    let token = use_context::<AdminChrome>()
        .map(|c| c.csrf_token)
        .unwrap_or_default();
    view! { <input type="hidden" name="csrf_token" value=token /> }
}

/// The one-time message at the top of a page.
#[component]
pub fn FlashMessage(flash: Option<Flash>) -> impl IntoView {
    flash.map(|f| {
        view! {
            <div
                class=if f.ok { "flash flash-ok" } else { "flash flash-error" }
                role=if f.ok { "status" } else { "alert" }
            >
                {f.message}
            </div>
        }
    })
}

/// The `<head>` of back-office pages: their own stylesheet, never indexed.
#[component]
pub fn AdminHead(#[prop(into)] title: String) -> impl IntoView {
    view! {
        <Title text=format!("{title} - 管理后台") />
        <Meta name="robots" content="noindex, nofollow" />
        <Link rel="stylesheet" href="/admin.css" />
        // Asks before destructive buttons (`data-confirm`): a file, not inline handlers,
        // which the Content-Security-Policy refuses.
        <Script src="/admin.js" defer="defer" />
    }
}

/// What an admin page renders once its data is there.
pub struct AdminView {
    pub title: String,
    pub content: AnyView,
}

/// Loads the frame and `data`, then shows `render(data)` in the back office's layout.
#[component]
pub fn AdminPage<T, F>(data: Resource<Result<T, AppError>>, render: F) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(T) -> AdminView + Clone + Send + Sync + 'static,
{
    let chrome = Resource::new_blocking(|| (), |_| get_admin_chrome());
    let frame = move |chrome: Result<AdminChrome, AppError>, data: Result<T, AppError>| match chrome
    {
        Err(error) => view! {
            <AdminHead title="出错了" />
            <main class="auth-page">
                <ErrorContent error />
            </main>
        }
        .into_any(),
        Ok(chrome) => {
            provide_context(chrome.clone());
            let page = match data {
                Ok(d) => render(d),
                Err(error) => AdminView {
                    title: error.title().to_owned(),
                    content: view! { <ErrorContent error /> }.into_any(),
                },
            };
            view! {
                <AdminLayout chrome title=page.title>
                    {page.content}
                </AdminLayout>
            }
            .into_any()
        }
    };
    view! { <Loaded chrome data loading="loading" frame /> }
}

#[component]
fn AdminLayout(chrome: AdminChrome, title: String, children: Children) -> impl IntoView {
    let path = use_location().pathname.get_untracked();
    let current = MENU
        .iter()
        .filter(|m| m.href == path || (m.href != "/admin" && path.starts_with(m.href)))
        .map(|m| m.href)
        .max_by_key(|h| h.len())
        .unwrap_or("/admin");
    let waiting = chrome.waiting;
    let menu = MENU
        .iter()
        .filter(|m| match m.who {
            Who::All => true,
            Who::Writers => chrome.can_content,
            Who::Editors => chrome.can_content && !chrome.is_writer,
            Who::Admins => chrome.is_admin,
            Who::Security => chrome.can_security,
            Who::Audit => chrome.can_audit,
        })
        .map(|m| {
            let here = m.href == current;
            let count = (m.href == "/admin/review" && waiting > 0).then(|| {
                view! {
                    <span class="menu-count" aria-label=format!("{waiting} 篇")>
                        {waiting}
                    </span>
                }
            });
            let label = if chrome.is_writer && m.href == "/admin/articles" {
                "我的稿件"
            } else {
                m.label
            };
            view! {
                <a href=m.href class:current=here aria-current=here.then_some("page")>
                    {label}
                    {count}
                </a>
            }
        })
        .collect_view();
    let AdminChrome {
        site_name,
        display_name,
        role_label,
        flash,
        ..
    } = chrome;
    view! {
        <AdminHead title=title.clone() />
        <div class="admin">
            <a class="skip-link" href="#admin-main">
                "跳到正文"
            </a>
            <header class="admin-top">
                <a class="admin-brand" href="/admin">
                    {site_name}
                    <span>"管理后台"</span>
                </a>
                <div class="admin-user">
                    <span>{display_name}<small>{format!("（{role_label}）")}</small></span>
                    <a href="/" target="_blank" rel="noopener">
                        "查看网站"
                    </a>
                    <a href="/admin/password">"修改密码"</a>
                    <form method="post" action="/admin/logout" class="inline-form">
                        <CsrfField />
                        <button type="submit" class="link-button">
                            "退出"
                        </button>
                    </form>
                </div>
            </header>
            <nav class="admin-menu" aria-label="管理菜单">
                {menu}
            </nav>
            <main id="admin-main" class="admin-main" tabindex="-1">
                <h1 class="admin-title">{title}</h1>
                <FlashMessage flash />
                {children()}
            </main>
        </div>
    }
    .into_any()
}

/// `Some(id)` for `/…/{id}`, `None` for `/…/new`, an error for anything else.
pub(crate) fn id_or_new(raw: Option<String>) -> Result<Option<i32>, AppError> {
    match raw.as_deref() {
        Some("new") => Ok(None),
        Some(s) => parse_id(s).map(Some).ok_or(AppError::NotFound),
        None => Err(AppError::NotFound),
    }
}

/// A reader's phone and e-mail: masked, with a button that shows them whole (`?contact=full`,
/// which the server records in the audit log), or whole, with a way back.
#[component]
pub(crate) fn ContactDetails(contact: crate::models::admin::Contact) -> impl IntoView {
    let text = [
        (!contact.phone.is_empty()).then(|| format!("电话 {}", contact.phone)),
        (!contact.email.is_empty()).then(|| format!("邮箱 {}", contact.email)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("；");
    let toggle = if contact.full {
        view! {
            <a class="button small" href="?">
                "隐藏"
            </a>
        }
        .into_any()
    } else {
        view! {
            <form method="get" class="inline-form">
                <input type="hidden" name="contact" value="full" />
                <button
                    type="submit"
                    class="button small"
                    title="查看完整联系方式会记入审计日志"
                >
                    "显示完整"
                </button>
            </form>
        }
        .into_any()
    };
    view! {
        <span class="contact">{text}</span>
        " "
        {toggle}
        {(!contact.full)
            .then(|| {
                view! {
                    <small class="hint">"（查看完整信息会记入审计日志）"</small>
                }
            })}
    }
}

/// Whether the page was asked to show readers' contact details whole (`?contact=full`).
pub(crate) fn wants_full_contact(query: &leptos_router::params::ParamsMap) -> bool {
    query.get("contact").as_deref() == Some("full")
}

/// A delete button in its own small form, asking first.
#[component]
pub(crate) fn DeleteButton(action: &'static str, id: i32, question: &'static str) -> impl IntoView {
    view! {
        <form method="post" action=action class="inline-form">
            <CsrfField />
            <input type="hidden" name="id" value=id />
            <button type="submit" class="button danger small" data-confirm=question>
                "删除"
            </button>
        </form>
    }
}
