//! The shipped answer library (`answer-library/`) is valid: it parses, its ids are unique, its
//! controls exist, its answers are filled in, and every SOC 2 criterion is covered.

use std::collections::BTreeSet;
use trustfill_core::library::check::{approved_per_criterion, check, Finding};
use trustfill_core::library::{builtin, EntryStatus};

/// Checked as of the library's own last review cycle, so the test does not depend on the clock.
const AS_OF: &str = "2026-11-23";

#[test]
fn every_library_file_parses() {
    if let Err((file, error)) = builtin::try_entries() {
        panic!("answer-library/entries/{file}: {error}");
    }
}

#[test]
fn the_library_has_no_blocking_findings() {
    let library = builtin::library();
    let blocking: Vec<String> =
        check(&library, AS_OF).into_iter().filter(Finding::is_blocking).map(|f| f.message()).collect();
    assert!(blocking.is_empty(), "{blocking:#?}");
}

#[test]
fn all_61_criteria_have_descriptions_and_at_least_two_approved_entries() {
    let library = builtin::library();
    assert_eq!(library.criteria.len(), 61);
    for criterion in library.criteria.all() {
        assert!(!criterion.description.trim().is_empty(), "{} has no description", criterion.id);
    }
    for (criterion, approved) in approved_per_criterion(&library) {
        assert!(approved >= 2, "{criterion} has only {approved} approved entries");
    }
    let series: BTreeSet<&str> = library.approved().flat_map(|e| e.controls.iter().map(|c| c.series())).collect();
    for expected in [
        "CC1", "CC2", "CC3", "CC4", "CC5", "CC6", "CC7", "CC8", "CC9", "A1", "C1", "PI1", "P1", "P2", "P3", "P4", "P5",
        "P6", "P7", "P8",
    ] {
        assert!(series.contains(expected), "no approved entry cites the {expected} series");
    }
}

#[test]
fn entries_are_complete() {
    let library = builtin::library();
    let approved = library.approved().count();
    assert!(approved >= 250, "only {approved} approved entries");
    for entry in &library.entries {
        assert!(entry.alternates.len() >= 2, "{} needs at least two alternate phrasings", entry.id);
        assert!(
            ["Yes", "No", "N/A", "Partial"].contains(&entry.answer.as_str()),
            "{}: answer {:?}",
            entry.id,
            entry.answer
        );
        let sentences = entry.detail.matches(['.', '!', '?']).count();
        assert!((1..=6).contains(&sentences), "{}: the detail should be one to four sentences", entry.id);
        assert!(!entry.owner.is_empty() && !entry.reviewed.is_empty(), "{}: owner and review date", entry.id);
        if entry.status == EntryStatus::Approved {
            assert!(!entry.tags.is_empty(), "{} has no tags", entry.id);
        }
    }
}
