//! LibreOffice opens a filled-in Word document and shows the answers where they were
//! written: the check that a word processor accepts what fill-back produces. It needs
//! LibreOffice Writer (`soffice` on the PATH), which `scripts/tools.sh test` installs.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use trustfill_core::export::docx::fill_docx;
use trustfill_core::{import_questionnaire, ReviewAction, ReviewSession};

/// A private scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Converts a document to plain text with LibreOffice, using a private profile so that runs
/// never share or lock the user's one.
fn to_text(scratch: &Path, docx: &Path) -> String {
    let profile = format!("-env:UserInstallation=file://{}", scratch.join("profile").display());
    let output = Command::new("soffice")
        .args(["--headless", "--norestore", &profile, "--convert-to", "txt:Text", "--outdir"])
        .arg(scratch)
        .arg(docx)
        .output()
        .expect("LibreOffice's soffice must be on the PATH: `make test` installs it (scripts/tools.sh test)");
    assert!(output.status.success(), "soffice failed: {}", String::from_utf8_lossy(&output.stderr));
    let text = scratch.join(docx.with_extension("txt").file_name().unwrap());
    std::fs::read_to_string(&text).unwrap_or_else(|e| {
        let said = [output.stdout, output.stderr].concat();
        panic!("{}: {e}; soffice said: {}", text.display(), String::from_utf8_lossy(&said))
    })
}

#[test]
fn libreoffice_shows_the_filled_answers() {
    let scratch = Scratch(std::env::temp_dir().join(format!("trustfill-docx-{}", std::process::id())));
    std::fs::create_dir_all(&scratch.0).unwrap();
    let original = common::sample_docx();
    let questionnaire = import_questionnaire(&original, "sample.docx").unwrap();
    let ids: Vec<String> = questionnaire.questions.iter().map(|q| q.id.clone()).collect();
    let count = ids.len();
    let mut session = ReviewSession::new(questionnaire, vec![Vec::new(); count], &[], "test");
    for (question, id) in ids.iter().enumerate() {
        let (answer, detail) = match id.as_str() {
            "AC-01" | "Q4" => ("Yes".to_owned(), format!("Detail of {id}.")),
            "DP-02" => ("No".to_owned(), String::new()),
            _ => (format!("Answer of {id} <script>&amp;</script>"), format!("Detail of {id}.")),
        };
        session.apply(ReviewAction::Edit { question, answer, detail });
    }
    let filled = fill_docx(&original, &session).unwrap();
    let (before_path, after_path) = (scratch.0.join("sample.docx"), scratch.0.join("filled.docx"));
    std::fs::write(&before_path, &original).unwrap();
    std::fs::write(&after_path, &filled).unwrap();
    let before = to_text(&scratch.0, &before_path);
    let after = to_text(&scratch.0, &after_path);

    let shown = [
        "Answer of AC-02 <script>&amp;</script>",
        "Detail of AC-01.",
        "Answer of DP-03 <script>&amp;</script>",
        "Answer: Answer of Q1 <script>&amp;</script>. Detail of Q1.",
        "Answer: Answer of Q2 <script>&amp;</script>. Detail of Q2.",
        "Answer: Answer of 3.1 <script>&amp;</script>. Detail of 3.1.",
        "Response: Yes",
        "\u{2612} No",
    ];
    for text in shown {
        assert!(!before.contains(text), "{text:?} is in the blank document already");
        assert!(after.contains(text), "{text:?} is missing from LibreOffice's text:\n{after}");
    }
    // The answer to 3.1 sits right after its question, before the next heading.
    let asked = after.find("How often do you test").unwrap();
    let answered = after.find("Answer of 3.1").unwrap();
    let next_heading = after.find("Business Continuity").unwrap();
    assert!(asked < answered && answered < next_heading, "{after}");
}
