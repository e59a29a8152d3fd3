//! Embeds themes/default in the binary so that `cuenta build` works in any
//! report folder and after `cargo install`. Generates a sorted list of
//! (relative path, bytes) pairs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let theme = root.join("themes").join("default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect(&theme, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Files of themes/default, embedded at compile time.\npub(crate) static FILES: &[(&str, &[u8])] = &[\n",
    );
    for path in &files {
        let rel = path.strip_prefix(&theme).expect("under theme").to_string_lossy().replace('\\', "/");
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(code, "    ({rel:?}, include_bytes!({:?})),", path.display().to_string());
    }
    code.push_str("];\n");
    println!("cargo:rustc-env=CUENTA_CODE_FINGERPRINT={}", fingerprint(&root));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("default_theme.rs");
    std::fs::write(out, code).expect("write generated theme list");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if !path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
            files.push(path);
        }
    }
}

/// A hash of the sources and the default theme, so that a build cache
/// written by another version of the code is never reused.
fn fingerprint(root: &Path) -> String {
    use std::hash::{Hash, Hasher};
    let mut files = Vec::new();
    collect(&root.join("src"), &mut files);
    collect(&root.join("themes").join("default"), &mut files);
    files.push(root.join("Cargo.lock"));
    files.sort();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for f in &files {
        f.strip_prefix(root).unwrap_or(f).hash(&mut h);
        std::fs::read(f).unwrap_or_default().hash(&mut h);
    }
    println!("cargo:rerun-if-changed=src");
    format!("{:016x}", h.finish())
}
