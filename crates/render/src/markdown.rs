//! The Markdown rendering (CommonMark): `#` name, label and contact lines, `##` sections,
//! `###` entries with their dates in italics, `-` bullets. Every resume string goes through
//! [`esc`], so nothing in it is read as Markdown or HTML.

use crate::view::{self, View};
use domain::TailoredResume;
use std::fmt::Write as _;

/// The view as CommonMark.
pub(crate) fn render(v: &View) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", esc(&v.name));
    let mut head = Vec::new();
    if !v.label.is_empty() {
        head.push(format!("**{}**", esc(&v.label)));
    }
    if !v.contacts.is_empty() {
        head.push(v.contacts.iter().map(|c| esc(&c.text)).collect::<Vec<_>>().join(" · "));
    }
    if !head.is_empty() {
        // Two trailing spaces: a hard line break between label and contacts.
        let _ = writeln!(out, "{}\n", head.join("  \n"));
    }
    for s in &v.sections {
        let _ = writeln!(out, "## {}\n", s.title);
        if !s.text.is_empty() {
            let _ = writeln!(out, "{}\n", esc(&s.text));
        }
        for e in &s.entries {
            let heading = [&e.title, &e.subtitle].iter().filter(|x| !x.is_empty()).map(|x| esc(x)).collect::<Vec<_>>();
            if !heading.is_empty() {
                let _ = writeln!(out, "### {}\n", heading.join(" — "));
            }
            let meta = [&e.location, &e.dates].iter().filter(|x| !x.is_empty()).map(|x| esc(x)).collect::<Vec<_>>();
            if !meta.is_empty() {
                let _ = writeln!(out, "*{}*\n", meta.join(" | "));
            }
            if !e.summary.is_empty() {
                let _ = writeln!(out, "{}\n", esc(&e.summary));
            }
            for b in &e.bullets {
                let _ = writeln!(out, "- {}", esc(b));
            }
            if !e.bullets.is_empty() {
                out.push('\n');
            }
        }
        for r in &s.rows {
            match (r.label.is_empty(), r.text.is_empty()) {
                (false, false) => {
                    let _ = writeln!(out, "- **{}:** {}", esc(&r.label), esc(&r.text));
                }
                (false, true) => {
                    let _ = writeln!(out, "- **{}**", esc(&r.label));
                }
                _ => {
                    let _ = writeln!(out, "- {}", esc(&r.text));
                }
            }
        }
        if !s.rows.is_empty() {
            out.push('\n');
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// A tailored resume as CommonMark (the workflow's generator step).
pub fn markdown(r: &TailoredResume) -> String {
    render(&view::build(&crate::tailored_to_resume(r)))
}

/// Escapes text so Markdown shows it literally: inline markup characters get a backslash,
/// a character that would start a block (list, heading, quote) at the start of a line is
/// escaped too, `&` is escaped before anything that could read as an entity, and line breaks
/// become spaces so one resume string never spills into another block.
pub(crate) fn esc(s: &str) -> String {
    let flat = view::clean(s);
    let mut out = String::with_capacity(flat.len() + 8);
    let mut chars = flat.chars().peekable();
    let mut at_start = true;
    while let Some(c) = chars.next() {
        let inline = matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '!' | '(' | ')');
        let block = at_start && matches!(c, '-' | '+' | '=');
        let entity = c == '&' && chars.peek().is_some_and(|n| n.is_alphanumeric() || *n == '#');
        if inline || block || entity {
            out.push('\\');
        }
        out.push(c);
        at_start = false;
    }
    // "1. Led" at the start of a string would become an ordered list.
    if let Some(dot) = out.find(['.', ')']) {
        if dot > 0 && out[..dot].chars().all(|c| c.is_ascii_digit()) {
            out.insert(dot, '\\');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::resume;

    #[test]
    fn renders_sections_in_order() {
        let md = markdown(&resume());
        let expected = "# Alex Rivera\n\n\
            **Senior Backend & Platform Engineer**  \nalex.rivera@example.com\n\n\
            ## Summary\n\nBuilds \\*reliable\\* systems in Rust, Go & Python.\n\n\
            ## Experience\n\n\
            ### Northwind Payments — Senior Platform Engineer\n\n*2021-04 – Present*\n\nPlatform team lead.\n\n\
            - Cut p99 latency to under 40 ms \\<script\\>alert\\(1\\)\\</script\\>\n\
            - Ran 120 services on Kubernetes\n\n\
            ### Brightline Logistics — Backend Engineer\n\n*2018-02 – 2021-03*\n\n\
            ## Skills\n\n- **Skills:** Rust, C\\#, PostgreSQL\n";
        assert_eq!(md, expected);
        assert_eq!(markdown(&resume()), md, "deterministic");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("<script>"), "\\<script\\>");
        assert_eq!(esc("- not a list"), "\\- not a list");
        assert_eq!(esc("1. not a list"), "1\\. not a list");
        assert_eq!(esc("a\nb"), "a b");
        assert_eq!(esc("&lt; & co"), "\\&lt; & co");
        assert_eq!(esc("2021-04"), "2021-04");
        assert_eq!(esc("[x](javascript:y)"), "\\[x\\]\\(javascript:y\\)");
    }
}
