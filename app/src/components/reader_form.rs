//! What script adds to the readers' forms (留言, 投稿), which work without it: a character
//! counter under each long text, the checks the server makes told in Chinese next to the
//! field as soon as the reader leaves it (and all at once before sending), and for 投稿 the
//! upload with a progress bar. A lazy island: only the form pages load it.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, HtmlFormElement, HtmlInputElement};

use super::browser::document;

/// The limits the form's files are checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileLimits {
    pub max_files: usize,
    pub max_file_mb: usize,
    pub max_total_mb: usize,
}

const FILE_TYPES: &[&str] = &["doc", "docx", "wps", "pdf", "jpg", "jpeg", "png"];

/// The fields a reader fills in (not the token, not the field robots fill in).
const FIELDS: &str = "input:not([type=hidden]):not([tabindex='-1']), textarea, select";

/// Phone and e-mail: either one answers the "at least one contact" rule for both.
fn is_contact(el: &Element) -> bool {
    matches!(el.get_attribute("name").as_deref(), Some("phone" | "email"))
}

/// Checks a field again and shows the result, and its contact partner's.
fn recheck(form: &HtmlFormElement, el: &Element, files: Option<FileLimits>) {
    show(el, check(form, el, files));
    recheck_partner(form, el, files);
}

/// For a contact field, the other one when its problem is shown (the "at least one" rule is
/// on the pair, told at the phone): typing an e-mail address clears it.
fn recheck_partner(form: &HtmlFormElement, el: &Element, files: Option<FileLimits>) {
    if !is_contact(el) {
        return;
    }
    for other in all(form, "input[name=phone], input[name=email]") {
        if other != *el && other.has_attribute("aria-invalid") {
            show(&other, check(form, &other, files));
        }
    }
}

/// Enhances the form with id `form_id` (placed inside it). With `files`, the form is sent
/// with a progress bar.
// Readers' pages load the reader bundle, built without `full`: there this is a plain component
// (never called in the browser), so its code, data and bindings are not in what they download.
// The server and the full bundle (`frontend-full`) have the island.
#[cfg_attr(any(feature = "ssr", feature = "full"), island(lazy))]
#[cfg_attr(not(any(feature = "ssr", feature = "full")), component)]
pub fn ReaderFormHelper(
    form_id: String,
    #[prop(optional)] files: Option<FileLimits>,
) -> impl IntoView {
    let progress = RwSignal::new(None::<u32>);
    let failed = RwSignal::new(None::<String>);
    Effect::new(move |_| enhance(&form_id, files, progress, failed));
    view! {
        <div
            class="upload-progress"
            role="status"
            aria-live="polite"
            hidden=move || progress.get().is_none() && failed.get().is_none()
        >
            {move || {
                progress
                    .get()
                    .map(|p| {
                        view! {
                            <progress max="100" value=p></progress>
                            <span>
                                {if p >= 100 {
                                    "已上传，正在保存…".to_owned()
                                } else {
                                    format!("正在上传 {p}%")
                                }}
                            </span>
                        }
                    })
            }}
            {move || failed.get().map(|m| view! { <span class="field-error">{m}</span> })}
        </div>
    }
}

fn leak<T: ?Sized + wasm_bindgen::closure::WasmClosure>(c: Closure<T>) -> js_sys::Function {
    c.into_js_value().unchecked_into()
}

fn enhance(
    form_id: &str,
    files: Option<FileLimits>,
    progress: RwSignal<Option<u32>>,
    failed: RwSignal<Option<String>>,
) {
    let Some(form) = document()
        .and_then(|d| d.get_element_by_id(form_id))
        .and_then(|e| e.dyn_into::<HtmlFormElement>().ok())
    else {
        return;
    };
    // Our messages instead of the browser's bubbles (in whatever language it speaks).
    form.set_no_validate(true);
    for area in all(&form, "textarea[maxlength]") {
        counter(&area);
        let a = area.clone();
        let f = leak(Closure::<dyn Fn()>::new(move || counter(&a)));
        let _ = area.add_event_listener_with_callback("input", &f);
    }
    for field in all(&form, FIELDS) {
        let kind = field.get_attribute("type").unwrap_or_default();
        let (fm, el) = (form.clone(), field.clone());
        // Told when the reader leaves the field (or picks something)…
        let leave = leak(Closure::<dyn Fn()>::new(move || recheck(&fm, &el, files)));
        let event = if matches!(kind.as_str(), "file" | "checkbox") || field.tag_name() == "SELECT"
        {
            "change"
        } else {
            "blur"
        };
        let _ = field.add_event_listener_with_callback(event, &leave);
        // …and, once told, cleared as soon as it is put right.
        let (fm, el) = (form.clone(), field.clone());
        let typing = leak(Closure::<dyn Fn()>::new(move || {
            if el.has_attribute("aria-invalid") {
                show(&el, check(&fm, &el, files));
            }
            recheck_partner(&fm, &el, files);
        }));
        let _ = field.add_event_listener_with_callback("input", &typing);
    }
    let fm = form.clone();
    let on_submit = leak(Closure::<dyn Fn(web_sys::Event)>::new(
        move |e: web_sys::Event| {
            let mut first = None;
            for el in all(&fm, FIELDS) {
                let problem = check(&fm, &el, files);
                if problem.is_some() && first.is_none() {
                    first = Some(el.clone());
                }
                show(&el, problem);
            }
            if let Some(el) = first {
                e.prevent_default();
                if let Some(h) = el.dyn_ref::<web_sys::HtmlElement>() {
                    let _ = h.focus();
                }
                return;
            }
            if files.is_some() {
                e.prevent_default();
                upload(&fm, progress, failed);
            }
        },
    ));
    let _ = form.add_event_listener_with_callback("submit", &on_submit);
}

