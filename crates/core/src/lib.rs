//! Trustfill's pure engine: questionnaire import, matching, review state and export.
//!
//! Every public entry point takes bytes or values and returns values. Nothing here touches
//! the file system, the network, the clock or a random source, so the web app and the CLI
//! get identical results from identical inputs (see `ARCHITECTURE.md`, invariant 1).

pub mod criteria;
pub mod evaluation;
pub mod export;
pub mod import;
pub mod library;
pub mod limits;
pub mod matching;
pub mod model;
pub mod review;
pub mod reviewer;
pub mod text;

pub use criteria::{Category, CriteriaCatalog, Criterion, CriterionId};
pub use import::{import_questionnaire, ImportError};
pub use library::{Entry, EntryStatus, Library, LibraryError};
pub use matching::{Matcher, Suggestion, Tier};
pub use model::{AnswerFormat, CellRef, Diagnostic, Location, Question, Questionnaire, SourceFormat};
pub use review::{ResponseStatus, ReviewAction, ReviewSession};
