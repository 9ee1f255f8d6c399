//! The media library: uploaded images, checked by content, stripped of metadata (EXIF
//! location and the like), with resized WebP variants for `srcset`.

use std::io::Cursor;

use ::image::{DynamicImage, ImageFormat, ImageReader, Limits};
use chrono::{Datelike, Utc};
use entity::{article, image, magazine_issue, notice, page};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Actor};
use crate::db::Db;
use crate::storage::Store;
use crate::{Error, Result};

/// The largest upload accepted.
pub const MAX_BYTES: usize = 15 * 1024 * 1024;
/// Larger pictures are refused before decoding (decompression bombs).
pub const MAX_PIXELS: u64 = 40_000_000;
pub const MAX_SIDE: u32 = 12_000;
/// Widths of the WebP variants (only those narrower than the original are made).
pub const VARIANT_WIDTHS: &[u32] = &[480, 960, 1600];

/// A resized copy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    pub width: u32,
    pub path: String,
}

pub fn variants_of(img: &image::Model) -> Vec<Variant> {
    serde_json::from_str(&img.variants).unwrap_or_default()
}

/// The kinds of picture accepted, by their content.
fn kind(bytes: &[u8]) -> Result<(ImageFormat, &'static str, &'static str)> {
    match ::image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Ok((ImageFormat::Jpeg, "jpg", "image/jpeg")),
        Ok(ImageFormat::Png) => Ok((ImageFormat::Png, "png", "image/png")),
        Ok(ImageFormat::WebP) => Ok((ImageFormat::WebP, "webp", "image/webp")),
        Ok(ImageFormat::Gif) => Ok((ImageFormat::Gif, "gif", "image/gif")),
        _ => Err(Error::Invalid(
            "文件内容不是受支持的图片，只能上传 JPEG、PNG、WebP 或 GIF 图片".into(),
        )),
    }
}

/// Removes metadata segments that can carry a location (and other personal data), keeping
/// the pixels untouched. `None` when the file's structure is not understood well enough to
/// be sure; the caller then re-encodes the pixels instead.
pub fn strip_metadata(format: ImageFormat, bytes: &[u8]) -> Option<Vec<u8>> {
    match format {
        ImageFormat::Jpeg => strip_jpeg(bytes),
        ImageFormat::Png => strip_png(bytes),
        ImageFormat::WebP => strip_webp(bytes),
        // GIF has no EXIF; comments and application blocks carry no location.
        ImageFormat::Gif => Some(bytes.to_vec()),
        _ => None,
    }
}

/// The pixels alone, encoded again in `format` (nothing of the original file's metadata
/// survives).
fn reencoded(decoded: &::image::DynamicImage, format: ImageFormat) -> Result<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    let image = match format {
        // JPEG has no alpha channel.
        ImageFormat::Jpeg => ::image::DynamicImage::ImageRgb8(decoded.to_rgb8()),
        _ => decoded.clone(),
    };
    image
        .write_to(&mut out, format)
        .map_err(|_| Error::Invalid("图片无法处理，请另存为标准 JPEG 或 PNG 后再上传".into()))?;
    Ok(out.into_inner())
}

/// Drops APP1 (EXIF, XMP) and APP13 (IPTC) segments.
fn strip_jpeg(b: &[u8]) -> Option<Vec<u8>> {
    if b.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut out = vec![0xFF, 0xD8];
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        if marker == 0xDA {
            // Start of scan: the rest is image data.
            out.extend_from_slice(&b[i..]);
            return Some(out);
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        let end = i + 2 + len;
        if len < 2 || end > b.len() {
            return None;
        }
        if marker != 0xE1 && marker != 0xED {
            out.extend_from_slice(&b[i..end]);
        }
        i = end;
    }
    None
}

/// Drops eXIf and text chunks.
fn strip_png(b: &[u8]) -> Option<Vec<u8>> {
    const SIG: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    if b.get(..8)? != SIG {
        return None;
    }
    let mut out = SIG.to_vec();
    let mut i = 8;
    while i + 12 <= b.len() {
        let len = usize::try_from(u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])).ok()?;
        let end = i.checked_add(12)?.checked_add(len)?;
        if end > b.len() {
            return None;
        }
        let kind = &b[i + 4..i + 8];
        if !matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt") {
            out.extend_from_slice(&b[i..end]);
        }
        i = end;
    }
    Some(out)
}

