//! Description HTML: undo a board's entity escaping, sanitize what is kept for rendering, and
//! derive plain text. All parsing goes through html5ever (directly or inside ammonia), never
//! through regexes, so hostile markup is read the way a browser would read it.

use super::plain::{fix_mojibake, TextWriter};
use ammonia::{Builder, UrlRelative};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Tags a description may keep: structure and emphasis, nothing that loads or runs anything.
const ALLOWED_TAGS: [&str; 14] = ["p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "h1", "h2", "h3", "h4", "a"];

/// Tags dropped together with their content (everything else not allowed is unwrapped, keeping
/// its text).
const DROPPED_WITH_CONTENT: [&str; 14] = [
    "script", "style", "iframe", "noscript", "template", "object", "embed", "svg", "math", "title", "textarea",
    "select", "noembed", "noframes",
];

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = Builder::empty();
    b.tags(ALLOWED_TAGS.into_iter().collect())
        .clean_content_tags(DROPPED_WITH_CONTENT.into_iter().collect())
        .tag_attributes(HashMap::from([("a", HashSet::from(["href"]))]))
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        // A relative link cannot be resolved against the board reliably and could point anywhere
        // once the HTML is shown elsewhere.
        .url_relative(UrlRelative::Deny)
        .link_rel(Some("noopener nofollow"))
        .strip_comments(true);
    b
});

/// Board HTML made safe to render: entity-escaped HTML is unescaped once first, then only the
/// allow-listed tags and `http`/`https`/`mailto` links survive.
pub fn sanitize(html: &str) -> String {
    sanitize_unescaped(&unescape_if_escaped(html))
}

/// [`sanitize`] for HTML already passed through [`unescape_if_escaped`].
pub(crate) fn sanitize_unescaped(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Greenhouse (and some JSON-LD) send HTML with its markup escaped (`&lt;p&gt;`). Such text
/// has no real tag in it; real HTML is left alone so `&lt;` meant as text stays text.
pub fn unescape_if_escaped(html: &str) -> std::borrow::Cow<'_, str> {
    if html.contains("&lt;") && !has_tag(html) {
        std::borrow::Cow::Owned(decode_entities(html))
    } else {
        std::borrow::Cow::Borrowed(html)
    }
}

fn has_tag(s: &str) -> bool {
    s.as_bytes().windows(2).any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
}

/// Character references decoded the way an HTML parser does (`&amp;`, `&#39;`, `&nbsp;`, legacy
/// references without a `;`). Meant for text with no tags in it.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let sink = Collect(RefCell::new(String::with_capacity(text.len())));
    let tok = run(sink, text);
    tok.sink.0.into_inner()
}

struct Collect(RefCell<String>);

