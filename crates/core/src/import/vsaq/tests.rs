//! VSAQ import tests on the four Google questionnaires in `../shared/fixtures/vsaq`.

use super::*;
use crate::import::import_questionnaire;
use crate::import::tests::fixture;
use crate::model::Severity;

fn import(name: &str) -> Questionnaire {
    let bytes = fixture(&format!("vsaq/{name}.json"));
    import_questionnaire(&bytes, &format!("{name}.json")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn question<'a>(q: &'a Questionnaire, id: &str) -> &'a Question {
    q.questions.iter().find(|q| q.id == id).unwrap_or_else(|| panic!("{id} missing"))
}

fn choices(question: &Question) -> &[String] {
    match &question.answer_format {
        AnswerFormat::Choice(options) => options,
        AnswerFormat::FreeText => panic!("{} is free text", question.id),
    }
}

/// Checks what every fixture shares: one sheet named after the file, unique ids, rows in
/// document order, a path on every question, and one note on conditional questions.
fn check_shape(q: &Questionnaire, stem: &str, count: usize, conditional: usize) {
    assert_eq!(q.format, SourceFormat::VsaqJson);
    assert_eq!(q.questions.len(), count, "{stem}: {:#?}", q.diagnostics);
    assert_eq!(q.sheets.len(), 1);
    assert_eq!((q.sheets[0].name.as_str(), q.sheets[0].question_count), (stem, count));
    let ids: BTreeSet<&str> = q.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids.len(), count, "{stem}: ids are not unique");
    for (row, question) in q.questions.iter().enumerate() {
        assert_eq!(question.location.row as usize, row);
        assert_eq!(question.location.sheet, stem);
        assert!(question.location.path.is_some() && question.location.answer_cell.is_none());
        assert!(
            !question.text.is_empty() && !question.text.contains("<a ") && !question.text.contains("<p>"),
            "{}: {:?}",
            question.id,
            question.text
        );
        assert!(!question.section.is_empty(), "{}", question.id);
    }
    let note = format!("{conditional} of {count} questions are conditional");
    assert!(
        q.diagnostics.iter().any(|d| d.severity == Severity::Info && d.message.starts_with(&note)),
        "{stem}: {:#?}",
        q.diagnostics
    );
}

// Expected counts come from an independent python3 script (comments stripped, `+` joins
// undone, json.loads, then a walk counting line, box, yesno, radiogroup, checkgroup, upload
// and lone check items, never the radio/check options inside a group). None of the four files
// holds a lone check, yesno or upload item, so the judgement call on lone checks changes
// nothing here: the totals, 96 + 30 + 46 + 73 = 245, match the fixture README exactly.
// "Conditional" counts items with their own `cond` or inside a block that has one.

#[test]
fn infrastructure_fixture() {
    let q = import("infrastructure");
    // 71 radiogroups, 11 boxes, 8 checkgroups and 6 lines; 63 conditional (21 directly).
    check_shape(&q, "infrastructure", 96, 63);
    // The options group has no text of its own, so its section title stands in.
    let options = question(&q, "options");
    assert_eq!((options.section.as_str(), options.text.as_str()), ("Questionnaire Options", "Questionnaire Options"));
    assert_eq!(choices(options).len(), 2);
    assert!(choices(options)[0].starts_with("Sensitive data: This project involves"), "{:?}", choices(options));
    let guidelines = question(&q, "network_config_guidelines");
    assert_eq!(guidelines.section, "Network");
    assert_eq!(choices(guidelines).len(), 2);
    assert_eq!(question(&q, "servers_backup_frequency").section, "Backups");
    // The seventh question, a checkgroup without an id, gets a made-up id and a JSON path.
    let untitled = &q.questions[6];
    assert_eq!(untitled.id, "vsaq-7");
    assert_eq!(untitled.section, "Compensating Controls for Plain-Text Protocols");
    assert_eq!(untitled.location.path.as_deref(), Some("questionnaire[0].items[1].items[8].items[0]"));
    assert_eq!(choices(untitled).len(), 4);
    let arp = question(&q, "network_arpspoofing");
    assert_eq!(arp.text, "Do you have controls in place to protect your systems from ARP spoofing?");
    assert_eq!(arp.location.path.as_deref(), Some("network_arpspoofing"));
    let feedback = question(&q, "feedback");
    assert_eq!((feedback.answer_format.clone(), feedback.location.row), (AnswerFormat::FreeText, 95));
    assert!(feedback.text.starts_with("Good news! You have made it to the end"), "{}", feedback.text);
}

