//! Components shared by the pages.

pub mod columns;
pub mod explain;
pub mod library_search;
pub mod question_row;
