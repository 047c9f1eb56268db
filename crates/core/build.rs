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

    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
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
        let minified = embed_minified(path, &out_dir, name);
        writeln!(code, "    ({name:?}, include_str!({:?})),", minified.display().to_string())
            .expect("writing to a String cannot fail");
    }
    code.push_str("];\n");
    for (constant, file) in
        [("CRITERIA_JSON", "criteria.json"), ("LEXICON_JSON", "lexicon.json"), ("PROFILE_JSON", "profile.json")]
    {
        let path = library_dir.join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        let minified = embed_minified(&path, &out_dir, file);
        writeln!(code, "pub const {constant}: &str = include_str!({:?});", minified.display().to_string())
            .expect("writing to a String cannot fail");
    }
    std::fs::write(out_dir.join("builtin_library.rs"), code).expect("OUT_DIR is writable");
}

/// Writes a JSON file into `out_dir` without the whitespace between its tokens, and returns
/// where. The files stay readable in the repository; the app carries them a fifth smaller.
fn embed_minified(path: &std::path::Path, out_dir: &std::path::Path, name: &str) -> PathBuf {
    let text = std::fs::read_to_string(path).unwrap_or_else(|_| panic!("{} must be readable UTF-8", path.display()));
    let target = out_dir.join(format!("minified-{name}"));
    std::fs::write(&target, minify_json(&text)).expect("OUT_DIR is writable");
    target
}

/// Drops whitespace outside strings; the JSON means the same.
fn minify_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}
