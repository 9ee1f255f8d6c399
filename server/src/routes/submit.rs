//! 投稿 routes that are not pages: the reader's post (`POST /submit`, multipart with the
//! files), tracking (`POST /submit/track`), the staff download of an attachment, and the
//! editor's import of a .docx. Like the 留言 posts, a stored submission is answered with a
//! redirect to its receipt, and anything refused with the form again, holding what the
//! reader typed, under a status that says what went wrong.

use app::error::AppError;
use app::models::{SubmitFormState, SubmitTrackPage};
use app::ssr::forms::{SubmitEcho, SubmitTrackEcho, problems};
use app::ssr::{AppState, Staff};
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::Utc;
use service::forms::{ContentRules, Outcome};
use service::submissions::{self, Draft, MAX_FILE_BYTES, Upload};

use super::forms::{
    TrackStep, answer_track, field, read_track, refusal_status, render_page, retry_words,
    see_other, with_retry_after,
};

/// The largest text field read (the text itself may be 20,000 characters).
const MAX_TEXT_FIELD: usize = 128 * 1024;
/// Text fields kept from one post (the form has a dozen); more are read and dropped.
const MAX_TEXT_FIELDS: usize = 32;

/// What reading the multipart body ended with.
enum Read {
    Complete,
    /// The body was larger than the route takes (413).
    TooLarge,
    /// The body broke off or was malformed (400).
    Broken,
    /// A text field was not valid UTF-8 (400; kept with the bad bytes replaced).
    BadText,
}

/// The largest piece of a post handed on at once.
const PIECE: usize = 64 * 1024;

/// A request body that hands on one piece of at most [`PIECE`] bytes per poll and then lets
/// its task run. The multipart reader drains everything that has arrived into its own buffer
/// on each poll; paced, it holds a piece or two of a post instead of all of it, however fast
/// the post came in. Errors are handed on unwrapped, so an over-long body still reads as one
/// (413).
struct Paced {
    inner: axum::body::Body,
    left: bytes::Bytes,
    just_gave: bool,
}

impl http_body::Body for Paced {
    type Data = bytes::Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        use std::task::Poll;
        if self.just_gave {
            self.just_gave = false;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        if self.left.is_empty() {
            match std::pin::Pin::new(&mut self.inner).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) => self.left = data,
                    Err(frame) => return Poll::Ready(Some(Ok(frame))),
                },
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e.into_inner()))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
        let n = self.left.len().min(PIECE);
        let piece = self.left.split_to(n);
        self.just_gave = true;
        Poll::Ready(Some(Ok(http_body::Frame::data(piece))))
    }
}

/// `req` with its body [`Paced`].
fn paced(req: Request) -> Request {
    let (parts, body) = req.into_parts();
    let body = Paced {
        inner: body,
        left: bytes::Bytes::new(),
        just_gave: false,
    };
    Request::from_parts(parts, axum::body::Body::new(body))
}

/// Where a part's bytes go while it is read.
enum Sink {
    /// A text field: kept in memory, up to its limit.
    Text(Vec<u8>),
    /// A file: written to a spool file as it comes (so many large posts at once cost disk,
    /// not memory), up to its limit.
    File(tokio::fs::File, std::path::PathBuf, u64),
    /// Read and dropped.
    Nowhere,
}

/// A new spool file for a part.
async fn spool_file() -> std::io::Result<(tokio::fs::File, std::path::PathBuf)> {
    let dir = submissions::content::spool_dir();
    tokio::fs::create_dir_all(&dir).await?;
    let stem = service::storage::stem().map_err(|e| std::io::Error::other(e.to_string()))?;
    let path = dir.join(format!("{stem}.part"));
    let file = tokio::fs::File::create(&path).await?;
    Ok((file, path))
}

