//! The HTML rendering of a tailored resume: one small, styled, standalone HTML5 page that
//! prints cleanly (the PDF path renders it).

use crate::date_range;
use domain::TailoredResume;
use html_escape::{encode_double_quoted_attribute, encode_text};
use std::fmt::Write as _;

const STYLE: &str = "\
:root{--ink:#1f2328;--muted:#59636e;--accent:#0b5cad;--rule:#d1d9e0}
*{box-sizing:border-box}
body{margin:0;background:#f6f8fa;color:var(--ink);font:15px/1.5 -apple-system,BlinkMacSystemFont,\"Segoe UI\",Helvetica,Arial,sans-serif}
main{max-width:52rem;margin:2rem auto;padding:2.5rem 3rem;background:#fff;border:1px solid var(--rule);border-radius:6px}
h1{margin:0;font-size:2rem;line-height:1.2}
h2{margin:1.75rem 0 .5rem;padding-bottom:.25rem;border-bottom:1px solid var(--rule);color:var(--accent);font-size:1rem;letter-spacing:.06em;text-transform:uppercase}
h3{margin:1rem 0 0;font-size:1.05rem}
.label{margin:.25rem 0 0;color:var(--muted);font-size:1.1rem}
.contact{margin:.25rem 0 0}
a{color:var(--accent)}
.org{font-weight:normal;color:var(--muted)}
.dates{margin:0;color:var(--muted);font-size:.9rem}
.skills{display:flex;flex-wrap:wrap;gap:.35rem;margin:0;padding:0;list-style:none}
.skills li{padding:.1rem .55rem;border:1px solid var(--rule);border-radius:999px;font-size:.9rem}
ul.highlights{margin:.4rem 0 0;padding-left:1.2rem}
@media print{body{background:#fff}main{margin:0;border:0;padding:0}}
";

/// The resume as a complete HTML5 document. Every profile string is HTML-escaped.
pub fn html(r: &TailoredResume) -> String {
    let mut out = String::new();
    let name = encode_text(&r.name);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{name} — Resume</title>");
    let _ = writeln!(out, "<style>\n{STYLE}</style>\n</head>\n<body>\n<main>");

    out.push_str("<header>\n");
    let _ = writeln!(out, "<h1>{name}</h1>");
    if let Some(label) = r.label.as_deref().filter(|l| !l.is_empty()) {
        let _ = writeln!(out, "<p class=\"label\">{}</p>", encode_text(label));
    }
    if let Some(email) = r.email.as_deref().filter(|e| !e.is_empty()) {
        let href = format!("mailto:{email}");
        let _ = writeln!(
            out,
            "<p class=\"contact\"><a href=\"{}\">{}</a></p>",
            encode_double_quoted_attribute(&href),
            encode_text(email)
        );
    }
    out.push_str("</header>\n");

    if let Some(summary) = r.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        let _ = writeln!(out, "<section>\n<h2>Summary</h2>\n<p>{}</p>\n</section>", encode_text(summary));
    }
    if !r.skills.is_empty() {
        out.push_str("<section>\n<h2>Skills</h2>\n<ul class=\"skills\">\n");
        for s in &r.skills {
            let _ = writeln!(out, "<li>{}</li>", encode_text(s));
        }
        out.push_str("</ul>\n</section>\n");
    }
    if !r.work.is_empty() {
        out.push_str("<section>\n<h2>Experience</h2>\n");
        for w in &r.work {
            out.push_str("<article>\n<h3>");
            let _ = write!(out, "{}", encode_text(&w.position));
            if !w.organization.is_empty() {
                let sep = if w.position.is_empty() { "" } else { " — " };
                let _ = write!(out, "<span class=\"org\">{sep}{}</span>", encode_text(&w.organization));
            }
            out.push_str("</h3>\n");
            if let Some(dates) = date_range(w.start_date.as_deref(), w.end_date.as_deref()) {
                let _ = writeln!(out, "<p class=\"dates\">{}</p>", encode_text(&dates));
            }
            if let Some(summary) = w.summary.as_deref().filter(|s| !s.trim().is_empty()) {
                let _ = writeln!(out, "<p>{}</p>", encode_text(summary));
            }
            if !w.highlights.is_empty() {
                out.push_str("<ul class=\"highlights\">\n");
                for h in &w.highlights {
                    let _ = writeln!(out, "<li>{}</li>", encode_text(h));
                }
                out.push_str("</ul>\n");
            }
            out.push_str("</article>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
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
        assert!(page.contains("<title>Alex Rivera — Resume</title>"));
        assert!(page.contains("<a href=\"mailto:alex.rivera@example.com\">alex.rivera@example.com</a>"));
        assert!(page.contains("<h3>Senior Platform Engineer<span class=\"org\"> — Northwind Payments</span></h3>"));
        assert!(page.contains("<p class=\"dates\">2021-04 – Present</p>"));
        assert_eq!(page.matches("<li>").count(), 3 + 2);
        assert_eq!(html(&resume()), page, "deterministic");
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
        assert!(page.contains("href=\"mailto:a&quot;onmouseover=&quot;x@example.com\""), "attribute breakout: {page}");
        assert_eq!(page.matches("<script").count(), 0);
    }
}