#[test]
fn physical_and_datacenter_fixture() {
    let q = import("physical_and_datacenter");
    // 16 radiogroups, 6 boxes, 4 checkgroups and 4 lines; 23 conditional (9 directly).
    check_shape(&q, "physical_and_datacenter", 30, 23);
    let excl = question(&q, "office_facilities_excl");
    assert_eq!(excl.section, "Security at the Office");
    assert_eq!(
        choices(excl),
        [
            "Yes, we are the only tenant of the facilities.",
            "No, some or all of the facilities are shared with other companies.",
            "We don't have offices; everyone works from home."
        ]
    );
    assert_eq!(question(&q, "office_access").section, "Access Control");
    assert_eq!(question(&q, "dc_howmany").answer_format, AnswerFormat::FreeText);
    // Entities inside option texts are decoded.
    let risk = question(&q, "dc_ra");
    assert!(choices(risk)[0].contains("or \u{2014} if hosted with a colocation provider \u{2014} review"));
    assert_eq!(q.questions[4].text, "Select the security controls that are in place at all of your offices:");
}

#[test]
fn security_privacy_programs_fixture() {
    let q = import("security_privacy_programs");
    // 28 radiogroups, 8 lines, 5 boxes and 5 checkgroups; 41 conditional (12 directly).
    check_shape(&q, "security_privacy_programs", 46, 41);
    assert_eq!(question(&q, "secprog").section, "Security and Privacy");
    let headcount = question(&q, "secprog_team_headcount");
    assert_eq!(headcount.section, "Security and Privacy Program Details");
    assert_eq!(headcount.answer_format, AnswerFormat::FreeText);
    // This question's text is built from several `"..." +` pieces and HTML paragraphs.
    let standard = question(&q, "secprog_standard");
    assert!(standard.text.starts_with("Standards and guidelines are available for security and privacy programs."));
    assert!(!standard.text.contains("  ") && !standard.text.contains("<p>"));
    assert_eq!(q.questions[23].id, "vsaq-24");
    assert_eq!(q.questions[23].section, "Risk Assessment/Risk Management");
    assert_eq!(choices(&q.questions[23]).len(), 3);
}

#[test]
fn webapp_fixture() {
    let q = import("webapp");
    // 37 radiogroups, 15 boxes, 11 lines and 10 checkgroups; 57 conditional (30 directly).
    check_shape(&q, "webapp", 73, 57);
    let name = &q.questions[0];
    assert_eq!((name.id.as_str(), name.section.as_str()), ("application_name", "Application Metadata"));
    assert_eq!(name.text, "The name of the application:");
    assert_eq!(question(&q, "application_description").answer_format, AnswerFormat::FreeText);
    let contact = question(&q, "application_vm_securitycontact");
    assert_eq!(contact.section, "Vulnerability Reporting and Management");
    assert_eq!(choices(contact).len(), 2);
    assert!(choices(contact)[1].starts_with("No, we do not currently offer"));
    assert_eq!(question(&q, "application_ssl_configuration_pfs").section, "Configuring SSL/TLS");
    let cookies = question(&q, "application_ssl_cookies_secure");
    assert_eq!(
        cookies.text,
        "If your application supports authentication, are authentication cookies marked with the secure attribute?"
    );
    // `&lt;script&gt tags` lacks a semicolon; it is decoded the way a browser shows it.
    let xssi = question(&q, "application_authz_xssi_protections");
    assert!(choices(xssi).iter().any(|o| o.contains("included in <script> tags.")), "{:?}", choices(xssi));
    assert_eq!(question(&q, "security_contacts").section, "Security Contacts");
}

#[test]
fn sniffing_sends_json_to_the_vsaq_importer() {
    use crate::import::sniff_format;
    for bytes in
        [&b"// comment\n{}"[..], b"  {\"a\": 1}", b"\xEF\xBB\xBF[1]", b"/* c */ {", b"// only a comment", b"\n  // x"]
    {
        assert_eq!(sniff_format(bytes, "x.JSON"), Ok(SourceFormat::VsaqJson), "{:?}", String::from_utf8_lossy(bytes));
    }
    assert_eq!(sniff_format(b"{\"a\": 1}", "x.csv"), Ok(SourceFormat::Csv));
    assert_eq!(sniff_format(b"id,question\n", "x.json"), Ok(SourceFormat::Csv));
}

