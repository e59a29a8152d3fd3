//! Issue 21: hostile and unlucky input through the real binary — absurd
//! `--jobs`, links that could run script, spreadsheet formulas in the
//! exported CSV, a theme folder linked from outside, an edited output/.

mod common;

use common::SiteTest;

#[test]
fn an_absurd_jobs_count_is_lowered_with_a_message_not_an_abort() {
    let site = SiteTest::fixture("minimal");
    let out = site.out();
    let run = site.run(&["build", "--jobs", "30000", "--output", out.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("cuenta: --jobs 30000 no es posible en este equipo; se usan "), "{}", run.stderr);
    let run = site.run(&["build", "--jobs", "30000", "--lang", "en", "--output", out.to_str().expect("utf-8")]);
    assert!(run.stderr.contains("cuenta: --jobs 30000 is not possible on this machine; using "), "{}", run.stderr);
}
