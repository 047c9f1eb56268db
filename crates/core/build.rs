//! Embeds every file of `answer-library/` into the core crate, so that the web app and the CLI
//! ship the same built-in library without reading the file system at run time.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let library_dir = manifest_dir.join("../../answer-library");
    let entries_dir = library_dir.join("entries");
    println!("cargo:rerun-if-changed={}", library_dir.display());
    println!("cargo:rerun-if-changed={}", entries_dir.display());

    let mut files: Vec<PathBuf> = std::fs::read_dir(&entries_dir)
        .expect("answer-library/entries must exist")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();

    let mut code =
        String::from("/// The entry files of the built-in library, as (file name, JSON text), sorted by name.\n");
    code.push_str("pub const ENTRY_FILES: &[(&str, &str)] = &[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().and_then(|n| n.to_str()).expect("file names are UTF-8");
        let absolute = path.canonicalize().expect("entry file path resolves");
        writeln!(code, "    ({name:?}, include_str!({:?})),", absolute.display().to_string())
            .expect("writing to a String cannot fail");
    }
    code.push_str("];\n");
    for (constant, file) in
        [("CRITERIA_JSON", "criteria.json"), ("LEXICON_JSON", "lexicon.json"), ("PROFILE_JSON", "profile.json")]
    {
        let path = library_dir.join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        let absolute = path.canonicalize().unwrap_or_else(|_| panic!("answer-library/{file} must exist"));
        writeln!(code, "pub const {constant}: &str = include_str!({:?});", absolute.display().to_string())
            .expect("writing to a String cannot fail");
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_library.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
