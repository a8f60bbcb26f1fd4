//! Parquet export with the `parquet` crate's column writer (no Arrow): one row per record, the
//! same columns as the JSON Lines records, zstd-compressed pages. Times are TIMESTAMP columns
//! (microseconds, UTC) and the article's date a DATE column, so query engines compare and
//! bucket them without parsing text.

use std::io::Write;
use std::sync::Arc;

use parquet::basic::{Compression as Codec, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;

use super::{Record, RecordSink};
use crate::{Error, Result};

/// The columns, in order: the corpus fields, then vellum's; `metadata` is JSON text.
const SCHEMA: &str = "message vellum {
    required binary id (STRING);
    required binary text (STRING);
    required binary source (STRING);
    required int64 added (TIMESTAMP(MICROS,true));
    required int64 created (TIMESTAMP(MICROS,true));
    optional binary url (STRING);
    optional int32 date (DATE);
    optional int32 revision;
    required binary hash (STRING);
    optional binary title (STRING);
    required binary site (STRING);
    required binary file_path (STRING);
    optional int64 first_seen (TIMESTAMP(MICROS,true));
    optional int64 last_seen (TIMESTAMP(MICROS,true));
    required binary metadata (JSON);
}";

/// A column's cells: a string (`None` is null), a time (an RFC 3339 string written as
/// microseconds since the epoch), a date (`YYYY-MM-DD` written as days since the epoch), or the
/// revision number.
enum Cells {
    Text { required: bool, get: fn(&Record) -> Option<String> },
    Time { required: bool, get: fn(&Record) -> Option<time::OffsetDateTime> },
    Date,
    Revision,
}

/// The columns of [`SCHEMA`], in its order.
const COLUMNS: [Cells; 15] = [
    Cells::Text { required: true, get: |r| Some(r.id.to_string()) },
    Cells::Text { required: true, get: |r| Some(r.text.clone()) },
    Cells::Text { required: true, get: |r| Some(r.site.clone()) },
    Cells::Time { required: true, get: |r| Some(r.added) },
    Cells::Time { required: true, get: |r| Some(r.created()) },
    Cells::Text { required: false, get: |r| r.url.clone() },
    Cells::Date,
    Cells::Revision,
    Cells::Text { required: true, get: |r| Some(r.hash.to_hex()) },
    Cells::Text { required: false, get: |r| r.title.clone() },
    Cells::Text { required: true, get: |r| Some(r.site.clone()) },
    Cells::Text { required: true, get: |r| Some(r.file_path.clone()) },
    Cells::Time { required: false, get: |r| r.first_seen },
    Cells::Time { required: false, get: |r| r.last_seen },
    Cells::Text { required: true, get: |r| Some(r.metadata().to_string()) },
];

/// Rows held before they are written as a row group, and the text bytes that end one early:
/// memory stays bounded however large the export.
const GROUP_ROWS: usize = 8192;
const GROUP_TEXT_BYTES: usize = 64 << 20;

/// Writes records as a Parquet file, a row group at a time.
pub struct ParquetWriter<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    rows: Vec<Record>,
    text_bytes: usize,
    name: String,
}

impl<W: Write + Send> ParquetWriter<W> {
    /// A writer to `out`; `name` names it in errors.
    pub fn new(out: W, name: &str) -> Result<Self> {
        let schema = parquet::schema::parser::parse_message_type(SCHEMA).map_err(|e| error(name, e))?;
        let properties = WriterProperties::builder()
            .set_compression(Codec::ZSTD(ZstdLevel::default()))
            // No version in the file: the same records give the same bytes whatever vellum wrote them.
            .set_created_by("vellum".into())
            .build();
        let writer =
            SerializedFileWriter::new(out, Arc::new(schema), Arc::new(properties)).map_err(|e| error(name, e))?;
        Ok(ParquetWriter { writer, rows: Vec::new(), text_bytes: 0, name: name.to_owned() })
    }

    /// Writes the rows held as one row group.
    fn write_group(&mut self) -> std::result::Result<(), ParquetError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut group = self.writer.next_row_group()?;
        let mut cells = COLUMNS.iter();
        while let Some(mut column) = group.next_column()? {
            match cells.next().ok_or_else(|| ParquetError::General("more columns than cells".into()))? {
                Cells::Revision => {
                    let values: Vec<i32> = self
                        .rows
                        .iter()
                        .filter_map(|r| r.revision)
                        .map(|n| i32::try_from(n).unwrap_or(i32::MAX))
                        .collect();
                    let levels: Vec<i16> = self.rows.iter().map(|r| i16::from(r.revision.is_some())).collect();
                    column.typed::<Int32Type>().write_batch(&values, Some(&levels), None)?;
                }
                Cells::Time { required, get } => {
                    let cells: Vec<Option<i64>> = self.rows.iter().map(|r| get(r).map(micros)).collect();
                    let values: Vec<i64> = cells.iter().flatten().copied().collect();
                    let levels: Vec<i16> = cells.iter().map(|c| i16::from(c.is_some())).collect();
                    column.typed::<Int64Type>().write_batch(&values, (!required).then_some(&levels[..]), None)?;
                }
                Cells::Date => {
                    let cells: Vec<Option<i32>> = self.rows.iter().map(|r| r.date.map(days)).collect();
                    let values: Vec<i32> = cells.iter().flatten().copied().collect();
                    let levels: Vec<i16> = cells.iter().map(|c| i16::from(c.is_some())).collect();
                    column.typed::<Int32Type>().write_batch(&values, Some(&levels), None)?;
                }
                Cells::Text { required, get } => {
                    let cells: Vec<Option<String>> = self.rows.iter().map(get).collect();
                    let values: Vec<ByteArray> =
                        cells.iter().flatten().map(|s| ByteArray::from(s.as_bytes().to_vec())).collect();
                    let levels: Vec<i16> = cells.iter().map(|c| i16::from(c.is_some())).collect();
                    column.typed::<ByteArrayType>().write_batch(&values, (!required).then_some(&levels[..]), None)?;
                }
            }
            column.close()?;
        }
        group.close()?;
        self.rows.clear();
        self.text_bytes = 0;
        Ok(())
    }
}