/// Reads the form's fields and files, stopping a file at [`MAX_FILE_BYTES`] (the rest of it
/// is read and dropped, so the reader is told which file was too large). Files are spooled
/// to disk as they arrive. Files past the allowed number are counted but not kept, and so
/// are text fields past [`MAX_TEXT_FIELDS`].
async fn read_multipart(
    mut mp: Multipart,
    fields: &mut Vec<(String, String)>,
    files: &mut Vec<Upload>,
) -> Read {
    use tokio::io::AsyncWriteExt;
    let mut bad_text = false;
    loop {
        let mut f = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) if bad_text => return Read::BadText,
            Ok(None) => return Read::Complete,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Read::TooLarge,
            Err(_) => return Read::Broken,
        };
        let name = f.name().unwrap_or_default().to_owned();
        let file_name = f.file_name().map(str::to_owned);
        let is_file = file_name.is_some();
        let keep = match &file_name {
            Some(_) => name == "files" && files.len() <= submissions::MAX_FILES,
            None => fields.len() < MAX_TEXT_FIELDS,
        };
        let (mut sink, limit) = match (is_file, keep) {
            (_, false) => (Sink::Nowhere, 0),
            (false, true) => (Sink::Text(Vec::new()), MAX_TEXT_FIELD as u64),
            (true, true) => match spool_file().await {
                Ok((file, path)) => (Sink::File(file, path, 0), MAX_FILE_BYTES as u64),
                Err(e) => {
                    tracing::error!(error = %e, "cannot spool an upload");
                    return Read::Broken;
                }
            },
        };
        let mut over = false;
        loop {
            let chunk = match f.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Read::TooLarge,
                Err(_) => return Read::Broken,
            };
            let taken = match &sink {
                Sink::Text(v) => v.len() as u64,
                Sink::File(_, _, n) => *n,
                Sink::Nowhere => 0,
            };
            if taken + chunk.len() as u64 > limit {
                over = true;
            }
            if over {
                continue;
            }
            match &mut sink {
                Sink::Text(v) => v.extend_from_slice(&chunk),
                Sink::File(file, _, n) => {
                    if let Err(e) = file.write_all(&chunk).await {
                        tracing::error!(error = %e, "cannot spool an upload");
                        return Read::Broken;
                    }
                    *n += chunk.len() as u64;
                }
                Sink::Nowhere => {}
            }
        }
        match (sink, file_name) {
            (Sink::File(mut file, path, len), Some(file_name)) => {
                let _ = file.flush().await;
                drop(file);
                // The handle removes the file when the post is done with it.
                let content = submissions::Content::Spooled(std::sync::Arc::new(
                    submissions::content::Spooled::adopt(path, len),
                ));
                if !(file_name.is_empty() && len == 0 && !over) {
                    files.push(Upload {
                        name: file_name,
                        content,
                        too_large: over,
                    });
                }
            }
            (Sink::Nowhere, Some(file_name)) if name == "files" => files.push(Upload {
                name: file_name,
                content: submissions::Content::default(),
                too_large: true,
            }),
            (Sink::Text(bytes), None) => {
                let text = match String::from_utf8(bytes) {
                    Ok(t) => t,
                    Err(e) => {
                        bad_text = true;
                        String::from_utf8_lossy(e.as_bytes()).into_owned()
                    }
                };
                fields.push((name, text));
            }
            _ => {}
        }
    }
}

/// Reads a `/submit` body as [`post_submit`] does (for tests and fuzzing): its text fields,
/// its files, and whether it was read whole.
pub async fn read_submit_body(req: Request) -> (Vec<(String, String)>, Vec<Upload>, bool) {
    let mut fields = Vec::new();
    let mut files = Vec::new();
    let read = match Multipart::from_request(paced(req), &()).await {
        Ok(mp) => read_multipart(mp, &mut fields, &mut files).await,
        Err(_) => Read::Broken,
    };
    (fields, files, matches!(read, Read::Complete))
}

fn checked(fields: &[(String, String)], name: &str) -> bool {
    fields.iter().any(|(k, v)| k == name && !v.is_empty())
}

/// The manuscript as the form sent it.
fn draft_of(fields: &[(String, String)], files: Vec<Upload>) -> Draft {
    Draft {
        name: field(fields, "name"),
        organization: field(fields, "organization"),
        phone: field(fields, "phone"),
        email: field(fields, "email"),
        title: field(fields, "title"),
        column: field(fields, "column"),
        content: field(fields, "content"),
        consent: checked(fields, "consent"),
        answer: field(fields, "answer"),
        files,
    }
}

