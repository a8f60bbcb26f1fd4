//! Sharded exports: a fixed number of records per file, named `part-00000-of-000NN.EXT`.

use std::path::{Path, PathBuf};

use super::{sink, Compression, Format, Record, RecordSink};
use crate::{Error, Result};

/// The name of shard `index` (from 0) of `total`, as Spark and Hadoop name their outputs.
pub fn shard_name(index: usize, total: usize, format: Format, compression: Compression) -> String {
    format!("part-{index:05}-of-{total:05}.{}{}", format.extension(), compression.extension())
}

/// Writes records into a folder, `per_shard` to a file. The total is known only at the end, so
/// each shard is written as `part-NNNNN.partial` and renamed by [`RecordSink::finish`]; shards
/// a previous export left in the folder are removed first, so the folder holds one export.
/// The same records give the same files, byte for byte.
pub struct Shards {
    dir: PathBuf,
    per_shard: usize,
    format: Format,
    compression: Compression,
    current: Option<Box<dyn RecordSink>>,
    in_current: usize,
    written: Vec<PathBuf>,
}

impl Shards {
    /// Shards of `per_shard` records (at least 1) into `dir`, which is created if need be.
    pub fn create(dir: &Path, per_shard: usize, format: Format, compression: Compression) -> Result<Self> {
        let write_error = |source| Error::Write { name: dir.display().to_string(), source };
        std::fs::create_dir_all(dir).map_err(write_error)?;
        for entry in std::fs::read_dir(dir).map_err(write_error)? {
            let path = entry.map_err(write_error)?.path();
            if path.file_name().and_then(|n| n.to_str()).is_some_and(is_shard_name) {
                std::fs::remove_file(&path).map_err(write_error)?;
            }
        }
        Ok(Shards {
            dir: dir.to_owned(),
            per_shard: per_shard.max(1),
            format,
            compression,
            current: None,
            in_current: 0,
            written: Vec::new(),
        })
    }

    fn open_next(&mut self) -> Result<Box<dyn RecordSink>> {
        let path = self.dir.join(format!("part-{:05}.partial", self.written.len()));
        let name = path.display().to_string();
        let file = std::fs::File::create(&path).map_err(|source| Error::Write { name: name.clone(), source })?;
        self.written.push(path);
        sink(std::io::BufWriter::new(file), self.format, self.compression, &name)
    }
}

/// `part-NNNNN-of-NNNNN.*` or `part-NNNNN.partial`: what [`Shards`] writes.
fn is_shard_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("part-") else { return false };
    let digits = |s: &str| s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit());
    match rest.split_once('.') {
        Some((stem, ext)) => {
            ext == "partial" && digits(stem) || stem.split_once("-of-").is_some_and(|(a, b)| digits(a) && digits(b))
        }
        None => false,
    }
}

impl RecordSink for Shards {
    fn write(&mut self, record: &Record) -> Result<()> {
        if self.in_current == self.per_shard {
            if let Some(full) = self.current.take() {
                full.finish()?;
            }
            self.in_current = 0;
        }
        let mut current = match self.current.take() {
            Some(current) => current,
            None => self.open_next()?,
        };
        let result = current.write(record);
        self.current = Some(current);
        self.in_current += 1;
        result
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        if let Some(last) = self.current.take() {
            last.finish()?;
        }
        let total = self.written.len();
        for (index, partial) in self.written.iter().enumerate() {
            let path = self.dir.join(shard_name(index, total, self.format, self.compression));
            std::fs::rename(partial, &path)
                .map_err(|source| Error::Write { name: path.display().to_string(), source })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_spark_and_only_ours_are_cleared() {
        assert_eq!(shard_name(0, 12, Format::Jsonl, Compression::Zstd), "part-00000-of-00012.jsonl.zst");
        assert!(is_shard_name("part-00003-of-00012.parquet"));
        assert!(is_shard_name("part-00003.partial"));
        assert!(!is_shard_name("part-3-of-12.jsonl"));
        assert!(!is_shard_name("notes.txt"));
    }
}