impl<W: Write + Send> RecordSink for ParquetWriter<W> {
    fn write(&mut self, record: &Record) -> Result<()> {
        self.text_bytes += record.text.len();
        self.rows.push(record.clone());
        if self.rows.len() >= GROUP_ROWS || self.text_bytes >= GROUP_TEXT_BYTES {
            self.write_group().map_err(|e| error(&self.name, e))?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.write_group().map_err(|e| error(&self.name, e))?;
        let name = self.name.clone();
        let mut out = self.writer.into_inner().map_err(|e| error(&name, e))?;
        out.flush().map_err(|source| Error::Write { name, source })
    }
}

/// A time as microseconds since the Unix epoch, to the second (as the JSON formats write it).
fn micros(t: time::OffsetDateTime) -> i64 {
    t.unix_timestamp().saturating_mul(1_000_000)
}

/// A date as days since the Unix epoch.
fn days(date: time::Date) -> i32 {
    date.to_julian_day() - time::macros::date!(1970 - 01 - 01).to_julian_day()
}

/// A Parquet error as a write error, keeping an I/O cause (a closed pipe) as it is.
fn error(name: &str, err: ParquetError) -> Error {
    let source = match err {
        ParquetError::External(inner) => match inner.downcast::<std::io::Error>() {
            Ok(io) => *io,
            Err(other) => std::io::Error::other(other),
        },
        other => std::io::Error::other(other),
    };
    Error::Write { name: name.to_owned(), source }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::RowAccessor;

    fn record(n: u32, title: Option<&str>) -> Record {
        Record {
            id: crate::id::ArticleId(u64::from(n).to_be_bytes()[2..].try_into().expect("6 bytes")),
            revision: (n > 0).then_some(n),
            title: title.map(str::to_owned),
            date: title.map(|_| time::macros::date!(2025 - 12 - 12)),
            text: format!("Body {n}."),
            hash: crate::id::ContentHash([0xab; 32]),
            url: None,
            file_path: "a.txt".into(),
            site: "example.com".into(),
            added: time::macros::datetime!(2025-12-12 08:00 UTC),
            first_seen: Some(time::macros::datetime!(2025-12-12 08:00 UTC)),
            last_seen: None,
            listing: false,
        }
    }

    #[test]
    fn rows_read_back_with_nulls_where_fields_are_missing() {
        let path = tempfile::tempdir().expect("dir").keep().join("out.parquet");
        let mut writer: Box<dyn RecordSink> =
            Box::new(ParquetWriter::new(std::fs::File::create(&path).expect("file"), "out").expect("writer"));
        writer.write(&record(1, Some("First"))).expect("write");
        writer.write(&record(0, None)).expect("write");
        writer.finish().expect("finish");

        let reader = SerializedFileReader::new(std::fs::File::open(&path).expect("open")).expect("reader");
        let rows: Vec<_> = reader.get_row_iter(None).expect("rows").map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 2);
        let names: Vec<&str> = rows[0].get_column_iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names[..7], ["id", "text", "source", "added", "created", "url", "date"]);
        assert_eq!(rows[0].get_string(9).expect("title"), "First");
        assert_eq!(rows[0].get_int(7).expect("revision"), 1);
        // 2025-12-12T00:00:00Z and 2025-12-12T08:00:00Z, in microseconds; 2025-12-12 in days.
        assert_eq!(rows[0].get_timestamp_micros(4).expect("created"), 1_765_497_600_000_000);
        let date = |row: &parquet::record::Row| match row.get_column_iter().nth(6).map(|(_, f)| f.clone()) {
            Some(parquet::record::Field::Date(days)) => Some(days),
            _ => None,
        };
        assert_eq!(date(&rows[0]), Some(20_434));
        assert!(rows[1].get_int(7).is_err(), "no revision is null");
        assert_eq!(date(&rows[1]), None, "no date is null");
        assert_eq!(rows[1].get_timestamp_micros(4).expect("created"), 1_765_526_400_000_000);
        assert_eq!(rows[1].get_timestamp_micros(3).expect("added"), 1_765_526_400_000_000);
        let meta: serde_json::Value = serde_json::from_str(rows[0].get_string(14).expect("metadata")).expect("json");
        assert_eq!(meta["title"], "First");
    }
}
