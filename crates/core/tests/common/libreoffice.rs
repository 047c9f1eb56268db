//! Converting files with LibreOffice (`soffice --headless --convert-to`), for the tests that
//! need a file no Rust writer makes (xls) or a second opinion on one Trustfill wrote. Each
//! conversion runs in a scratch folder with a LibreOffice profile of its own, so parallel
//! tests share nothing. LibreOffice Calc and Writer come from `scripts/tools.sh test`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The filter that writes every sheet of a workbook to its own UTF-8 CSV file, named
/// `<stem>-<sheet>.csv`: comma-separated, text quoted, formulas as their values, and `-1`
/// (LibreOffice 7.2 and later) for every sheet rather than the first.
pub const CSV_EVERY_SHEET: &str = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";

/// A scratch folder of its own, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Converts `bytes`, saved as `name`, to the format or filter `to`, and returns every file
/// LibreOffice wrote, by file name. Panics with the way to install LibreOffice when `soffice`
/// is missing, and with LibreOffice's own words when it wrote nothing.
pub fn convert(bytes: &[u8], name: &str, to: &str) -> BTreeMap<String, Vec<u8>> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    let scratch = Scratch(std::env::temp_dir().join(format!("trustfill-soffice-{}-{id}", std::process::id())));
    let (source, out) = (scratch.0.join(name), scratch.0.join("out"));
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(&source, bytes).unwrap();
    let profile = format!("-env:UserInstallation=file://{}", scratch.0.join("profile").display());
    let output = Command::new("soffice")
        .args(["--headless", "--norestore", &profile, "--convert-to", to, "--outdir"])
        .arg(&out)
        .arg(&source)
        .output()
        .expect("LibreOffice's soffice must be on the PATH: `scripts/tools.sh test` installs it");
    let written: BTreeMap<String, Vec<u8>> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap())
        })
        .collect();
    assert!(
        !written.is_empty(),
        "soffice converted {name} to {to} into nothing.\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    written
}

/// Converts to a format whose conversion is one file, such as `xls` or `ods`, and returns it.
pub fn convert_one(bytes: &[u8], name: &str, extension: &str) -> Vec<u8> {
    let mut written = convert(bytes, name, extension);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    written
        .remove(&format!("{stem}.{extension}"))
        .unwrap_or_else(|| panic!("no {stem}.{extension} in {:?}", written.keys()))
}

/// Every sheet of a workbook as CSV rows, by sheet name, as LibreOffice shows its cells.
pub fn sheets_as_csv(bytes: &[u8], name: &str) -> BTreeMap<String, Vec<Vec<String>>> {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    convert(bytes, name, CSV_EVERY_SHEET)
        .into_iter()
        .map(|(file, csv)| {
            let sheet = file.strip_prefix(&format!("{stem}-")).and_then(|f| f.strip_suffix(".csv")).unwrap_or(&file);
            let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(&csv[..]);
            let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
            (sheet.to_owned(), rows)
        })
        .collect()
}
