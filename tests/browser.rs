//! The built site in a real browser (headless Chromium driven by tests/browser/run.mjs):
//! no console errors, failed or off-site requests, no axe-core WCAG 2.1 A/AA violations,
//! every internal link and #anchor resolves, search works from file://, pages render
//! without JavaScript, and the heaviest page stays under its weight budget. The second
//! test runs the file:// checks on the unzipped offline copy (OUT/<name>.zip).
//!
//! Needs /usr/bin/chromium (or $CHROMIUM) and node; the pinned npm packages of
//! tests/browser are installed with `npm ci` on first use when npm is there. Without
//! a piece, each test writes "SKIPPED <test>: <the missing piece>" to the terminal (seen
//! without --nocapture) and passes, unless CUENTA_REQUIRE_BROWSER=1 (set by .ci/run),
//! where a missing piece is a failure.
//!
//! Screenshots (390x844 and 1366x900, full page) go to target/screenshots/site/.

mod common;

use common::browser::{chromium, missing_tools, skip};

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// One Chromium at a time: two on 2 cores make page loads slow enough to time out.
static BROWSER: Mutex<()> = Mutex::new(());

/// What the search box must find in the shipped report: typed without its accent,
/// the query has to match "regularización" in the Extranjería part of chapter 2.
const QUERY: &str = "regularizacion";
const EXPECT: &str = "principales-logros-extranjeria.html";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build_site(out: &Path) {
    common::build_into(&root(), out);
    assert!(out.join("index.html").is_file(), "cuenta build wrote no index.html in {}", out.display());
}

/// Runs tests/browser/run.mjs with `args` and fails the test, with its whole report,
/// unless it exits 0.
fn run_browser_checks(args: &[&std::ffi::OsStr]) {
    let mut all = args.to_vec();
    all.extend(["--query", QUERY, "--expect", EXPECT].map(std::ffi::OsStr::new));
    run_checks(&all);
}

/// Runs tests/browser/run.mjs with exactly `args` (and the browser).
fn run_checks(args: &[&std::ffi::OsStr]) {
    let _one_at_a_time = BROWSER.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let output = Command::new("node")
        .arg(root().join("tests/browser/run.mjs"))
        .args(args)
        .arg("--chromium")
        .arg(chromium())
        .current_dir(root())
        .output()
        .expect("run node tests/browser/run.mjs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        output.status.success(),
        "browser checks failed (exit {:?}); see the report above.\n{}",
        output.status.code(),
        stdout.lines().skip_while(|l| !l.starts_with("== summary")).collect::<Vec<_>>().join("\n")
    );
    assert!(stdout.contains("browser checks: all passed"), "run.mjs exited 0 without its closing line:\n{stdout}");
}

#[test]
fn site_passes_browser_checks_over_http_and_file() {
    if let Some(why) = missing_tools() {
        skip("site_passes_browser_checks_over_http_and_file", &why);
        return;
    }
    let out = tempfile::tempdir().expect("temporary directory");
    build_site(out.path());

    let shots = root().join("target/screenshots/site");
    let _ = fs::remove_dir_all(&shots);
    fs::create_dir_all(&shots).expect("create target/screenshots/site");
    eprintln!("screenshots: {}", shots.display());

    run_browser_checks(&["--site".as_ref(), out.path().as_os_str(), "--shots".as_ref(), shots.as_os_str()]);

    // Two screenshots per page: the runner really went through every page.
    let pages = fs::read_dir(out.path())
        .expect("read site")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    let pngs = fs::read_dir(&shots)
        .expect("read screenshots")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
        .count();
    assert!(
        pngs >= 2 * pages,
        "expected 2 screenshots for each of the {pages} pages in {}, found {pngs}",
        shots.display()
    );
    eprintln!("screenshots of {pages} pages: {}", shots.display());
}

/// The phone fixture: a chapter with its intro, declared numbers, an image
/// with its caption, an attachment, footnotes, a wide text table, a wide
/// numeric table, a Markdown pipe table and charts, checked at 390 and
/// 1366 px like the shipped report.
#[test]
fn a_report_with_chapters_images_notes_and_wide_tables_reads_on_a_phone() {
    if let Some(why) = missing_tools() {
        skip("a_report_with_chapters_images_notes_and_wide_tables_reads_on_a_phone", &why);
        return;
    }
    let out = tempfile::tempdir().expect("temporary directory");
    let run = common::build_into(&root().join("tests/fixtures/phone"), out.path());
    assert!(out.path().join("medios/02-gestion/img/operativo.svg").is_file(), "the image is published: {}", run.stderr);
    let search =
        ["--query", "fiscalizacion", "--expect", "gestion-operativos.html", "--site"].map(std::ffi::OsStr::new);
    let mut args = search.to_vec();
    args.push(out.path().as_os_str());
    run_checks(&args);
}

