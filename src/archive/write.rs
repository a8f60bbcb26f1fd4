//! Storing a page: which stored article each of its articles is, and where each text goes in
//! that article's history. Everything is read and decided under the store's [`Writer`] before
//! the transaction, which only writes what was decided ([`PageWrite`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use super::history::{self, Place, Run};
use super::identity::{self, Taken};
use super::printed::{same_as_printed, Printed, Text};
use super::sketch::{jaccard, part_of, shingles, title_fits, Sketch, PART_OF, SAME_ARTICLE};
use crate::id::trivial_form;
use crate::id::{ArticleId, ContentHash, RevisionNo};
use crate::segment::Article;
use crate::store::{
    ArticleOutcome, ArticleRecord, ArticleWrite, PageOutcome, PageWrite, RevisionRecord, RevisionWrite, Store, Writer,
    Written,
};
use crate::trivial::is_trivial_change;
use crate::{Page, Result};

/// Candidates checked against their text per new article, at most: those sharing the most
/// bands first (ties by id), so a crowded bucket cannot make a lookup expensive.
pub const MAX_CANDIDATES: usize = 8;

/// Stores a page and the articles derived from it, in one transaction: the raw page
/// (content-addressed), each article's text (content-addressed), a new revision for each
/// article whose text changed, and the fetch that saw them. Each article comes with its
/// identity (see [`identity::identities`]). With `again`, the page is stored fetch `again`
/// derived again: no fetch is added; the fetch's record lists the articles given, at the
/// revisions they are now at, and keeps listing those it showed that are not given. Not
/// durable until [`Store::flush`].
pub fn store_page(
    store: &Store,
    page: &Page,
    articles: &[(String, &Article)],
    listing: bool,
    again: Option<u64>,
) -> Result<PageOutcome> {
    let writer = store.writer(super::index::RULE)?;
    let write =
        crate::timings::time(crate::timings::Stage::Store, || plan(&writer, page, articles, listing, again, 0))?;
    writer.write_page(write)
}

/// A new fetch to store with others (see [`store_pages`]).
pub struct ToStore<'a> {
    /// The page.
    pub page: &'a Page,
    /// Its articles, each with its identity.
    pub articles: Vec<(String, &'a Article)>,
    /// Whether the page is a listing.
    pub listing: bool,
}

/// Stores new fetches of pages of different sites as [`store_page`] stores each, one result
/// per page in order, in one transaction: every page is planned against the store as it
/// stands, which is what it would be planned against alone, since no page's writes bear on
/// another site's articles. One transaction for many pages spares the storage engine a log
/// write per page. A page whose planning fails fails alone, as it would by itself. When the
/// group cannot be written together (it is not independent after all, or its transaction
/// fails, say on one page's damaged record), nothing of it was written, and each page is
/// stored by itself, as [`store_page`] does; when the storage itself failed, every page
/// not yet stored fails with it.
pub fn store_pages(store: &Store, pages: &[ToStore<'_>]) -> Vec<Result<PageOutcome>> {
    let alone = |p: &ToStore<'_>| store_page(store, p.page, &p.articles, p.listing, None);
    let Ok(writer) = store.writer(super::index::RULE) else { return pages.iter().map(alone).collect() };
    let mut results: Vec<Option<Result<PageOutcome>>> = pages.iter().map(|_| None).collect();
    let mut writes = Vec::with_capacity(pages.len());
    let mut planned = Vec::with_capacity(pages.len());
    for (i, p) in pages.iter().enumerate() {
        let pending = writes.len() as u64;
        let plan = || plan(&writer, p.page, &p.articles, p.listing, None, pending);
        match crate::timings::time(crate::timings::Stage::Store, plan) {
            Ok(write) => {
                writes.push(write);
                planned.push(i);
            }
            Err(e) => results[i] = Some(Err(e)),
        }
    }
    let written = match writes.is_empty() {
        true => Ok(Written::Committed(Vec::new())),
        false => writer.write_pages(writes),
    };
    drop(writer);
    match written {
        Ok(Written::Committed(outcomes)) => {
            for (i, outcome) in planned.into_iter().zip(outcomes) {
                results[i] = Some(outcome);
            }
        }
        Err(e @ crate::Error::Storage { .. }) => {
            let failed = e.to_string();
            let mut first = Some(e);
            for i in planned {
                let e = first.take().unwrap_or_else(|| crate::Error::Storage {
                    path: store.path().to_owned(),
                    source: failed.clone().into(),
                });
                results[i] = Some(Err(e));
            }
        }
        Ok(Written::Refused) | Err(_) => {
            for i in planned {
                results[i] = Some(alone(&pages[i]));
            }
        }
    }
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(crate::Error::Internal("a page gave no outcome".into()))))
        .collect()
}

