//! One zstd decompression context per thread, reused for every frame the store reads, and one
//! compression context per thread, reused for every whole frame it writes.
//!
//! Creating a context allocates and clears well over 100 KB; reading an article's text is one
//! small frame, so a fresh context per read cost more than the decompression itself (a fifth of
//! an export's CPU time). A context holds no state between one-shot calls that could change
//! what a frame decodes to: each call names its own dictionary or prefix.

use std::cell::RefCell;

use zstd::zstd_safe::{self, CCtx, CDict, CParameter, DCtx, DDict, ResetDirective};

thread_local! {
    static DCTX: RefCell<DCtx<'static>> = RefCell::new(DCtx::create());
    static CCTX: RefCell<CCtx<'static>> = RefCell::new(CCtx::create());
}

/// Runs `f` with this thread's context in `key`, or with a fresh one made by `fresh` when the
/// thread's is in use (only re-entrance, never expected, finds it so).
fn with_context<C: 'static, T>(
    key: &'static std::thread::LocalKey<RefCell<C>>,
    fresh: fn() -> C,
    f: impl FnOnce(&mut C) -> T,
) -> T {
    key.with(|cell| match cell.try_borrow_mut() {
        Ok(mut context) => f(&mut context),
        Err(_) => f(&mut fresh()),
    })
}

fn with_cctx<T>(f: impl FnOnce(&mut CCtx<'static>) -> T) -> T {
    with_context(&CCTX, CCtx::create, f)
}

/// One zstd frame of `data` at `level`. A fresh context clears its tables (most of the work
/// for a text of a few kilobytes); a reused one, reset to its defaults, need not, and gives the
/// same frame.
pub fn compress(data: &[u8], level: i32) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(zstd_safe::compress_bound(data.len()));
    with_cctx(|cctx| {
        cctx.reset(ResetDirective::SessionAndParameters)?;
        cctx.set_parameter(CParameter::CompressionLevel(level))?;
        cctx.compress2(&mut out, data)
    })
    .map_err(error)?;
    Ok(out)
}

/// One zstd frame of `data` compressed against a prepared dictionary.
pub fn compress_with_cdict(data: &[u8], cdict: &CDict<'_>) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(zstd_safe::compress_bound(data.len()));
    with_cctx(|cctx| {
        cctx.reset(ResetDirective::SessionAndParameters)?;
        cctx.compress_using_cdict(&mut out, data, cdict)
    })
    .map_err(error)?;
    Ok(out)
}

/// One zstd frame of `data` at `level`, compressed with `prefix` as its reference ("patch-from"),
/// with a window of `2^window_log` bytes when the prefix must be referenced explicitly.
///
/// A fresh context per frame allocated and cleared its tables every time, which was most of the
/// cost of a small frame (3-5 % of an ingest's instructions); this thread's context, reused, is
/// not cleared again. `ZSTD_CCtx_refPrefix` would tie the context to the prefix's lifetime, so
/// the prefix goes in as raw-content dictionary (`ZSTD_compress_usingDict`), which gives the same
/// frame; a prefix that starts like a zstd dictionary is referenced explicitly, as the decoder
/// does ([`decompress_with_prefix`]).
pub fn compress_with_prefix(data: &[u8], prefix: &[u8], level: i32, window_log: u32) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(zstd_safe::compress_bound(data.len()));
    if prefix.starts_with(&DICT_MAGIC) {
        let mut cctx = CCtx::create();
        cctx.set_parameter(CParameter::CompressionLevel(level)).map_err(error)?;
        cctx.set_parameter(CParameter::WindowLog(window_log)).map_err(error)?;
        cctx.ref_prefix(prefix).map_err(error)?;
        cctx.compress2(&mut out, data).map_err(error)?;
    } else {
        with_cctx(|cctx| {
            cctx.reset(ResetDirective::SessionAndParameters)?;
            cctx.compress_using_dict(&mut out, data, prefix, level)
        })
        .map_err(error)?;
    }
    Ok(out)
}

/// The first bytes of a zstd dictionary (little-endian `0xEC30A437`). A prefix starting with
/// them would be parsed as a dictionary by `ZSTD_decompress_usingDict`, not as raw content.
const DICT_MAGIC: [u8; 4] = [0x37, 0xA4, 0x30, 0xEC];

fn error(code: usize) -> std::io::Error {
    std::io::Error::other(zstd_safe::get_error_name(code))
}

fn with_dctx<T>(f: impl FnOnce(&mut DCtx<'static>) -> T) -> T {
    with_context(&DCTX, DCtx::create, f)
}

/// Decompresses one frame of at most `size` bytes.
pub fn decompress(frame: &[u8], size: usize) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(size);
    with_dctx(|dctx| dctx.decompress(&mut out, frame)).map_err(error)?;
    Ok(out)
}

/// Decompresses one frame of at most `size` bytes made with a prepared dictionary.
pub fn decompress_with_ddict(frame: &[u8], size: usize, ddict: &DDict<'_>) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(size);
    with_dctx(|dctx| dctx.decompress_using_ddict(&mut out, frame, ddict)).map_err(error)?;
    Ok(out)
}

/// Decompresses one frame of at most `size` bytes made with `prefix` as its reference prefix
/// (raw content: the same as `ZSTD_DCtx_refPrefix`).
pub fn decompress_with_prefix(frame: &[u8], size: usize, prefix: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(size);
    if prefix.starts_with(&DICT_MAGIC) {
        // Rare: bytes that look like a dictionary must be referenced as raw content explicitly.
        let mut dctx = DCtx::create();
        dctx.ref_prefix(prefix).map_err(error)?;
        dctx.decompress(&mut out, frame).map_err(error)?;
    } else {
        with_dctx(|dctx| dctx.decompress_using_dict(&mut out, frame, prefix)).map_err(error)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_that_looks_like_a_dictionary_is_raw_content() {
        let prefix = [&DICT_MAGIC[..], &b"harbour cranes and grain silos by the river. ".repeat(20)].concat();
        let data = [&b"grain silos by the harbour cranes. "[..], &prefix[4..200]].concat();
        let frame = super::super::chain::compress_with_prefix(&data, &prefix).expect("compress");
        assert_eq!(decompress_with_prefix(&frame, data.len(), &prefix).expect("decompress"), data);
        let plain = &prefix[4..];
        let frame = super::super::chain::compress_with_prefix(&data, plain).expect("compress");
        assert_eq!(decompress_with_prefix(&frame, data.len(), plain).expect("decompress"), data);
    }

    #[test]
    fn a_reused_context_gives_the_frame_a_fresh_one_referencing_the_prefix_gives() {
        let line = |i: usize| format!("Line {i} of the harbour report names crane {}. ", i * 7919 % 1000);
        for (lines, extra) in [(5, 3), (200, 40), (4000, 300)] {
            let prefix: String = (0..lines).map(line).collect();
            let data: String = (lines / 2..lines + extra).map(line).collect();
            let window = super::super::chain::window_log(data.len() + prefix.len());
            let mut fresh = CCtx::create();
            fresh.set_parameter(CParameter::CompressionLevel(3)).expect("level");
            fresh.set_parameter(CParameter::WindowLog(window)).expect("window");
            fresh.ref_prefix(prefix.as_bytes()).expect("prefix");
            let mut expected = Vec::with_capacity(zstd_safe::compress_bound(data.len()));
            fresh.compress2(&mut expected, data.as_bytes()).expect("compress");
            for _ in 0..2 {
                let frame = compress_with_prefix(data.as_bytes(), prefix.as_bytes(), 3, window).expect("compress");
                assert_eq!(frame, expected, "{lines} lines");
            }
        }
    }
}
