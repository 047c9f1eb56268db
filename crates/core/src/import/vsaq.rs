//! VSAQ import: Google's Vendor Security Assessment Questionnaires, a JSON tree of items.
//!
//! VSAQ files are not strict JSON. They carry `//` comments and join long strings with
//! `"abc " + "def"`, so the bytes are first rewritten into plain JSON and then parsed with
//! `serde_json`. The tree is `{"questionnaire": [items]}`; `block` items nest other items and
//! name the section, and the answerable items become questions in document order.

use super::ImportError;
use crate::limits;
use crate::model::{
    AnswerFormat, Diagnostic, Location, Question, Questionnaire, SheetRole, SheetSummary, SourceFormat,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Whether the bytes look like JSON: after a byte order mark and white space, they open a
/// comment (as VSAQ files do), or, after any comments, an object or an array.
pub fn looks_like_json(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes).trim_ascii_start();
    if bytes.starts_with(b"//") || bytes.starts_with(b"/*") {
        return true;
    }
    matches!(bytes.get(skip_blank(bytes, 0)), Some(b'{') | Some(b'['))
}

/// Imports a VSAQ questionnaire. Fails with a plain sentence when the bytes are not a VSAQ
/// questionnaire, and never panics, whatever the bytes.
pub fn questionnaire(bytes: &[u8], file_name: &str) -> Result<Questionnaire, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    if bytes.len() > limits::MAX_FILE_BYTES {
        return Err(ImportError::TooLarge(bytes.len()));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let json = to_strict_json(bytes);
    let root: Value = serde_json::from_slice(&json).map_err(|e| ImportError::UnknownJson(super::json_problem(&e)))?;
    let Some(items) = root.get("questionnaire").and_then(Value::as_array) else {
        return Err(ImportError::Unsupported(
            "JSON files that are not VSAQ questionnaires (no \"questionnaire\" list)".into(),
        ));
    };

    let mut walk = Walk::default();
    walk.items(items, "questionnaire", "", false);

    let sheet = file_stem(file_name).to_owned();
    let mut diagnostics = Vec::new();
    if walk.found.len() > limits::MAX_QUESTIONS {
        walk.found.truncate(limits::MAX_QUESTIONS);
        diagnostics.push(Diagnostic::warning(Some(&sheet), None, super::too_many_questions()));
    }
    let ids = unique_ids(&walk.found, &sheet, &mut diagnostics);
    let conditional = walk.found.iter().filter(|f| f.conditional).count();
    let mut questions = Vec::with_capacity(walk.found.len());
    for (row, (found, id)) in walk.found.into_iter().zip(ids).enumerate() {
        questions.push(Question {
            id,
            section: found.section,
            text: found.text,
            location: Location {
                sheet: sheet.clone(),
                row: u32::try_from(row).unwrap_or(u32::MAX),
                answer_cell: None,
                comment_cell: None,
                path: Some(found.path),
            },
            answer_format: found.format,
            existing_answer: None,
            existing_comment: None,
        });
    }

    if !walk.skipped.is_empty() {
        let kinds: Vec<String> = walk.skipped.iter().map(|(kind, n)| format!("{kind} ({n})")).collect();
        diagnostics.push(Diagnostic::info(
            Some(&sheet),
            None,
            format!("Items of unknown type were skipped: {}.", kinds.join(", ")),
        ));
    }
    if questions.is_empty() {
        diagnostics.push(Diagnostic::warning(None, None, "No questions were found in this file."));
    } else {
        diagnostics.push(Diagnostic::info(
            Some(&sheet),
            None,
            format!(
                "{conditional} of {} questions are conditional: the VSAQ form shows them only after certain \
                 earlier answers. All of them are listed here.",
                questions.len()
            ),
        ));
    }
    let summary = SheetSummary {
        name: sheet,
        role: if questions.is_empty() { SheetRole::NoQuestions } else { SheetRole::Questions },
        layout: None,
        question_count: questions.len(),
        chosen: false,
    };
    Ok(Questionnaire {
        file_name: file_name.to_owned(),
        format: SourceFormat::VsaqJson,
        sheets: vec![summary],
        questions,
        diagnostics,
    })
}

/// The file name without folders and without its extension.
fn file_stem(file_name: &str) -> &str {
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    name.rsplit_once('.').map(|(stem, _)| stem).unwrap_or(name)
}

/// One answerable item, before its id is settled.
struct Found {
    id: Option<String>,
    text: String,
    section: String,
    path: String,
    format: AnswerFormat,
    conditional: bool,
}

/// The walk over the item tree, collecting questions in document order.
#[derive(Default)]
struct Walk {
    found: Vec<Found>,
    /// Item types this importer does not know, with how often each appeared.
    skipped: BTreeMap<String, usize>,
}