/// An article made ready for planning.
struct Prepared<'a> {
    identity: String,
    article: &'a Article,
    hash: ContentHash,
    /// The body's sketch, for an article long enough to have one: made when first needed (a
    /// new article, a new revision), never for the unchanged majority.
    sketch: std::cell::OnceCell<Option<Sketch>>,
}

impl Prepared<'_> {
    fn sketch(&self) -> Option<&Sketch> {
        let article = self.article;
        self.sketch.get_or_init(|| Sketch::of(&article.body)).as_ref()
    }
}

/// The stored article a page's article is (or `None`: a new article).
struct Target {
    id: ArticleId,
    existing: Option<ArticleRecord>,
}

/// Decides everything a page's write holds; `pending` new fetches are planned before it in
/// its transaction.
fn plan<'p>(
    writer: &Writer<'_>,
    page: &'p Page,
    articles: &[(String, &Article)],
    listing: bool,
    again: Option<u64>,
    pending: u64,
) -> Result<PageWrite<'p>> {
    let seq = match again {
        Some(seq) => seq,
        None => writer.next_fetch()? + pending,
    };
    let seen = crate::store::nanos(page.fetched_at);
    let prepared: Vec<Prepared<'_>> = identity::unique(articles.iter().map(|(identity, _)| identity.clone()))
        .into_iter()
        .zip(articles)
        .map(|(identity, &(_, article))| Prepared {
            identity,
            article,
            hash: ContentHash::of(article.body.as_bytes()),
            sketch: std::cell::OnceCell::new(),
        })
        .collect();
    let targets = resolve(writer, &page.site, &prepared)?;
    // A fetch derived again: the stored revision it named of each article.
    let named: HashMap<ArticleId, u32> = match again {
        Some(seq) => writer.fetch_articles(seq)?.into_iter().collect(),
        None => HashMap::new(),
    };
    let mut taken = Taken::default();
    let mut writes = Vec::with_capacity(prepared.len());
    let printed = Pages::default();
    for (p, target) in prepared.iter().zip(targets) {
        let previous = named.get(&target.id).copied();
        let at = Sighting { page, seq, seen, previous, again: again.is_some(), printed: &printed };
        writes.push(plan_article(writer, &mut taken, &at, p, target)?);
    }
    Ok(PageWrite { page, again, fetch: seq, listing, articles: writes })
}

