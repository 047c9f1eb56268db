//! Tests of packing and loading on a tiny model: round trips, and every way bytes can be bad.

use super::*;
use crate::config;
use crate::test_model;
use proptest::prelude::*;

/// Rewrites an asset's header with `change`, keeping the layout and the checksum valid: what a
/// careful liar would write.
fn with_header(asset: &[u8], change: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let header_length = u32::from_le_bytes(asset[12..16].try_into().unwrap()) as usize;
    let data = &asset[data_start(header_length)..];
    let mut header: serde_json::Value =
        serde_json::from_slice(&asset[PREAMBLE_BYTES..PREAMBLE_BYTES + header_length]).unwrap();
    change(&mut header);
    let header = serde_json::to_vec(&header).unwrap();
    let mut out = Vec::new();
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(header.len() as u32).to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&header);
    out.resize(data_start(header.len()), 0);
    out.extend_from_slice(data);
    let sum = checksum(&out[PREAMBLE_BYTES..]);
    out[16..24].copy_from_slice(&sum.to_le_bytes());
    out
}

#[test]
fn every_precision_round_trips() {
    let source = safetensors::SafeTensors::deserialize(&test_model::safetensors())
        .unwrap()
        .tensor(config::names::WORD_EMBEDDINGS)
        .unwrap()
        .data()
        .to_vec();
    let source: Vec<f32> = source.chunks_exact(4).map(f32_from).collect();
    for (precision, tolerance) in [(Precision::F32, 0.0), (Precision::F16, 1e-3), (Precision::Int8, 0.5 / 127.0)] {
        let bytes = test_model::asset(precision);
        let asset = Asset::parse(&bytes).unwrap_or_else(|error| panic!("{precision}: {error}"));
        assert_eq!(asset.info().precision, precision);
        assert_eq!(asset.info().config, test_model::CONFIG);
        assert_eq!(asset.info().source_sha256.len(), 64);
        assert_eq!(asset.vocab(), test_model::VOCAB);
        let table = asset.tensor(config::names::WORD_EMBEDDINGS).unwrap();
        assert_eq!(table.encoding(), precision.encoding_for(TensorKind::WordEmbeddings));
        let decoded = table.to_f32();
        let worst = source.iter().zip(&decoded).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
        assert!(worst <= tolerance, "{precision}: worst error {worst}");
        let bias = asset.tensor(&config::names::layer(0, config::names::QUERY, "bias")).unwrap();
        assert_eq!(bias.encoding(), Encoding::F32, "biases stay f32 at {precision}");
    }
}

#[test]
fn packing_is_deterministic() {
    assert_eq!(test_model::asset(Precision::Int8), test_model::asset(Precision::Int8));
}

#[test]
fn quantisation_is_symmetric_per_row() {
    let (values, scale) = pack::quantise_row(&[0.5, -1.0, 0.25, 0.0]);
    assert_eq!(values, vec![64, -127, 32, 0]);
    assert_eq!(scale, 1.0 / 127.0);
    assert_eq!(pack::quantise_row(&[0.0, 0.0]), (vec![0, 0], 0.0));
}

#[test]
fn precision_names_round_trip() {
    for precision in Precision::ALL {
        assert_eq!(precision.name().parse::<Precision>(), Ok(precision));
    }
    assert!("bf16".parse::<Precision>().is_err());
}

#[test]
fn refuses_truncated_bytes() {
    let asset = test_model::asset(Precision::Int8);
    for length in [0, 3, 8, 20, 24, 30, 200, asset.len() / 2, asset.len() - 1] {
        let error = Asset::parse(&asset[..length]).unwrap_err();
        assert!(matches!(error, AssetError::Truncated { .. } | AssetError::Header(_)), "{length}: {error}");
    }
}

#[test]
fn refuses_other_files_and_versions() {
    let asset = test_model::asset(Precision::F16);
    assert!(matches!(Asset::parse(b"PK\x03\x04 a zip file, not a model"), Err(AssetError::NotAnAsset)));
    assert!(matches!(Asset::parse(&test_model::safetensors()), Err(AssetError::NotAnAsset)));
    let mut newer = asset.clone();
    newer[8..12].copy_from_slice(&2u32.to_le_bytes());
    assert!(matches!(Asset::parse(&newer), Err(AssetError::UnsupportedVersion { found: 2, supported: 1 })));
    let mut longer = asset.clone();
    longer.push(0);
    assert!(matches!(Asset::parse(&longer), Err(AssetError::TrailingBytes { .. })));
    let mut huge_header = asset;
    huge_header[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(Asset::parse(&huge_header), Err(AssetError::HeaderTooLarge(_))));
}

#[test]
fn refuses_damaged_bytes() {
    let asset = test_model::asset(Precision::Int8);
    let mut damaged = asset.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    assert!(matches!(Asset::parse(&damaged), Err(AssetError::ChecksumMismatch { .. })));
}