impl Walk {
    /// Visits a list of items. `path` is the JSON position of the list, `section` the text of
    /// the nearest enclosing block, and `conditional` whether an enclosing block has a `cond`.
    /// Recursion is bounded because `serde_json` refuses documents nested deeper than 128.
    fn items(&mut self, items: &[Value], path: &str, section: &str, conditional: bool) {
        for (index, item) in items.iter().enumerate() {
            if self.found.len() > limits::MAX_QUESTIONS {
                return;
            }
            let Some(object) = item.as_object() else { continue };
            let kind = object.get("type").and_then(Value::as_str).unwrap_or("");
            let position = format!("{path}[{index}]");
            let text = object.get("text").and_then(Value::as_str).map(plain_text).unwrap_or_default();
            let is_conditional = conditional || object.contains_key("cond");
            let format = match kind {
                "block" => {
                    let inner = if text.is_empty() { section } else { text.as_str() };
                    if let Some(children) = object.get("items").and_then(Value::as_array) {
                        self.items(children, &format!("{position}.items"), inner, is_conditional);
                    }
                    continue;
                }
                "info" | "tip" | "spacer" => continue,
                // A radio or check option outside its group is not a question on its own,
                // except a lone check, which VSAQ renders as a single checkbox to tick.
                "radio" => continue,
                "line" | "box" | "check" | "upload" => AnswerFormat::FreeText,
                "yesno" => AnswerFormat::Choice(vec!["Yes".into(), "No".into()]),
                "radiogroup" | "checkgroup" => {
                    let options = options(object);
                    if options.is_empty() {
                        AnswerFormat::FreeText
                    } else {
                        AnswerFormat::Choice(options)
                    }
                }
                other => {
                    let name = if other.is_empty() { "(no type)" } else { other };
                    *self.skipped.entry(name.chars().take(40).collect()).or_default() += 1;
                    continue;
                }
            };
            let id = match object.get("id") {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            };
            // A few groups (the "Questionnaire Options" checkgroups) have no text of their own;
            // the section title, or failing that the id, stands in for it.
            let text = if !text.is_empty() {
                text
            } else if !section.is_empty() {
                section.to_owned()
            } else {
                id.clone().unwrap_or_default()
            };
            let path = id.clone().unwrap_or(position);
            self.found.push(Found { id, text, section: section.to_owned(), path, format, conditional: is_conditional });
        }
    }
}

/// The option texts of a radio or check group: its `choices` list (strings, `{"id": "text"}`
/// pairs or objects with a `text`), then its `radio` and `check` child items.
fn options(object: &serde_json::Map<String, Value>) -> Vec<String> {
    let mut options = Vec::new();
    for choice in object.get("choices").and_then(Value::as_array).into_iter().flatten() {
        let text = match choice {
            Value::String(s) => Some(s.as_str()),
            Value::Object(map) => match map.get("text") {
                Some(Value::String(s)) => Some(s.as_str()),
                _ if map.len() == 1 => map.values().next().and_then(Value::as_str),
                _ => None,
            },
            _ => None,
        };
        options.extend(text.map(plain_text));
    }
    for child in object.get("items").and_then(Value::as_array).into_iter().flatten() {
        options.extend(child.get("text").and_then(Value::as_str).map(plain_text));
    }
    options.retain(|o| !o.is_empty());
    options
}

