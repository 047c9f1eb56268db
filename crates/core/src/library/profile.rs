//! The company's SOC 2 profile: the report's type, dates, scope, auditor and how to get it,
//! kept as a section of the library and checked for the mistakes that would make it wrong.
//!
//! The profile is the one place these facts live. The library entries about the report are
//! written from it ([`answers`]), every answer's controls are compared with its scope and its
//! dates ([`status`]), and the report opens with a paragraph made from it ([`summary`]).

pub mod answers;
pub mod status;

pub use answers::{summary, ProfileFact};
pub use status::{
    scope_status, staleness, standing, standing_of_entry, standing_of_suggestion, standings, ScopeStatus, Stale,
    Standing,
};

use super::check::{date_from_day_number, day_number};
use crate::criteria::Category;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Whether the auditor tested the controls at one date or over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportType {
    /// The design of the controls at one date (the "as of" date).
    #[serde(rename = "type_i")]
    TypeI,
    /// The design and the operating effectiveness of the controls over a period.
    #[serde(rename = "type_ii")]
    TypeII,
}

impl ReportType {
    /// "Type I" or "Type II".
    pub fn name(self) -> &'static str {
        match self {
            Self::TypeI => "Type I",
            Self::TypeII => "Type II",
        }
    }
}

/// How the report treats a subservice organisation's controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubserviceMethod {
    /// Left out of the report: the organisation's own assurance covers its controls.
    CarveOut,
    /// Included in the report: the auditor tested the organisation's relevant controls too.
    Inclusive,
}

impl SubserviceMethod {
    /// "carve-out" or "inclusive".
    pub fn name(self) -> &'static str {
        match self {
            Self::CarveOut => "carve-out",
            Self::Inclusive => "inclusive",
        }
    }
}

/// A subservice organisation named in the report, such as the hosting provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubserviceOrg {
    pub name: String,
    pub method: SubserviceMethod,
}

/// A bridge (gap) letter: management's statement covering the time after the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BridgeLetter {
    /// `YYYY-MM-DD`.
    pub start: String,
    /// `YYYY-MM-DD`.
    pub end: String,
}

/// The company's SOC 2 report, as the library records it. Dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Soc2Profile {
    pub report_type: ReportType,
    /// The single date a Type I report speaks for; a Type II report has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// The first day of a Type II report's period; a Type I report has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_start: Option<String>,
    /// The last day of a Type II report's period; a Type I report has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_end: Option<String>,
    /// The Trust Services Categories in scope. Security is always among them.
    pub categories: BTreeSet<Category>,
    /// The system or services in scope, in words: the system boundary.
    #[serde(default)]
    pub system: String,
    /// The audit firm that issued the report.
    #[serde(default)]
    pub auditor: String,
    /// The date of the auditor's report.
    #[serde(default)]
    pub report_date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bridge_letter: Option<BridgeLetter>,
    /// How a customer gets the report, such as "From our Trust Center under NDA."
    #[serde(default)]
    pub how_to_request: String,
    /// The exceptions the auditor noted, one per item; empty when none were noted.
    #[serde(default)]
    pub exceptions: Vec<String>,
    #[serde(default)]
    pub subservice_organisations: Vec<SubserviceOrg>,
}

/// A field of the profile, as problems name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileField {
    AsOf,
    PeriodStart,
    PeriodEnd,
    ReportDate,
    BridgeStart,
    BridgeEnd,
    System,
    Auditor,
    HowToRequest,
}

impl ProfileField {
    /// The field as a sentence names it: "the period end".
    pub fn label(self) -> &'static str {
        match self {
            Self::AsOf => "the \"as of\" date",
            Self::PeriodStart => "the period start",
            Self::PeriodEnd => "the period end",
            Self::ReportDate => "the report date",
            Self::BridgeStart => "the bridge letter's start",
            Self::BridgeEnd => "the bridge letter's end",
            Self::System => "the system in scope",
            Self::Auditor => "the auditor firm",
            Self::HowToRequest => "how to request the report",
        }
    }
}