/// The stored article each of a page's articles is: by identity (its headline), else by an
/// alias (a headline some stored article carried after an edit) whose article's latest text
/// the page's is mostly the same as (or either is too short to tell), else by a body that is
/// mostly the same as a stored article's of the same site: a titled article's under a
/// headline that fits it (an edited headline), an untitled one's if it is untitled too (a
/// page saved under another name, such as each day's date), else by an alias whose
/// article's text differs. No stored article is claimed twice by one page; among body
/// matches the most similar pairs go first (ties in page order, then by id), so the outcome
/// depends only on the store and the page.
fn resolve(writer: &Writer<'_>, site: &str, prepared: &[Prepared<'_>]) -> Result<Vec<Target>> {
    let mut targets = Vec::with_capacity(prepared.len());
    let mut claimed = HashSet::new();
    for p in prepared {
        let (id, existing) = identity::stored(writer, &Taken::default(), &p.identity)?;
        if existing.is_some() {
            claimed.insert(id);
        }
        targets.push(Target { id, existing });
    }
    // Aliases whose article's text is not the page's: taken only if the body match finds none.
    let mut doubtful: Vec<(usize, ArticleId, ArticleRecord)> = Vec::new();
    for (i, (p, target)) in prepared.iter().zip(targets.iter_mut()).enumerate() {
        if target.existing.is_some() || p.article.title.is_none() {
            continue;
        }
        if let Some(id) = writer.alias(&p.identity)?.filter(|id| !claimed.contains(id)) {
            if let Some(record) = writer.article_record(id)? {
                if !alias_text_fits(writer, p, id, &record)? {
                    doubtful.push((i, id, record));
                    continue;
                }
                *target = Target { id, existing: Some(record) };
                claimed.insert(id);
            }
        }
    }
    let mut matches: Vec<(f64, usize, ArticleId, ArticleRecord)> = Vec::new();
    for (i, p) in prepared.iter().enumerate() {
        if targets[i].existing.is_some() {
            continue;
        }
        let Some(sketch) = p.sketch() else { continue };
        for id in candidates(writer, site, sketch, &claimed)? {
            let Some(record) = writer.article_record(id)? else { continue };
            if record.title.is_some() != p.article.title.is_some() {
                continue;
            }
            let Some(stored) = latest_shingles(writer, id, record.latest)? else { continue };
            // An empty list (a text too short for a sketch) is similarity 0.
            let similarity = jaccard(&sketch.shingles, &stored);
            if similarity < SAME_ARTICLE {
                continue;
            }
            let fits = match p.article.title.as_deref() {
                Some(_) if part_of(&stored, &sketch.shingles) >= PART_OF => true,
                Some(title) => title_fits(title, &p.article.body, &writer.revision_text(id, record.latest)?),
                None => true,
            };
            if fits {
                matches.push((similarity, i, id, record));
            }
        }
    }
    matches.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    // Body matches first, then the doubtful aliases for pages none of them took.
    for (i, id, record) in matches.into_iter().map(|(_, i, id, record)| (i, id, record)).chain(doubtful) {
        if targets[i].existing.is_none() && claimed.insert(id) {
            targets[i] = Target { id, existing: Some(record) };
        }
    }
    Ok(targets)
}

/// Whether a page's text may be the article an alias names, as far as the texts tell: the
/// same as its latest text, or one of the two too short for a sketch, or their Jaccard
/// similarity at least [`SAME_ARTICLE`]. Two articles can carry one alias (a page printed one
/// under its own headline and the other under the alias), and the alias names only the lower
/// id, which says nothing about which of them the page's text is.
fn alias_text_fits(writer: &Writer<'_>, p: &Prepared<'_>, id: ArticleId, record: &ArticleRecord) -> Result<bool> {
    match writer.revision_hash(id, record.latest) {
        Ok(hash) if hash == p.hash => return Ok(true),
        Ok(_) => {}
        // A latest text that cannot be read tells nothing: the alias stands.
        Err(crate::Error::Corrupt { .. }) => return Ok(true),
        Err(e) => return Err(e),
    }
    let Some(sketch) = p.sketch() else { return Ok(true) };
    let Some(stored) = latest_shingles(writer, id, record.latest)? else { return Ok(true) };
    Ok(stored.is_empty() || jaccard(&sketch.shingles, &stored) >= SAME_ARTICLE)
}

