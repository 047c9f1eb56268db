//! The app's pages.

pub mod library;
pub mod review;
pub mod reviewer;
pub mod start;
