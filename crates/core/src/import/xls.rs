//! A guard run on an xls file before calamine reads it. Calamine's compound-file and BIFF
//! readers trust the file: a sector chain may index past the allocation table or loop for ever,
//! a record may claim more data than it holds, and a sheet's cells are put in a dense range as
//! large as the area they span. Each of those panics or exhausts memory, so this module walks
//! the file the way calamine does and refuses it first.
//!
//! The walk mirrors calamine 0.38 (`cfb.rs` and `xls.rs`), reading the bytes as zero-padded as
//! `spreadsheet::read_xls` hands them over. Where calamine would return an error of its own the
//! walk stops and lets it; only what would panic or run away is refused.

use super::ImportError;
use crate::limits;

const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;

/// Why the walk stopped early.
enum Stop {
    /// Calamine returns an error here by itself: nothing further to guard.
    Calamine,
    /// Calamine would panic or exhaust memory here.
    Refuse(ImportError),
}

type Walk<T> = Result<T, Stop>;

fn refuse<T>() -> Walk<T> {
    Err(Stop::Refuse(ImportError::Corrupt))
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn u32s(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

/// The file read from the start, as if followed by zeros.
struct Padded<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl Padded<'_> {
    fn read(&mut self, buf: &mut [u8]) {
        let start = self.position.min(self.bytes.len());
        let n = (self.bytes.len() - start).min(buf.len());
        buf[..n].copy_from_slice(&self.bytes[start..start + n]);
        buf[n..].fill(0);
        self.position = self.position.saturating_add(buf.len());
    }
}

/// Calamine's sector cache: sectors are read from the file in order as they are first needed.
struct Sectors {
    data: Vec<u8>,
    size: usize,
    maxid: usize,
}

impl Sectors {
    fn get(&mut self, id: u32, file: &mut Padded<'_>) -> Walk<&[u8]> {
        let id = id as usize;
        if self.maxid < id {
            return Err(Stop::Calamine);
        }
        let start = id * self.size;
        let end = start + self.size;
        if end > self.data.len() {
            let read_from = self.data.len();
            self.data.resize(end, 0);
            file.read(&mut self.data[read_from..end]);
        }
        Ok(&self.data[start..end])
    }

    /// Follows a chain as calamine does, refusing an index past the table and a chain longer
    /// than there are sectors (a loop, which calamine follows until memory runs out).
    fn chain(&mut self, mut id: u32, table: &[u32], file: &mut Padded<'_>, len: usize) -> Walk<Vec<u8>> {
        let mut chain = Vec::new();
        let mut steps = 0usize;
        while id != ENDOFCHAIN {
            steps += 1;
            if steps > self.maxid + 1 {
                return refuse();
            }
            let sector = self.get(id, file)?;
            let to_copy = sector.len().min(len - chain.len());
            chain.extend_from_slice(&sector[..to_copy]);
            if chain.len() >= len {
                break;
            }
            id = match table.get(id as usize) {
                Some(&next) => next,
                None => return refuse(),
            };
        }
        Ok(chain)
    }
}

/// Reads the workbook stream out of the compound file, as calamine's `Cfb::new` and
/// `get_stream("Workbook")`, then `get_stream("Book")`, do.
fn workbook_stream(bytes: &[u8]) -> Walk<Vec<u8>> {
    let mut file = Padded { bytes, position: 0 };
    let mut header = [0u8; 512];
    file.read(&mut header);
    if header[..8] != *b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" {
        return Err(Stop::Calamine);
    }
    let field16 = |at| u16_at(&header, at).unwrap_or_default();
    let field32 = |at| u32_at(&header, at).unwrap_or_default();
    let (large, size) = match field16(30) {
        0x0009 => (false, 512usize),
        0x000C => {
            file.read(&mut [0u8; 4096 - 512]);
            (true, 4096)
        }
        _ => return Err(Stop::Calamine),
    };
    if field16(32) != 0x0006 {
        return Err(Stop::Calamine);
    }
    let (version, dir_start, mini_fat_start, mini_fat_len, difat_start) =
        (field16(26), field32(48), field32(60), field32(64) as usize, field32(68));
    let maxid = bytes.len() / size;
    let mut sectors = Sectors { data: Vec::new(), size, maxid };

    let mut difat: Vec<u32> = u32s(&header[76..512]).collect();
    let mut sector_id = difat_start;
    let mut difat_sectors = 0usize;
    while sector_id < RESERVED_SECTORS {
        difat_sectors += 1;
        if difat_sectors > maxid + 1 {
            return Err(Stop::Calamine);
        }
        difat.extend(u32s(sectors.get(sector_id, &mut file)?));
        sector_id = difat.pop().ok_or(Stop::Calamine)?;
    }
    // A table listing more of its own sectors than the file holds repeats them, and calamine
    // would copy each repeat.
    let fat_sectors: Vec<u32> = difat.into_iter().filter(|id| *id < DIFSECT).collect();
    if fat_sectors.len() > maxid + 1 {
        return refuse();
    }
    let mut fats = Vec::new();
    for id in fat_sectors {
        fats.extend(u32s(sectors.get(id, &mut file)?));
    }

    let directory = sectors.chain(dir_start, &fats, &mut file, usize::MAX)?;
    let mut entries = Vec::new();
    for entry in directory.chunks_exact(128) {
        let name = encoding_rs::UTF_16LE.decode(&entry[..64]).0.into_owned();
        let name = match name.as_bytes().iter().position(|b| *b == 0) {
            Some(end) => name[..end].to_owned(),
            None => name,
        };
        let start = u32_at(entry, 116).unwrap_or_default();
        // A length past 32 bits cannot be a usize in the browser, where calamine unwraps it.
        let len = if large {
            let len = u64::from_le_bytes(entry[120..128].try_into().unwrap_or_default());
            match u32::try_from(len) {
                Ok(len) => len as usize,
                Err(_) => return refuse(),
            }
        } else {
            u32_at(entry, 120).unwrap_or_default() as usize
        };
        entries.push((name, start, len));
    }
    if entries.is_empty() || (version != 3 && entries[0].1 == ENDOFCHAIN) {
        return Err(Stop::Calamine);
    }
    let (ministream, mini_fats) = if mini_fat_len > 0 {
        let ministream = sectors.chain(entries[0].1, &fats, &mut file, entries[0].2)?;
        let Some(len) = u32::try_from(mini_fat_len as u64 * size as u64).ok() else { return refuse() };
        let minifat = sectors.chain(mini_fat_start, &fats, &mut file, len as usize)?;
        (ministream, u32s(&minifat).collect())
    } else {
        (Vec::new(), Vec::new())
    };
    let mut mini = Sectors { data: ministream, size: 64, maxid: maxid * 8 };

    let stream = |name: &str, sectors: &mut Sectors, mini: &mut Sectors, file: &mut Padded<'_>| {
        let Some((_, start, len)) = entries.iter().find(|(n, _, _)| n.eq_ignore_ascii_case(name)) else {
            return Err(Stop::Calamine);
        };
        if *len < 4096 {
            mini.chain(*start, &mini_fats, file, *len)
        } else {
            sectors.chain(*start, &fats, file, *len)
        }
    };
    match stream("Workbook", &mut sectors, &mut mini, &mut file) {
        Err(Stop::Calamine) => stream("Book", &mut sectors, &mut mini, &mut file),
        other => other,
    }
}

