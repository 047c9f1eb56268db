//! Report tests: the summary's counts, escaping of hostile text, no URL anywhere, section order.

use super::*;
use crate::library::{builtin, Entry, EntryStatus};
use crate::matching::Matcher;
use crate::review::ReviewAction;
use proptest::prelude::*;

/// The sample questionnaire that the web app embeds.
const SAMPLE: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/sample-questionnaire.csv"));

/// The tags and attributes that the report's own markup uses; anything else came from input.
const OWN_TAGS: &[&str] = &[
    "html", "head", "meta", "title", "style", "body", "main", "section", "article", "div", "p", "h1", "h2", "dl", "dt",
    "dd", "ul", "li", "span", "strong", "code", "table", "caption", "thead", "tbody", "tr", "th", "td",
];
const OWN_ATTRIBUTES: &[&str] = &["lang", "charset", "http-equiv", "content", "name", "class"];

/// A session whose questions have no suggestions, so that every response comes from an action.
fn blank_session(csv: &str, file_name: &str) -> ReviewSession {
    let questionnaire = crate::import::import_questionnaire(csv.as_bytes(), file_name).unwrap();
    let n = questionnaire.questions.len();
    ReviewSession::new(questionnaire, vec![Vec::new(); n], &[], "0123456789abcdef")
}

fn entry(id: &str, answer: &str, controls: &[&str]) -> Entry {
    Entry {
        id: id.into(),
        question: format!("Question of {id}"),
        alternates: Vec::new(),
        answer: answer.into(),
        detail: format!("Detail of {id}."),
        controls: controls.iter().map(|c| CriterionId::parse(c).unwrap()).collect(),
        status: EntryStatus::Approved,
        ..Entry::default()
    }
}

fn choose(session: &mut ReviewSession, question: usize, entry: Entry) {
    session.apply(ReviewAction::Choose { question, entry: Box::new(entry), confidence: Some(0.9) });
}

fn edit(session: &mut ReviewSession, question: usize, answer: &str) {
    session.apply(ReviewAction::Edit { question, answer: answer.into(), detail: "Edited.".into() });
}

const SMALL: &str = "#,Category,Question,Vendor Response,Comments
1,Access,Is MFA enforced for administrators?,,
2,Access,Are access rights reviewed every quarter?,,
3,Data,Is customer data encrypted at rest?,,
4,Data,Do you keep customer data in one region?,,
5,Privacy,Do you sell personal information?,,
6,Privacy,Do you process health data?,,
7,Infrastructure,Which cloud provider hosts the service?,,
8,Infrastructure,Is there visitor parking?,,
9,Infrastructure,Do you run a bug bounty?,,
";

/// Nine questions, one per outcome the summary distinguishes.
fn small_session() -> ReviewSession {
    let mut session = blank_session(SMALL, "small.csv");
    assert_eq!(session.responses.len(), 9);
    choose(&mut session, 0, entry("mfa", "Yes", &["CC6.1", "CC6.6"]));
    choose(&mut session, 1, entry("review", "Y", &["CC6.2", "A1.2"]));
    choose(&mut session, 2, entry("encrypt", "Yes", &["C1.1"]));
    edit(&mut session, 2, "Partially implemented");
    edit(&mut session, 3, "No");
    session.apply(ReviewAction::NeedsSme { question: 4, note: "Ask the DPO.".into() });
    choose(&mut session, 5, entry("health", "Not applicable", &["P4.2"]));
    choose(&mut session, 6, entry("cloud", "We run on AWS in eu-west-1.", &["CC6.1"]));
    choose(&mut session, 8, entry("bounty", "Yes", &["CC7.1"]));
    session.apply(ReviewAction::Clear { question: 8 });
    session
}

fn id(raw: &str) -> CriterionId {
    CriterionId::parse(raw).unwrap()
}

