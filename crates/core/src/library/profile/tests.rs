//! Profile tests: validation, dates, the answers and summary written from a profile, scope
//! status against real library entries, and the two staleness rules at their boundaries.

use super::*;
use crate::criteria::CriterionId;
use crate::library::{builtin, Entry, Library};
use crate::review::{Response, ResponseStatus};

/// A sound Type II profile: the shape of the built-in one, with every field set.
fn type_ii() -> Soc2Profile {
    Soc2Profile {
        report_type: ReportType::TypeII,
        as_of: None,
        period_start: Some("2025-10-01".into()),
        period_end: Some("2026-09-30".into()),
        categories: [Category::Security, Category::Availability, Category::Confidentiality].into(),
        system: "Harborlytics Cloud and the infrastructure that runs it".into(),
        auditor: "Calder & Finch LLP".into(),
        report_date: "2026-10-16".into(),
        bridge_letter: Some(BridgeLetter { start: "2026-10-01".into(), end: "2026-10-31".into() }),
        how_to_request: "From our Trust Center under NDA.".into(),
        exceptions: Vec::new(),
        subservice_organisations: vec![SubserviceOrg { name: "AWS".into(), method: SubserviceMethod::CarveOut }],
    }
}

/// A sound Type I profile, as of 30 June 2026.
fn type_i() -> Soc2Profile {
    Soc2Profile {
        report_type: ReportType::TypeI,
        as_of: Some("2026-06-30".into()),
        period_start: None,
        period_end: None,
        report_date: "2026-08-01".into(),
        bridge_letter: None,
        ..type_ii()
    }
}

#[test]
fn the_builtin_profile_reads_and_is_sound() {
    let profile = builtin::try_profile().unwrap();
    assert_eq!(profile.validate(), vec![]);
    assert_eq!(profile.report_type, ReportType::TypeII);
    assert_eq!(builtin::library().profile(), Some(&profile));
}

