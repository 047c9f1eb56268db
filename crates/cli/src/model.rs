//! `trustfill model pack` packs all-MiniLM-L6-v2 (fetched by scripts/model.sh) into the
//! one-file asset that the semantic encoder loads, at the precision asked for; `trustfill
//! model vectors` embeds a library with it, for the app to ship beside the model.

use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use trustfill_core::matching::VectorCache;
use trustfill_semantic::{Asset, Precision};

const USAGE: &str = "USAGE:
  trustfill model pack [--precision int8|f16|f32] [--from DIR] --out FILE
  trustfill model vectors --encoder-id ID [--model FILE] [--library FILE]... --out FILE

pack: packs model.safetensors and vocab.txt of DIR (default target/model/minilm, where
scripts/model.sh puts all-MiniLM-L6-v2) into one asset: int8 (the default, about 23 MB),
f16 or f32. Prints the asset's size and the SHA-256 of the source weights.

vectors: embeds every phrasing of the library (the built-in one unless --library is given)
with the packed model (default target/model/minilm-l6-v2.int8.tfm) and writes the vectors in
the format the web app caches them in, labelled with ID, the name the app knows the model by
(scripts/encoder.sh ships them beside the model so that a first visit need not embed the
built-in library).";

/// The folder scripts/model.sh fetches the model into.
const DEFAULT_MODEL_DIR: &str = "target/model/minilm";

/// Runs `trustfill model …` with the arguments after `model`.
pub fn run(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("pack") => pack(&args[1..]),
        Some("vectors") => vectors(&args[1..]),
        Some("-h" | "--help") | None => {
            out!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown model command {other}\n\n{USAGE}"),
    }
}

fn pack(args: &[String]) -> Result<()> {
    let mut precision = Precision::Int8;
    let mut from = PathBuf::from(DEFAULT_MODEL_DIR);
    let mut output = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = || iter.next().cloned().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--precision" => precision = value()?.parse()?,
            "--from" => from = value()?.into(),
            "--out" | "-o" => output = Some(PathBuf::from(value()?)),
            "-h" | "--help" => {
                out!("{USAGE}");
                return Ok(());
            }
            other => bail!("unknown argument {other}\n\n{USAGE}"),
        }
    }
    let output = output.with_context(|| format!("model pack needs --out FILE\n\n{USAGE}"))?;
    let read = |name: &str| {
        let path = from.join(name);
        std::fs::read(&path)
            .with_context(|| format!("cannot read {} (scripts/model.sh fetches the model)", path.display()))
    };
    let weights = read("model.safetensors")?;
    let vocab = String::from_utf8(read("vocab.txt")?).context("vocab.txt is not UTF-8")?;
    let asset = trustfill_semantic::pack(&weights, &vocab, precision).context("cannot pack the model")?;
    let info = Asset::parse(&asset).context("the packed asset does not load again")?.info().clone();
    std::fs::write(&output, &asset).with_context(|| format!("cannot write {}", output.display()))?;
    out!(
        "{} ({precision}) packed into {}: {} bytes ({:.1} MiB)",
        info.model,
        output.display(),
        info.bytes,
        info.bytes as f64 / (1024.0 * 1024.0)
    );
    out!("source model.safetensors sha256 {}", info.source_sha256);
    Ok(())
}

fn vectors(args: &[String]) -> Result<()> {
    let (mut encoder_id, mut model, mut output, mut libraries) = (None, None, None, Vec::new());
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = || iter.next().cloned().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--encoder-id" => encoder_id = Some(value()?),
            "--model" => model = Some(PathBuf::from(value()?)),
            "--library" => libraries.push(PathBuf::from(value()?)),
            "--out" | "-o" => output = Some(PathBuf::from(value()?)),
            "-h" | "--help" => {
                out!("{USAGE}");
                return Ok(());
            }
            other => bail!("unknown argument {other}\n\n{USAGE}"),
        }
    }
    let output = output.with_context(|| format!("model vectors needs --out FILE\n\n{USAGE}"))?;
    let encoder_id = encoder_id.with_context(|| format!("model vectors needs --encoder-id ID\n\n{USAGE}"))?;
    let library = crate::load_library(&libraries)?;
    let (encoder, _) = crate::semantic::load_encoder(model.as_deref())?;
    let mut cache = VectorCache::new(encoder_id, encoder.dimension());
    let texts = cache.missing(&library);
    let count = texts.len();
    for (text, vector) in texts.iter().zip(crate::semantic::embed_all(&encoder, &texts)) {
        cache.insert(*text, vector).context("the model gave a vector that cannot be stored")?;
    }
    let bytes = cache.to_bytes();
    std::fs::write(&output, &bytes).with_context(|| format!("cannot write {}", output.display()))?;
    out!("{count} phrasings embedded into {}: {} bytes", output.display(), bytes.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::run;

    fn error_of(args: &[&str]) -> String {
        let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
        format!("{:#}", run(&args).expect_err("the arguments are refused"))
    }

    #[test]
    fn refuses_bad_arguments_in_words() {
        assert!(error_of(&["pack"]).contains("needs --out FILE"));
        assert!(
            error_of(&["pack", "--precision", "bf16", "--out", "x"]).contains("the precisions are int8, f16 and f32")
        );
        assert!(error_of(&["pack", "--from", "/nonexistent", "--out", "x"]).contains("scripts/model.sh"));
        assert!(error_of(&["pack", "--fast"]).contains("unknown argument --fast"));
        assert!(error_of(&["unpack"]).contains("unknown model command unpack"));
        assert!(error_of(&["vectors", "--encoder-id", "x"]).contains("needs --out FILE"));
        assert!(error_of(&["vectors", "--out", "x"]).contains("needs --encoder-id ID"));
        assert!(error_of(&["vectors", "--encoder-id", "x", "--model", "/nonexistent", "--out", "x"])
            .contains("scripts/model.sh"));
    }
}