/// Drops EXIF and XMP chunks and clears their flags.
fn strip_webp(b: &[u8]) -> Option<Vec<u8>> {
    if b.get(..4)? != b"RIFF" || b.get(8..12)? != b"WEBP" {
        return None;
    }
    let mut chunks = Vec::new();
    let mut i = 12;
    while i + 8 <= b.len() {
        let len =
            usize::try_from(u32::from_le_bytes([b[i + 4], b[i + 5], b[i + 6], b[i + 7]])).ok()?;
        let padded = len + (len & 1);
        let end = i.checked_add(8)?.checked_add(padded)?.min(b.len());
        let kind = &b[i..i + 4];
        if kind != b"EXIF" && kind != b"XMP " {
            let mut chunk = b[i..end].to_vec();
            if kind == b"VP8X" && chunk.len() > 8 {
                chunk[8] &= !0b0000_1100;
            }
            chunks.push(chunk);
        }
        i = end;
    }
    let body: Vec<u8> = chunks.concat();
    let size = u32::try_from(body.len() + 4).ok()?;
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&body);
    Some(out)
}

/// What an upload says about itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Details {
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

/// Checks, cleans and stores an uploaded image with its variants.
pub async fn store(
    db: &Db,
    media: &Store,
    actor: &Actor,
    bytes: &[u8],
    details: Details,
) -> Result<image::Model> {
    check_size(bytes)?;
    // Decoding, resizing and encoding take a core for up to a second: off the async threads,
    // one upload at a time, so pages keep being served meanwhile.
    static LIMIT: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
    let _permit = LIMIT
        .acquire()
        .await
        .map_err(|_| Error::Invalid("服务器正在关闭，请稍后再试".into()))?;
    let owned = bytes.to_vec();
    let processed = tokio::task::spawn_blocking(move || process(&owned))
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))??;
    store_processed(db, media, actor, processed, details).await
}

fn check_size(bytes: &[u8]) -> Result<()> {
    if bytes.is_empty() {
        return Err(Error::Invalid("请选择要上传的图片".into()));
    }
    if bytes.len() > MAX_BYTES {
        return Err(Error::Invalid(format!(
            "图片太大（{:.1} MB），单张不能超过 {} MB",
            bytes.len() as f64 / 1048576.0,
            MAX_BYTES / 1048576
        )));
    }
    Ok(())
}

/// The blocking part of [`store`]: checks the picture, cleans it and makes its variants.
/// For a caller that runs several at once on its own threads (an import); `store` runs one
/// at a time.
pub fn prepare(bytes: &[u8]) -> Result<Processed> {
    check_size(bytes)?;
    process(bytes)
}

/// The rest of [`store`]: writes what [`prepare`] made and its row (audited).
pub async fn store_processed(
    db: &Db,
    media: &Store,
    actor: &Actor,
    processed: Processed,
    details: Details,
) -> Result<image::Model> {
    let Processed {
        files,
        original,
        variants,
        width: w,
        height: h,
        size,
        mime,
        now,
    } = processed;
    // The files first: a row never points at a file that is not there. If a write fails,
    // the ones already written are removed again.
    let mut written: Vec<&str> = Vec::new();
    for (path, bytes) in &files {
        if let Err(e) = media.put(path, bytes.clone()).await {
            for p in written {
                media.remove(p).await;
            }
            return Err(e);
        }
        written.push(path);
    }
    let clip = |s: String, n: usize| s.trim().chars().take(n).collect::<String>();
    let row = image::ActiveModel {
        path: Set(original.clone()),
        alt: Set(clip(details.alt, 255)),
        caption: Set(clip(details.caption, 255)),
        credit: Set(clip(details.credit, 100)),
        width: Set(i32::try_from(w).unwrap_or(0)),
        height: Set(i32::try_from(h).unwrap_or(0)),
        variants: Set(serde_json::to_string(&variants).unwrap_or_else(|_| "[]".into())),
        size_bytes: Set(i64::try_from(size).unwrap_or(0)),
        mime: Set(mime.into()),
        created_at: Set(now),
        ..Default::default()
    };
    let saved = async {
        let txn = db.begin().await?;
        let saved = image::Entity::insert(row).exec_with_returning(&txn).await?;
        audit::record(
            &txn,
            actor,
            "media.upload",
            "image",
            saved.id,
            format!("上传图片 {original}（{w}×{h}）"),
        )
        .await?;
        txn.commit().await?;
        Ok::<_, Error>(saved)
    }
    .await;
    if saved.is_err() {
        for (path, _) in &files {
            media.remove(path).await;
        }
    }
    saved
}

/// What [`process`] made: the files to store and what the row says of them.
pub struct Processed {
    /// (path, bytes): the cleaned original, then each variant.
    files: Vec<(String, Vec<u8>)>,
    original: String,
    variants: Vec<Variant>,
    width: u32,
    height: u32,
    size: usize,
    mime: &'static str,
    now: chrono::DateTime<Utc>,
}

