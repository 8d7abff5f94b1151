//! The escaping suite: hostile strings in every field of a resume, rendered to every format
//! with every template. Nothing may be read as Typst, LaTeX, HTML or Markdown markup: the
//! strings come out as literal text (checked through pdftotext for the PDF and LaTeX paths).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use domain::profile::*;
use render::Format;

const HOSTILE: &[&str] = &[
    "#import \"/etc/passwd\": *",
    "#eval(\"1+1\") #{panic()} #set page(width: 1pt)",
    "\\input{/etc/passwd} \\end{document} \\def\\x{y}",
    "<script>alert(1)</script> <img src=x onerror=alert(2)>",
    "]]> <![CDATA[ x ]]> --> <!--",
    "unbalanced ( [ { \" ' ` $ % & _ ^ ~ | @ * = + -",
    "\u{202E}override\u{202C} \u{200F}rtl mark\u{200E} שלום עליכם",
    "emoji 😀 👩‍💻 🇺🇳",
    "CJK 漢字 かな 한국어",
    "*bold* _em_ `code` [link](javascript:alert(1)) ![img](x) <https://x.io>",
    "= Heading\n- list\n1. ordered\n> quote",
    "@label <ref> $x^2$ // comment /* block */",
    "control \u{0007}\u{0000} chars",
];

fn s(i: usize) -> Option<String> {
    Some(HOSTILE[i % HOSTILE.len()].to_string())
}

fn v(i: usize) -> Vec<String> {
    (0..3).map(|k| HOSTILE[(i + k) % HOSTILE.len()].to_string()).collect()
}

