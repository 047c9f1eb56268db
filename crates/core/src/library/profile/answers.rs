//! Answers written from the SOC 2 profile: the library's entries about the report itself say
//! what the profile says, so two answers about the report can never disagree with each other.
//!
//! An entry names the fact it states (`"from_profile": "period"`), and [`resolve`] rewrites
//! its short answer and detail from the profile whenever a library is built. The entry keeps
//! its id, phrasings, controls and evidence, so the matcher finds it as it finds any other.

use super::{long_date, ReportType, Soc2Profile, SubserviceMethod};
use crate::criteria::Category;
use crate::library::Entry;
use serde::{Deserialize, Serialize};

/// The fact about the SOC 2 report that an entry states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileFact {
    /// Whether there is a SOC 2 report at all (always Yes when there is a profile).
    Report,
    /// Whether the report is of the type asked about: `{"report_type": "type_ii"}` answers
    /// "Is it a Type II?", Yes only when the profile's report is Type II.
    ReportType(ReportType),
    /// Which categories the report covers.
    Categories,
    /// Whether one category is in scope: `{"in_scope": "privacy"}`.
    InScope(Category),
    /// The period covered, or the "as of" date.
    Period,
    /// Whether and how customers can get the report.
    Sharing,
    /// Whether a bridge letter covers the time since the report.
    Bridge,
    /// Who the auditor is, and when the report was issued.
    Auditor,
    /// Whether the auditor noted exceptions.
    Exceptions,
    /// The subservice organisations, carved out or included.
    Subservice,
}

impl std::fmt::Display for ProfileFact {
    /// The fact as a table cell writes it: `period`, `in_scope:privacy`, `report_type:type_ii`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let json = serde_json::to_value(self).unwrap_or_default();
        match json {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    write!(f, "{key}:{}", value.as_str().unwrap_or_default())?;
                }
                Ok(())
            }
            other => f.write_str(other.as_str().unwrap_or_default()),
        }
    }
}

impl std::str::FromStr for ProfileFact {
    type Err = serde_json::Error;

    /// Reads the form [`ProfileFact`]'s `Display` writes.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let value = match text.split_once(':') {
            Some((key, value)) => serde_json::json!({ key.trim(): value.trim() }),
            None => serde_json::Value::String(text.to_owned()),
        };
        serde_json::from_value(value)
    }
}

/// The short answer for a yes-or-no question.
fn yes_no(yes: bool) -> &'static str {
    if yes {
        "Yes"
    } else {
        "No"
    }
}

/// Items joined as a sentence lists them: "A", "A and B", "A, B and C".
pub(crate) fn list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", init.join(", "), last.as_ref())
        }
    }
}

/// Text as the end of a sentence: trimmed, with one final full stop.
fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// Text to sit inside a sentence: trimmed, without a final full stop.
fn clause(text: &str) -> &str {
    text.trim().trim_end_matches('.').trim_end()
}

/// A date in words, or "an unstated date" when the profile has none.
fn day(date: Option<&str>) -> String {
    match date.map(str::trim).filter(|d| !d.is_empty()) {
        Some(date) => long_date(date),
        None => "an unstated date".into(),
    }
}

/// What is known of the auditor, for a sentence: the firm or "the auditor".
fn auditor(profile: &Soc2Profile) -> &str {
    Some(clause(&profile.auditor)).filter(|a| !a.is_empty()).unwrap_or("the auditor")
}

