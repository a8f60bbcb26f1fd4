//! A model-based test of the whole library path: random ingests, re-ingests, reprocesses and
//! reopens, checked against a plain model of what each article's history must be.

use std::collections::BTreeMap;

use proptest::prelude::*;
use time::macros::datetime;
use time::Duration;
use vellum::archive::Ingester;
use vellum::process::ProcessOptions;
use vellum::store::{OpenOptions, Store};
use vellum::Page;

const TOPICS: [&str; 4] = ["harbour", "railway", "orchard", "library"];

/// A page of `site` on `day` holding the articles `(topic, variant)`.
fn page(site: usize, day: i64, articles: &[(usize, usize)]) -> Page {
    let mut text = String::from("  • USD = 1.0 0%\n  • EUR = 0.9 0%\n  • USD = 1.1 0%\n  • EUR = 0.8 0%\n\n");
    for &(topic, variant) in articles {
        let t = TOPICS[topic];
        text.push_str(&format!("News From The {t} Desk Today\n\n{} December 2025\n\n", day + 1));
        text.push_str(&format!(
            "The {t} committee met on Tuesday to discuss the plans for the coming year, version {variant} of which \
             was published in the evening.\n\nMembers of the {t} committee said they expected the work to continue \
             well into the spring, weather permitting.\n\n"
        ));
    }
    Page {
        source: format!("site{site}/day{day}.txt"),
        url: None,
        fetched_at: datetime!(2025-12-01 08:00 UTC) + Duration::days(day),
        site: format!("site{site}"),
        raw: text.into_bytes(),
        charset: None,
    }
}

#[derive(Debug, Clone)]
enum Op {
    Ingest { site: usize, day: i64, articles: Vec<(usize, usize)> },
    Reprocess,
    Reopen,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (0usize..2, 0i64..20, prop::collection::btree_map(0usize..4, 0usize..3, 1..3))
            .prop_map(|(site, day, m)| Op::Ingest { site, day, articles: m.into_iter().collect() }),
        1 => Just(Op::Reprocess),
        1 => Just(Op::Reopen),
    ]
}

fn open(path: &std::path::Path) -> Store {
    Store::open(path, &OpenOptions { create: true, ..OpenOptions::default() }).expect("open")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn histories_match_the_model(ops in prop::collection::vec(op(), 1..12)) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = open(dir.path());
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
        // (site, topic) -> each sighting: (fetch time, variant).
        let mut model: BTreeMap<(usize, usize), Vec<(time::OffsetDateTime, usize)>> = BTreeMap::new();
        for op in ops {
            match op {
                Op::Ingest { site, day, articles } => {
                    let mut ingester = Ingester::new(&store, ProcessOptions::default()).expect("ingester");
                    let outcome = ingester.ingest(&page(site, day, &articles), &pool).expect("ingest");
                    ingester.flush().expect("flush");
                    let at = page(site, day, &[]).fetched_at;
                    if !outcome.reread {
                        prop_assert_eq!(outcome.articles.len(), articles.len());
                        for (topic, variant) in articles {
                            model.entry((site, topic)).or_default().push((at, variant));
                        }
                    }
                }
                Op::Reprocess => {
                    // The cleaner has not changed, so re-deriving changes nothing.
                    let mut ingester = Ingester::new(&store, ProcessOptions::default()).expect("ingester");
                    let summary = ingester.reprocess(None, &mut |_, _| {}).expect("reprocess");
                    ingester.flush().expect("flush");
                    prop_assert_eq!((summary.new, summary.revised), (0, 0));
                }
                Op::Reopen => {
                    drop(store);
                    store = open(dir.path());
                }
            }
            let articles: Vec<_> = store.articles().collect::<Result<_, _>>().expect("articles");
            prop_assert_eq!(articles.len(), model.len());
            for article in &articles {
                let site: usize = article.site.trim_start_matches("site").parse().expect("site");
                let title = article.title.clone().unwrap_or_default();
                let topic = TOPICS.iter().position(|t| title.contains(t)).unwrap_or_else(|| panic!("no topic in {title:?} ({:?})", store.text(&store.latest_revision(article.id).expect("rev")).expect("text")));
                let revisions = store.revisions(article.id).expect("revisions");
                let variant_of = |r: &vellum::store::RevisionInfo| -> usize {
                    let text = store.text(r).expect("text");
                    let at = text.find("version ").expect("variant") + "version ".len();
                    text[at..at + 1].parse().expect("digit")
                };
                let variants: Vec<usize> = revisions.iter().map(variant_of).collect();
                // The history: sightings in time order (texts of one instant in hash order),
                // cut into runs of one text.
                let hash_of: BTreeMap<usize, [u8; 32]> = revisions.iter().map(|r| (variant_of(r), r.hash.0)).collect();
                let mut seen = model[&(site, topic)].clone();
                seen.sort_by_key(|&(t, v)| (t, hash_of.get(&v).copied()));
                let mut want: Vec<usize> = seen.iter().map(|&(_, v)| v).collect();
                want.dedup();
                prop_assert_eq!(&variants, &want);
            }
            prop_assert!(vellum::archive::verify(&store).expect("verify").problems.is_empty());
        }
    }
}
