//! Word's paragraph styles (`word/styles.xml`) and list numbering (`word/numbering.xml`):
//! enough of them to tell headings from body text and to give a numbered question the
//! number Word shows beside it, such as "2.3" or "Q4".

use crate::import::ooxml::attribute;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::BTreeMap;

/// How many `basedOn` links are followed before a style chain is taken to loop.
const MAX_STYLE_CHAIN: usize = 16;

/// Word lists have nine levels, 0 to 8.
const LEVELS: usize = 9;

/// One paragraph style.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline_level: Option<u8>,
    numbering: Option<(u32, u32)>,
}

/// The paragraph styles of a document, by style id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Styles {
    styles: BTreeMap<String, Style>,
    default_style: Option<String>,
}

impl Styles {
    /// Reads the paragraph styles; anything unreadable is left out.
    pub fn parse(xml: &str) -> Self {
        let mut styles = Styles::default();
        let mut reader = Reader::from_str(xml);
        let mut current: Option<(String, Style)> = None;
        let mut in_numbering = false;
        loop {
            let event = match reader.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                Ok(event) => event,
            };
            match event {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "style" if attribute(&e, "type").as_deref() == Some("paragraph") => {
                        let Some(id) = attribute(&e, "styleId") else { continue };
                        if attribute(&e, "default").is_some_and(|d| d == "1" || d == "true") {
                            styles.default_style = Some(id.clone());
                        }
                        current = Some((id, Style::default()));
                    }
                    "name" => {
                        if let Some((_, style)) = current.as_mut() {
                            style.name = attribute(&e, "val").unwrap_or_default();
                        }
                    }
                    "basedOn" => {
                        if let Some((_, style)) = current.as_mut() {
                            style.based_on = attribute(&e, "val");
                        }
                    }
                    "outlineLvl" => {
                        if let Some((_, style)) = current.as_mut() {
                            style.outline_level = attribute(&e, "val").and_then(|v| v.parse().ok());
                        }
                    }
                    "numPr" => in_numbering = true,
                    "numId" | "ilvl" if in_numbering => {
                        if let Some((_, style)) = current.as_mut() {
                            let value: u32 = attribute(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(0);
                            let (id, level) = style.numbering.unwrap_or((0, 0));
                            style.numbering =
                                Some(if e.local_name().as_ref() == "numId" { (value, level) } else { (id, value) });
                        }
                    }
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    "style" => {
                        if let Some((id, style)) = current.take() {
                            styles.styles.insert(id, style);
                        }
                    }
                    "numPr" => in_numbering = false,
                    _ => {}
                },
                _ => {}
            }
        }
        styles
    }

    /// The style and the styles it is based on, nearest first.
    fn chain<'a>(&'a self, id: Option<&'a str>) -> impl Iterator<Item = (&'a str, &'a Style)> + 'a {
        let mut next = id.or(self.default_style.as_deref());
        std::iter::from_fn(move || {
            let id = next?;
            let style = self.styles.get(id)?;
            next = style.based_on.as_deref();
            Some((id, style))
        })
        .take(MAX_STYLE_CHAIN)
    }

    /// Whether a paragraph of this style is a heading: the style (or one it is based on)
    /// has an outline level, or it is one of Word's "heading N" styles. A style id such as
    /// `Heading2` that the styles part does not define is enough too.
    pub fn is_heading(&self, id: Option<&str>) -> bool {
        if let Some(level) = self.chain(id).find_map(|(_, s)| s.outline_level) {
            return level < 9;
        }
        let heading_name = |name: &str| {
            let lower = name.to_lowercase();
            lower
                .strip_prefix("heading")
                .is_some_and(|rest| rest.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        };
        self.chain(id).any(|(id, s)| heading_name(&s.name) || heading_name(id))
            || id.is_some_and(|id| !self.styles.contains_key(id) && heading_name(id))
    }

    /// The list a paragraph of this style belongs to through its style, if any.
    pub fn numbering(&self, id: Option<&str>) -> Option<(u32, u32)> {
        self.chain(id).find_map(|(_, s)| s.numbering)
    }
}

/// One level of a list: where it starts, how its number is written, and the text around it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Level {
    start: u32,
    format: String,
    text: String,
}