/// The form filled in again as the reader left it (files must be chosen again: browsers do
/// not let a page set them).
fn echo_of(draft: &Draft) -> SubmitFormState {
    SubmitFormState {
        name: draft.name.clone(),
        organization: draft.organization.clone(),
        phone: draft.phone.clone(),
        email: draft.email.clone(),
        title: draft.title.clone(),
        column: draft.column.clone(),
        content: draft.content.clone(),
        consent: draft.consent,
        files_to_choose_again: draft.files.iter().map(|f| f.name.clone()).collect(),
        ..SubmitFormState::default()
    }
}

/// What to tell the reader when the post could not be read whole; `None` when it could.
fn unread_notice(read: &Read) -> Option<(String, StatusCode)> {
    match read {
        Read::Complete => None,
        Read::TooLarge => Some((
            format!(
                "提交的附件过大：每个附件不超过{} MB，合计不超过{} MB。您填写的文字都还在，请重新选择附件。",
                MAX_FILE_BYTES >> 20,
                submissions::MAX_TOTAL_BYTES >> 20
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
        )),
        Read::BadText => Some((
            "提交的内容中有无法识别的字符（可能是浏览器或输入法的编码问题），请检查后重新提交。您填写的文字都还在。"
                .into(),
            StatusCode::BAD_REQUEST,
        )),
        Read::Broken => Some((
            "提交的内容不完整（可能是网络中断或页面已过期），没有保存。请检查后重新提交。"
                .into(),
            StatusCode::BAD_REQUEST,
        )),
    }
}

/// Tells the staff about a new manuscript by e-mail, when mail is set up.
fn notify_staff(state: &AppState, code: &str, draft: &Draft) {
    if let Some(mail) = &state.mail {
        let (subject, body) = service::mail::new_submission(
            code,
            draft.name.trim(),
            draft.organization.trim(),
            draft.title.trim(),
            draft.files.len(),
            &state.site.absolute("/admin/submissions"),
        );
        mail.notify_staff(subject, body);
    }
}

/// `POST /submit`: a reader's manuscript.
pub async fn post_submit(State(state): State<AppState>, req: Request) -> Response {
    let client = app::ssr::client::client_of(&state.site.trusted_proxies, &req);
    let (parts, body) = req.into_parts();
    let mut fields = Vec::new();
    let mut files = Vec::new();
    let req = paced(Request::from_parts(parts.clone(), body));
    let read = match Multipart::from_request(req, &state).await {
        Ok(mp) => read_multipart(mp, &mut fields, &mut files).await,
        Err(_) => Read::Broken,
    };
    let draft = draft_of(&fields, files);
    let mut echo = echo_of(&draft);
    if let Some((notice, status)) = unread_notice(&read) {
        echo.notice = Some(notice);
        return render_page(&state, &parts, "/submit", SubmitEcho(echo), status).await;
    }
    let rules = match service::site::settings(&state.db).await {
        Ok(s) => ContentRules::from_settings(&s),
        Err(e) => return AppError::from(e).into_response(),
    };
    let cx = service::forms::Context {
        keys: &state.forms.keys,
        policy: &state.forms.policy,
        rules: &rules,
        client: &client,
        time_zone: state.site.time_zone,
        now: Utc::now(),
    };
    let outcome = submissions::submit(
        &state.db,
        &state.files.private,
        &cx,
        &field(&fields, "token"),
        &field(&fields, "website"),
        &draft,
    )
    .await;
    match outcome {
        Ok(Outcome::Stored { code }) => {
            notify_staff(&state, &code, &draft);
            see_other(&format!("/submit/track?code={code}&new=1"))
        }
        Ok(Outcome::AlreadyStored { code }) => {
            see_other(&format!("/submit/track?code={code}&new=1"))
        }
        Ok(Outcome::Refused(r)) => {
            let status = refusal_status(&r);
            echo.notice = r.notice;
            echo.problems = problems(&r.errors);
            echo.question = r.challenge.then(String::new);
            render_page(&state, &parts, "/submit", SubmitEcho(echo), status).await
        }
        Ok(Outcome::Limited { until }) => {
            echo.question = Some(String::new());
            echo.notice = Some(format!(
                "您投稿得太频繁了，请{}再提交。您填写的文字都还在。",
                retry_words(until, &state)
            ));
            let status = StatusCode::TOO_MANY_REQUESTS;
            let res = render_page(&state, &parts, "/submit", SubmitEcho(echo), status).await;
            with_retry_after(res, until)
        }
        Err(e) => AppError::from(e).into_response(),
    }
}

/// `POST /submit/track`: a reader looks up a submission by receipt code and contact.
pub async fn post_submit_track(State(state): State<AppState>, req: Request) -> Response {
    let post = match read_track(&state, req).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let mut page = SubmitTrackPage {
        code: post.code.clone(),
        contact: post.contact.clone(),
        ..SubmitTrackPage::default()
    };
    let status = match &post.step {
        TrackStep::Limited { notice, .. } => {
            page.notice = Some(notice.clone());
            StatusCode::TOO_MANY_REQUESTS
        }
        TrackStep::Incomplete => {
            page.notice = Some("请填写受理编号，以及投稿时填写的电话或电子邮箱".into());
            StatusCode::UNPROCESSABLE_ENTITY
        }
        TrackStep::Lookup => match submissions::track(&state.db, &post.code, &post.contact).await {
            Ok(Some(s)) => match app::ssr::forms::tracked_submission(&state, s).await {
                Ok(found) => {
                    page.found = Some(found);
                    StatusCode::OK
                }
                Err(e) => return e.into_response(),
            },
            Ok(None) => {
                page.notice = Some(
                    "没有找到这篇投稿：请核对受理编号，并填写投稿时留下的电话或电子邮箱".into(),
                );
                StatusCode::NOT_FOUND
            }
            Err(e) => return AppError::from(e).into_response(),
        },
    };
    answer_track(
        &state,
        &post,
        "/submit/track",
        SubmitTrackEcho(page),
        status,
    )
    .await
}

/// `filename*=` of RFC 5987 (UTF-8, percent-encoded), with an ASCII fallback.
fn disposition(name: &str) -> String {
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("bin");
    format!(
        "attachment; filename=\"attachment.{}\"; filename*=UTF-8''{}",
        ext.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>(),
        app::query::encode(name)
    )
}

/// `GET /api/admin/submissions/{id}/files/{file}`: an attachment, for staff only (the
/// back-office guard turns everyone else away), always as a download.
pub async fn download(
    State(state): State<AppState>,
    staff: Option<Extension<Staff>>,
    Path((id, file)): Path<(i32, i32)>,
) -> Response {
    let Some(Extension(staff)) = staff else {
        return AppError::Unauthorized.into_response();
    };
    if staff.is_writer() {
        return AppError::Forbidden.into_response();
    }
    match submissions::review::download(&state.db, &state.files.private, &staff.actor(), id, file)
        .await
    {
        Ok((f, bytes)) => {
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(&f.mime)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            );
            if let Ok(v) = HeaderValue::from_str(&disposition(&f.name)) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            h.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            );
            res
        }
        Err(e) => AppError::from(e).into_response(),
    }
}

