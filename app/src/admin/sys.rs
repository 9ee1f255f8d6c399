//! `/admin/sys/settings` and `/admin/sys/users` (admins only).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::{AdminPage, AdminView, CsrfField};
use crate::api::admin::sys::{CreateUser, SaveSettings, UpdateUser, get_settings_form, get_users};
use crate::models::admin::{SettingsForm, UserRow};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_settings_form());
    view! {
        <AdminPage
            data
            render={|s: SettingsForm| AdminView {
                title: "网站设置".into(),
                content: view! {
                    <form method="post" action=SaveSettings::PATH class="panel stack narrow-wide">
                        <CsrfField />
                        <SiteFields s=s.clone() />
                        <FormsFields s=s.clone() />
                        <ReviewFields s />
                        <div class="actions">
                            <button type="submit" class="button primary">
                                "保存"
                            </button>
                        </div>
                    </form>
                }
                    .into_any(),
            }}
        />
    }
}

/// The site's name, emblem, magazine, accounts and footer.
#[component]
fn SiteFields(s: SettingsForm) -> impl IntoView {
    view! {
        <label>
            "网站名称" <input name="site_name" value=s.site_name required maxlength="50" />
        </label>
        <label>
            "英文名称" <input name="site_name_en" value=s.site_name_en maxlength="100" />
            <small class="hint">"显示在页头网站名称下方；留空则不显示。"</small>
        </label>
        <label>
            "网站标志图片地址"
            <input
                name="logo_url"
                value=s.logo_url.clone()
                maxlength="500"
                placeholder="/media/…"
            />
            <small class="hint">
                "先在媒体库上传图片（建议正方形、至少 128×128），再复制其地址填在这里；留空则使用默认会徽。"
            </small>
        </label>
        {(!s.logo_url.is_empty())
            .then(|| {
                view! { <img class="logo-preview" src=s.logo_url.clone() alt="当前标志" /> }
            })}
        <label>
            "会刊名称" <input name="magazine_name" value=s.magazine_name maxlength="50" />
        </label>
        <label>"口号"<input name="slogan" value=s.slogan maxlength="100" /></label>
        <label>
            "微信公众号名称"
            <input name="wechat_account" value=s.wechat_account maxlength="50" />
        </label>
        <label>
            "公众号二维码链接（生成二维码用）"
            <input name="wechat_qr_url" value=s.wechat_qr_url maxlength="500" />
        </label>
        <label>"QQ 交流群号" <input name="qq_group" value=s.qq_group maxlength="30" /></label>
        <label>
            "留言邮箱"
            <input name="contact_email" type="email" value=s.contact_email maxlength="100" />
        </label>
        <label>
            "页脚信息（每行一条）" <textarea name="footer_text" rows="4" maxlength="1000">
                {crate::components::textarea_text(&s.footer_text)}
            </textarea>
        </label>
        <label>"ICP 备案号"<input name="icp" value=s.icp maxlength="100" /></label>
        <label>"版权信息" <input name="copyright" value=s.copyright maxlength="200" /></label>
    }
}

/// What readers may send: blocked words and links.
#[component]
fn FormsFields(s: SettingsForm) -> impl IntoView {
    view! {
        <fieldset class="stack">
            <legend>"留言与投稿"</legend>
            <label>
                "禁用词（每行一个）" <textarea name="blocked_words" rows="6">
                    {crate::components::textarea_text(&s.blocked_words)}
                </textarea>
                <small class="hint">
                    "读者留言和投稿中出现这些词语时不予提交，并提示读者修改；文章提交审核时，审核人会看到标出的词语。不区分大小写和全角半角。"
                </small>
            </label>
            <label>
                "每条留言或投稿最多可包含的网址数"
                <input
                    name="max_links"
                    type="number"
                    min="0"
                    max="100"
                    value=s.max_links
                    class="short"
                />
            </label>
        </fieldset>
    }
}

/// 先审后发: who is reviewed, how many levels, and the notices.
#[component]
fn ReviewFields(s: SettingsForm) -> impl IntoView {
    let r = s.review_writers;
    let two = s.review_levels == 2;
    view! {
        <fieldset class="stack">
            <legend>"审核（先审后发）"</legend>
            <Choice
                label="撰稿人的稿件"
                name="review_writers"
                options=[("1", "须经编辑审核后发布", r), ("0", "提交即发布", !r)]
            />
            <Choice
                label="审核级别"
                name="review_levels"
                options=[
                    ("1", "一级审核", !two),
                    ("2", "两级审核（初审、终审由不同的人进行）", two),
                ]
            />
            <Choice
                label="编辑自己的稿件"
                name="review_editors"
                options=[
                    ("direct", "编辑可直接发布", !s.review_peer),
                    ("peer", "须经其他编辑审核", s.review_peer),
                ]
            />
            <Choice
                label="审核通知邮件"
                name="review_mail"
                options=[
                    ("0", "不发送", !s.review_mail),
                    (
                        "1",
                        "发送（提交审核时通知编辑部邮箱，退回和通过时通知提交人）",
                        s.review_mail,
                    ),
                ]
                hint="使用留言箱的邮件设置（Leptos.toml 的 [mail]）；提交人的邮箱在“用户”页面填写。"
            />
        </fieldset>
    }
}

