//! `trustfill model pack`: packs all-MiniLM-L6-v2 (fetched by scripts/model.sh) into the
//! one-file asset that the semantic encoder loads, at the precision asked for.

use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use trustfill_semantic::{Asset, Precision};

const USAGE: &str = "USAGE:
  trustfill model pack [--precision int8|f16|f32] [--from DIR] --out FILE

Packs model.safetensors and vocab.txt of DIR (default target/model/minilm, where
scripts/model.sh puts all-MiniLM-L6-v2) into one asset: int8 (the default, about 23 MB),
f16 or f32. Prints the asset's size and the SHA-256 of the source weights.";

/// The folder scripts/model.sh fetches the model into.
const DEFAULT_MODEL_DIR: &str = "target/model/minilm";

/// Runs `trustfill model …` with the arguments after `model`.
pub fn run(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("pack") => pack(&args[1..]),
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
