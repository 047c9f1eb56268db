//! Review mode on the real HECVAT: the questionnaire is matched against the built-in library
//! (whose profile here leaves Availability out), answered with a known mix of Yes, No,
//! Partial, N/A, free text, an SME hand-off and untouched suggestions, exported as a response
//! package, read back and summarised.

use super::*;
use crate::export::canonical_answer;
use crate::export::package::{to_package, to_package_with_library};
use crate::import::package::read_package;
use crate::library::{builtin, Library};
use crate::matching::Matcher;
use crate::review::{ReviewAction, ReviewSession};
use std::sync::OnceLock;

/// The date the package is checked on.
const TODAY: &str = "2026-11-30";

/// The categories of the profile used here: the built-in one without Availability.
const IN_SCOPE: [Category; 2] = [Category::Security, Category::Confidentiality];

/// The HECVAT, answered, exported and read back, with what each answer was set to.
struct Answered {
    library: Library,
    original: Vec<u8>,
    session: ReviewSession,
    package: ResponsePackage,
    summary: ReviewerSummary,
    no: usize,
    partial: usize,
    not_applicable: usize,
    free_text: usize,
    yes_letter: usize,
    needs_sme: usize,
    /// Every question left without a final answer, in order.
    unanswered: Vec<usize>,
}

fn library_without_availability() -> Library {
    let mut library = builtin::library();
    let mut profile = library.profile().cloned().expect("the built-in library has a profile");
    profile.categories.remove(&Category::Availability);
    library.set_profile(Some(profile));
    library
}

fn answered() -> &'static Answered {
    static ANSWERED: OnceLock<Answered> = OnceLock::new();
    ANSWERED.get_or_init(|| {
        let original = crate::import::tests::fixture("hecvat/HECVAT-4.1.4-blank.xlsx");
        let questionnaire = crate::import_questionnaire(&original, "HECVAT-4.1.4-blank.xlsx").unwrap();
        let library = library_without_availability();
        let suggestions = Matcher::new(&library).match_all(questionnaire.questions.iter().map(|q| q.text.as_str()));
        let mut session = ReviewSession::new(questionnaire, suggestions, &library.entries, library.version());
        let status = |session: &ReviewSession, wanted: ResponseStatus| -> Vec<usize> {
            (0..session.responses.len()).filter(|&i| session.responses[i].status == wanted).collect()
        };
        let suggested = status(&session, ResponseStatus::Suggested);
        let no_match = status(&session, ResponseStatus::NoMatch);
        assert!(
            suggested.len() > 100 && !no_match.is_empty(),
            "{} suggested, {} without",
            suggested.len(),
            no_match.len()
        );

        let edit = |session: &mut ReviewSession, question: usize, answer: &str, detail: &str| {
            session.apply(ReviewAction::Edit { question, answer: answer.into(), detail: detail.into() });
        };
        let [no, partial, needs_sme, left_a, left_b, free_text, yes_letter] = suggested[..7] else { unreachable!() };
        edit(&mut session, no, "No", "Not yet.");
        edit(&mut session, partial, "Partially implemented", "Rolling out this quarter.");
        session.apply(ReviewAction::NeedsSme { question: needs_sme, note: "Ask the CISO.".into() });
        edit(&mut session, free_text, "We keep keys in Zanzibar vaults.", "");
        edit(&mut session, yes_letter, "Y", "");
        let not_applicable = no_match[0];
        edit(&mut session, not_applicable, "N/A", "We hold no card data.");
        let mut unanswered = vec![needs_sme, left_a, left_b];
        unanswered.extend(&no_match[1..]);
        // Every other suggestion is accepted, unless its library answer is itself No or
        // Partial: those are cleared, so that No and Partial are exactly the two set above.
        for &question in &suggested[7..] {
            let answer = &session.responses[question].answer;
            if matches!(canonical_answer(answer), Some("no" | "partial")) {
                session.apply(ReviewAction::Clear { question });
                unanswered.push(question);
            } else if session.apply(ReviewAction::Accept { question }) == 0 {
                unanswered.push(question);
            }
        }
        unanswered.sort_unstable();

        let json = to_package_with_library(&session, &library, TODAY);
        let package = read_package(json.as_bytes(), "HECVAT-trustfill.json").unwrap();
        let summary = ReviewerSummary::from_package(&package);
        Answered {
            library,
            original,
            session,
            package,
            summary,
            no,
            partial,
            not_applicable,
            free_text,
            yes_letter,
            needs_sme,
            unanswered,
        }
    })
}

fn ids(refs: &[QuestionRef]) -> Vec<(usize, &str)> {
    refs.iter().map(|r| (r.index, r.id.as_str())).collect()
}

