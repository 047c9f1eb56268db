//! Every questionnaire the tests have, round-tripped: each shared fixture and each built seed
//! is imported, answered the same way (`common::answers`), exported and imported again, and
//! must give the same questions at the same places with the answers where they were written.
//! A file that can be filled in (xlsx, xls, ods, docx) goes through its filled-in file; every
//! file also goes through the response package, which is how CSV and VSAQ answers travel.

mod common;

use common::answers::{assert_filled_answers_come_back, assert_package_comes_back, spread_session};
use std::path::{Path, PathBuf};
use trustfill_core::export::fill_original;
use trustfill_core::import::sniff_format;
use trustfill_core::{import_questionnaire, SourceFormat};

/// Questions whose comment cell fill-back leaves alone, by file: DP-02's comment cell in the
/// sample Word document (also the docx fuzz seed, built.docx) continues DP-01's vertical merge,
/// so Word shows DP-01's comment there.
const COMMENTS_NOT_WRITTEN: &[(&str, &[&str])] = &[("sample.docx", &["DP-02"]), ("built.docx", &["DP-02"])];

/// Every file under a folder, by its path relative to it, in name order.
fn files_under(root: &Path) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                found.push((relative, path));
            }
        }
    }
    found.sort();
    found
}

/// Every questionnaire to round-trip, by name: the shared fixtures (their README aside), the
/// built questionnaires kept as fuzz seeds (the answer libraries aside), and the sample Word
/// document.
fn sources() -> Vec<(String, Vec<u8>)> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = manifest.join("../../../shared/fixtures");
    let seeds = manifest.join("../../fuzz/seeds");
    let mut sources: Vec<(String, Vec<u8>)> = files_under(&fixtures)
        .into_iter()
        .filter(|(name, _)| !name.ends_with(".md"))
        .chain(files_under(&seeds).into_iter().filter(|(name, _)| name.starts_with("built")))
        .map(|(name, path)| (name, std::fs::read(path).unwrap()))
        .collect();
    sources.push(("sample.docx".to_owned(), common::sample_docx()));
    sources
}

#[test]
fn every_questionnaire_gives_its_answers_back_at_the_same_places() {
    let mut filled = Vec::new();
    let sources = sources();
    assert!(sources.len() >= 15, "the fixtures and seeds are missing: {}", sources.len());
    for (name, bytes) in sources {
        let questionnaire = import_questionnaire(&bytes, &name).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Even the SOC 2 criteria list reads as questions (one per criterion id).
        assert!(!questionnaire.questions.is_empty(), "{name}: no questions; {:#?}", questionnaire.diagnostics);
        let format = questionnaire.format;
        let session = spread_session(questionnaire);
        assert_package_comes_back(&name, &session);
        let Some(extension) = format.filled_extension() else { continue };
        let out = fill_original(&bytes, &session).unwrap_or_else(|e| panic!("{name}: {e}"));
        let out_name = format!("{}-trustfill.{extension}", name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s));
        let out_format = if extension == "xlsx" { SourceFormat::Xlsx } else { format };
        assert_eq!(sniff_format(&out, &out_name), Ok(out_format), "{name}");
        let again = import_questionnaire(&out, &out_name).unwrap_or_else(|e| panic!("{out_name}: {e}"));
        let unwritten = COMMENTS_NOT_WRITTEN.iter().find(|(file, _)| *file == name).map_or(&[][..], |(_, ids)| ids);
        let written = assert_filled_answers_come_back(&name, &session, &again, unwritten);
        assert!(written > 0, "{name}: no answer was written");
        filled.push(format);
    }
    for format in [SourceFormat::Xlsx, SourceFormat::Xls, SourceFormat::Ods, SourceFormat::Docx] {
        assert!(filled.contains(&format), "no {format:?} file was filled in: {filled:?}");
    }
}