/// `POST /api/admin/articles/docx`: a .docx (multipart field `file`) as article HTML, its
/// pictures put into the media library; answered like a paste.
pub async fn import_docx(
    State(state): State<AppState>,
    staff: Option<Extension<Staff>>,
    mut mp: Multipart,
) -> Response {
    let Some(Extension(staff)) = staff else {
        return AppError::Unauthorized.into_response();
    };
    let mut bytes = None;
    loop {
        match mp.next_field().await {
            Ok(Some(f)) if f.name() == Some("file") => match f.bytes().await {
                Ok(b) => bytes = Some(b.to_vec()),
                Err(_) => return too_large_or_broken(),
            },
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return too_large_or_broken(),
        }
    }
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return AppError::BadRequest("请选择要导入的 Word 文档（.docx）".into()).into_response();
    };
    match service::docx::import(&state.db, &state.files.media, &staff.actor(), bytes).await {
        Ok(p) => Json(app::models::admin::PasteResult {
            html: p.html,
            images: p.images,
            warnings: p.warnings,
        })
        .into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}

fn too_large_or_broken() -> Response {
    AppError::TooLarge(format!(
        "文档没有完整上传，或超过了 {} MB",
        MAX_FILE_BYTES >> 20
    ))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downloads_name_the_file_safely() {
        let d = disposition("开发区 调研\".docx");
        assert!(d.starts_with("attachment; filename=\"attachment.docx\"; filename*=UTF-8''"));
        assert!(!d[d.find("''").unwrap_or(0)..].contains(' '));
        assert!(!d.contains("调研"));
    }
}
