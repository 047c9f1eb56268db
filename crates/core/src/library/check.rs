//! Library checks: what `trustfill library check` and the library test report.

use super::profile::ProfileProblem;
use super::{EntryStatus, Library};
use crate::criteria::CriterionId;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Review dates older than this many days make an entry stale.
pub const STALE_AFTER_DAYS: i64 = 365;

/// The fewest approved entries each criterion should have.
pub const MIN_APPROVED_PER_CRITERION: usize = 2;

/// One problem found in a library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    DuplicateId {
        id: String,
    },
    UnknownControl {
        entry: String,
        control: String,
    },
    EmptyAnswer {
        entry: String,
    },
    EmptyQuestion {
        entry: String,
    },
    ThinCriterion {
        criterion: String,
        approved: usize,
    },
    Stale {
        entry: String,
        reviewed: String,
    },
    BadReviewDate {
        entry: String,
        reviewed: String,
    },
    NearDuplicate {
        first: String,
        second: String,
        confidence: u32,
    },
    /// The SOC 2 profile is wrong in some way.
    Profile {
        problem: ProfileProblem,
    },
    /// Entries state profile facts, but the library has no profile to write them from.
    NoProfile {
        entries: usize,
    },
    /// The SOC 2 report's coverage ended more than twelve months ago.
    ReportOutdated {
        covered_to: String,
    },
}

impl Finding {
    /// The finding as one sentence for people.
    pub fn message(&self) -> String {
        match self {
            Finding::DuplicateId { id } => format!("The id \"{id}\" is used by more than one entry."),
            Finding::UnknownControl { entry, control } => {
                format!("Entry {entry} cites {control}, which is not a SOC 2 criterion.")
            }
            Finding::EmptyAnswer { entry } => format!("Entry {entry} has no answer."),
            Finding::EmptyQuestion { entry } => format!("Entry {entry} has no question."),
            Finding::ThinCriterion { criterion, approved } => {
                format!("{criterion} has {approved} approved entries; it needs at least {MIN_APPROVED_PER_CRITERION}.")
            }
            Finding::Stale { entry, reviewed } => {
                format!("Entry {entry} was last reviewed on {reviewed}, more than 12 months ago.")
            }
            Finding::BadReviewDate { entry, reviewed } => {
                format!("Entry {entry} has a review date \"{reviewed}\" that is not YYYY-MM-DD.")
            }
            Finding::NearDuplicate { first, second, confidence } => {
                format!("Entries {first} and {second} ask nearly the same question ({confidence}% match).")
            }
            Finding::Profile { problem } => problem.message(),
            Finding::NoProfile { entries } => format!(
                "{entries} entries answer from the SOC 2 profile, but the library has none; their stored text is used."
            ),
            Finding::ReportOutdated { covered_to } => format!(
                "The SOC 2 report covers up to {covered_to}, more than 12 months ago; every answer is marked stale until the profile describes a newer report."
            ),
        }
    }

    /// Whether the finding must be fixed before the library ships. Age, near-duplicates and
    /// a missing profile are warnings: the library still answers correctly.
    pub fn is_blocking(&self) -> bool {
        !matches!(
            self,
            Finding::Stale { .. }
                | Finding::NearDuplicate { .. }
                | Finding::NoProfile { .. }
                | Finding::ReportOutdated { .. }
        )
    }
}

/// Days since 1970-01-01 for a `YYYY-MM-DD` date, or `None` when it is not one.
pub fn day_number(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(1900..=9999).contains(&year) {
        return None;
    }
    // Howard Hinnant's days-from-civil algorithm.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The `YYYY-MM-DD` date of a day number (the inverse of [`day_number`]).
pub fn date_from_day_number(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Runs every check except near-duplicates, which need the matcher
/// (see [`crate::matching::near_duplicates`]). `today` is `YYYY-MM-DD`.
pub fn check(library: &Library, today: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen = BTreeSet::new();
    let today_day = day_number(today);
    for entry in &library.entries {
        if !seen.insert(entry.id.as_str()) {
            findings.push(Finding::DuplicateId { id: entry.id.clone() });
        }
        for control in &entry.controls {
            if library.criteria.get(control).is_none() {
                findings.push(Finding::UnknownControl { entry: entry.id.clone(), control: control.to_string() });
            }
        }
        if entry.answer.trim().is_empty() {
            findings.push(Finding::EmptyAnswer { entry: entry.id.clone() });
        }
        if entry.question.trim().is_empty() {
            findings.push(Finding::EmptyQuestion { entry: entry.id.clone() });
        }
        if entry.status == EntryStatus::Retired {
            continue;
        }
        match (day_number(&entry.reviewed), today_day) {
            (None, _) => {
                findings.push(Finding::BadReviewDate { entry: entry.id.clone(), reviewed: entry.reviewed.clone() })
            }
            (Some(reviewed), Some(now)) if now - reviewed > STALE_AFTER_DAYS => {
                findings.push(Finding::Stale { entry: entry.id.clone(), reviewed: entry.reviewed.clone() })
            }
            _ => {}
        }
    }
    match library.profile() {
        Some(profile) => {
            findings.extend(profile.validate().into_iter().map(|problem| Finding::Profile { problem }));
            if let Some(super::profile::Stale::ReportOutdated { covered_to }) =
                super::profile::status::report_outdated(profile, today)
            {
                findings.push(Finding::ReportOutdated { covered_to });
            }
        }
        None => {
            let entries = library.entries.iter().filter(|e| e.from_profile.is_some()).count();
            if entries > 0 {
                findings.push(Finding::NoProfile { entries });
            }
        }
    }
    for (criterion, approved) in approved_per_criterion(library) {
        if approved < MIN_APPROVED_PER_CRITERION {
            findings.push(Finding::ThinCriterion { criterion: criterion.to_string(), approved });
        }
    }
    findings
}

/// The number of approved entries citing each criterion of the catalogue, in catalogue order.
pub fn approved_per_criterion(library: &Library) -> Vec<(CriterionId, usize)> {
    let mut counts: BTreeMap<&CriterionId, usize> = BTreeMap::new();
    for entry in library.approved() {
        for control in &entry.controls {
            *counts.entry(control).or_default() += 1;
        }
    }
    library.criteria.all().iter().map(|c| (c.id.clone(), counts.get(&c.id).copied().unwrap_or(0))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_match_known_dates() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2000-03-01"), Some(11_017));
        assert_eq!(day_number("2026-11-23").unwrap() - day_number("2025-11-23").unwrap(), 365);
        assert_eq!(day_number("2026-13-01"), None);
        assert_eq!(day_number("yesterday"), None);
        for date in ["1970-01-01", "2000-02-29", "2026-11-23", "2099-12-31"] {
            assert_eq!(date_from_day_number(day_number(date).unwrap()), date);
        }
    }
}