/// A list instance: its abstract definition and whether it restarts numbering.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct List {
    abstract_id: u32,
    overrides: BTreeMap<u32, u32>,
}

/// The numbering definitions of a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Numbering {
    lists: BTreeMap<u32, List>,
    abstracts: BTreeMap<u32, BTreeMap<u32, Level>>,
}

impl Numbering {
    /// Reads the numbering definitions; anything unreadable is left out.
    pub fn parse(xml: &str) -> Self {
        let mut numbering = Numbering::default();
        let mut reader = Reader::from_str(xml);
        let mut abstract_id: Option<u32> = None;
        let mut level: Option<(u32, Level)> = None;
        let mut list: Option<(u32, List)> = None;
        let mut override_level: Option<u32> = None;
        let number = |e: &quick_xml::events::BytesStart<'_>, name: &str| -> Option<u32> {
            attribute(e, name).and_then(|v| v.trim().parse().ok())
        };
        loop {
            let event = match reader.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                Ok(event) => event,
            };
            match event {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "abstractNum" => abstract_id = number(&e, "abstractNumId"),
                    "lvl" if abstract_id.is_some() => {
                        let start = Level { start: 1, format: "decimal".into(), text: String::new() };
                        level = number(&e, "ilvl").map(|i| (i, start));
                    }
                    "start" => {
                        if let Some((_, l)) = level.as_mut() {
                            l.start = number(&e, "val").unwrap_or(1);
                        }
                    }
                    "numFmt" => {
                        if let Some((_, l)) = level.as_mut() {
                            l.format = attribute(&e, "val").unwrap_or_default();
                        }
                    }
                    "lvlText" => {
                        if let Some((_, l)) = level.as_mut() {
                            l.text = attribute(&e, "val").unwrap_or_default();
                        }
                    }
                    "num" => list = number(&e, "numId").map(|id| (id, List::default())),
                    "abstractNumId" => {
                        if let Some((_, l)) = list.as_mut() {
                            l.abstract_id = number(&e, "val").unwrap_or(0);
                        }
                    }
                    "lvlOverride" => override_level = number(&e, "ilvl"),
                    "startOverride" => {
                        if let (Some((_, l)), Some(i)) = (list.as_mut(), override_level) {
                            l.overrides.insert(i, number(&e, "val").unwrap_or(1));
                        }
                    }
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    "lvl" => {
                        if let (Some(id), Some((i, l))) = (abstract_id, level.take()) {
                            numbering.abstracts.entry(id).or_default().insert(i, l);
                        }
                    }
                    "abstractNum" => abstract_id = None,
                    "num" => {
                        if let Some((id, l)) = list.take() {
                            numbering.lists.insert(id, l);
                        }
                    }
                    "lvlOverride" => override_level = None,
                    _ => {}
                },
                _ => {}
            }
        }
        numbering
    }

    /// A level's definition; without a numbering part, levels read "1", "1.1", "1.1.1".
    fn level(&self, list: u32, level: u32) -> Level {
        let defined = self.lists.get(&list).and_then(|l| self.abstracts.get(&l.abstract_id)?.get(&level));
        defined.cloned().unwrap_or_else(|| Level {
            start: 1,
            format: "decimal".into(),
            text: (1..=level + 1).map(|k| format!("%{k}")).collect::<Vec<_>>().join("."),
        })
    }
}

/// Which counters a list uses: lists of one definition continue each other, as in Word,
/// unless a list restarts its numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum CounterKey {
    Shared(u32),
    Own(u32),
}

/// The running numbers of every list in the document, advanced paragraph by paragraph.
#[derive(Debug, Default)]
pub struct Counters {
    counts: BTreeMap<CounterKey, [Option<u32>; LEVELS]>,
}

