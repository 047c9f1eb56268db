//! Libraries in and out: export as JSON, CSV or XLSX, and import with a preview of what is
//! added, changed and left alone, then a merge or a replace that the user consents to.

use super::{tabular, Entry, Library};
use std::collections::{BTreeMap, BTreeSet};

/// The library as CSV with the columns of [`tabular::COLUMNS`]. A cell that a spreadsheet
/// would run as a formula is prefixed with an apostrophe, which import removes again.
pub fn to_csv(entries: &[Entry]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    for row in tabular::entries_to_rows(entries) {
        let _ = writer.write_record(row.iter().map(|cell| crate::export::csv::neutralize(cell)));
    }
    writer.into_inner().unwrap_or_default()
}

/// Why a library workbook could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("The library workbook could not be written: {0}.")]
pub struct XlsxError(String);

/// The widths of the library workbook's columns, in characters, in the order of
/// [`tabular::COLUMNS`]; a column past them keeps Excel's default width.
const COLUMN_WIDTHS: [f64; 12] = [14.0, 48.0, 48.0, 10.0, 60.0, 16.0, 20.0, 24.0, 12.0, 10.0, 30.0, 30.0];

/// The library as an XLSX workbook: one sheet, the columns of [`tabular::COLUMNS`], a bold
/// frozen header and wrapped text below it. Every cell is written as a string, which Excel
/// never runs as a formula.
pub fn to_xlsx(entries: &[Entry]) -> Result<Vec<u8>, XlsxError> {
    use crate::export::workbook::{Style, Visibility, WorkbookError, WorkbookWriter};
    let fail = |e: WorkbookError| XlsxError(e.to_string());
    let mut workbook = WorkbookWriter::new();
    let sheet = workbook.add_sheet("Library", Visibility::Visible).map_err(fail)?;
    for (row, cells) in tabular::entries_to_rows(entries).iter().enumerate() {
        let row = u32::try_from(row).map_err(|_| XlsxError("too many entries".into()))?;
        let style = if row == 0 { Style::Bold } else { Style::Wrap };
        for (col, cell) in (0..).zip(cells) {
            sheet.write_text(row, col, cell).map_err(fail)?;
            sheet.set_style(row, col, style).map_err(fail)?;
        }
    }
    for (col, width) in (0..).zip(COLUMN_WIDTHS) {
        sheet.column_width(col, width).map_err(fail)?;
    }
    sheet.freeze_top_row();
    workbook.finish().map_err(fail)
}

/// An entry in the file that differs from the library's entry with the same id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub current: Entry,
    pub incoming: Entry,
    /// The fields that differ, with both versions.
    pub fields: Vec<FieldChange>,
}

/// What importing a library file would do, before anything changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPreview {
    /// Entries whose ids the library does not have.
    pub added: Vec<Entry>,
    /// Entries that differ from the library's: each needs the user's consent to overwrite.
    pub changed: Vec<Conflict>,
    /// Ids of entries identical in both.
    pub unchanged: Vec<String>,
    /// Ids of library entries that the file lacks: a replace removes them.
    pub only_in_library: Vec<String>,
    /// Ids the file uses more than once; only the first entry with each is imported.
    pub repeated_ids: Vec<String>,
    /// The file's SOC 2 profile, when it is a library JSON file that has one.
    pub profile: Option<super::profile::Soc2Profile>,
    /// The file's entries, first of each id, in the file's order.
    incoming: Vec<Entry>,
}

/// How an import changes the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// Keep every library entry; add the new ones; overwrite only the conflicts the user chose.
    Merge,
    /// The library becomes the file's entries.
    Replace,
}

/// One field that differs between the library's entry and the file's, as table text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub current: String,
    pub incoming: String,
}

/// The fields of two entries that differ, compared as the library table writes them.
fn differing_fields(a: &Entry, b: &Entry) -> Vec<FieldChange> {
    let rows = tabular::entries_to_rows(&[a.clone(), b.clone()]);
    tabular::COLUMNS
        .iter()
        .zip(rows[1].iter().zip(&rows[2]))
        .filter(|(_, (x, y))| x != y)
        .map(|(field, (x, y))| FieldChange { field, current: x.clone(), incoming: y.clone() })
        .collect()
}

/// Compares a file's entries with the library's, changing nothing.
pub fn preview(current: &[Entry], incoming: Vec<Entry>) -> ImportPreview {
    let by_id: BTreeMap<&str, &Entry> = current.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut seen = BTreeSet::new();
    let mut preview = ImportPreview::default();
    for entry in incoming {
        if !seen.insert(entry.id.clone()) {
            if !preview.repeated_ids.contains(&entry.id) {
                preview.repeated_ids.push(entry.id.clone());
            }
            continue;
        }
        match by_id.get(entry.id.as_str()) {
            None => preview.added.push(entry.clone()),
            Some(existing) => {
                let fields = differing_fields(existing, &entry);
                if fields.is_empty() {
                    preview.unchanged.push(entry.id.clone());
                } else {
                    preview.changed.push(Conflict { current: (*existing).clone(), incoming: entry.clone(), fields });
                }
            }
        }
        preview.incoming.push(entry);
    }
    preview.only_in_library = current.iter().filter(|e| !seen.contains(&e.id)).map(|e| e.id.clone()).collect();
    preview
}

