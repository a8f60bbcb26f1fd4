//! HTTP responses as WARC stores them: status line, headers, body (chunked or gzipped).

use std::io::Read;

use super::encoding::charset_param;

/// An HTTP response, its body decoded from transfer and content encodings.
pub(super) struct Response {
    /// The status code.
    pub status: u16,
    /// The `Content-Type` header, lower-cased.
    pub content_type: Option<String>,
    /// The body as the server meant it.
    pub body: Vec<u8>,
}

impl Response {
    /// Whether the body is a page vellum reads: HTML, XHTML or text, or untyped.
    pub fn is_text(&self) -> bool {
        self.content_type.as_deref().is_none_or(|t| t.starts_with("text/") || t.contains("html"))
    }

    /// The charset the `Content-Type` header declares, if encoding_rs knows it; it travels
    /// with the page (`Page::charset`) to decoding, ahead of any `<meta>` charset.
    pub fn charset(&self) -> Option<&'static encoding_rs::Encoding> {
        charset_param(self.content_type.as_deref()?.as_bytes())
    }
}

/// Parses an HTTP response; errors say what is wrong.
pub(super) fn parse(bytes: &[u8], limit: u64) -> Result<Response, String> {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, p + 4))
        .or_else(|| bytes.windows(2).position(|w| w == b"\n\n").map(|p| (p, p + 2)))
        .ok_or("HTTP headers do not end")?;
    let head = String::from_utf8_lossy(&bytes[..end.0]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.split_whitespace();
    if !parts.next().is_some_and(|p| p.starts_with("HTTP/")) {
        return Err(format!("not an HTTP status line: {:?}", &status_line[..status_line.len().min(40)]));
    }
    let status = parts.next().and_then(|s| s.parse().ok()).ok_or("HTTP status is not a number")?;
    let mut content_type = None;
    let mut chunked = false;
    let mut encoding = String::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim().to_ascii_lowercase();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = Some(value),
            "transfer-encoding" => chunked = value.contains("chunked"),
            "content-encoding" => encoding = value,
            _ => {}
        }
    }
    let mut body = bytes[end.1..].to_vec();
    if chunked {
        body = dechunk(&body)?;
    }
    match encoding.as_str() {
        "" | "identity" | "none" => {}
        "gzip" | "x-gzip" => body = gunzip(&body, limit)?,
        other => return Err(format!("unsupported Content-Encoding {other:?}")),
    }
    Ok(Response { status, content_type, body })
}

/// Joins the chunks of a chunked body.
fn dechunk(mut bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let eol = bytes.iter().position(|&b| b == b'\n').ok_or("chunked body is truncated")?;
        let size_text = String::from_utf8_lossy(&bytes[..eol]);
        let size_text = size_text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| format!("bad chunk size {size_text:?}"))?;
        bytes = &bytes[eol + 1..];
        if size == 0 {
            return Ok(out);
        }
        let chunk = bytes.get(..size).ok_or("chunked body is truncated")?;
        out.extend_from_slice(chunk);
        bytes = &bytes[size..];
        bytes = bytes.strip_prefix(b"\r\n").or_else(|| bytes.strip_prefix(b"\n")).unwrap_or(bytes);
    }
}

fn gunzip(bytes: &[u8], limit: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("gzip body is damaged: {e}"))?;
    if out.len() as u64 > limit {
        return Err(format!("body inflates past the page limit of {limit} bytes"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_and_gzipped_bodies() {
        let r =
            parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", 100)
                .expect("chunked");
        assert_eq!(r.body, b"hello world");
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut e, b"<p>hi</p>").expect("gzip");
        let mut bytes =
            b"HTTP/1.0 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: text/html; charset=KOI8-R\r\n\r\n".to_vec();
        bytes.extend(e.finish().expect("gzip"));
        let r = parse(&bytes, 100).expect("gzip");
        assert_eq!(r.body, b"<p>hi</p>");
        assert_eq!(r.charset(), Some(encoding_rs::KOI8_R));
        assert!(r.is_text());
    }

    #[test]
    fn damage_is_reported() {
        assert!(parse(b"garbage", 10).is_err());
        assert!(parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 10).is_err());
        assert!(parse(b"FTP 200\r\n\r\n", 10).is_err());
    }
}
