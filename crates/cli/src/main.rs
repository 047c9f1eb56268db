//! `trustfill`: the Trustfill engine from a terminal, for automation and benchmarks.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use trustfill_core::export;
use trustfill_core::library::{builtin, check, profile, Library};
use trustfill_core::matching::{near_duplicates, Matcher, Tier};
use trustfill_core::review::{ReviewAction, ReviewSession};

/// Prints a line to stdout; a closed pipe (`trustfill eval | head`) ends the program quietly.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout().lock(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

mod eval;
mod model;
mod review;
mod semantic;

const USAGE: &str = "trustfill: fill in security questionnaires from a SOC 2-mapped answer library.

USAGE:
  trustfill match <questionnaire> [--library FILE]... [--top N] [--format json|csv] [--today YYYY-MM-DD]
                  [--semantic] [--model FILE]
  trustfill fill <questionnaire> -o <out> [--library FILE]... [--accept high|medium] [--today YYYY-MM-DD]
  trustfill import <questionnaire>            print the detected sheets, columns and questions
  trustfill library check [--library FILE]... [--today YYYY-MM-DD]
  trustfill library export [--library FILE]... [--format json|csv]
  trustfill eval [fit] [--gold FILE] [--library FILE]... [--misses] [--semantic] [--model FILE]...
  trustfill review <response> [--format text|json]
  trustfill model pack [--precision int8|f16|f32] [--from DIR] --out FILE
  trustfill model vectors --encoder-id ID [--model FILE] [--library FILE]... --out FILE

fill writes by the name of <out>: .csv and .json write the answers and the response package,
.html writes the printable report (a cover page with the summary, then every question; print
it to PDF from a browser), dated --today or the system clock, and the questionnaire's own
extension (.xlsx, .xlsm or .docx) fills the original in place. An .xls or .ods questionnaire
is filled into a new .xlsx workbook with the same sheets and values.

Libraries load from the built-in library unless --library is given (JSON, CSV or XLSX with
the columns id, question, alternates, answer, detail, controls, tags, owner, reviewed, status,
evidence, from_profile). Only a JSON library carries the SOC 2 profile, which answers the
questions about the report itself and gives each answer its scope status; answers are checked
for staleness as of --today or the system clock.

review reads a response package (the .json that fill writes) or a filled-in questionnaire and
prints what a customer's reviewer looks at first: the answers counted by kind and by SOC 2
category, the No and Partial answers, the open questions, and the answers that the package
recorded as stale or outside the SOC 2 scope.";

/// Options shared by the subcommands.
struct Options {
    positional: Vec<String>,
    libraries: Vec<PathBuf>,
    top: usize,
    /// The `--format` given, if any: each subcommand has its own default.
    format: Option<String>,
    output: Option<PathBuf>,
    accept: Tier,
    today: Option<String>,
    gold: PathBuf,
    show_misses: bool,
    /// `--semantic`: rank by words and meaning with the packed model.
    semantic: bool,
    /// `--model FILE`: the packed model(s) to use; the one `scripts/model.sh` makes by default.
    models: Vec<PathBuf>,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut options = Options {
        positional: Vec::new(),
        libraries: Vec::new(),
        top: 3,
        format: None,
        output: None,
        accept: Tier::High,
        today: None,
        gold: PathBuf::from("eval/gold.json"),
        show_misses: false,
        semantic: false,
        models: Vec::new(),
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = || iter.next().cloned().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--library" | "-l" => options.libraries.push(value()?.into()),
            "--top" => options.top = value()?.parse().context("--top takes a number")?,
            "--format" | "-f" => options.format = Some(value()?),
            "-o" | "--output" => options.output = Some(value()?.into()),
            "--today" => options.today = Some(value()?),
            "--gold" => options.gold = value()?.into(),
            "--misses" => options.show_misses = true,
            "--semantic" => options.semantic = true,
            "--model" => {
                options.models.push(value()?.into());
                options.semantic = true;
            }
            "--accept" => {
                options.accept = match value()?.as_str() {
                    "high" => Tier::High,
                    "medium" => Tier::Medium,
                    other => bail!("--accept takes high or medium, not {other}"),
                }
            }
            "-h" | "--help" => {
                out!("{USAGE}");
                std::process::exit(0);
            }
            flag if flag.starts_with('-') => bail!("unknown option {flag}\n\n{USAGE}"),
            _ => options.positional.push(arg.clone()),
        }
    }
    Ok(options)
}

