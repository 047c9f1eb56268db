//! `trustfill review`: a completed response as the customer's procurement reviewer sees it:
//! the answers counted, the No and Partial answers, the open questions, and the answers that
//! are stale or outside the SOC 2 scope, as text or JSON.

use anyhow::{bail, Context, Result};
use std::fmt::Write as _;
use std::path::Path;
use trustfill_core::import::package::{looks_like_package, read_package};
use trustfill_core::library::profile::{Soc2Profile, Standing};
use trustfill_core::model::Questionnaire;
use trustfill_core::review::Response;
use trustfill_core::reviewer::{self, AnswerCounts, AnswerKind, QuestionRef, ReviewerSummary};

/// The most characters of a question quoted on one line of the text summary.
const QUOTE_CHARS: usize = 90;

/// A completed response, from a response package or from a filled-in questionnaire.
struct Opened {
    questionnaire: Questionnaire,
    responses: Vec<Response>,
    standings: Vec<Option<Standing>>,
    profile: Option<Soc2Profile>,
    checked_on: String,
    /// The library version, for a package; a filled-in file has none.
    library_version: Option<String>,
}

/// Reads a response package, or any questionnaire with its answers as its cells hold them.
fn open(bytes: &[u8], file_name: &str) -> Result<Opened> {
    if looks_like_package(bytes) {
        let package = read_package(bytes, file_name).map_err(|e| anyhow::anyhow!("{file_name}: {e}"))?;
        return Ok(Opened {
            questionnaire: package.questionnaire,
            responses: package.responses,
            standings: package.standings,
            profile: package.profile,
            checked_on: package.checked_on,
            library_version: Some(package.library_version),
        });
    }
    let questionnaire =
        trustfill_core::import_questionnaire(bytes, file_name).map_err(|e| anyhow::anyhow!("{file_name}: {e}"))?;
    let responses = reviewer::responses_from_filled(&questionnaire);
    Ok(Opened {
        questionnaire,
        responses,
        standings: Vec::new(),
        profile: None,
        checked_on: String::new(),
        library_version: None,
    })
}

/// Prints the summary of the response in `path`, as `text` or `json`.
pub fn run(path: &Path, format: &str) -> Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let opened = open(&bytes, name)?;
    let summary = ReviewerSummary::new(&opened.questionnaire, &opened.responses, &opened.standings);
    match format {
        "text" => crate::out!("{}", text(&opened, &summary).trim_end()),
        "json" => crate::out!("{}", serde_json::to_string_pretty(&json(&opened, &summary))?),
        other => bail!("--format takes text or json, not {other}"),
    }
    Ok(())
}

/// The summary with what it was made from, as JSON.
fn json(opened: &Opened, summary: &ReviewerSummary) -> serde_json::Value {
    serde_json::json!({
        "file_name": opened.questionnaire.file_name,
        "library_version": opened.library_version,
        "checked_on": opened.checked_on,
        "soc2_paragraph": reviewer::soc2_paragraph(opened.profile.as_ref()),
        "summary": summary,
    })
}

