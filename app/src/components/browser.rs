//! Small helpers over browser APIs for the islands. They are only ever called from event
//! handlers and effects, which run in the browser; on the server they do nothing.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::Effect;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

pub fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Starts a behaviour-only island: runs `start` once, when the island is live in the browser
/// (never while the page is rendered on the server). Every reader island goes through this
/// one non-generic path, so each adds only its own code to the always-loaded bundle.
pub fn when_live(start: fn()) {
    Effect::new(move |_| start());
}

/// Calls `handler` for every `event` on the window. The islands of a server-rendered page
/// are never unmounted, so the listener lives as long as the page.
pub fn on_window(event: &str, handler: impl Fn(web_sys::Event) + 'static) {
    listen(event, Box::new(handler));
}

fn listen(event: &str, handler: Box<dyn Fn(web_sys::Event)>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let closure = Closure::wrap(handler);
    if window
        .add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())
        .is_ok()
    {
        closure.forget();
    }
}

/// Runs a task in the browser (boxed, so that every task shares one executor path).
pub fn spawn(task: impl Future<Output = ()> + 'static) {
    spawn_boxed(Box::pin(task));
}

fn spawn_boxed(task: Pin<Box<dyn Future<Output = ()>>>) {
    wasm_bindgen_futures::spawn_local(task);
}

/// The element matching `selector` that the event happened in (its target or an ancestor).
pub fn target_closest(event: &web_sys::Event, selector: &str) -> Option<web_sys::Element> {
    event
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest(selector)
        .ok()
        .flatten()
}

/// The key of a keyboard event (empty for other events).
pub fn key_of(event: &web_sys::Event) -> String {
    event
        .dyn_ref::<web_sys::KeyboardEvent>()
        .map(web_sys::KeyboardEvent::key)
        .unwrap_or_default()
}

/// The first element of the page matching `selector`.
pub fn select(selector: &str) -> Option<web_sys::Element> {
    document()?.query_selector(selector).ok()?
}

/// Every element of the page matching `selector`.
pub fn select_all(selector: &str) -> Vec<web_sys::Element> {
    document()
        .and_then(|d| d.query_selector_all(selector).ok())
        .map(elements)
        .unwrap_or_default()
}

/// Every element inside `root` matching `selector`.
pub fn select_all_in(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    root.query_selector_all(selector)
        .map(elements)
        .unwrap_or_default()
}

fn elements(list: web_sys::NodeList) -> Vec<web_sys::Element> {
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// Focuses an element if it can take focus.
pub fn focus(el: &web_sys::Element) {
    if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// Whether an event happened outside `container`.
pub fn is_outside(event: &web_sys::Event, container: &web_sys::Element) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
        .is_none_or(|node| !container.contains(Some(&node)))
}

/// Sets a cookie for the whole site (the value must already be a complete cookie string).
pub fn set_cookie(cookie: &str) {
    if let Some(doc) = document().and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok()) {
        let _ = doc.set_cookie(cookie);
    }
}

fn navigator_method(name: &str) -> Option<(JsValue, js_sys::Function)> {
    let navigator: JsValue = web_sys::window()?.navigator().into();
    let target = if name == "writeText" {
        js_sys::Reflect::get(&navigator, &"clipboard".into()).ok()?
    } else {
        navigator
    };
    if target.is_undefined() || target.is_null() {
        return None;
    }
    let f = js_sys::Reflect::get(&target, &name.into()).ok()?;
    f.dyn_into::<js_sys::Function>().ok().map(|f| (target, f))
}

/// Whether the Web Share API is there.
pub fn can_web_share() -> bool {
    navigator_method("share").is_some()
}

/// Opens the system share sheet; resolves when it closes (or fails silently).
pub async fn web_share(title: &str, url: &str) {
    let Some((target, share)) = navigator_method("share") else {
        return;
    };
    let data = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&data, &"title".into(), &title.into());
    let _ = js_sys::Reflect::set(&data, &"url".into(), &url.into());
    if let Ok(promise) = share.call1(&target, &data)
        && let Ok(promise) = promise.dyn_into::<js_sys::Promise>()
    {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}

/// Copies text to the clipboard: the async Clipboard API where allowed, otherwise the
/// selection-and-copy fallback. Returns whether it worked.
pub async fn copy_text(text: &str) -> bool {
    if let Some((target, write)) = navigator_method("writeText")
        && let Ok(promise) = write.call1(&target, &text.into())
        && let Ok(promise) = promise.dyn_into::<js_sys::Promise>()
        && wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
    {
        return true;
    }
    copy_with_selection(text).unwrap_or(false)
}

