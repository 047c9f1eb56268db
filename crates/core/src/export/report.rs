//! The printable report: one self-contained HTML page, a cover with the summary and then every
//! question with its answer and controls, which prints to PDF through its own print stylesheet.
//!
//! With the library, the cover opens with a paragraph about the SOC 2 report (made from the
//! library's profile), and every answer shows its scope status, its staleness and its evidence
//! references (names to look up, never links).
//!
//! The page can never fetch anything: its only style is inline, it holds no script, link or
//! image, and its Content-Security-Policy forbids every request. All text that came from the
//! questionnaire, the library or the reviewer is written through [`escape_html`].

use super::canonical_answer;
use crate::criteria::{CriteriaCatalog, CriterionId};
use crate::library::profile::{self, ScopeStatus, Soc2Profile, Standing};
use crate::library::Library;
use crate::model::Question;
use crate::review::{Response, ResponseStatus, ReviewSession};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};

/// The report's stylesheet (`report/style.css`), inlined into every report.
const STYLE: &str = include_str!("report/style.css");

/// The policy in every report: no request of any kind, and only the inline stylesheet applies.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'";

/// The most characters of a question or note quoted in the cover's lists; the body has it all.
const QUOTE_CHARS: usize = 160;

/// The most characters of the file name in the printed running header, which is one line.
const HEADER_NAME_CHARS: usize = 80;

/// The SOC 2 categories in report order: the name [`CriteriaCatalog::category_of`] gives, and
/// the name the report shows.
const CATEGORIES: [(&str, &str); 5] = [
    ("Security", "Security (Common Criteria)"),
    ("Availability", "Availability"),
    ("Confidentiality", "Confidentiality"),
    ("Processing Integrity", "Processing Integrity"),
    ("Privacy", "Privacy"),
];

/// The short answer a question was given, with synonyms folded together ("Y" is Yes).
/// Review mode counts and filters by it too (see `crate::reviewer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerKind {
    Yes,
    No,
    Partial,
    NotApplicable,
    /// A final answer that is none of the above, such as a free-text description.
    Other,
    /// No final answer: the question is open, with an SME, or holds an unreviewed suggestion.
    Unanswered,
}

impl AnswerKind {
    pub const ALL: [AnswerKind; 6] =
        [Self::Yes, Self::No, Self::Partial, Self::NotApplicable, Self::Other, Self::Unanswered];

    pub fn label(self) -> &'static str {
        match self {
            Self::Yes => "Yes",
            Self::No => "No",
            Self::Partial => "Partial",
            Self::NotApplicable => "N/A",
            Self::Other => "Other answer",
            Self::Unanswered => "Not answered",
        }
    }

    /// What a response answers. Only a final answer (accepted or edited) counts, as in every
    /// other export: a suggestion that nobody has reviewed is not an answer yet.
    pub fn of(response: &Response) -> Self {
        if response.status.is_final() {
            Self::of_text(&response.answer, &response.detail)
        } else {
            Self::Unanswered
        }
    }

    /// What an answer and its detail say, whatever the review status.
    fn of_text(answer: &str, detail: &str) -> Self {
        match canonical_answer(answer) {
            Some("yes") => Self::Yes,
            Some("no") => Self::No,
            Some("partial") => Self::Partial,
            Some("n/a") => Self::NotApplicable,
            _ if answer.trim().is_empty() && detail.trim().is_empty() => Self::Unanswered,
            _ => Self::Other,
        }
    }

    /// The class that colours the answer's badge.
    fn class(self) -> &'static str {
        match self {
            Self::Yes => "answer-yes",
            Self::No => "answer-no",
            Self::Partial => "answer-partial",
            Self::NotApplicable => "answer-na",
            Self::Other | Self::Unanswered => "answer-other",
        }
    }
}

