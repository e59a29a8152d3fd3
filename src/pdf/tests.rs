use super::world::CuentaWorld;
use std::collections::BTreeMap;
use typst::diag::FileError;
use typst::syntax::{RootedPath, VirtualPath, VirtualRoot};
use typst::World;

fn id(path: &str) -> typst::syntax::FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("path")).intern()
}

#[test]
fn the_world_serves_only_the_files_cuenta_hands_it() {
    let mut files = BTreeMap::new();
    files.insert("/informe.json".to_string(), typst::foundations::Bytes::new(b"{}".to_vec()));
    let world = CuentaWorld::new(files);
    assert_eq!(world.file(id("/informe.json")).map(|b| b.to_vec()), Ok(b"{}".to_vec()));
    for refused in ["/etc/passwd", "/Cargo.toml", "/graficos/0.svg"] {
        assert_eq!(world.file(id(refused)).err(), Some(FileError::AccessDenied), "{refused}");
    }
    assert!(world.source(id("/informe.json")).is_err(), "only the template is Typst source");
    assert!(world.source(world.main()).is_ok());
    assert_eq!(world.today(None), None, "no clock");
}

#[test]
fn the_fonts_are_the_ones_compiled_in() {
    let world = CuentaWorld::new(BTreeMap::new());
    let families: Vec<&str> = world.book().families().map(|(name, _)| name).collect();
    assert_eq!(families, ["DejaVu Sans", "Libertinus Serif"]);
}