#[test]
fn refuses_a_lying_header() {
    let asset = test_model::asset(Precision::Int8);
    // Each case: a change to the header (with the checksum made right again), and the error.
    type Change = fn(&mut serde_json::Value);
    type Expected = fn(&AssetError) -> bool;
    let cases: &[(&str, Change, Expected)] = &[
        (
            "a huge vocabulary",
            |h| h["config"]["vocab_size"] = (1u64 << 40).into(),
            |e| matches!(e, AssetError::Config(_)),
        ),
        (
            "a vocabulary of a million rows",
            |h| h["config"]["vocab_size"] = 1_000_000.into(),
            |e| matches!(e, AssetError::VocabSize { .. }),
        ),
        ("heads that do not divide", |h| h["config"]["heads"] = 3.into(), |e| matches!(e, AssetError::Config(_))),
        ("no layers", |h| h["config"]["layers"] = 0.into(), |e| matches!(e, AssetError::Config(_))),
        (
            "more layers than tensors",
            |h| h["config"]["layers"] = 3.into(),
            |e| matches!(e, AssetError::MissingTensor(_)),
        ),
        (
            "a bigger hidden size",
            |h| h["config"]["hidden_size"] = 16.into(),
            |e| matches!(e, AssetError::BadSpan { .. } | AssetError::TensorShape { .. }),
        ),
        (
            "a huge tensor",
            |h| h["tensors"][0]["shape"] = serde_json::json!([4_000_000_000u64, 4_000_000_000u64]),
            |e| matches!(e, AssetError::BadSpan { .. }),
        ),
        (
            "a span past the end",
            |h| h["tensors"][1]["data"]["offset"] = (1u64 << 62).into(),
            |e| matches!(e, AssetError::BadSpan { .. }),
        ),
        (
            "a misaligned span",
            |h| h["tensors"][1]["data"]["offset"] = 3.into(),
            |e| matches!(e, AssetError::BadSpan { .. }),
        ),
        (
            "int8 without scales",
            |h| h["tensors"][0].as_object_mut().unwrap().remove("scales").map(drop).unwrap_or(()),
            |e| matches!(e, AssetError::BadSpan { .. }),
        ),
        (
            "a bias as f16",
            |h| h["tensors"][3]["encoding"] = "f16".into(),
            |e| matches!(e, AssetError::BadSpan { .. } | AssetError::TensorEncoding { .. }),
        ),
        (
            "a repeated tensor",
            |h| {
                let first = h["tensors"][0].clone();
                h["tensors"].as_array_mut().unwrap().push(first)
            },
            |e| matches!(e, AssetError::UnexpectedTensor(_)),
        ),
        (
            "an extra tensor",
            |h| {
                let mut extra = h["tensors"][3].clone();
                extra["name"] = "pooler.dense.bias".into();
                h["tensors"].as_array_mut().unwrap().push(extra)
            },
            |e| matches!(e, AssetError::UnexpectedTensor(_)),
        ),
        (
            "a missing tensor",
            |h| {
                h["tensors"].as_array_mut().unwrap().pop();
            },
            |e| matches!(e, AssetError::MissingTensor(_)),
        ),
        (
            "a vocabulary span past the end",
            |h| h["vocab"]["length"] = 1_000_000.into(),
            |e| matches!(e, AssetError::BadSpan { .. }),
        ),
        (
            "a data length past the end",
            |h| h["data_length"] = u64::MAX.into(),
            |e| matches!(e, AssetError::Truncated { .. }),
        ),
        ("not a header at all", |h| *h = serde_json::json!([1, 2, 3]), |e| matches!(e, AssetError::Header(_))),
    ];
    for (name, change, expected) in cases {
        let lying = with_header(&asset, change);
        match Asset::parse(&lying) {
            Ok(_) => panic!("{name}: the asset was accepted"),
            Err(error) => assert!(expected(&error), "{name}: {error:?}"),
        }
    }
}

#[test]
fn refuses_non_finite_values() {
    let asset = test_model::asset(Precision::F32);
    let header_length = u32::from_le_bytes(asset[12..16].try_into().unwrap()) as usize;
    let header: Header = serde_json::from_slice(&asset[PREAMBLE_BYTES..PREAMBLE_BYTES + header_length]).unwrap();
    let mut poisoned = asset.clone();
    let at = data_start(header_length) + header.tensors[3].data.offset as usize;
    poisoned[at..at + 4].copy_from_slice(&f32::NAN.to_le_bytes());
    let sum = checksum(&poisoned[PREAMBLE_BYTES..]);
    poisoned[16..24].copy_from_slice(&sum.to_le_bytes());
    assert!(matches!(Asset::parse(&poisoned), Err(AssetError::NonFinite(_))));
}

#[test]
fn checksum_sees_every_single_byte_change() {
    let bytes: Vec<u8> = (0..100u8).collect();
    let original = checksum(&bytes);
    for index in 0..bytes.len() {
        let mut changed = bytes.clone();
        changed[index] ^= 0x80;
        assert_ne!(checksum(&changed), original, "byte {index}");
    }
    assert_ne!(checksum(&bytes[..99]), original);
    assert_ne!(checksum(&[0; 31]), checksum(&[0; 32]));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any change of up to four bytes, anywhere, is refused with a typed error.
    #[test]
    fn refuses_every_mutation(changes in proptest::collection::vec((any::<proptest::sample::Index>(), 1u8..=255), 1..=4)) {
        let mut bytes = test_model::asset(Precision::Int8);
        let mut touched = std::collections::BTreeMap::new();
        for (index, flip) in changes {
            let at = index.index(bytes.len());
            *touched.entry(at).or_insert(0u8) ^= flip;
        }
        touched.retain(|_, flip| *flip != 0);
        prop_assume!(!touched.is_empty());
        for (&at, flip) in &touched {
            bytes[at] ^= flip;
        }
        prop_assert!(Asset::parse(&bytes).is_err());
    }

    /// Any bytes at all: an error or an asset, never a panic.
    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256), keep_magic in any::<bool>()) {
        let mut bytes = bytes;
        if keep_magic && bytes.len() >= 12 {
            bytes[..8].copy_from_slice(&MAGIC);
            bytes[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
        }
        let _ = Asset::parse(&bytes);
    }

    /// Any truncation is refused.
    #[test]
    fn refuses_every_truncation(cut in any::<proptest::sample::Index>()) {
        let bytes = test_model::asset(Precision::F16);
        let length = cut.index(bytes.len());
        prop_assert!(Asset::parse(&bytes[..length]).is_err());
    }
}
