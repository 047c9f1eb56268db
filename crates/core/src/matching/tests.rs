//! Matcher tests: paraphrases, explanations that add up, incremental updates, determinism.

use super::*;
use crate::library::builtin;

fn matcher() -> (Library, Matcher) {
    let library = builtin::library();
    let matcher = Matcher::new(&library);
    (library, matcher)
}

#[test]
fn explanation_parts_add_up_to_the_score() {
    let (_, matcher) = matcher();
    for question in
        ["Do you enforce MFA for administrators?", "Describe your backup process.", "Is data encrypted at rest?"]
    {
        for suggestion in matcher.match_question(question) {
            let e = &suggestion.explanation;
            let sum: f32 = e.parts.iter().map(|p| p.contribution).sum();
            assert!((sum - e.score).abs() < 1e-3 * e.score.max(1.0), "{question}: parts {sum} != score {}", e.score);
            assert!((0.0..=1.0).contains(&suggestion.confidence));
            assert_eq!(suggestion.confidence, e.confidence);
        }
    }
}

#[test]
fn paraphrases_of_one_control_find_the_same_topic() {
    let (library, matcher) = matcher();
    let questions = [
        "Do you enforce MFA for administrators?",
        "Is multi-factor authentication required for privileged access to production?",
        "Do admins have to use 2FA?",
    ];
    for question in questions {
        let top = matcher.match_question(question);
        let entry = library.entry(&top[0].entry_id).unwrap();
        let text = format!("{} {} {}", entry.question, entry.alternates.join(" "), entry.tags.join(" ")).to_lowercase();
        assert!(
            text.contains("mfa") || text.contains("multi-factor") || text.contains("2fa"),
            "{question} -> {}",
            entry.id
        );
    }
}

#[test]
fn unrelated_questions_get_no_match() {
    let (_, matcher) = matcher();
    for question in ["What is the airspeed velocity of an unladen swallow?", "Zebra quantum pineapple?"] {
        let top = matcher.match_question(question);
        assert!(
            top.first().is_none_or(|s| s.tier == Tier::None),
            "{question}: {:?}",
            top.first().map(|s| (&s.entry_id, s.confidence))
        );
    }
}

#[test]
fn incremental_update_equals_a_rebuild() {
    let (library, mut matcher) = matcher();
    let mut edited = library.entries[3].clone();
    edited.alternates.push("Do you keep a register of every laptop and server?".into());
    matcher.upsert(&edited);
    let mut rebuilt_library = library.clone();
    rebuilt_library.entries[3] = edited;
    let rebuilt = Matcher::new(&rebuilt_library);
    for question in ["Do you keep a register of every laptop?", "Is MFA enforced?", "How long are logs retained?"] {
        let a: Vec<_> =
            matcher.match_question(question).into_iter().map(|s| (s.entry_id, (s.confidence * 1e4).round())).collect();
        let b: Vec<_> =
            rebuilt.match_question(question).into_iter().map(|s| (s.entry_id, (s.confidence * 1e4).round())).collect();
        assert_eq!(a, b, "{question}");
    }
}

#[test]
fn typos_are_corrected() {
    let (_, matcher) = matcher();
    let top = matcher.match_question("Is customer data encypted at rest?");
    assert!(
        top[0].explanation.corrections.iter().any(|(from, _)| from == "encypted"),
        "{:?}",
        top[0].explanation.corrections
    );
}

#[test]
fn negated_questions_are_flagged() {
    let (_, matcher) = matcher();
    let top = matcher.match_question("Is customer data never encrypted at rest?");
    assert!(top[0].explanation.polarity_warning.is_some());
}

#[test]
fn asking_for_one_suggestion_gives_the_same_confidence_as_asking_for_three() {
    let library = builtin::library();
    let one = Matcher::with_config(&library, Analyzer::builtin(), MatchConfig { top_k: 1, ..Default::default() });
    let three = Matcher::new(&library);
    for question in [
        "Do current backups include all operating system software needed for recovery?",
        "Do you enforce MFA for administrators?",
        "Will the institution's data be available after the contract ends?",
    ] {
        let (a, b) = (one.match_question(question), three.match_question(question));
        assert_eq!(a.len().min(1), b.len().min(1), "{question}");
        if let (Some(a), Some(b)) = (a.first(), b.first()) {
            assert_eq!((&a.entry_id, a.confidence, a.tier), (&b.entry_id, b.confidence, b.tier), "{question}");
        }
    }
}

#[test]
fn a_high_answer_must_cover_a_share_of_the_question() {
    let tiers = TierThresholds::default();
    let thin = ConfidenceFeatures { question_coverage: 0.1, phrasing_coverage: 0.9, gap: 0.8, semantic: None };
    let broad = ConfidenceFeatures { question_coverage: 0.6, ..thin };
    assert_eq!(tiers.tier_of(0.9, &thin), Tier::Medium);
    assert_eq!(tiers.tier_of(0.9, &broad), Tier::High);
    assert_eq!(tiers.tier_of(0.6, &thin), Tier::Medium);
    assert_eq!(tiers.tier_of(0.1, &broad), Tier::None);
}