#[test]
fn comments_and_concatenation_are_undone() {
    let src = br#"// A header comment with "quotes" and a + sign.
{
  "questionnaire": [ // trailing comment
    {"type": "block", "text": "Outer", "items": [
      {"type": "block", "text": "Inner <i>part</i>", "items": [
        {"type": "line", "id": "url", "text": "Visit http://example.com/a//b " +
            "and say \"hi\" + " + // a comment between the pieces
            "then \\" + "done."},
        {"type": "yesno", "id": "yn", "text": "Yes or no?", "cond": "url"},
        {"type": "upload", "text": "Attach a file."}
      ]},
      {"type": "radiogroup", "id": "rg", "text": "Pick one", "items": [
        {"type": "radio", "id": "rg_a", "text": "<b>A</b>"},
        {"type": "radio", "id": "rg_b", "text": "B"}
      ]},
      {"type": "checkgroup", "id": "cg", "text": "Pick some", "choices": ["X", {"cg_y": "Y"}, {"text": "Z"}]},
      {"type": "check", "id": "lone", "text": "I agree"},
      {"type": "tip", "text": "Not a question"},
      {"type": "mystery", "text": "Unknown"}
    ]}
  ]
}"#;
    let q = questionnaire(src, "dir/sample.json").unwrap();
    let ids: Vec<&str> = q.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["url", "yn", "vsaq-3", "rg", "cg", "lone"]);
    assert_eq!(q.questions[0].text, "Visit http://example.com/a//b and say \"hi\" + then \\done.");
    assert_eq!(q.questions[0].section, "Inner part");
    assert_eq!(q.questions[1].answer_format, AnswerFormat::Choice(vec!["Yes".into(), "No".into()]));
    assert_eq!(q.questions[2].location.path.as_deref(), Some("questionnaire[0].items[0].items[2]"));
    assert_eq!(q.questions[3].section, "Outer");
    assert_eq!(q.questions[3].answer_format, AnswerFormat::Choice(vec!["A".into(), "B".into()]));
    assert_eq!(q.questions[4].answer_format, AnswerFormat::Choice(vec!["X".into(), "Y".into(), "Z".into()]));
    assert_eq!(q.questions[5].answer_format, AnswerFormat::FreeText);
    assert_eq!(q.sheets[0].name, "sample");
    let messages: Vec<&str> = q.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.starts_with("1 of 6 questions are conditional")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("mystery (1)")), "{messages:?}");
}

#[test]
fn line_numbers_survive_preprocessing() {
    // The error is on line 4 of the original, after a comment and a joined string.
    let src = b"// one\n{\"questionnaire\": [{\"text\": \"a\" +\n \"b\",\n  oops}]}";
    let Err(ImportError::UnknownJson(message)) = questionnaire(src, "x.json") else { panic!("expected an error") };
    assert!(message.contains("line 4"), "{message}");
}

#[test]
fn repeated_and_clashing_ids_stay_unique() {
    let src = br#"{"questionnaire": [
        {"type": "line", "id": "vsaq-2", "text": "a"},
        {"type": "line", "text": "b"},
        {"type": "line", "id": "vsaq-2", "text": "c"}
    ]}"#;
    let q = questionnaire(src, "x.json").unwrap();
    let ids: Vec<&str> = q.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["vsaq-2", "vsaq-2-2", "vsaq-2-3"]);
    assert!(q.diagnostics.iter().any(|d| d.message.contains("vsaq-2 appears more than once")));
}

#[test]
fn html_is_stripped_and_entities_decoded() {
    assert_eq!(plain_text("<p>One</p><p>Two</p>"), "One Two");
    assert_eq!(plain_text("<b>Robust:</b> tested<br/>well"), "Robust: tested well");
    assert_eq!(plain_text("<a href='http://x.org/a>b'>link</a>, then"), "b'>link, then");
    assert_eq!(
        plain_text("a < b and c<3 &amp; d &gt;80% &#39;q&#x27; &bogus; &"),
        "a < b and c<3 & d >80% 'q' &bogus; &"
    );
    assert_eq!(plain_text("<ul>\n  <li>x</li>\n  <li>y</li></ul>"), "x y");
    assert_eq!(plain_text("unclosed <b tag"), "unclosed <b tag");
    assert_eq!(plain_text("&#xD800; &#99999999999;"), "&#xD800; &#99999999999;");
}

