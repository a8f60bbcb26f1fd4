//! Ingest: pages through the whole pipeline into the store, learning each site's chrome as
//! they go.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::identity::identities;
use crate::clean::{shape, Cleaned, SiteChrome};
use crate::date::parse_date_line;
use crate::id::ContentHash;
use crate::process::{derive_with, ProcessOptions};
use crate::segment::Article;
use crate::store::{ArticleOutcome, PageOutcome, SiteShapes, Store};
use crate::{Page, Result};

/// Running totals of an ingest, as the one-line summary prints them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Pages read and stored.
    pub pages: u64,
    /// Inputs that failed (nothing of them was stored).
    pub failures: u64,
    /// Articles seen for the first time.
    pub new: u64,
    /// Known articles whose text changed (each got a new revision).
    pub revised: u64,
    /// Known articles whose text had not changed.
    pub unchanged: u64,
    /// Pages that were stored fetches read again (counted in `pages` too; nothing was written).
    pub rereads: u64,
}

impl Summary {
    /// Adds one page's outcome.
    pub fn add(&mut self, outcome: &PageOutcome) {
        self.pages += 1;
        self.rereads += u64::from(outcome.reread);
        for a in &outcome.articles {
            match a {
                ArticleOutcome::New(_) => self.new += 1,
                ArticleOutcome::Revised(..) => self.revised += 1,
                ArticleOutcome::Unchanged(..) => self.unchanged += 1,
            }
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        let rereads = match self.rereads {
            0 => String::new(),
            n => format!(" ({n} stored before)"),
        };
        write!(
            f,
            "{} page{} read{rereads}: {} new article{}, {} revised, {} unchanged; {} failure{}",
            self.pages,
            plural(self.pages),
            self.new,
            plural(self.new),
            self.revised,
            self.unchanged,
            self.failures,
            plural(self.failures)
        )
    }
}

/// What [`Ingester::ingest_all`] reports as it goes.
#[derive(Debug)]
pub enum Event {
    /// A page was stored (or was a stored fetch read again), with what it did.
    Stored(Page, PageOutcome),
    /// An input failed: nothing of it was stored.
    Failed(crate::Error),
    /// Everything reported so far is durable.
    Durable,
}

/// Pages cleaned in parallel per batch. Fixed, so that results never depend on the thread count.
pub const BATCH_PAGES: usize = 32;

/// Sites whose knowledge is held in memory at most (in `ingest` and `clean --use-store`); past
/// this the cache starts afresh.
pub const CACHED_SITES: usize = 256;

/// A site's chrome as loaded, the article each shape was first seen in, whether any of it
/// changed since the last save, and where the run's pages of the site are.
struct SiteState {
    /// Shared with the pages being derived, which read it as it stood at their mark (see
    /// [`mark_of`]).
    chrome: Arc<SiteChrome>,
    owners: FxHashMap<u64, u64>,
    /// Shapes seen so far inside one article only (not counted), oldest first; at most
    /// [`OWNED_SHAPES`] of them are remembered.
    owned: VecDeque<u64>,
    /// A page was counted or a shape forgotten since the last save: the site's knowledge is
    /// written again (whole) at the next one.
    changed: bool,
    /// The site's pages given to `ingest_batch` since it was loaded, and stored
    /// since (whether stored, read again or failed).
    given: u64,
    stored: u64,
    /// The chrome as it stood each time `stored` reached a multiple of `BATCH_PAGES`: the
    /// marks a page still to be derived may need (at most three).
    marks: Vec<(u64, Arc<SiteChrome>)>,
}

/// The mark of a site's `k`th page of a run (from 0): how many of the site's pages before it
/// its chrome has learnt from when it is cleaned. The site's pages go in blocks of
/// `BATCH_PAGES`, each cleaned with what the blocks up to the one before the one before it
/// taught (the first two with what the store held when the run began): what a run of the
/// site's pages alone gives, where a batch is derived while the one before it is stored. So a
/// site's history does not depend on which other sites share its runs, nor on where its pages
/// fall among theirs: stores ingested by site, apart, hold what one store ingesting them all
/// would (`vellum merge`).
pub fn mark_of(k: u64) -> u64 {
    let block = BATCH_PAGES as u64;
    (k / block).saturating_sub(1) * block
}

/// How many shapes seen inside one article only a site remembers. Such shapes are mostly an
/// article's own lines, which never become chrome, and a site prints new ones every day: kept
/// forever, they were four in five of the store's shape records and grew without bound in
/// memory. A line that can become chrome must be on half the site's pages, so it turns up in a
/// second article long before 256 newer shapes push it out (at worst it then counts from its
/// third article instead of its second).
pub const OWNED_SHAPES: usize = 256;

/// Owner value of a shape seen outside articles, or in more than one article.
const SHARED: u64 = 0;

impl SiteState {
    fn new(chrome: SiteChrome, owners: FxHashMap<u64, u64>) -> Self {
        // Shapes a store holds of one article only (all of them, in a store written before the
        // bound), in shape order; past the bound they are forgotten at the next save.
        let mut owned: Vec<u64> = owners.keys().filter(|s| !chrome.shape_pages.contains_key(s)).copied().collect();
        owned.sort_unstable();
        let chrome = Arc::new(chrome);
        let marks = vec![(0, Arc::clone(&chrome))];
        let mut state = SiteState { chrome, owners, owned: owned.into(), changed: false, given: 0, stored: 0, marks };
        state.forget_oldest();
        state
    }

