//! `/admin/security`: the security policy (the 安全管理员's page, or the single 管理员's on a
//! site without the separation of duties).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::{AdminPage, AdminView, CsrfField};
use crate::api::admin::security::{
    ResetTwoFactor, SaveSecurityPolicy, UnlockAccount, get_accounts_security, get_security_policy,
    get_self_check,
};
use crate::models::admin::{AccountSecurityRow, ControlRow, PolicyField, SecurityForm, SelfCheck};

#[component]
pub fn SecurityPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_security_policy());
    view! {
        <AdminPage
            data
            render=|s: SecurityForm| AdminView {
                title: "安全策略".into(),
                content: view! { <SecurityFormView s /> }.into_any(),
            }
        />
    }
}

/// The groups of the form: a heading and the settings under it.
const GROUPS: &[(&str, &[&str])] = &[
    (
        "双因素认证",
        &["totp_admins", "totp_editors", "totp_writers"],
    ),
    (
        "密码",
        &[
            "password_min_len",
            "password_classes",
            "password_history",
            "password_max_age_days",
        ],
    ),
    ("会话", &["idle_minutes", "session_hours"]),
    (
        "登录失败",
        &[
            "lock_account_failures",
            "lock_address_failures",
            "lock_minutes",
            "slow_after",
        ],
    ),
    ("审计", &["audit_keep_days"]),
    ("读者个人信息", &["retention_months"]),
];

#[component]
fn SecurityFormView(s: SecurityForm) -> impl IntoView {
    let admins = s
        .administrators
        .iter()
        .map(|(role, n)| format!("{role} {n} 人"))
        .collect::<Vec<_>>()
        .join("，");
    let groups = GROUPS
        .iter()
        .map(|(heading, names)| {
            let inputs = names
                .iter()
                .filter_map(|n| s.fields.iter().find(|f| f.name == *n).cloned())
                .map(|f| view! { <NumberField f /> })
                .collect_view();
            view! {
                <fieldset>
                    <legend>{*heading}</legend>
                    {inputs}
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <form
            method="post"
            action=SaveSecurityPolicy::PATH
            class="panel stack narrow-wide security-form"
        >
            <CsrfField />
            <fieldset>
                <legend>"三权分立"</legend>
                <label class="check">
                    <input type="checkbox" name="separation" value="1" checked=s.separation />
                    "开启三权分立（等级保护第三级要求）"
                </label>
                <small class="hint">
                    "开启后，系统管理员管理用户、网站设置和内容，安全管理员管理本页的安全策略，审计管理员查阅和校验审计日志，任何一人都不能既操作又查看自己的操作记录；原有的“管理员”账号只保留系统管理员的权限。开启前须已有启用的安全管理员和审计管理员。关闭后由单一的“管理员”行使全部权限，适合只需第二级的小型网站。"
                </small>
                <p class="hint">{format!("当前启用的管理员账号：{admins}。")}</p>
            </fieldset>
            {groups}
            <fieldset>
                <legend>"后台访问地址"</legend>
                <label>
                    "后台地址白名单"
                    <textarea name="admin_allow" rows="3" placeholder="留空表示不限制">
                        {s.admin_allow.replace(", ", "\n")}
                    </textarea>
                    <small class="hint">
                        {format!(
                            "每行一个 IP 地址或网段（如 192.168.1.25、10.0.0.0/8）。设置后，名单以外的地址访问 /admin 和 /api/admin 一律得到 404，公开网站不受影响。您当前的地址是 {}，保存时名单必须包含它。",
                            s.current_ip,
                        )}
                    </small>
                </label>
            </fieldset>
            <div class="actions">
                <button type="submit" class="button primary">
                    "保存"
                </button>
            </div>
        </form>
    }
}

/// One numeric setting with its range.
#[component]
fn NumberField(f: PolicyField) -> impl IntoView {
    if f.min == 0 && f.max == 1 {
        // A yes/no setting (an unticked box sends nothing: off).
        return view! {
            <label class="check">
                <input type="checkbox" name=f.name value="1" checked=f.value == 1 />
                {f.label}
            </label>
        }
        .into_any();
    }
    let hint = match f.name.as_str() {
        "password_max_age_days" => "0 表示不限；到期后登录时须先修改密码。".to_owned(),
        "lock_account_failures" => {
            "只锁定“该账号 + 该地址”：他人在别处反复试错，不会把本人锁在外面。".to_owned()
        }
        "slow_after" => {
            "同一账号在各处累计失败达到此数后，每次尝试都要等待（1、2、4…最多 10 秒），但从不锁定。"
                .to_owned()
        }
        "audit_keep_days" => {
            "网络安全法要求至少 180 天；更早的记录只能归档到签名文件，不会被悄悄删除。".to_owned()
        }
        "retention_months" => {
            "超过期限的留言和投稿（连同附件）每小时自动删除；已公开的留言保留问答，去除留言人姓名和联系方式。0 表示一直保存。".to_owned()
        }
        _ => format!("{} 到 {}", f.min, f.max),
    };
    view! {
        <label>
            {f.label}
            <input
                type="number"
                name=f.name
                value=f.value
                min=f.min
                max=f.max
                required
                inputmode="numeric"
            /> <small class="hint">{hint}</small>
        </label>
    }
    .into_any()
}

/// `/admin/security/accounts`: each account's second factor and locks, with "reset" and
/// "unlock".
#[component]
pub fn AccountsSecurityPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_accounts_security());
    view! {
        <AdminPage
            data
            render={|rows: Vec<AccountSecurityRow>| AdminView {
                title: "账号安全".into(),
                content: view! {
                    <p class="hint">
                        "账号的创建、停用和角色由系统管理员在“用户”中管理；这里重置丢失手机的双因素认证、解除登录锁定。每项操作都记入审计日志。"
                    </p>
                    <div class="table-wrap">
                        <table class="data">
                            <thead>
                                <tr>
                                    <th>"用户名"</th>
                                    <th>"显示名称"</th>
                                    <th>"角色"</th>
                                    <th>"双因素认证"</th>
                                    <th>"登录锁定"</th>
                                    <th>"最近登录"</th>
                                    <th>"操作"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|r| view! { <AccountRow r /> })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any(),
            }}
        />
    }
}

