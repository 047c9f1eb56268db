//! The app's pages.

pub mod library;
pub mod review;
pub mod start;