/// The class that colours a status badge.
fn status_class(status: ResponseStatus) -> &'static str {
    match status {
        ResponseStatus::Unanswered => "status-unanswered",
        ResponseStatus::Suggested => "status-suggested",
        ResponseStatus::Accepted => "status-accepted",
        ResponseStatus::Edited => "status-edited",
        ResponseStatus::NeedsSme => "status-needs-sme",
        ResponseStatus::NoMatch => "status-no-match",
    }
}

/// How many answered questions cite criteria of one SOC 2 category, and which criteria.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryCount {
    /// The category as [`CriteriaCatalog::category_of`] names it.
    pub category: &'static str,
    /// Answered questions that cite at least one criterion of the category.
    pub questions: usize,
    /// Each criterion cited, in catalogue order, with how many answered questions cite it.
    pub criteria: Vec<(CriterionId, usize)>,
}

/// The numbers on the cover page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub questions: usize,
    /// Questions with a final answer (accepted or edited).
    pub answered: usize,
    /// Questions by short answer, in [`AnswerKind::ALL`] order.
    pub by_answer: Vec<(AnswerKind, usize)>,
    /// Questions by review status, in [`ResponseStatus::ALL`] order.
    pub by_status: Vec<(ResponseStatus, usize)>,
    /// Answered questions by SOC 2 category, in report order. A question that cites criteria
    /// of several categories counts once in each.
    pub by_category: Vec<CategoryCount>,
    /// Answered questions that cite no SOC 2 criterion.
    pub citing_none: usize,
    /// The questions answered No or Partial, by index.
    pub no_or_partial: Vec<usize>,
    /// The questions handed to a subject-matter expert, by index.
    pub needs_sme: Vec<usize>,
}

/// Counts a session's questions by answer, status and SOC 2 category.
pub fn summarize(session: &ReviewSession, criteria: &CriteriaCatalog) -> Summary {
    let kinds: Vec<AnswerKind> = session.responses.iter().map(AnswerKind::of).collect();
    let count = |kind: AnswerKind| kinds.iter().filter(|&&k| k == kind).count();
    let mut per_category: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_criterion: BTreeMap<CriterionId, usize> = BTreeMap::new();
    let mut citing_none = 0;
    for (response, &kind) in session.responses.iter().zip(&kinds) {
        if kind == AnswerKind::Unanswered {
            continue;
        }
        let cited: BTreeSet<CriterionId> =
            response.controls.iter().filter_map(|c| CriterionId::parse(c).ok()).collect();
        if cited.is_empty() {
            citing_none += 1;
        }
        let categories: BTreeSet<&str> = cited.iter().map(CriteriaCatalog::category_of).collect();
        for category in categories {
            *per_category.entry(category).or_default() += 1;
        }
        for id in cited {
            *per_criterion.entry(id).or_default() += 1;
        }
    }
    let position = |id: &CriterionId| criteria.all().iter().position(|c| &c.id == id).unwrap_or(usize::MAX);
    let by_category = CATEGORIES
        .iter()
        .map(|&(category, _)| {
            let mut cited: Vec<(CriterionId, usize)> = per_criterion
                .iter()
                .filter(|(id, _)| CriteriaCatalog::category_of(id) == category)
                .map(|(id, &n)| (id.clone(), n))
                .collect();
            cited.sort_by_key(|(id, _)| (position(id), id.clone()));
            CategoryCount { category, questions: per_category.get(category).copied().unwrap_or(0), criteria: cited }
        })
        .collect();
    let indices_where = |wanted: &dyn Fn(usize) -> bool| (0..kinds.len()).filter(|&i| wanted(i)).collect();
    Summary {
        questions: session.responses.len(),
        answered: kinds.len() - count(AnswerKind::Unanswered),
        by_answer: AnswerKind::ALL.iter().map(|&k| (k, count(k))).collect(),
        by_status: session.counts(),
        by_category,
        citing_none,
        no_or_partial: indices_where(&|i| matches!(kinds[i], AnswerKind::No | AnswerKind::Partial)),
        needs_sme: indices_where(&|i| session.responses[i].status == ResponseStatus::NeedsSme),
    }
}