/// The phone fixture dressed as a Chilean government office (issue 18): the
/// Gobierno de Chile palette, a logo beside the title, the office's contact,
/// sharing tags and the accessibility statement. axe finds nothing in light
/// and dark at 390 and 1366 px. Screenshots go to target/screenshots/gobierno/.
#[test]
fn the_gobierno_de_chile_preset_with_a_logo_passes_axe_in_light_and_dark() {
    if let Some(why) = missing_tools() {
        skip("the_gobierno_de_chile_preset_with_a_logo_passes_axe_in_light_and_dark", &why);
        return;
    }
    let site = common::SiteTest::fixture("phone");
    let index = fs::read_to_string(site.root().join("content/_index.md")).expect("index");
    let settings = concat!(
        "palette: gobierno-de-chile\n",
        "logo: { image: img/escudo.svg, alt: Gobernación de Prueba }\n",
        "base_url: https://www.gob.cl/cuenta-2019/\n",
        "contact: { address: \"Calle Ejemplo 123, Calama\", email: oirs@prueba.cl, phone: \"+56 55 212 3456\" }\n",
    );
    site.write("content/_index.md", &index.replacen("---\n", &format!("---\n{settings}"), 1));
    site.write(
        "content/img/escudo.svg",
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"><rect width="96" height="96" rx="8" fill="#0f69b4"/><rect y="72" width="48" height="24" fill="#eb3c46"/><circle cx="48" cy="40" r="20" fill="#fff"/></svg>"##,
    );
    site.build().success();
    let shots = root().join("target/screenshots/gobierno");
    let _ = fs::remove_dir_all(&shots);
    fs::create_dir_all(&shots).expect("create target/screenshots/gobierno");
    let out = site.out();
    let mut args: Vec<&std::ffi::OsStr> = [
        "--mobile-width",
        "390",
        "--desktop-width",
        "1366",
        "--query",
        "fiscalizacion",
        "--expect",
        "gestion-operativos.html",
        "--site",
    ]
    .map(std::ffi::OsStr::new)
    .to_vec();
    args.extend([out.as_os_str(), std::ffi::OsStr::new("--shots"), shots.as_os_str()]);
    run_checks(&args);
}

/// A page with its `<!--cuenta:online-->…<!--/cuenta:online-->` blocks removed.
fn without_online_blocks(page: &str) -> String {
    const START: &str = "<!--cuenta:online-->";
    const END: &str = "<!--/cuenta:online-->";
    let mut out = String::new();
    let mut rest = page;
    while let Some(i) = rest.find(START) {
        out.push_str(&rest[..i]);
        match rest[i..].find(END) {
            Some(j) => rest = &rest[i + j + END.len()..],
            None => panic!("unclosed {START} block"),
        }
    }
    out.push_str(rest);
    out
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).expect("under dir").to_path_buf())
        .collect()
}

