//! Named limits on untrusted input, so that a hostile file meets a clear refusal, not a crash.

/// The largest file Trustfill will open. Real questionnaires are well under 20 MB.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;

/// The most bytes that all entries of a zip container (xlsx, docx) may expand to.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 400 * 1024 * 1024;

/// The highest ratio of uncompressed to compressed size for one zip entry. Spreadsheet XML
/// compresses well (20:1 is common), but a ratio of hundreds means a zip bomb.
pub const MAX_COMPRESSION_RATIO: u64 = 200;

/// The most entries a zip container may hold.
pub const MAX_ZIP_ENTRIES: usize = 10_000;

/// The most non-empty cells read from one workbook.
pub const MAX_CELLS: usize = 5_000_000;

/// The most characters Excel allows in one cell; longer text is cut on export.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The most questions one questionnaire may hold.
pub const MAX_QUESTIONS: usize = 20_000;

/// The most entries a library may hold.
pub const MAX_LIBRARY_ENTRIES: usize = 50_000;