fn expected_refs(answered: &Answered, indices: &[usize]) -> Vec<(usize, String)> {
    indices.iter().map(|&i| (i, answered.package.questionnaire.questions[i].id.clone())).collect()
}

fn owned(refs: Vec<(usize, &str)>) -> Vec<(usize, String)> {
    refs.into_iter().map(|(i, id)| (i, id.to_owned())).collect()
}

/// The categories a response's controls cite, computed here from the controls directly.
fn categories_cited(response: &Response) -> BTreeSet<Category> {
    response.controls.iter().filter_map(|c| CriterionId::parse(c).ok()).map(|c| Category::of(&c)).collect()
}

#[test]
fn the_counts_add_up_and_the_lists_are_the_answers_set() {
    let a = answered();
    let summary = &a.summary;
    assert_eq!(summary.questions, 331);
    assert_eq!(summary.counts.total(), summary.questions);
    assert_eq!((summary.counts.no, summary.counts.partial), (1, 1));
    // The other kinds, counted here from the final answers' words.
    let mut expected = AnswerCounts { unanswered: a.unanswered.len(), no: 1, partial: 1, ..Default::default() };
    for response in a.session.responses.iter().filter(|r| r.status.is_final()) {
        match canonical_answer(&response.answer) {
            Some("yes") => expected.yes += 1,
            Some("n/a") => expected.not_applicable += 1,
            Some(_) => {}
            None => expected.other += 1,
        }
    }
    assert_eq!(summary.counts, expected);
    assert!(expected.yes > 100 && expected.not_applicable >= 1 && expected.other >= 1, "{expected:?}");
    assert_eq!(summary.counts.unanswered, a.unanswered.len());
    assert_eq!(owned(ids(&summary.no_or_partial)), expected_refs(a, &[a.no, a.partial]));
    assert_eq!(owned(ids(&summary.unanswered)), expected_refs(a, &a.unanswered));
    assert!(a.unanswered.contains(&a.needs_sme));
    let answered_final = a.session.responses.iter().filter(|r| r.status.is_final()).count();
    assert_eq!(summary.counts.answered(), answered_final, "only final answers count");
    for (index, kind) in [
        (a.free_text, AnswerKind::Other),
        (a.not_applicable, AnswerKind::NotApplicable),
        (a.yes_letter, AnswerKind::Yes),
        (a.partial, AnswerKind::Partial),
    ] {
        assert_eq!(answer_kind(&a.package.responses, index), kind);
    }
}

#[test]
fn the_categories_and_criteria_agree_with_the_controls() {
    let a = answered();
    let summary = &a.summary;
    let order: Vec<Category> = summary.by_category.iter().map(|c| c.category).collect();
    assert_eq!(order, Category::ALL);
    let responses = &a.package.responses;
    for category in &summary.by_category {
        let citing: Vec<usize> =
            (0..responses.len()).filter(|&i| categories_cited(&responses[i]).contains(&category.category)).collect();
        assert_eq!(category.counts.total(), citing.len(), "{}", category.category);
        for kind in AnswerKind::ALL {
            let expected = citing.iter().filter(|&&i| answer_kind(responses, i) == kind).count();
            assert_eq!(category.counts.get(kind), expected, "{} {kind:?}", category.category);
        }
        let keys: Vec<_> = category.criteria.iter().map(|c| c.criterion.report_order()).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{}: criteria in report order", category.category);
        for criterion in &category.criteria {
            assert_eq!(Category::of(&criterion.criterion), category.category);
            let cites = |r: &Response| {
                r.controls.iter().any(|c| CriterionId::parse(c).ok().as_ref() == Some(&criterion.criterion))
            };
            assert_eq!(
                criterion.counts.total(),
                responses.iter().filter(|r| cites(r)).count(),
                "{}",
                criterion.criterion
            );
            assert!(criterion.counts.total() <= category.counts.total());
        }
    }
    let citing_any = responses.iter().filter(|r| !categories_cited(r).is_empty()).count();
    assert_eq!(summary.no_control.total() + citing_any, summary.questions);
    assert!(summary.by_category.iter().all(|c| c.counts.total() > 0), "the HECVAT touches every category");
}