/// Text written into HTML with every character that could start markup, end an attribute,
/// or spell a URL (`/`, `:`, `=`) replaced by its character reference. Control characters
/// other than tab and line breaks are dropped.
pub struct Text<'a>(pub &'a str);

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut clean = 0;
        for (i, c) in self.0.char_indices() {
            let replacement = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                '`' => "&#96;",
                '=' => "&#61;",
                '/' => "&#47;",
                ':' => "&#58;",
                c if is_dropped(c) => "",
                _ => continue,
            };
            f.write_str(&self.0[clean..i])?;
            f.write_str(replacement)?;
            clean = i + c.len_utf8();
        }
        f.write_str(&self.0[clean..])
    }
}

/// Escapes untrusted text for HTML text and quoted attribute values (see [`Text`]).
pub fn escape_html(text: &str) -> String {
    Text(text).to_string()
}

/// Whether a character is left out of the report: controls other than tab and line breaks,
/// and the two non-characters that XML and HTML refuse.
fn is_dropped(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Quotes text as a CSS string. Everything but ASCII letters, digits, spaces and a few
/// punctuation marks becomes a six-digit hex escape, so the text can end neither the string
/// nor the style element.
fn css_string(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars().filter(|&c| !is_dropped(c)) {
        if c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | ',' | '_' | '-' | '(' | ')') {
            quoted.push(c);
        } else {
            let _ = write!(quoted, "\\{:06X}", c as u32);
        }
    }
    quoted.push('"');
    quoted
}

