//! Share links and QR codes. WeChat has no share URL: readers scan a QR code of the page,
//! generated here (never by a third-party service).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use qrcode::{Color, EcLevel, QrCode};

use crate::models::ShareLinks;

use crate::query::encode;

/// Weibo, QQ and Qzone share URLs and a WeChat QR code for a page.
pub fn links(url: &str, title: &str, summary: &str, picture: Option<&str>) -> ShareLinks {
    let (u, t, s) = (encode(url), encode(title), encode(summary));
    let pic = picture.map(encode).unwrap_or_default();
    ShareLinks {
        url: url.to_owned(),
        weibo: format!("https://service.weibo.com/share/share.php?url={u}&title={t}&pic={pic}"),
        qq: format!(
            "https://connect.qq.com/widget/shareqq/index.html?url={u}&title={t}&summary={s}"
        ),
        qzone: format!(
            "https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?url={u}&title={t}&summary={s}"
        ),
        qr_svg: qr_svg(url, "本页二维码").unwrap_or_default(),
    }
}

/// Rendered QR codes by (text, label). Encoding a QR code (choosing its mask) costs more than
/// rendering the rest of a page, and the same pages are asked for again and again.
static QR_CACHE: LazyLock<Mutex<HashMap<(String, String), String>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));
/// Bound on the cache; it is emptied when full (QR codes are cheap to make again).
const QR_CACHE_LIMIT: usize = 4096;

/// An inline `<svg>` QR code of `text`, labelled for screen readers; `None` if `text` is too
/// long to encode. Remembered, so each page's code is computed once per process.
pub fn qr_svg(text: &str, label: &str) -> Option<String> {
    let key = (text.to_owned(), label.to_owned());
    if let Some(svg) = QR_CACHE.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Some(svg);
    }
    let svg = render_qr_svg(text, label)?;
    if let Ok(mut cache) = QR_CACHE.lock() {
        if cache.len() >= QR_CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(key, svg.clone());
    }
    Some(svg)
}

/// The QR code as one SVG path (not remembered: [`qr_svg`] is for what may be kept, this
/// also draws secrets): each run of dark modules in a row is one stroke, written
/// relative to the last (about 1.5 KB for a page address, a fifth of drawing every module as
/// its own square). Four modules of quiet zone, as scanners expect.
pub(crate) fn render_qr_svg(text: &str, label: &str) -> Option<String> {
    use std::fmt::Write;
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 8;
    let mut d = String::with_capacity(width * width / 2);
    for (y, row) in colors.chunks(width).enumerate() {
        // Where the pen is in this row (None before the row's first run).
        let mut pen: Option<usize> = None;
        let mut x = 0;
        while x < width {
            if row[x] != Color::Dark {
                x += 1;
                continue;
            }
            let run = row[x..].iter().take_while(|c| **c == Color::Dark).count();
            let _ = match pen {
                None => write!(d, "M{} {}.5h{run}", x + 4, y + 4),
                Some(at) => write!(d, "m{} 0h{run}", x - at),
            };
            x += run;
            pen = Some(x);
        }
    }
    let label = service::html::escape(label);
    Some(format!(
        r##"<svg role="img" aria-label="{label}" class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/><path stroke="#1a1a1a" d="{d}"/></svg>"##
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_chinese_ampersands_hashes_and_spaces() {
        assert_eq!(encode("开发区"), "%E5%BC%80%E5%8F%91%E5%8C%BA");
        assert_eq!(encode("A&B #1 c"), "A%26B%20%231%20c");
        assert_eq!(encode("a=b?c/d"), "a%3Db%3Fc%2Fd");
        assert_eq!(encode("keep-_.~"), "keep-_.~");
    }

    #[test]
    fn share_urls_carry_every_value_encoded() {
        let l = links(
            "https://kfq.example/articles/7?x=1&y=2",
            "协会 年会 & 论坛 #2",
            "摘要",
            None,
        );
        let u = "https%3A%2F%2Fkfq.example%2Farticles%2F7%3Fx%3D1%26y%3D2";
        let t = "%E5%8D%8F%E4%BC%9A%20%E5%B9%B4%E4%BC%9A%20%26%20%E8%AE%BA%E5%9D%9B%20%232";
        assert_eq!(
            l.weibo,
            format!("https://service.weibo.com/share/share.php?url={u}&title={t}&pic=")
        );
        assert_eq!(
            l.qq,
            format!(
                "https://connect.qq.com/widget/shareqq/index.html?url={u}&title={t}&summary=%E6%91%98%E8%A6%81"
            )
        );
        assert!(
            l.qzone
                .starts_with("https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?url=")
        );
        assert!(l.qzone.contains(&format!("url={u}&title={t}&summary=")));
        // No raw reserved characters leak into the query values.
        let query = l.weibo.split_once('?').unwrap().1;
        for part in query.split('&') {
            let value = part.split_once('=').unwrap().1;
            assert!(!value.contains(['#', ' ', '&', '?', '/']), "{value}");
        }
    }

    #[test]
    fn qr_code_is_an_inline_labelled_svg() {
        let svg = qr_svg("https://kfq.example/articles/7", "本页二维码").unwrap();
        assert!(
            svg.starts_with(r#"<svg role="img" aria-label="本页二维码" class="qr""#),
            "{svg}"
        );
        assert!(!svg.contains("<?xml"));
        assert!(svg.contains("<path") || svg.contains("<rect"));
    }

    /// Reads the strokes of the path back into modules: exactly the dark modules of the code.
    #[test]
    fn the_path_draws_exactly_the_dark_modules() {
        let text = "https://kfq.example/articles/123456";
        let svg = render_qr_svg(text, "x").unwrap();
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).unwrap();
        let width = code.width();
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let mut drawn = vec![Color::Light; width * width];
        let (mut x, mut y) = (0usize, 0usize);
        let mut rest = d;
        while !rest.is_empty() {
            let op = rest.as_bytes()[0];
            let end = rest[1..]
                .find(['M', 'm', 'h'])
                .map_or(rest.len(), |i| i + 1);
            let args = &rest[1..end];
            match op {
                b'M' => {
                    let (a, b) = args.split_once(' ').unwrap();
                    x = a.parse::<usize>().unwrap() - 4;
                    y = b.trim_end_matches(".5").parse::<usize>().unwrap() - 4;
                }
                b'm' => x += args.split_once(' ').unwrap().0.parse::<usize>().unwrap(),
                b'h' => {
                    let run: usize = args.parse().unwrap();
                    for c in &mut drawn[y * width + x..y * width + x + run] {
                        *c = Color::Dark;
                    }
                    x += run;
                }
                _ => panic!("unexpected {op}"),
            }
            rest = &rest[end..];
        }
        assert_eq!(drawn, code.to_colors());
        assert!(svg.len() < 3000, "{} bytes", svg.len());
    }
}