#[test]
fn stale_and_out_of_scope_answers_follow_what_the_package_recorded() {
    let a = answered();
    let responses = &a.package.responses;
    let is_final = |i: usize| {
        let r = &responses[i];
        r.status.is_final() && !(r.answer.trim().is_empty() && r.detail.trim().is_empty())
    };
    let expected_scope: Vec<(usize, Vec<Category>)> = (0..responses.len())
        .filter(|&i| is_final(i))
        .map(|i| (i, categories_cited(&responses[i]).into_iter().filter(|c| !IN_SCOPE.contains(c)).collect()))
        .filter(|(_, outside): &(usize, Vec<Category>)| !outside.is_empty())
        .collect();
    let scope: Vec<(usize, Vec<Category>)> =
        a.summary.out_of_scope.iter().map(|o| (o.index, o.categories.clone())).collect();
    assert_eq!(scope, expected_scope);
    assert!(scope.iter().any(|(_, c)| c.contains(&Category::Availability)), "Availability is flagged");

    let checked = profile::standings(Some(&a.library), &a.session.responses, TODAY);
    let expected_stale: Vec<(usize, Stale)> =
        (0..checked.len()).filter(|&i| is_final(i)).filter_map(|i| Some((i, checked[i].stale.clone()?))).collect();
    let stale: Vec<(usize, Stale)> = a.summary.stale.iter().map(|s| (s.index, s.stale.clone())).collect();
    assert!(!stale.is_empty(), "some built-in entries were reviewed before the period began");
    assert_eq!(stale, expected_stale);
    for stale in &a.summary.stale {
        assert!(a.summary.is_flagged(stale.index));
        assert_eq!(stale.id, a.package.questionnaire.questions[stale.index].id);
    }
    for outside in &a.summary.out_of_scope {
        assert!(a.summary.is_flagged(outside.index));
        assert_eq!(outside.id, a.package.questionnaire.questions[outside.index].id);
    }
    assert!(!a.summary.is_flagged(a.needs_sme), "an open question is never flagged");
}

#[test]
fn a_package_without_the_library_flags_nothing() {
    let a = answered();
    let package = read_package(to_package(&a.session).as_bytes(), "x.json").unwrap();
    let summary = ReviewerSummary::from_package(&package);
    assert!(summary.stale.is_empty() && summary.out_of_scope.is_empty());
    assert_eq!(summary.counts, a.summary.counts, "the answers count the same");
    assert_eq!(package.profile, None);
    assert_eq!(soc2_paragraph(package.profile.as_ref()), None);
    let paragraph = soc2_paragraph(a.package.profile.as_ref()).unwrap();
    assert!(paragraph.starts_with("Our SOC 2 Type II report"), "{paragraph}");
    assert!(paragraph.contains("The report covers Security and Confidentiality;"), "{paragraph}");
}

#[test]
fn a_filled_workbook_gives_the_same_no_partial_and_open_questions() {
    let a = answered();
    let filled = crate::export::fill_original(&a.original, &a.session).unwrap();
    let questionnaire = crate::import_questionnaire(&filled, "HECVAT-filled.xlsx").unwrap();
    let responses = responses_from_filled(&questionnaire);
    let summary = ReviewerSummary::new(&questionnaire, &responses, &[]);
    assert_eq!(summary.counts.total(), 331);
    assert_eq!(ids(&summary.no_or_partial), ids(&a.summary.no_or_partial));
    assert_eq!(ids(&summary.unanswered), ids(&a.summary.unanswered));
    assert_eq!(summary.no_control.total(), 331, "a filled workbook cites no criteria");
    assert!(summary.stale.is_empty() && summary.out_of_scope.is_empty());
    assert_eq!(responses[a.free_text].answer, "We keep keys in Zanzibar vaults.");
}

/// The notes the filter cases use: three ratings and one note with a word no question has.
fn notes(a: &Answered) -> ReviewerNotes {
    let id = |i: usize| a.package.questionnaire.questions[i].id.as_str();
    let mut notes = ReviewerNotes::new("HECVAT-trustfill.json", &a.package.library_version);
    notes.set_rating(id(a.no), Some(Rating::Unacceptable));
    notes.set_note(id(a.no), "Zebracorn: no MFA for contractors.");
    notes.set_rating(id(a.partial), Some(Rating::NeedsFollowUp));
    notes.set_rating(id(a.not_applicable), Some(Rating::Acceptable));
    notes
}