fn all(form: &HtmlFormElement, selector: &str) -> Vec<Element> {
    let Ok(list) = form.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

fn value(el: &Element) -> String {
    if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
        i.value()
    } else if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.value()
    } else if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.value()
    } else {
        String::new()
    }
}

/// The field's label without the required mark.
fn label_of(el: &Element) -> String {
    let Some(id) = el.get_attribute("id") else {
        return "此项".into();
    };
    document()
        .and_then(|d| {
            d.query_selector(&format!("label[for='{id}']"))
                .ok()
                .flatten()
        })
        .and_then(|l| l.first_child())
        .and_then(|n| n.text_content())
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "此项".into())
}

fn counter(area: &Element) {
    let max = area
        .get_attribute("maxlength")
        .and_then(|m| m.parse::<usize>().ok())
        .unwrap_or(0);
    let n = value(area).chars().count();
    let Some(parent) = area.parent_element() else {
        return;
    };
    let el = match parent.query_selector(".char-count").ok().flatten() {
        Some(el) => el,
        None => {
            let Some(el) = document().and_then(|d| d.create_element("p").ok()) else {
                return;
            };
            el.set_class_name("hint char-count");
            let _ = el.set_attribute("aria-live", "polite");
            let _ = area.after_with_node_1(&el);
            el
        }
    };
    el.set_text_content(Some(&format!("已输入 {n} / {max} 字")));
    let _ = el.class_list().toggle_with_force("over", n > max);
}

fn digits(s: &str) -> usize {
    s.chars().filter(char::is_ascii_digit).count()
}

/// What is wrong with one field, in the words the server would use.
fn check(form: &HtmlFormElement, el: &Element, files: Option<FileLimits>) -> Option<String> {
    let kind = el.get_attribute("type").unwrap_or_default();
    let name = el.get_attribute("name").unwrap_or_default();
    let v = value(el);
    let v = v.trim();
    if kind == "checkbox" {
        let checked = el
            .dyn_ref::<HtmlInputElement>()
            .is_some_and(|i| i.checked());
        return (el.has_attribute("required") && !checked)
            .then(|| "请阅读并同意《个人信息保护说明》后再提交".to_owned());
    }
    if kind == "file" {
        return files.and_then(|l| check_files(el, l));
    }
    if el.has_attribute("required") && v.is_empty() {
        return Some(format!("请填写{}", label_of(el)));
    }
    if let Some(max) = el
        .get_attribute("maxlength")
        .and_then(|m| m.parse::<usize>().ok())
    {
        let n = v.chars().count();
        if n > max {
            return Some(format!("{}不能超过{max}个字（现在{n}个字）", label_of(el)));
        }
    }
    if kind == "email" && !v.is_empty() {
        let ok = v.split_once('@').is_some_and(|(a, d)| {
            !a.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
        }) && !v.contains(char::is_whitespace);
        if !ok {
            return Some("电子邮箱格式不正确，例如 name@example.com".into());
        }
    }
    if kind == "tel" && !v.is_empty() {
        let ok = v
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '+' | '－'))
            && (10..=18).contains(&digits(v));
        if !ok {
            return Some(
                "电话号码格式不正确：请填写11位手机号码，或带区号的固定电话（如 010-12345678）"
                    .into(),
            );
        }
    }
    if name == "phone" {
        let email = form
            .query_selector("input[name=email]")
            .ok()
            .flatten()
            .map(|e| value(&e))
            .unwrap_or_default();
        if v.is_empty() && email.trim().is_empty() {
            return Some("请至少填写一种联系方式（电话或电子邮箱），以便我们答复您".into());
        }
    }
    None
}

