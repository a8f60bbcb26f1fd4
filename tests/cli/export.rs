//! `vellum export`.

use crate::{Env, DAY1, DAY2, T1, T2};

#[test]
fn jsonl_records_carry_every_field() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let records = env.export();
    assert_eq!(records.len(), 4);
    assert!(env.run(&["export"]).starts_with("{\"id\":"), "corpus fields first");
    for r in &records {
        let mut names: Vec<&str> = r.as_object().expect("object").keys().map(String::as_str).collect();
        let corpus = ["id", "text", "source", "added", "created", "url", "date"];
        let own = ["revision", "hash", "title", "site", "file_path", "first_seen", "last_seen"];
        let mut expected = [&corpus[..], &own[..], &["metadata"]].concat();
        names.sort();
        expected.sort();
        assert_eq!(names, expected, "Dolma and FineWeb fields, and vellum's");
        for field in own {
            assert_eq!(r["metadata"][field], r[field], "metadata repeats {field}");
        }
        assert_eq!(r["hash"], crate::revision_hash(r).as_str());
        assert_eq!(r["source"], "steppe-herald", "Dolma's source is the site");
        assert_eq!(r["file_path"], DAY1);
        assert_eq!(r["added"], T1);
        assert_eq!(r["created"], format!("{}T00:00:00Z", r["date"].as_str().expect("date")));
        assert_eq!(r["url"], serde_json::Value::Null);
    }
}

#[test]
fn the_same_inputs_give_the_same_export_byte_for_byte() {
    let a = Env::new();
    let b = Env::new();
    for env in [&a, &b] {
        env.ingest(&[DAY1], T1);
        env.ingest(&[DAY2], T2);
    }
    assert_eq!(a.run(&["export"]), b.run(&["export"]));
    assert_eq!(a.run(&["export", "--format", "text"]), b.run(&["export", "--format", "text"]));
}

#[test]
fn out_dir_writes_one_file_per_article() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.run(&["export", "--out-dir", "corpus", "--format", "text"]);
    env.run(&["export", "--out-dir", "corpus-json", "--format", "json"]);
    let mut names: Vec<String> = std::fs::read_dir(env.path("corpus"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let ids: Vec<String> = env.export().iter().map(|r| format!("{}.txt", r["id"].as_str().expect("id"))).collect();
    assert_eq!(names, ids);
    assert_eq!(std::fs::read_dir(env.path("corpus-json")).expect("dir").count(), 4);
}

#[test]
fn json_is_one_array() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let json: serde_json::Value = serde_json::from_str(&env.run(&["export", "--format", "json"])).expect("json");
    assert_eq!(json.as_array().map(Vec::len), Some(4));
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_exits_quietly() {
    let env = Env::new();
    env.ingest(&["fixtures"], T1);
    let vellum = assert_cmd::cargo::cargo_bin("vellum");
    let script = format!("set -o pipefail; '{}' export | head -c 10 > /dev/null", vellum.display());
    let status = std::process::Command::new("bash")
        .args(["-c", &script])
        .env("VELLUM_STORE", env.store())
        .status()
        .expect("bash");
    assert!(status.success());
}

#[test]
fn compressed_exports_decompress_to_the_plain_one() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let plain = env.run(&["export"]);
    env.run(&["export", "--compress", "zstd", "--out", "corpus.jsonl.zst"]);
    let zst = std::fs::read(env.path("corpus.jsonl.zst")).expect("zst");
    assert_eq!(zstd::decode_all(&zst[..]).expect("zstd"), plain.as_bytes());
    let out = env.cmd().args(["export", "--compress", "gzip", "--out", "-"]).assert().success();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&out.get_output().stdout[..]), &mut text)
        .expect("gzip");
    assert_eq!(text, plain);
}

#[test]
fn shards_split_the_export_and_repeat_byte_for_byte() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.ingest(&[DAY2], T2);
    let plain = env.run(&["export", "--all-revisions"]);
    let shards = |dir: &str| {
        env.run(&["export", "--all-revisions", "--shard-size", "2", "--compress", "zstd", "--out", dir]);
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(env.path(dir))
            .expect("dir")
            .map(|e| e.expect("entry"))
            .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("read")))
            .collect();
        files.sort();
        files
    };
    let first = shards("parts");
    let names: Vec<&str> = first.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["part-00000-of-00003.jsonl.zst", "part-00001-of-00003.jsonl.zst", "part-00002-of-00003.jsonl.zst"]
    );
    let joined: Vec<u8> = first.iter().flat_map(|(_, b)| zstd::decode_all(&b[..]).expect("zstd")).collect();
    assert_eq!(String::from_utf8(joined).expect("utf-8"), plain);
    assert_eq!(shards("parts"), first, "a second export replaces the first with the same bytes");
}