/// One BIFF record: its type and data (continuation records are skipped, as calamine joins
/// them to the record before).
fn records(mut stream: &[u8]) -> impl Iterator<Item = Walk<(u16, &[u8])>> {
    std::iter::from_fn(move || {
        if stream.is_empty() {
            return None;
        }
        let (Some(kind), Some(len)) = (u16_at(stream, 0), u16_at(stream, 2)) else { return Some(Err(Stop::Calamine)) };
        let Some(data) = stream.get(4..4 + len as usize) else { return Some(Err(Stop::Calamine)) };
        stream = &stream[4 + len as usize..];
        while stream.len() > 4 && u16_at(stream, 0) == Some(0x003C) {
            let len = u16_at(stream, 2).unwrap_or_default() as usize;
            let Some(rest) = stream.get(4 + len..) else { return Some(Err(Stop::Calamine)) };
            stream = rest;
        }
        Some(Ok((kind, data)))
    })
}

/// The area a sheet's cells span, as calamine's dense range will hold it.
#[derive(Default)]
struct Span {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl Span {
    fn add(&mut self, row: u32, col: u32) {
        let widen = |range: Option<(u32, u32)>, v: u32| Some(range.map_or((v, v), |(a, b)| (a.min(v), b.max(v))));
        self.rows = widen(self.rows, row);
        self.cols = widen(self.cols, col);
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (r1 - r0 + 1) as u64 * (c1 - c0 + 1) as u64,
            _ => 0,
        }
    }
}

