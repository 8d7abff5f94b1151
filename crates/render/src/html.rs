//! The HTML rendering: one self-contained HTML5 page (inline CSS, no scripts, no external
//! resources) that reads well on screen and prints on A4/Letter. Landmarks and headings make
//! it navigable with a screen reader: `<header>`, `<main>`, one `<section>` per resume
//! section labelled by its `<h2>`, `<article>` per entry, real lists. The template picks the
//! stylesheet. Every resume string is HTML-escaped; links are `http(s)` or `mailto` only.

use crate::view::{self, Entry, View};
use domain::TailoredResume;
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use std::fmt::Write as _;

const BASE: &str = "\
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1f2328}
main,header{max-width:50rem;margin:0 auto;padding:0 3rem;background:#fff}
header{padding-top:2.5rem}
main{padding-bottom:2.5rem}
h1{margin:0;line-height:1.15}
h2{margin:1.6rem 0 .6rem}
h3{margin:0;font-size:1rem}
p{margin:.3rem 0}
a{color:inherit}
.label{margin:.3rem 0 0;font-size:1.1rem}
.contact{margin:.5rem 0 0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:.2rem 1rem}
article{margin:.8rem 0}
.meta{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap}
.sub{font-style:italic}
.dates,.location{white-space:nowrap;color:#4d5560}
ul.bullets{margin:.35rem 0 0;padding-left:1.2rem}
dl.rows{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}
dl.rows dt{font-weight:bold}
dl.rows dd{margin:0}
@page{margin:1.6cm}
@media print{body{background:#fff}main,header{max-width:none;padding:0}article,h2{break-inside:avoid}h2{break-after:avoid}}
";

fn theme(template: &str) -> &'static str {
    match template {
        "modern" => {
            "body{font:15px/1.5 \"DejaVu Sans Condensed\",\"Helvetica Neue\",Arial,sans-serif}\
            h1{color:#0b5cad;font-size:2.3rem}.label{color:#5b6470}\
            h2{color:#0b5cad;font-size:.95rem;text-transform:uppercase;letter-spacing:.04em;\
            border-bottom:1px solid #9cbde0;padding-bottom:.2rem}a{color:#0b5cad}\n"
        }
        "ats" => {
            "body{font:16px/1.45 \"Latin Modern Roman\",\"Times New Roman\",serif;background:#fff}\
            h1{font-size:1.9rem}h2{font-size:1.05rem;text-transform:uppercase}\
            .meta{display:block}.dates,.location{color:inherit}\n"
        }
        _ => {
            "body{font:16px/1.5 \"Libertinus Serif\",Georgia,\"Times New Roman\",serif}\
            header{text-align:center}.contact{justify-content:center}h1{color:#1d3557;font-size:2.4rem}\
            .label{font-style:italic}h2{color:#1d3557;font-size:1.2rem;border-bottom:1px solid #1d3557;\
            padding-bottom:.2rem}\n"
        }
    }
}

fn link_or_text(url: Option<&str>, label: &str) -> String {
    match url {
        Some(u) => format!("<a href=\"{}\">{}</a>", attr(u), text(label)),
        None => text(label).into_owned(),
    }
}

fn entry(out: &mut String, e: &Entry, id: &str) {
    let _ = write!(out, "<article aria-labelledby=\"{id}\">\n<div class=\"meta\"><h3 id=\"{id}\">");
    out.push_str(&link_or_text(e.url.as_deref(), &e.title));
    out.push_str("</h3>");
    if !e.dates.is_empty() {
        let _ = write!(out, "<span class=\"dates\">{}</span>", text(&e.dates));
    }
    out.push_str("</div>\n");
    if !e.subtitle.is_empty() || !e.location.is_empty() {
        let _ = writeln!(
            out,
            "<div class=\"meta\"><span class=\"sub\">{}</span><span class=\"location\">{}</span></div>",
            text(&e.subtitle),
            text(&e.location)
        );
    }
    if !e.summary.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", text(&e.summary));
    }
    if !e.bullets.is_empty() {
        out.push_str("<ul class=\"bullets\">\n");
        for b in &e.bullets {
            let _ = writeln!(out, "<li>{}</li>", text(b));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</article>\n");
}

/// The view as a complete HTML5 document styled by `template`.
pub(crate) fn render(v: &View, template: &str) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", text(&v.title()));
    let _ = writeln!(out, "<meta name=\"author\" content=\"{}\">", attr(&v.name));
    if !v.keywords.is_empty() {
        let _ = writeln!(out, "<meta name=\"keywords\" content=\"{}\">", attr(&v.keywords.join(", ")));
    }
    let _ = writeln!(out, "<style>\n{BASE}{}</style>\n</head>\n<body>\n<header>", theme(template));
    let _ = writeln!(out, "<h1>{}</h1>", text(&v.name));
    if !v.label.is_empty() {
        let _ = writeln!(out, "<p class=\"label\">{}</p>", text(&v.label));
    }
    if !v.contacts.is_empty() {
        out.push_str("<ul class=\"contact\" aria-label=\"Contact\">\n");
        for c in &v.contacts {
            let _ = writeln!(out, "<li>{}</li>", link_or_text(c.url.as_deref(), &c.text));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</header>\n<main>\n");
    for (i, s) in v.sections.iter().enumerate() {
        let _ = writeln!(out, "<section aria-labelledby=\"s{i}\">\n<h2 id=\"s{i}\">{}</h2>", s.title);
        if !s.text.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", text(&s.text));
        }
        for (j, e) in s.entries.iter().enumerate() {
            entry(&mut out, e, &format!("s{i}e{j}"));
        }
        if !s.rows.is_empty() {
            out.push_str("<dl class=\"rows\">\n");
            for r in &s.rows {
                let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", text(&r.label), text(&r.text));
            }
            out.push_str("</dl>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// A tailored resume as a complete HTML5 document (the workflow's generator step).
pub fn html(r: &TailoredResume) -> String {
    render(&view::build(&crate::tailored_to_resume(r)), "classic")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::resume;

    #[test]
    fn is_a_complete_document() {
        let page = html(&resume());
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(page.ends_with("</html>\n"));
        assert!(page.contains("<meta charset=\"utf-8\">") && page.contains("<style>"));
        assert!(page.contains("<title>Alex Rivera — Senior Backend &amp; Platform Engineer</title>"));
        assert!(page.contains("<a href=\"mailto:alex.rivera@example.com\">alex.rivera@example.com</a>"));
        assert!(page.contains("<h3 id=\"s1e0\">Northwind Payments</h3><span class=\"dates\">2021-04 – Present</span>"));
        assert_eq!(page.matches("<li>").count(), 1 + 2);
        assert_eq!(html(&resume()), page, "deterministic");
        assert!(!page.contains("<script") && !page.contains("src="), "self-contained, no scripts");
    }

    #[test]
    fn profile_text_is_escaped() {
        let mut r = resume();
        r.name = "Alex <b>Rivera</b>".into();
        r.email = Some("a\"onmouseover=\"x@example.com".into());
        let page = html(&r);
        assert!(!page.contains("<script>"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("Alex &lt;b&gt;Rivera&lt;/b&gt;"));
        assert!(page.contains("Senior Backend &amp; Platform Engineer"));
        assert!(!page.contains("href=\"mailto:a\""), "attribute breakout: {page}");
        assert!(page.contains("<li>a\"onmouseover=\"x@example.com</li>"), "shown as text: {page}");
    }
}