/// One thing wrong with a profile. [`ProfileProblem::message`] says it in a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProfileProblem {
    /// A required field is empty.
    Missing { field: ProfileField },
    /// A date is not a real `YYYY-MM-DD` date.
    BadDate { field: ProfileField, value: String },
    /// A Type I report has a period start or end.
    TypeIWithPeriod,
    /// A Type I report has no "as of" date.
    TypeIWithoutDate,
    /// A Type II report lacks its period start or end.
    TypeIIWithoutPeriod,
    /// A Type II report has an "as of" date.
    TypeIIWithAsOf,
    /// The period does not end after it starts.
    EndNotAfterStart { start: String, end: String },
    /// Security is not among the categories in scope.
    SecurityNotInScope,
    /// The report is dated before the last day it reports on.
    ReportBeforeCoverage { report_date: String, covered_to: String },
    /// The bridge letter does not start where the report's coverage ends.
    BridgeNotAtCoverageEnd { bridge_start: String, covered_to: String },
    /// The bridge letter does not end after it starts.
    BridgeEndNotAfterStart { start: String, end: String },
    /// A subservice organisation has no name (its position counts from 1).
    UnnamedSubservice { position: usize },
    /// An exception is blank (its position counts from 1).
    BlankException { position: usize },
}

impl ProfileProblem {
    /// The problem as one sentence for people.
    pub fn message(&self) -> String {
        match self {
            Self::Missing { field } => format!("The SOC 2 profile does not say {}.", field.label()),
            Self::BadDate { field, value } => {
                format!("In the SOC 2 profile, {} \"{value}\" is not a date of the form YYYY-MM-DD.", field.label())
            }
            Self::TypeIWithPeriod => {
                "A Type I report speaks for a single \"as of\" date, so the profile should have no period start or end."
                    .into()
            }
            Self::TypeIWithoutDate => "A Type I report needs its \"as of\" date.".into(),
            Self::TypeIIWithoutPeriod => "A Type II report needs both the start and the end of its period.".into(),
            Self::TypeIIWithAsOf => {
                "A Type II report covers a period, so the profile should have no \"as of\" date.".into()
            }
            Self::EndNotAfterStart { start, end } => {
                format!("The SOC 2 period ends on {end}, which is not after its start on {start}.")
            }
            Self::SecurityNotInScope => {
                "Security (the common criteria) is in the scope of every SOC 2 report; add it to the categories."
                    .into()
            }
            Self::ReportBeforeCoverage { report_date, covered_to } => {
                format!("The report is dated {report_date}, before {covered_to}, the last day it reports on.")
            }
            Self::BridgeNotAtCoverageEnd { bridge_start, covered_to } => format!(
                "The bridge letter starts on {bridge_start}; it should start where the report ends ({covered_to}) or the day after."
            ),
            Self::BridgeEndNotAfterStart { start, end } => {
                format!("The bridge letter ends on {end}, which is not after its start on {start}.")
            }
            Self::UnnamedSubservice { position } => format!("Subservice organisation {position} has no name."),
            Self::BlankException { position } => format!("Exception {position} is blank; remove it or describe it."),
        }
    }
}

/// The day number of a strict `YYYY-MM-DD` date: zero-padded, and a day that exists in its
/// month (`2026-02-30` is refused).
pub fn parse_date(date: &str) -> Option<i64> {
    let day = day_number(date)?;
    (date_from_day_number(day) == date).then_some(day)
}

/// A date in words, "1 October 2025"; text that is not a date is returned as written.
pub fn long_date(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Option<(u32, usize, u32)> = parse_date(date).and_then(|_| {
        let mut it = date.split('-');
        Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?, it.next()?.parse().ok()?))
    });
    match parts {
        Some((year, month, day)) => format!("{day} {} {year}", MONTHS[month - 1]),
        None => date.to_owned(),
    }
}

/// The day number of the same calendar date `years` later; 29 February becomes 28 February
/// in a year that has none.
pub(crate) fn years_later(date: &str, years: i64) -> Option<i64> {
    parse_date(date)?;
    let year: i64 = date.get(..4)?.parse().ok()?;
    let rest = date.get(4..)?;
    let moved = format!("{:04}{rest}", year + years);
    parse_date(&moved).or_else(|| parse_date(&format!("{:04}-02-28", year + years)))
}

impl Soc2Profile {
    /// The last day the report speaks for: the period end (Type II) or the "as of" date
    /// (Type I).
    pub fn covered_to(&self) -> Option<&str> {
        match self.report_type {
            ReportType::TypeI => self.as_of.as_deref(),
            ReportType::TypeII => self.period_end.as_deref(),
        }
    }

    /// The first day of the current period: the period start (Type II) or the "as of" date
    /// (Type I).
    pub fn covered_from(&self) -> Option<&str> {
        match self.report_type {
            ReportType::TypeI => self.as_of.as_deref(),
            ReportType::TypeII => self.period_start.as_deref(),
        }
    }

    /// Whether a category is in the report's scope (Security always is).
    pub fn in_scope(&self, category: Category) -> bool {
        category == Category::Security || self.categories.contains(&category)
    }