#[test]
fn the_summary_counts_answers_statuses_and_categories() {
    let summary = summarize(&small_session(), &builtin::criteria());
    assert_eq!(summary.questions, 9);
    assert_eq!(summary.answered, 6);
    use AnswerKind::*;
    assert_eq!(
        summary.by_answer,
        [(Yes, 2), (No, 1), (Partial, 1), (NotApplicable, 1), (Other, 1), (Unanswered, 3)].to_vec()
    );
    use ResponseStatus as S;
    assert_eq!(
        summary.by_status,
        [(S::Unanswered, 1), (S::Suggested, 0), (S::Accepted, 4), (S::Edited, 2), (S::NeedsSme, 1), (S::NoMatch, 1)]
            .to_vec()
    );
    let category = |category, questions, cited: &[(&str, usize)]| CategoryCount {
        category,
        questions,
        criteria: cited.iter().map(|&(c, n)| (id(c), n)).collect(),
    };
    assert_eq!(
        summary.by_category,
        vec![
            category("Security", 3, &[("CC6.1", 2), ("CC6.2", 1), ("CC6.6", 1)]),
            category("Availability", 1, &[("A1.2", 1)]),
            category("Confidentiality", 1, &[("C1.1", 1)]),
            category("Processing Integrity", 0, &[]),
            category("Privacy", 1, &[("P4.2", 1)]),
        ]
    );
    assert_eq!(summary.citing_none, 1, "the question edited to No has no entry and no controls");
    assert_eq!(summary.no_or_partial, vec![2, 3]);
    assert_eq!(summary.needs_sme, vec![4]);
}

#[test]
fn criteria_are_listed_in_catalogue_order_not_string_order() {
    let mut session = blank_session(SMALL, "small.csv");
    choose(&mut session, 0, entry("a", "Yes", &["CC6.8", "CC6.1"]));
    choose(&mut session, 1, entry("b", "Yes", &["CC2.1"]));
    let summary = summarize(&session, &builtin::criteria());
    let security: Vec<&str> = summary.by_category[0].criteria.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(security, ["CC2.1", "CC6.1", "CC6.8"]);
}

/// The sample questionnaire matched against the built-in library, after a bulk accept of the
/// high tier and a few of a reviewer's actions.
fn sample_session() -> ReviewSession {
    let questionnaire = crate::import::import_questionnaire(SAMPLE, "sample-questionnaire.csv").unwrap();
    let library = builtin::library();
    let suggestions = Matcher::new(&library).match_all(questionnaire.questions.iter().map(|q| q.text.as_str()));
    let mut session = ReviewSession::new(questionnaire, suggestions, &library.entries, library.version());
    assert!(session.apply(ReviewAction::AcceptAllHigh) > 0, "the sample has high-tier suggestions");
    edit(&mut session, 0, "Y");
    edit(&mut session, 4, "Partial");
    session.apply(ReviewAction::NeedsSme { question: 34, note: "Ask finance for the amount.".into() });
    session.apply(ReviewAction::Clear { question: 37 });
    session
}

#[test]
fn the_sample_questionnaire_is_summarised_consistently() {
    let session = sample_session();
    let criteria = builtin::criteria();
    let summary = summarize(&session, &criteria);
    assert_eq!(summary.questions, 38);
    assert_eq!(summary.by_status, session.counts());
    assert_eq!(summary.by_answer.iter().map(|(_, n)| n).sum::<usize>(), 38);
    let finals = session.responses.iter().filter(|r| r.status.is_final()).count();
    assert_eq!(summary.answered, finals, "every final response in the sample has an answer");
    assert_eq!(summary.by_answer[5], (AnswerKind::Unanswered, 38 - finals));
    assert!(summary.by_answer[0].1 >= 1, "question 1 was edited to Y, which counts as Yes");
    assert!(summary.no_or_partial.contains(&4));
    assert_eq!(summary.needs_sme, vec![34]);
    for count in &summary.by_category {
        let expected = session
            .responses
            .iter()
            .filter(|r| r.status.is_final())
            .filter(|r| r.controls.iter().any(|c| CriteriaCatalog::category_of(&id(c)) == count.category))
            .count();
        assert_eq!(count.questions, expected, "{}", count.category);
    }
    assert!(summary.by_category[0].questions > 0, "the sample's answers cite Security criteria");

    let html = to_html(&session, &criteria, "2025-01-31");
    for (label, n) in summary.by_status.iter().map(|&(s, n)| (s.label(), n)) {
        assert!(html.contains(&format!("<tr><td>{label}</td><td class=\"n\">{n}</td></tr>")), "{label}");
    }
    assert!(html.contains("<h1>sample-questionnaire.csv</h1>"));
    assert!(html.contains("<dt>Generated</dt><dd>2025-01-31</dd>"));
    assert!(html.contains(&format!("<code>{}</code>", session.library_version)));
    let description = &criteria.get(&id("CC6.1")).unwrap().description;
    assert!(html.contains(&escape_html(description)), "control chips carry their description");
    assert_own_markup_only(&html);
    assert_no_url(&html);
}