    /// Gives the site's next page: the chrome to clean it with, or its mark when the site's
    /// pages have not reached it yet (the batch being stored will reach it).
    fn give(&mut self) -> Result<Arc<SiteChrome>, u64> {
        let mark = mark_of(self.given);
        self.given += 1;
        // Later pages need this mark or later ones.
        self.marks.retain(|(m, _)| *m >= mark);
        self.chrome_at(mark).ok_or(mark)
    }

    /// The chrome at `mark`, if the site's pages have reached it.
    fn chrome_at(&self, mark: u64) -> Option<Arc<SiteChrome>> {
        self.marks.iter().find(|(m, _)| *m == mark).map(|(_, c)| Arc::clone(c))
    }

    /// Counts one of the site's pages as stored (after it was learnt from).
    fn stored_one(&mut self) {
        self.stored += 1;
        if self.stored % BATCH_PAGES as u64 == 0 {
            self.marks.push((self.stored, Arc::clone(&self.chrome)));
        }
    }

    /// The site's knowledge as its `sites` value holds it: every shape with an owner, in shape
    /// order (see [`Store::save_sites_shapes`]).
    fn stored(&self) -> SiteShapes {
        let counted = |shape| self.chrome.shape_pages.get(&shape).copied().unwrap_or(0);
        let mut shapes: Vec<(u64, u32, u64)> =
            self.owners.iter().map(|(&shape, &owner)| (shape, counted(shape), owner)).collect();
        shapes.sort_unstable_by_key(|&(shape, _, _)| shape);
        (self.chrome.pages, shapes)
    }

    /// Forgets the oldest shapes of one article only past [`OWNED_SHAPES`].
    fn forget_oldest(&mut self) {
        while self.owned.len() > OWNED_SHAPES {
            let Some(shape) = self.owned.pop_front() else { break };
            // A shape that has counted since is chrome knowledge, kept while it counts.
            if !self.chrome.shape_pages.contains_key(&shape) {
                self.owners.remove(&shape);
                self.changed = true;
            }
        }
    }

