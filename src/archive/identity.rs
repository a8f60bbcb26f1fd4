//! Article identity: the one place every id `clean`, `ingest`, `export` and `reprocess`
//! print comes from.
//!
//! An article's identity is a string: the site, a NUL byte, then its folded headline (or, with
//! no headline, its page's URL or file name); a headline printed over two articles of one page
//! gives the second a place suffix. Its id is the first 6 bytes of BLAKE3 over the identity
//! ([`ArticleId::derive`]), derived again with a counter should two identities collide in a
//! store ([`stored`]).

use std::collections::{HashMap, HashSet};

use crate::id::ArticleId;
use crate::page::file_name;
use crate::segment::{Article, Split};
use crate::store::{ArticleRecord, Store};
use crate::{Page, Result};

/// The identity an article's id derives from: the page's site, a NUL byte, then the title in
/// its trivial form (lower case, punctuation and spacing folded, digits kept: "Part 1" and
/// "Part 2" are two articles). An article with no title is known by its page's URL, else its
/// source file's name.
pub fn identity(page: &Page, article: &Article) -> String {
    match &article.title {
        Some(title) => ArticleId::title_identity(&page.site, title),
        None => match &page.url {
            Some(url) => format!("{}\0url:{url}", page.site),
            None => format!("{}\0source:{}", page.site, file_name(&page.source)),
        },
    }
}

/// The identities of a page's articles, in page order, as [`identity`] gives them but unique
/// on the page: a headline printed over two articles of one page gives the second the
/// identity of the first followed by a NUL byte and its place among them (`2`, `3`, ...), so
/// `clean` and `ingest` give both the same two ids. With [`Split::None`] the page's one
/// document is known by its page (`page:` then its URL, else its source file's name), never
/// by the headline of its first article.
pub fn identities(page: &Page, articles: &[Article], split: Split) -> Vec<String> {
    unique(articles.iter().map(|article| match split {
        Split::None => match &page.url {
            Some(url) => format!("{}\0page:{url}", page.site),
            None => format!("{}\0page:{}", page.site, file_name(&page.source)),
        },
        Split::Auto => identity(page, article),
    }))
}

/// Makes identities unique on a page: a repeated one gets its place among its repeats as a
/// suffix (`\0` then `2`, `3`, ...). [`identities`] and the archive's writer use it.
pub fn unique(identities: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for base in identities {
        let mut identity = base.clone();
        let mut n = 1;
        while seen.contains(&identity) {
            n += 1;
            identity = format!("{base}\0{n}");
        }
        seen.insert(identity.clone());
        out.push(identity);
    }
    out
}

/// The id an identity has before any store is consulted: what `vellum clean` prints.
pub fn id_of(identity: &str) -> ArticleId {
    ArticleId::derive(identity, 0)
}

/// Ids given to new articles of the page being planned, not stored yet.
#[derive(Default)]
pub(crate) struct Taken(HashMap<ArticleId, String>);

impl Taken {
    pub(crate) fn insert(&mut self, id: ArticleId, identity: &str) {
        self.0.insert(id, identity.to_owned());
    }

    /// Whether a new article of the page has `identity`.
    pub(crate) fn has(&self, identity: &str) -> bool {
        self.0.values().any(|i| i == identity)
    }
}

/// The id `identity` has in the store (after any collisions with other identities, stored or
/// `taken` by the page), and the article stored there, if any.
pub(crate) fn stored(store: &Store, taken: &Taken, identity: &str) -> Result<(ArticleId, Option<ArticleRecord>)> {
    for attempt in 0..=u8::MAX {
        let id = ArticleId::derive(identity, attempt);
        if let Some(other) = taken.0.get(&id) {
            if other == identity {
                return Ok((id, None));
            }
            continue;
        }
        match store.article_record(id)? {
            None => return Ok((id, None)),
            Some(record) if record.identity == identity => return Ok((id, Some(record))),
            Some(_) => {}
        }
    }
    Err(crate::Error::Corrupt {
        what: "articles".into(),
        detail: format!("256 id collisions for identity {identity:?}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Page {
        Page {
            source: "pages/letters.txt".into(),
            url: Some("https://example.org/letters".into()),
            fetched_at: time::OffsetDateTime::UNIX_EPOCH,
            site: "example.org".into(),
            raw: Vec::new(),
            charset: None,
        }
    }

    fn article(title: &str) -> Article {
        Article { title: Some(title.into()), date: None, body: "Text.".into() }
    }

    #[test]
    fn one_headline_over_two_articles_of_a_page_gives_two_identities() {
        let (page, articles) = (page(), [article("Letters"), article("Weather"), article("Letters")]);
        let ids = identities(&page, &articles, Split::Auto);
        assert_eq!(ids[0], identity(&page, &articles[0]), "the first keeps the headline's identity");
        assert_eq!(ids[1], identity(&page, &articles[1]));
        assert_eq!(ids[2], format!("{}\u{0}2", ids[0]));
        assert_ne!(ArticleId::derive(&ids[0], 0), ArticleId::derive(&ids[2], 0));
    }

    /// The ids `clean`, `ingest`, `export` and `reprocess` print, pinned: a change to how an
    /// identity is formed (folding, prefixes, the place suffix) or hashed fails here, since it
    /// would give every stored article a new id.
    #[test]
    fn ids_are_pinned() {
        let page = page();
        let untitled = Article { title: None, ..article("") };
        let articles = [article("Letters: The Harbour, Again!"), untitled, article("letters — the harbour again")];
        let auto = identities(&page, &articles, Split::Auto);
        let whole = identities(&page, &articles[..1], Split::None);
        let mut unnamed = page;
        unnamed.url = None;
        let by_file = identities(&unnamed, &articles[1..2], Split::Auto);
        let ids: Vec<String> =
            auto.iter().chain(&whole).chain(&by_file).map(|i| ArticleId::derive(i, 0).to_string()).collect();
        assert_eq!(
            (auto, whole, by_file),
            (
                vec![
                    "example.org\0letters the harbour again".to_owned(),
                    "example.org\0url:https://example.org/letters".to_owned(),
                    "example.org\0letters the harbour again\u{0}2".to_owned(),
                ],
                vec!["example.org\0page:https://example.org/letters".to_owned()],
                vec!["example.org\0source:letters.txt".to_owned()],
            )
        );
        assert_eq!(ids, ["7d13753789a3", "9cd95941bf1f", "c78c0a45bbb8", "8c4b87b03f4e", "9ed0f271410e"]);
        assert_eq!(ArticleId::derive("example.org\0letters the harbour again", 1).to_string(), "19fc5405892d");
    }

    #[test]
    fn a_page_kept_whole_is_known_by_the_page_not_its_first_headline() {
        let page = page();
        let whole = identities(&page, &[article("Letters")], Split::None);
        assert_eq!(whole, ["example.org\u{0}page:https://example.org/letters"]);
        assert_ne!(whole[0], identity(&page, &article("Letters")));
        let untitled = Article { title: None, ..article("") };
        assert_ne!(whole[0], identity(&page, &untitled), "nor by what an untitled article of it is known");
    }

    #[test]
    fn identities_given_twice_are_made_unique_as_on_a_page() {
        let given = ["a".to_owned(), "b".to_owned(), "a".to_owned(), "a\u{0}2".to_owned()];
        assert_eq!(unique(given), ["a", "b", "a\u{0}2", "a\u{0}2\u{0}2"]);
    }
}