#[component]
fn AccountRow(r: AccountSecurityRow) -> impl IntoView {
    let reset = (r.has_second_factor && !r.is_me).then(|| {
        view! {
            <form method="post" action=ResetTwoFactor::PATH class="inline-form">
                <CsrfField />
                <input type="hidden" name="id" value=r.id />
                <button
                    type="submit"
                    class="button small"
                    data-confirm="重置后该账号的动态口令和恢复码全部失效，须重新设置。确认本人已丢失手机吗？"
                >
                    "重置双因素认证"
                </button>
            </form>
        }
    });
    let unlock = r.locked.then(|| {
        view! {
            <form method="post" action=UnlockAccount::PATH class="inline-form">
                <CsrfField />
                <input type="hidden" name="id" value=r.id />
                <button type="submit" class="button small">
                    "解除锁定"
                </button>
            </form>
        }
    });
    view! {
        <tr class:muted=!r.is_active>
            <td>{r.username}{r.is_me.then_some("（我）")}</td>
            <td>{r.display_name}</td>
            <td>{r.role}</td>
            <td>{r.second_factor}</td>
            <td>{if r.locked { "已锁定" } else { "—" }}</td>
            <td class="nowrap muted">{r.last_login}</td>
            <td class="nowrap">{reset}{unlock}</td>
        </tr>
    }
}

/// `/admin/security/check`: 等保自查, each control with its clause, setting and levels met.
#[component]
pub fn SelfCheckPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_self_check());
    view! {
        <AdminPage
            data
            render=|c: SelfCheck| AdminView {
                title: "等保自查".into(),
                content: view! { <SelfCheckView c /> }.into_any(),
            }
        />
    }
}

#[component]
fn SelfCheckView(c: SelfCheck) -> impl IntoView {
    let level2 = c.rows.iter().all(|r| r.level2);
    let level3 = c.rows.iter().all(|r| r.level3);
    let summary = format!(
        "应用层控制项 {} 项：第二级{}，第三级{}（{} 检查）。",
        c.rows.len(),
        if level2 {
            "全部满足"
        } else {
            "尚有未满足项"
        },
        if level3 {
            "全部满足"
        } else {
            "尚有未满足项"
        },
        c.checked_at,
    );
    view! {
        <p class=if level3 { "verdict verdict-ok" } else { "verdict verdict-bad" }>{summary}</p>
        <p class="hint">
            "依据 GB/T 22239-2019《信息安全技术 网络安全等级保护基本要求》安全计算环境（第三级 8.1.4，第二级 7.1.4，条款字母相同）。本页只涉及本系统自身能做到的控制；网络、主机和管理制度另行评估。可打印本页交给测评机构。"
        </p>
        <div class="table-wrap">
            <table class="data self-check">
                <thead>
                    <tr>
                        <th>"条款"</th>
                        <th>"控制项"</th>
                        <th>"当前设置"</th>
                        <th>"第二级"</th>
                        <th>"第三级"</th>
                    </tr>
                </thead>
                <tbody>
                    {c.rows.into_iter().map(|r| view! { <ControlRowView r /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ControlRowView(r: ControlRow) -> impl IntoView {
    let mark = |met: bool| {
        view! {
            <td class="nowrap" class:outcome-bad=!met>
                {if met { "✓ 满足" } else { "✗ 未满足" }}
            </td>
        }
    };
    view! {
        <tr>
            <td class="nowrap">{r.clause}</td>
            <td>{r.title}</td>
            <td class="summary">{r.setting}</td>
            {mark(r.level2)}
            {mark(r.level3)}
        </tr>
    }
}
