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

/// The most header lines a response head may have.
const MAX_HEADERS: usize = 256;

/// Parses an HTTP response; errors say what is wrong. The head is read by `httparse`, lenient
/// as crawls need (spaces after a header name, folded or invalid header lines are tolerated).
pub(super) fn parse(bytes: &[u8], limit: u64) -> Result<Response, String> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let end = httparse::ParserConfig::default()
        .allow_spaces_after_header_name_in_responses(true)
        .allow_obsolete_multiline_headers_in_responses(true)
        .ignore_invalid_headers_in_responses(true)
        .parse_response(&mut response, bytes);
    let end = match end {
        Ok(httparse::Status::Complete(end)) => end,
        Ok(httparse::Status::Partial) => return Err("HTTP headers do not end".into()),
        Err(httparse::Error::TooManyHeaders) => return Err(format!("more than {MAX_HEADERS} HTTP headers")),
        Err(e) => {
            let line = &bytes[..memchr::memchr(b'\n', bytes).unwrap_or(bytes.len()).min(40)];
            return Err(format!("not an HTTP response ({e}): {:?}", String::from_utf8_lossy(line).trim_end()));
        }
    };
    let status = response.code.ok_or("HTTP status is not a number")?;
    let mut content_type = None;
    let mut chunked = false;
    let mut encoding = String::new();
    for header in response.headers.iter() {
        let value = String::from_utf8_lossy(header.value).trim().to_ascii_lowercase();
        match header.name.to_ascii_lowercase().as_str() {
            "content-type" => content_type = Some(value),
            "transfer-encoding" => chunked = value.contains("chunked"),
            "content-encoding" => encoding = value,
            _ => {}
        }
    }
    let mut body = bytes[end..].to_vec();
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

/// Joins the chunks of a chunked body (sizes read by `httparse`).
fn dechunk(mut bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let (start, size) = match httparse::parse_chunk_size(bytes) {
            Ok(httparse::Status::Complete(found)) => found,
            Ok(httparse::Status::Partial) => return Err("chunked body is truncated".into()),
            Err(_) => {
                let line = &bytes[..memchr::memchr(b'\n', bytes).unwrap_or(bytes.len()).min(20)];
                return Err(format!("bad chunk size {:?}", String::from_utf8_lossy(line).trim_end()));
            }
        };
        bytes = &bytes[start..];
        if size == 0 {
            return Ok(out);
        }
        let size = usize::try_from(size).map_err(|_| "chunk size too large".to_owned())?;
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
        // Bare line feeds, a space before a colon and a header line without one are read.
        let r = parse(b"HTTP/1.1 200 OK\nContent-Type : text/plain\nbroken line\n\nbody", 10).expect("lenient");
        assert_eq!((r.status, r.content_type.as_deref(), r.body.as_slice()), (200, Some("text/plain"), &b"body"[..]));
    }
}
