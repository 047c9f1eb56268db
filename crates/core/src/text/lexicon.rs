//! The security-domain lexicon: groups of synonyms and acronyms that name one concept.
//! The groups are data (`answer-library/lexicon.json`); this file only reads and applies them.

use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;

/// The longest phrase, in words, that the lexicon matches.
const MAX_PHRASE_WORDS: usize = 6;

#[derive(Debug, Clone, Deserialize)]
pub struct Group {
    pub concept: String,
    pub terms: Vec<String>,
}

#[derive(Deserialize)]
struct LexiconFile {
    groups: Vec<Group>,
}

/// The lexicon, and after [`Lexicon::compiled`], an index from stemmed phrases to concepts.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    groups: Vec<Group>,
    /// Stemmed phrase to group index; each phrase is stored as its words joined by spaces.
    phrases: HashMap<String, usize>,
    /// The same phrases by their first stem, longest first, for allocation-free lookup.
    by_first: HashMap<String, Vec<(Vec<String>, usize)>>,
}

impl Lexicon {
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        let file: LexiconFile = serde_json::from_str(json)?;
        Ok(Self { groups: file.groups, phrases: HashMap::default(), by_first: HashMap::default() })
    }

    /// The lexicon shipped in `answer-library/lexicon.json`.
    pub fn builtin() -> Self {
        Self::from_json(crate::library::builtin::LEXICON_JSON).unwrap_or_default()
    }

    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Indexes every term by its stemmed words, with the given stemmer.
    pub fn compiled(mut self, stem: impl Fn(&str) -> String) -> Self {
        self.phrases.clear();
        self.by_first.clear();
        for (index, group) in self.groups.iter().enumerate() {
            for term in &group.terms {
                let stems: Vec<String> = super::words(term).iter().map(|w| stem(w)).collect();
                if !stems.is_empty() && stems.len() <= MAX_PHRASE_WORDS {
                    if let std::collections::hash_map::Entry::Vacant(slot) = self.phrases.entry(stems.join(" ")) {
                        slot.insert(index);
                        self.by_first.entry(stems[0].clone()).or_default().push((stems, index));
                    }
                }
            }
        }
        for candidates in self.by_first.values_mut() {
            candidates.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        }
        self
    }

    /// Finds lexicon phrases in a run of stems, longest first and without overlaps, as
    /// (start, length, concept).
    pub fn find_phrases(&self, stems: &[String]) -> Vec<(usize, usize, &str)> {
        let mut found = Vec::new();
        let mut start = 0;
        while start < stems.len() {
            let rest = &stems[start..];
            let longest = self.by_first.get(&stems[start]).and_then(|candidates| {
                candidates
                    .iter()
                    .find(|(phrase, _)| rest.starts_with(phrase))
                    .map(|(phrase, group)| (phrase.len(), *group))
            });
            match longest {
                Some((len, group)) => {
                    found.push((start, len, self.groups[group].concept.as_str()));
                    start += len;
                }
                None => start += 1,
            }
        }
        found
    }

    /// Single-word stemmed terms with their concept, for typo correction.
    pub fn single_words(&self) -> impl Iterator<Item = (&str, &str)> {
        self.phrases
            .iter()
            .filter(|(k, _)| !k.contains(' '))
            .map(|(k, &g)| (k.as_str(), self.groups[g].concept.as_str()))
    }

    /// The group for a concept id.
    pub fn group(&self, concept: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.concept == concept)
    }
}
