//! Compressing pages two ways: fast, for the one response of a page rendered just now (a
//! fraction of a millisecond for an article, the deflate state reused by each thread rather
//! than allocated per page), and thorough, for the copies the page cache keeps (made off the
//! request path, once per page).

use std::cell::RefCell;
use std::io::{Read, Write};

use bytes::Bytes;
use flate2::{Compress, Compression, Crc, FlushCompress, Status};

thread_local! {
    /// Raw deflate at level 1, reset for each page.
    static DEFLATE: RefCell<Compress> = RefCell::new(Compress::new(Compression::fast(), false));
}

/// gzip at level 1 with this thread's reused deflate state.
pub fn gzip_fast(body: &[u8]) -> Bytes {
    DEFLATE.with(|cell| {
        let Ok(mut c) = cell.try_borrow_mut() else {
            return gzip_best(body);
        };
        c.reset();
        let mut out = Vec::with_capacity(body.len() / 3 + 64);
        // Header: deflate, no name or time, "fastest", unknown OS.
        out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 0xff]);
        loop {
            let read = usize::try_from(c.total_in())
                .unwrap_or(body.len())
                .min(body.len());
            match c.compress_vec(&body[read..], &mut out, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => break,
                Ok(_) => out.reserve(out.capacity().max(4096)),
                Err(_) => return gzip_best(body),
            }
        }
        let mut crc = Crc::new();
        crc.update(body);
        out.extend_from_slice(&crc.sum().to_le_bytes());
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        Bytes::from(out)
    })
}

/// brotli at quality 1 with a 64 KB window: about as fast as gzip level 1, and smaller.
pub fn brotli_fast(body: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(body.len() / 3 + 64);
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 1, 16);
        let _ = w.write_all(body);
    }
    Bytes::from(out)
}

/// gzip for keeping: level 6 is the same size as 9 on these pages, in less time.
pub fn gzip_best(body: &[u8]) -> Bytes {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), Compression::new(6));
    let _ = enc.write_all(body);
    enc.finish().map(Bytes::from).unwrap_or_default()
}

pub fn gunzip(gz: &[u8]) -> Bytes {
    let mut out = Vec::new();
    let _ = flate2::read::GzDecoder::new(gz).read_to_end(&mut out);
    Bytes::from(out)
}

/// brotli for keeping. Quality 6 with a window as large as a page: within 2% of quality
/// 9's size on our pages at a sixth of the time, and about 2 MB of working memory instead of
/// 32 MB (quality 9's hash table). Very large bodies (sitemaps) get quality 5 and a larger
/// window.
pub fn brotli_best(body: &[u8]) -> Bytes {
    let (quality, window) = if body.len() > 512 * 1024 {
        (5, 20)
    } else {
        (6, 18)
    };
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, quality, window);
        let _ = w.write_all(body);
    }
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unbrotli(b: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        brotli::Decompressor::new(b, 4096)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn fast_and_thorough_bodies_decode_to_the_page() {
        let page = "<p>开发区高质量发展，园区服务企业。</p>\n".repeat(2000);
        let small = "<p>短</p>";
        for body in [page.as_bytes(), small.as_bytes(), b""] {
            // Twice: the reused deflate state must start clean each time.
            for _ in 0..2 {
                assert_eq!(gunzip(&gzip_fast(body)), body);
            }
            assert_eq!(gunzip(&gzip_best(body)), body);
            assert_eq!(unbrotli(&brotli_fast(body)), body);
            assert_eq!(unbrotli(&brotli_best(body)), body);
        }
        // Both fast forms still compress a page well.
        assert!(gzip_fast(page.as_bytes()).len() < page.len() / 4);
        assert!(brotli_fast(page.as_bytes()).len() < page.len() / 4);
        // And the kept forms are at least as small.
        assert!(brotli_best(page.as_bytes()).len() <= brotli_fast(page.as_bytes()).len());
    }
}