#[test]
fn sections_appear_in_questionnaire_order_each_once() {
    let html = to_html(&sample_session(), &builtin::criteria(), "2025-01-31");
    let sections = [
        "Company",
        "Compliance",
        "Access Control",
        "Data Protection",
        "Infrastructure",
        "Vulnerability Management",
        "Logging and Monitoring",
        "Incident Response",
        "Business Continuity",
        "Human Resources",
        "Change Management",
        "Privacy",
        "Third Parties",
        "Insurance",
        "AI",
        "Accessibility",
        "Facilities",
    ];
    let positions: Vec<usize> = sections
        .iter()
        .map(|s| {
            let heading = format!("<h2>{s} <span class=\"count\">");
            assert_eq!(html.matches(&heading).count(), 1, "{s}");
            html.find(&heading).unwrap()
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    assert_eq!(html.matches("<article class=\"question\">").count(), 38);
    assert!(html.find("class=\"cover\"").unwrap() < positions[0], "the cover comes first");
}

/// Text that would run a script, load an image, follow a link or break out of an attribute
/// if it were written as markup.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "javascript:alert(document.cookie)",
    "https://evil.example/x.png and //evil.example and http://evil.example",
    "</style><style>body{background:url(https://evil.example)}</style>",
    "'; } @import url(evil.css); a { b: '",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<iframe srcdoc=\"<script>alert(1)</script>\">",
    "nul\u{0}and escape\u{1b}[31m",
];

fn hostile_session() -> ReviewSession {
    let mut csv = String::from("#,Category,Question,Vendor Response,Comments\n");
    for (i, text) in HOSTILE.iter().enumerate() {
        let quoted = text.replace('"', "\"\"");
        csv.push_str(&format!("\"{quoted}\",\"{quoted}\",\"Question {i}: {quoted}\",,\n"));
    }
    let mut session = blank_session(&csv, "</title><script>alert(1)</script>.csv");
    assert_eq!(session.responses.len(), HOSTILE.len());
    for (i, text) in HOSTILE.iter().enumerate() {
        session.apply(ReviewAction::Edit { question: i, answer: (*text).into(), detail: (*text).into() });
        let note = format!("{text} {}", "A".repeat(100_000));
        session.apply(ReviewAction::NeedsSme { question: i, note });
        session.responses[i].entry_id = Some((*text).into());
        session.responses[i].controls = vec![(*text).into(), "CC6.1".into()];
    }
    session.apply(ReviewAction::Edit { question: 0, answer: "No".into(), detail: HOSTILE[1].into() });
    session.library_version = HOSTILE[2].into();
    session
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let session = hostile_session();
    let html = to_html(&session, &builtin::criteria(), HOSTILE[0]);
    assert_inert(&html);
    assert!(html.contains(&escape_html(HOSTILE[1])), "hostile text is still shown, as text");
    assert!(html.contains(&"A".repeat(100_000)), "long text is kept whole and wrapped by the stylesheet");
}

#[test]
fn the_report_is_self_contained_and_forbids_requests() {
    let html = to_html(&small_session(), &builtin::criteria(), "2025-01-31");
    assert!(html.starts_with("<!DOCTYPE html>"));
    let policy =
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">";
    let policy_at = html.find(policy).expect("the policy is in the head");
    assert!(policy_at < html.find("<style>").unwrap(), "the policy comes before the style");
    assert!(html.contains("@media print"));
    assert!(html.contains("break-after: page"), "the cover ends its page in print");
    assert!(html.contains("break-inside: avoid"), "a question is not split across pages");
    assert!(html.contains("@top-left { content: \"small.csv\""), "the printed header holds the file name");
    assert_own_markup_only(&html);
    assert_no_url(&html);
    assert_eq!(html, to_html(&small_session(), &builtin::criteria(), "2025-01-31"), "the output is deterministic");
}

#[test]
fn unanswered_suggestions_are_shown_as_proposals() {
    let questionnaire = crate::import::import_questionnaire(SAMPLE, "sample-questionnaire.csv").unwrap();
    let library = builtin::library();
    let suggestions = Matcher::new(&library).match_all(questionnaire.questions.iter().map(|q| q.text.as_str()));
    let session = ReviewSession::new(questionnaire, suggestions, &library.entries, library.version());
    let summary = summarize(&session, &library.criteria);
    assert_eq!(summary.answered, 0, "nothing is answered before review");
    let html = to_html(&session, &library.criteria, "2025-01-31");
    assert!(html.contains("proposed, not yet reviewed"));
}

/// Three questions answered from built-in entries that stand differently against the built-in
/// profile: covered, outside the scope (Privacy), and stale (reviewed before the period).
fn standing_session(library: &crate::library::Library) -> ReviewSession {
    let csv = "#,Question,Answer\n1,Do you enforce MFA for administrators?,\n2,Do you publish a privacy notice?,\n\
               3,Do you carry general liability insurance?,\n";
    let mut session = blank_session(csv, "standing.csv");
    for (question, id) in ["cc6-mfa-admin", "p1-privacy-notice", "insurance-general-liability"].iter().enumerate() {
        choose(&mut session, question, library.entry(id).unwrap().clone());
    }
    session
}

#[test]
fn with_the_library_the_report_opens_with_the_soc2_paragraph_and_flags_answers() {
    let library = builtin::library();
    let session = standing_session(&library);
    let html = to_html_with_library(&session, &library, "2026-11-23");
    let paragraph = format!(
        "<p class=\"soc2-summary\">{}</p>",
        escape_html(&crate::library::profile::summary(library.profile().unwrap()))
    );
    let at = html.find(&paragraph).expect("the cover holds the SOC 2 paragraph");
    assert!(html.find("<h1>").unwrap() < at && at < html.find("<dl class=\"meta\">").unwrap(), "after the title");
    assert!(html.contains("<dd class=\"scope\">Covered by the audited SOC 2 scope.</dd>"));
    assert!(html.contains("<dd class=\"scope-out\">Privacy is not in your SOC 2 scope.</dd>"));
    assert_eq!(html.matches("<dd class=\"stale\">").count(), 1, "one answer is stale");
    assert!(html.contains(&escape_html("last reviewed on 12 September 2025, before the current SOC 2 period")));
    for id in ["cc6-mfa-admin", "p1-privacy-notice", "insurance-general-liability"] {
        for reference in &library.entry(id).unwrap().evidence {
            assert!(html.contains(&format!("<li>{}</li>", escape_html(reference))), "{id}: {reference}");
        }
    }
    let cover = &html[..html.find("</section>").unwrap()];
    assert!(cover.contains("<h2>Outside the SOC 2 scope</h2>\n<ul class=\"list\">\n<li><span class=\"qid\">2</span>"));
    assert!(cover.contains("<h2>Stale answers</h2>\n<ul class=\"list\">\n<li><span class=\"qid\">3</span>"));
    assert_inert(&html);

    let plain = to_html(&session, &library.criteria, "2026-11-23");
    assert!(!plain.contains("<p class=\"soc2-summary\">"), "without the library, no SOC 2 paragraph");
    assert!(!plain.contains("<dt>SOC 2 scope</dt>"), "without the library, the scope is unknown and not shown");
    assert!(plain.contains("<dt>Evidence</dt>"), "evidence travels with the answers");
}

#[test]
fn hostile_profile_and_evidence_are_escaped() {
    use crate::library::profile::{BridgeLetter, SubserviceMethod, SubserviceOrg};
    let mut profile = builtin::try_profile().unwrap();
    profile.system = HOSTILE[0].into();
    profile.auditor = HOSTILE[1].into();
    profile.report_date = HOSTILE[2].into();
    profile.how_to_request = HOSTILE[4].into();
    profile.exceptions = HOSTILE.iter().map(|h| (*h).to_owned()).collect();
    profile.bridge_letter = Some(BridgeLetter { start: HOSTILE[5].into(), end: HOSTILE[6].into() });
    profile.subservice_organisations =
        vec![SubserviceOrg { name: HOSTILE[7].into(), method: SubserviceMethod::Inclusive }];
    let mut hostile = entry("hostile", "Yes", &["A1.2", "P4.2"]);
    hostile.evidence = HOSTILE.iter().map(|h| (*h).to_owned()).collect();
    hostile.reviewed = HOSTILE[8].into();
    let library = crate::library::Library::with_profile(vec![hostile.clone()], builtin::criteria(), Some(profile));
    let mut session = blank_session(SMALL, "small.csv");
    choose(&mut session, 0, hostile);
    let html = to_html_with_library(&session, &library, HOSTILE[3]);
    assert_inert(&html);
    assert!(html.contains(&escape_html(HOSTILE[0])), "the hostile system is shown as text");
    assert!(html.contains(&format!("<li>{}</li>", escape_html(HOSTILE[8]))), "hostile evidence is shown as text");
}

#[test]
fn html_escaping_covers_markup_attributes_and_urls() {
    for (input, expected) in [
        ("plain text", "plain text"),
        ("a & b", "a &amp; b"),
        ("<b>", "&lt;b&gt;"),
        ("\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;"),
        ("x=1", "x&#61;1"),
        ("https://a", "https&#58;&#47;&#47;a"),
        ("`tick`", "&#96;tick&#96;"),
        ("a\u{0}b\u{7}c\u{9b}d", "abcd"),
        ("tab\tnew\nline", "tab\tnew\nline"),
        ("naïve café ✓", "naïve café ✓"),
        ("&amp;", "&amp;amp;"),
        ("", ""),
    ] {
        assert_eq!(escape_html(input), expected, "{input:?}");
    }
}

#[test]
fn css_strings_cannot_end_the_string_or_the_style() {
    assert_eq!(css_string("Vendor Q3 (2025).xlsx"), "\"Vendor Q3 (2025).xlsx\"");
    assert_eq!(css_string("a\"b"), "\"a\\000022b\"");
    assert_eq!(css_string("</style>"), "\"\\00003C\\00002Fstyle\\00003E\"");
    assert_eq!(css_string("é\\"), "\"\\0000E9\\00005C\"");
}

#[test]
fn quotes_are_cut_on_one_line() {
    assert_eq!(shorten("short\n  text", 20), "short text");
    assert_eq!(shorten("abcdefghij", 5), "abcd…");
    assert_eq!(shorten("ab  cd ef", 4), "ab…");
    assert_eq!(shorten("ééééé", 3).chars().count(), 3);
}

proptest! {
    #[test]
    fn escaped_text_never_holds_markup_or_url_characters(text in any::<String>()) {
        let escaped = escape_html(&text);
        prop_assert!(!escaped.contains(['<', '>', '"', '\'', '`', '=', '/', ':']));
        prop_assert!(!escaped.chars().any(is_dropped));
    }

    #[test]
    fn css_strings_hold_only_safe_characters(text in any::<String>()) {
        let quoted = css_string(&text);
        let inner = &quoted[1..quoted.len() - 1];
        prop_assert!(inner.chars().all(|c| c.is_ascii_alphanumeric() || " .,_-()\\".contains(c)));
    }
}

/// Fails if the page could run, load or link anything: only its own markup, no URL, and none
/// of the pieces that hostile text would need.
fn assert_inert(html: &str) {
    assert_own_markup_only(html);
    assert_no_url(html);
    let lower = html.to_lowercase();
    for forbidden in ["<script", "<img", "<svg", "<iframe", "<a ", "onerror=", "onload=", "src=", "href=", "srcdoc="] {
        assert!(!lower.contains(forbidden), "{forbidden} in the report");
    }
    for forbidden in ["javascript:", "\u{0}", "\u{1b}"] {
        assert!(!lower.contains(forbidden), "{forbidden:?} in the report");
    }
    assert_eq!(lower.matches("</style>").count(), 1, "the style element ends once");
}

/// Fails if the page holds a tag or attribute that the report itself does not write.
fn assert_own_markup_only(html: &str) {
    for (at, _) in html.match_indices('<') {
        let tag = &html[at + 1..at + 1 + html[at..].find('>').expect("every tag is closed") - 1];
        if tag == "!DOCTYPE html" {
            continue;
        }
        let name = tag.trim_start_matches('/').split_whitespace().next().unwrap_or_default();
        assert!(OWN_TAGS.contains(&name), "unexpected tag <{tag}>");
        let mut rest = tag.trim_start_matches('/')[name.len()..].trim_start();
        while !rest.is_empty() {
            let (attribute, after) = rest.split_once("=\"").expect("attributes are quoted");
            assert!(OWN_ATTRIBUTES.contains(&attribute), "unexpected attribute {attribute} in <{tag}>");
            let (_, after) = after.split_once('"').expect("the value is closed");
            rest = after.trim_start();
        }
    }
}

/// Fails if the page names a URL of any kind, or its stylesheet could fetch one.
fn assert_no_url(html: &str) {
    let lower = html.to_lowercase();
    for url in ["http:", "https:", "//", "data:", "file:", "ftp:"] {
        assert!(!lower.contains(url), "{url} in the report");
    }
    let style = &lower[lower.find("<style>").unwrap()..lower.find("</style>").unwrap()];
    for fetch in ["url(", "@import", "image-set(", "@font-face"] {
        assert!(!style.contains(fetch), "{fetch} in the stylesheet");
    }
}
