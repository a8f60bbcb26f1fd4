//! The store's format version: the gate every opening passes, and `vellum migrate`.
//!
//! A store's `meta` `schema` record holds its format as a *mark*: format n is mark n + 4, since
//! marks 1 to 4 were taken by the layouts of pre-release builds. Format 1 is the layout those
//! builds called schema 5, so a store they wrote opens unchanged, and builds of either kind
//! refuse a store of a later format. A store of mark 1 to 4 is refused with what to do
//! ([`Error::StoreFormatTooOld`]): its records may be of layouts this build no longer reads.
//!
//! A later format adds one step to [`STEPS`] (taking a store of the format before to its own, in
//! place, ending by marking it) and a fixture store (`fixtures/stores/format-N`); `vellum
//! migrate` runs the steps from the store's format up, and `Store::open` refuses an older
//! format with a pointer to it ([`Error::StoreNeedsMigration`]). Format 2 packed the `sites`
//! values; format 3 moved them into generation files (`sitefiles`); format 4 packs the fetch
//! records (`fetches`).

use std::path::Path;

use super::{records, OpenOptions, Store};
use crate::{Error, Result};

/// The store format this build reads and writes (ARCHITECTURE.md, "Storage spec").
pub const FORMAT: u32 = 4;

/// The `meta` key of the format's mark.
pub(super) const FORMAT_KEY: &[u8] = b"schema";

/// Format n is mark n + `MARK_OFFSET` (marks 1 to 4 were pre-release layouts).
const MARK_OFFSET: u32 = 4;

/// Trees only pre-release layouts wrote to. A pre-release build that read an older store as it
/// was marked it with 5 when it wrote, and left these (and records of older versions) behind;
/// empty, as such a build left them in a store it made, they are harmless.
const PRE_RELEASE_TREES: [&str; 4] = ["texts", "sigs", "sightings", "site_shapes"];

/// One migration step: it takes a store of format `from` to format `from + 1`.
struct Step {
    /// The format the step starts from.
    from: u32,
    /// Rewrites the store in place; the last thing it writes is the new format's mark.
    run: fn(&Store) -> Result<()>,
}

/// Every migration step, oldest first.
const STEPS: &[Step] =
    &[Step { from: 1, run: pack_sites }, Step { from: 2, run: sites_to_files }, Step { from: 3, run: pack_fetches }];

/// Format 1 to 2: every `sites` value rewritten as a [`records::PackedSite`], in batches of at
/// most [`MIGRATE_BATCH_BYTES`] (sled applies a tree's batch atomically: a store of up to some
/// thousands of sites is rewritten in one), made durable before the new mark is written. A step
/// stopped part way leaves format 1's mark over values of either version: this vellum refuses
/// the store until `migrate`, run again, finishes the step (it reads both).
fn pack_sites(store: &Store) -> Result<()> {
    pack_sites_in_batches(store, MIGRATE_BATCH_BYTES)
}

/// [`pack_sites`] with batches of `limit` bytes.
fn pack_sites_in_batches(store: &Store, limit: usize) -> Result<()> {
    let tree = &store.h().sites;
    let mut batch = sled::Batch::default();
    let mut bytes = 0;
    for item in tree.iter() {
        let (key, value) = item.map_err(|e| store.fail(e))?;
        let what = || format!("site {}", String::from_utf8_lossy(&key));
        let packed = records::encode_site(&records::decode_site_to_migrate(&what, &value)?);
        bytes += key.len() + packed.len();
        batch.insert(key, packed);
        if bytes >= limit {
            tree.apply_batch(std::mem::take(&mut batch)).map_err(|e| store.fail(e))?;
            bytes = 0;
        }
    }
    tree.apply_batch(batch).map_err(|e| store.fail(e))?;
    store.flush()
}

