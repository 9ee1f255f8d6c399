//! Reading a multipart form post (投稿 with its files) with bounded memory: the body is handed
//! on in small pieces, text fields are kept up to a limit, files are spooled to disk as they
//! arrive, and whatever is past a limit is read and dropped so the reader can be told which.

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::StatusCode;
use service::submission::{self, MAX_FILE_BYTES, Upload};

use crate::form_body::FormFields;

/// The largest text field read (the text itself may be 20,000 characters).
const MAX_TEXT_FIELD: usize = 128 * 1024;
/// Text fields kept from one post (the form has a dozen); more are read and dropped.
const MAX_TEXT_FIELDS: usize = 32;

/// What reading the multipart body ended with.
pub enum Read {
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
    let dir = submission::content::spool_dir();
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
            Some(_) => name == "files" && files.len() <= submission::MAX_FILES,
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
                let content = submission::Content::Spooled(std::sync::Arc::new(
                    submission::content::Spooled::adopt(path, len),
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
                content: submission::Content::default(),
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

/// A multipart post as read: its text fields, its files, and how reading ended.
pub struct Post {
    pub fields: FormFields,
    pub files: Vec<Upload>,
    pub read: Read,
}

/// Reads a multipart form post: text fields in memory (up to [`MAX_TEXT_FIELD`] bytes each,
/// [`MAX_TEXT_FIELDS`] of them), files to spool files as they arrive.
pub async fn read(req: Request) -> Post {
    let mut fields = Vec::new();
    let mut files = Vec::new();
    let read = match Multipart::from_request(paced(req), &()).await {
        Ok(mp) => read_multipart(mp, &mut fields, &mut files).await,
        Err(_) => Read::Broken,
    };
    let bad_utf8 = matches!(read, Read::BadText);
    Post {
        fields: FormFields::new(fields, bad_utf8),
        files,
        read,
    }
}
