//! Import never panics, whatever the bytes: property tests over random input and over real
//! fixtures damaged at random places (the bounded, in-CI cousin of the fuzz targets).

use proptest::prelude::*;
use trustfill_core::import_questionnaire;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../../shared/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// A small xlsx built from the CISA questions, so that damaged copies are quick to parse.
fn small_xlsx() -> Vec<u8> {
    let csv = fixture("cisa/ict-scrm-vendor-template.csv");
    let questionnaire = import_questionnaire(&csv, "cisa.csv").unwrap();
    let mut writes = std::collections::BTreeMap::new();
    let cells: std::collections::BTreeMap<(u32, u32), String> =
        questionnaire.questions.iter().take(40).map(|q| ((q.location.row, 2), q.text.clone())).collect();
    writes.insert("Sheet1".to_owned(), cells);
    // An empty one-sheet workbook made by hand, then filled through the exporter.
    let empty = include_bytes!("data/empty.xlsx");
    trustfill_core::export::xlsx::fill_workbook(empty, &writes).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096), name in "[a-z]{1,8}\\.(csv|tsv|xlsx|xls|ods|json)") {
        let _ = import_questionnaire(&bytes, &name);
    }

    #[test]
    fn damaged_workbooks_never_panic(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = small_xlsx();
        for (index, value) in flips {
            let i = index.index(bytes.len());
            bytes[i] = value;
        }
        let _ = import_questionnaire(&bytes, "damaged.xlsx");
    }

    #[test]
    fn truncated_workbooks_never_panic(cut in 0usize..20_000) {
        let bytes = small_xlsx();
        let _ = import_questionnaire(&bytes[..cut.min(bytes.len())], "truncated.xlsx");
    }

    #[test]
    fn damaged_csv_never_panics(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..32)) {
        let mut bytes = fixture("cisa/ict-scrm-vendor-template.csv");
        for (index, value) in flips {
            let i = index.index(bytes.len());
            bytes[i] = value;
        }
        let _ = import_questionnaire(&bytes, "damaged.csv");
    }
}