impl ImportPreview {
    /// One sentence summing the preview up.
    pub fn summary(&self) -> String {
        let mut text = format!(
            "{} new, {} changed, {} unchanged; {} library entries are not in the file.",
            self.added.len(),
            self.changed.len(),
            self.unchanged.len(),
            self.only_in_library.len()
        );
        if !self.repeated_ids.is_empty() {
            text.push_str(&format!(
                " The file uses {} ids more than once; only the first entry with each is read.",
                self.repeated_ids.len()
            ));
        }
        text
    }

    /// The entries after the import. A merge keeps every library entry in place, takes the
    /// file's version only of the conflicts in `overwrite`, and appends the new entries. A
    /// replace gives the file's entries, except that a conflict not in `overwrite` keeps the
    /// library's version: nothing is overwritten without consent.
    pub fn apply(&self, current: &[Entry], mode: ImportMode, overwrite: &BTreeSet<String>) -> Vec<Entry> {
        let chosen: BTreeMap<&str, &Entry> = self
            .changed
            .iter()
            .map(|c| (c.current.id.as_str(), if overwrite.contains(&c.current.id) { &c.incoming } else { &c.current }))
            .collect();
        match mode {
            ImportMode::Merge => current
                .iter()
                .map(|e| chosen.get(e.id.as_str()).map_or_else(|| e.clone(), |c| (*c).clone()))
                .chain(self.added.iter().cloned())
                .collect(),
            ImportMode::Replace => self
                .incoming
                .iter()
                .map(|e| chosen.get(e.id.as_str()).map_or_else(|| e.clone(), |c| (*c).clone()))
                .collect(),
        }
    }
}

/// Reads a library file and previews it against the library, in one step. A JSON file's SOC 2
/// profile comes along; tables cannot hold one.
pub fn preview_file(library: &Library, bytes: &[u8], file_name: &str) -> Result<ImportPreview, super::LibraryError> {
    let contents = Library::contents_from_file(bytes, file_name)?;
    let mut preview = preview(&library.entries, contents.entries);
    preview.profile = contents.profile;
    Ok(preview)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::builtin;

    #[test]
    fn csv_export_then_import_is_lossless() {
        let mut entries = builtin::library().entries;
        entries[0].answer = "=HYPERLINK(\"http://x\")".into();
        entries[1].detail = "-1 is not a formula".into();
        entries[2].learned = vec!["Learned from a review?".into()];
        let back = Library::entries_from_file(&to_csv(&entries), "library.csv").unwrap();
        assert_eq!(back, entries);
        let csv = String::from_utf8(to_csv(&entries)).unwrap();
        assert!(csv.contains("'=HYPERLINK"), "the formula is neutralised in the file");
    }

    #[test]
    fn xlsx_export_then_import_is_lossless() {
        let mut entries = builtin::library().entries;
        entries[0].answer = "=1+1".into();
        entries[3].learned = vec!["Learned from a review?".into()];
        let bytes = to_xlsx(&entries).unwrap();
        let back = Library::entries_from_file(&bytes, "library.xlsx").unwrap();
        assert_eq!(back, entries);
    }

    #[test]
    fn json_export_then_import_is_lossless() {
        let library = builtin::library();
        let back = Library::entries_from_json(&library.to_json()).unwrap();
        assert_eq!(back, library.entries);
    }

    #[test]
    fn the_preview_sorts_entries_and_apply_respects_consent() {
        let current = builtin::library().entries[..4].to_vec();
        let mut changed = current[1].clone();
        changed.answer = "No".into();
        let mut added = current[0].clone();
        added.id = "brand-new".into();
        let incoming = vec![current[0].clone(), changed.clone(), added.clone(), added.clone()];
        let preview = preview(&current, incoming);
        assert_eq!(preview.added, vec![added.clone()]);
        assert_eq!(preview.changed.len(), 1);
        let fields = &preview.changed[0].fields;
        assert_eq!(fields.len(), 1);
        assert_eq!((fields[0].field, fields[0].incoming.as_str()), ("answer", "No"));
        assert_eq!(preview.unchanged, [current[0].id.clone()]);
        assert_eq!(preview.only_in_library, [current[2].id.clone(), current[3].id.clone()]);
        assert_eq!(preview.repeated_ids, ["brand-new"]);

        let none = BTreeSet::new();
        let merged = preview.apply(&current, ImportMode::Merge, &none);
        assert_eq!(merged.len(), 5);
        assert_eq!(merged[1], current[1], "a conflict is not overwritten without consent");
        let consent: BTreeSet<String> = [current[1].id.clone()].into();
        let merged = preview.apply(&current, ImportMode::Merge, &consent);
        assert_eq!(merged[1], changed);

        let replaced = preview.apply(&current, ImportMode::Replace, &none);
        assert_eq!(replaced, vec![current[0].clone(), current[1].clone(), added]);
    }
}
