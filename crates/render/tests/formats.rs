//! Golden structure tests for the text formats, per template: HTML (self-contained,
//! landmarks, headings, lists), Markdown, LaTeX (compiles with pdflatex), DOCX (styles,
//! bullets, text), and the JSON Resume export (valid against the vendored official schema).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use render::Format;

fn text(r: &domain::profile::Resume, t: &str, f: Format) -> String {
    String::from_utf8(render(r, t, f, None)).unwrap()
}

#[test]
fn html_is_self_contained_accessible_and_complete() {
    let r = two_page();
    for t in ["classic", "modern", "ats"] {
        let page = text(&r, t, Format::Html);
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{t}");
        for forbidden in ["<script", "<link", "src=", "@import", "url("] {
            assert!(!page.contains(forbidden), "{t}: external resource or script: {forbidden}");
        }
        assert!(page.contains("@media print"), "{t}: print stylesheet");
        assert_eq!(page.matches("<h1>").count(), 1);
        assert_eq!(page.matches("<h2 ").count(), 11, "{t}: one h2 per section");
        assert_eq!(page.matches("<section aria-labelledby=").count(), 11);
        assert!(page.contains("<h2 id=\"s1\">Experience</h2>"));
        assert!(page.contains("<a href=\"https://github.com/arivera\">GitHub: arivera</a>"));
        assert!(page.contains("<dt>Languages</dt><dd>Rust, Go, Python, C++, SQL, TypeScript</dd>"));
        assert!(page.contains("<li>Reduced cloud spend by 31% ($2.1M a year) through right-sizing"));
        assert!(page.contains("<meta name=\"author\" content=\"Alex Rivera\">"));
    }
    assert_ne!(text(&r, "classic", Format::Html), text(&r, "modern", Format::Html), "templates style the page");
}

#[test]
fn markdown_structure() {
    let md = text(&two_page(), "classic", Format::Md);
    assert!(
        md.starts_with("# Alex Rivera\n\n**Staff Backend & Platform Engineer**  \nSan Francisco, California, US · ")
    );
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## Summary",
            "## Experience",
            "## Projects",
            "## Education",
            "## Skills",
            "## Certificates",
            "## Awards",
            "## Publications",
            "## Volunteering",
            "## Languages",
            "## Interests"
        ]
    );
    assert!(
        md.contains("### Northwind Payments — Staff Platform Engineer\n\n*San Francisco, CA | 2021-04 – Present*\n")
    );
    assert!(md.contains("- **Languages:** Rust, Go, Python, C++, SQL, TypeScript\n"));
    assert_eq!(md.matches("\n- ").count(), 14 + 2 + 3 + 1 + 4 + 2 + 1, "bullets and rows");
}

#[test]
fn latex_compiles_with_pdflatex() {
    let r = two_page();
    for t in ["classic", "modern", "ats"] {
        let tex = text(&r, t, Format::Tex);
        assert!(tex.starts_with("\\documentclass[10pt]{article}"));
        assert!(tex.contains("\\resumesection{Experience}"));
        assert!(tex.contains("\\item Reduced cloud spend by 31\\% (\\$2.1M a year)"));
        let Some(pdf) = pdflatex(&tex) else { return };
        let Some(out) = pdftotext(&pdf, false) else { return };
        let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("Northwind Payments"), "{t}: {flat}");
        assert!(flat.contains("2021-04 – Present"), "{t}: dashes typeset as an en dash: {flat}");
    }
}

#[test]
fn docx_has_styles_bullets_and_every_fact() {
    let docx = render(&two_page(), "ats", Format::Docx, None);
    assert!(docx.starts_with(b"PK"), "a zip container");
    let xml = docx_part(&docx, "word/document.xml");
    assert_eq!(xml.matches("<w:pStyle w:val=\"Heading1\" />").count(), 11, "one Heading1 per section");
    assert!(xml.contains("<w:pStyle w:val=\"Title\" />"));
    assert_eq!(xml.matches("<w:numId w:val=\"1\" />").count(), 14 + 2 + 3 + 1, "real bullets");
    assert!(!xml.contains("<w:tbl>"), "no tables");
    let body = docx_text(&docx);
    for needle in [
        "Alex Rivera",
        "Northwind Payments — Staff Platform Engineer",
        "San Francisco, CA | 2021-04 – Present",
        "Reduced cloud spend by 31% ($2.1M a year)",
        "Languages: Rust, Go, Python, C++, SQL, TypeScript",
    ] {
        assert!(body.contains(needle), "{needle} missing from:\n{body}");
    }
    let core = docx_part(&docx, "docProps/core.xml");
    assert!(core.contains("2000-01-01T00:00:00Z"), "fixed dates: {core}");
}

#[test]
fn json_resume_export_is_schema_valid() {
    let schema: serde_json::Value = serde_json::from_str(render::JSON_RESUME_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for r in [two_page(), resume(SAMPLE)] {
        let bytes = render(&r, "classic", Format::Json, None);
        let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path)).collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(doc, render::json_resume(&r));
        // Round trip: the export imports back and exports the same document.
        let back = domain::Profile::import(&doc.to_string()).unwrap().resume;
        assert_eq!(render::json_resume(&back), doc);
    }
}

#[test]
fn page_budget_applies_to_every_format() {
    let r = two_page();
    let md = text(&r, "classic", Format::Md);
    let short = String::from_utf8(render(&r, "classic", Format::Md, Some(1))).unwrap();
    assert!(short.len() < md.len());
    let docx = docx_text(&render(&r, "classic", Format::Docx, Some(1)));
    assert!(!docx.contains("caught 40 regressions"));
}