/// A labelled select of a few choices: (value sent, words shown, chosen now).
#[component]
fn Choice(
    label: &'static str,
    name: &'static str,
    options: [(&'static str, &'static str, bool); 2],
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label>
            {label}
            <select name=name>
                {options
                    .into_iter()
                    .map(|(value, words, chosen)| {
                        view! {
                            <option value=value selected=chosen>
                                {words}
                            </option>
                        }
                    })
                    .collect_view()}
            </select> {hint.map(|h| view! { <small class="hint">{h}</small> })}
        </label>
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_users());
    view! {
        <AdminPage
            data
            render={|rows: Vec<UserRow>| AdminView {
                title: "用户".into(),
                content: view! {
                    <div class="table-wrap">
                        <table class="data">
                            <thead>
                                <tr>
                                    <th>"用户名"</th>
                                    <th>"显示名称"</th>
                                    <th>"角色"</th>
                                    <th>"邮箱（审核通知）"</th>
                                    <th>"启用"</th>
                                    <th>"重设密码"</th>
                                    <th>"最近登录"</th>
                                    <th></th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|u| view! { <UserRowView u /> })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <p class="hint">
                        "停用账号、修改角色或重设密码后，该用户的所有登录会立即退出。"
                    </p>
                    <NewUser />
                }
                    .into_any(),
            }}
        />
    }
}

/// The roles an account may have: code, name, what it may do.
const ROLES: &[(&str, &str, &str)] = &[
    ("writer", "撰稿人", "写稿并提交审核"),
    ("editor", "编辑", "审核、发布和管理内容"),
    ("sysadmin", "系统管理员", "用户、网站设置、栏目和内容"),
    (
        "secadmin",
        "安全管理员",
        "安全策略、解锁账号、重置双因素认证",
    ),
    ("auditor", "审计管理员", "查阅、导出和校验审计日志"),
    (
        "admin",
        "管理员",
        "全部权限，仅在未开启三权分立时；开启后等同系统管理员",
    ),
];

/// One account, edited in place (its inputs belong to the form in the last cell).
#[component]
fn UserRowView(u: UserRow) -> impl IntoView {
    let form_id = format!("user-{}", u.id);
    view! {
        <tr>
            <td>{u.username.clone()}{u.is_me.then_some("（我）")}</td>
            <td>
                <input
                    form=form_id.clone()
                    name="display_name"
                    value=u.display_name
                    maxlength="50"
                />
            </td>
            <td>
                <select
                    form=form_id.clone()
                    name="role"
                    disabled=u.is_me
                    aria-label=format!("{} 的角色", u.username)
                >
                    {ROLES
                        .iter()
                        .map(|(code, label, _)| {
                            view! {
                                <option value=*code selected=u.role == *code>
                                    {*label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                {u
                    .is_me
                    .then(|| {
                        view! {
                            <input
                                form=form_id.clone()
                                type="hidden"
                                name="role"
                                value=u.role.clone()
                            />
                        }
                    })}
            </td>
            <td>
                <input
                    form=form_id.clone()
                    type="email"
                    name="email"
                    value=u.email
                    maxlength="100"
                    aria-label=format!("{} 的邮箱", u.username)
                />
            </td>
            <td>
                <input
                    form=form_id.clone()
                    type="checkbox"
                    name="is_active"
                    value="on"
                    checked=u.is_active
                    disabled=u.is_me
                    aria-label="启用"
                />
                {u
                    .is_me
                    .then(|| {
                        view! {
                            <input form=form_id.clone() type="hidden" name="is_active" value="on" />
                        }
                    })}
            </td>
            <td>
                <input
                    form=form_id.clone()
                    type="password"
                    name="password"
                    autocomplete="new-password"
                    placeholder="不修改请留空"
                    minlength="10"
                    maxlength="128"
                />
            </td>
            <td class="muted nowrap">{u.last_login}</td>
            <td>
                <form method="post" action=UpdateUser::PATH id=form_id class="inline-form">
                    <CsrfField />
                    <input type="hidden" name="id" value=u.id />
                    <button type="submit" class="button small">
                        "保存"
                    </button>
                </form>
            </td>
        </tr>
    }
}

/// The form for a new account.
#[component]
fn NewUser() -> impl IntoView {
    view! {
        <section class="panel narrow-wide">
            <h2>"新建用户"</h2>
            <form method="post" action=CreateUser::PATH class="stack">
                <CsrfField />
                <label>
                    "用户名（登录用）"
                    <input
                        name="username"
                        required
                        minlength="3"
                        maxlength="50"
                        autocomplete="off"
                    />
                </label>
                <label>"显示名称"<input name="display_name" maxlength="50" /></label>
                <label>
                    "角色"
                    <select name="role">
                        {ROLES
                            .iter()
                            .map(|(code, label, what)| {
                                view! {
                                    <option value=*code selected=*code == "editor">
                                        {format!("{label}（{what}）")}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    "初始密码（至少 10 个字符）"
                    <input
                        name="password"
                        type="password"
                        required
                        minlength="10"
                        maxlength="128"
                        autocomplete="new-password"
                    />
                </label>
                <div class="actions">
                    <button type="submit" class="button primary">
                        "创建"
                    </button>
                </div>
            </form>
        </section>
    }
}
