//! `vellum verify`.

use crate::{Env, DAY1, DAY2, T1, T2};

#[test]
fn a_sound_store_verifies() {
    let env = Env::new();
    env.ingest(&[DAY1], T1);
    env.ingest(&[DAY2], T2);
    let out = env.run(&["verify"]);
    assert_eq!(out, "checked 7 blobs, 4 articles, 5 revisions, 2 fetches: all sound\n");
}