/// Format 2 to 3: every site's knowledge written into one generation file (`sitefiles`), made
/// durable, and its `sites` value replaced by a record pointing there, all at once (sled applies
/// a tree's batch atomically); then `wholes` keyed by each text's start instead of its whole hash
/// ([`super::wholes::rekey`]); all made durable before the new mark is written. A step stopped
/// part way leaves format 2's mark: this vellum refuses the store until `migrate`, run again,
/// finishes (a value already pointing into a generation is left as it is).
fn sites_to_files(store: &Store) -> Result<()> {
    let mut sites = Vec::new();
    for item in store.h().sites.iter() {
        let (key, value) = item.map_err(|e| store.fail(e))?;
        if value.first() == Some(&records::SITE_POINTER) {
            continue;
        }
        let site = String::from_utf8_lossy(&key).into_owned();
        let record = records::decode_site_to_migrate(&|| format!("site {site}"), &value)?;
        sites.push((site, record));
    }
    store.write_site_files(&sites)?;
    store.flush()?;
    super::wholes::rekey(store)
}

/// Format 3 to 4: the fetch records, one a sled record, rewritten as packs of consecutive
/// fetches ([`super::fetches`]), in batches of about [`MIGRATE_BATCH_BYTES`], each removing the
/// records it packs (sled applies a tree's batch atomically), made durable before the new mark
/// is written. A step stopped part way leaves format 3's mark over records and packs: run
/// again, it packs the records left and leaves the packs.
fn pack_fetches(store: &Store) -> Result<()> {
    pack_fetches_in_batches(store, MIGRATE_BATCH_BYTES)
}

/// [`pack_fetches`] with batches of `limit` bytes.
fn pack_fetches_in_batches(store: &Store, limit: usize) -> Result<()> {
    let tree = &store.h().fetches;
    let mut batch = sled::Batch::default();
    let mut records = Vec::new();
    let mut bytes = 0;
    for item in tree.iter() {
        let (key, value) = item.map_err(|e| store.fail(e))?;
        if value.first() == Some(&records::FETCH_PACK) {
            continue;
        }
        let seq = super::keys::fixed::<8>(&key)
            .map(u64::from_be_bytes)
            .ok_or_else(|| super::read::bad_key("fetches", &key))?;
        let record: records::FetchRecord = records::decode_record(&|| format!("fetch {seq}"), &value)?;
        bytes += key.len() + value.len();
        batch.remove(key);
        records.push((seq, record));
        if bytes >= limit {
            super::fetches::pack_into(&mut batch, std::mem::take(&mut records))?;
            tree.apply_batch(std::mem::take(&mut batch)).map_err(|e| store.fail(e))?;
            bytes = 0;
        }
    }
    super::fetches::pack_into(&mut batch, records)?;
    tree.apply_batch(batch).map_err(|e| store.fail(e))?;
    store.flush()
}

/// The most bytes of values a migration step holds in memory for one batch.
const MIGRATE_BATCH_BYTES: usize = 64 << 20;

/// What `vellum migrate` found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrateReport {
    /// The store's format before.
    pub found: u32,
    /// The formats it was taken through, in order (empty: nothing to migrate).
    pub steps: Vec<u32>,
}

/// The format a mark stands for: `Err` with the pre-release schema for marks below format 1's.
fn format_of(mark: u32) -> std::result::Result<u32, u32> {
    if mark > MARK_OFFSET {
        Ok(mark - MARK_OFFSET)
    } else {
        Err(mark)
    }
}

/// The mark of a format.
pub(super) fn mark_of(format: u32) -> u32 {
    format + MARK_OFFSET
}

impl Store {
    /// The store's format, marking a new (empty) store with this build's. A store of a layout
    /// before format 1, or of a format newer than this build's, is an error naming what to do;
    /// an older format too unless `migrating`.
    pub(super) fn check_format(&self, migrating: bool) -> Result<u32> {
        let what = || "meta schema".to_owned();
        let Some(value) = self.h().meta.get(FORMAT_KEY).map_err(|e| self.fail(e))? else {
            let value = records::encode_record(&mark_of(FORMAT));
            self.h().meta.insert(FORMAT_KEY, value).map_err(|e| self.fail(e))?;
            self.flush()?;
            return Ok(FORMAT);
        };
        let mark: u32 = records::decode_record(&what, &value)?;
        let path = self.path.clone();
        match format_of(mark) {
            Err(schema) => Err(Error::StoreFormatTooOld { path, schema }),
            Ok(found) if found > FORMAT => Err(Error::StoreFormatTooNew { path, found, supported: FORMAT }),
            Ok(found) => {
                // Before the pointer to `migrate`, which could not help such a store.
                self.check_pre_release_trees()?;
                if found < FORMAT && !migrating {
                    return Err(Error::StoreNeedsMigration { path, found, supported: FORMAT });
                }
                Ok(found)
            }
        }
    }