    /// Counts one page toward the site's chrome. A line's shape counts when the line stands
    /// outside the page's articles, or inside an article other than the one it was first seen
    /// in: a promotion appended to every article is chrome, but an article's own lines, seen
    /// again each day the article stays on the page, never are. Then, every
    /// [`crate::clean::FORGET_EVERY`] pages of the site, the counted shapes far from chrome
    /// that the page lacks are forgotten, with their first articles
    /// ([`SiteChrome::forget_rare`]).
    fn learn(&mut self, cleaned: &Cleaned, articles: &[(String, &Article)]) {
        // An article's paragraphs are mostly the page's own kept lines: shape each text once.
        let mut shapes: FxHashMap<&str, u64> = FxHashMap::default();
        if cleaned.shapes.len() == cleaned.lines.len() {
            // The cleaner shaped every line already.
            shapes.extend(cleaned.lines.iter().map(|l| l.text.as_str()).zip(cleaned.shapes.iter().copied()));
        }
        let mut shape_of = |text| *shapes.entry(text).or_insert_with(|| shape(text));
        let mut inside: FxHashMap<u64, u64> = FxHashMap::default();
        for (identity, article) in articles {
            let owner = owner_of(identity);
            let lines = article.title.iter().map(String::as_str).chain(article.body.split("\n\n"));
            for line in lines {
                let slot = inside.entry(shape_of(line.trim())).or_insert(owner);
                if *slot != owner {
                    *slot = SHARED;
                }
            }
        }
        // The lines the cleaner read (for HTML, the extracted text, not the markup), each
        // shape once; date lines are structure, never chrome, though every article prints one.
        let counted = |l: &&crate::clean::Line| !l.text.is_empty() && parse_date_line(&l.text, None).is_none();
        let shapes: BTreeSet<u64> = match cleaned.shapes.len() == cleaned.lines.len() {
            true => cleaned.lines.iter().zip(&cleaned.shapes).filter(|(l, _)| counted(l)).map(|(_, &s)| s).collect(),
            false => cleaned.lines.iter().filter(counted).map(|l| shape_of(&l.text)).collect(),
        };
        let chrome = Arc::make_mut(&mut self.chrome);
        chrome.pages = chrome.pages.saturating_add(1);
        self.changed = true;
        for &s in &shapes {
            let counts = match inside.get(&s) {
                None | Some(&SHARED) => true,
                Some(&owner) => match self.owners.get(&s) {
                    None => {
                        self.owners.insert(s, owner);
                        self.owned.push_back(s);
                        false
                    }
                    Some(&first) => first != owner,
                },
            };
            if counts {
                let n = chrome.shape_pages.entry(s).or_default();
                *n = n.saturating_add(1);
                self.owners.entry(s).or_insert(SHARED);
            }
        }
        // Its first article goes too: a remembered shape is either counted or of one article
        // only (in `owned`), as a stored value tells them apart, by the count alone.
        let gone = chrome.forget_rare(&shapes);
        if !gone.is_empty() {
            for s in &gone {
                self.owners.remove(s);
            }
            self.owned.retain(|s| gone.binary_search(s).is_err());
        }
        self.forget_oldest();
    }
}

/// A non-zero 64-bit hash of an article's identity.
fn owner_of(identity: &str) -> u64 {
    let mut first = [0u8; 8];
    first.copy_from_slice(&blake3::hash(identity.as_bytes()).as_bytes()[..8]);
    u64::from_le_bytes(first).max(1)
}

/// Ingests pages into a store, each page written whole or not at all, using and updating what the store
/// knows of each site's chrome. Call [`Ingester::flush`] to make the work durable.
pub struct Ingester<'s> {
    store: &'s Store,
    options: Arc<ProcessOptions>,
    sites: HashMap<String, SiteState>,
    /// The batch being derived on the thread pool, not stored yet (see [`Pending`]).
    pending: Option<Pending>,
    /// The raw hashes of that batch's pages.
    in_flight: HashSet<ContentHash>,
}

/// A page of a batch with its place in it and what was derived from it, or the stored fetch it
/// is (a page read again, not derived: see [`Store::stored_fetch`]).
type DerivedPage = (usize, Page, Result<Derivation>);

/// A batch on the thread pool: each page derived is sent on its own as soon as it is ready, so
/// that storing the batch's first pages (in order) overlaps deriving its later ones. Pages are
/// derived in the order given (the pool takes them first in, first out), some of them later
/// when they waited for the batch before to be stored (see [`mark_of`]).
struct Pending {
    pages: Receiver<DerivedPage>,
    /// The pages of the batch.
    count: usize,
}

/// A page of a batch to derive: its place, the page, the stored fetch it is if found before,
/// whether to look for it again when stored, and the chrome to clean it with.
type ToDerive = (usize, Page, Result<Option<PageOutcome>>, bool, Option<Arc<SiteChrome>>);

