//! Text that third parties fill (job boards, LLM providers) made storable everywhere: NUL and
//! the other C0 control characters (but tab, line feed and carriage return) are removed.
//! PostgreSQL rejects NUL in `text` and `\u0000` in `jsonb`, so one such posting would block
//! its source on that engine; no reader loses anything by their absence.
//!
//! A posting pasted by a user reads like a fetched one: [`posting_text_via`] decodes character
//! references (`&amp;`, `&nbsp;`, `&#8226;`, escaped markup `&lt;p&gt;`), hands HTML to the
//! caller's HTML-to-text conversion (this crate parses no HTML: `tailor::visible_text` drops
//! hidden elements, then `discovery::normalize::html_to_text`), and tidies the text: bullets
//! become "- ", odd spaces become spaces, zero-width characters go.

use serde_json::Value;

/// Whether `c` is kept in stored text.
fn keep(c: char) -> bool {
    !c.is_control() || matches!(c, '\t' | '\n' | '\r') || !c.is_ascii()
}

/// `s` without NUL and other C0 controls (tab and line breaks stay).
pub fn storable(s: &str) -> String {
    if s.chars().all(keep) {
        s.to_owned()
    } else {
        s.chars().filter(|c| keep(*c)).collect()
    }
}

/// Cleans `s` in place (no allocation when there is nothing to remove).
pub fn make_storable(s: &mut String) {
    if !s.chars().all(keep) {
        *s = storable(s);
    }
}

/// Cleans every string (and object key) inside a JSON value, in place.
pub fn make_json_storable(v: &mut Value) {
    match v {
        Value::String(s) => make_storable(s),
        Value::Array(items) => items.iter_mut().for_each(make_json_storable),
        Value::Object(map) => {
            if map.keys().any(|k| !k.chars().all(keep)) {
                let taken = std::mem::take(map);
                for (k, mut item) in taken {
                    make_json_storable(&mut item);
                    map.insert(storable(&k), item);
                }
            } else {
                map.values_mut().for_each(make_json_storable);
            }
        }
        _ => {}
    }
}

/// Tags whose presence makes a paste HTML rather than text that mentions `<`.
const HTML_TAGS: &[&str] = &[
    "a",
    "article",
    "b",
    "blockquote",
    "body",
    "br",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "font",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "img",
    "li",
    "main",
    "meta",
    "nav",
    "ol",
    "p",
    "pre",
    "script",
    "section",
    "small",
    "span",
    "strong",
    "style",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "title",
    "tr",
    "u",
    "ul",
];

/// Whether `s` holds HTML markup: a comment, or a start or end tag of a common element (`<p>`,
/// `</div>`, `<br/>`, `<span style=…>`). "5 <10 years>" or "a<b" are text.
pub fn looks_like_html(s: &str) -> bool {
    if s.contains("<!--") {
        return true;
    }
    s.match_indices('<').any(|(i, _)| {
        let rest = &s[i + 1..];
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let name_len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
        let name = rest[..name_len].to_ascii_lowercase();
        let after = rest[name_len..].chars().next();
        HTML_TAGS.contains(&name.as_str()) && matches!(after, Some('>' | '/' | ' ' | '\t' | '\n' | '\r'))
    })
}

/// Character references decoded (`&amp;` → `&`, `&nbsp;` → U+00A0, `&#8226;` → `•`, `&lt;p&gt;` →
/// `<p>`); only complete references ending in `;` count, so "AT&T" and "R&D" stay. Text escaped
/// twice (`&amp;nbsp;`, as some boards send it) is decoded twice.
pub fn decode_entities(s: &str) -> String {
    let once = html_escape::decode_html_entities(s).into_owned();
    let twice_escaped =
        ["&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&#"].iter().any(|e| once.contains(e)) && s.contains("&amp;");
    if twice_escaped {
        html_escape::decode_html_entities(&once).into_owned()
    } else {
        once
    }
}

/// Characters a line may start with that mean "list item".
const BULLETS: &[char] = &[
    '•', '·', '‣', '⁃', '◦', '▪', '▫', '■', '□', '●', '○', '►', '▸', '▹', '➢', '➤', '✓', '✔', '–', '—', '*', '+', '-',
];

/// A paste's text tidied: bullets at the start of a line become "- ", tabs and odd spaces
/// (no-break, thin, ideographic) become one space, zero-width characters and soft hyphens go,
/// lines are trimmed, and at most one blank line separates paragraphs.
pub fn tidy_posting_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = false;
    for raw in s.lines() {
        let mut line = String::with_capacity(raw.len());
        for c in raw.chars() {
            let invisible = matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}');
            if c.is_whitespace() {
                if !line.is_empty() && !line.ends_with(' ') {
                    line.push(' ');
                }
            } else if keep(c) && !invisible {
                line.push(c);
            }
        }
        let mut line = line.trim_end();
        let mut bulleted = false;
        while let Some(rest) = line.strip_prefix(BULLETS).filter(|r| r.starts_with(' ') || r.is_empty()) {
            line = rest.trim_start();
            bulleted = true;
        }
        if bulleted {
            if line.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push_str(if blank { "\n\n" } else { "\n" });
            }
            out.push_str("- ");
            out.push_str(line);
            blank = false;
            continue;
        }
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        out.push_str(line);
        blank = false;
    }
    out
}