impl TokenSink for Collect {
    type Handle = ();
    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(t) => self.0.borrow_mut().push_str(&t),
            // A stray "<" that is not a tag comes back as characters too; anything that did
            // parse as markup is put back verbatim since the input was meant as text.
            Token::TagToken(tag) => self.0.borrow_mut().push_str(&tag_source(&tag)),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn tag_source(tag: &Tag) -> String {
    let slash = if tag.kind == TagKind::EndTag { "/" } else { "" };
    format!("<{slash}{}>", &*tag.name)
}

fn run<S: TokenSink<Handle = ()>>(sink: S, input: &str) -> Tokenizer<S> {
    let tok = Tokenizer::new(sink, Default::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(input));
    let _ = tok.feed(&queue);
    tok.end();
    tok
}

/// Plain text of a description's HTML: block elements become line breaks (paragraphs a blank
/// line), list items start with "- ", entities are decoded and runs of whitespace collapse.
///
/// It reads the unescaped board HTML rather than the sanitized copy because the sanitizer
/// unwraps `<div>`s and table cells, which would glue their texts together; it skips the same
/// content the sanitizer drops, so it yields the sanitized document's text with its layout.
pub fn html_to_text(html: &str) -> String {
    unescaped_to_text(&unescape_if_escaped(html))
}

/// [`html_to_text`] for HTML already passed through [`unescape_if_escaped`].
pub(crate) fn unescaped_to_text(html: &str) -> String {
    let sink = TextSink(RefCell::new(TextState::default()));
    let tok = run(sink, html);
    fix_mojibake(tok.sink.0.into_inner().out.out)
}

#[derive(Default)]
struct TextState {
    out: TextWriter,
    /// The end tag that closes the content being skipped (`script`, `style`, ...).
    skipping: Option<String>,
}

struct TextSink(RefCell<TextState>);

impl TokenSink for TextSink {
    type Handle = ();
    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut st = self.0.borrow_mut();
        match token {
            Token::CharacterTokens(t) if st.skipping.is_none() => st.out.text(&t),
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                if let Some(skip) = &st.skipping {
                    if tag.kind == TagKind::EndTag && skip == name {
                        st.skipping = None;
                    }
                    return TokenSinkResult::Continue;
                }
                if tag.kind == TagKind::StartTag && DROPPED_WITH_CONTENT.contains(&name) {
                    let raw = raw_state(name);
                    // A self-closing flag only ends foreign elements (`<svg/>`); `<iframe/>` stays open.
                    if !tag.self_closing || raw.is_some() {
                        st.skipping = Some(name.to_owned());
                    }
                    return raw.map_or(TokenSinkResult::Continue, TokenSinkResult::RawData);
                }
                let start = tag.kind == TagKind::StartTag;
                match name {
                    "br" => st.out.breaks(1),
                    "li" if start => {
                        st.out.breaks(1);
                        st.out.prefix = true;
                    }
                    "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "table" | "blockquote" | "pre"
                    | "section" | "article" | "header" | "footer" | "hr" | "dl" | "figure" => st.out.breaks(2),
                    "li" | "div" | "tr" | "dt" | "dd" | "main" | "nav" | "aside" | "address" | "figcaption"
                    | "details" | "summary" | "form" | "fieldset" => st.out.breaks(1),
                    "td" | "th" => st.out.space(),
                    _ => {}
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// The tokenizer state a tree builder would switch to after these start tags; without it a
/// `<script>` body would be tokenized as markup.
fn raw_state(name: &str) -> Option<RawKind> {
    match name {
        "script" => Some(RawKind::ScriptData),
        "style" | "iframe" | "noembed" | "noframes" | "xmp" => Some(RawKind::Rawtext),
        "title" | "textarea" => Some(RawKind::Rcdata),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn escaped_html_is_unescaped_once_then_sanitized() {
        let gh = "&lt;div class=&quot;content-intro&quot;&gt;&lt;h2&gt;&lt;strong&gt;About&lt;/strong&gt;&lt;/h2&gt;\
                  &lt;p&gt;Fish &amp;amp; chips&amp;nbsp;&#39;n&#39; more&lt;/p&gt;&lt;/div&gt;";
        assert_eq!(sanitize(gh), "<h2><strong>About</strong></h2><p>Fish &amp; chips&nbsp;'n' more</p>");
        assert_eq!(html_to_text(gh), "About\n\nFish & chips 'n' more");
    }

    #[test]
    fn hostile_markup_is_removed() {
        let evil = r#"<p onclick="x()">Hi <a href="javascript:alert(1)">a</a> <a href="https://x.test/j">b</a>
            <a href="/rel">c</a> <a href="mailto:j@x.test">d</a></p><script>alert(1)</script>
            <style>p{}</style><iframe src="https://evil.test"></iframe><img src=x onerror=alert(1)>
            <svg><script>alert(2)</script></svg>"#;
        let clean = sanitize(evil);
        for bad in ["script", "style", "iframe", "onclick", "onerror", "javascript", "img", "svg", "/rel", "alert"] {
            assert!(!clean.contains(bad), "{bad} in {clean}");
        }
        assert!(clean.contains(r#"<a href="https://x.test/j" rel="noopener nofollow">b</a>"#), "{clean}");
        assert!(clean.contains(r#"href="mailto:j@x.test""#), "{clean}");
        assert_eq!(html_to_text(evil), "Hi a b c d");
    }

    #[test]
    fn real_html_with_text_entities_is_not_unescaped() {
        assert_eq!(sanitize("<p>use &lt;b&gt; tags</p>"), "<p>use &lt;b&gt; tags</p>");
        assert_eq!(html_to_text("<p>use &lt;b&gt; tags</p>"), "use <b> tags");
    }

    #[test]
    fn blocks_become_lines() {
        let html = "<div>One</div><div>Two</div><ul><li>a</li><li><b>b</b>  c</li></ul><p>x<br>y</p>\
                    <table><tr><td>1</td><td>2</td></tr></table>";
        assert_eq!(html_to_text(html), "One\nTwo\n\n- a\n- b c\n\nx\ny\n\n1 2");
        assert_eq!(html_to_text(""), "");
        assert_eq!(html_to_text("   \n "), "");
    }

    #[test]
    fn decodes_entities() {
        assert_eq!(decode_entities("R&amp;D &lt;3 &#x2F; AT&T"), "R&D <3 / AT&T");
    }
}