#[test]
fn validation_finds_each_problem() {
    use ProfileField as F;
    use ProfileProblem as P;
    type Edit = fn(&mut Soc2Profile);
    type Case = (&'static str, fn() -> Soc2Profile, Edit, Vec<ProfileProblem>);
    let cases: &[Case] = &[
        ("sound Type II", type_ii, |_| {}, vec![]),
        ("sound Type I", type_i, |_| {}, vec![]),
        (
            "period end before start",
            type_ii,
            |p| p.period_end = Some("2025-09-30".into()),
            vec![
                P::EndNotAfterStart { start: "2025-10-01".into(), end: "2025-09-30".into() },
                P::BridgeNotAtCoverageEnd { bridge_start: "2026-10-01".into(), covered_to: "2025-09-30".into() },
            ],
        ),
        (
            "period of one day",
            type_ii,
            |p| {
                p.period_end = Some("2025-10-01".into());
                p.bridge_letter = None;
                p.report_date = "2025-10-02".into();
            },
            vec![P::EndNotAfterStart { start: "2025-10-01".into(), end: "2025-10-01".into() }],
        ),
        (
            "Type I with a period",
            type_i,
            |p| {
                p.period_start = Some("2026-01-01".into());
                p.period_end = Some("2026-06-30".into());
            },
            vec![P::TypeIWithPeriod],
        ),
        ("Type I without its date", type_i, |p| p.as_of = None, vec![P::TypeIWithoutDate]),
        ("Type I with a blank date", type_i, |p| p.as_of = Some("  ".into()), vec![P::TypeIWithoutDate]),
        (
            "Type II without an end",
            type_ii,
            |p| {
                p.period_end = None;
                p.bridge_letter = None;
            },
            vec![P::TypeIIWithoutPeriod],
        ),
        ("Type II with an as-of date", type_ii, |p| p.as_of = Some("2026-09-30".into()), vec![P::TypeIIWithAsOf]),
        (
            "Security left out",
            type_ii,
            |p| {
                p.categories.remove(&Category::Security);
            },
            vec![P::SecurityNotInScope],
        ),
        (
            "a day that does not exist",
            type_ii,
            |p| p.period_start = Some("2025-02-30".into()),
            vec![P::BadDate { field: F::PeriodStart, value: "2025-02-30".into() }],
        ),
        (
            "a date in another form",
            type_ii,
            |p| p.report_date = "16/10/2026".into(),
            vec![P::BadDate { field: F::ReportDate, value: "16/10/2026".into() }],
        ),
        (
            "report dated inside its period",
            type_ii,
            |p| p.report_date = "2026-09-29".into(),
            vec![P::ReportBeforeCoverage { report_date: "2026-09-29".into(), covered_to: "2026-09-30".into() }],
        ),
        ("report dated on the period end", type_ii, |p| p.report_date = "2026-09-30".into(), vec![]),
        (
            "bridge letter starting on the period end",
            type_ii,
            |p| p.bridge_letter = Some(BridgeLetter { start: "2026-09-30".into(), end: "2026-12-31".into() }),
            vec![],
        ),
        (
            "bridge letter leaving a gap",
            type_ii,
            |p| p.bridge_letter = Some(BridgeLetter { start: "2026-10-02".into(), end: "2026-12-31".into() }),
            vec![P::BridgeNotAtCoverageEnd { bridge_start: "2026-10-02".into(), covered_to: "2026-09-30".into() }],
        ),
        (
            "bridge letter overlapping the period",
            type_ii,
            |p| p.bridge_letter = Some(BridgeLetter { start: "2026-07-01".into(), end: "2026-12-31".into() }),
            vec![P::BridgeNotAtCoverageEnd { bridge_start: "2026-07-01".into(), covered_to: "2026-09-30".into() }],
        ),
        (
            "bridge letter ending before it starts",
            type_ii,
            |p| p.bridge_letter = Some(BridgeLetter { start: "2026-10-01".into(), end: "2026-09-01".into() }),
            vec![P::BridgeEndNotAfterStart { start: "2026-10-01".into(), end: "2026-09-01".into() }],
        ),
        (
            "bridge letter after a Type I date",
            type_i,
            |p| p.bridge_letter = Some(BridgeLetter { start: "2026-07-01".into(), end: "2026-09-30".into() }),
            vec![],
        ),
        (
            "missing words",
            type_ii,
            |p| {
                p.system = " ".into();
                p.auditor = String::new();
                p.how_to_request = String::new();
                p.report_date = String::new();
            },
            vec![
                P::Missing { field: F::System },
                P::Missing { field: F::Auditor },
                P::Missing { field: F::ReportDate },
                P::Missing { field: F::HowToRequest },
            ],
        ),
        (
            "blank exception and unnamed subservice organisation",
            type_ii,
            |p| {
                p.exceptions = vec!["One access review was late.".into(), " ".into()];
                p.subservice_organisations.push(SubserviceOrg { name: "".into(), method: SubserviceMethod::Inclusive });
            },
            vec![P::BlankException { position: 2 }, P::UnnamedSubservice { position: 2 }],
        ),
    ];
    for (name, base, edit, expected) in cases {
        let mut profile = base();
        edit(&mut profile);
        assert_eq!(&profile.validate(), expected, "{name}");
    }
}

#[test]
fn every_problem_reads_as_a_sentence() {
    let mut profile = type_ii();
    profile.period_start = Some("2027-01-01".into());
    profile.as_of = Some("bad".into());
    profile.categories.clear();
    profile.auditor.clear();
    for problem in profile.validate() {
        let message = problem.message();
        assert!(message.starts_with(char::is_uppercase) && message.ends_with('.'), "{message}");
    }
}

#[test]
fn dates_are_strict_and_read_in_words() {
    for (date, ok) in [("2026-02-28", true), ("2024-02-29", true), ("2026-02-29", false), ("2026-2-28", false)] {
        assert_eq!(parse_date(date).is_some(), ok, "{date}");
    }
    assert_eq!(long_date("2025-10-01"), "1 October 2025");
    assert_eq!(long_date("2026-12-31"), "31 December 2026");
    assert_eq!(long_date("soon"), "soon");
    assert_eq!(years_later("2025-09-30", 1), parse_date("2026-09-30"));
    assert_eq!(years_later("2024-02-29", 1), parse_date("2025-02-28"));
}

#[test]
fn profile_answers_follow_the_report_type() {
    use ProfileFact as F;
    // (fact, short answer with the Type II profile, with the Type I profile)
    let cases = [
        (F::Report, "Yes", "Yes"),
        (F::ReportType(ReportType::TypeII), "Yes", "No"),
        (F::ReportType(ReportType::TypeI), "No", "Yes"),
        (F::Categories, "N/A", "N/A"),
        (F::InScope(Category::Availability), "Yes", "Yes"),
        (F::InScope(Category::Privacy), "No", "No"),
        (F::Period, "N/A", "N/A"),
        (F::Sharing, "Yes", "Yes"),
        (F::Bridge, "Yes", "No"),
        (F::Auditor, "N/A", "N/A"),
        (F::Exceptions, "No", "No"),
        (F::Subservice, "N/A", "N/A"),
    ];
    for (fact, two, one) in cases {
        assert_eq!(type_ii().answer(fact).0, two, "{fact:?} with Type II");
        assert_eq!(type_i().answer(fact).0, one, "{fact:?} with Type I");
        for profile in [type_ii(), type_i()] {
            let (_, detail) = profile.answer(fact);
            assert!(detail.ends_with('.') && !detail.contains(".."), "{fact:?}: {detail}");
            let other = if profile.report_type == ReportType::TypeI { "Type II" } else { "Type I," };
            assert!(!detail.contains(other), "{fact:?} names the other type: {detail}");
        }
    }
    let (_, detail) = type_i().answer(F::ReportType(ReportType::TypeII));
    assert_eq!(
        detail,
        "Our SOC 2 report is Type I, as of 30 June 2026: the auditor tested the design of our controls at that date, \
         not how they operated over a period."
    );
    let (_, detail) = type_ii().answer(F::Period);
    assert_eq!(
        detail,
        "Our current SOC 2 Type II report covers 1 October 2025 to 30 September 2026. \
         A bridge letter from management covers 1 October 2026 to 31 October 2026."
    );
    let (_, detail) = type_i().answer(F::Period);
    assert!(detail.contains("covers no period") && detail.contains("as of 30 June 2026"), "{detail}");
}

#[test]
fn category_answers_flip_with_the_scope() {
    let mut profile = type_ii();
    for category in
        [Category::Availability, Category::Confidentiality, Category::ProcessingIntegrity, Category::Privacy]
    {
        profile.categories.insert(category);
        assert_eq!(profile.answer(ProfileFact::InScope(category)).0, "Yes", "{category} in scope");
        profile.categories.remove(&category);
        let (answer, detail) = profile.answer(ProfileFact::InScope(category));
        assert_eq!(answer, "No", "{category} out of scope");
        assert!(detail.starts_with(&format!("{category} is not in the scope")), "{detail}");
    }
    profile.categories = Category::ALL.into();
    assert!(profile.answer(ProfileFact::Categories).1.contains("all five Trust Services Categories"));
}

#[test]
fn exceptions_and_subservice_organisations_are_stated() {
    let mut profile = type_ii();
    profile.exceptions = vec!["One quarterly access review was late.".into(), "A leaver kept access for 3 days".into()];
    profile.subservice_organisations.push(SubserviceOrg { name: "Stripe".into(), method: SubserviceMethod::Inclusive });
    let (answer, detail) = profile.answer(ProfileFact::Exceptions);
    assert_eq!(answer, "Yes");
    assert!(detail.ends_with(": One quarterly access review was late; A leaver kept access for 3 days."), "{detail}");
    let (_, detail) = profile.answer(ProfileFact::Subservice);
    assert!(detail.contains("AWS is carved out") && detail.contains("Stripe is included"), "{detail}");
}

#[test]
fn facts_are_written_as_table_cells_and_read_back() {
    for (fact, text) in [
        (ProfileFact::Period, "period"),
        (ProfileFact::InScope(Category::ProcessingIntegrity), "in_scope:processing_integrity"),
        (ProfileFact::ReportType(ReportType::TypeII), "report_type:type_ii"),
    ] {
        assert_eq!(fact.to_string(), text);
        assert_eq!(text.parse::<ProfileFact>().unwrap(), fact);
    }
    assert!("colour".parse::<ProfileFact>().is_err());
}

#[test]
fn the_summary_is_one_paragraph_made_from_the_profile() {
    let summary = summary(&type_ii());
    assert!(!summary.contains('\n'));
    for part in [
        "Our SOC 2 Type II report, issued by Calder & Finch LLP on 16 October 2026, covers the period 1 October 2025 to 30 September 2026.",
        "The system in scope is Harborlytics Cloud and the infrastructure that runs it.",
        "The report covers Security, Availability and Confidentiality; Processing Integrity and Privacy are not in its scope.",
        "A bridge letter from management covers 1 October 2026 to 31 October 2026.",
        "The auditor noted no exceptions.",
        "AWS is carved out",
        "To request the report: From our Trust Center under NDA.",
    ] {
        assert!(summary.contains(part), "{part:?} is not in {summary:?}");
    }
    let summary = super::summary(&type_i());
    assert!(summary.contains("Type I report") && summary.contains("reports on our controls as of 30 June 2026"));
    assert!(!summary.contains("bridge letter"), "{summary}");
}

/// The approved built-in entries that cite a criterion of the category.
fn builtin_entries_in(library: &Library, category: Category) -> Vec<&Entry> {
    library.approved().filter(|e| e.controls.iter().any(|c| Category::of(c) == category)).collect()
}

#[test]
fn answers_in_a_category_outside_the_scope_are_flagged() {
    let library = builtin::library();
    // (category, a built-in entry that rests on it)
    let cases = [
        (Category::Availability, "a1-uptime-sla"),
        (Category::Confidentiality, "c1-data-classification"),
        (Category::ProcessingIntegrity, "pi1-data-specifications"),
        (Category::Privacy, "p1-privacy-notice"),
    ];
    for (category, example) in cases {
        let entries = builtin_entries_in(&library, category);
        assert!(entries.iter().any(|e| e.id == example), "{example} cites {category}");
        let mut without = type_ii();
        without.categories = Category::ALL.into_iter().filter(|&c| c != category).collect();
        let mut with = without.clone();
        with.categories.insert(category);
        for entry in entries {
            match scope_status(Some(&without), &entry.controls) {
                ScopeStatus::OutOfScope { categories } => {
                    assert_eq!(categories, vec![category], "{}", entry.id);
                    let message = ScopeStatus::OutOfScope { categories }.message();
                    assert_eq!(message, format!("{category} is not in your SOC 2 scope."));
                }
                other => panic!("{} should be out of scope without {category}, not {other:?}", entry.id),
            }
            assert_eq!(scope_status(Some(&with), &entry.controls), ScopeStatus::Covered, "{}", entry.id);
        }
    }
}

#[test]
fn scope_status_covers_security_no_control_and_no_profile() {
    let ids = |raw: &[&str]| raw.iter().map(|c| CriterionId::parse(c).unwrap()).collect::<Vec<_>>();
    let mut bare = type_ii();
    bare.categories = [Category::Security].into();
    let two = ScopeStatus::OutOfScope { categories: vec![Category::Availability, Category::Privacy] };
    for (controls, profile, expected) in [
        (ids(&["CC6.1"]), Some(&bare), ScopeStatus::Covered),
        (ids(&["CC6.1", "A1.2", "P4.1"]), Some(&bare), two.clone()),
        (ids(&[]), Some(&bare), ScopeStatus::NoControl),
        (ids(&[]), None, ScopeStatus::NoControl),
        (ids(&["CC6.1"]), None, ScopeStatus::NoProfile),
    ] {
        assert_eq!(scope_status(profile, &controls), expected, "{controls:?}");
    }
    assert_eq!(two.message(), "Availability and Privacy are not in your SOC 2 scope.");
    assert!(bare.in_scope(Category::Security), "Security always counts");
}

fn entry_reviewed(reviewed: &str) -> Entry {
    Entry {
        id: "e".into(),
        question: "Q?".into(),
        answer: "Yes".into(),
        reviewed: reviewed.into(),
        controls: vec![CriterionId::parse("CC6.1").unwrap()],
        ..Entry::default()
    }
}

#[test]
fn staleness_rules_hold_at_their_boundaries() {
    let outdated = |to: &str| Some(Stale::ReportOutdated { covered_to: to.into() });
    let before = |reviewed: &str, start: &str, report_type| {
        Some(Stale::ReviewedBeforePeriod { reviewed: reviewed.into(), period_start: start.into(), report_type })
    };
    let mut leap = type_ii();
    leap.period_start = Some("2023-03-01".into());
    leap.period_end = Some("2024-02-29".into());
    // (case, profile, entry reviewed on, today, expected)
    let cases = [
        ("fresh", type_ii(), "2026-01-01", "2026-11-23", None),
        ("twelve months to the day", type_ii(), "2026-01-01", "2027-09-30", None),
        ("a day past twelve months", type_ii(), "2026-01-01", "2027-10-01", outdated("2026-09-30")),
        ("reviewed on the first day", type_ii(), "2025-10-01", "2026-11-23", None),
        (
            "reviewed the day before",
            type_ii(),
            "2025-09-30",
            "2026-11-23",
            before("2025-09-30", "2025-10-01", ReportType::TypeII),
        ),
        ("both: the report's age wins", type_ii(), "2024-01-01", "2028-01-01", outdated("2026-09-30")),
        ("Type I: reviewed on the date", type_i(), "2026-06-30", "2026-11-23", None),
        (
            "Type I: reviewed before",
            type_i(),
            "2026-06-29",
            "2026-11-23",
            before("2026-06-29", "2026-06-30", ReportType::TypeI),
        ),
        ("Type I: a year on", type_i(), "2026-07-01", "2027-07-01", outdated("2026-06-30")),
        ("leap day end, on 28 February", leap.clone(), "2023-06-01", "2025-02-28", None),
        ("leap day end, on 1 March", leap, "2023-06-01", "2025-03-01", outdated("2024-02-29")),
        ("unreadable review date", type_ii(), "last spring", "2026-11-23", None),
        ("unreadable today", type_ii(), "2026-01-01", "tomorrow", None),
    ];
    for (name, profile, reviewed, today, expected) in cases {
        assert_eq!(staleness(Some(&profile), &entry_reviewed(reviewed), today), expected, "{name}");
    }
    assert_eq!(staleness(None, &entry_reviewed("1999-01-01"), "2026-11-23"), None, "no profile, no rule");
    let mut from_profile = entry_reviewed("2020-01-01");
    from_profile.from_profile = Some(ProfileFact::Period);
    assert_eq!(staleness(Some(&type_ii()), &from_profile, "2026-11-23"), None, "profile answers are as fresh as it");
}

#[test]
fn stale_reasons_read_as_sentences() {
    let outdated = Stale::ReportOutdated { covered_to: "2025-09-30".into() };
    assert_eq!(
        outdated.message(),
        "The SOC 2 report covers up to 30 September 2025, more than 12 months ago; answers that rest on it are out of date."
    );
    let before = Stale::ReviewedBeforePeriod {
        reviewed: "2025-07-22".into(),
        period_start: "2025-10-01".into(),
        report_type: ReportType::TypeII,
    };
    assert_eq!(
        before.message(),
        "This answer was last reviewed on 22 July 2025, before the current SOC 2 period began on 1 October 2025."
    );
}

#[test]
fn a_response_stands_by_its_entry_unless_edited() {
    let library = Library::with_profile(
        vec![Entry {
            id: "old".into(),
            question: "Do you rotate encryption keys every year?".into(),
            controls: vec![CriterionId::parse("CC6.1").unwrap(), CriterionId::parse("P4.1").unwrap()],
            ..entry_reviewed("2025-01-01")
        }],
        builtin::criteria(),
        Some(type_ii()),
    );
    let response = |status, entry: Option<&str>| Response {
        status,
        entry_id: entry.map(str::to_owned),
        answer: "Yes".into(),
        detail: String::new(),
        note: String::new(),
        confidence: None,
        controls: vec!["CC6.1".into(), "P4.1".into()],
        evidence: Vec::new(),
    };
    let accepted = standing(&library, &response(ResponseStatus::Accepted, Some("old")), "2026-11-23");
    assert_eq!(accepted.scope, ScopeStatus::OutOfScope { categories: vec![Category::Privacy] });
    assert!(matches!(accepted.stale, Some(Stale::ReviewedBeforePeriod { .. })));
    let edited = standing(&library, &response(ResponseStatus::Edited, Some("old")), "2026-11-23");
    assert_eq!(edited.stale, None, "the reviewer's own words are not stale by the entry's date");
    let edited_late = standing(&library, &response(ResponseStatus::Edited, Some("old")), "2027-10-01");
    assert!(matches!(edited_late.stale, Some(Stale::ReportOutdated { .. })), "but the report's age still counts");
    let gone = standing(&library, &response(ResponseStatus::Accepted, Some("gone")), "2026-11-23");
    assert_eq!(gone.stale, None);
    let free = standing(&library, &response(ResponseStatus::Edited, None), "2030-01-01");
    assert_eq!(free.stale, None, "an answer from no entry rests on no report");
    let entry = library.entry("old").unwrap();
    assert_eq!(standing_of_entry(&library, entry, "2026-11-23"), accepted);
    let suggestion = crate::matching::Matcher::new(&library).match_question("Are encryption keys rotated?").remove(0);
    assert_eq!(standing_of_suggestion(&library, &suggestion, "2026-11-23"), Some(accepted));
}
