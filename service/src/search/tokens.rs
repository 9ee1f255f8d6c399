//! The one tokenizer of search, used when indexing and when querying, so both sides always
//! agree on what a token is.
//!
//! Text is normalized first (NFKC, lower case: full-width `ＡＢＣ１２３` is `abc123`). Then:
//! - a run of Han characters gives its overlapping bigrams and trigrams (`营商环境` gives
//!   `营商 商环 环境 营商环 商环境`), a run of one character gives that character;
//! - a run of letters or digits gives one word (`5g`, `2025`);
//! - a word touching a Han character also gives the pair (`2025年`, `第1`), so a mixed query
//!   like `2025年` finds exactly that text and not every year and every `年`;
//! - titles also give each of their Han characters alone, for one-character queries.
//!
//! A query word of 2 Han characters is one bigram, of 3 one trigram; a longer one needs all
//! of its trigrams, which together say "these characters in this order" in practice without
//! storing positions (that is what keeps the index a plain intersection on both databases).

use std::collections::BTreeSet;

use unicode_normalization::UnicodeNormalization;

/// Longest word kept (longer ones are cut, the same way on both sides).
const MAX_WORD: usize = 32;

/// NFKC and lower case.
pub fn normalize(text: &str) -> String {
    text.nfkc().flat_map(char::to_lowercase).collect()
}

/// Han ideographs (the unified blocks, extensions and compatibility ideographs, and 〇).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3007}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

fn is_word_char(c: char) -> bool {
    !is_han(c) && c.is_alphanumeric()
}

/// A maximal run of one kind of character, and whether the previous run touches it.
#[derive(Debug, PartialEq, Eq)]
enum Run {
    Han(Vec<char>),
    Word(String),
}

/// Splits normalized text into runs; runs separated by anything else (spaces, punctuation)
/// are in different groups. Returns groups of touching runs.
fn groups(normalized: &str) -> Vec<Vec<Run>> {
    let mut out: Vec<Vec<Run>> = Vec::new();
    let mut group: Vec<Run> = Vec::new();
    for c in normalized.chars() {
        if is_han(c) {
            match group.last_mut() {
                Some(Run::Han(h)) => h.push(c),
                _ => group.push(Run::Han(vec![c])),
            }
        } else if is_word_char(c) {
            match group.last_mut() {
                Some(Run::Word(w)) => {
                    if w.chars().count() < MAX_WORD {
                        w.push(c);
                    }
                }
                _ => group.push(Run::Word(c.to_string())),
            }
        } else if !group.is_empty() {
            out.push(std::mem::take(&mut group));
        }
    }
    if !group.is_empty() {
        out.push(group);
    }
    out
}

fn ngrams(chars: &[char], n: usize, out: &mut impl Extend<String>) {
    if chars.len() >= n {
        out.extend(chars.windows(n).map(|w| w.iter().collect::<String>()));
    }
}

/// The pairs of a word and the Han character touching it, for each boundary in a group.
fn joins(group: &[Run], out: &mut impl Extend<String>) {
    for pair in group.windows(2) {
        match pair {
            [Run::Word(w), Run::Han(h)] => {
                if let Some(first) = h.first() {
                    out.extend([format!("{w}{first}")]);
                }
            }
            [Run::Han(h), Run::Word(w)] => {
                if let Some(last) = h.last() {
                    out.extend([format!("{last}{w}")]);
                }
            }
            _ => {}
        }
    }
}

/// Collects tokens into a closure (`Extend` for an `FnMut(String)`).
struct Sink<F>(F);

impl<F: FnMut(String)> Extend<String> for Sink<F> {
    fn extend<I: IntoIterator<Item = String>>(&mut self, items: I) {
        for item in items {
            (self.0)(item);
        }
    }
}

/// Calls `f` with every token of a field's text (not yet normalized); tokens may repeat.
pub fn each_index_token(text: &str, f: impl FnMut(String)) {
    let mut out = Sink(f);
    for group in groups(&normalize(text)) {
        joins(&group, &mut out);
        for run in group {
            match run {
                Run::Word(w) => out.extend([w]),
                Run::Han(h) if h.len() == 1 => out.extend([h.iter().collect::<String>()]),
                Run::Han(h) => {
                    ngrams(&h, 2, &mut out);
                    ngrams(&h, 3, &mut out);
                }
            }
        }
    }
}

/// The distinct tokens of a field's text (not yet normalized).
pub fn index_tokens(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    each_index_token(text, |t| {
        out.insert(t);
    });
    out
}

/// The distinct Han characters of a title (for one-character queries).
pub fn title_chars(text: &str) -> BTreeSet<String> {
    normalize(text)
        .chars()
        .filter(|c| is_han(*c))
        .map(String::from)
        .collect()
}