/// What became of one page of a batch before it is stored.
enum Derivation {
    /// Cleaned and split; `again`: its raw bytes are those of a page not stored yet when it was
    /// looked for (earlier in its batch, or in the batch before), so it is looked for again
    /// when it is stored.
    Derived { derived: crate::process::Derived, again: bool },
    /// A stored fetch read again, found before deriving (nothing more to do).
    Stored(PageOutcome),
}

/// What storing a batch gives back: each page with its outcome, or its error, in order.
type BatchResults = Vec<Result<(Page, PageOutcome)>>;

impl<'s> Ingester<'s> {
    /// An ingester with the store's user rules added to `options`.
    pub fn new(store: &'s Store, mut options: ProcessOptions) -> Result<Self> {
        let rules = super::rules(store)?;
        options.rules.drop.extend(rules.drop);
        options.rules.keep.extend(rules.keep);
        Ok(Ingester {
            store,
            options: Arc::new(options),
            sites: HashMap::new(),
            pending: None,
            in_flight: HashSet::new(),
        })
    }

    /// Starts cleaning and splitting a batch of pages in parallel on `pool`, then stores the
    /// batch given to the call before, in order, each page atomically (see `store_batch`), while this
    /// one is derived; returns one result per page of that earlier batch, in order (none on the
    /// first call). [`Ingester::finish_batches`] stores the last batch. Each page is cleaned with
    /// its site's chrome as it stood at the page's mark ([`mark_of`]), a count of the site's
    /// pages of this run before it: so the result depends neither on the number of threads or
    /// on how long anything takes, nor on the other sites' pages given with it. A page whose
    /// mark the site's pages have not reached when its batch is given (a site whose pages
    /// straddle the batches) is derived once the batch before is stored. Callers use batches of
    /// a fixed size (`BATCH_PAGES`).
    fn ingest_batch(&mut self, pages: Vec<Page>, pool: &rayon::ThreadPool) -> Result<BatchResults> {
        let result = self.ingest_batch_on(pages, pool);
        if result.is_err() {
            // The run stops here: the batches on the pool are let go (their pages are not
            // stored, and what their jobs send goes nowhere), so the ingester holds no batch
            // part of which was never sent.
            self.pending = None;
            self.in_flight.clear();
        }
        result
    }

    /// [`Ingester::ingest_batch`] until an error.
    fn ingest_batch_on(&mut self, pages: Vec<Page>, pool: &rayon::ThreadPool) -> Result<BatchResults> {
        // Pages read again are known from the store without deriving them: an ingest over a
        // folder that keeps every day's scrapes would clean every old file again on each run.
        let mut batch_raw = HashSet::new();
        let mut waiting: Vec<(ToDerive, u64)> = Vec::new();
        let (sender, receiver) = std::sync::mpsc::channel();
        let count = pages.len();
        // Each page ready is on the pool at once, while the next one's site is loaded.
        for (place, page) in pages.into_iter().enumerate() {
            self.load_site(&page.site)?;
            let raw = ContentHash::of(&page.raw);
            let again = self.in_flight.contains(&raw) | !batch_raw.insert(raw);
            let stored = self.store.stored_fetch_of(&page, raw);
            match self.sites.get_mut(&page.site).map(SiteState::give) {
                Some(Err(mark)) => waiting.push(((place, page, stored, again, None), mark)),
                Some(Ok(chrome)) => self.derive_one((place, page, stored, again, Some(chrome)), pool, &sender),
                None => self.derive_one((place, page, stored, again, None), pool, &sender),
            }
        }
        self.in_flight = batch_raw;
        let earlier = self.pending.replace(Pending { pages: receiver, count });
        let results = self.store_batch(earlier)?;
        if !waiting.is_empty() {
            let mut late = Vec::with_capacity(waiting.len());
            for ((place, page, stored, again, _), mark) in waiting {
                // Reached by now, unless the site's knowledge was let go and loaded again
                // meanwhile (more than [`CACHED_SITES`] sites in the run): then as it stands.
                self.load_site(&page.site)?;
                let chrome =
                    self.sites.get(&page.site).map(|s| s.chrome_at(mark).unwrap_or_else(|| Arc::clone(&s.chrome)));
                late.push((place, page, stored, again, chrome));
            }
            for page in late {
                self.derive_one(page, pool, &sender);
            }
        }
        // Every job of the batch holds its own sender by now: with this one gone, a page that
        // is never sent ends the wait in `store_batch` with an error, not a hang.
        drop(sender);
        Ok(results)
    }