impl Soc2Profile {
    /// "Type II".
    fn kind(&self) -> &'static str {
        self.report_type.name()
    }

    /// What the report covers, for the middle of a sentence: "1 October 2025 to 30 September
    /// 2026" (Type II) or "as of 30 June 2026" (Type I).
    pub fn coverage(&self) -> String {
        match self.report_type {
            ReportType::TypeI => format!("as of {}", day(self.as_of.as_deref())),
            ReportType::TypeII => {
                format!("{} to {}", day(self.period_start.as_deref()), day(self.period_end.as_deref()))
            }
        }
    }

    /// The categories in scope and out of it, by name, in report order.
    fn scope_names(&self) -> (Vec<&'static str>, Vec<&'static str>) {
        let (inside, outside): (Vec<Category>, Vec<Category>) = Category::ALL.iter().partition(|&&c| self.in_scope(c));
        (inside.into_iter().map(Category::name).collect(), outside.into_iter().map(Category::name).collect())
    }

    /// "{subject} covers Security and Availability; Processing Integrity and Privacy are not in
    /// its scope."
    fn scope_sentence(&self, subject: &str) -> String {
        let (inside, outside) = self.scope_names();
        match outside.as_slice() {
            [] => format!("{subject} covers all five Trust Services Categories: {}.", list(&inside)),
            [one] => format!("{subject} covers {}; {one} is not in its scope.", list(&inside)),
            _ => format!("{subject} covers {}; {} are not in its scope.", list(&inside), list(&outside)),
        }
    }

    /// The sentence about the bridge letter, or `None` when there is none.
    fn bridge_sentence(&self) -> Option<String> {
        let bridge = self.bridge_letter.as_ref()?;
        Some(format!(
            "A bridge letter from management covers {} to {}.",
            day(Some(&bridge.start)),
            day(Some(&bridge.end))
        ))
    }

    /// The sentence about exceptions, with `place` after the verb ("in our report").
    fn exceptions_sentence(&self, place: &str) -> String {
        let noted: Vec<&str> = self.exceptions.iter().map(|e| clause(e)).filter(|e| !e.is_empty()).collect();
        match noted.as_slice() {
            [] => format!("The auditor noted no exceptions{place}."),
            [one] => format!("The auditor noted one exception{place}: {one}."),
            many => format!("The auditor noted {} exceptions{place}: {}.", many.len(), many.join("; ")),
        }
    }

    /// The sentence about subservice organisations.
    fn subservice_sentence(&self) -> String {
        let named = |method: SubserviceMethod| -> Vec<&str> {
            self.subservice_organisations
                .iter()
                .filter(|o| o.method == method && !o.name.trim().is_empty())
                .map(|o| o.name.trim())
                .collect()
        };
        let (carved, included) = (named(SubserviceMethod::CarveOut), named(SubserviceMethod::Inclusive));
        let mut parts = Vec::new();
        if !carved.is_empty() {
            parts.push(format!(
                "{} {} carved out, so {} own assurance reports cover {} controls",
                list(&carved),
                if carved.len() == 1 { "is" } else { "are" },
                if carved.len() == 1 { "its" } else { "their" },
                if carved.len() == 1 { "its" } else { "their" },
            ));
        }
        if !included.is_empty() {
            parts.push(format!(
                "{} {} included by the inclusive method, so the auditor tested {} controls with ours",
                list(&included),
                if included.len() == 1 { "is" } else { "are" },
                if included.len() == 1 { "its" } else { "their" },
            ));
        }
        if parts.is_empty() {
            "The report names no subservice organisations.".into()
        } else {
            format!("Subservice organisations: {}.", parts.join("; "))
        }
    }

    /// The sentence on how to get the report.
    fn request_sentence(&self) -> String {
        match self.how_to_request.trim() {
            "" => format!("Ask us for a copy of our SOC 2 {} report.", self.kind()),
            how => sentence(how),
        }
    }

    /// The short answer and the detail that state a fact.
    pub fn answer(&self, fact: ProfileFact) -> (String, String) {
        let kind = self.kind();
        let (answer, detail) = match fact {
            ProfileFact::Report => (
                "Yes",
                format!(
                    "Our most recent SOC 2 report is {kind}, {}, issued by {} on {}. The system in scope is {}.",
                    self.coverage_phrase(),
                    auditor(self),
                    day(Some(&self.report_date)),
                    self.system_clause(),
                ),
            ),
            ProfileFact::ReportType(asked) => (yes_no(asked == self.report_type), self.type_sentence()),
            ProfileFact::Categories => ("N/A", self.scope_sentence(&format!("Our SOC 2 {kind} report"))),
            ProfileFact::InScope(category) => {
                let (inside, _) = self.scope_names();
                let verb = if self.in_scope(category) { "is" } else { "is not" };
                (
                    yes_no(self.in_scope(category)),
                    format!(
                        "{} {verb} in the scope of our SOC 2 {kind} report, which covers {}.",
                        category.name(),
                        list(&inside)
                    ),
                )
            }
            ProfileFact::Period => {
                let mut detail = match self.report_type {
                    ReportType::TypeII => format!("Our current SOC 2 Type II report covers {}.", self.coverage()),
                    ReportType::TypeI => format!(
                        "Our SOC 2 report is Type I, so it covers no period: it reports on our controls {}.",
                        self.coverage()
                    ),
                };
                if let Some(bridge) = self.bridge_sentence() {
                    detail.push(' ');
                    detail.push_str(&bridge);
                }
                ("N/A", detail)
            }
            ProfileFact::Sharing => ("Yes", self.request_sentence()),
            ProfileFact::Bridge => match &self.bridge_letter {
                Some(bridge) => (
                    "Yes",
                    format!(
                        "A bridge letter from management covers {} to {}, the time since {}.",
                        day(Some(&bridge.start)),
                        day(Some(&bridge.end)),
                        self.since()
                    ),
                ),
                None => ("No", format!("We have no bridge letter for the time since {}.", self.since())),
            },
            ProfileFact::Auditor => (
                "N/A",
                format!(
                    "{} performed our SOC 2 {kind} examination and issued the report on {}.",
                    auditor(self),
                    day(Some(&self.report_date))
                ),
            ),
            ProfileFact::Exceptions => {
                let noted = self.exceptions.iter().any(|e| !e.trim().is_empty());
                (yes_no(noted), self.exceptions_sentence(&format!(" in our most recent SOC 2 {kind} report")))
            }
            ProfileFact::Subservice => ("N/A", self.subservice_sentence()),
        };
        (answer.to_owned(), detail)
    }

    /// "covering 1 October 2025 to 30 September 2026" or "as of 30 June 2026".
    fn coverage_phrase(&self) -> String {
        match self.report_type {
            ReportType::TypeI => self.coverage(),
            ReportType::TypeII => format!("covering {}", self.coverage()),
        }
    }

    /// Where the report's coverage ends, after "the time since".
    fn since(&self) -> String {
        match self.report_type {
            ReportType::TypeII => {
                format!("our SOC 2 Type II report's period ended on {}", day(self.period_end.as_deref()))
            }
            ReportType::TypeI => format!("the date of our SOC 2 Type I report, {}", day(self.as_of.as_deref())),
        }
    }

    /// The system in scope for the middle of a sentence.
    fn system_clause(&self) -> String {
        match clause(&self.system) {
            "" => "the system described in the report".into(),
            system => lower_first(system),
        }
    }

    /// What the report type means, in a sentence.
    fn type_sentence(&self) -> String {
        match self.report_type {
            ReportType::TypeII => format!(
                "Our SOC 2 report is Type II: the auditor tested both the design of our controls and whether they operated effectively from {}.",
                self.coverage()
            ),
            ReportType::TypeI => format!(
                "Our SOC 2 report is Type I, {}: the auditor tested the design of our controls at that date, not how they operated over a period.",
                self.coverage()
            ),
        }
    }
}