/// Loads the libraries given, or the built-in one. A JSON library may carry a SOC 2 profile;
/// the first one found is used (CSV and XLSX libraries cannot carry one).
pub(crate) fn load_library(paths: &[PathBuf]) -> Result<Library> {
    if paths.is_empty() {
        return Ok(builtin::library());
    }
    let mut entries = Vec::new();
    let mut profile = None;
    for path in paths {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let context = || format!("cannot read library {}", path.display());
        let contents = Library::contents_from_file(&bytes, name).with_context(context)?;
        entries.extend(contents.entries);
        match (&profile, contents.profile) {
            (None, found) => profile = found,
            (Some(_), Some(_)) => {
                eprintln!("{} has a SOC 2 profile too; the first library's profile is used.", path.display())
            }
            (Some(_), None) => {}
        }
    }
    Ok(Library::with_profile(entries, builtin::criteria(), profile))
}

fn import(path: &Path) -> Result<(Vec<u8>, trustfill_core::Questionnaire)> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let questionnaire =
        trustfill_core::import_questionnaire(&bytes, name).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok((bytes, questionnaire))
}

/// Today's date from the system clock: the one piece of the outside world the core never reads.
fn today() -> String {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    check::date_from_day_number((seconds / 86_400) as i64)
}

/// The header of `match --format csv`.
const MATCH_CSV_HEADER: [&str; 9] =
    ["question_id", "sheet", "row", "question", "rank", "entry_id", "confidence", "tier", "matched_phrasing"];

/// Questions matched at a time on each core: large enough that starting threads costs
/// nothing next to matching, small enough that suggestions held at once stay a few megabytes.
const MATCH_BATCH_PER_THREAD: usize = 256;