#[test]
fn offline_zip_works_from_disk() {
    if let Some(why) = missing_tools() {
        skip("offline_zip_works_from_disk", &why);
        return;
    }
    let out = tempfile::tempdir().expect("temporary directory");
    build_site(out.path());

    let zips: Vec<PathBuf> = fs::read_dir(out.path())
        .expect("read site")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "zip"))
        .collect();
    assert_eq!(zips.len(), 1, "expected exactly one .zip at the site root, found {zips:?}");
    let zip_path = &zips[0];
    let zip_name = zip_path.file_name().and_then(|n| n.to_str()).expect("zip file name").to_string();

    // The home page links to the zip, so readers can find it.
    let index = fs::read_to_string(out.path().join("index.html")).expect("read index.html");
    assert!(index.contains(&format!("href=\"{zip_name}\"")), "index.html does not link to {zip_name}");

    let unzipped = tempfile::tempdir().expect("temporary directory");
    let file = fs::File::open(zip_path).expect("open zip");
    let mut archive = zip::ZipArchive::new(file).expect("read zip archive");
    let mut tops = std::collections::BTreeSet::new();
    for i in 0..archive.len() {
        let entry = archive.by_index(i).expect("zip entry");
        let name = entry.enclosed_name().unwrap_or_else(|| panic!("zip entry with an unsafe path: {}", entry.name()));
        let first = name.components().next().expect("non-empty entry name").as_os_str().to_os_string();
        tops.insert(first);
    }
    assert_eq!(tops.len(), 1, "the zip must hold the site inside one top folder, found {tops:?}");
    archive.extract(unzipped.path()).expect("extract zip");
    let top = unzipped.path().join(tops.into_iter().next().expect("one top folder"));
    assert!(top.join("index.html").is_file(), "no index.html in the zip's top folder {}", top.display());

    // The zip holds the whole site, byte for byte, except itself, hidden build markers
    // such as .cuenta-output (not part of the site), and in pages the blocks marked
    // <!--cuenta:online-->…<!--/cuenta:online--> (the link to the zip itself), which
    // the offline copy leaves out.
    let mut compared = 0;
    for rel in files_under(out.path()) {
        let hidden = rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        if rel.as_os_str() == zip_name.as_str() || hidden {
            continue;
        }
        compared += 1;
        let in_zip = top.join(&rel);
        let mut a = Vec::new();
        let mut b = Vec::new();
        fs::File::open(out.path().join(&rel)).and_then(|mut f| f.read_to_end(&mut a)).expect("read site file");
        if let Err(e) = fs::File::open(&in_zip).and_then(|mut f| f.read_to_end(&mut b)) {
            panic!("{} is missing from the zip: {e}", rel.display());
        }
        if rel.extension().is_some_and(|x| x == "html") {
            let online = String::from_utf8(a).expect("site page is UTF-8");
            let offline = String::from_utf8(b).expect("zipped page is UTF-8");
            assert_eq!(
                offline,
                without_online_blocks(&online),
                "{}: the zipped page must be the site page without its online-only blocks",
                rel.display()
            );
            assert!(
                !offline.contains(&format!("href=\"{zip_name}\"")),
                "{}: the offline copy links to {zip_name}, which it does not contain",
                rel.display()
            );
        } else {
            assert!(a == b, "{} differs between the site and the zip", rel.display());
        }
    }
    assert!(compared >= 10, "only {compared} site files compared with the zip");

    // No --allow-missing: the offline pages must not link to the zip they came from.
    run_browser_checks(&["--site".as_ref(), top.as_os_str(), "--file-only".as_ref()]);
}

/// The participation fixture (20 questions over 4 topics, key figures) at a
/// phone's 390 px and a laptop's 1366 px, online and from the unzipped
/// offline copy: axe finds nothing, nothing scrolls sideways, every anchor
/// resolves, and the search finds a question by a word of it.
#[test]
fn participation_fixture_passes_browser_checks_at_390_and_1366_px() {
    if let Some(why) = missing_tools() {
        skip("participation_fixture_passes_browser_checks_at_390_and_1366_px", &why);
        return;
    }
    let site = common::SiteTest::fixture("participacion");
    site.build().success();
    let out = site.out();
    let shots = root().join("target/screenshots/participacion");
    let _ = fs::remove_dir_all(&shots);
    fs::create_dir_all(&shots).expect("create target/screenshots/participacion");
    let widths = ["--mobile-width", "390", "--desktop-width", "1366", "--query", "televigilancia"];
    let mut args: Vec<&std::ffi::OsStr> = widths.map(std::ffi::OsStr::new).to_vec();
    args.extend(["--expect", "participacion.html"].map(std::ffi::OsStr::new));
    let mut online = args.clone();
    online.extend([
        std::ffi::OsStr::new("--site"),
        out.as_os_str(),
        std::ffi::OsStr::new("--shots"),
        shots.as_os_str(),
    ]);
    run_checks(&online);

    let unzipped = tempfile::tempdir().expect("temporary directory");
    let zip = fs::File::open(out.join("cuenta-publica-2018.zip")).expect("open zip");
    zip::ZipArchive::new(zip).expect("zip").extract(unzipped.path()).expect("extract");
    let top = unzipped.path().join("cuenta-publica-2018");
    let mut offline = args;
    offline.extend([std::ffi::OsStr::new("--site"), top.as_os_str(), std::ffi::OsStr::new("--file-only")]);
    run_checks(&offline);
}