fn copy_with_selection(text: &str) -> Option<bool> {
    let doc = document()?;
    let body = doc.body()?;
    let area = doc
        .create_element("textarea")
        .ok()?
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .ok()?;
    area.set_value(text);
    let _ = area.set_attribute("readonly", "");
    // Out of sight by a class: the Content-Security-Policy refuses style attributes.
    area.set_class_name("copy-buffer");
    body.append_child(&area).ok()?;
    area.select();
    let ok = doc
        .dyn_ref::<web_sys::HtmlDocument>()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false);
    area.remove();
    Some(ok)
}

/// GETs `url` from this site and returns the answer's text; `None` on any failure.
pub async fn get_text(url: &str) -> Option<String> {
    let window = web_sys::window()?;
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url))
        .await
        .ok()?
        .dyn_into::<web_sys::Response>()
        .ok()?;
    if !response.ok() {
        return None;
    }
    wasm_bindgen_futures::JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()
}

/// GETs `url` from this site and parses the JSON answer; `None` on any failure. A plain
/// `fetch`, so that islands need no server-function client in the browser bundle.
pub async fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> Option<T> {
    serde_json::from_str(&get_text(url).await?).ok()
}

/// The message of a failed back-office call: the server's own (Chinese) message when it sent
/// one, otherwise a general one.
fn failure_message(status: u16, body: &str) -> String {
    if let Ok(err) = serde_json::from_str::<crate::error::AppError>(body) {
        return err.to_string();
    }
    match status {
        401 => "登录已过期，请重新登录".to_owned(),
        403 => "没有权限，或页面已过期，请刷新后重试".to_owned(),
        413 => "内容太大，无法提交".to_owned(),
        _ => "网络或服务器出现问题，请稍后再试".to_owned(),
    }
}

async fn send(request: web_sys::Request) -> Result<String, String> {
    let window = web_sys::window().ok_or("浏览器不支持")?;
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| "网络连接出现问题，请检查网络后重试".to_owned())?
        .dyn_into::<web_sys::Response>()
        .map_err(|_| "网络连接出现问题".to_owned())?;
    let status = response.status();
    let text = match response.text() {
        Ok(p) => wasm_bindgen_futures::JsFuture::from(p)
            .await
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if response.ok() {
        Ok(text)
    } else {
        Err(failure_message(status, &text))
    }
}

/// POSTs JSON to a back-office endpoint with the CSRF token and reads the JSON answer.
/// `keepalive` lets the request finish while the page is being closed.
pub async fn post_json<I: serde::Serialize, O: serde::de::DeserializeOwned>(
    url: &str,
    body: &I,
    csrf: &str,
    keepalive: bool,
) -> Result<O, String> {
    let json = serde_json::to_string(body).map_err(|_| "数据无法提交".to_owned())?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(&json));
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::from_bool(keepalive));
    let headers = web_sys::Headers::new().map_err(|_| "浏览器不支持")?;
    let _ = headers.set("content-type", "application/json");
    let _ = headers.set("accept", "application/json");
    let _ = headers.set("x-csrf-token", csrf);
    init.set_headers(&headers);
    let request =
        web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| "请求无法发出")?;
    let text = send(request).await?;
    serde_json::from_str(&text).map_err(|_| "服务器的回答无法读取".to_owned())
}

/// An image stored by the upload endpoint.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Uploaded {
    pub id: i32,
    pub src: String,
    pub width: i32,
    pub height: i32,
}

/// Uploads an image file to the media library.
pub async fn upload_image(file: &web_sys::File, csrf: &str) -> Result<Uploaded, String> {
    upload_file(crate::api::admin::media::UPLOAD_URL, file, csrf).await
}

/// Sends `file` as the multipart field `file` to a back-office route that answers JSON.
pub async fn upload_file<T: serde::de::DeserializeOwned>(
    url: &str,
    file: &web_sys::File,
    csrf: &str,
) -> Result<T, String> {
    let form = web_sys::FormData::new().map_err(|_| "浏览器不支持")?;
    form.append_with_blob_and_filename("file", file, &file.name())
        .map_err(|_| "文件无法读取")?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&form);
    let headers = web_sys::Headers::new().map_err(|_| "浏览器不支持")?;
    let _ = headers.set("accept", "application/json");
    let _ = headers.set("x-csrf-token", csrf);
    init.set_headers(&headers);
    let request =
        web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| "请求无法发出")?;
    let text = send(request).await?;
    serde_json::from_str(&text).map_err(|_| "服务器的回答无法读取".to_owned())
}