/// Counts as a phrase: "12 Yes, 1 No, 3 unanswered", leaving out the kinds with none.
fn counts_phrase(counts: &AnswerCounts) -> String {
    let parts: Vec<String> = AnswerKind::ALL
        .iter()
        .filter(|&&kind| counts.get(kind) > 0)
        .map(|&kind| match kind {
            AnswerKind::Unanswered => format!("{} unanswered", counts.get(kind)),
            AnswerKind::Other => format!("{} other", counts.get(kind)),
            _ => format!("{} {}", counts.get(kind), kind.label()),
        })
        .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

/// A question's text on one line, cut to [`QUOTE_CHARS`] characters with an ellipsis.
fn quote(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= QUOTE_CHARS {
        return line;
    }
    let cut: String = line.chars().take(QUOTE_CHARS - 1).collect();
    format!("{}\u{2026}", cut.trim_end())
}

/// The summary as text for a terminal.
fn text(opened: &Opened, summary: &ReviewerSummary) -> String {
    let questions = &opened.questionnaire.questions;
    let mut page = String::new();
    let _ = writeln!(page, "Review of {}", opened.questionnaire.file_name);
    match (&opened.library_version, opened.checked_on.is_empty()) {
        (Some(version), false) => {
            let _ = writeln!(page, "Library {version}; checked against the SOC 2 profile on {}.", opened.checked_on);
        }
        (Some(version), true) => {
            let _ = writeln!(page, "Library {version}; not checked against a SOC 2 profile, so nothing is flagged.");
        }
        (None, _) => {
            let _ = writeln!(page, "Answers as the file's cells hold them: no controls, staleness or SOC 2 scope.");
        }
    }
    if let Some(paragraph) = reviewer::soc2_paragraph(opened.profile.as_ref()) {
        let _ = writeln!(page, "\n{paragraph}");
    }
    let _ = writeln!(page, "\n{} questions: {}.", summary.questions, counts_phrase(&summary.counts));
    if summary.no_control.total() < summary.questions {
        let _ = writeln!(page, "\nBy SOC 2 category (questions citing it):");
        for category in &summary.by_category {
            let _ = writeln!(
                page,
                "  {:<21} {:>4}  {}",
                category.category.name(),
                category.counts.total(),
                counts_phrase(&category.counts)
            );
            let cited: Vec<String> =
                category.criteria.iter().map(|c| format!("{} {}", c.criterion, c.counts.total())).collect();
            if !cited.is_empty() {
                let _ = writeln!(page, "  {:<21}       {}", "", cited.join(", "));
            }
        }
        let _ = writeln!(page, "  {:<21} {:>4}", "No control", summary.no_control.total());
    }
    let list = |page: &mut String, title: &str, refs: &mut dyn Iterator<Item = (&QuestionRef, String)>| {
        let lines: Vec<String> = refs
            .map(|(at, what)| format!("  {:<12} {:<16} {}", at.id, what, quote(&questions[at.index].text)))
            .collect();
        let _ = writeln!(page, "\n{title} ({}):", lines.len());
        for line in lines {
            let _ = writeln!(page, "{line}");
        }
    };
    let answer = |at: &QuestionRef| opened.responses.get(at.index).map(|r| r.answer.trim().to_owned());
    let status = |at: &QuestionRef| opened.responses.get(at.index).map_or("Unanswered", |r| r.status.label());
    list(&mut page, "No or Partial", &mut summary.no_or_partial.iter().map(|at| (at, answer(at).unwrap_or_default())));
    list(&mut page, "Unanswered", &mut summary.unanswered.iter().map(|at| (at, status(at).to_owned())));
    let _ = writeln!(page, "\nStale ({}):", summary.stale.len());
    for stale in &summary.stale {
        let _ = writeln!(page, "  {:<12} {}", stale.id, stale.stale.message());
    }
    let _ = writeln!(page, "\nOutside the SOC 2 scope ({}):", summary.out_of_scope.len());
    for outside in &summary.out_of_scope {
        let names: Vec<&str> = outside.categories.iter().map(|c| c.name()).collect();
        let _ =
            writeln!(page, "  {:<12} {:<16} {}", outside.id, names.join(", "), quote(&questions[outside.index].text));
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use trustfill_core::export::package::{to_package, to_package_with_library};
    use trustfill_core::library::builtin;
    use trustfill_core::matching::Matcher;
    use trustfill_core::review::{ReviewAction, ReviewSession};

    /// The CISA template, matched against the built-in library: every suggestion accepted but
    /// the first, which is answered No, and the second, handed to an SME.
    fn cisa_session() -> (ReviewSession, trustfill_core::Library) {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/cisa/ict-scrm-vendor-template.csv");
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let questionnaire = trustfill_core::import_questionnaire(&bytes, "ict-scrm-vendor-template.csv").unwrap();
        let library = builtin::library();
        let suggestions = Matcher::new(&library).match_all(questionnaire.questions.iter().map(|q| q.text.as_str()));
        let mut session = ReviewSession::new(questionnaire, suggestions, &library.entries, library.version());
        session.apply(ReviewAction::Edit { question: 0, answer: "No".into(), detail: String::new() });
        session.apply(ReviewAction::NeedsSme { question: 1, note: "Ask legal.".into() });
        for question in 2..session.responses.len() {
            session.apply(ReviewAction::Accept { question });
        }
        (session, library)
    }

    #[test]
    fn a_package_is_summarised_as_text_and_json() {
        let (session, library) = cisa_session();
        let package = to_package_with_library(&session, &library, "2026-11-30");
        let opened = open(package.as_bytes(), "cisa-trustfill.json").unwrap();
        let summary = ReviewerSummary::new(&opened.questionnaire, &opened.responses, &opened.standings);
        assert_eq!(summary.counts.total(), 255);
        let value = json(&opened, &summary);
        assert_eq!(value["summary"]["questions"], 255);
        assert_eq!(value["summary"]["no_or_partial"][0]["id"], "1.1");
        assert_eq!(value["checked_on"], "2026-11-30");
        assert!(value["soc2_paragraph"].as_str().unwrap().starts_with("Our SOC 2 Type II report"));
        let page = text(&opened, &summary);
        let counts = format!("255 questions: {}.", counts_phrase(&summary.counts));
        for expected in [
            "Review of ict-scrm-vendor-template.csv",
            "checked against the SOC 2 profile on 2026-11-30.",
            &counts,
            &format!("No or Partial ({}):\n  1.1          No ", summary.no_or_partial.len()),
            "Unanswered (",
            "Stale (",
            "Outside the SOC 2 scope (",
        ] {
            assert!(page.contains(expected), "{expected:?} missing from:\n{page}");
        }
        let unanswered_line = format!("  {:<12} {:<16} ", session.questionnaire.questions[1].id, "Needs SME");
        assert!(page.contains(&unanswered_line), "{page}");
    }

    #[test]
    fn a_package_without_a_profile_says_nothing_was_checked() {
        let (session, _) = cisa_session();
        let opened = open(to_package(&session).as_bytes(), "cisa-trustfill.json").unwrap();
        let summary = ReviewerSummary::new(&opened.questionnaire, &opened.responses, &opened.standings);
        let page = text(&opened, &summary);
        assert!(page.contains("not checked against a SOC 2 profile"), "{page}");
        assert!(page.contains("Stale (0):") && page.contains("Outside the SOC 2 scope (0):"), "{page}");
    }

    #[test]
    fn quotes_stay_on_one_short_line() {
        assert_eq!(quote("Do you\n encrypt   data?"), "Do you encrypt data?");
        let long = quote(&"word ".repeat(40));
        assert!(long.chars().count() <= QUOTE_CHARS && long.ends_with('\u{2026}'), "{long}");
        assert_eq!(counts_phrase(&AnswerCounts::default()), "none");
        let counts = AnswerCounts { yes: 2, not_applicable: 1, unanswered: 4, ..Default::default() };
        assert_eq!(counts_phrase(&counts), "2 Yes, 1 N/A, 4 unanswered");
    }
}