/// The text on one line, cut to at most `max` characters with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max {
        return line;
    }
    let mut cut: String = line.chars().take(max.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// "1 question", "2 questions".
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Appends formatted text to the page; writing to a `String` cannot fail.
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// The report as one HTML page, without the library: no SOC 2 paragraph, no scope statuses
/// and nothing marked stale (evidence references are shown). Prefer [`to_html_with_library`].
pub fn to_html(session: &ReviewSession, criteria: &CriteriaCatalog, generated_on: &str) -> String {
    let standings = profile::standings(None, &session.responses, generated_on);
    render(session, criteria, None, &standings, generated_on)
}

/// The report as one HTML page: the cover with the SOC 2 paragraph and the summary, then the
/// questions grouped by section in questionnaire order, each with its scope status, staleness
/// and evidence. `generated_on` is the date printed on the cover and the date answers are
/// checked against the profile (the core has no clock). The same input always gives the same
/// page.
pub fn to_html_with_library(session: &ReviewSession, library: &Library, generated_on: &str) -> String {
    let standings = profile::standings(Some(library), &session.responses, generated_on);
    render(session, &library.criteria, library.profile(), &standings, generated_on)
}

/// Whether a response holds an answer worth a scope line: some text, or a library entry.
fn has_answer(response: &Response) -> bool {
    !response.answer.trim().is_empty() || !response.detail.trim().is_empty() || response.entry_id.is_some()
}

fn render(
    session: &ReviewSession,
    criteria: &CriteriaCatalog,
    soc2: Option<&Soc2Profile>,
    standings: &[Standing],
    generated_on: &str,
) -> String {
    let summary = summarize(session, criteria);
    let name = session.questionnaire.file_name.as_str();
    let mut page = String::with_capacity(STYLE.len() + 2_000 * (session.responses.len() + 4));
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    put!(page, "<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    put!(page, "<title>{} · Trustfill report</title>\n<style>\n{STYLE}", Text(name));
    let header = css_string(&shorten(name, HEADER_NAME_CHARS));
    put!(
        page,
        "@page {{ @top-left {{ content: {header}; font: 9pt system-ui, sans-serif; color: #000000; }} \
         @top-right {{ content: \"Page \" counter(page) \" of \" counter(pages); font: 9pt system-ui, sans-serif; \
         color: #000000; }} }}\n@page :first {{ @top-left {{ content: none; }} @top-right {{ content: none; }} }}\n"
    );
    page.push_str("</style>\n</head>\n<body>\n<main>\n");
    cover(&mut page, session, criteria, &summary, generated_on, soc2, standings);
    sections(&mut page, session, criteria, standings);
    page.push_str("</main>\n</body>\n</html>\n");
    page
}

/// The cover page: title, the SOC 2 paragraph, provenance, totals and the summaries.
fn cover(
    page: &mut String,
    session: &ReviewSession,
    criteria: &CriteriaCatalog,
    summary: &Summary,
    date: &str,
    soc2: Option<&Soc2Profile>,
    standings: &[Standing],
) {
    let questionnaire = &session.questionnaire;
    page.push_str("<section class=\"cover\">\n<p class=\"kicker\">Security questionnaire report</p>\n");
    put!(page, "<h1>{}</h1>\n", Text(&questionnaire.file_name));
    if let Some(soc2) = soc2 {
        put!(page, "<p class=\"soc2-summary\">{}</p>\n", Text(&profile::summary(soc2)));
    }
    page.push_str("<dl class=\"meta\">\n");
    put!(page, "<dt>Generated</dt><dd>{}</dd>\n", Text(date));
    put!(page, "<dt>Source</dt><dd>{}</dd>\n", Text(questionnaire.format.label()));
    put!(page, "<dt>Answer library version</dt><dd><code>{}</code></dd>\n</dl>\n", Text(&session.library_version));
    let sme = summary.needs_sme.len();
    put!(
        page,
        "<ul class=\"totals\">\n<li><strong>{}</strong> questions</li>\n\
         <li><strong>{}</strong> answered</li>\n<li><strong>{sme}</strong> with an SME</li>\n\
         <li><strong>{}</strong> still open</li>\n</ul>\n",
        summary.questions,
        summary.answered,
        summary.questions.saturating_sub(summary.answered + sme),
    );
    page.push_str("<div class=\"tables\">\n");
    let by_answer: Vec<(&str, usize)> = summary.by_answer.iter().map(|&(k, n)| (k.label(), n)).collect();
    count_table(page, "By answer", "Answer", &by_answer);
    let by_status: Vec<(&str, usize)> = summary.by_status.iter().map(|&(s, n)| (s.label(), n)).collect();
    count_table(page, "By status", "Status", &by_status);
    page.push_str(
        "</div>\n<p class=\"note\">Only accepted and edited answers count as answered; a suggestion \
         that nobody has reviewed yet is not an answer.</p>\n",
    );
    categories(page, criteria, summary);
    page.push_str("<h2>Answered No or Partial</h2>\n");
    question_list(page, session, &summary.no_or_partial, |response| {
        let kind = AnswerKind::of(response);
        format!("<span class=\"badge {}\">{}</span>", kind.class(), kind.label())
    });
    page.push_str("<h2>With a subject-matter expert</h2>\n");
    question_list(page, session, &summary.needs_sme, |response| match response.note.trim() {
        "" => String::new(),
        note => format!("<span class=\"note\">Note: {}</span>", Text(&shorten(note, QUOTE_CHARS))),
    });
    if soc2.is_some() {
        let answered = |i: &usize| session.responses.get(*i).is_some_and(has_answer);
        let flagged: Vec<usize> =
            (0..standings.len()).filter(|i| standings[*i].scope.is_flagged()).filter(answered).collect();
        page.push_str("<h2>Outside the SOC 2 scope</h2>\n");
        question_list(page, session, &flagged, |_| String::new());
        let stale: Vec<usize> =
            (0..standings.len()).filter(|i| standings[*i].stale.is_some()).filter(answered).collect();
        page.push_str("<h2>Stale answers</h2>\n");
        question_list(page, session, &stale, |_| String::new());
    }
    page.push_str("</section>\n");
}

/// A two-column table of labels and counts.
fn count_table(page: &mut String, caption: &str, heading: &str, rows: &[(&str, usize)]) {
    put!(page, "<table>\n<caption>{caption}</caption>\n");
    put!(page, "<thead><tr><th>{heading}</th><th class=\"n\">Questions</th></tr></thead>\n<tbody>\n");
    for (label, n) in rows {
        put!(page, "<tr><td>{}</td><td class=\"n\">{n}</td></tr>\n", Text(label));
    }
    page.push_str("</tbody>\n</table>\n");
}

/// The SOC 2 table: answered questions per category, and each criterion cited.
fn categories(page: &mut String, criteria: &CriteriaCatalog, summary: &Summary) {
    page.push_str("<h2>By SOC 2 category</h2>\n<table>\n<thead><tr><th>Category</th>");
    page.push_str("<th class=\"n\">Answered questions</th><th>Criteria cited (questions)</th></tr></thead>\n<tbody>\n");
    for (count, (_, shown)) in summary.by_category.iter().zip(CATEGORIES) {
        put!(page, "<tr><td>{shown}</td><td class=\"n\">{}</td><td>", count.questions);
        for (id, n) in &count.criteria {
            let known = if criteria.get(id).is_some() { "" } else { " (not in the catalogue)" };
            put!(page, "<span class=\"chip\">{} ×{n}{known}</span> ", Text(id.as_str()));
        }
        if count.criteria.is_empty() {
            page.push_str("<span class=\"empty\">None</span>");
        }
        page.push_str("</td></tr>\n");
    }
    page.push_str("</tbody>\n</table>\n");
    put!(
        page,
        "<p class=\"note\">{} cite no criterion. A question that cites criteria of several categories \
         counts once in each.</p>\n",
        plural(summary.citing_none, "answered question"),
    );
}

/// A list of questions by index, each with its id, its text cut short, and a trailing mark.
fn question_list(page: &mut String, session: &ReviewSession, indices: &[usize], mark: impl Fn(&Response) -> String) {
    if indices.is_empty() {
        page.push_str("<p class=\"empty\">None.</p>\n");
        return;
    }
    page.push_str("<ul class=\"list\">\n");
    for &i in indices {
        let (Some(question), Some(response)) = (session.questionnaire.questions.get(i), session.responses.get(i))
        else {
            continue;
        };
        put!(
            page,
            "<li><span class=\"qid\">{}</span> {} {}</li>\n",
            Text(&question.id),
            Text(&shorten(&question.text, QUOTE_CHARS)),
            mark(response)
        );
    }
    page.push_str("</ul>\n");
}

/// Every question, grouped into runs of the same section (and sheet, when the questionnaire
/// spans several), in questionnaire order.
fn sections(page: &mut String, session: &ReviewSession, criteria: &CriteriaCatalog, standings: &[Standing]) {
    let questions = &session.questionnaire.questions;
    if questions.is_empty() {
        page.push_str("<p class=\"empty\">This questionnaire has no questions.</p>\n");
        return;
    }
    let sheets: BTreeSet<&str> = questions.iter().map(|q| q.location.sheet.as_str()).collect();
    let heading = |q: &Question| {
        let section = q.section.trim();
        match (sheets.len() > 1, section.is_empty()) {
            (true, true) => q.location.sheet.clone(),
            (true, false) => format!("{} › {section}", q.location.sheet),
            (false, true) => "Questions".to_owned(),
            (false, false) => section.to_owned(),
        }
    };
    let mut start = 0;
    while start < questions.len() {
        let title = heading(&questions[start]);
        let end = (start..questions.len()).find(|&i| heading(&questions[i]) != title).unwrap_or(questions.len());
        put!(
            page,
            "<section class=\"section\">\n<h2>{} <span class=\"count\">{}</span></h2>\n",
            Text(&title),
            plural(end - start, "question")
        );
        let responses = session.responses.get(start..).unwrap_or_default();
        let standings = standings.get(start..).unwrap_or_default();
        for ((question, response), standing) in questions[start..end].iter().zip(responses).zip(standings) {
            question_card(page, question, response, standing, criteria);
        }
        page.push_str("</section>\n");
        start = end;
    }
}

/// One question: id, status and confidence, the question, then the answer and what backs it.
fn question_card(
    page: &mut String,
    question: &Question,
    response: &Response,
    standing: &Standing,
    criteria: &CriteriaCatalog,
) {
    let status = response.status;
    page.push_str("<article class=\"question\">\n<div class=\"question-head\">");
    put!(page, "<span class=\"qid\">{}</span>", Text(&question.id));
    put!(page, "<span class=\"badge {}\">{}</span>", status_class(status), status.label());
    if let Some(confidence) = response.confidence {
        put!(page, "<span>Match confidence {:.0}%</span>", confidence * 100.0);
    }
    put!(page, "</div>\n<p class=\"qtext text\">{}</p>\n<dl class=\"fields\">\n", Text(&question.text));
    let kind = AnswerKind::of_text(&response.answer, &response.detail);
    let answer = response.answer.trim();
    page.push_str("<dt>Answer</dt><dd>");
    if answer.is_empty() {
        page.push_str("<span class=\"empty\">No answer</span>");
    } else if !status.is_final() {
        put!(page, "<span class=\"badge answer-proposed\">{}</span> ", Text(answer));
        page.push_str("<span class=\"note\">proposed, not yet reviewed</span>");
    } else if kind == AnswerKind::Other {
        put!(page, "<span class=\"text\">{}</span>", Text(answer));
    } else {
        put!(page, "<span class=\"badge {}\">{}</span>", kind.class(), Text(answer));
    }
    page.push_str("</dd>\n");
    if !response.detail.trim().is_empty() {
        put!(page, "<dt>Detail</dt><dd class=\"text\">{}</dd>\n", Text(response.detail.trim()));
    }
    if let Some(entry) = response.entry_id.as_deref().filter(|e| !e.trim().is_empty()) {
        put!(page, "<dt>Library entry</dt><dd><code>{}</code></dd>\n", Text(entry));
    }
    if !response.controls.is_empty() {
        page.push_str("<dt>Controls</dt><dd><ul class=\"controls\">\n");
        for control in &response.controls {
            let description = CriterionId::parse(control)
                .ok()
                .and_then(|id| criteria.get(&id))
                .map_or("Not in the SOC 2 criteria catalogue.", |c| c.description.as_str());
            put!(page, "<li><span class=\"chip\">{}</span> {}</li>\n", Text(control.trim()), Text(description));
        }
        page.push_str("</ul></dd>\n");
    }
    standing_fields(page, response, standing);
    if !response.note.trim().is_empty() {
        put!(page, "<dt>Note</dt><dd class=\"text\">{}</dd>\n", Text(response.note.trim()));
    }
    page.push_str("</dl>\n</article>\n");
}

/// The answer's scope status, staleness and evidence references. The scope is left out when
/// it is unknown (no profile) or when there is no answer to place.
fn standing_fields(page: &mut String, response: &Response, standing: &Standing) {
    if has_answer(response) && standing.scope != ScopeStatus::NoProfile {
        let class = if standing.scope.is_flagged() { "scope-out" } else { "scope" };
        put!(page, "<dt>SOC 2 scope</dt><dd class=\"{class}\">{}</dd>\n", Text(&standing.scope.message()));
    }
    if let Some(stale) = &standing.stale {
        put!(page, "<dt>Stale</dt><dd class=\"stale\">{}</dd>\n", Text(&stale.message()));
    }
    let evidence: Vec<&str> = response.evidence.iter().map(|e| e.trim()).filter(|e| !e.is_empty()).collect();
    if !evidence.is_empty() {
        page.push_str("<dt>Evidence</dt><dd><ul class=\"evidence\">\n");
        for reference in evidence {
            put!(page, "<li>{}</li>\n", Text(reference));
        }
        page.push_str("</ul></dd>\n");
    }
}

#[cfg(test)]
mod tests;
