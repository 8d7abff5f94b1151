//! Helpers shared by the render integration tests: fixtures, one shared renderer, and the
//! external tools (`pdftotext`, `pdfinfo`, `pdflatex`), which are skipped with a note when
//! missing locally (CI installs them).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use domain::profile::Resume;
use render::{Format, RenderOptions, Renderer};
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

pub const TWO_PAGE: &str = include_str!("../../data/two_page.resume.json");
pub const SAMPLE: &str = include_str!("../fixtures/sample.resume.json");

pub fn resume(json: &str) -> Resume {
    domain::Profile::import(json).unwrap().resume
}

pub fn two_page() -> Resume {
    resume(TWO_PAGE)
}

pub fn renderer() -> &'static Renderer {
    static R: OnceLock<Renderer> = OnceLock::new();
    R.get_or_init(|| Renderer::new().unwrap())
}

pub fn opts(template: &str, format: Format, pages: Option<u8>) -> RenderOptions {
    RenderOptions { template: template.into(), format, pages }
}

pub fn render(r: &Resume, template: &str, format: Format, pages: Option<u8>) -> Vec<u8> {
    renderer().render(r, &opts(template, format, pages)).unwrap()
}

pub fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("-v").output().is_ok();
    if !ok {
        eprintln!("note: `{tool}` is not installed; this check is skipped (CI installs it)");
    }
    ok
}

/// `pdftotext [-layout] file -`, or `None` when the tool is missing.
pub fn pdftotext(pdf: &[u8], layout: bool) -> Option<String> {
    if !have("pdftotext") {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut cmd = Command::new("pdftotext");
    if layout {
        cmd.arg("-layout");
    }
    let out = cmd.arg("-enc").arg("UTF-8").arg(&path).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8(out.stdout).unwrap())
}

/// `pdfinfo file` as text, or `None` when the tool is missing.
pub fn pdfinfo(pdf: &[u8]) -> Option<String> {
    if !have("pdfinfo") {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdfinfo").arg("-enc").arg("UTF-8").arg(&path).output().unwrap();
    Some(String::from_utf8(out.stdout).unwrap())
}

/// The page count pdfinfo reports.
pub fn pages(info: &str) -> usize {
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

/// Compiles LaTeX source with `pdflatex` in a scratch directory; `None` when it is missing.
pub fn pdflatex(tex: &str) -> Option<Vec<u8>> {
    if !have("pdflatex") {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.tex"), tex).unwrap();
    let out = Command::new("pdflatex")
        .args(["-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "r.tex"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "pdflatex failed:\n{}\n--- source ---\n{tex}", String::from_utf8_lossy(&out.stdout));
    Some(std::fs::read(dir.path().join("r.pdf")).unwrap())
}

/// The text of `word/document.xml` inside a DOCX (tags stripped, paragraphs on lines).
pub fn docx_text(docx: &[u8]) -> String {
    let xml = docx_part(docx, "word/document.xml");
    let mut out = String::new();
    let mut in_tag = false;
    let mut tag = String::new();
    for c in xml.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' => {
                in_tag = false;
                if tag == "/w:p" {
                    out.push('\n');
                }
            }
            c if in_tag => tag.push(c),
            c => out.push(c),
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// One part of a DOCX (a zip) as text.
pub fn docx_part(docx: &[u8], part: &str) -> String {
    use std::io::Read as _;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut file = zip.by_name(part).unwrap();
    let mut s = String::new();
    file.read_to_string(&mut s).unwrap();
    s
}

pub fn write_tmp(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}
