//! `/admin/account/2fa`: setting up the second factor (scan a QR code with an authenticator
//! app, confirm with its first code), and the recovery codes, shown once.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::{AdminPage, AdminView, CsrfField};
use crate::api::admin::account_2fa::{
    BeginTwoFactor, ConfirmTwoFactor, RenewRecoveryCodes, get_two_factor,
};
use crate::models::admin::{PendingEnrolment, TwoFactorState};

#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_two_factor());
    view! {
        <AdminPage
            data
            render=|s: TwoFactorState| AdminView {
                title: "双因素认证".into(),
                content: view! { <TwoFactorView s /> }.into_any(),
            }
        />
    }
}

#[component]
fn TwoFactorView(s: TwoFactorState) -> impl IntoView {
    let codes =
        (!s.new_codes.is_empty()).then(|| view! { <RecoveryCodes codes=s.new_codes.clone() /> });
    let body = match (&s.enabled_since, s.pending.clone()) {
        (Some(since), _) => view! {
            <section class="panel narrow-wide">
                <p>
                    <strong>"已启用"</strong>
                    {format!(
                        "（{since} 起）。登录时除密码外还需输入手机验证器上的动态口令。",
                    )}
                </p>
                <p class="hint">
                    {format!("剩余未使用的恢复码：{} 个。", s.codes_left)}
                    "手机丢失时，可用恢复码登录；恢复码也用完时，请联系安全管理员重置。"
                </p>
                <form method="post" action=RenewRecoveryCodes::PATH class="inline-form">
                    <CsrfField />
                    <button
                        type="submit"
                        class="button"
                        data-confirm="生成新的恢复码后，旧的恢复码全部作废。继续吗？"
                    >
                        "重新生成恢复码"
                    </button>
                </form>
            </section>
        }
        .into_any(),
        (None, Some(p)) => view! { <Enrol p /> }.into_any(),
        (None, None) => view! {
            <section class="panel narrow-wide">
                {s
                    .required
                    .then(|| {
                        view! {
                            <div class="flash flash-error" role="alert">
                                "按照本站的安全策略，您须先设置双因素认证，才能继续使用管理后台。"
                            </div>
                        }
                    })}
                <p>
                    "双因素认证在密码之外再要求一个手机验证器每 30 秒变化一次的 6 位动态口令，即使密码泄露，他人也无法登录。"
                </p>
                <p class="hint">
                    "请先在手机上安装一个验证器应用（如 Google Authenticator、Microsoft Authenticator、腾讯身份验证器、FreeOTP），然后点击下面的按钮。"
                </p> <form method="post" action=BeginTwoFactor::PATH class="inline-form">
                    <CsrfField />
                    <button type="submit" class="button primary">
                        "开始设置"
                    </button>
                </form>
            </section>
        }
        .into_any(),
    };
    view! {
        {codes}
        {body}
    }
}

/// Scan, then confirm with the first code.
#[component]
fn Enrol(p: PendingEnrolment) -> impl IntoView {
    view! {
        <section class="panel narrow-wide enrol">
            <ol class="steps">
                <li>
                    "打开手机上的验证器应用，选择“扫描二维码”，扫描下图："
                </li>
            </ol>
            <div class="qr-large" inner_html=p.qr_svg></div>
            <p class="hint">
                "无法扫码时，可在应用中选择“手动输入”，账户名任意，密钥为："
                <code class="secret">{p.secret}</code> "（基于时间）"
            </p>
            <ol class="steps" start="2">
                <li>"输入应用中显示的 6 位数字，完成设置："</li>
            </ol>
            <form method="post" action=ConfirmTwoFactor::PATH class="stack">
                <CsrfField />
                <label>
                    "动态口令"
                    <input
                        name="code"
                        autocomplete="one-time-code"
                        inputmode="numeric"
                        pattern="[0-9 ]{6,7}"
                        required
                        maxlength="7"
                    />
                </label>
                <button type="submit" class="button primary">
                    "确认启用"
                </button>
            </form>
            <form method="post" action=BeginTwoFactor::PATH class="inline-form">
                <CsrfField />
                <button type="submit" class="link-button">
                    "换一个二维码"
                </button>
            </form>
        </section>
    }
}

/// Recovery codes just made: shown this once.
#[component]
fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    view! {
        <section class="panel narrow-wide recovery" aria-labelledby="codes-title">
            <h2 id="codes-title">"恢复码（只显示这一次）"</h2>
            <p>
                "请把这些恢复码抄写或打印下来，存放在安全的地方。手机不在身边时，每个恢复码可代替动态口令登录一次。"
            </p>
            <ul class="codes">
                {codes
                    .into_iter()
                    .map(|c| {
                        view! {
                            <li>
                                <code>{c}</code>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
