//! The parts the readers' forms (留言, 投稿) share: a labelled input with its problem beside
//! it, the question asked after too many posts, the consent, the notice above a refused form,
//! and the hidden token and honeypot. All plain server-rendered markup: the forms work without
//! script.

use leptos::prelude::*;

/// The problem of a field, under it (`id` is what the field's `aria-describedby` names).
#[component]
pub(crate) fn FieldError(id: String, message: Option<String>) -> impl IntoView {
    message.map(|m| {
        view! {
            <p class="field-error" id=id>
                {m}
            </p>
        }
    })
}

/// `aria-describedby` of a field: its problem (when it has one), then its hint (if any).
pub(crate) fn described(problem: &Option<String>, error_id: &str, hint: &str) -> Option<String> {
    let s = match problem {
        Some(_) => format!("{error_id} {hint}"),
        None => hint.to_owned(),
    };
    let s = s.trim().to_owned();
    (!s.is_empty()).then_some(s)
}

/// `aria-invalid` of a field with a problem.
pub(crate) fn invalid(problem: &Option<String>) -> Option<&'static str> {
    problem.as_ref().map(|_| "true")
}

/// The red star of a required field's label.
fn required_mark(required: bool) -> impl IntoView {
    required.then(|| {
        view! {
            <span class="req" aria-hidden="true">
                "*"
            </span>
        }
    })
}

/// The phone and e-mail fields side by side (at least one is needed), and the hint under
/// them that says what they are for. `ids`: the phone's, the e-mail's and the hint's.
#[component]
pub(crate) fn ContactPair(
    ids: [&'static str; 3],
    phone: String,
    email: String,
    problems: [Option<String>; 2],
    /// What the hint says after "至少填写一项，".
    purpose: &'static str,
) -> impl IntoView {
    let [phone_id, email_id, hint] = ids;
    let [phone_problem, email_problem] = problems;
    view! {
        <div class="field-row">
            <InputField
                id=phone_id
                name="phone"
                label="联系电话"
                kind="tel"
                value=phone
                max=30
                autocomplete="tel"
                inputmode="tel"
                hint
                problem=phone_problem
            />
            <InputField
                id=email_id
                name="email"
                label="电子邮箱"
                kind="email"
                value=email
                max=100
                autocomplete="email"
                hint
                problem=email_problem
            />
        </div>
        <p class="hint" id=hint>
            {format!("电话和电子邮箱至少填写一项，{purpose}")}
        </p>
    }
}

/// What tracking found: its title; its receipt code, when it was sent and where it stands
/// (labelled `sent` and `state`), then any `more` lines that have a value; then what the
/// page adds.
#[component]
pub(crate) fn TrackedItem(
    title: String,
    code: String,
    sent: (&'static str, String),
    state: (&'static str, String),
    #[prop(optional)] more: Vec<(&'static str, String)>,
    children: Children,
) -> impl IntoView {
    let more = more
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(label, value)| {
            view! {
                <dt>{label}</dt>
                <dd>{value}</dd>
            }
        })
        .collect_view();
    view! {
        <section class="tracked" aria-labelledby="tracked-title">
            <h2 id="tracked-title">{title}</h2>
            <dl class="tracked-meta">
                <dt>"受理编号"</dt>
                <dd>{code}</dd>
                <dt>{sent.0}</dt>
                <dd>{sent.1}</dd>
                <dt>{state.0}</dt>
                <dd>
                    <strong>{state.1}</strong>
                </dd>
                {more}
            </dl>
            {children()}
        </section>
    }
}

/// A labelled one-line input (`<div class="field">`), its problem under it. `hint` is the id
/// of a hint elsewhere on the page that describes it too.
#[component]
pub(crate) fn InputField(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    value: String,
    max: u32,
    problem: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}{required_mark(required)}</label>
            <input
                id=id
                name=name
                type=kind
                value=value
                required=required
                maxlength=max
                autocomplete=autocomplete
                inputmode=inputmode
                aria-invalid=invalid(&problem)
                aria-describedby=described(&problem, &error_id, hint)
            />
            <FieldError id=error_id message=problem />
        </div>
    }
}

/// The question asked after too many posts from one place (`<prefix>-answer`).
#[component]
pub(crate) fn Challenge(
    prefix: &'static str,
    question: Option<String>,
    problem: Option<String>,
) -> impl IntoView {
    let (id, error_id) = (format!("{prefix}-answer"), format!("{prefix}-answer-error"));
    question.map(|q| {
        view! {
            <div class="field challenge">
                <label for=id.clone()>{format!("验证问题：{q}")}{required_mark(true)}</label>
                <input
                    id=id
                    name="answer"
                    required
                    maxlength="4"
                    inputmode="numeric"
                    autocomplete="off"
                    class="short"
                    aria-invalid=invalid(&problem)
                    aria-describedby=described(&problem, &error_id, "")
                />
                <FieldError id=error_id message=problem />
            </div>
        }
    })
}

