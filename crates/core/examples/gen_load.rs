//! Writes the inputs of the CLI load check (`scripts/load.sh`): a questionnaire CSV and a
//! library JSON of synthetic but varied security sentences, the same bytes on every run.
//!
//!     cargo run --release -p trustfill-core --example gen_load -- <dir> [questions] [entries]
//!
//! Writes `<dir>/questions.csv` (10,000 questions by default) and `<dir>/library.json`
//! (10,000 entries by default). Sentences are built from a template, a practice, an object
//! and a qualifier picked by a fixed pseudo-random sequence, so that both files use the same
//! vocabulary in different combinations, as a real questionnaire and library do.

use std::fmt::Write as _;
use trustfill_core::library::{Entry, EntryStatus};

/// How questions open; `{p}` is a practice, `{o}` an object and `{q}` a qualifier.
const TEMPLATES: &[&str] = &[
    "Do you {p} {o} {q}?",
    "Does your organisation {p} {o} {q}?",
    "Describe how you {p} {o} {q}.",
    "How often do you {p} {o}?",
    "Is there a documented process to {p} {o} {q}?",
    "Please explain who is responsible to {p} {o}.",
    "Can you provide evidence that you {p} {o} {q}?",
    "Are procedures in place to {p} {o} {q}?",
    "What tools do you use to {p} {o}?",
    "Confirm that you {p} {o} {q}.",
];

/// What an organisation does.
const PRACTICES: &[&str] = &[
    "encrypt",
    "back up",
    "monitor",
    "review",
    "restrict access to",
    "log changes to",
    "classify",
    "retain",
    "securely dispose of",
    "patch",
    "scan for vulnerabilities in",
    "test the recovery of",
    "audit",
    "approve changes to",
    "segregate",
    "inventory",
    "harden",
    "rotate the keys for",
    "enforce multi-factor authentication on",
    "train staff on",
    "penetration test",
    "document",
    "rate-limit",
    "isolate",
];

/// What it does it to.
const OBJECTS: &[&str] = &[
    "customer data",
    "production databases",
    "administrator accounts",
    "source code repositories",
    "backups",
    "laptops and workstations",
    "cloud storage buckets",
    "network firewalls",
    "third-party vendors",
    "encryption keys",
    "audit logs",
    "personal information",
    "payment card data",
    "mobile devices",
    "remote access connections",
    "service accounts",
    "container images",
    "email systems",
    "physical data centres",
    "incident response plans",
    "business continuity plans",
    "software dependencies",
    "API endpoints",
    "privileged sessions",
    "removable media",
    "wireless networks",
    "development environments",
    "disaster recovery sites",
    "security policies",
    "access requests",
];

/// When, how or where.
const QUALIFIERS: &[&str] = &[
    "at rest",
    "in transit",
    "at least annually",
    "every quarter",
    "before deployment",
    "within 24 hours",
    "according to a written policy",
    "using industry standards",
    "across all regions",
    "for all employees and contractors",
    "with automated alerts",
    "under a change management process",
    "in line with ISO 27001",
    "as part of SOC 2 audits",
    "on termination of employment",
    "in every environment",
];

/// SOC 2 criteria the entries rest on.
const CONTROLS: &[&str] = &[
    "CC1.1", "CC2.1", "CC3.2", "CC5.2", "CC6.1", "CC6.2", "CC6.3", "CC6.6", "CC6.7", "CC6.8", "CC7.1", "CC7.2",
    "CC7.3", "CC7.4", "CC8.1", "CC9.2", "A1.2", "A1.3", "C1.1", "C1.2", "PI1.1", "P4.2",
];

/// Short answers, most of them yes as in a real library.
const ANSWERS: &[&str] = &["Yes", "Yes", "Yes", "No", "Partial", "N/A"];

/// A fixed pseudo-random sequence (a 64-bit linear congruential generator, top bits out), so
/// that the files are the same on every run.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % bound as u64) as usize
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.next(words.len())]
    }

    /// One question: a template filled with a practice, an object and a qualifier.
    fn sentence(&mut self) -> String {
        let template = self.pick(TEMPLATES);
        let (practice, object, qualifier) = (self.pick(PRACTICES), self.pick(OBJECTS), self.pick(QUALIFIERS));
        template.replace("{p}", practice).replace("{o}", object).replace("{q}", qualifier)
    }
}

/// A CSV field, quoted when it holds a comma or a quote.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn questionnaire_csv(count: usize, sequence: &mut Sequence) -> String {
    let mut csv = String::from("Ref,Section,Question,Response,Comments\n");
    for i in 0..count {
        let section = sequence.pick(OBJECTS);
        let _ = writeln!(csv, "Q-{:05},{},{},,", i + 1, field(section), field(&sequence.sentence()));
    }
    csv
}

fn library_entries(count: usize, sequence: &mut Sequence) -> Vec<Entry> {
    (0..count)
        .map(|i| {
            let question = sequence.sentence();
            let alternates = (0..sequence.next(3)).map(|_| sequence.sentence()).collect();
            let answer = sequence.pick(ANSWERS).to_owned();
            let detail = format!(
                "We {} {} {}, and the owner reviews the evidence each year.",
                sequence.pick(PRACTICES),
                sequence.pick(OBJECTS),
                sequence.pick(QUALIFIERS)
            );
            let controls = (0..1 + sequence.next(2))
                .filter_map(|_| trustfill_core::criteria::CriterionId::parse(sequence.pick(CONTROLS)).ok())
                .collect();
            Entry {
                id: format!("LOAD-{:05}", i + 1),
                question,
                alternates,
                answer,
                detail,
                controls,
                tags: vec![sequence.pick(OBJECTS).to_owned()],
                owner: "Security".to_owned(),
                reviewed: "2025-01-15".to_owned(),
                status: EntryStatus::Approved,
                ..Entry::default()
            }
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().ok_or("usage: gen_load <dir> [questions] [entries]")?);
    let questions: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(10_000);
    let entries: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(10_000);
    std::fs::create_dir_all(&dir)?;
    let mut sequence = Sequence(0x5EC0_F111);
    std::fs::write(dir.join("questions.csv"), questionnaire_csv(questions, &mut sequence))?;
    let library = serde_json::json!({ "entries": library_entries(entries, &mut sequence) });
    std::fs::write(dir.join("library.json"), serde_json::to_string(&library)?)?;
    println!("wrote {questions} questions and {entries} library entries to {}", dir.display());
    Ok(())
}
