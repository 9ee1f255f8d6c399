//! The person's own second factor, under `/api/admin/account/2fa`: enrolment with a QR code,
//! confirmation with a first code, recovery codes (shown once).

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::models::admin::TwoFactorState;

#[server(prefix = "/api/admin/account", endpoint = "2fa", input = GetUrl)]
pub async fn get_two_factor() -> Result<TwoFactorState, AppError> {
    use crate::models::admin::PendingEnrolment;
    use service::security::second_factor;
    let (staff, state) = crate::ssr::as_staff()?;
    let policy = state.security.get(&state.db).await?;
    let pending = second_factor::pending(
        &state.db,
        staff.user.id,
        &crate::api::admin::account_2fa::codes::issuer(),
    )
    .await?
    .map(|e| PendingEnrolment {
        qr_svg: crate::ssr::share::render_qr_svg(&e.otpauth, "双因素认证二维码")
            .unwrap_or_default(),
        secret: e
            .secret
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" "),
    });
    Ok(TwoFactorState {
        enabled_since: staff
            .user
            .totp_enabled_at
            .map(|t| service::time::format_datetime(t, state.site.time_zone)),
        codes_left: second_factor::codes_left(&state.db, staff.user.id).await?,
        required: second_factor::required(&policy, staff.user.role),
        pending,
        new_codes: crate::api::admin::account_2fa::codes::take(),
    })
}

/// Starts (or starts again) an enrolment: a new secret, shown as a QR code.
#[server(prefix = "/api/admin/account", endpoint = "2fa/begin")]
pub async fn begin_two_factor() -> Result<(), AppError> {
    use super::form::finish;
    let (staff, state) = crate::ssr::as_staff()?;
    let result = service::security::second_factor::begin(
        &state.db,
        &staff.actor(),
        staff.user.id,
        &crate::api::admin::account_2fa::codes::issuer(),
    )
    .await
    .map(|_| ())
    .map_err(AppError::from);
    finish(
        result,
        "请用手机验证器扫描二维码，然后输入其显示的 6 位数字",
    )
}

/// Confirms an enrolment with the first code; the recovery codes are shown next, once.
#[server(prefix = "/api/admin/account", endpoint = "2fa/confirm")]
pub async fn confirm_two_factor(code: String) -> Result<(), AppError> {
    use super::form::finish;
    let (staff, state) = crate::ssr::as_staff()?;
    let result = async {
        let code: String = code.chars().take(20).collect();
        let codes = service::security::second_factor::confirm(
            &state.db,
            &staff.actor(),
            staff.user.id,
            &code,
            chrono::Utc::now().timestamp(),
        )
        .await?;
        crate::api::admin::account_2fa::codes::pass(&codes)
    }
    .await;
    finish(result, "双因素认证已启用。请立即保存下面的恢复码")
}

/// New recovery codes in place of the old ones.
#[server(prefix = "/api/admin/account", endpoint = "2fa/codes")]
pub async fn renew_recovery_codes() -> Result<(), AppError> {
    use super::form::finish;
    let (staff, state) = crate::ssr::as_staff()?;
    let result = async {
        let codes =
            service::security::second_factor::new_codes(&state.db, &staff.actor(), staff.user.id)
                .await?;
        crate::api::admin::account_2fa::codes::pass(&codes)
    }
    .await;
    finish(result, "已生成新的恢复码，旧的恢复码全部作废。请立即保存")
}

/// Recovery codes on their way to the one page view that shows them, and the name the
/// authenticator app shows.
#[cfg(feature = "ssr")]
mod codes {
    use super::*;

    /// The cookie that carries recovery codes just made to the page that shows them once
    /// (encrypted; cleared when shown, gone after ten minutes).
    const CODES_COOKIE: &str = "portico_codes";

    pub(super) fn issuer() -> String {
        crate::ssr::site()
            .ok()
            .and_then(|s| s.0.base_url.split_once("://").map(|(_, h)| h.to_owned()))
            .map(|host| format!("Portico ({host})"))
            .unwrap_or_else(|| "Portico".to_owned())
    }

    /// Hands recovery codes to the next page view, encrypted.
    pub(super) fn pass(codes: &[String]) -> Result<(), AppError> {
        use http::HeaderValue;
        use http::header::SET_COOKIE;
        let sealed = service::security::totp::seal(codes.join(",").as_bytes())?;
        let secure = crate::ssr::state().is_ok_and(|s| s.site.secure_cookies);
        let value = format!(
            "{CODES_COOKIE}={}; Path=/admin/account/2fa; HttpOnly; SameSite=Strict; Max-Age=600{}",
            service::secret::hex(sealed.as_bytes()),
            if secure { "; Secure" } else { "" }
        );
        if let (Some(res), Ok(v)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            HeaderValue::from_str(&value),
        ) {
            res.append_header(SET_COOKIE, v);
        }
        Ok(())
    }

    /// Takes recovery codes handed over by [`pass`], clearing the cookie.
    pub(super) fn take() -> Vec<String> {
        use http::HeaderValue;
        use http::header::SET_COOKIE;
        let headers = crate::ssr::request_headers();
        let Some(raw) = crate::cookies::find(
            headers
                .get_all(http::header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok()),
            CODES_COOKIE,
        ) else {
            return Vec::new();
        };
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.append_header(
                SET_COOKIE,
                HeaderValue::from_static(
                    "portico_codes=; Path=/admin/account/2fa; HttpOnly; SameSite=Strict; Max-Age=0",
                ),
            );
        }
        let bytes: Option<Vec<u8>> = (0..raw.len() / 2)
            .map(|i| {
                raw.get(2 * i..2 * i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            })
            .collect();
        bytes
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|sealed| service::security::totp::open(&sealed).ok())
            .and_then(|b| String::from_utf8(b).ok())
            .map(|s| s.split(',').map(str::to_owned).collect())
            .unwrap_or_default()
    }
}
