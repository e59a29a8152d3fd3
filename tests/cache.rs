//! The build cache (issue 8): reused sections, bodies, pages and zip entries give the same
//! bytes, follow changes across sections, and the cache is safe to delete.

mod common;

use common::{snapshot, SiteTest};

#[test]
fn a_rebuild_from_the_cache_is_byte_identical_to_a_fresh_build() {
    let t = SiteTest::fixture("report");
    t.build().success();
    assert!(t.root().join(".output.cuenta-cache/cache.bin").is_file(), "the first build fills the cache");
    let first = snapshot(&t.out());
    t.build().success();
    assert_eq!(snapshot(&t.out()), first);
    let fresh = t.root().join("fresh");
    t.run(&["build", "--no-cache", "--output", fresh.to_str().expect("path")]).success();
    assert_eq!(snapshot(&fresh), first);
}

#[test]
fn a_change_in_one_section_reaches_the_pages_that_quote_its_tables() {
    let t = SiteTest::fixture("report");
    t.build().success();
    assert!(t.read("datos-presupuesto.html").contains("<span class=\"figure\">12.901</span>"));
    let visas = std::fs::read_to_string(t.root().join("content/01-visas.md")).expect("read");
    t.write("content/01-visas.md", &visas.replace("total: [Total, 12901, 12732]", "total: [Total, 12902, 12732]"));
    t.build().success();
    assert!(
        t.read("datos-presupuesto.html").contains("<span class=\"figure\">12.902</span>"),
        "cached body not reused"
    );
    assert!(t.read("visas.html").contains("12.902"));
}

#[test]
fn a_deleted_or_damaged_cache_only_costs_time() {
    let t = SiteTest::fixture("report");
    t.build().success();
    let first = snapshot(&t.out());
    std::fs::write(t.root().join(".output.cuenta-cache/cache.bin"), b"CUENTA-CACHE-1\nbasura").expect("damage");
    t.build().success();
    assert_eq!(snapshot(&t.out()), first);
    std::fs::remove_dir_all(t.root().join(".output.cuenta-cache")).expect("delete");
    t.build().success();
    assert_eq!(snapshot(&t.out()), first);
}

#[test]
fn a_rebuild_from_the_cache_reports_the_same_warnings() {
    let t = SiteTest::fixture("report");
    // Everything but the time the build took.
    let report = |stderr: &str| -> String {
        stderr
            .lines()
            .map(|l| l.rsplit_once(", ").filter(|(_, ms)| ms.ends_with(" ms")).map_or(l, |(a, _)| a))
            .collect()
    };
    let first = report(&t.build().success().stderr);
    assert!(first.contains("2 advertencias"), "{first}");
    assert!(t.root().join(".output.cuenta-cache/cache.bin").is_file());
    assert_eq!(report(&t.build().success().stderr), first, "sections with warnings are parsed again, not cached");
}