/// Every question with its suggestions, in order, matched a batch at a time on every core.
/// Matching is a pure function of the question, so the result is the same on any number of
/// cores; memory holds one batch's suggestions, however long the questionnaire.
fn matched<'a>(
    matcher: &'a Matcher,
    questions: &'a [trustfill_core::Question],
) -> impl Iterator<Item = (&'a trustfill_core::Question, Vec<trustfill_core::Suggestion>)> + 'a {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(16);
    questions.chunks(MATCH_BATCH_PER_THREAD * threads).flat_map(move |batch| {
        let share = batch.len().div_ceil(threads);
        let found: Vec<Vec<trustfill_core::Suggestion>> = std::thread::scope(|scope| {
            let parts: Vec<_> = batch
                .chunks(share)
                .map(|part| scope.spawn(move || matcher.match_all(part.iter().map(|q| q.text.as_str()))))
                .collect();
            parts.into_iter().flat_map(|part| part.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        });
        batch.iter().zip(found)
    })
}

/// Matches every question and writes each result out as its batch is done (see [`matched`]).
fn run_match(options: &Options) -> Result<()> {
    use std::io::Write as _;
    let path = options.positional.get(1).context("match needs a questionnaire file")?;
    let (_, questionnaire) = import(Path::new(path))?;
    let library = load_library(&options.libraries)?;
    let config = trustfill_core::matching::MatchConfig { top_k: options.top, ..Default::default() };
    let matcher = Matcher::with_config(&library, trustfill_core::text::Analyzer::builtin(), config);
    let today = options.today.clone().unwrap_or_else(today);
    let standing = |entry_id: &str| {
        library.entry(entry_id).map(|entry| {
            let standing = profile::standing_of_entry(&library, entry, &today).to_json();
            (standing["scope"].clone(), standing["stale"].clone(), entry.evidence.clone())
        })
    };
    let models = load_models(options)?;
    let results: Box<dyn Iterator<Item = (&trustfill_core::Question, Vec<trustfill_core::Suggestion>)>> = match models
        .first()
    {
        Some((encoder, name)) => {
            let index = semantic::index_library(encoder, name, &library, &matcher);
            let texts: Vec<&str> = questionnaire.questions.iter().map(|q| q.text.as_str()).collect();
            let vectors = semantic::embed_all(encoder, &texts);
            let found = matcher.match_all_hybrid(texts.iter().copied().zip(vectors.iter().map(Vec::as_slice)), &index);
            Box::new(questionnaire.questions.iter().zip(found))
        }
        None => Box::new(matched(&matcher, &questionnaire.questions)),
    };
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match options.format.as_deref().unwrap_or("json") {
        "json" => {
            let rows = results.map(|(q, matches)| {
                serde_json::json!({
                    "question_id": q.id, "sheet": q.location.sheet, "row": q.location.row + 1, "question": q.text,
                    "matches": matches.iter().map(|m| {
                        let (scope, stale, evidence) = standing(&m.entry_id).unwrap_or_default();
                        serde_json::json!({
                            "entry_id": m.entry_id, "confidence": (m.confidence * 1000.0).round() / 1000.0,
                            "tier": m.tier, "scope": scope, "stale": stale, "evidence": evidence,
                            "explanation": m.explanation,
                        })
                    }).collect::<Vec<_>>(),
                })
            });
            use serde::Serializer as _;
            let mut serializer = serde_json::Serializer::pretty(&mut stdout);
            serializer.collect_seq(rows).map_err(std::io::Error::from).and_then(|()| writeln!(stdout))
        }
        "csv" => {
            let mut writer = csv::Writer::from_writer(&mut stdout);
            let write = || -> csv::Result<()> {
                writer.write_record(MATCH_CSV_HEADER)?;
                for (q, matches) in results {
                    for (rank, m) in matches.iter().enumerate() {
                        let row = [
                            q.id.clone(),
                            q.location.sheet.clone(),
                            (q.location.row + 1).to_string(),
                            q.text.clone(),
                            (rank + 1).to_string(),
                            m.entry_id.clone(),
                            format!("{:.3}", m.confidence),
                            m.tier.label().into(),
                            m.explanation.matched_phrasing.clone().unwrap_or_default(),
                        ];
                        writer.write_record(row.iter().map(|cell| export::csv::neutralize(cell)))?;
                    }
                }
                writer.flush()?;
                Ok(())
            };
            write().map_err(std::io::Error::from)
        }
        other => bail!("--format takes json or csv, not {other}"),
    };
    // A closed pipe (`trustfill match ... | head`) ends the program quietly, as `out!` does.
    if written.and_then(|()| stdout.flush()).is_err() {
        std::process::exit(0);
    }
    Ok(())
}

/// Renders rows as CSV, neutralising formula injection in every cell.
fn render_csv(rows: &[Vec<String>]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        let _ = writer.write_record(row.iter().map(|cell| export::csv::neutralize(cell)));
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn run_fill(options: &Options) -> Result<()> {
    let path = options.positional.get(1).context("fill needs a questionnaire file")?;
    let output = options.output.as_ref().context("fill needs -o <out>")?;
    let (bytes, questionnaire) = import(Path::new(path))?;
    let library = load_library(&options.libraries)?;
    let matcher = Matcher::new(&library);
    let suggestions = matcher.match_all(questionnaire.questions.iter().map(|q| q.text.as_str()));
    let mut session = ReviewSession::new(questionnaire, suggestions, &library.entries, library.version());
    let accept: Vec<usize> = (0..session.responses.len())
        .filter(|&i| session.suggestions[i].first().is_some_and(|s| s.tier >= options.accept))
        .collect();
    let accepted: usize = accept.iter().map(|&question| session.apply(ReviewAction::Accept { question })).sum();
    let out_name = output.to_string_lossy().to_lowercase();
    let filled = if out_name.ends_with(".csv") {
        export::csv::to_csv(&session)
    } else if out_name.ends_with(".json") {
        let date = options.today.clone().unwrap_or_else(today);
        export::package::to_package_with_library(&session, &library, &date).into_bytes()
    } else if out_name.ends_with(".html") || out_name.ends_with(".htm") {
        let date = options.today.clone().unwrap_or_else(today);
        export::report::to_html_with_library(&session, &library, &date).into_bytes()
    } else {
        let format = session.questionnaire.format;
        let extension = format.filled_extension().with_context(|| {
            format!("{} files cannot be filled in; write .csv, .json or .html instead", format.label())
        })?;
        if !out_name.ends_with(&format!(".{extension}")) {
            bail!(
                "the filled-in {} is written as .{extension}: name the output {}",
                format.label(),
                output.with_extension(extension).display()
            );
        }
        if let Some(note) = export::export_note(format) {
            eprintln!("{note}");
        }
        export::fill_original(&bytes, &session).map_err(|e| anyhow::anyhow!("{e}"))?
    };
    std::fs::write(output, filled).with_context(|| format!("cannot write {}", output.display()))?;
    eprintln!(
        "{} of {} questions answered at tier {} or better; wrote {}",
        accepted,
        session.responses.len(),
        options.accept.label(),
        output.display()
    );
    Ok(())
}

fn run_import(options: &Options) -> Result<()> {
    let path = options.positional.get(1).context("import needs a questionnaire file")?;
    let (_, questionnaire) = import(Path::new(path))?;
    out!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({
            "format": questionnaire.format, "sheets": questionnaire.sheets,
            "question_count": questionnaire.questions.len(), "questions": questionnaire.questions,
            "diagnostics": questionnaire.diagnostics,
        }))?
    );
    Ok(())
}

fn run_library(options: &Options) -> Result<()> {
    let library = load_library(&options.libraries)?;
    match options.positional.get(1).map(String::as_str) {
        Some("check") => {
            let today = options.today.clone().unwrap_or_else(today);
            let mut findings = check::check(&library, &today);
            let matcher = Matcher::new(&library);
            for (first, second, confidence) in near_duplicates(&library, &matcher, NEAR_DUPLICATE_CONFIDENCE) {
                findings.push(check::Finding::NearDuplicate {
                    first,
                    second,
                    confidence: (confidence * 100.0).round() as u32,
                });
            }
            for finding in &findings {
                out!("{}", finding.message());
            }
            out!("{} entries, {} findings (checked as of {today}).", library.entries.len(), findings.len());
            let blocking = findings.iter().filter(|f| f.is_blocking()).count();
            if blocking > 0 {
                bail!("{blocking} findings must be fixed");
            }
        }
        Some("export") => match options.format.as_deref().unwrap_or("json") {
            "json" => out!("{}", library.to_json()),
            "csv" => {
                if library.profile().is_some() {
                    eprintln!(
                        "The SOC 2 profile is left out: a CSV library holds entries only. Export JSON to keep it."
                    );
                }
                print!("{}", render_csv(&trustfill_core::library::tabular::entries_to_rows(&library.entries)))
            }
            other => bail!("--format takes json or csv, not {other}"),
        },
        _ => bail!("library takes check or export\n\n{USAGE}"),
    }
    Ok(())
}

/// The packed models asked for: none without `--semantic`, the default one with it alone.
fn load_models(options: &Options) -> Result<Vec<(trustfill_semantic::SentenceEncoder, String)>> {
    if !options.semantic {
        return Ok(Vec::new());
    }
    if options.models.is_empty() {
        return Ok(vec![semantic::load_encoder(None)?]);
    }
    options.models.iter().map(|path| semantic::load_encoder(Some(path))).collect()
}

/// Entries whose questions match each other at this confidence or more are near-duplicates.
const NEAR_DUPLICATE_CONFIDENCE: f32 = 0.9;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("model") {
        return model::run(&args[1..]);
    }
    let options = parse(&args)?;
    match options.positional.first().map(String::as_str) {
        Some("match") => run_match(&options),
        Some("fill") => run_fill(&options),
        Some("import") => run_import(&options),
        Some("library") => run_library(&options),
        Some("eval") if options.positional.get(1).map(String::as_str) == Some("fit") => {
            let library = load_library(&options.libraries)?;
            match load_models(&options)?.first() {
                Some(model) => eval::fit_hybrid(&options.gold, &library, model),
                None => eval::fit(&options.gold, &library),
            }
        }
        Some("eval") => {
            eval::run(&options.gold, &load_library(&options.libraries)?, options.show_misses, &load_models(&options)?)
        }
        Some("review") => {
            let path = options.positional.get(1).context("review needs a response package or a filled-in file")?;
            review::run(Path::new(path), options.format.as_deref().unwrap_or("text"))
        }
        _ => {
            out!("{USAGE}");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch directory of this test's own.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("trustfill-cli-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_json_library_brings_its_profile_and_a_table_adds_entries() {
        let dir = scratch("profile");
        let builtin = builtin::library();
        let json = dir.join("library.json");
        std::fs::write(&json, builtin.to_json()).unwrap();
        let csv = dir.join("extra.csv");
        std::fs::write(&csv, "id,question,answer\nextra-1,Do you have a mascot?,Yes\n").unwrap();

        let library = load_library(&[json.clone(), csv.clone()]).unwrap();
        assert_eq!(library.profile(), builtin.profile(), "the JSON library's profile is used");
        assert_eq!(library.entries.len(), builtin.entries.len() + 1);
        let table_only = load_library(&[csv]).unwrap();
        assert_eq!(table_only.profile(), None, "a table carries no profile");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