/// Settles one unique id per question. Items without an id get `vsaq-<n>`, n counting
/// questions from 1; a repeated id gets a `-2`, `-3` suffix and a note.
fn unique_ids(found: &[Found], sheet: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<String> {
    let own: BTreeSet<&str> = found.iter().filter_map(|f| f.id.as_deref()).collect();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut ids = Vec::with_capacity(found.len());
    for (row, f) in found.iter().enumerate() {
        let base = f.id.clone().unwrap_or_else(|| format!("vsaq-{}", row + 1));
        let mut id = base.clone();
        let mut suffix = 2;
        while used.contains(&id) || (f.id.is_none() && own.contains(id.as_str())) {
            id = format!("{base}-{suffix}");
            suffix += 1;
        }
        if f.id.is_some() && id != base {
            diagnostics.push(Diagnostic::info(
                Some(sheet),
                u32::try_from(row).ok(),
                format!("The id {base} appears more than once; this occurrence is listed as {id}."),
            ));
        }
        used.insert(id.clone());
        ids.push(id);
    }
    ids
}

/// Index of the first byte at or after `i` that is neither white space nor inside a comment.
fn skip_blank(src: &[u8], mut i: usize) -> usize {
    loop {
        match (src.get(i), src.get(i + 1)) {
            (Some(b), _) if b.is_ascii_whitespace() => i += 1,
            (Some(b'/'), Some(b'/')) | (Some(b'/'), Some(b'*')) => i = comment_end(src, i),
            _ => return i,
        }
    }
}

/// Index just past the comment starting at `i`: the newline that ends a `//` comment is not
/// part of it, and an unterminated comment runs to the end.
fn comment_end(src: &[u8], i: usize) -> usize {
    let rest = src.get(i..).unwrap_or_default();
    if rest.starts_with(b"/*") {
        let body = rest.get(2..).unwrap_or_default();
        match body.windows(2).position(|w| w == b"*/") {
            Some(p) => i + 2 + p + 2,
            None => src.len(),
        }
    } else {
        match rest.iter().position(|&b| b == b'\n') {
            Some(p) => i + p,
            None => src.len(),
        }
    }
}

/// Rewrites VSAQ text into strict JSON: drops comments outside strings and joins
/// `"abc" + "def"` into `"abcdef"`. Line breaks are kept (those inside a joined string move
/// to just after it), so `serde_json` error positions still name the right line.
fn to_strict_json(src: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len());
    let mut in_string = false;
    // Where the closing quote of the last string sits in `out`, while only white space and
    // comments have followed it.
    let mut last_close: Option<usize> = None;
    let mut pending_newlines = 0;
    let mut i = 0;
    while let Some(&b) = src.get(i) {
        if in_string {
            out.push(b);
            i += 1;
            if b == b'\\' {
                if let Some(&escaped) = src.get(i) {
                    out.push(escaped);
                    i += 1;
                }
            } else if b == b'"' {
                in_string = false;
                last_close = Some(out.len() - 1);
                out.extend(std::iter::repeat_n(b'\n', pending_newlines));
                pending_newlines = 0;
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                last_close = None;
                out.push(b);
                i += 1;
            }
            b'/' if matches!(src.get(i + 1), Some(b'/') | Some(b'*')) => {
                let end = comment_end(src, i);
                let newlines = src.get(i..end).unwrap_or_default().iter().filter(|&&c| c == b'\n').count();
                out.extend(std::iter::repeat_n(b'\n', newlines));
                i = end;
            }
            b'+' => {
                let next = if last_close.is_some() { skip_blank(src, i + 1) } else { i + 1 };
                match last_close {
                    Some(close) if src.get(next) == Some(&b'"') => {
                        let count = |s: &[u8]| s.iter().filter(|&&c| c == b'\n').count();
                        pending_newlines = count(out.get(close..).unwrap_or_default())
                            + count(src.get(i + 1..next).unwrap_or_default());
                        out.truncate(close);
                        in_string = true;
                        last_close = None;
                        i = next + 1;
                    }
                    _ => {
                        last_close = None;
                        out.push(b);
                        i += 1;
                    }
                }
            }
            _ => {
                if !b.is_ascii_whitespace() {
                    last_close = None;
                }
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Tags that start a new line when rendered, so removing them must leave a space.
const BREAKING_TAGS: &[&str] =
    &["br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr"];

/// The visible text of a VSAQ HTML fragment: tags removed, common entities decoded and white
/// space collapsed to single spaces.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        let starts_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        if !starts_tag {
            text.push('<');
            rest = after;
            continue;
        }
        // A tag start without a closing bracket ends the scan, so text full of stray brackets
        // is read in linear time.
        let Some(gt) = after.find('>') else {
            text.push('<');
            rest = after;
            break;
        };
        let name = after[..gt].trim_start_matches('/');
        let name_len = name.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(name.len());
        if BREAKING_TAGS.iter().any(|tag| tag.eq_ignore_ascii_case(&name[..name_len])) {
            text.push(' ');
        }
        rest = &after[gt + 1..];
    }
    text.push_str(rest);
    let decoded = decode_entities(&text);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Named entities decoded by `decode_entities`. The first four are also decoded without their
/// semicolon, as browsers do (one VSAQ option says `&lt;script&gt tags`).
const ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", ' '),
    ("mdash", '\u{2014}'),
    ("ndash", '\u{2013}'),
    ("hellip", '\u{2026}'),
    ("lsquo", '\u{2018}'),
    ("rsquo", '\u{2019}'),
    ("ldquo", '\u{201C}'),
    ("rdquo", '\u{201D}'),
    ("bull", '\u{2022}'),
    ("copy", '\u{A9}'),
    ("reg", '\u{AE}'),
    ("trade", '\u{2122}'),
];

/// Decodes the named entities above and numeric ones (`&#39;`, `&#x2014;`); anything else
/// is left as written.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let name_len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).unwrap_or(after.len());
        let name = &after[..name_len];
        let has_semicolon = after[name_len..].starts_with(';');
        let decoded = if let Some(number) = name.strip_prefix('#') {
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => number.parse::<u32>().ok(),
            };
            code.and_then(char::from_u32).filter(|_| has_semicolon)
        } else {
            ENTITIES
                .iter()
                .enumerate()
                .find(|(k, (entity, _))| *entity == name && (has_semicolon || *k < 4))
                .map(|(_, (_, c))| *c)
        };
        match decoded {
            Some(c) => {
                out.push(c);
                let consumed = name_len + usize::from(has_semicolon);
                rest = &after[consumed..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
