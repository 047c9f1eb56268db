//! The text pipeline: normalise, tokenise, stem, map synonyms to concepts, drop stop words.

pub mod lexicon;
mod stopwords;

pub use lexicon::Lexicon;
use rust_stemmers::{Algorithm, Stemmer};

/// The prefix that marks a concept term (from the lexicon) apart from a word stem.
pub const CONCEPT_PREFIX: char = '~';

/// One indexed term and the words it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// A stem such as `encrypt`, or a concept such as `~mfa`.
    pub key: String,
    /// The text as written, such as `encrypted` or `two-factor authentication`.
    pub surface: String,
}

impl Term {
    pub fn is_concept(&self) -> bool {
        self.key.starts_with(CONCEPT_PREFIX)
    }
}

/// Turns text into terms. Built once; cheap to share.
pub struct Analyzer {
    stemmer: Stemmer,
    lexicon: Lexicon,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer").field("lexicon_groups", &self.lexicon.len()).finish()
    }
}

/// Lower-cased words of the text, split on anything that is not a letter or digit.
/// Apostrophes inside words are dropped so that "vendor's" stays one word.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |word| {
        out.push(std::mem::take(word));
        false
    });
    out
}

/// Calls `visit` with each word of [`words`], in one reused buffer, until it returns true.
/// Returns whether it did: callers that only look at the words allocate nothing per word.
fn for_each_word(text: &str, mut visit: impl FnMut(&mut String) -> bool) -> bool {
    let mut current = String::new();
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            current.push(ch.to_ascii_lowercase());
        } else if ch.is_alphanumeric() {
            current.extend(ch.to_lowercase());
        } else if (ch == '\'' || ch == '\u{2019}') && !current.is_empty() {
            continue;
        } else if !current.is_empty() {
            if visit(&mut current) {
                return true;
            }
            current.clear();
        }
    }
    !current.is_empty() && visit(&mut current)
}

impl Analyzer {
    pub fn new(lexicon: Lexicon) -> Self {
        let stemmer = Stemmer::create(Algorithm::English);
        let lexicon = lexicon.compiled(|w| stem_word(&stemmer, w));
        Self { stemmer, lexicon }
    }

    /// An analyser with the built-in security lexicon.
    pub fn builtin() -> Self {
        Self::new(Lexicon::builtin())
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    pub fn stem(&self, word: &str) -> String {
        stem_word(&self.stemmer, word)
    }

    /// The terms of a text: stems of the words that carry meaning, plus one concept term for
    /// each lexicon phrase found (longest phrase first).
    pub fn analyze(&self, text: &str) -> Vec<Term> {
        self.analyze_with_stems(text, &mut |word| self.stem(word))
    }

    /// [`Analyzer::analyze`] with the stems supplied by the caller, who may remember them:
    /// stemming is the dearest step of analysis, and a library repeats its words.
    pub fn analyze_with_stems(&self, text: &str, stem: &mut dyn FnMut(&str) -> String) -> Vec<Term> {
        let raw = words(text);
        let stems: Vec<String> = raw.iter().map(|w| stem(w)).collect();
        let mut terms = Vec::with_capacity(raw.len() + 4);
        // Words inside a lexicon phrase are represented by the phrase's concept alone, so that
        // "MFA" and "multi-factor authentication" weigh the same on both sides of a match.
        let mut covered = vec![false; raw.len()];
        for (start, len, concept) in self.lexicon.find_phrases(&stems) {
            terms.push(Term { key: format!("{CONCEPT_PREFIX}{concept}"), surface: raw[start..start + len].join(" ") });
            covered[start..start + len].iter_mut().for_each(|c| *c = true);
        }
        for ((word, stem), covered) in raw.iter().zip(stems).zip(covered) {
            if covered
                || stopwords::is_stop_word(word)
                || word.chars().count() < 2 && !word.chars().all(|c| c.is_ascii_digit())
            {
                continue;
            }
            let key = if stopwords::is_negation(word) { "not".to_owned() } else { stem };
            terms.push(Term { key, surface: word.clone() });
        }
        terms
    }

    /// Just the keys of [`Analyzer::analyze`].
    pub fn keys(&self, text: &str) -> Vec<String> {
        self.analyze(text).into_iter().map(|t| t.key).collect()
    }
}

fn stem_word(stemmer: &Stemmer, word: &str) -> String {
    if word.chars().any(|c| c.is_ascii_digit()) {
        word.to_owned()
    } else {
        stemmer.stem(word).into_owned()
    }
}

/// Whether the text asks about something not being so ("never", "not", "without").
pub fn has_negation(text: &str) -> bool {
    for_each_word(text, |word| stopwords::is_negation(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_and_lowercase() {
        assert_eq!(words("Do you use MFA/2FA? (vendor's)"), vec!["do", "you", "use", "mfa", "2fa", "vendors"]);
        assert_eq!(words("  "), Vec::<String>::new());
    }

    #[test]
    fn analysis_maps_synonyms_to_one_concept() {
        let analyzer = Analyzer::builtin();
        let a = analyzer.keys("Do you enforce 2FA for admins?");
        let b = analyzer.keys("Is multi-factor authentication required for administrators?");
        let concepts =
            |keys: &[String]| keys.iter().filter(|k| k.starts_with(CONCEPT_PREFIX)).cloned().collect::<Vec<_>>();
        let shared: Vec<_> = concepts(&a).into_iter().filter(|c| concepts(&b).contains(c)).collect();
        assert!(!shared.is_empty(), "no shared concept between {a:?} and {b:?}");
    }

    #[test]
    fn negations_are_kept_and_stop_words_dropped() {
        let analyzer = Analyzer::builtin();
        let keys = analyzer.keys("Do you never share the data?");
        assert!(keys.contains(&"not".to_owned()), "{keys:?}");
        assert!(!keys.contains(&"the".to_owned()) && !keys.contains(&"you".to_owned()), "{keys:?}");
    }
}