fn check_files(el: &Element, l: FileLimits) -> Option<String> {
    let list = el.dyn_ref::<HtmlInputElement>()?.files()?;
    let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    if chosen.len() > l.max_files {
        return Some(format!(
            "最多上传{}个附件（现在{}个）",
            l.max_files,
            chosen.len()
        ));
    }
    let mb = 1024.0 * 1024.0;
    let mut total = 0.0;
    for f in &chosen {
        let name = f.name();
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if !FILE_TYPES.contains(&ext.as_str()) {
            return Some(format!(
                "附件“{name}”不是可接受的格式：只接受 doc、docx、wps、pdf、jpg、png 文件"
            ));
        }
        if f.size() > l.max_file_mb as f64 * mb {
            return Some(format!(
                "附件“{name}”有 {:.1} MB，单个附件不能超过 {} MB",
                f.size() / mb,
                l.max_file_mb
            ));
        }
        if f.size() == 0.0 {
            return Some(format!("附件“{name}”是空文件"));
        }
        total += f.size();
    }
    (total > l.max_total_mb as f64 * mb).then(|| {
        format!(
            "附件合计 {:.1} MB，超过了 {} MB 的上限",
            total / mb,
            l.max_total_mb
        )
    })
}

/// Shows (or clears) the problem next to the field, tied to it for screen readers.
fn show(el: &Element, problem: Option<String>) {
    let Some(id) = el.get_attribute("id") else {
        return;
    };
    let error_id = format!("{id}-error");
    let existing = document().and_then(|d| d.get_element_by_id(&error_id));
    let described = el.get_attribute("aria-describedby").unwrap_or_default();
    match problem {
        Some(message) => {
            let slot = match existing {
                Some(s) => s,
                None => {
                    let Some(s) = document().and_then(|d| d.create_element("p").ok()) else {
                        return;
                    };
                    s.set_class_name("field-error");
                    s.set_id(&error_id);
                    let field = el.closest(".field").ok().flatten();
                    match field {
                        Some(f) => {
                            let _ = f.append_with_node_1(&s);
                        }
                        None => {
                            let _ = el.after_with_node_1(&s);
                        }
                    }
                    s
                }
            };
            slot.set_text_content(Some(&message));
            let _ = el.set_attribute("aria-invalid", "true");
            if !described.split(' ').any(|d| d == error_id) {
                let _ =
                    el.set_attribute("aria-describedby", format!("{error_id} {described}").trim());
            }
        }
        None => {
            if let Some(s) = existing {
                s.remove();
            }
            let _ = el.remove_attribute("aria-invalid");
            let rest: Vec<&str> = described
                .split(' ')
                .filter(|d| *d != error_id && !d.is_empty())
                .collect();
            if rest.is_empty() {
                let _ = el.remove_attribute("aria-describedby");
            } else {
                let _ = el.set_attribute("aria-describedby", &rest.join(" "));
            }
        }
    }
}

/// Sends the form with its files, showing how much is uploaded. The server answers as it
/// does without script: a receipt (followed to its page) or the form again with the reasons
/// (shown as the page).
fn upload(
    form: &HtmlFormElement,
    progress: RwSignal<Option<u32>>,
    failed: RwSignal<Option<String>>,
) {
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
        let _ = form.submit();
        return;
    };
    let Ok(data) = web_sys::FormData::new_with_form(form) else {
        let _ = form.submit();
        return;
    };
    if xhr.open("POST", &form.action()).is_err() {
        let _ = form.submit();
        return;
    }
    if let Some(button) = form.query_selector("button[type=submit]").ok().flatten() {
        let _ = button.set_attribute("disabled", "");
    }
    failed.set(None);
    progress.set(Some(0));
    if let Ok(up) = xhr.upload() {
        let on_progress = leak(Closure::<dyn Fn(web_sys::ProgressEvent)>::new(
            move |e: web_sys::ProgressEvent| {
                if e.length_computable() && e.total() > 0.0 {
                    progress.set(Some(((e.loaded() / e.total()) * 100.0).round() as u32));
                }
            },
        ));
        up.set_onprogress(Some(&on_progress));
    }
    let (x, fm) = (xhr.clone(), form.clone());
    let on_load = leak(Closure::<dyn Fn()>::new(move || {
        let url = x.response_url();
        let text = x.response_text().ok().flatten().unwrap_or_default();
        if x.status().is_ok_and(|s| s < 400) && url.contains("/track") {
            if let Some(w) = web_sys::window() {
                let _ = w.location().assign(&url);
            }
            return;
        }
        // The form again, with the reasons: shown as the page the server made.
        let shown = document()
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            .is_some_and(|d| {
                d.open().is_ok()
                    && d.write(&js_sys::Array::of1(&text.into())).is_ok()
                    && d.close().is_ok()
            });
        if !shown {
            let _ = fm.submit();
        }
    }));
    xhr.set_onload(Some(&on_load));
    let fm = form.clone();
    let on_error = leak(Closure::<dyn Fn()>::new(move || {
        progress.set(None);
        failed.set(Some(
            "网络中断，稿件没有提交。请检查网络后再点“提交稿件”，您填写的内容都还在。".into(),
        ));
        if let Some(button) = fm.query_selector("button[type=submit]").ok().flatten() {
            let _ = button.remove_attribute("disabled");
        }
    }));
    xhr.set_onerror(Some(&on_error));
    if xhr.send_with_opt_form_data(Some(&data)).is_err() {
        let _ = form.submit();
    }
}