/// The stored articles of `site` sharing a band with `sketch`, not in `exclude`: those sharing
/// the most bands first (ties by id), at most [`MAX_CANDIDATES`].
fn candidates(
    writer: &Writer<'_>,
    site: &str,
    sketch: &Sketch,
    exclude: &HashSet<ArticleId>,
) -> Result<Vec<ArticleId>> {
    let mut hits: BTreeMap<ArticleId, usize> = BTreeMap::new();
    for members in writer.band_members(site, &sketch.buckets)? {
        for id in members.into_iter().filter(|id| !exclude.contains(id)) {
            *hits.entry(id).or_default() += 1;
        }
    }
    let mut ranked: Vec<(usize, ArticleId)> = hits.into_iter().map(|(id, n)| (n, id)).collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(ranked.into_iter().take(MAX_CANDIDATES).map(|(_, id)| id).collect())
}

/// The shingles of stored texts checked as candidates lately, by the text's hash: a text checked
/// again (a site's articles with common phrases share band buckets with many others by chance,
/// and are checked again and again) is neither decoded nor shingled again, and a hash names one
/// text in any store. Bounded in bytes; emptied when full.
#[derive(Default)]
struct ShingleCache {
    texts: HashMap<ContentHash, Arc<Vec<u64>>>,
    bytes: usize,
}

/// The most bytes of shingles [`ShingleCache`] holds (a 4 KB article has about 600).
const SHINGLE_CACHE_BYTES: usize = 4 << 20;

fn shingle_cache() -> &'static Mutex<ShingleCache> {
    static CACHE: OnceLock<Mutex<ShingleCache>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

