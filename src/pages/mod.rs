//! The app's pages.

pub mod review;
pub mod start;
