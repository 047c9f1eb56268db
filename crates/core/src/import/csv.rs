//! Reading CSV and TSV: encoding sniffing (UTF-8 with or without BOM, UTF-16, Windows-1252),
//! delimiter sniffing, then the csv crate.

use super::grid::Grid;
use super::ImportError;
use crate::limits;

/// Decodes bytes to text, by BOM first, then UTF-8, then Windows-1252.
pub fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom_len..]).0.into_owned();
    }
    // UTF-16 without a BOM shows as every other byte zero in ASCII-heavy text.
    let sample = &bytes[..bytes.len().min(512)];
    let zeros_odd = sample.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let zeros_even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    if sample.len() >= 8 && zeros_odd * 3 > sample.len() {
        return encoding_rs::UTF_16LE.decode_without_bom_handling(bytes).0.into_owned();
    }
    if sample.len() >= 8 && zeros_even * 3 > sample.len() {
        return encoding_rs::UTF_16BE.decode_without_bom_handling(bytes).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// Whether decoded text looks like a binary file renamed to .csv.
pub fn looks_binary(text: &str) -> bool {
    let sample: Vec<char> = text.chars().take(4096).collect();
    let control = sample.iter().filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')).count();
    let replacement = sample.iter().filter(|c| **c == '\u{FFFD}').count();
    !sample.is_empty() && (control + replacement) * 20 > sample.len()
}

/// Picks the delimiter that splits the first lines most consistently.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let mut best = (b',', 0usize);
    for delimiter in [b',', b'\t', b';', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| l.bytes().filter(|b| *b == delimiter).count()).collect();
        let Some(&first) = counts.first() else { continue };
        let consistent = counts.iter().filter(|&&c| c == first && c > 0).count();
        let score = consistent * first.min(50);
        if score > best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

/// Reads a CSV or TSV file into one grid named after the file.
pub fn read(bytes: &[u8], sheet_name: &str) -> Result<(Grid, u8), ImportError> {
    let text = decode(bytes);
    if looks_binary(&text) {
        return Err(ImportError::NotText);
    }
    let delimiter = sniff_delimiter(&text);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut grid = Grid::new(sheet_name);
    let mut cells = 0usize;
    for (row, record) in reader.records().enumerate() {
        let Ok(record) = record else { continue };
        for (col, value) in record.iter().enumerate() {
            if value.chars().count() > limits::MAX_CELL_CHARS {
                return Err(ImportError::CellTooLong);
            }
            cells += 1;
            if cells > limits::MAX_CELLS {
                return Err(ImportError::TooManyCells);
            }
            grid.set(row as u32, col as u32, value, false);
        }
    }
    Ok((grid, delimiter))
}

/// Parses CSV text into rows of strings, for library tables.
pub fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = decode(bytes);
    let delimiter = sniff_delimiter(&text);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    reader.records().flatten().map(|r| r.iter().map(str::to_owned).collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_decode() {
        assert_eq!(decode(b"\xEF\xBB\xBFRef,Q"), "Ref,Q");
        assert_eq!(decode(b"caf\xE9"), "café");
        let utf16: Vec<u8> = "Ref,Question".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode(&utf16), "Ref,Question");
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(&utf16);
        assert_eq!(decode(&with_bom), "Ref,Question");
    }

    #[test]
    fn delimiters_sniff() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3\n"), b';');
    }

    #[test]
    fn binary_is_refused() {
        let bytes: Vec<u8> = (0u8..=255).cycle().take(4000).collect();
        assert!(matches!(read(&bytes, "x"), Err(ImportError::NotText)));
    }
}