/// The shingles of revision `latest` of a stored article (empty when its text is too short for
/// a sketch); `None` when the text is missing.
fn latest_shingles(writer: &Writer<'_>, id: ArticleId, latest: u32) -> Result<Option<Arc<Vec<u64>>>> {
    let key = match writer.revision_hash(id, latest) {
        Ok(hash) => hash,
        Err(crate::Error::Corrupt { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    if let Some(found) = shingle_cache().lock().ok().and_then(|c| c.texts.get(&key).cloned()) {
        return Ok(Some(found));
    }
    let text = match writer.revision_text(id, latest) {
        Ok(text) => text,
        Err(crate::Error::Corrupt { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let found = Arc::new(shingles(&text).unwrap_or_default());
    if let Ok(mut cache) = shingle_cache().lock() {
        let size = found.len() * 8;
        if cache.bytes + size > SHINGLE_CACHE_BYTES {
            cache.texts.clear();
            cache.bytes = 0;
        }
        cache.bytes += size;
        cache.texts.insert(key, Arc::clone(&found));
    }
    Ok(Some(found))
}

/// Where and when the page saw its articles.
struct Sighting<'a> {
    page: &'a Page,
    /// The fetch's sequence number.
    seq: u64,
    /// The fetch time, Unix ns.
    seen: i128,
    /// A fetch derived again: the stored revision it named of this article.
    previous: Option<u32>,
    /// The page is a stored fetch derived again.
    again: bool,
    /// What this page and earlier fetches printed, read when first needed.
    printed: &'a Pages,
}

/// The lines pages printed (see [`super::printed`]), read once per page planned: this page's,
/// and stored fetches' by number.
#[derive(Default)]
struct Pages {
    this: std::cell::OnceCell<Option<Printed>>,
    fetches: std::cell::RefCell<HashMap<u64, Option<std::rc::Rc<Printed>>>>,
}

impl Pages {
    /// What the page being planned printed (`None`: it is not text).
    fn this(&self, page: &Page) -> Option<&Printed> {
        self.this.get_or_init(|| Printed::of(page).ok()).as_ref()
    }

    /// What stored fetch `seq` printed (`None`: its page cannot be read back as text).
    fn fetch(&self, writer: &Writer<'_>, seq: u64) -> Result<Option<std::rc::Rc<Printed>>> {
        if let Some(found) = self.fetches.borrow().get(&seq) {
            return Ok(found.clone());
        }
        // A damaged page is compared with nothing (the text is then new), as is one that is
        // not text; failing storage fails the page.
        let page = match writer.stored_page(seq) {
            Ok(page) => Some(page),
            Err(crate::Error::Corrupt { .. }) => None,
            Err(e) => return Err(e),
        };
        let found = page.and_then(|page| Printed::of(&page).ok().map(std::rc::Rc::new));
        self.fetches.borrow_mut().insert(seq, found.clone());
        Ok(found)
    }
}

/// The stored revision a page's article is, as printed (see [`super::printed`]): when its
/// text (or headline) is new to the article's history, the run it falls in, else the run
/// before it, else the one after, if the two texts differ only in lines both pages print. The
/// page is then a sighting of that revision. Not for a fetch derived again, which takes the
/// texts the cleaner now gives.
fn printed_as(
    writer: &Writer<'_>,
    at: &Sighting<'_>,
    p: &Prepared<'_>,
    id: ArticleId,
    recs: &[RevisionRecord],
    runs: &[Run],
) -> Result<Option<u32>> {
    if at.again {
        return Ok(None);
    }
    let title = p.article.title.as_deref();
    let candidate = match history::place(runs, &history::order_key(at.seen, &p.hash.0, title)) {
        Place::Sighting(_) => return Ok(None),
        Place::Inside(n) => n,
        Place::Between { before, after } => match before.or(after) {
            Some(n) => n,
            None => return Ok(None),
        },
    };
    let old = &recs[candidate as usize - 1];
    let Some(new_page) = at.printed.this(at.page) else { return Ok(None) };
    // The older page is read only when the texts leave the answer open (see `same_as_printed`);
    // one that cannot be read (or is not text) tells the texts apart, whatever else fails.
    let old_page = || at.printed.fetch(writer, old.fetch);
    let old_body = match writer.revision_text(id, candidate) {
        Ok(body) => body,
        Err(_) if old_page()?.is_none() => return Ok(None),
        Err(e) => return Err(e),
    };
    // A block the stored text lost that is (nearly all) another article's latest text.
    let mut elsewhere = |block: &str| -> Result<bool> {
        let Some(sketch) = Sketch::of(block) else { return Ok(false) };
        for other in candidates(writer, &at.page.site, &sketch, &HashSet::from([id]))? {
            let Some(record) = writer.article_record(other)? else { continue };
            if let Some(stored) = latest_shingles(writer, other, record.latest)? {
                if part_of(&sketch.shingles, &stored) >= PART_OF {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    };
    let same = same_as_printed(
        &Text { body: &old_body, title: old.title.as_deref() },
        old_page,
        &Text { body: &p.article.body, title },
        new_page,
        &mut elsewhere,
    )?;
    // As a sighting of that run, the page falls in it or beside it.
    let as_old = history::order_key(at.seen, &old.hash, old.title.as_deref());
    Ok((same && history::place(&runs_of(recs, &old.hash, old.title.as_deref()), &as_old) == Place::Sighting(candidate))
        .then_some(candidate))
}

/// What to write for one of the page's articles.
fn plan_article(
    writer: &Writer<'_>,
    taken: &mut Taken,
    at: &Sighting<'_>,
    p: &Prepared<'_>,
    target: Target,
) -> Result<ArticleWrite> {
    let page = at.page;
    let (id, existing) = match target.existing {
        Some(record) => (target.id, Some(record)),
        // Derived again: an earlier article of this page may have taken the id.
        None => identity::stored(writer, taken, &p.identity)?,
    };
    let (mut record, mut write) = match existing {
        None => {
            taken.insert(id, &p.identity);
            let revision = RevisionRecord {
                hash: p.hash.0,
                len: p.article.body.len() as u64,
                title: p.article.title.clone(),
                date: p.article.date.map(|d| d.to_julian_day()),
                first_seen: at.seen,
                last_seen: at.seen,
                fetch: at.seq,
                trivial: false,
            };
            let record = ArticleRecord {
                identity: p.identity.clone(),
                site: page.site.clone(),
                title: p.article.title.clone(),
                latest: 1,
                first_seen: at.seen,
                last_seen: at.seen,
                url: page.url.clone(),
                source: page.source.clone(),
            };
            let write = ArticleWrite {
                outcome: ArticleOutcome::New(id),
                record: record.clone(),
                revisions: vec![RevisionWrite {
                    number: 1,
                    record: revision,
                    text: Some(p.article.body.as_str().into()),
                }],
                index: Some(p.sketch().map(|s| s.buckets)),
                // The headline is now an article's own identity, no longer another's alias.
                unalias: Some(p.identity.clone()),
                alias: alias_of(writer, taken, &page.site, p.article.title.as_deref(), &p.identity)?,
            };
            (record, write)
        }
        Some(record) => revise(writer, taken, at, p, id, record)?,
    };
    record.first_seen = record.first_seen.min(at.seen);
    // Where an article was last seen: the newest page's place, the greatest at one instant.
    let newest = (at.seen, &page.url, &page.source) >= (record.last_seen, &record.url, &record.source);
    if newest {
        record.last_seen = at.seen;
        record.url.clone_from(&page.url);
        record.source.clone_from(&page.source);
    }
    write.record = record;
    Ok(write)
}

/// A new revision's title as an alias of its article, when it is not the identity the
/// article's id derives from and no article derives its id from it.
fn alias_of(writer: &Writer<'_>, taken: &Taken, site: &str, title: Option<&str>, own: &str) -> Result<Option<String>> {
    let Some(title) = title else { return Ok(None) };
    let alias = ArticleId::title_identity(site, title);
    if alias != own && identity::stored(writer, taken, &alias)?.1.is_none() && !taken.has(&alias) {
        return Ok(Some(alias));
    }
    Ok(None)
}

/// The runs of an article's stored revisions in time order; `same` marks those holding the text
/// `hash` under `title`.
fn runs_of(recs: &[RevisionRecord], hash: &[u8; 32], title: Option<&str>) -> Vec<Run> {
    let key = |t: i128, r: &RevisionRecord| history::order_key(t, &r.hash, r.title.as_deref());
    let mut runs: Vec<Run> = (1..)
        .zip(recs)
        .filter(|(_, r)| history::has_sightings(r.first_seen, r.last_seen))
        .map(|(number, r)| Run {
            number,
            first: key(r.first_seen, r),
            last: key(r.last_seen, r),
            same: r.hash == *hash && !title_changed(r.title.as_deref(), title),
        })
        .collect();
    history::sort(&mut runs);
    runs
}

/// Whether two titles differ in more than white space, punctuation or case.
fn title_changed(old: Option<&str>, new: Option<&str>) -> bool {
    old.map(trivial_form) != new.map(trivial_form)
}

/// A page's sighting of a stored article (see [`history`]): a sighting of a revision of its
/// history, a new revision between two (or after the last), or a run cut in two around it. A
/// fetch derived again (`previous`: the stored revision it named) first leaves the run it was
/// in, which is withdrawn if it had no other sighting. Then every revision whose predecessor
/// in the history changed has its `trivial` flag made again, and the article's newest
/// revision (and identity index) follows the history's last run.
fn revise(
    writer: &Writer<'_>,
    taken: &Taken,
    at: &Sighting<'_>,
    p: &Prepared<'_>,
    id: ArticleId,
    mut record: ArticleRecord,
) -> Result<(ArticleRecord, ArticleWrite)> {
    let (page, seq, seen) = (at.page, at.seq, at.seen);
    let mut recs = writer.revision_records(id, record.latest)?;
    let newest = recs.len() as u32;
    // The page's text and headline, or those of the stored revision it is as printed.
    let page_runs = runs_of(&recs, &p.hash.0, p.article.title.as_deref());
    let printed = printed_as(writer, at, p, id, &recs, &page_runs)?;
    let (hash, headline) = match printed {
        Some(n) => (recs[n as usize - 1].hash, recs[n as usize - 1].title.clone()),
        None => (p.hash.0, p.article.title.clone()),
    };
    let title = headline.as_deref();
    let at_ = |n: u32| n as usize - 1;
    let mut dirty: BTreeSet<u32> = BTreeSet::new();
    let same_text = |a: &RevisionRecord, b: &RevisionRecord| {
        a.hash == b.hash && !title_changed(a.title.as_deref(), b.title.as_deref())
    };
    let is_page = |r: &RevisionRecord| r.hash == hash && !title_changed(r.title.as_deref(), title);
    let key = |t: i128, r: &RevisionRecord| history::order_key(t, &r.hash, r.title.as_deref());
    // The runs as the page's text and headline mark them (those it was printed as may differ).
    let mut runs = match printed {
        Some(_) => runs_of(&recs, &hash, title),
        None => page_runs,
    };
    let predecessors = |runs: &[Run]| -> HashMap<u32, Option<u32>> {
        runs.iter().enumerate().map(|(i, r)| (r.number, i.checked_sub(1).map(|j| runs[j].number))).collect()
    };
    let before = predecessors(&runs);
    let latest_before = record.latest;

    // Derived again to another text: the fetch's sighting leaves its run.
    let mut left_run = false;
    if let Some(old) = at.previous.filter(|&n| (1..=newest).contains(&n) && !is_page(&recs[at_(n)])) {
        let times = writer.sighting_times_of(id)?;
        let old_key = key(seen, &recs[at_(old)]);
        if let Some(i) = runs.iter().position(|r| r.first <= old_key && old_key <= r.last) {
            left_run = true;
            let n = runs[i].number;
            let inside = |k: &history::Key| runs[i].first <= *k && *k <= runs[i].last;
            let others: Vec<(i128, u64)> = times
                .iter()
                .filter(|&&(t, f, r)| f != seq && (1..=newest).contains(&r) && inside(&key(t, &recs[at_(r)])))
                .map(|&(t, f, _)| (t, f))
                .collect();
            dirty.insert(n);
            match (others.iter().min(), others.iter().max()) {
                (Some(&(first, fetch)), Some(&(last, _))) => {
                    let r = &mut recs[at_(n)];
                    (r.first_seen, r.last_seen) = (first, last);
                    r.fetch = fetch;
                }
                _ => {
                    (recs[at_(n)].first_seen, recs[at_(n)].last_seen) = history::WITHDRAWN;
                    // Its neighbours, now side by side, are one run if they share a text.
                    let neighbours = (i.checked_sub(1).map(|j| runs[j].number), runs.get(i + 1).map(|r| r.number));
                    if let (Some(b), Some(a)) = neighbours {
                        if same_text(&recs[at_(b)], &recs[at_(a)]) {
                            recs[at_(b)].last_seen = recs[at_(a)].last_seen;
                            (recs[at_(a)].first_seen, recs[at_(a)].last_seen) = history::WITHDRAWN;
                            dirty.extend([a, b]);
                        }
                    }
                }
            }
        }
    }

    // Texts read or brought here, by stored number (for `trivial` flags and cut runs).
    let mut texts: HashMap<u32, Arc<str>> = HashMap::new();
    let text_of = |n: u32, texts: &mut HashMap<u32, Arc<str>>| -> Result<Arc<str>> {
        if let Some(text) = texts.get(&n) {
            return Ok(Arc::clone(text));
        }
        let text: Arc<str> = writer.revision_text(id, n)?.into();
        texts.insert(n, Arc::clone(&text));
        Ok(text)
    };

    if left_run {
        runs = runs_of(&recs, &hash, title);
    }
    let here = history::order_key(seen, &hash, title);
    let date = p.article.date.map(|d| d.to_julian_day());
    let mut alias = None;
    let outcome = match history::place(&runs, &here) {
        Place::Sighting(n) => {
            let r = &mut recs[at_(n)];
            if !history::has_sightings(r.first_seen, r.last_seen)
                || (seen, &headline, date) < (r.first_seen, &r.title, r.date)
            {
                // A revision's fetch, headline (as written) and date are its earliest
                // sighting's; at one instant, the least.
                r.fetch = seq;
                r.date = date;
                r.title.clone_from(&headline);
            }
            r.first_seen = r.first_seen.min(seen);
            r.last_seen = r.last_seen.max(seen);
            dirty.insert(n);
            ArticleOutcome::Unchanged(id, RevisionNo(n))
        }
        place => {
            let number = newest + 1;
            recs.push(RevisionRecord {
                hash: p.hash.0,
                len: p.article.body.len() as u64,
                title: p.article.title.clone(),
                date,
                first_seen: seen,
                last_seen: seen,
                fetch: seq,
                trivial: false,
            });
            texts.insert(number, p.article.body.as_str().into());
            dirty.insert(number);
            if let Place::Inside(n) = place {
                // The run is cut around the page: its later part is a new stored revision.
                let times = writer.sighting_times_of(id)?;
                let run = runs.iter().find(|r| r.number == n).cloned().expect("placed in a run");
                let sightings: Vec<(history::Key, u64)> = times
                    .iter()
                    .filter(|&&(_, fetch, r)| fetch != seq && (1..=newest).contains(&r))
                    .map(|&(t, fetch, r)| (key(t, &recs[at_(r)]), fetch))
                    .collect();
                let (until, (from, fetch)) = history::cut(&run, &here, &sightings);
                let mut late = recs[at_(n)].clone();
                recs[at_(n)].last_seen = until.0;
                dirty.insert(n);
                late.first_seen = from.0;
                late.fetch = fetch.unwrap_or(late.fetch);
                let text = text_of(n, &mut texts)?;
                recs.push(late);
                texts.insert(number + 1, text);
                dirty.insert(number + 1);
            }
            alias = alias_of(writer, taken, &page.site, title, &record.identity)?;
            ArticleOutcome::Revised(id, RevisionNo(number))
        }
    };

    // Every revision whose predecessor changed is (or is not) a trivial change again.
    let runs = runs_of(&recs, &hash, title);
    for (n, pred) in predecessors(&runs) {
        if before.get(&n) == Some(&pred) {
            continue;
        }
        let trivial = match pred {
            Some(q) if !title_changed(recs[at_(q)].title.as_deref(), recs[at_(n)].title.as_deref()) => {
                is_trivial_change(&text_of(q, &mut texts)?, &text_of(n, &mut texts)?)
            }
            _ => false,
        };
        if recs[at_(n)].trivial != trivial {
            recs[at_(n)].trivial = trivial;
            dirty.insert(n);
        }
    }
    let revisions = dirty
        .into_iter()
        .map(|n| RevisionWrite {
            number: n,
            record: recs[at_(n)].clone(),
            text: (n > newest).then(|| texts.get(&n).cloned()).flatten(),
        })
        .collect();
    // The article's newest revision is the history's last run.
    if let Some(last) = runs.last().map(|r| r.number) {
        record.latest = last;
        record.title.clone_from(&recs[at_(last)].title);
    }
    let mut index = None;
    if record.latest != latest_before && recs[at_(record.latest)].hash != recs[at_(latest_before)].hash {
        // The index held the previous text's buckets, if it had a sketch.
        let sketch = if record.latest == newest + 1 {
            p.sketch().cloned()
        } else {
            Sketch::of(&text_of(record.latest, &mut texts)?)
        };
        index = Some(sketch.map(|s| s.buckets));
    }
    let write = ArticleWrite { outcome, record: record.clone(), revisions, index, unalias: None, alias };
    Ok((record, write))
}
