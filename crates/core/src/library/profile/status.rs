//! Where an answer stands against the SOC 2 profile: whether its controls fall inside the
//! audited scope, and whether it has gone stale.

use super::{parse_date, years_later, ReportType, Soc2Profile};
use crate::criteria::{Category, CriterionId};
use crate::library::{Entry, Library};
use crate::matching::Suggestion;
use crate::review::{Response, ResponseStatus};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// A report whose coverage ended more than this many years before today is out of date.
/// Customers expect a report no older than twelve months (plus a bridge letter), which is
/// why auditors run back-to-back twelve-month periods.
pub const REPORT_FRESH_YEARS: i64 = 1;

/// Whether an answer's controls are inside the scope of the SOC 2 report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ScopeStatus {
    /// Every control is in a category that the report covers.
    Covered,
    /// Some controls are in categories that the report leaves out (listed in report order).
    OutOfScope { categories: Vec<Category> },
    /// The answer is tied to no SOC 2 control.
    NoControl,
    /// The library has no SOC 2 profile, so the scope is unknown.
    NoProfile,
}

impl ScopeStatus {
    /// The status as a sentence: "Availability is not in your SOC 2 scope."
    pub fn message(&self) -> String {
        match self {
            Self::Covered => "Covered by the audited SOC 2 scope.".into(),
            Self::OutOfScope { categories } => {
                let names: Vec<&str> = categories.iter().map(|c| c.name()).collect();
                let verb = if names.len() == 1 { "is" } else { "are" };
                format!("{} {verb} not in your SOC 2 scope.", super::answers::list(&names))
            }
            Self::NoControl => "Tied to no SOC 2 control.".into(),
            Self::NoProfile => "The library has no SOC 2 profile, so the scope is unknown.".into(),
        }
    }

    /// Whether the answer should be flagged to the reviewer.
    pub fn is_flagged(&self) -> bool {
        matches!(self, Self::OutOfScope { .. })
    }
}

/// Compares an answer's controls with the report's scope. An answer with no controls is tied
/// to none, whatever the profile; without a profile the scope is unknown.
pub fn scope_status(profile: Option<&Soc2Profile>, controls: &[CriterionId]) -> ScopeStatus {
    if controls.is_empty() {
        return ScopeStatus::NoControl;
    }
    let Some(profile) = profile else { return ScopeStatus::NoProfile };
    let outside: BTreeSet<Category> =
        controls.iter().map(Category::of).filter(|&category| !profile.in_scope(category)).collect();
    if outside.is_empty() {
        ScopeStatus::Covered
    } else {
        ScopeStatus::OutOfScope { categories: outside.into_iter().collect() }
    }
}

/// Why an answer is stale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Stale {
    /// The report's coverage (period end, or "as of" date) ended more than twelve months
    /// before today.
    ReportOutdated { covered_to: String },
    /// The entry was last reviewed before the current period began (for a Type I report,
    /// before its "as of" date).
    ReviewedBeforePeriod { reviewed: String, period_start: String, report_type: ReportType },
}

impl Stale {
    /// The reason as a sentence.
    pub fn message(&self) -> String {
        match self {
            Self::ReportOutdated { covered_to } => format!(
                "The SOC 2 report covers up to {}, more than 12 months ago; answers that rest on it are out of date.",
                super::long_date(covered_to)
            ),
            Self::ReviewedBeforePeriod { reviewed, period_start, report_type } => {
                let began = match report_type {
                    ReportType::TypeII => {
                        format!("the current SOC 2 period began on {}", super::long_date(period_start))
                    }
                    ReportType::TypeI => {
                        format!("the date of the current SOC 2 Type I report, {}", super::long_date(period_start))
                    }
                };
                format!("This answer was last reviewed on {}, before {began}.", super::long_date(reviewed))
            }
        }
    }
}

/// The first rule: the report's coverage ended more than twelve months before `today`
/// (exactly twelve months is still fresh).
pub(crate) fn report_outdated(profile: &Soc2Profile, today: &str) -> Option<Stale> {
    let covered_to = profile.covered_to()?.trim();
    let fresh_until = years_later(covered_to, REPORT_FRESH_YEARS)?;
    (parse_date(today.trim())? > fresh_until).then(|| Stale::ReportOutdated { covered_to: covered_to.to_owned() })
}