/// A resume with a hostile string in every field (URLs and dates included).
fn hostile() -> Resume {
    Resume {
        basics: Basics {
            name: s(0),
            label: s(1),
            image: s(2),
            email: s(3),
            phone: s(4),
            url: Some("javascript:alert(1)".into()),
            summary: s(5),
            location: Some(Location {
                address: s(6),
                postal_code: s(7),
                city: s(8),
                country_code: s(9),
                region: s(10),
            }),
            profiles: vec![SocialProfile { network: s(11), username: s(12), url: s(1) }],
        },
        work: vec![Work {
            name: s(2),
            location: s(3),
            description: s(4),
            position: s(5),
            url: Some("https://x.io/\"><script>".into()),
            start_date: s(6),
            end_date: s(7),
            summary: s(8),
            highlights: v(9),
        }],
        volunteer: vec![Volunteer {
            organization: s(10),
            position: s(11),
            url: s(12),
            start_date: s(0),
            end_date: s(1),
            summary: s(2),
            highlights: v(3),
        }],
        education: vec![Education {
            institution: s(4),
            url: s(5),
            area: s(6),
            study_type: s(7),
            start_date: s(8),
            end_date: s(9),
            score: s(10),
            courses: v(11),
        }],
        awards: vec![Award { title: s(12), date: s(0), awarder: s(1), summary: s(2) }],
        certificates: vec![Certificate { name: s(3), date: s(4), issuer: s(5), url: s(6) }],
        publications: vec![Publication { name: s(7), publisher: s(8), release_date: s(9), url: s(10), summary: s(11) }],
        skills: vec![Skill { name: s(12), level: s(0), keywords: v(1) }],
        languages: vec![Language { language: s(2), fluency: s(3) }],
        interests: vec![Interest { name: s(4), keywords: v(5) }],
        projects: vec![Project {
            name: s(6),
            description: s(7),
            highlights: v(8),
            keywords: v(9),
            start_date: s(10),
            end_date: s(11),
            url: s(12),
        }],
    }
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn pdf_shows_hostile_text_literally() {
    let r = hostile();
    for t in ["classic", "modern", "ats"] {
        // Compiling at all proves `#import "/etc/passwd"` was not evaluated: the world denies
        // every file but the template's own.
        let pdf = render(&r, t, Format::Pdf, None);
        let Some(text) = pdftotext(&pdf, false) else { return };
        let text = flat(&text);
        for needle in [
            "#import \"/etc/passwd\": *",
            "#eval(\"1+1\") #{panic()}",
            "\\input{/etc/passwd}",
            "<script>alert(1)</script>",
            "$x^2$",
        ] {
            assert!(text.contains(needle), "{t}: {needle:?} not shown literally in:\n{text}");
        }
    }
}

#[test]
fn ten_kilobyte_words_and_huge_fields_do_not_break_rendering() {
    let word = "W".repeat(10 * 1024);
    let mut r = hostile();
    r.basics.summary = Some(word.clone());
    r.work[0].highlights.push(word.clone());
    r.skills[0].keywords.push(word);
    for t in ["classic", "modern", "ats"] {
        let pdf = render(&r, t, Format::Pdf, None);
        assert!(pdf.starts_with(b"%PDF-"), "{t}");
    }
    for f in [Format::Html, Format::Md, Format::Tex, Format::Docx, Format::Json] {
        assert!(!render(&r, "classic", f, None).is_empty());
    }
}

#[test]
fn html_has_only_its_own_tags() {
    let r = hostile();
    let allowed = [
        "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "h1", "p", "ul", "li", "a", "main",
        "section", "h2", "article", "div", "h3", "span", "dl", "dt", "dd",
    ];
    for t in ["classic", "modern", "ats"] {
        let page = String::from_utf8(render(&r, t, Format::Html, None)).unwrap();
        for tag in page.split('<').skip(1) {
            let name: String =
                tag.trim_start_matches('/').chars().take_while(|c| c.is_alphanumeric() || *c == '!').collect();
            let name = if name == "!DOCTYPE" { name } else { name.to_lowercase() };
            assert!(allowed.contains(&name.as_str()), "{t}: unexpected tag <{name}> in {tag:.40}");
        }
        assert!(!page.contains("href=\"javascript"), "{t}");
        assert!(!page.contains("<script"), "{t}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!page.contains('\u{0007}'), "control characters dropped");
    }
}

#[test]
fn markdown_structure_survives_hostile_text() {
    let md = String::from_utf8(render(&hostile(), "classic", Format::Md, None)).unwrap();
    for special in ['<', '[', ']', '`', '_'] {
        let raw = md.match_indices(special).find(|(i, _)| !md[..*i].ends_with('\\'));
        assert!(raw.is_none(), "unescaped {special:?} in:\n{md}");
    }
    assert!(md.contains("\\<script\\>alert\\(1\\)\\</script\\>"));
    // Only our own lines start a block: the name, section and entry headings, bullets,
    // italic meta lines, the bold label.
    let headings = md.lines().filter(|l| l.starts_with('#')).count();
    assert_eq!(headings, 1 + 11 + 7, "{md}");
    for line in md.lines().filter(|l| !l.is_empty()) {
        let ok = ["# ", "## ", "### ", "- ", "*", "\\"].iter().any(|p| line.starts_with(p))
            || line.chars().next().is_some_and(|c| !"#>=+-0123456789`<[|".contains(c));
        assert!(ok, "a hostile string starts a block: {line:?}");
    }
}

#[test]
fn latex_compiles_and_shows_hostile_text_literally() {
    for t in ["classic", "ats"] {
        let tex = String::from_utf8(render(&hostile(), t, Format::Tex, None)).unwrap();
        assert!(!tex.contains("\\input{"), "{tex}");
        let Some(pdf) = pdflatex(&tex) else { return };
        let Some(text) = pdftotext(&pdf, false) else { return };
        let text = flat(&text);
        assert!(text.contains("input{/etc/passwd}"), "{t}: {text}");
        assert!(text.contains("end{document}"), "{t}: {text}");
        assert!(!text.contains("root:x:0:0"), "{t}: /etc/passwd was read");
    }
}

#[test]
fn docx_escapes_xml() {
    let docx = render(&hostile(), "classic", Format::Docx, None);
    let xml = docx_part(&docx, "word/document.xml");
    assert!(!xml.contains("<script") && !xml.contains("<![CDATA["), "raw markup in document.xml");
    assert!(xml.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!xml.contains('\u{0007}') && !xml.contains('\u{0000}'), "control characters are invalid XML");
}

#[test]
fn json_export_keeps_every_string_exactly() {
    let r = hostile();
    let bytes = render(&r, "classic", Format::Json, None);
    let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(doc["basics"]["name"], HOSTILE[0]);
    assert_eq!(doc["work"][0]["highlights"][0], HOSTILE[9]);
}

#[test]
fn latex_brackets_after_item_and_line_break_are_text() {
    let mut r = resume(SAMPLE);
    r.work[0].highlights[0] = "[x] shipped the encoder".into();
    // In the ATS template the location opens the line after the entry head's `\\`.
    r.work[0].location = Some("[Remote] Palo Alto".into());
    r.basics.label = Some("[2pt] Programmer".into());
    for t in ["classic", "ats"] {
        let tex = String::from_utf8(render(&r, t, Format::Tex, None)).unwrap();
        assert!(tex.contains("\\item {[}x{]} shipped the encoder\n"), "{t}: {tex}");
        assert!(!tex.contains("\\item ["), "{t}: a bullet starts with a bare `[`");
        // After any `\\` (and the spaces LaTeX skips), a bare `[` may only be the template's own
        // spacing argument.
        for (at, _) in tex.match_indices("\\\\") {
            let rest = tex[at + 2..].trim_start();
            assert!(
                !rest.starts_with('[') || rest.starts_with("[4pt]") || rest.starts_with("[2pt]"),
                "{t}: `\\\\` followed by {:?}",
                &rest[..rest.len().min(30)]
            );
        }
        assert!(tex.contains("{[}2pt{]} Programmer"), "{t}");
        if t == "ats" {
            assert!(tex.contains("\\\\\n{[}Remote{]} Palo Alto"), "{tex}");
        }
        let Some(pdf) = pdflatex(&tex) else { continue };
        let Some(text) = pdftotext(&pdf, false) else { continue };
        let text = flat(&text);
        for needle in ["[x] shipped the encoder", "[Remote] Palo Alto", "[2pt] Programmer"] {
            assert!(text.contains(needle), "{t}: {needle:?} not shown literally in:\n{text}");
        }
    }
}