/// Lower-cases the first letter when the text starts with "The", "A", "An" or "Our", so that it
/// can go on a sentence; any other first word may be a name ("Harborlytics Cloud") and stays.
fn lower_first(text: &str) -> String {
    let first = text.split_whitespace().next().unwrap_or_default();
    if ["The", "A", "An", "Our"].contains(&first) {
        let mut chars = text.chars();
        chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
    } else {
        text.to_owned()
    }
}

/// Writes every profile answer's short answer and detail from the profile. Entries that
/// state no fact are left alone, and so is every entry when there is no profile (their stored
/// text stands).
pub fn resolve(entries: &mut [Entry], profile: Option<&Soc2Profile>) {
    let Some(profile) = profile else { return };
    for entry in entries {
        if let Some(fact) = entry.from_profile {
            (entry.answer, entry.detail) = profile.answer(fact);
        }
    }
}

/// One paragraph about the SOC 2 report, made from the profile: its type and dates, the
/// auditor, the system and categories in scope, the bridge letter, the exceptions, the
/// subservice organisations and how to request it. The printable report and review mode open
/// with it.
pub fn summary(profile: &Soc2Profile) -> String {
    let mut sentences = vec![
        format!(
            "Our SOC 2 {} report, issued by {} on {}, {}.",
            profile.kind(),
            auditor(profile),
            day(Some(&profile.report_date)),
            match profile.report_type {
                ReportType::TypeII => format!("covers the period {}", profile.coverage()),
                ReportType::TypeI => format!("reports on our controls {}", profile.coverage()),
            }
        ),
        format!("The system in scope is {}.", profile.system_clause()),
        profile.scope_sentence("The report"),
    ];
    sentences.extend(profile.bridge_sentence());
    sentences.push(profile.exceptions_sentence(""));
    if !profile.subservice_organisations.is_empty() {
        sentences.push(profile.subservice_sentence());
    }
    sentences.push(format!("To request the report: {}", lower_first(&profile.request_sentence())));
    sentences.join(" ")
}