/// Walks one sheet's records from its offset, as calamine's `parse_workbook` does.
fn check_sheet(sheet: &[u8]) -> Walk<()> {
    let too_many = || Err(Stop::Refuse(ImportError::TooManyCells));
    let mut span = Span::default();
    let mut formula_at = (0u32, 0u32);
    let (mut seen_bof, mut depth) = (false, 0usize);
    for record in records(sheet) {
        let (kind, data) = record?;
        let at = |min: usize| {
            if data.len() < min {
                return Err(Stop::Calamine);
            }
            Ok((u16_at(data, 0).unwrap_or_default() as u32, u16_at(data, 2).unwrap_or_default() as u32))
        };
        if depth > 0 {
            match kind {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        match kind {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x0200 => {
                let (first_row, last_row, first_col, last_col) = match data.len() {
                    10 => (
                        at(10)?.0,
                        at(10)?.1,
                        u16_at(data, 4).unwrap_or_default() as u32,
                        u16_at(data, 6).unwrap_or_default() as u32,
                    ),
                    14 | 16 => (
                        u32_at(data, 0).unwrap_or_default(),
                        u32_at(data, 4).unwrap_or_default(),
                        u16_at(data, 8).unwrap_or_default() as u32,
                        u16_at(data, 10).unwrap_or_default() as u32,
                    ),
                    _ => return Err(Stop::Calamine),
                };
                let first_col = if first_col > 0xFF || last_col < first_col { 0 } else { first_col };
                if last_row >= 1 && last_col >= 1 {
                    // Calamine reserves room for every cell of the declared area.
                    let (Some(rows), Some(cols)) =
                        ((last_row - 1).checked_sub(first_row), (last_col - 1).checked_sub(first_col))
                    else {
                        return refuse();
                    };
                    if (rows as u64 + 1) * (cols as u64 + 1) > limits::MAX_CELLS as u64 {
                        return too_many();
                    }
                }
            }
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD => {
                let min = match kind {
                    0x0203 => 14,
                    0x0205 => 8,
                    0x027E | 0x00FD => 10,
                    _ => 6,
                };
                let (row, col) = at(min)?;
                span.add(row, col);
            }
            0x0006 => {
                formula_at = at(20)?;
                span.add(formula_at.0, formula_at.1);
            }
            0x0207 => span.add(formula_at.0, formula_at.1),
            0x00BD => {
                let (row, first) = at(6)?;
                let last = u16_at(data, data.len() - 2).unwrap_or_default() as u32;
                // Calamine counts `last - first + 1` columns in 16 bits.
                if last < first || last - first == u16::MAX as u32 {
                    return refuse();
                }
                span.add(row, first);
                span.add(row, last);
            }
            0x00E5 => {
                let count = u16_at(data, 0).ok_or(Stop::Refuse(ImportError::Corrupt))? as usize;
                if data.len() < 2 + count * 8 {
                    return refuse();
                }
            }
            0x000A => break,
            _ => {}
        }
        if span.cells() > limits::MAX_CELLS as u64 {
            return too_many();
        }
    }
    Ok(())
}

/// Walks the workbook globals for the sheets' offsets, then each sheet.
fn check_stream(stream: &[u8]) -> Walk<()> {
    let mut offsets = Vec::new();
    for record in records(stream) {
        let (kind, data) = record?;
        let needs = |min: usize| if data.len() < min { refuse() } else { Ok(()) };
        match kind {
            0x002F => {
                needs(2)?;
                if u16_at(data, 0) != Some(0) {
                    return Err(Stop::Calamine);
                }
            }
            0x0042 | 0x0022 | 0x0809 | 0x0017 => needs(2)?,
            0x0085 => {
                needs(6)?;
                offsets.push(u32_at(data, 0).unwrap_or_default() as usize);
            }
            0x0018 => {
                // A defined name's formula is the last `cce` bytes, after a 14-byte header.
                needs(14)?;
                if u16_at(data, 4).unwrap_or_default() as usize > data.len() {
                    return refuse();
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    for offset in offsets {
        let Some(sheet) = stream.get(offset..) else { return refuse() };
        check_sheet(sheet)?;
    }
    Ok(())
}

/// Refuses an xls file that would make calamine panic or exhaust memory; see the module docs.
pub fn check(bytes: &[u8]) -> Result<(), ImportError> {
    match workbook_stream(bytes).and_then(|stream| check_stream(&stream)) {
        Ok(()) | Err(Stop::Calamine) => Ok(()),
        Err(Stop::Refuse(error)) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        [&kind.to_le_bytes()[..], &(data.len() as u16).to_le_bytes(), data].concat()
    }

    fn label(row: u16, col: u16) -> Vec<u8> {
        record(0x0204, &[&row.to_le_bytes()[..], &col.to_le_bytes(), &[0, 0, 1, 0, 0, b'x']].concat())
    }

    fn verdict(records: &[Vec<u8>]) -> Option<ImportError> {
        match check_sheet(&records.concat()) {
            Ok(()) | Err(Stop::Calamine) => None,
            Err(Stop::Refuse(error)) => Some(error),
        }
    }

    fn dimensions(first_row: u32, last_row: u32, first_col: u16, last_col: u16) -> Vec<u8> {
        let data = [
            &first_row.to_le_bytes()[..],
            &last_row.to_le_bytes(),
            &first_col.to_le_bytes(),
            &last_col.to_le_bytes(),
            &[0, 0],
        ]
        .concat();
        record(0x0200, &data)
    }

    #[test]
    fn sheets_calamine_reads_safely_pass() {
        let eof = record(0x000A, &[]);
        assert_eq!(verdict(&[dimensions(0, 40, 0, 5), label(0, 0), label(39, 4), eof]), None);
    }

    #[test]
    fn declared_or_spanned_areas_past_the_cell_limit_are_refused() {
        assert_eq!(verdict(&[dimensions(5, 3, 0, 5)]), Some(ImportError::Corrupt));
        assert_eq!(verdict(&[dimensions(0, 10, 5, 5)]), Some(ImportError::Corrupt));
        assert_eq!(verdict(&[dimensions(0, u32::MAX, 0, 255)]), Some(ImportError::TooManyCells));
        assert_eq!(verdict(&[label(0, 0), label(65_535, 255)]), Some(ImportError::TooManyCells));
    }

    #[test]
    fn records_claiming_more_than_they_hold_are_refused() {
        // A merge list of 100 areas in 10 bytes, and a MulRk whose last column precedes its first.
        assert_eq!(verdict(&[record(0x00E5, &[100, 0, 0, 0, 0, 0, 0, 0, 0, 0])]), Some(ImportError::Corrupt));
        assert_eq!(verdict(&[record(0x00BD, &[0, 0, 9, 0, 0, 0, 1, 0])]), Some(ImportError::Corrupt));
    }
}
