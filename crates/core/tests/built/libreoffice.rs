//! The built xlsx converted by LibreOffice into xls (for which there is no Rust writer) and
//! into ods (a second, independently written ods), then imported. These need LibreOffice
//! (`soffice`), which `scripts/tools.sh test` installs.

use super::{assert_questions, assert_sheets, scratch_dir, workbook_questions};
use std::path::PathBuf;
use std::process::Command;
use trustfill_core::import_questionnaire;
use trustfill_core::model::{SheetRole, SourceFormat};

/// Converts the built xlsx to another format with LibreOffice.
fn convert(to: &str) -> Vec<u8> {
    convert_bytes(&super::xlsx::build(), to)
}

/// Converts xlsx bytes with `soffice --headless --convert-to`, in a LibreOffice profile of its
/// own so that parallel runs do not share one, and returns the converted bytes.
fn convert_bytes(xlsx: &[u8], to: &str) -> Vec<u8> {
    let dir = scratch_dir(&format!("soffice-{to}-{}", xlsx.len()));
    let source = dir.join("built.xlsx");
    std::fs::write(&source, xlsx).unwrap();
    let profile = format!("file://{}", dir.join("profile").display());
    let output = Command::new("soffice")
        .args(["--headless", &format!("-env:UserInstallation={profile}"), "--convert-to", to, "--outdir"])
        .arg(&dir)
        .arg(&source)
        .output()
        .expect("soffice runs (install LibreOffice Calc: scripts/tools.sh test)");
    let converted: PathBuf = dir.join(format!("built.{to}"));
    let bytes = std::fs::read(&converted).unwrap_or_else(|e| {
        panic!(
            "{}: {e}\nstdout: {}\nstderr: {}",
            converted.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let _ = std::fs::remove_dir_all(&dir);
    bytes
}

#[test]
fn xls_converted_by_libreoffice_gives_the_same_questions() {
    let q = import_questionnaire(&convert("xls"), "built.xls").unwrap();
    assert_eq!(q.format, SourceFormat::Xls);
    // Calamine does not read an xls file's dropdowns, so every answer is free text here; the
    // answer column is still found by its header.
    assert_questions(&q, &workbook_questions(false));
    assert_sheets(&q, &super::workbook_sheets(SheetRole::Hidden));
}

#[test]
fn ods_converted_by_libreoffice_gives_the_same_questions() {
    let q = import_questionnaire(&convert("ods"), "built.ods").unwrap();
    assert_eq!(q.format, SourceFormat::Ods);
    assert_questions(&q, &workbook_questions(true));
    assert_sheets(&q, &super::workbook_sheets(SheetRole::Hidden));
}

#[test]
fn hecvat_converted_to_ods_reads_like_the_xlsx() {
    // A real workbook's dropdowns (ranges on a hidden sheet, over huge repeated areas) and
    // merges survive the trip through LibreOffice's ods writer and the ods reader.
    let original = std::fs::read(format!(
        "{}/../../../shared/fixtures/hecvat/HECVAT-4.1.4-blank.xlsx",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let xlsx = import_questionnaire(&original, "HECVAT.xlsx").unwrap();
    let ods = import_questionnaire(&convert_bytes(&original, "ods"), "HECVAT.ods").unwrap();
    assert_eq!(ods.questions.len(), 331);
    for (a, b) in xlsx.questions.iter().zip(&ods.questions) {
        assert_eq!(
            (&a.id, &a.section, &a.text, &a.location, &a.answer_format),
            (&b.id, &b.section, &b.text, &b.location, &b.answer_format)
        );
    }
}
