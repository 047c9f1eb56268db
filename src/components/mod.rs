//! Components shared by the pages.

pub mod columns;
pub mod coverage;
pub mod entry_editor;
pub mod entry_list;
pub mod explain;
pub mod library_import;
pub mod library_search;
pub mod model_status;
pub mod profile_editor;
pub mod question_row;
pub mod review_queue;