    /// Every problem with the profile, in field order; empty when it is sound.
    pub fn validate(&self) -> Vec<ProfileProblem> {
        let mut problems = Vec::new();
        let (as_of, start, end) = (present(&self.as_of), present(&self.period_start), present(&self.period_end));
        let mut date = |field: ProfileField, value: Option<&str>| -> Option<i64> {
            let value = value?;
            let day = parse_date(value);
            if day.is_none() {
                problems.push(ProfileProblem::BadDate { field, value: value.to_owned() });
            }
            day
        };
        let as_of_day = date(ProfileField::AsOf, as_of);
        let start_day = date(ProfileField::PeriodStart, start);
        let end_day = date(ProfileField::PeriodEnd, end);
        let report_trimmed = Some(self.report_date.trim()).filter(|d| !d.is_empty());
        let report_day = date(ProfileField::ReportDate, report_trimmed);
        let bridge = self.bridge_letter.as_ref().map(|b| (b.start.trim(), b.end.trim()));
        let bridge_days =
            bridge.map(|(s, e)| (date(ProfileField::BridgeStart, Some(s)), date(ProfileField::BridgeEnd, Some(e))));

        match self.report_type {
            ReportType::TypeI => {
                if start.is_some() || end.is_some() {
                    problems.push(ProfileProblem::TypeIWithPeriod);
                }
                if as_of.is_none() {
                    problems.push(ProfileProblem::TypeIWithoutDate);
                }
            }
            ReportType::TypeII => {
                if start.is_none() || end.is_none() {
                    problems.push(ProfileProblem::TypeIIWithoutPeriod);
                }
                if as_of.is_some() {
                    problems.push(ProfileProblem::TypeIIWithAsOf);
                }
                if let (Some(s), Some(e)) = (start_day, end_day) {
                    if e <= s {
                        problems.push(ProfileProblem::EndNotAfterStart {
                            start: start.unwrap_or_default().to_owned(),
                            end: end.unwrap_or_default().to_owned(),
                        });
                    }
                }
            }
        }
        let covered_to = match self.report_type {
            ReportType::TypeI => as_of.zip(as_of_day),
            ReportType::TypeII => end.zip(end_day),
        };
        if !self.categories.contains(&Category::Security) {
            problems.push(ProfileProblem::SecurityNotInScope);
        }
        for (field, text) in [(ProfileField::System, &self.system), (ProfileField::Auditor, &self.auditor)] {
            if text.trim().is_empty() {
                problems.push(ProfileProblem::Missing { field });
            }
        }
        match (report_trimmed, report_day, covered_to) {
            (None, _, _) => problems.push(ProfileProblem::Missing { field: ProfileField::ReportDate }),
            (Some(report), Some(day), Some((to, to_day))) if day < to_day => {
                problems.push(ProfileProblem::ReportBeforeCoverage {
                    report_date: report.to_owned(),
                    covered_to: to.to_owned(),
                });
            }
            _ => {}
        }
        if let (Some((bridge_start, bridge_end)), Some((start_day, end_day))) = (bridge, bridge_days) {
            if let (Some(day), Some((to, to_day))) = (start_day, covered_to) {
                if day != to_day && day != to_day + 1 {
                    problems.push(ProfileProblem::BridgeNotAtCoverageEnd {
                        bridge_start: bridge_start.to_owned(),
                        covered_to: to.to_owned(),
                    });
                }
            }
            if let (Some(s), Some(e)) = (start_day, end_day) {
                if e <= s {
                    problems.push(ProfileProblem::BridgeEndNotAfterStart {
                        start: bridge_start.to_owned(),
                        end: bridge_end.to_owned(),
                    });
                }
            }
        }
        if self.how_to_request.trim().is_empty() {
            problems.push(ProfileProblem::Missing { field: ProfileField::HowToRequest });
        }
        for (index, exception) in self.exceptions.iter().enumerate() {
            if exception.trim().is_empty() {
                problems.push(ProfileProblem::BlankException { position: index + 1 });
            }
        }
        for (index, org) in self.subservice_organisations.iter().enumerate() {
            if org.name.trim().is_empty() {
                problems.push(ProfileProblem::UnnamedSubservice { position: index + 1 });
            }
        }
        problems
    }

    /// The profile read from its JSON form (`answer-library/profile.json`).
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }
}

/// A date field's text, trimmed, or `None` when it is absent or blank.
fn present(date: &Option<String>) -> Option<&str> {
    date.as_deref().map(str::trim).filter(|d| !d.is_empty())
}

#[cfg(test)]
mod tests;