#[test]
fn parquet_rows_read_back_as_the_json_records() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::RowAccessor;

    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let records = env.export();
    env.run(&["export", "--format", "parquet", "--out", "out.parquet"]);
    let file = std::fs::File::open(env.path("out.parquet")).expect("parquet");
    let reader = SerializedFileReader::new(file).expect("reader");
    let rows: Vec<_> = reader.get_row_iter(None).expect("rows").map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), records.len());
    for (row, record) in rows.iter().zip(&records) {
        for (i, (name, _)) in row.get_column_iter().enumerate() {
            let expected = &record[name.as_str()];
            match name.as_str() {
                "revision" => assert_eq!(Some(i64::from(row.get_int(i).expect("int"))), expected.as_i64()),
                "metadata" => {
                    let meta: serde_json::Value = serde_json::from_str(row.get_string(i).expect("json")).expect("json");
                    assert_eq!(&meta, expected);
                }
                "url" => assert!(expected.is_null() && row.get_string(i).is_err(), "url is null"),
                // Times are TIMESTAMP columns, the date a DATE column.
                "added" | "created" | "first_seen" | "last_seen" => {
                    let micros = row.get_timestamp_micros(i).expect("timestamp");
                    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1000).expect("time");
                    assert_eq!(Some(vellum::export::rfc3339(t).as_str()), expected.as_str(), "{name}");
                }
                "date" => match row.get_column_iter().nth(i).map(|(_, f)| f.clone()) {
                    Some(parquet::record::Field::Date(days)) => {
                        let date = time::Date::from_julian_day(days + 2_440_588).expect("date");
                        assert_eq!(Some(date.to_string().as_str()), expected.as_str());
                    }
                    other => panic!("date: {other:?}"),
                },
                _ => assert_eq!(row.get_string(i).ok().map(String::as_str), expected.as_str(), "{name}"),
            }
        }
    }
    env.cmd().args(["export", "--format", "parquet", "--compress", "zstd"]).assert().code(2);
}

/// The names in the workspace's top folder that end in `.partial`.
pub fn partial_files(env: &Env) -> Vec<String> {
    let entries = std::fs::read_dir(env.dir.path()).expect("workspace");
    let names = entries.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned());
    names.filter(|n| n.ends_with(".partial")).collect()
}

#[test]
fn a_failed_export_leaves_the_old_file_and_no_temporary_one() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    std::fs::write(env.path("out.parquet"), "the previous export").expect("write");
    env.cmd().args(["export", "--format", "parquet", "--compress", "zstd", "--out", "out.parquet"]).assert().code(2);
    assert_eq!(std::fs::read_to_string(env.path("out.parquet")).expect("read"), "the previous export");
    env.cmd().args(["export", "--format", "parquet", "--compress", "zstd", "--out", "new.parquet"]).assert().code(2);
    assert!(!env.path("new.parquet").exists(), "no file under the final name");
    assert_eq!(partial_files(&env), Vec::<String>::new());

    env.run(&["export", "--out", "out.jsonl"]);
    assert_eq!(std::fs::read_to_string(env.path("out.jsonl")).expect("read"), env.run(&["export"]));
    assert_eq!(partial_files(&env), Vec::<String>::new());
}

#[test]
fn an_out_file_named_gz_or_zst_is_compressed_as_its_name_says() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    let plain = env.run(&["export"]);
    for (name, magic) in [("corpus.jsonl.gz", &[0x1f, 0x8b][..]), ("corpus.jsonl.zst", &[0x28, 0xb5, 0x2f, 0xfd][..])] {
        env.run(&["export", "--out", name]);
        let bytes = std::fs::read(env.path(name)).expect("written");
        assert!(bytes.starts_with(magic), "{name}");
    }
    env.run(&["export", "--out", "corpus.jsonl"]);
    assert_eq!(std::fs::read_to_string(env.path("corpus.jsonl")).expect("written"), plain);
}
