//! Temporary: bytes per tree.
fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let db = sled::Config::new().path(&path).open().expect("open");
    let mut names = db.tree_names();
    names.sort();
    for name in names {
        let t = db.open_tree(&name).expect("tree");
        let (mut n, mut k, mut v) = (0u64, 0u64, 0u64);
        for item in t.iter() {
            let (a, b) = item.expect("item");
            n += 1;
            k += a.len() as u64;
            v += b.len() as u64;
        }
        println!("{:<14} {:>8} keys {:>10} kbytes {:>10} vbytes", String::from_utf8_lossy(&name), n, k, v);
    }
    println!("size_on_disk {}", db.size_on_disk().expect("size"));
}