/// The consent to the privacy notice (`<prefix>-consent`), with `pledge` after it.
#[component]
pub(crate) fn Consent(
    prefix: &'static str,
    checked: bool,
    privacy_href: String,
    #[prop(optional)] pledge: &'static str,
    problem: Option<String>,
) -> impl IntoView {
    let (id, error_id) = (
        format!("{prefix}-consent"),
        format!("{prefix}-consent-error"),
    );
    view! {
        <div class="field check">
            <label>
                <input
                    type="checkbox"
                    id=id
                    name="consent"
                    value="yes"
                    required
                    checked=checked
                    aria-invalid=invalid(&problem)
                    aria-describedby=described(&problem, &error_id, "")
                />
                <span>
                    "我已阅读并同意" <a href=privacy_href target="_blank">
                        "《个人信息保护说明》"
                    </a> {pledge}
                </span>
            </label>
            <FieldError id=error_id message=problem />
        </div>
    }
}

/// Above a refused form: why (or `fallback`), and the files to choose again.
#[component]
pub(crate) fn FormNotice(
    notice: Option<String>,
    has_problems: bool,
    fallback: &'static str,
    #[prop(optional)] files_again: Vec<String>,
) -> impl IntoView {
    has_problems.then(|| {
        view! {
            <div class="form-notice" role="alert">
                <p>{notice.unwrap_or_else(|| fallback.to_owned())}</p>
                {(!files_again.is_empty())
                    .then(|| {
                        view! {
                            <p>{format!("请重新选择附件：{}", files_again.join("、"))}</p>
                        }
                    })}
            </div>
        }
    })
}

/// The form's signed token, and a field only robots fill in.
#[component]
pub(crate) fn FormGuards(token: String) -> impl IntoView {
    view! {
        <input type="hidden" name="token" value=token />
        <div class="hp" aria-hidden="true">
            <label>
                "请勿填写此项" <input name="website" tabindex="-1" autocomplete="off" />
            </label>
        </div>
    }
}

/// What differs between the two tracking pages (留言查询, 投稿查询).
pub(crate) struct TrackTexts {
    pub title: &'static str,
    pub lead: &'static str,
    /// The heading of the receipt of an item just sent.
    pub receipt: &'static str,
    pub receipt_hint: &'static str,
    /// Where the form posts.
    pub action: &'static str,
    /// An example receipt code.
    pub placeholder: &'static str,
    pub back_href: &'static str,
    pub back_label: &'static str,
    /// The menu entry the page belongs to (empty: none).
    pub active: &'static str,
}

/// A tracking page (`/messages/track`, `/submit/track`): the receipt code and whether it was
/// just sent from the address, what `load` (the page's server function) answers, shown with
/// `texts` and, for what was found, `show`.
pub(crate) fn track_page<T, Fut>(
    load: fn(String, bool) -> Fut,
    texts: &'static TrackTexts,
    show: fn(T) -> AnyView,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: std::future::Future<Output = Result<crate::models::TrackPage<T>, crate::error::AppError>>
        + Send
        + 'static,
{
    let query = leptos_router::hooks::use_query_map();
    let data = Resource::new_blocking(
        move || {
            let q = query.read();
            (q.get("code").unwrap_or_default(), q.get("new").is_some())
        },
        move |(code, is_new)| load(code, is_new),
    );
    let render = move |t: crate::models::TrackPage<T>| super::PageView {
        active: texts.active.to_owned(),
        content: view! {
            <TrackLayout
                texts
                seo=t.seo
                is_new=t.is_new
                code=t.code
                contact=t.contact
                notice=t.notice
                found=t.found.map(show)
            />
        }
        .into_any(),
    };
    view! { <super::SitePage data render /> }
}

/// A tracking page: its heading, the receipt of an item just sent, the notice, what tracking
/// found (`found`, rendered by the page), and the form (receipt code and contact).
#[component]
pub(crate) fn TrackLayout(
    texts: &'static TrackTexts,
    seo: crate::models::SeoInfo,
    is_new: bool,
    code: String,
    contact: String,
    notice: Option<String>,
    found: Option<AnyView>,
) -> impl IntoView {
    view! {
        <crate::components::seo::Seo seo />
        <div class="messages-page track-page">
            <header class="page-header">
                <h1>{texts.title}</h1>
                <p class="lead">{texts.lead}</p>
            </header>
            {is_new
                .then(|| {
                    view! {
                        <div class="receipt" role="status">
                            <p class="receipt-title">{texts.receipt}</p>
                            <p>
                                "您的受理编号是 "
                                <strong class="receipt-code">{code.clone()}</strong>
                            </p>
                            <p class="hint">{texts.receipt_hint}</p>
                        </div>
                    }
                })}
            {notice
                .map(|n| {
                    view! {
                        <div class="form-notice" role="alert">
                            <p>{n}</p>
                        </div>
                    }
                })}
            {found}
            <form
                method="post"
                action=texts.action
                class="reader-form track-form"
                accept-charset="utf-8"
            >
                <div class="field-row">
                    <div class="field">
                        <label for="track-code">"受理编号"</label>
                        <input
                            id="track-code"
                            name="code"
                            value=code
                            required
                            maxlength="24"
                            autocomplete="off"
                            autocapitalize="characters"
                            spellcheck="false"
                            placeholder=texts.placeholder
                        />
                    </div>
                    <div class="field">
                        <label for="track-contact">"电话或电子邮箱"</label>
                        <input
                            id="track-contact"
                            name="contact"
                            value=contact
                            required
                            maxlength="100"
                            autocomplete="email"
                        />
                    </div>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button primary">
                        "查询"
                    </button>
                    <a href=texts.back_href>{texts.back_label}</a>
                </div>
            </form>
        </div>
    }
}