#[test]
fn json_that_is_not_vsaq_is_refused() {
    assert!(matches!(questionnaire(b"{\"other\": []}", "x.json"), Err(ImportError::Unsupported(_))));
    assert!(matches!(questionnaire(b"[1, 2]", "x.json"), Err(ImportError::Unsupported(_))));
    assert!(matches!(questionnaire(b"{\"questionnaire\": {}}", "x.json"), Err(ImportError::Unsupported(_))));
    assert!(matches!(questionnaire(b"{\"questionnaire\": [", "x.json"), Err(ImportError::UnknownJson(_))));
    assert!(matches!(questionnaire(b"// nothing else", "x.json"), Err(ImportError::UnknownJson(_))));
    assert_eq!(questionnaire(b"", "x.json"), Err(ImportError::Empty));
    let empty = questionnaire(b"{\"questionnaire\": []}", "x.json").unwrap();
    assert!(empty.questions.is_empty() && empty.sheets[0].role == SheetRole::NoQuestions);
    let err = import_questionnaire(b"{\"questionnaire\": [}", "x.json").unwrap_err().to_string();
    assert!(err.contains("JSON but not a questionnaire Trustfill knows"), "{err}");
}

#[test]
fn truncated_and_garbled_fixtures_never_panic() {
    // Every 29th truncation point of a small fixture, then flipped bytes at many offsets of a
    // large one: each import must return, Ok or Err. A file cut before its final brace ends
    // mid-document and fails, except the one-byte cut "\n", which does not look like JSON and
    // goes to CSV.
    let bytes = fixture("vsaq/physical_and_datacenter.json");
    let last_brace = bytes.iter().rposition(|&b| b == b'}').unwrap();
    for cut in (1..bytes.len()).step_by(29) {
        let result = import_questionnaire(&bytes[..cut], "physical_and_datacenter.json");
        assert!(cut == 1 || cut > last_brace || result.is_err(), "a file cut at byte {cut} still parsed");
    }
    let bytes = fixture("vsaq/webapp.json");
    for (n, at) in (0..bytes.len()).step_by(2_999).enumerate() {
        let mut garbled = bytes.clone();
        garbled[at] = [b'"', b'\\', b'+', b'/', b'<', b'&', 0xFF, b'{'][n % 8];
        let _ = import_questionnaire(&garbled, "webapp.json");
    }
    let nested = format!("{{\"questionnaire\": {}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(import_questionnaire(nested.as_bytes(), "deep.json").is_err());
    // Inputs built to make a careless scanner quadratic finish quickly.
    assert_eq!(plain_text(&"<a".repeat(200_000)).len(), 400_000);
    assert_eq!(plain_text(&"&amp".repeat(200_000)).len(), 200_000);
    let joined =
        format!("{{\"questionnaire\": [{{\"type\": \"line\", \"text\": {}\"\"}}]}}", "\"a\" + ".repeat(200_000));
    assert_eq!(questionnaire(joined.as_bytes(), "j.json").unwrap().questions[0].text.len(), 200_000);
    let pluses = format!("{{\"questionnaire\": [\"a\" {} ]}}", "+ ".repeat(200_000));
    assert!(questionnaire(pluses.as_bytes(), "p.json").is_err());
    for garbage in [&b"\"+"[..], b"+\"", b"\"\\", b"/*", b"//", b"\"a\" + ", b"\"a\" + /* x", b"{\xFF\xFE}"] {
        let _ = questionnaire(garbage, "g.json");
    }
}

#[test]
fn proptest_arbitrary_bytes_never_panic() {
    use proptest::prelude::*;
    proptest!(ProptestConfig::with_cases(512), |(bytes in proptest::collection::vec(any::<u8>(), 0..400))| {
        let _ = questionnaire(&bytes, "p.json");
        let _ = plain_text(&String::from_utf8_lossy(&bytes));
    });
}
