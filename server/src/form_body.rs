//! The one way a plain form post is read: [`FormFields`], the fields of an
//! `application/x-www-form-urlencoded` body (or the text fields of a multipart post) in the
//! order sent. A field that is not valid UTF-8 is kept, with the bad bytes replaced, and the
//! post is marked, so the handler can answer it ("无法识别的字符") with everything else the
//! reader typed instead of dropping it.

use app::error::AppError;
use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode;

/// A form post's fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormFields {
    fields: Vec<(String, String)>,
    bad_utf8: bool,
}

impl FormFields {
    /// Fields read elsewhere (the text fields of a multipart post).
    pub fn new(fields: Vec<(String, String)>, bad_utf8: bool) -> Self {
        Self { fields, bad_utf8 }
    }

    /// Decodes an `application/x-www-form-urlencoded` body: `+` is a space, `%XX` a byte, a
    /// pair without `=` an empty value.
    pub fn decode(body: &[u8]) -> Self {
        let mut bad_utf8 = false;
        let mut text = |s: &[u8]| -> String {
            let spaced: Vec<u8> = s
                .iter()
                .map(|b| if *b == b'+' { b' ' } else { *b })
                .collect();
            let bytes: Vec<u8> = percent_decode(&spaced).collect();
            match String::from_utf8(bytes) {
                Ok(s) => s,
                Err(e) => {
                    bad_utf8 = true;
                    String::from_utf8_lossy(e.as_bytes()).into_owned()
                }
            }
        };
        let mut fields = Vec::new();
        for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            let (k, v) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &b""[..]),
            };
            let k = text(k);
            let v = text(v);
            fields.push((k, v));
        }
        Self { fields, bad_utf8 }
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, or empty.
    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_owned()
    }

    /// Whether the checkbox `name` was ticked (see [`app::query::is_checked`]).
    pub fn checked(&self, name: &str) -> bool {
        app::query::is_checked(self.get(name))
    }

    /// Whether any field was not valid UTF-8.
    pub fn bad_utf8(&self) -> bool {
        self.bad_utf8
    }

    /// Every field, in the order sent.
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }
}

impl FormFields {
    /// Reads and decodes a body within the route's limit (`routes::body_limit`): a longer
    /// one is answered 413.
    pub async fn from_body(body: Body) -> Result<Self, Response> {
        let bytes = axum::body::to_bytes(body, usize::MAX).await.map_err(|_| {
            AppError::TooLarge("提交的内容过长，请删减后再提交".into()).into_response()
        })?;
        Ok(Self::decode(&bytes))
    }
}

impl<S: Send + Sync> FromRequest<S> for FormFields {
    type Rejection = Response;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Response> {
        Self::from_body(req.into_body()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_decode_and_report_bad_bytes() {
        let f = FormFields::decode(b"name=%E7%8E%8B+%E5%85%88%E7%94%9F&empty=&flag&c=yes&z=0");
        assert!(!f.bad_utf8());
        assert_eq!(f.text("name"), "王 先生");
        assert_eq!(f.get("empty"), Some(""));
        assert_eq!(f.get("flag"), Some(""));
        assert_eq!(f.get("missing"), None);
        assert!(!f.checked("flag"));
        assert!(f.checked("c"));
        assert!(!f.checked("z"));
        let f = FormFields::decode(b"content=ok%FF%FEstill&subject=x");
        assert!(f.bad_utf8());
        assert!(f.text("content").starts_with("ok"));
        assert!(f.text("content").ends_with("still"));
        assert_eq!(f.text("subject"), "x");
    }
}