impl Processed {
    /// How many bytes its files take.
    pub fn total_bytes(&self) -> usize {
        self.files.iter().map(|(_, b)| b.len()).sum()
    }
}

/// The paths of the WebP variants of a picture `width` pixels wide whose files are named
/// after `stem` (a path without extension): `{stem}-{variant width}.webp`.
pub fn variant_paths(stem: &str, width: u32) -> Vec<Variant> {
    VARIANT_WIDTHS
        .iter()
        .filter(|&&vw| vw < width)
        .map(|&vw| Variant {
            width: vw,
            path: format!("{stem}-{vw}.webp"),
        })
        .collect()
}

/// Resized WebP copies of `decoded` for `srcset`, at each of [`VARIANT_WIDTHS`] narrower than
/// the picture (blocking work). Resized with Lanczos3 by a SIMD resizer (measured on the
/// import benchmark's photographs: 3.7 ms a picture for its variants, against 20 ms for the
/// image crate's triangle filter), encoded at quality 80.
pub fn webp_variants(decoded: &DynamicImage, stem: &str) -> Vec<(Variant, Vec<u8>)> {
    use fast_image_resize as fr;
    let (w, h) = (decoded.width(), decoded.height());
    // 8 bits a channel, with alpha only when the picture has it: what both the resizer and
    // the encoder take.
    let src: std::borrow::Cow<'_, DynamicImage> = match decoded {
        DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => {
            std::borrow::Cow::Borrowed(decoded)
        }
        d if d.color().has_alpha() => std::borrow::Cow::Owned(d.to_rgba8().into()),
        d => std::borrow::Cow::Owned(d.to_rgb8().into()),
    };
    let mut resizer = fr::Resizer::new();
    let options =
        fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
    variant_paths(stem, w)
        .into_iter()
        .filter_map(|variant| {
            let width = variant.width;
            let height = ((u64::from(h) * u64::from(width)) / u64::from(w)).max(1) as u32;
            let mut small = DynamicImage::new(width, height, src.color());
            resizer.resize(src.as_ref(), &mut small, &options).ok()?;
            let encoder = match &small {
                DynamicImage::ImageRgba8(i) => webp::Encoder::from_rgba(i.as_raw(), width, height),
                other => webp::Encoder::from_rgb(other.as_bytes(), width, height),
            };
            let webp = encoder.encode(80.0).to_vec();
            Some((variant, webp))
        })
        .collect()
}