impl Counters {
    /// Advances the list for a numbered paragraph and returns the number Word shows, with
    /// its punctuation trimmed ("2.3." becomes "2.3"); `None` for bullets and blank levels.
    pub fn next(&mut self, numbering: &Numbering, list: u32, level: u32) -> Option<String> {
        let level_index = (level as usize).min(LEVELS - 1);
        let key = match numbering.lists.get(&list) {
            Some(l) if l.overrides.is_empty() => CounterKey::Shared(l.abstract_id),
            _ => CounterKey::Own(list),
        };
        let overrides = numbering.lists.get(&list).map(|l| l.overrides.clone()).unwrap_or_default();
        let counts = self.counts.entry(key).or_insert([None; LEVELS]);
        let start =
            |i: usize| overrides.get(&(i as u32)).copied().unwrap_or_else(|| numbering.level(list, i as u32).start);
        counts[level_index] = Some(counts[level_index].map_or_else(|| start(level_index), |n| n.saturating_add(1)));
        for deeper in counts.iter_mut().skip(level_index + 1) {
            *deeper = None;
        }
        let definition = numbering.level(list, level_index as u32);
        if matches!(definition.format.as_str(), "bullet" | "none") {
            return None;
        }
        let mut text = definition.text.clone();
        for i in (0..=level_index).rev() {
            let value = counts[i].unwrap_or_else(|| start(i));
            let format = numbering.level(list, i as u32).format;
            text = text.replace(&format!("%{}", i + 1), &format_number(value, &format));
        }
        let label = text.trim().trim_end_matches(['.', ')', ':']).trim_start_matches('(').trim();
        (!label.is_empty()).then(|| label.to_owned())
    }
}

/// Writes a number as a list level shows it.
fn format_number(value: u32, format: &str) -> String {
    match format {
        "lowerLetter" => letters(value),
        "upperLetter" => letters(value).to_uppercase(),
        "lowerRoman" => roman(value).to_lowercase(),
        "upperRoman" => roman(value),
        "decimalZero" => format!("{value:02}"),
        _ => value.to_string(),
    }
}

/// Word's letters: a to z, then aa to zz, and so on.
fn letters(value: u32) -> String {
    if value == 0 {
        return String::new();
    }
    let letter = (b'a' + ((value - 1) % 26) as u8) as char;
    std::iter::repeat_n(letter, ((value - 1) / 26 + 1).min(10) as usize).collect()
}

fn roman(mut value: u32) -> String {
    const NUMERALS: &[(u32, &str)] = &[
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    if value == 0 || value > 3999 {
        return value.to_string();
    }
    let mut out = String::new();
    for &(n, numeral) in NUMERALS {
        while value >= n {
            out.push_str(numeral);
            value -= n;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_come_from_outline_levels_names_or_ids() {
        let xml = r#"<w:styles xmlns:w="w"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
            <w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="My Heading"/><w:basedOn w:val="berschrift1"/></w:style>
            <w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/><w:basedOn w:val="berschrift1"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style></w:styles>"#;
        let styles = Styles::parse(xml);
        assert!(styles.is_heading(Some("berschrift1")) && styles.is_heading(Some("Mine")));
        assert!(!styles.is_heading(Some("TOCHeading")) && !styles.is_heading(None));
        assert_eq!(styles.numbering(Some("ListNumber")), Some((4, 0)));
        assert_eq!(styles.numbering(Some("Mine")), None);
        let none = Styles::default();
        assert!(none.is_heading(Some("Heading2")) && !none.is_heading(Some("Normal")));
    }

    #[test]
    fn list_numbers_are_rendered_as_word_shows_them() {
        let xml = r#"<w:numbering xmlns:w="w"><w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
            <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl></w:abstractNum>
            <w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="4"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Q%1."/></w:lvl></w:abstractNum>
            <w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
            <w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num><w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
        let numbering = Numbering::parse(xml);
        let mut counters = Counters::default();
        let mut next = |list, level| counters.next(&numbering, list, level);
        assert_eq!(next(1, 0).as_deref(), Some("1"));
        assert_eq!(next(1, 1).as_deref(), Some("1.1"));
        assert_eq!(next(1, 1).as_deref(), Some("1.2"));
        assert_eq!(next(1, 2).as_deref(), Some("a"));
        assert_eq!(next(2, 0).as_deref(), Some("Q4"));
        assert_eq!(next(3, 0), None);
        // List 5 shares list 1's definition, so it continues its numbering.
        assert_eq!(next(5, 0).as_deref(), Some("2"));
        assert_eq!(next(1, 1).as_deref(), Some("2.1"));
        // Without definitions, levels are dotted decimals.
        assert_eq!(Counters::default().next(&Numbering::default(), 9, 1).as_deref(), Some("1.1"));
        assert_eq!((roman(1994).as_str(), letters(28).as_str()), ("MCMXCIV", "bb"));
    }
}
