//! Marking the words a reader searched for in titles and snippets. Matching is done on the
//! normalized text (so `５Ｇ` in an article is found by `5g`), and the marks are put on the
//! original characters.

use serde::{Deserialize, Serialize};

use super::tokens::normalize;

/// A stretch of text, marked (`<mark>`) or not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub text: String,
    pub mark: bool,
}

/// The text's characters, which of them are inside a match, and where each match starts
/// (original character index, word index).
fn matches(chars: &[char], words: &[String]) -> (Vec<bool>, Vec<(usize, usize)>) {
    let mut norm: Vec<char> = Vec::with_capacity(chars.len());
    let mut origin: Vec<usize> = Vec::with_capacity(chars.len());
    let mut buf = [0u8; 4];
    for (i, c) in chars.iter().enumerate() {
        for n in normalize(c.encode_utf8(&mut buf)).chars() {
            norm.push(n);
            origin.push(i);
        }
    }
    let mut marked = vec![false; chars.len()];
    let mut starts = Vec::new();
    for (w, word) in words.iter().enumerate() {
        let word: Vec<char> = word.chars().collect();
        if word.is_empty() || word.len() > norm.len() {
            continue;
        }
        for at in 0..=norm.len() - word.len() {
            if norm[at..at + word.len()] == word[..] {
                let (first, last) = (origin[at], origin[at + word.len() - 1]);
                for m in &mut marked[first..=last] {
                    *m = true;
                }
                starts.push((first, w));
            }
        }
    }
    starts.sort_unstable();
    (marked, starts)
}

fn pieces(chars: &[char], marked: &[bool]) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for (c, m) in chars.iter().zip(marked) {
        let c = if c.is_whitespace() { ' ' } else { *c };
        match out.last_mut() {
            Some(p) if p.mark == *m => p.text.push(c),
            _ => out.push(Piece {
                text: c.to_string(),
                mark: *m,
            }),
        }
    }
    out
}

/// `text` with every occurrence of `words` (normalized query words) marked.
pub fn marked(text: &str, words: &[String]) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let (marked, _) = matches(&chars, words);
    pieces(&chars, &marked)
}

/// How much of a text a snippet is looked for in: the start of a long article is where its
/// snippet belongs, and the search stays linear however long the article is.
pub const SNIPPET_SCAN_CHARS: usize = 20_000;

/// About `width` characters of `text` around the place where the most different words
/// occur close together (the start when none does), marked, with `…` where it is cut. Only
/// the first [`SNIPPET_SCAN_CHARS`] characters are looked at.
pub fn snippet(text: &str, words: &[String], width: usize) -> Vec<Piece> {
    let mut chars: Vec<char> = text.chars().take(SNIPPET_SCAN_CHARS + 1).collect();
    let longer = chars.len() > SNIPPET_SCAN_CHARS;
    chars.truncate(SNIPPET_SCAN_CHARS);
    let (marked, starts) = matches(&chars, words);
    let before = width / 6;
    // The window of matches starting within `width - before` of each other that holds the
    // most different words: one pass, each match entering and leaving the window once.
    let reach = width.saturating_sub(before).max(1);
    let mut counts = vec![0usize; words.len()];
    let mut distinct = 0;
    let mut best = (0usize, 0usize);
    let mut end = 0;
    for (i, &(at, _)) in starts.iter().enumerate() {
        while end < starts.len() && starts[end].0 < at + reach {
            let w = starts[end].1;
            if counts[w] == 0 {
                distinct += 1;
            }
            counts[w] += 1;
            end += 1;
        }
        if distinct > best.1 {
            best = (at, distinct);
        }
        let w = starts[i].1;
        counts[w] -= 1;
        if counts[w] == 0 {
            distinct -= 1;
        }
    }
    let mut start = best.0.saturating_sub(before);
    // Begin at a sentence when one starts shortly before the match.
    if let Some(p) = chars[start..best.0]
        .iter()
        .rposition(|c| matches!(c, '。' | '！' | '？' | '\n' | '；'))
    {
        start += p + 1;
    }
    while start < chars.len() && chars[start].is_whitespace() {
        start += 1;
    }
    let end = (start + width).min(chars.len());
    let mut out = pieces(&chars[start..end], &marked[start..end]);
    let cut_short = end < chars.len() || longer;
    if start > 0 {
        out.insert(
            0,
            Piece {
                text: "…".into(),
                mark: false,
            },
        );
    }
    if cut_short {
        out.push(Piece {
            text: "…".into(),
            mark: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| {
                if p.mark {
                    format!("[{}]", p.text)
                } else {
                    p.text.clone()
                }
            })
            .collect()
    }

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn marks_every_occurrence_on_the_original_characters() {
        assert_eq!(
            show(&marked("开发区与开发区协会", &words(&["开发区"]))),
            "[开发区]与[开发区]协会"
        );
        assert_eq!(
            show(&marked("建成５Ｇ园区", &words(&["5g", "园区"]))),
            "建成[５Ｇ园区]"
        );
        assert_eq!(show(&marked("<b>", &words(&["b"]))), "<[b]>");
        assert_eq!(show(&marked("无关", &words(&["开发区"]))), "无关");
    }

    #[test]
    fn snippets_centre_on_the_words_and_say_where_they_are_cut() {
        let text = format!(
            "{}。营商环境持续优化，开发区企业满意度提升。{}",
            "前文".repeat(40),
            "后文".repeat(40)
        );
        let s = show(&snippet(&text, &words(&["营商环境", "开发区"]), 30));
        assert!(s.starts_with("…[营商环境]"), "{s}");
        assert!(s.contains("[开发区]"), "{s}");
        assert!(s.ends_with('…'), "{s}");
        assert_eq!(s.chars().filter(|c| *c != '[' && *c != ']').count(), 32);
        // No match: the beginning.
        let none = show(&snippet("第一句。第二句。", &words(&["园区"]), 4));
        assert_eq!(none, "第一句。…");
    }

    /// A long text full of one common word: linear, and from the text's start.
    #[test]
    fn snippets_of_long_texts_stay_linear() {
        let text = "的".repeat(2_000_000);
        let s = snippet(&text, &words(&["的", "开发区"]), 100);
        assert_eq!(s.first().map(|p| p.mark), Some(true));
        assert_eq!(s.last().map(|p| p.text.as_str()), Some("…"));
        let marked_chars: usize = s
            .iter()
            .filter(|p| p.mark)
            .map(|p| p.text.chars().count())
            .sum();
        assert_eq!(marked_chars, 100);
    }
}