/// The second rule: the entry was last reviewed before the current period began. Answers
/// written from the profile are as fresh as the profile, so the rule skips them.
fn reviewed_before_period(profile: &Soc2Profile, entry: &Entry) -> Option<Stale> {
    if entry.from_profile.is_some() {
        return None;
    }
    let period_start = profile.covered_from()?.trim();
    let reviewed = entry.reviewed.trim();
    (parse_date(reviewed)? < parse_date(period_start)?).then(|| Stale::ReviewedBeforePeriod {
        reviewed: reviewed.to_owned(),
        period_start: period_start.to_owned(),
        report_type: profile.report_type,
    })
}

/// Whether an entry's answer is stale as of `today` (`YYYY-MM-DD`): the report is more than
/// twelve months old, or the entry was last reviewed before the current period began. When
/// both hold, the report's age is given. Without a profile nothing is stale by these rules.
pub fn staleness(profile: Option<&Soc2Profile>, entry: &Entry, today: &str) -> Option<Stale> {
    let profile = profile?;
    report_outdated(profile, today).or_else(|| reviewed_before_period(profile, entry))
}

/// Where one answer stands: its scope and, when stale, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub scope: ScopeStatus,
    #[serde(default)]
    pub stale: Option<Stale>,
}

impl Standing {
    /// The standing as the response package writes it: each part with its message.
    pub fn to_json(&self) -> serde_json::Value {
        let mut scope = serde_json::to_value(&self.scope).unwrap_or_default();
        if let Some(object) = scope.as_object_mut() {
            object.insert("message".into(), self.scope.message().into());
        }
        let stale = self.stale.as_ref().map(|stale| {
            let mut value = serde_json::to_value(stale).unwrap_or_default();
            if let Some(object) = value.as_object_mut() {
                object.insert("message".into(), stale.message().into());
            }
            value
        });
        serde_json::json!({ "scope": scope, "stale": stale })
    }
}

/// Where a library entry's answer stands (for a suggestion, before anyone reviews it).
pub fn standing_of_entry(library: &Library, entry: &Entry, today: &str) -> Standing {
    Standing {
        scope: scope_status(library.profile(), &entry.controls),
        stale: staleness(library.profile(), entry, today),
    }
}

/// Where a suggestion's entry stands, or `None` when the library no longer holds the entry.
pub fn standing_of_suggestion(library: &Library, suggestion: &Suggestion, today: &str) -> Option<Standing> {
    library.entry(&suggestion.entry_id).map(|entry| standing_of_entry(library, entry, today))
}

/// Where a response stands. The scope follows its controls. Staleness follows the entry it
/// came from; an edited answer is the reviewer's own words, so only the report's age can make
/// it stale, and so for an entry the library no longer holds. A response from no entry is
/// never stale.
pub fn standing(library: &Library, response: &Response, today: &str) -> Standing {
    let entry = response.entry_id.as_deref().and_then(|id| library.entry(id));
    standing_with(library.profile(), entry, response, today)
}

/// [`standing`] with the response's entry already looked up.
fn standing_with(profile: Option<&Soc2Profile>, entry: Option<&Entry>, response: &Response, today: &str) -> Standing {
    let controls: Vec<CriterionId> = response.controls.iter().filter_map(|c| CriterionId::parse(c).ok()).collect();
    let from_entry = response.entry_id.as_deref().is_some_and(|id| !id.trim().is_empty());
    let stale = match (from_entry, entry, profile) {
        (false, _, _) | (true, _, None) => None,
        (true, Some(entry), _) if response.status != ResponseStatus::Edited => staleness(profile, entry, today),
        (true, _, Some(profile)) => report_outdated(profile, today),
    };
    Standing { scope: scope_status(profile, &controls), stale }
}

/// Every response's standing, in order. Without a library, the scope is unknown (or tied to
/// no control) and nothing is stale.
pub fn standings(library: Option<&Library>, responses: &[Response], today: &str) -> Vec<Standing> {
    // Looked up once, keeping the first entry of an id as `Library::entry` does.
    let mut entries: HashMap<&str, &Entry> = HashMap::new();
    for entry in library.map_or(&[][..], |l| &l.entries) {
        entries.entry(entry.id.as_str()).or_insert(entry);
    }
    let profile = library.and_then(Library::profile);
    responses
        .iter()
        .map(|response| {
            let entry = response.entry_id.as_deref().and_then(|id| entries.get(id).copied());
            standing_with(profile, entry, response, today)
        })
        .collect()
}