    /// Refuses a store holding entries in a tree of a pre-release layout.
    fn check_pre_release_trees(&self) -> Result<()> {
        let db = &self.h().db;
        let names = db.tree_names();
        for tree in PRE_RELEASE_TREES {
            if names.iter().any(|n| n.as_ref() == tree.as_bytes())
                && !db.open_tree(tree).map_err(|e| self.fail(e))?.is_empty()
            {
                return Err(Error::PreReleaseRecords { path: self.path.clone(), tree });
            }
        }
        Ok(())
    }

    /// Takes the store at `path` to this build's format, step by step (see the module's
    /// documentation); a store of this format is left as it is.
    pub fn migrate(path: &Path, options: &OpenOptions) -> Result<MigrateReport> {
        let store = Store::open_migrating(path, options)?;
        let found = store.check_format(true)?;
        let mut steps = Vec::new();
        for step in STEPS.iter().filter(|s| s.from >= found) {
            (step.run)(&store)?;
            let value = records::encode_record(&mark_of(step.from + 1));
            store.h().meta.insert(FORMAT_KEY, value).map_err(|e| store.fail(e))?;
            store.flush()?;
            steps.push(step.from + 1);
        }
        Ok(MigrateReport { found, steps })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(mark: u32) -> (tempfile::TempDir, Result<Store>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = OpenOptions { create: true, ..OpenOptions::default() };
        let store = Store::open(dir.path(), &options).expect("create");
        store.h().meta.insert(FORMAT_KEY, records::encode_record(&mark)).expect("mark");
        drop(store);
        let opened = Store::open(dir.path(), &OpenOptions::default());
        (dir, opened)
    }

    #[test]
    fn a_new_store_is_format_4_and_marked_8() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path(), &OpenOptions { create: true, ..OpenOptions::default() }).expect("create");
        let value = store.h().meta.get(FORMAT_KEY).expect("get").expect("marked");
        assert_eq!(records::decode_record::<u32>(&|| "mark".into(), &value).expect("decode"), 8);
        assert_eq!(store.check_format(false).expect("format"), FORMAT);
    }

    #[test]
    fn a_store_of_a_pre_release_layout_is_refused_with_what_to_do() {
        for schema in 1..=4 {
            let (dir, opened) = marked(schema);
            let err = opened.expect_err("refused");
            assert!(matches!(err, Error::StoreFormatTooOld { schema: s, .. } if s == schema), "{err}");
            let text = err.to_string();
            assert!(text.contains(&dir.path().display().to_string()), "{text}");
            assert!(text.contains(&format!("schema {schema}")) && text.contains("vellum restore"), "{text}");
            let err = Store::migrate(dir.path(), &OpenOptions::default()).expect_err("no migration");
            assert!(matches!(err, Error::StoreFormatTooOld { .. }), "{err}");
        }
    }

    #[test]
    fn a_store_a_pre_release_build_marked_over_its_old_records_is_refused() {
        let (dir, opened) = marked(8);
        let store = opened.expect("opens");
        store.h().db.open_tree("sightings").expect("tree").insert(b"k", b"v".to_vec()).expect("plant");
        store.h().meta.insert(FORMAT_KEY, records::encode_record(&5u32)).expect("mark");
        drop(store);
        let err = Store::open(dir.path(), &OpenOptions::default()).expect_err("refused");
        assert!(matches!(err, Error::PreReleaseRecords { tree: "sightings", .. }), "{err}");
        assert!(err.to_string().contains("vellum restore"), "{err}");
    }

    #[test]
    fn a_store_of_a_newer_format_is_refused() {
        let (dir, opened) = marked(9);
        let err = opened.expect_err("refused");
        assert!(matches!(err, Error::StoreFormatTooNew { found: 5, supported: 4, .. }), "{err}");
        let text = err.to_string();
        assert!(text.contains(&dir.path().display().to_string()) && text.contains("upgrade vellum"), "{text}");
        let err = Store::migrate(dir.path(), &OpenOptions::default()).expect_err("not migrated");
        assert!(matches!(err, Error::StoreFormatTooNew { .. }), "{err}");
    }

    #[test]
    fn a_store_of_this_format_has_nothing_to_migrate() {
        let (dir, opened) = marked(8);
        drop(opened.expect("opens"));
        let report = Store::migrate(dir.path(), &OpenOptions::default()).expect("migrate");
        assert_eq!(report, MigrateReport { found: 4, steps: vec![] });
    }

    /// A site's shapes as its `sites` value holds them (a store part way through a migration).
    fn sled_shapes(store: &Store, site: &str) -> (u32, Vec<(u64, u32, u64)>) {
        let value = store.h().sites.get(site).expect("get").expect("value");
        let record = records::decode_site(&|| site.to_owned(), &value).expect("format 2's value");
        (record.pages, record.shapes)
    }

    #[test]
    fn a_format_1_store_opens_once_migrated_with_its_sites_in_files() {
        let shapes = vec![(3, 2, 0), (9, 0, 77), (12, 5, 77), (u64::MAX, 1, 0)];
        let old = super::super::codec::encode(
            records::SITE_FORMAT_1,
            &records::SiteRecord { pages: 7, shapes: shapes.clone() },
        );
        let (dir, opened) = marked(8);
        let store = opened.expect("opens");
        store.h().sites.insert("example", old.clone()).expect("plant");
        let old_other = super::super::codec::encode(
            records::SITE_FORMAT_1,
            &records::SiteRecord { pages: 2, shapes: vec![(5, 1, 9)] },
        );
        store.h().meta.insert(FORMAT_KEY, records::encode_record(&5u32)).expect("mark");
        drop(store);
        let err = Store::open(dir.path(), &OpenOptions::default()).expect_err("refused");
        assert!(matches!(err, Error::StoreNeedsMigration { found: 1, supported: 4, .. }), "{err}");
        assert!(err.to_string().contains("vellum migrate"), "{err}");
        let report = Store::migrate(dir.path(), &OpenOptions::default()).expect("migrate");
        assert_eq!(report, MigrateReport { found: 1, steps: vec![2, 3, 4] });
        let store = Store::open(dir.path(), &OpenOptions::default()).expect("opens");
        assert_eq!(store.site_shapes("example").expect("shapes"), (7, shapes.clone()));
        let value = store.h().sites.get("example").expect("get").expect("a record");
        assert_eq!(value[0], records::SITE_POINTER, "the value now points into a generation");
        drop(store);
        // Format 1 to 2 run again over values of both versions, a batch a site (a step stopped
        // part way).
        let store = Store::open_migrating(dir.path(), &OpenOptions::default()).expect("opens");
        store.h().sites.insert("other", old_other).expect("plant");
        store.h().sites.insert("example", old).expect("plant");
        pack_sites_in_batches(&store, 1).expect("packed again");
        assert_eq!(sled_shapes(&store, "other"), (2, vec![(5, 1, 9)]));
        assert_eq!(sled_shapes(&store, "example"), (7, shapes));
        let value = store.h().sites.get("example").expect("get").expect("value");
        assert_eq!(value[0], records::SITE, "written again as format 2's value");
    }

    #[test]
    fn format_2_to_3_stopped_part_way_is_finished_by_running_it_again() {
        let (dir, opened) = marked(8);
        let store = opened.expect("opens");
        let example = records::SiteRecord { pages: 4, shapes: vec![(1, 4, 0), (2, 0, 5)] };
        store.h().sites.insert("example", records::encode_site(&example)).expect("plant");
        // Stopped after writing a generation and before pointing the records into it.
        let generations = store.sites_dir();
        std::fs::create_dir_all(&generations).expect("dir");
        std::fs::write(generations.join("0000000000000001.gen"), b"a generation no record names").expect("plant");
        store.h().meta.insert(FORMAT_KEY, records::encode_record(&6u32)).expect("mark");
        drop(store);
        assert!(matches!(
            Store::open(dir.path(), &OpenOptions::default()),
            Err(Error::StoreNeedsMigration { found: 2, .. })
        ));
        let report = Store::migrate(dir.path(), &OpenOptions::default()).expect("migrate");
        assert_eq!(report, MigrateReport { found: 2, steps: vec![3, 4] });
        let store = Store::open(dir.path(), &OpenOptions::default()).expect("opens");
        assert_eq!(store.site_shapes("example").expect("shapes"), (example.pages, example.shapes));
        assert_eq!(store.sites().expect("sites"), vec![("example".to_owned(), 4)]);
        let left: Vec<_> = store.site_generation_paths().expect("paths");
        assert_eq!(left.len(), 1, "the unnamed generation went: {left:?}");
        assert!(store.check_site_files().expect("check").is_empty());
    }

    /// Fetch `n`'s record of a made-up store.
    fn record(n: u64) -> records::FetchRecord {
        records::FetchRecord {
            raw: [n as u8; 32],
            raw_len: n,
            source: format!("day-{n}.txt"),
            url: None,
            site: "example".into(),
            fetched_at: i128::from(n),
            articles: Vec::new(),
            listing: false,
            charset: None,
        }
    }

    #[test]
    fn format_3_to_4_packs_the_fetches_and_finishes_when_run_again() {
        let (dir, opened) = marked(8);
        let store = opened.expect("opens");
        // Format 3: a record a fetch (0 to 69, and 75), stopped part way: 0 to 2 packed already.
        let fetches = &store.h().fetches;
        for n in (3..70).chain([75]) {
            fetches.insert(super::super::keys::fetch(n), records::encode_record(&record(n))).expect("plant");
        }
        let packed = records::encode_fetch_pack(&[record(0), record(1), record(2)]).expect("pack");
        fetches.insert(super::super::keys::fetch(0), packed).expect("plant");
        store.h().meta.insert(FORMAT_KEY, records::encode_record(&7u32)).expect("mark");
        drop(store);
        let report = Store::migrate(dir.path(), &OpenOptions::default()).expect("migrate");
        assert_eq!(report, MigrateReport { found: 3, steps: vec![4] });
        let store = Store::open(dir.path(), &OpenOptions::default()).expect("opens");
        let keys: Vec<u64> = store.fetch_packs().map(|p| p.expect("a pack").0).collect();
        assert_eq!(keys, [0, 3, 67, 75], "runs of consecutive fetches, at most 64 a pack");
        let all: Vec<(u64, records::FetchRecord)> = store.fetch_records().map(|r| r.expect("a record")).collect();
        let expected: Vec<(u64, records::FetchRecord)> = (0..70).chain([75]).map(|n| (n, record(n))).collect();
        assert_eq!(all, expected);
        assert_eq!(store.fetch(68).expect("fetch 68").source, "day-68.txt");
        assert!(store.fetch(72).is_err(), "no fetch 72");
    }

    #[test]
    fn format_3_to_4_in_small_batches_packs_every_fetch_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path(), &OpenOptions { create: true, ..OpenOptions::default() }).expect("create");
        let numbers: Vec<u64> = (0..150).chain(160..170).collect();
        for &n in &numbers {
            store.h().fetches.insert(super::super::keys::fetch(n), records::encode_record(&record(n))).expect("plant");
        }
        // About 10 records a batch: the tree is rewritten while it is iterated.
        let one = records::encode_record(&record(5)).len() + 8;
        pack_fetches_in_batches(&store, one * 10).expect("packs");
        let all: Vec<(u64, records::FetchRecord)> = store.fetch_records().map(|r| r.expect("a record")).collect();
        assert_eq!(all, numbers.iter().map(|&n| (n, record(n))).collect::<Vec<_>>());
        let packs: Vec<(u64, usize)> =
            store.fetch_packs().map(|p| p.map(|(f, r)| (f, r.len())).expect("pack")).collect();
        assert!(packs.iter().all(|(_, n)| *n <= super::super::fetches::PACK_FETCHES), "{packs:?}");
        // Run again: nothing left to pack, nothing changes.
        pack_fetches_in_batches(&store, one * 10).expect("again");
        let again: Vec<(u64, usize)> =
            store.fetch_packs().map(|p| p.map(|(f, r)| (f, r.len())).expect("pack")).collect();
        assert_eq!(packs, again);
    }
}