#[test]
fn filters_pick_the_questions_asked_for() {
    let a = answered();
    let (questionnaire, responses) = (&a.package.questionnaire, &a.package.responses);
    let notes = notes(a);
    let all: Vec<usize> = (0..questionnaire.questions.len()).collect();
    let citing = |category: Category| -> Vec<usize> {
        all.iter().copied().filter(|&i| categories_cited(&responses[i]).contains(&category)).collect()
    };
    let of_kind = |kind: AnswerKind, within: Vec<usize>| -> Vec<usize> {
        within.into_iter().filter(|&i| answer_kind(responses, i) == kind).collect()
    };
    let mut flagged: Vec<usize> =
        a.summary.stale.iter().map(|s| s.index).chain(a.summary.out_of_scope.iter().map(|s| s.index)).collect();
    flagged.sort_unstable();
    flagged.dedup();
    let rated = [a.no, a.partial, a.not_applicable];
    let cases: Vec<(&str, ReviewerFilter, Vec<usize>)> = vec![
        ("nothing asked", ReviewerFilter::default(), all.clone()),
        ("No", ReviewerFilter { answer: Some(AnswerKind::No), ..Default::default() }, vec![a.no]),
        ("Partial", ReviewerFilter { answer: Some(AnswerKind::Partial), ..Default::default() }, vec![a.partial]),
        (
            "Other",
            ReviewerFilter { answer: Some(AnswerKind::Other), ..Default::default() },
            of_kind(AnswerKind::Other, all.clone()),
        ),
        (
            "unanswered",
            ReviewerFilter { answer: Some(AnswerKind::Unanswered), ..Default::default() },
            a.unanswered.clone(),
        ),
        (
            "Availability",
            ReviewerFilter { category: Some(Category::Availability), ..Default::default() },
            citing(Category::Availability),
        ),
        (
            "Privacy answered Yes",
            ReviewerFilter { category: Some(Category::Privacy), answer: Some(AnswerKind::Yes), ..Default::default() },
            of_kind(AnswerKind::Yes, citing(Category::Privacy)),
        ),
        (
            "Unacceptable",
            ReviewerFilter { rating: Some(RatingFilter::Is(Rating::Unacceptable)), ..Default::default() },
            vec![a.no],
        ),
        (
            "Acceptable",
            ReviewerFilter { rating: Some(RatingFilter::Is(Rating::Acceptable)), ..Default::default() },
            vec![a.not_applicable],
        ),
        (
            "unrated",
            ReviewerFilter { rating: Some(RatingFilter::Unrated), ..Default::default() },
            all.iter().copied().filter(|i| !rated.contains(i)).collect(),
        ),
        ("flagged", ReviewerFilter { flagged_only: true, ..Default::default() }, flagged.clone()),
        ("a word of the note, any case", ReviewerFilter { text: "ZEBRACORN".into(), ..Default::default() }, vec![a.no]),
        (
            "two words of the answer",
            ReviewerFilter { text: "  vaults zanzibar ".into(), ..Default::default() },
            vec![a.free_text],
        ),
        ("a word and a word nowhere", ReviewerFilter { text: "zanzibar qwxzy".into(), ..Default::default() }, vec![]),
        (
            "the question id",
            ReviewerFilter { text: questionnaire.questions[a.no].id.to_lowercase(), ..Default::default() },
            all.iter()
                .copied()
                .filter(|&i| questionnaire.questions[i].id.starts_with(&questionnaire.questions[a.no].id))
                .collect(),
        ),
        (
            "the open question, flagged",
            ReviewerFilter { flagged_only: true, answer: Some(AnswerKind::Unanswered), ..Default::default() },
            vec![],
        ),
    ];
    for (name, wanted, expected) in cases {
        assert_eq!(filter(questionnaire, responses, &a.summary, &notes, &wanted), expected, "{name}");
    }
    assert!(!flagged.is_empty() && !citing(Category::Availability).is_empty(), "the cases are not vacuous");
}

#[test]
fn notes_on_the_hecvat_round_trip_and_export_as_neutral_csv() {
    let a = answered();
    let mut notes = notes(a);
    let hostile = a.package.questionnaire.questions[a.partial].id.clone();
    notes.set_note(&hostile, "=HYPERLINK(\"http://x\",\"click\")");
    assert_eq!(ReviewerNotes::from_json(&notes.to_json()).unwrap(), notes);
    assert!(notes.orphans(&a.package.questionnaire).is_empty());
    notes.set_note("NOT-A-QUESTION", "left over");
    assert_eq!(notes.orphans(&a.package.questionnaire), ["NOT-A-QUESTION"]);

    let mut responses = a.package.responses.clone();
    responses[a.free_text].answer = "@SUM(A1:A9)".into();
    let csv = notes.to_csv(&a.package.questionnaire, &responses);
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), notes::CSV_HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), a.package.questionnaire.questions.len());
    let row = |i: usize| rows[i].iter().collect::<Vec<_>>();
    let question = |i: usize| &a.package.questionnaire.questions[i];
    assert_eq!(
        row(a.no),
        [
            question(a.no).id.as_str(),
            &question(a.no).section,
            &question(a.no).text,
            "No",
            "Unacceptable",
            "Zebracorn: no MFA for contractors."
        ]
    );
    assert_eq!(row(a.partial)[4..], ["Needs follow-up", "'=HYPERLINK(\"http://x\",\"click\")"]);
    assert_eq!(row(a.free_text)[3], "'@SUM(A1:A9)");
    assert_eq!(row(a.needs_sme)[3], "", "an answer nobody gave is not exported");
    assert!(!responses[a.needs_sme].answer.is_empty(), "though the unreviewed suggestion has text");
}