/// Checks the image, cleans the original and makes its WebP variants (blocking work).
fn process(bytes: &[u8]) -> Result<Processed> {
    let (format, ext, mime) = kind(bytes)?;
    let reader = ImageReader::with_format(Cursor::new(bytes), format);
    let (w, h) = reader
        .into_dimensions()
        .map_err(|_| Error::Invalid("图片文件已损坏，无法读取".into()))?;
    if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS
    {
        return Err(Error::Invalid(format!(
            "图片尺寸过大（{w}×{h} 像素），最大支持 {MAX_SIDE} 像素宽高、共 4000 万像素"
        )));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let decoded = reader
        .decode()
        .map_err(|_| Error::Invalid("图片文件已损坏，无法读取".into()))?;

    let now = Utc::now();
    let dir = format!("{}/{:02}", now.year(), now.month());
    let name = crate::storage::stem()?;
    let original = format!("{dir}/{name}.{ext}");
    let cleaned = match strip_metadata(format, bytes) {
        Some(c) => c,
        None => reencoded(&decoded, format)?,
    };
    let size = cleaned.len();
    let mut files = vec![(original.clone(), cleaned)];
    let mut variants = Vec::new();
    for (variant, bytes) in webp_variants(&decoded, &format!("{dir}/{name}")) {
        files.push((variant.path.clone(), bytes));
        variants.push(variant);
    }
    Ok(Processed {
        files,
        original,
        variants,
        width: w,
        height: h,
        size,
        mime,
        now,
    })
}

/// The image with id `id`, if there is one.
pub async fn find(db: &impl ConnectionTrait, id: i32) -> Result<Option<image::Model>> {
    Ok(image::Entity::find_by_id(id).one(db).await?)
}

/// Page `page` (from 0) of the library, newest first, searching alt, caption, credit, path.
pub async fn list(
    db: &impl ConnectionTrait,
    q: Option<&str>,
    page: u64,
    per_page: u64,
) -> Result<(Vec<image::Model>, u64)> {
    let mut cond = Condition::all();
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        cond = cond.add(
            Condition::any()
                .add(image::Column::Alt.contains(q))
                .add(image::Column::Caption.contains(q))
                .add(image::Column::Credit.contains(q))
                .add(image::Column::Path.contains(q)),
        );
    }
    let total = image::Entity::find().filter(cond.clone()).count(db).await?;
    let rows = image::Entity::find()
        .filter(cond)
        .order_by_desc(image::Column::Id)
        .offset(page.saturating_mul(per_page))
        .limit(per_page)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// Where an image is used: article covers and bodies, magazine covers, single pages,
/// notices, and the logo setting.
pub async fn usage(db: &impl ConnectionTrait, img: &image::Model) -> Result<Vec<String>> {
    let mut uses = Vec::new();
    let covers: Vec<(i32, String)> = article::Entity::find()
        .select_only()
        .columns([article::Column::Id, article::Column::Title])
        .filter(
            Condition::any()
                .add(article::Column::CoverImageId.eq(img.id))
                .add(article::Column::Body.contains(format!("/media/{}", img.path))),
        )
        .limit(20)
        .into_tuple()
        .all(db)
        .await?;
    uses.extend(
        covers
            .into_iter()
            .map(|(id, t)| format!("文章 #{id}《{t}》")),
    );
    let issues: Vec<(i32, i32)> = magazine_issue::Entity::find()
        .select_only()
        .columns([magazine_issue::Column::Year, magazine_issue::Column::Number])
        .filter(magazine_issue::Column::CoverImageId.eq(img.id))
        .into_tuple()
        .all(db)
        .await?;
    uses.extend(
        issues
            .into_iter()
            .map(|(y, n)| format!("期刊 {y}年第{n}期封面")),
    );
    let url = format!("/media/{}", img.path);
    let pages: Vec<String> = page::Entity::find()
        .select_only()
        .column(page::Column::Title)
        .filter(page::Column::Body.contains(&url))
        .limit(20)
        .into_tuple()
        .all(db)
        .await?;
    uses.extend(pages.into_iter().map(|t| format!("单页《{t}》")));
    let notices: Vec<String> = notice::Entity::find()
        .select_only()
        .column(notice::Column::Title)
        .filter(notice::Column::Body.contains(&url))
        .limit(20)
        .into_tuple()
        .all(db)
        .await?;
    uses.extend(notices.into_iter().map(|t| format!("通知《{t}》")));
    if crate::site::settings(db).await?.logo_url.contains(&url) {
        uses.push("网站标志".to_owned());
    }
    Ok(uses)
}

/// Updates an image's texts.
pub async fn describe(db: &Db, actor: &Actor, id: i32, details: Details) -> Result<image::Model> {
    use sea_orm::ActiveModelTrait;
    let txn = db.begin().await?;
    let img = image::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let before = format!("{} / {}", img.alt, img.credit);
    let mut m: image::ActiveModel = img.into();
    let clip = |s: String, n: usize| s.trim().chars().take(n).collect::<String>();
    m.alt = Set(clip(details.alt, 255));
    m.caption = Set(clip(details.caption, 255));
    m.credit = Set(clip(details.credit, 100));
    let saved = m.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "media.update",
        "image",
        id,
        format!("说明：{before} → {} / {}", saved.alt, saved.credit),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Deletes an image and its files, unless it is in use.
pub async fn delete(db: &Db, media: &Store, actor: &Actor, id: i32) -> Result<()> {
    let txn = db.begin().await?;
    let img = image::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let uses = usage(&txn, &img).await?;
    if !uses.is_empty() {
        return Err(Error::Invalid(format!(
            "该图片正在使用中，不能删除：{}",
            uses.join("、")
        )));
    }
    image::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        actor,
        "media.delete",
        "image",
        id,
        format!("删除图片 {}", img.path),
    )
    .await?;
    txn.commit().await?;
    for v in variants_of(&img) {
        media.remove(&v.path).await;
    }
    media.remove(&img.path).await;
    Ok(())
}

/// Adds `srcset`/`sizes` to the body's images that have WebP variants.
pub async fn with_srcset(db: &impl ConnectionTrait, html: &str) -> Result<String> {
    let paths: Vec<String> = html
        .match_indices("src=\"/media/")
        .filter_map(|(i, m)| {
            let start = i + m.len();
            html[start..]
                .find('"')
                .map(|end| html[start..start + end].to_owned())
        })
        .collect();
    if paths.is_empty() {
        return Ok(html.to_owned());
    }
    let images = image::Entity::find()
        .filter(image::Column::Path.is_in(paths))
        .all(db)
        .await?;
    let mut out = html.to_owned();
    for img in images {
        let variants = variants_of(&img);
        if variants.is_empty() {
            continue;
        }
        let mut set: Vec<String> = variants
            .iter()
            .map(|v| format!("/media/{} {}w", v.path, v.width))
            .collect();
        set.push(format!("/media/{} {}w", img.path, img.width));
        let needle = format!("src=\"/media/{}\"", img.path);
        let replacement = format!(
            "{needle} srcset=\"{}\" sizes=\"(max-width: 860px) 100vw, 820px\"",
            set.join(", ")
        );
        out = out.replace(&needle, &replacement);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_with_exif() -> Vec<u8> {
        let img = ::image::RgbImage::from_pixel(8, 8, ::image::Rgb([200, 10, 10]));
        let mut plain = Vec::new();
        ::image::DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut plain), ImageFormat::Jpeg)
            .unwrap();
        // Put an APP1 "Exif" segment with a fake GPS tag right after SOI.
        let payload = b"Exif\0\0GPSLatitude=39.9";
        let len = (payload.len() + 2) as u16;
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(payload);
        out.extend_from_slice(&plain[2..]);
        out
    }

    #[test]
    fn exif_is_removed_from_jpeg_and_the_picture_still_decodes() {
        let with = jpeg_with_exif();
        assert!(with.windows(11).any(|w| w == b"GPSLatitude"));
        let without = strip_metadata(ImageFormat::Jpeg, &with).unwrap();
        assert!(!without.windows(11).any(|w| w == b"GPSLatitude"));
        ::image::load_from_memory(&without).unwrap();
    }

    #[test]
    fn files_that_cannot_be_stripped_are_reencoded() {
        // A JPEG cut off before its image data: the segment walk gives up...
        let with = jpeg_with_exif();
        let cut = &with[..with.len() / 3];
        assert!(strip_metadata(ImageFormat::Jpeg, cut).is_none());
        // ...and the pixels alone are written instead, without the EXIF block.
        let decoded = ::image::load_from_memory(&with).unwrap();
        let out = reencoded(&decoded, ImageFormat::Jpeg).unwrap();
        assert!(out.starts_with(&[0xFF, 0xD8]));
        assert!(!out.windows(11).any(|w| w == b"GPSLatitude"));
        assert_eq!(
            ::image::load_from_memory(&out).unwrap().width(),
            decoded.width()
        );
        let png = reencoded(&decoded, ImageFormat::Png).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
    }

    #[test]
    fn variants_keep_colour_and_transparency_and_their_proportions() {
        // Red on the left half, see-through on the right, 2000×1000.
        let rgba = ::image::RgbaImage::from_fn(2000, 1000, |x, _| {
            if x < 1000 {
                ::image::Rgba([220, 20, 20, 255])
            } else {
                ::image::Rgba([0, 0, 0, 0])
            }
        });
        let variants = webp_variants(&DynamicImage::ImageRgba8(rgba), "2026/12/x");
        let widths: Vec<u32> = variants.iter().map(|(v, _)| v.width).collect();
        assert_eq!(widths, [480, 960, 1600]);
        for (v, bytes) in &variants {
            assert_eq!(v.path, format!("2026/12/x-{}.webp", v.width));
            let back = ::image::load_from_memory_with_format(bytes, ImageFormat::WebP)
                .unwrap()
                .to_rgba8();
            assert_eq!((back.width(), back.height()), (v.width, v.width / 2));
            let left = back.get_pixel(v.width / 4, v.width / 4);
            let right = back.get_pixel(v.width * 3 / 4, v.width / 4);
            assert!(left[0] > 180 && left[1] < 70 && left[3] == 255, "{left:?}");
            assert_eq!(right[3], 0, "transparent stays transparent");
        }
        // Grey 16-bit pictures are made 8-bit RGB first; a narrow one has no variants.
        let grey = ::image::ImageBuffer::<::image::Luma<u16>, _>::from_pixel(
            1000,
            10,
            ::image::Luma([40_000u16]),
        );
        let variants = webp_variants(&DynamicImage::ImageLuma16(grey), "g");
        assert_eq!(variants.len(), 2);
        let back = ::image::load_from_memory(&variants[0].1).unwrap().to_rgb8();
        let p = back.get_pixel(100, 1);
        assert!((140..180).contains(&p[0]) && p[0] == p[2], "{p:?}");
        let narrow = DynamicImage::ImageRgb8(::image::RgbImage::new(400, 300));
        assert!(webp_variants(&narrow, "n").is_empty());
    }

    #[test]
    fn content_decides_the_kind_not_the_name() {
        assert!(kind(b"this is not a picture at all").is_err());
        assert_eq!(kind(&jpeg_with_exif()).unwrap().2, "image/jpeg");
    }
}
