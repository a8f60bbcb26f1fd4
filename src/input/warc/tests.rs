use std::io::Write;

use super::*;

fn context() -> WarcContext {
    WarcContext {
        name: "crawl.warc.gz".to_owned(),
        site: "folder".to_owned(),
        fetched_at: OffsetDateTime::UNIX_EPOCH,
        limit: 1 << 20,
    }
}

fn record(kind: &str, uri: &str, block: &[u8], block_type: &str) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-01T12:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:x>\r\nContent-Type: {block_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn response(uri: &str, body: &str) -> Vec<u8> {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{body}");
    record("response", uri, http.as_bytes(), "application/http; msgtype=response")
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("write to memory");
    e.finish().expect("finish gzip")
}

fn sample() -> Vec<Vec<u8>> {
    vec![
        record("warcinfo", "", b"software: test\r\n", "application/warc-fields"),
        record("request", "https://a.example/1", b"GET /1 HTTP/1.1\r\n\r\n", "application/http; msgtype=request"),
        response("https://a.example/1", "<html><body><p>First page.</p></body></html>"),
        response("https://b.example/2", "<html><body><p>Second page.</p></body></html>"),
    ]
}

fn read(bytes: &[u8]) -> (Vec<Result<Page>>, u64) {
    let mut pages = WarcPages::new(bytes, context());
    let items: Vec<_> = pages.by_ref().collect();
    (items, pages.skipped())
}

#[test]
fn plain_and_gzipped_files_give_the_same_pages() {
    let plain: Vec<u8> = sample().concat();
    let gz: Vec<u8> = sample().iter().flat_map(|r| gzip(r)).collect();
    assert!(is_warc(&plain) && is_warc(&gz));
    for bytes in [plain, gz] {
        let (items, skipped) = read(&bytes);
        let pages: Vec<Page> = items.into_iter().map(|p| p.expect("page")).collect();
        assert_eq!(pages.len(), 2);
        assert_eq!(skipped, 2);
        assert_eq!(pages[0].url.as_deref(), Some("https://a.example/1"));
        assert_eq!(pages[0].site, "a.example");
        assert_eq!(pages[1].site, "b.example");
        assert_eq!(pages[0].fetched_at, OffsetDateTime::parse("2024-03-01T12:00:00Z", &Rfc3339).expect("date"));
        assert_eq!(pages[1].raw, b"<html><body><p>Second page.</p></body></html>");
        assert!(pages[0].source.starts_with("crawl.warc.gz@"));
    }
}

#[test]
fn a_corrupt_gzip_member_is_reported_with_its_offset_and_skipped() {
    let members: Vec<Vec<u8>> = sample().iter().map(|r| gzip(r)).collect();
    let mut bytes = Vec::new();
    bytes.extend(&members[0]);
    let bad_at = bytes.len();
    let mut bad = members[2].clone();
    let mid = bad.len() / 2;
    bad[mid..].iter_mut().for_each(|b| *b = 0x55);
    bytes.extend(&bad);
    bytes.extend(&members[3]);
    let (items, _) = read(&bytes);
    assert_eq!(items.len(), 2, "one error, one page");
    let err = items[0].as_ref().expect_err("damaged");
    assert!(err.to_string().starts_with(&format!("crawl.warc.gz: WARC record at byte {bad_at} is damaged")), "{err}");
    assert_eq!(items[1].as_ref().expect("page").url.as_deref(), Some("https://b.example/2"));
}

#[test]
fn a_truncated_record_is_an_error_and_the_file_still_reads() {
    let mut plain = sample()[2].clone();
    plain.extend(b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 100\r\n\r\nshort");
    let (items, _) = read(&plain);
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert!(items[1].as_ref().expect_err("truncated").to_string().contains("truncated"));

    let mut gz = gzip(&sample()[2]);
    let last = gzip(&sample()[3]);
    gz.extend(&last[..last.len() - 10]);
    let (items, _) = read(&gz);
    assert_eq!(items.len(), 2);
    assert!(items[1].is_err());
}

#[test]
fn garbage_between_plain_records_is_skipped() {
    let mut bytes = sample()[2].clone();
    bytes.extend(b"this is not a record\nnor this\n");
    bytes.extend(&sample()[3]);
    let (items, _) = read(&bytes);
    assert_eq!(items.len(), 3);
    assert!(items[1].is_err() && items[2].is_ok());
}

#[test]
fn the_http_charset_decodes_a_page_without_a_meta_charset() {
    let (body, _, _) = encoding_rs::WINDOWS_1251.encode("<html><body><p>Заречье встречает весну.</p></body></html>");
    let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1251\r\n\r\n".to_vec();
    http.extend_from_slice(&body);
    let warc = record("response", "https://zarechye.example/", &http, "application/http; msgtype=response");
    let pages: Vec<Page> = WarcPages::new(&warc[..], context()).collect::<Result<_>>().expect("pages");
    assert_eq!(pages[0].charset.as_deref(), Some("windows-1251"));
    assert!(crate::input::decode_page(&pages[0]).expect("text").text.contains("Заречье встречает весну."));
}

/// `record` with its Content-Length changed to `declared`.
fn declaring(record: &[u8], declared: u64) -> Vec<u8> {
    let text = String::from_utf8(record.to_vec()).expect("ascii record");
    let at = text.find("Content-Length: ").expect("length header") + "Content-Length: ".len();
    let end = at + text[at..].find('\r').expect("line end");
    format!("{}{declared}{}", &text[..at], &text[end..]).into_bytes()
}

#[test]
fn a_content_length_that_covers_the_next_record_costs_one_record() {
    let first = response("https://a.example/1", "<html><body><p>First page.</p></body></html>");
    let second = sample()[3].clone();
    let third = response("https://c.example/3", "<html><body><p>Third page.</p></body></html>");
    let block = first.len() - first.windows(4).position(|w| w == b"\r\n\r\n").expect("blank line") - 4 - 4;
    // Past the second record's start; to the end of the file and beyond; far beyond the limit.
    for declared in [block as u64 + 60, 600_000, 1 << 30] {
        let bytes = [declaring(&first, declared), second.clone(), third.clone()].concat();
        let (items, _) = read(&bytes);
        assert_eq!(items.len(), 3, "{declared}: one error, then both records: {items:?}");
        let err = items[0].as_ref().expect_err("damaged").to_string();
        assert!(err.starts_with("crawl.warc.gz: WARC record at byte 0 is damaged: Content-Length"), "{err}");
        assert!(err.contains("runs into the next record"), "{err}");
        let urls: Vec<_> = items[1..].iter().map(|p| p.as_ref().expect("page").url.clone()).collect();
        assert_eq!(urls, [Some("https://b.example/2".to_owned()), Some("https://c.example/3".to_owned())]);
    }
}

#[test]
fn a_page_that_shows_a_warc_record_is_read_whole() {
    let shown = "<html><body><pre>\nWARC/1.1\r\nWARC-Type: response\r\nContent-Length: 12\r\n\r\n</pre></body></html>";
    let bytes = [response("https://a.example/warc", shown), sample()[3].clone()].concat();
    let (items, _) = read(&bytes);
    let pages: Vec<Page> = items.into_iter().map(|p| p.expect("page")).collect();
    assert_eq!(pages.len(), 2);
    assert!(pages[0].raw.ends_with(shown.as_bytes()));
}

#[test]
fn a_block_larger_than_the_limit_is_skipped_and_the_next_record_read() {
    let block: Vec<u8> = b"<p>long\n".iter().copied().cycle().take(2 << 20).collect();
    let big = [record("resource", "https://a.example/big", &block, "text/html"), sample()[3].clone()].concat();
    let (items, _) = read(&big);
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].as_ref().expect_err("too large").to_string().contains("larger than the page limit"));
    assert_eq!(items[1].as_ref().expect("page").url.as_deref(), Some("https://b.example/2"));
}
