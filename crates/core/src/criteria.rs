//! The SOC 2 Trust Services Criteria: a validated identifier and the catalogue of all 61.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The series prefixes of the 2017 Trust Services Criteria, in report order.
const SERIES_PREFIXES: [&str; 16] =
    ["CC1", "CC2", "CC3", "CC4", "CC5", "CC6", "CC7", "CC8", "CC9", "A1", "C1", "PI1", "P1", "P2", "P3", "P4"];
const PRIVACY_TAIL: [&str; 4] = ["P5", "P6", "P7", "P8"];

/// A syntactically valid criterion id such as `CC6.1` or `P4.3`. Whether it exists in the
/// catalogue is a separate question, answered by [`CriteriaCatalog::get`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CriterionId(String);

/// Why a string is not a criterion id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a SOC 2 criterion id (expected a form such as CC6.1, A1.2 or P4.3)")]
pub struct InvalidCriterionId(pub String);

impl CriterionId {
    /// Parses an id, accepting surrounding spaces and lower case (`cc6.1` becomes `CC6.1`).
    pub fn parse(raw: &str) -> Result<Self, InvalidCriterionId> {
        let id = raw.trim().to_ascii_uppercase();
        let Some((series, number)) = id.split_once('.') else {
            return Err(InvalidCriterionId(raw.to_owned()));
        };
        let series_known = SERIES_PREFIXES.contains(&series) || PRIVACY_TAIL.contains(&series);
        let number_ok = !number.is_empty() && number.len() <= 2 && number.bytes().all(|b| b.is_ascii_digit());
        if series_known && number_ok && !number.starts_with('0') {
            Ok(Self(id))
        } else {
            Err(InvalidCriterionId(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The series part, such as `CC6` for `CC6.1`.
    pub fn series(&self) -> &str {
        self.0.split_once('.').map(|(s, _)| s).unwrap_or(&self.0)
    }

    /// A key that sorts ids in report order: by series as the criteria list them (CC1 to CC9,
    /// A1, C1, PI1, then P1 to P8), then by number, so that `CC6.2` comes before `CC6.10`.
    pub fn report_order(&self) -> (usize, u32) {
        let (series, number) = self.0.split_once('.').unwrap_or((&self.0, ""));
        let position = SERIES_PREFIXES.iter().chain(&PRIVACY_TAIL).position(|&s| s == series).unwrap_or(usize::MAX);
        (position, number.parse().unwrap_or(u32::MAX))
    }
}

impl TryFrom<String> for CriterionId {
    type Error = InvalidCriterionId;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CriterionId> for String {
    fn from(id: CriterionId) -> Self {
        id.0
    }
}

impl fmt::Display for CriterionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One criterion with its category, series and a one-line description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub id: CriterionId,
    pub category: String,
    pub series: String,
    pub description: String,
}

/// All criteria, in report order, with lookup by id.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CriteriaCatalog {
    criteria: Vec<Criterion>,
    #[serde(skip)]
    by_id: BTreeMap<CriterionId, usize>,
}

#[derive(Deserialize)]
struct CatalogFile {
    criteria: Vec<Criterion>,
}

impl CriteriaCatalog {
    pub fn new(criteria: Vec<Criterion>) -> Self {
        let by_id = criteria.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
        Self { criteria, by_id }
    }

    /// Reads the catalogue file format (`{"criteria": [...]}`).
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        let file: CatalogFile = serde_json::from_str(json)?;
        Ok(Self::new(file.criteria))
    }

    pub fn get(&self, id: &CriterionId) -> Option<&Criterion> {
        self.by_id.get(id).map(|&i| &self.criteria[i])
    }

    pub fn all(&self) -> &[Criterion] {
        &self.criteria
    }

    pub fn len(&self) -> usize {
        self.criteria.len()
    }

    pub fn is_empty(&self) -> bool {
        self.criteria.is_empty()
    }

    /// The short category name used in summaries: Security, Availability, Confidentiality,
    /// Processing Integrity or Privacy.
    pub fn category_of(id: &CriterionId) -> &'static str {
        Category::of(id).name()
    }
}

/// The five Trust Services Categories. Security (the common criteria, CC1 to CC9) is in every
/// SOC 2 report; the other four are chosen per report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Security,
    Availability,
    Confidentiality,
    ProcessingIntegrity,
    Privacy,
}

impl Category {
    /// Every category, in report order.
    pub const ALL: [Category; 5] =
        [Self::Security, Self::Availability, Self::Confidentiality, Self::ProcessingIntegrity, Self::Privacy];

    /// The category a criterion belongs to, by its series.
    pub fn of(id: &CriterionId) -> Self {
        match id.series() {
            "A1" => Self::Availability,
            "C1" => Self::Confidentiality,
            "PI1" => Self::ProcessingIntegrity,
            s if s.starts_with("CC") => Self::Security,
            _ => Self::Privacy,
        }
    }

    /// The name people use: "Processing Integrity".
    pub fn name(self) -> &'static str {
        match self {
            Self::Security => "Security",
            Self::Availability => "Availability",
            Self::Confidentiality => "Confidentiality",
            Self::ProcessingIntegrity => "Processing Integrity",
            Self::Privacy => "Privacy",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_and_rejects_invalid_ids() {
        for ok in ["CC1.1", "cc6.8", " A1.3 ", "PI1.5", "P8.1", "C1.2", "CC9.2"] {
            assert!(CriterionId::parse(ok).is_ok(), "{ok} should parse");
        }
        for bad in ["", "CC6", "CC0.1", "CC6.", "CC6.01", "X1.1", "P9.1", "CC6.1a", "CC10.1", "PI2.1"] {
            assert!(CriterionId::parse(bad).is_err(), "{bad} should be refused");
        }
        assert_eq!(CriterionId::parse("cc6.1").unwrap().as_str(), "CC6.1");
    }

    #[test]
    fn report_order_sorts_by_series_then_number() {
        let mut ids: Vec<CriterionId> = ["P1.1", "CC6.10", "A1.2", "CC6.2", "PI1.1", "C1.1", "CC1.1", "P8.1"]
            .map(|s| CriterionId::parse(s).unwrap())
            .to_vec();
        ids.sort_by_key(CriterionId::report_order);
        let sorted: Vec<&str> = ids.iter().map(CriterionId::as_str).collect();
        assert_eq!(sorted, ["CC1.1", "CC6.2", "CC6.10", "A1.2", "C1.1", "PI1.1", "P1.1", "P8.1"]);
    }

    #[test]
    fn categories_follow_the_series() {
        let cat = |s: &str| CriteriaCatalog::category_of(&CriterionId::parse(s).unwrap());
        assert_eq!(cat("CC6.1"), "Security");
        assert_eq!(cat("A1.2"), "Availability");
        assert_eq!(cat("C1.1"), "Confidentiality");
        assert_eq!(cat("PI1.3"), "Processing Integrity");
        assert_eq!(cat("P4.2"), "Privacy");
        assert_eq!(Category::of(&CriterionId::parse("PI1.1").unwrap()), Category::ProcessingIntegrity);
        assert_eq!(serde_json::to_string(&Category::ProcessingIntegrity).unwrap(), "\"processing_integrity\"");
    }
}