    /// Cleans and splits a page on `pool` with its chrome, sending it on `sender` once derived.
    fn derive_one(&self, page: ToDerive, pool: &rayon::ThreadPool, sender: &Sender<DerivedPage>) {
        let (place, page, stored, again, chrome) = page;
        let options = Arc::clone(&self.options);
        let sender = sender.clone();
        pool.spawn_fifo(move || {
            let derived = match stored {
                Err(e) => Err(e),
                Ok(Some(outcome)) => Ok(Derivation::Stored(outcome)),
                Ok(None) => derive_with(&page, &options, chrome.as_deref())
                    .map(|derived| Derivation::Derived { derived, again }),
            };
            // The receiver is gone only when storing stopped at an error.
            let _ = sender.send((place, page, derived));
        });
    }

    /// Stores the batch still being derived, if any (see `ingest_batch`).
    fn finish_batches(&mut self) -> Result<BatchResults> {
        self.in_flight.clear();
        let last = self.pending.take();
        self.store_batch(last)
    }

    /// Stores a batch's pages in order, as they and those before them are derived: new fetches
    /// of different sites together, in one transaction (see [`super::store_pages`]), a
    /// group ending before a page of a site it holds (so each page is planned against its
    /// site's records as the pages before it left them, and learnt from in order).
    fn store_batch(&mut self, pending: Option<Pending>) -> Result<BatchResults> {
        let Some(Pending { pages, count }) = pending else { return Ok(Vec::new()) };
        let mut early: BTreeMap<usize, (Page, Result<Derivation>)> = BTreeMap::new();
        let mut out: Vec<Option<Result<(Page, PageOutcome)>>> = (0..count).map(|_| None).collect();
        let mut group: Vec<(usize, Page, crate::process::Derived)> = Vec::new();
        for next in 0..count {
            let (page, derived) = loop {
                if let Some(found) = early.remove(&next) {
                    break found;
                }
                let (place, page, derived) =
                    pages.recv().map_err(|_| crate::Error::Internal("a batch's derivation stopped".into()))?;
                early.insert(place, (page, derived));
            };
            let evicts = !self.sites.contains_key(&page.site) && self.sites.len() >= CACHED_SITES;
            if evicts || group.iter().any(|(_, p, _)| p.site == page.site) {
                self.store_group(&mut group, &mut out);
            }
            // A site's knowledge may have been saved and let go since the batch began.
            self.load_site(&page.site)?;
            let result = match derived {
                Ok(Derivation::Derived { derived, again }) => {
                    match if again { self.store.stored_fetch(&page)? } else { None } {
                        Some(outcome) => Ok(outcome),
                        None => {
                            group.push((next, page, derived));
                            continue;
                        }
                    }
                }
                Ok(Derivation::Stored(outcome)) => Ok(outcome),
                Err(e) => Err(e),
            };
            if let Some(state) = self.sites.get_mut(&page.site) {
                state.stored_one();
            }
            out[next] = Some(result.map(|outcome| (page, outcome)));
        }
        self.store_group(&mut group, &mut out);
        Ok(out
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err(crate::Error::Internal("a page of a batch was not stored".into()))))
            .collect())
    }

    /// Stores a group of new fetches of different sites (see [`Ingester::store_batch`]), puts
    /// each page's result in its place in `out`, and learns from each page stored, in order.
    fn store_group(
        &mut self,
        group: &mut Vec<(usize, Page, crate::process::Derived)>,
        out: &mut [Option<Result<(Page, PageOutcome)>>],
    ) {
        if group.is_empty() {
            return;
        }
        let to_store: Vec<super::ToStore<'_>> = group
            .iter()
            .map(|(_, page, derived)| super::ToStore {
                page,
                articles: self.with_identities(page, derived),
                listing: derived.listing,
            })
            .collect();
        let results = super::store_pages(self.store, &to_store);
        let mut outcomes = Vec::with_capacity(results.len());
        for ((_, page, derived), (stored, result)) in group.iter().zip(to_store.iter().zip(results)) {
            let result = result.map(|mut outcome| {
                outcome.warnings.clone_from(&derived.warnings);
                if let Some(state) = self.sites.get_mut(&page.site) {
                    crate::timings::time(crate::timings::Stage::Learn, || {
                        state.learn(&derived.cleaned, &stored.articles);
                    });
                }
                outcome
            });
            if let Some(state) = self.sites.get_mut(&page.site) {
                state.stored_one();
            }
            outcomes.push(result);
        }
        drop(to_store);
        for ((place, page, _), result) in group.drain(..).zip(outcomes) {
            out[place] = Some(result.map(|outcome| (page, outcome)));
        }
    }

    /// Loads a site's knowledge into memory, if it is not there yet.
    fn load_site(&mut self, site: &str) -> Result<()> {
        if self.sites.contains_key(site) {
            return Ok(());
        }
        if self.sites.len() >= CACHED_SITES {
            self.save_sites()?;
            self.sites.clear();
        }
        let (chrome, owners) = super::chrome_of(self.store.site_shapes(site)?);
        self.sites.insert(site.to_owned(), SiteState::new(chrome, owners));
        Ok(())
    }

    /// Cleans, splits and stores one page through [`Ingester::ingest_all`] (the path `vellum
    /// ingest` takes), atomically; the store is untouched when this fails. The page's line
    /// shapes then count toward its site's chrome. A page read again (the same bytes, fetch
    /// time, source, URL and site as a stored fetch) is that fetch: nothing is stored or learnt
    /// (see `Store::stored_fetch`). Durable when it returns, as every run of `ingest_all` is.
    pub fn ingest(&mut self, page: &Page, pool: &rayon::ThreadPool) -> Result<PageOutcome> {
        let mut outcome = None;
        let mut failed = None;
        self.ingest_all(std::iter::once(Ok(page.clone())), pool, u64::MAX, &mut |event| match event {
            Event::Stored(_, o) => outcome = Some(o),
            Event::Failed(e) => failed = Some(e),
            Event::Durable => {}
        })?;
        match (outcome, failed) {
            (Some(outcome), _) => Ok(outcome),
            (None, Some(e)) => Err(e),
            (None, None) => Err(crate::Error::Internal("a page given to ingest gave no outcome".into())),
        }
    }

    /// Runs pages through the whole pipeline, in order: batches of `BATCH_PAGES` cleaned and
    /// split on `pool` while the batch before is stored (`ingest_batch`), each page
    /// stored atomically, its chrome learnt; every `flush_every` stored pages (and at the end)
    /// everything is made durable. `on` hears of each page stored or read again, each input that
    /// failed (nothing of it was stored; the others still go in), and each flush. A failure of
    /// the store itself stops the run with an error. Returns the run's totals.
    pub fn ingest_all(
        &mut self,
        pages: impl Iterator<Item = Result<Page>>,
        pool: &rayon::ThreadPool,
        flush_every: u64,
        on: &mut dyn FnMut(Event),
    ) -> Result<Summary> {
        let mut summary = Summary::default();
        let mut since_flush = 0u64;
        let mut pages = pages.peekable();
        loop {
            let mut batch: Vec<Page> = Vec::with_capacity(BATCH_PAGES);
            while batch.len() < BATCH_PAGES {
                match crate::timings::time(crate::timings::Stage::Read, || pages.next()) {
                    Some(Ok(page)) => batch.push(page),
                    Some(Err(e)) => {
                        summary.failures += 1;
                        on(Event::Failed(e));
                    }
                    None => break,
                }
            }
            let last = batch.is_empty();
            let results = if last { self.finish_batches()? } else { self.ingest_batch(batch, pool)? };
            for result in results {
                match result {
                    Ok((page, outcome)) => {
                        summary.add(&outcome);
                        since_flush += 1;
                        on(Event::Stored(page, outcome));
                        if since_flush >= flush_every {
                            self.flush()?;
                            since_flush = 0;
                            on(Event::Durable);
                        }
                    }
                    Err(e @ (crate::Error::Storage { .. } | crate::Error::Corrupt { .. })) => return Err(e),
                    Err(e) => {
                        summary.failures += 1;
                        on(Event::Failed(e));
                    }
                }
            }
            if last {
                break;
            }
        }
        self.flush()?;
        on(Event::Durable);
        Ok(summary)
    }

    /// Stores stored fetch `again` derived again (see [`Ingester::reprocess`]): its line shapes
    /// do not count toward its site's chrome again.
    fn store_again(&mut self, page: &Page, again: u64) -> Result<PageOutcome> {
        self.load_site(&page.site)?;
        let chrome = self.sites.get(&page.site).map(|s| &*s.chrome);
        let derived = derive_with(page, &self.options, chrome)?;
        let articles = self.with_identities(page, &derived);
        let mut outcome = super::store_page(self.store, page, &articles, derived.listing, Some(again))?;
        outcome.warnings.clone_from(&derived.warnings);
        Ok(outcome)
    }

    /// The articles derived from a page, each with its identity (see [`identities`]).
    fn with_identities<'d>(&self, page: &Page, derived: &'d crate::process::Derived) -> Vec<(String, &'d Article)> {
        identities(page, &derived.articles, self.options.split).into_iter().zip(&derived.articles).collect()
    }

    /// Derives articles again from every stored raw page, in fetch-time order, with the current
    /// cleaner, rules and site knowledge, optionally for one site only. Each page re-derived is
    /// its stored fetch (no fetch is added): its articles' sightings move to the texts
    /// derived now, a text no page shows any more leaves the history, and articles found for
    /// the first time are new. `progress` is called after each page.
    pub fn reprocess(&mut self, site: Option<&str>, progress: &mut dyn FnMut(&Page, &PageOutcome)) -> Result<Summary> {
        // Every stored page, in fetch-time order: each fetch is derived again, so an article's
        // whole history (not only its newest text) is what the cleaner now makes of its pages.
        let mut order: Vec<(time::OffsetDateTime, u64)> = Vec::new();
        for fetch in self.store.fetches() {
            let fetch = fetch?;
            if site.is_none_or(|s| s == fetch.site) {
                order.push((fetch.fetched_at, fetch.seq));
            }
        }
        order.sort_unstable();
        let mut summary = Summary::default();
        for (_, seq) in order {
            let page = self.store.stored_page(seq)?;
            // The page is not counted toward its site's chrome again.
            let outcome = self.store_again(&page, seq)?;
            summary.add(&outcome);
            progress(&page, &outcome);
        }
        Ok(summary)
    }

    /// Saves the sites' learned chrome and makes everything durable.
    pub fn flush(&mut self) -> Result<()> {
        // The pages stored are made durable even when the sites' chrome could not be saved.
        let saved = crate::timings::time(crate::timings::Stage::Learn, || self.save_sites());
        self.store.flush()?;
        saved
    }

    /// Writes each changed site's knowledge, whole, as its file (see
    /// [`Store::save_sites_shapes`]).
    fn save_sites(&mut self) -> Result<()> {
        let mut changed: Vec<(&String, &SiteState)> = self.sites.iter().filter(|(_, s)| s.changed).collect();
        changed.sort_unstable_by_key(|(name, _)| *name);
        let sites = changed.into_iter().map(|(name, state)| (name.as_str(), state.stored())).collect();
        self.store.save_sites_shapes(sites)?;
        for state in self.sites.values_mut() {
            state.changed = false;
        }
        Ok(())
    }
}

