//! Decompression by magic bytes (gzip, zstd), with an inflate limit.

use std::io::Read;

use crate::{Error, Result};

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];

/// Decompresses `bytes` when they start with gzip or zstd magic; returns them unchanged
/// otherwise. Output past `limit` bytes is an error, so a small bomb cannot fill memory.
pub fn decompress(name: &str, bytes: Vec<u8>, limit: u64) -> Result<Vec<u8>> {
    let format = if bytes.starts_with(GZIP_MAGIC) {
        "gzip"
    } else if bytes.starts_with(ZSTD_MAGIC) {
        "zstd"
    } else {
        return Ok(bytes);
    };
    let damaged = |detail: String| Error::Decompress { name: name.to_owned(), format, detail };
    let mut out = Vec::new();
    // Read one byte past the limit so that "exactly at the limit" and "past it" differ.
    let read = if format == "gzip" {
        flate2::read::MultiGzDecoder::new(&bytes[..]).take(limit + 1).read_to_end(&mut out)
    } else {
        let decoder = zstd::stream::read::Decoder::new(&bytes[..]).map_err(|e| damaged(e.to_string()))?;
        decoder.take(limit + 1).read_to_end(&mut out)
    };
    read.map_err(|e| damaged(e.to_string()))?;
    if out.len() as u64 > limit {
        return Err(damaged(format!("inflates past the page limit of {limit} bytes")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).expect("write to memory");
        e.finish().expect("finish gzip")
    }

    #[test]
    fn plain_bytes_pass_through() {
        assert_eq!(decompress("a", b"hello".to_vec(), 10).expect("plain"), b"hello");
    }

    #[test]
    fn gzip_and_zstd_are_read_by_magic() {
        assert_eq!(decompress("a", gzip(b"hello"), 10).expect("gzip"), b"hello");
        let z = zstd::encode_all(&b"hello"[..], 3).expect("zstd");
        assert_eq!(decompress("a", z, 10).expect("zstd"), b"hello");
    }

    #[test]
    fn truncated_gzip_is_an_error_naming_the_input() {
        let mut g = gzip(b"some text that is long enough to matter");
        g.truncate(g.len() / 2);
        let err = decompress("pages/a.txt.gz", g, 1000).expect_err("truncated");
        assert!(err.to_string().starts_with("pages/a.txt.gz: gzip data is damaged"), "{err}");
    }

    #[test]
    fn bombs_stop_at_the_limit() {
        let g = gzip(&vec![b'a'; 100_000]);
        let err = decompress("bomb.gz", g, 1000).expect_err("bomb");
        assert!(err.to_string().contains("inflates past"), "{err}");
    }
}
