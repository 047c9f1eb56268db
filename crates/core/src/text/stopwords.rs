//! Words that carry no meaning for matching, and the negations that must never be dropped.

/// English function words plus the boilerplate of questionnaires ("please describe ...").
/// Negations and security vocabulary are deliberately absent.
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does",
    "doing", "during", "each", "eg", "etc", "either", "for", "from", "further", "had", "has", "have", "having",
    "he", "her", "here", "hers", "him", "his", "how", "i", "ie", "if", "in", "into", "is", "it", "its", "itself",
    "just", "may", "me", "might", "more", "most", "must", "my", "of", "on", "once", "only", "or", "other", "our",
    "ours", "out", "over", "own", "please", "same", "shall", "she", "should", "so", "some", "such", "than",
    "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to",
    "too", "under", "until", "up", "upon", "us", "very", "was", "we", "were", "what", "when", "where", "whether",
    "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself",
    // Questionnaire boilerplate: these words appear in every kind of question.
    "describe", "provide", "explain", "indicate", "specify", "confirm", "list", "detail", "details", "state",
    "include", "including", "applicable", "organization", "organisation", "organizations", "company",
    "institution", "institutions", "solution", "vendor", "vendors", "currently", "ensure", "answer", "question",
    "yes", "please", "like", "within", "e", "g", "ie",
];

/// Words that reverse a yes/no question. They are kept as the single term `not`.
const NEGATIONS: &[&str] = &["not", "no", "never", "without", "none", "nor", "cannot", "dont", "doesnt", "isnt", "arent"];

pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

pub fn is_negation(word: &str) -> bool {
    NEGATIONS.contains(&word)
}
