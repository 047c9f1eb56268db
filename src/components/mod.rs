//! Components shared by the pages.

pub mod explain;
pub mod question_row;
