//! Plain text: collapsing whitespace as text is written, tidying a board's own plain text,
//! turning plain text into simple HTML, and repairing double-encoded UTF-8.

/// Builds collapsed text: whitespace is remembered as pending and only written once the next
/// visible character arrives, so leading/trailing whitespace and blank runs never appear.
#[derive(Default)]
pub(super) struct TextWriter {
    pub(super) out: String,
    pending_breaks: usize,
    pending_space: bool,
    pub(super) prefix: bool,
}

impl TextWriter {
    pub(super) fn text(&mut self, s: &str) {
        let bytes = s.as_bytes();
        // `hidden`: the current word has a zero-width character or NUL to drop.
        let (mut i, mut start, mut hidden) = (0, 0, false);
        while i < bytes.len() {
            // ASCII is decided byte by byte; only non-ASCII bytes need a char decoded.
            let (len, space) = if bytes[i] < 0x80 {
                hidden |= bytes[i] == 0;
                (1, bytes[i].is_ascii_whitespace())
            } else {
                let c = s[i..].chars().next().unwrap_or(' ');
                hidden |= is_hidden(c);
                (c.len_utf8(), c.is_whitespace())
            };
            if space {
                self.word(&s[start..i], hidden);
                self.pending_space = true;
                start = i + len;
                hidden = false;
            }
            i += len;
        }
        self.word(&s[start..], hidden);
    }

    fn word(&mut self, word: &str, hidden: bool) {
        if hidden {
            let visible: String = word.chars().filter(|&c| !is_hidden(c)).collect();
            if !visible.is_empty() {
                self.flush();
                self.out.push_str(&visible);
            }
        } else if !word.is_empty() {
            self.flush();
            self.out.push_str(word);
        }
    }

    fn flush(&mut self) {
        if !self.out.is_empty() {
            if self.pending_breaks > 0 {
                for _ in 0..self.pending_breaks {
                    self.out.push('\n');
                }
            } else if self.pending_space {
                self.out.push(' ');
            }
        }
        if self.prefix {
            self.out.push_str("- ");
        }
        self.pending_breaks = 0;
        self.pending_space = false;
        self.prefix = false;
    }

    pub(super) fn breaks(&mut self, n: usize) {
        self.pending_breaks = self.pending_breaks.max(n);
    }

    pub(super) fn space(&mut self) {
        self.pending_space = true;
    }
}

fn is_hidden(c: char) -> bool {
    matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\0')
}

/// HTML for a description a board gave only as text: escaped, a `<p>` per paragraph and a
/// `<br>` per line break, so it renders like the text reads.
pub fn text_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for para in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        out.push_str("<p>");
        for (i, line) in para.lines().enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            escape_into(&mut out, line);
        }
        out.push_str("</p>");
    }
    out
}

fn escape_into(out: &mut String, text: &str) {
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let esc = match b {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'"' => "&quot;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(esc);
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

/// A board's plain text, tidied: lines trimmed, spaces collapsed, at most one blank line.
pub fn tidy_text(text: &str) -> String {
    if is_tidy(text) {
        return fix_mojibake(text.to_owned());
    }
    let mut w = TextWriter::default();
    let mut blank_run = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        w.breaks(if blank_run > 0 { 2 } else { 1 });
        blank_run = 0;
        w.text(line);
    }
    fix_mojibake(w.out)
}

/// Whether [`tidy_text`] would leave `text` as it is: ASCII spaces single and only between
/// words, line breaks at most two in a row, and no other whitespace or zero-width characters.
/// Most boards' plain text already is, and a byte scan is cheaper than rewriting it.
fn is_tidy(text: &str) -> bool {
    let b = text.as_bytes();
    let edge_space = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_whitespace());
    if edge_space(b.first()) || edge_space(b.last()) {
        return false;
    }
    let mut newlines = 0;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'\n' => {
                newlines += 1;
                if newlines > 2 || b.get(i + 1) == Some(&b' ') {
                    return false;
                }
            }
            b' ' if matches!(b.get(i + 1), Some(b' ' | b'\n')) => return false,
            b'\t' | b'\r' | 0x0B | 0x0C | 0 => return false,
            // Non-ASCII whitespace and zero-width characters start with these bytes (U+0085,
            // U+00A0, U+1680, U+2000..U+200F, U+2028/9, U+202F, U+205F, U+3000, U+FEFF).
            0xC2 => {
                if matches!(b.get(i + 1), Some(0x85 | 0xA0)) {
                    return false;
                }
            }
            0xE1 | 0xE3 | 0xEF => return false,
            0xE2 => {
                if matches!(
                    (b.get(i + 1), b.get(i + 2)),
                    (Some(0x80), Some(0x80..=0x8F | 0xA8 | 0xA9 | 0xAF)) | (Some(0x81), Some(0x9F))
                ) {
                    return false;
                }
            }
            _ => {}
        }
        if c != b'\n' {
            newlines = 0;
        }
    }
    true
}

/// Repairs UTF-8 that was decoded as Latin-1 somewhere upstream (Remote OK sends "â\u{80}\u{99}"
/// for "’"): a run of U+0080..U+00FF characters whose code points form valid UTF-8 bytes is
/// replaced by what those bytes say. Real Latin-1 text ("café") is not valid UTF-8 and stays.
pub fn fix_mojibake(s: String) -> String {
    // U+0080..U+009F are encoded C2 80..C2 9F; text without them has nothing to repair.
    let b = s.as_bytes();
    if !b.contains(&0xC2) || !b.windows(2).any(|w| w[0] == 0xC2 && (0x80..=0x9F).contains(&w[1])) {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut run: Vec<u8> = Vec::new();
    let flush = |run: &mut Vec<u8>, out: &mut String| {
        match std::str::from_utf8(run) {
            Ok(fixed) if run.len() > 1 => out.push_str(fixed),
            _ => out.extend(run.iter().map(|&b| char::from(b))),
        }
        run.clear();
    };
    for c in s.chars() {
        match u8::try_from(u32::from(c)) {
            Ok(b) if b >= 0x80 => run.push(b),
            _ => {
                flush(&mut run, &mut out);
                out.push(c);
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mojibake_is_repaired() {
        assert_eq!(fix_mojibake("We\u{e2}\u{80}\u{99}re hiring".into()), "We’re hiring");
        assert_eq!(fix_mojibake("caf\u{e9} \u{80}".into()), "caf\u{e9} \u{80}");
        assert_eq!(fix_mojibake("plain".into()), "plain");
    }

    #[test]
    fn text_becomes_paragraphs() {
        assert_eq!(text_to_html("a <b> & c\nd\n\ne"), "<p>a &lt;b&gt; &amp; c<br>d</p><p>e</p>");
    }

    #[test]
    fn tidies_plain_text() {
        assert_eq!(tidy_text("  a   b \n\n\n\n c\nd  "), "a b\n\nc\nd");
        assert_eq!(tidy_text("a\u{a0}b\u{200b}c\u{3000}d"), "a bc d");
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_agrees(text in "([a-z’]{1,3}|[ \t\r\n]|\u{a0}|\u{200b}|\u{2009}|\u{3000}|\u{feff}){0,30}") {
            let mut slow = TextWriter::default();
            let mut blank_run = 0;
            for line in text.lines() {
                if line.trim().is_empty() {
                    blank_run += 1;
                    continue;
                }
                slow.breaks(if blank_run > 0 { 2 } else { 1 });
                blank_run = 0;
                slow.text(line);
            }
            proptest::prop_assert_eq!(tidy_text(&text), slow.out);
        }
    }
}