/// What one word of a query asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Need {
    /// Documents holding all of these tokens.
    Tokens(Vec<String>),
    /// A single Han character: titles holding it.
    TitleChar(String),
}

/// One word of a query: the text as the reader typed it (normalized, for highlighting) and
/// what it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub need: Need,
}

/// The words of a query, each with its tokens; words that repeat are kept once.
pub fn query_words(query: &str) -> Vec<Word> {
    let normalized = normalize(query);
    let mut words: Vec<Word> = Vec::new();
    for group in groups(&normalized) {
        let text: String = group
            .iter()
            .map(|r| match r {
                Run::Han(h) => h.iter().collect::<String>(),
                Run::Word(w) => w.clone(),
            })
            .collect();
        let need = match group.as_slice() {
            [Run::Han(h)] if h.len() == 1 => Need::TitleChar(text.clone()),
            _ => {
                let mut tokens = BTreeSet::new();
                joins(&group, &mut tokens);
                for run in &group {
                    match run {
                        Run::Word(w) => {
                            tokens.insert(w.clone());
                        }
                        // Covered by the join with its neighbour word.
                        Run::Han(h) if h.len() == 1 => {}
                        Run::Han(h) if h.len() == 2 => ngrams(h, 2, &mut tokens),
                        Run::Han(h) => ngrams(h, 3, &mut tokens),
                    }
                }
                Need::Tokens(tokens.into_iter().collect())
            }
        };
        if !words.iter().any(|w| w.text == text) {
            words.push(Word { text, need });
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn tokens_of(query: &str) -> Vec<Need> {
        query_words(query).into_iter().map(|w| w.need).collect()
    }

    fn need(items: &[&str]) -> Need {
        Need::Tokens(items.iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn han_runs_give_bigrams_and_trigrams() {
        assert_eq!(
            index_tokens("营商环境"),
            set(&["营商", "商环", "环境", "营商环", "商环境"])
        );
        assert_eq!(index_tokens("准东"), set(&["准东"]));
        assert_eq!(index_tokens("园"), set(&["园"]));
        // Punctuation ends a run: no token spans it.
        assert_eq!(index_tokens("开发，区"), set(&["开发", "区"]));
    }

    #[test]
    fn words_and_their_han_neighbours() {
        assert_eq!(
            index_tokens("2025年工作"),
            set(&["2025", "2025年", "年工", "工作", "年工作"])
        );
        assert_eq!(index_tokens("5G园区"), set(&["5g", "5g园", "园区"]));
        assert_eq!(index_tokens("第1号"), set(&["第", "第1", "1", "1号", "号"]));
        assert_eq!(index_tokens("Hello, World"), set(&["hello", "world"]));
    }

    #[test]
    fn normalization_is_nfkc_and_lower_case() {
        assert_eq!(normalize("ＡＢＣ１２３"), "abc123");
        assert_eq!(index_tokens("ＡＢＣ１２３"), index_tokens("abc123"));
        assert_eq!(query_words("５Ｇ")[0].need, need(&["5g"]));
        // Compatibility ideographs fold to the unified ones.
        assert_eq!(normalize("\u{F900}"), "\u{8C48}");
    }

    #[test]
    fn long_words_are_cut_the_same_way_on_both_sides() {
        let long = "a".repeat(100);
        let indexed = index_tokens(&long);
        assert_eq!(indexed, set(&[&"a".repeat(MAX_WORD)]));
        assert_eq!(query_words(&long)[0].need, need(&[&"a".repeat(MAX_WORD)]));
    }

    #[test]
    fn queries_ask_for_tokens_that_keep_the_order() {
        assert_eq!(tokens_of("准东"), vec![need(&["准东"])]);
        assert_eq!(tokens_of("开发区"), vec![need(&["开发区"])]);
        assert_eq!(tokens_of("营商环境"), vec![need(&["商环境", "营商环"])]);
        // The reversed text does not share a token with it.
        let reversed = index_tokens("环境营商");
        assert!(!reversed.contains("营商环") && !reversed.contains("商环境"));
    }

    #[test]
    fn one_character_searches_titles_and_mixed_queries_join() {
        assert_eq!(tokens_of("园"), vec![Need::TitleChar("园".into())]);
        assert_eq!(tokens_of("2025年"), vec![need(&["2025", "2025年"])]);
        assert_eq!(tokens_of("5G 园区"), vec![need(&["5g"]), need(&["园区"])]);
        assert_eq!(title_chars("园区，5G"), set(&["园", "区"]));
    }

    #[test]
    fn words_split_on_spaces_and_punctuation_and_repeat_once() {
        let words = query_words(" 开发区，营商环境  开发区 ");
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, vec!["开发区", "营商环境"]);
        assert!(query_words("<script>").iter().all(|w| w.text == "script"));
        assert!(query_words("  ，。！ ").is_empty());
    }
}
