//! Named limits on untrusted input, so that a hostile file meets a clear refusal, not a crash.

/// The largest file Trustfill will open. Real questionnaires are well under 20 MB.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;

/// The most bytes that all entries of a zip container (xlsx, docx) may expand to.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 400 * 1024 * 1024;

/// The highest ratio of uncompressed to compressed size for one zip entry larger than 1 MB
/// once expanded. Spreadsheet XML compresses well (20:1 is common), but a ratio of hundreds
/// means a zip bomb. A zip entry's sizes are what it states; the zip reader refuses to expand
/// an entry past the size it states, so that a lie cannot get around these limits.
pub const MAX_COMPRESSION_RATIO: u64 = 200;

/// The most entries a zip container may hold.
pub const MAX_ZIP_ENTRIES: usize = 10_000;

/// The most non-empty cells read from one file (all sheets, or all of a document's tables).
pub const MAX_CELLS: usize = 5_000_000;

/// The most characters Excel allows in one cell. A spreadsheet or CSV cell holding more is
/// refused on import; a Word table cell is cut to it, with a warning; export cuts to it.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The most questions one questionnaire may hold; the first ones are read, with a warning.
pub const MAX_QUESTIONS: usize = 20_000;

/// The most entries a library may hold.
pub const MAX_LIBRARY_ENTRIES: usize = 50_000;

/// A byte count in megabytes as a user reads it, in the units the limits above are written
/// in (1 MB = 1,048,576 bytes): whole megabytes plainly ("50 MB"), anything else rounded up to
/// a tenth ("50.1 MB"), so that a file just over a limit never reads as the limit itself.
pub fn megabytes(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes.is_multiple_of(MB) {
        return format!("{} MB", bytes / MB);
    }
    let tenths = (bytes.saturating_mul(10)).div_ceil(MB);
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

/// A count with thousands separated by commas, as a user reads it: "5,000,000".
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