/// A pasted posting as plain text. Text has its character references decoded and is tidied
/// ([`tidy_posting_text`]); HTML — markup as pasted, or escaped markup (`&lt;p&gt;`) once
/// decoded, its line breaks kept as `<br>` — goes through `html_to_text` (the caller's: this
/// crate parses no HTML; it must decode references and drop what a browser would not show) and
/// is then tidied too.
pub fn posting_text_via(s: &str, html_to_text: &dyn Fn(&str) -> String) -> String {
    let s = storable(s);
    if looks_like_html(&s) {
        return tidy_posting_text(&html_to_text(&s));
    }
    // Escaped markup is decoded once: what is left escaped is the HTML's own text. The paste was
    // text, so its line breaks are kept (HTML would read them as spaces).
    let once = html_escape::decode_html_entities(&s);
    if looks_like_html(&once) {
        return tidy_posting_text(&html_to_text(&once.replace('\n', "<br>\n")));
    }
    tidy_posting_text(&decode_entities(&s))
}

/// [`posting_text_via`] without an HTML reader: text is decoded and tidied; HTML (escaped markup
/// decoded once) is kept as markup for a reader above this crate (the analyzer reads HTML
/// descriptions with their hidden parts dropped).
pub fn posting_text(s: &str) -> String {
    let s = storable(s);
    if looks_like_html(&s) {
        return s;
    }
    let once = html_escape::decode_html_entities(&s);
    if looks_like_html(&once) {
        return once.into_owned();
    }
    tidy_posting_text(&decode_entities(&s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_controls_go_text_stays() {
        assert_eq!(storable("Rust\0 Engineer\u{1}\u{7f}"), "Rust Engineer");
        assert_eq!(storable("line one\nline two\tend\r\n"), "line one\nline two\tend\r\n");
        assert_eq!(storable("Zürich — 東京 ✓"), "Zürich — 東京 ✓");
        let mut v = serde_json::json!({"a\u{0}": ["x\u{0}y", {"b": "c\u{0}"}], "n": 1});
        make_json_storable(&mut v);
        assert_eq!(v, serde_json::json!({"a": ["xy", {"b": "c"}], "n": 1}));
    }

    #[test]
    fn pasted_text_is_decoded_and_tidied() {
        let paste = "About us&nbsp;&mdash; R&amp;D tools &#038; more. AT&T, R&D and Q&A stay.\r\n\
                     &bull; Python &amp; SQL\n&#8226;  Go\u{a0}is a plus\n\u{b7} Rust\n*\tKafka\n\n\n\n\
                     \u{2013} CI/CD\u{200b}\n5+ years; -1 is a number\n  - already a bullet  \n- \u{2022} twice";
        assert_eq!(
            posting_text(paste),
            "About us — R&D tools & more. AT&T, R&D and Q&A stay.\n- Python & SQL\n- Go is a plus\n- Rust\n\
             - Kafka\n\n- CI/CD\n5+ years; -1 is a number\n- already a bullet\n- twice"
        );
        assert_eq!(decode_entities("&amp;nbsp;x&amp;amp;y"), "\u{a0}x&y");
        assert_eq!(decode_entities("fish &amp chips"), "fish &amp chips");
        assert_eq!(posting_text(&posting_text(paste)), posting_text(paste), "idempotent");
    }

    #[test]
    fn html_is_recognised_and_handed_over() {
        for html in ["<p>x</p>", "a<br>b", "<BR/>", "<span style=\"x\">y</span>", "<!-- c -->", "<ul>\n<li>a"] {
            assert!(looks_like_html(html), "{html}");
        }
        for text in ["5 <10 years>", "a<b", "I <3 Rust", "x < y", "<pre-sales>", "C++ <= 17"] {
            assert!(!looks_like_html(text), "{text}");
        }
        let upper = |h: &str| h.replace("<p>", "").replace("</p>", "\n").replace("<br>", "").to_uppercase();
        assert_eq!(posting_text_via("<p>a &amp; b</p><p>\u{2022} c</p>", &upper), "A &AMP; B\n- C");
        // Escaped markup is markup once decoded.
        assert_eq!(posting_text_via("&lt;p&gt;Rust &amp;amp; Go&lt;/p&gt;", &upper), "RUST &AMP; GO");
        assert_eq!(posting_text("&lt;p&gt;Rust&lt;/p&gt;"), "<p>Rust</p>");
        assert_eq!(posting_text("<p>R&amp;D</p>"), "<p>R&amp;D</p>", "HTML stays for an HTML reader");
    }
}
