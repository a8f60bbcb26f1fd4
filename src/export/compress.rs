//! Compressed exports: zstd or gzip around any writer, byte-for-byte deterministic.

use std::io::{self, Write};

/// How an export is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    /// Not at all.
    #[default]
    None,
    /// zstd, level 3, one frame (`.zst`).
    Zstd,
    /// gzip, default level, no file name and a zero time in the header (`.gz`).
    Gzip,
}

impl Compression {
    /// The file name extension it adds, with its dot (`""` for none).
    pub fn extension(self) -> &'static str {
        match self {
            Compression::None => "",
            Compression::Zstd => ".zst",
            Compression::Gzip => ".gz",
        }
    }

    /// The compression a file's name asks for by its extension (`.zst`, `.gz`), else none.
    pub fn for_file_name(name: &std::path::Path) -> Compression {
        let name = name.to_string_lossy();
        [Compression::Zstd, Compression::Gzip].into_iter().find(|c| name.ends_with(c.extension())).unwrap_or_default()
    }
}

/// A writer that compresses what it is given. [`Compressed::finish`] ends the stream; dropping
/// it unfinished leaves the output truncated.
pub enum Compressed<W: Write> {
    /// Passed through.
    Plain(W),
    /// zstd.
    Zstd(zstd::Encoder<'static, W>),
    /// gzip.
    Gzip(flate2::write::GzEncoder<W>),
}

impl<W: Write> Compressed<W> {
    /// Starts compressing into `out`.
    pub fn new(out: W, compression: Compression) -> io::Result<Self> {
        Ok(match compression {
            Compression::None => Compressed::Plain(out),
            Compression::Zstd => Compressed::Zstd(zstd::Encoder::new(out, 3)?),
            // GzBuilder writes mtime 0 and no name: the same records give the same bytes.
            Compression::Gzip => Compressed::Gzip(flate2::GzBuilder::new().write(out, flate2::Compression::default())),
        })
    }

    /// Ends the compressed stream and returns the writer under it.
    pub fn finish(self) -> io::Result<W> {
        match self {
            Compressed::Plain(out) => Ok(out),
            Compressed::Zstd(encoder) => encoder.finish(),
            Compressed::Gzip(encoder) => encoder.finish(),
        }
    }
}

impl<W: Write> Write for Compressed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Compressed::Plain(out) => out.write(buf),
            Compressed::Zstd(encoder) => encoder.write(buf),
            Compressed::Gzip(encoder) => encoder.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Compressed::Plain(out) => out.flush(),
            Compressed::Zstd(encoder) => encoder.flush(),
            Compressed::Gzip(encoder) => encoder.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(compression: Compression) -> Vec<u8> {
        let mut out = Compressed::new(Vec::new(), compression).expect("encoder");
        out.write_all(b"{\"id\":\"a\"}\n").expect("write");
        out.finish().expect("finish")
    }

    #[test]
    fn streams_decompress_and_repeat_byte_for_byte() {
        let zst = round_trip(Compression::Zstd);
        assert_eq!(zstd::decode_all(&zst[..]).expect("zstd"), b"{\"id\":\"a\"}\n");
        assert_eq!(zst, round_trip(Compression::Zstd));
        let gz = round_trip(Compression::Gzip);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut text).expect("gzip");
        assert_eq!(text, "{\"id\":\"a\"}\n");
        assert_eq!(gz, round_trip(Compression::Gzip));
    }
}