/// Compacts a store an ingest has just made durable, when it wants it
/// (`Store::wants_compaction`): the ingest's handle is closed first (its in-memory indexes
/// and caches would add a third to the compaction's peak memory at 1 GB) and `reopen` opens
/// the store afresh. A compaction that fails leaves the store as it was.
pub fn compact_after<E: From<crate::Error>>(
    store: Store,
    reopen: impl FnOnce() -> std::result::Result<Store, E>,
) -> std::result::Result<Option<crate::store::CompactReport>, E> {
    if !store.wants_compaction()? {
        return Ok(None);
    }
    drop(store);
    let store = reopen()?;
    Ok(Some(store.compact()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sites_pages_are_cleaned_with_its_chrome_two_blocks_back() {
        // A run of the site's pages alone, in batches of 32: batch n with what batches up to
        // n - 2 taught.
        for k in 0..64 {
            assert_eq!(mark_of(k), 0);
        }
        assert_eq!((mark_of(64), mark_of(95), mark_of(96)), (32, 32, 64));
        // Never past the site's pages a batch back (those the batch before may still hold),
        // and never going back.
        for k in 1..1000 {
            assert!(mark_of(k) <= k.saturating_sub(BATCH_PAGES as u64) && mark_of(k) >= mark_of(k - 1));
        }
    }

    #[test]
    fn shapes_of_one_article_are_remembered_up_to_the_bound_and_counted_ones_kept() {
        let mut chrome = SiteChrome::default();
        chrome.shape_pages.insert(7, 3);
        // A store written before the bound: 300 shapes of one article, and one counted shape.
        let owners: FxHashMap<u64, u64> = (0..300u64).map(|s| (s, 99)).chain([(7, 99)]).collect();
        let mut state = SiteState::new(chrome, owners);
        assert_eq!(state.owners.len(), OWNED_SHAPES + 1, "the bound, and the counted shape");
        assert!(state.owners.contains_key(&7), "the bound leaves counted shapes");
        // The lowest shapes went first (shape order for a loaded store); the site is written
        // again at the next save, without them.
        assert!(!state.owners.contains_key(&0) && state.owners.contains_key(&299));
        assert!(state.changed, "forgetting is a change to save");
        // A forgotten shape seen again is remembered again.
        state.owners.insert(0, 98);
        state.owned.push_back(0);
        state.forget_oldest();
        assert!(state.owners.contains_key(&0));
        assert_eq!(state.owned.len(), OWNED_SHAPES);
    }

    /// Day `k` of a site: a menu; from day 40 on a new footer; teasers of the day's story and
    /// the two before; and the day's story, whose last paragraph is a promotion every story
    /// carries.
    fn day(k: u32) -> (String, Vec<(String, Article)>) {
        let word = crate::clean::test_word;
        let story = |k: u32| format!("The {} report", word(k));
        let body = format!(
            "Inspectors found the {} works ahead of plan this week.\n\nListen to our harbour hour every Friday.",
            word(k)
        );
        let footer = if k >= 40 { "Our new footer\n" } else { "" };
        let teasers: String = (k.saturating_sub(2)..=k).map(|t| format!("Teaser: {}\n", story(t))).collect();
        let text = format!("Menu\n{teasers}{}\n{body}\n{footer}", story(k));
        let article = Article { title: Some(story(k)), date: None, body };
        (text, vec![(format!("site\0{}", story(k)), article)])
    }

    /// Counts a day of the site into `state`.
    fn learn_day(state: &mut SiteState, k: u32) {
        let (text, articles) = day(k);
        let cleaned = crate::clean::clean(&text, None);
        let articles: Vec<(String, &Article)> = articles.iter().map(|(i, a)| (i.clone(), a)).collect();
        state.learn(&cleaned, &articles);
    }

    #[test]
    fn forgetting_follows_the_sites_pages_whatever_the_runs() {
        let mut one_run = SiteState::new(SiteChrome::default(), FxHashMap::default());
        let mut saved = SiteShapes::default();
        for k in 0..100 {
            learn_day(&mut one_run, k);
            // A run per page: loaded from what the store held, then saved.
            let (chrome, owners) = crate::archive::chrome_of(saved);
            let mut run = SiteState::new(chrome, owners);
            learn_day(&mut run, k);
            saved = run.stored();
            assert_eq!(saved, one_run.stored(), "day {k}");
        }
        let chrome = &one_run.chrome;
        let teaser = |k| shape(&format!("Teaser: The {} report", crate::clean::test_word(k)));
        assert_eq!(chrome.shape_pages.get(&teaser(50)), None, "an old teaser is forgotten");
        assert_eq!(chrome.shape_pages.get(&teaser(98)), Some(&2), "a teaser still printed is kept");
        assert!(chrome.is_chrome(shape("Menu")) && chrome.is_chrome(shape("Listen to our harbour hour every Friday.")));
        assert!(chrome.is_chrome(shape("Our new footer")), "a line printed from day 40 on");
        let counted = chrome.shape_pages.len();
        assert!(
            counted <= 6 + crate::clean::FORGET_EVERY as usize,
            "{counted} counted shapes: the recent teasers, and chrome"
        );
    }
}
