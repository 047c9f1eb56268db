//! The SOC 2 profile in the library: the questions about the report are answered from it by
//! the matcher, its answers never contradict it, and it travels with the library's JSON.

use trustfill_core::criteria::Category;
use trustfill_core::library::check::{check, Finding};
use trustfill_core::library::profile::{ProfileProblem, ReportType, Soc2Profile};
use trustfill_core::library::{builtin, Library, LibraryError};
use trustfill_core::matching::{Matcher, Tier};

/// The built-in profile turned into a Type I report as of 30 June 2026, with Privacy in scope.
fn type_i_with_privacy() -> Soc2Profile {
    let mut profile = builtin::try_profile().unwrap();
    profile.report_type = ReportType::TypeI;
    profile.as_of = Some("2026-06-30".into());
    profile.period_start = None;
    profile.period_end = None;
    profile.bridge_letter = None;
    profile.categories.insert(Category::Privacy);
    assert_eq!(profile.validate(), vec![]);
    profile
}

/// The top suggestion's entry, short answer and tier for a question.
fn top(library: &Library, question: &str) -> (String, String, Tier) {
    let matcher = Matcher::new(library);
    let best = matcher.match_question(question).into_iter().next().unwrap_or_else(|| panic!("{question}: no match"));
    let entry = library.entry(&best.entry_id).unwrap();
    (entry.id.clone(), entry.answer.clone(), best.tier)
}

#[test]
fn the_common_report_questions_are_answered_from_the_profile() {
    let builtin_library = builtin::library();
    let entries = builtin_library.entries.clone();
    let type_i = Library::with_profile(entries, builtin::criteria(), Some(type_i_with_privacy()));
    // (question, entry, short answer with the built-in Type II profile, with the Type I one)
    let cases = [
        ("Do you have a SOC 2 Type II report?", "soc2-report-type", "Yes", "No"),
        ("Do you have a SOC 2 Type I report?", "soc2-report-type-1", "No", "Yes"),
        ("Which Trust Services Criteria are in scope?", "soc2-categories-in-scope", "N/A", "N/A"),
        ("What period does your SOC 2 cover?", "soc2-report-period", "N/A", "N/A"),
        ("Can you share your SOC 2 report?", "soc2-report-copy", "Yes", "Yes"),
        ("Do you have a bridge letter?", "soc2-bridge-letter", "Yes", "No"),
        ("Is Privacy in scope for your SOC 2?", "soc2-scope-privacy", "No", "Yes"),
        ("Is Availability included in your SOC 2 report?", "soc2-scope-availability", "Yes", "Yes"),
        ("Is Processing Integrity in scope?", "soc2-scope-processing-integrity", "No", "No"),
        ("Who is your SOC 2 auditor?", "soc2-auditor", "N/A", "N/A"),
        ("Were there any exceptions in your SOC 2 report?", "soc2-exceptions", "No", "No"),
        ("Which subservice organizations are carved out of your SOC 2?", "soc2-subservice-orgs", "N/A", "N/A"),
    ];
    for (question, entry, type_ii_answer, type_i_answer) in cases {
        for (library, expected) in [(&builtin_library, type_ii_answer), (&type_i, type_i_answer)] {
            let (id, answer, tier) = top(library, question);
            assert_eq!(id, entry, "{question}");
            assert_eq!(answer, expected, "{question} ({:?})", library.profile().map(|p| p.report_type));
            assert!(tier >= Tier::Low, "{question} is suggested, not only hinted ({tier:?})");
            assert!(library.entry(&id).unwrap().from_profile.is_some(), "{id} answers from the profile");
        }
    }
}

#[test]
fn profile_answers_never_contradict_the_profile() {
    let library = Library::with_profile(builtin::library().entries, builtin::criteria(), Some(type_i_with_privacy()));
    let answers: Vec<_> = library.entries.iter().filter(|e| e.from_profile.is_some()).collect();
    assert!(answers.len() >= 12, "every common report question has a profile answer");
    for entry in answers {
        assert!(!entry.detail.contains("Type II"), "{}: {}", entry.id, entry.detail);
        assert!(!entry.detail.contains("30 September 2026"), "{} still names the old period", entry.id);
    }
    assert_eq!(library.entry("soc2-scope-privacy").unwrap().answer, "Yes");
}

#[test]
fn the_shipped_text_of_profile_answers_is_what_the_profile_writes() {
    // Read without the profile (as from a table), the stored text must still be true.
    let stored = Library::new(builtin::try_entries().unwrap(), builtin::criteria());
    let resolved = builtin::library();
    for (a, b) in stored.entries.iter().zip(&resolved.entries).filter(|(a, _)| a.from_profile.is_some()) {
        assert_eq!((&a.answer, &a.detail), (&b.answer, &b.detail), "answer-library/entries: {} is out of date", a.id);
    }
}

#[test]
fn the_profile_travels_with_the_library_json() {
    let library = builtin::library();
    let json = library.to_json();
    let back = Library::from_json(&json, builtin::criteria()).unwrap();
    assert_eq!(back.profile(), library.profile());
    assert_eq!(back.entries, library.entries);
    assert_eq!(back.version(), library.version());
    assert!(json.contains("\"profile\""), "the export holds the profile");

    let without = Library::new(library.entries.clone(), builtin::criteria());
    assert_ne!(without.version(), library.version(), "the version covers the profile");
    let mut changed = library.clone();
    changed.set_profile(Some(type_i_with_privacy()));
    assert_ne!(changed.version(), library.version());
    assert_eq!(changed.entry("soc2-report-type").unwrap().answer, "No", "setting the profile rewrites answers");

    let bare = serde_json::to_string(&library.entries).unwrap();
    assert_eq!(Library::from_json(&bare, builtin::criteria()).unwrap().profile(), None, "a bare array still reads");
    let broken = r#"{"profile": {"report_type": "type_iii", "categories": []}, "entries": []}"#;
    match Library::from_json(broken, builtin::criteria()) {
        Err(error @ LibraryError::Profile(_)) => assert!(error.to_string().contains("SOC 2 profile"), "{error}"),
        other => panic!("a damaged profile is refused in words, not {other:?}"),
    }
}

#[test]
fn library_check_reports_profile_problems() {
    let mut profile = builtin::try_profile().unwrap();
    profile.period_end = Some("2025-09-01".into());
    let library = Library::with_profile(builtin::library().entries, builtin::criteria(), Some(profile));
    let findings = check(&library, "2026-11-23");
    let problem = ProfileProblem::EndNotAfterStart { start: "2025-10-01".into(), end: "2025-09-01".into() };
    let finding = Finding::Profile { problem };
    assert!(findings.contains(&finding), "{findings:#?}");
    assert!(finding.is_blocking());
    assert_eq!(finding.message(), "The SOC 2 period ends on 2025-09-01, which is not after its start on 2025-10-01.");

    let outdated = check(&builtin::library(), "2027-10-01");
    assert!(outdated.contains(&Finding::ReportOutdated { covered_to: "2026-09-30".into() }));
    let no_profile = check(&Library::new(builtin::library().entries, builtin::criteria()), "2026-11-23");
    assert!(no_profile.iter().any(|f| matches!(f, Finding::NoProfile { entries } if *entries >= 12)));
    assert!(no_profile.iter().all(|f| !matches!(f, Finding::Profile { .. })));
}
