//! The DOCX rendering (`docx-rs`): one column of real Word paragraphs with built-in style
//! names (`Title`, `Heading1`, `Heading2`), a real bulleted list, no tables, text boxes or
//! images — what applicant tracking systems parse best. Text goes in as text runs (the
//! writer XML-escapes it). The core properties carry fixed dates, so the bytes are
//! deterministic.

use crate::view::{Entry, View};
use crate::RenderError;
use docx_rs::{
    AbstractNumbering, Docx, IndentLevel, Level, LevelJc, LevelText, LineSpacing, NumberFormat, Numbering, NumberingId,
    Paragraph, Run, RunFonts, SpecialIndentType, Start, Style, StyleType,
};

const FONT: &str = "Calibri";
const BULLETS: usize = 1;

fn styles(doc: Docx) -> Docx {
    let fonts = || RunFonts::new().ascii(FONT).hi_ansi(FONT);
    doc.add_style(Style::new("Normal", StyleType::Paragraph).name("Normal").size(21).fonts(fonts()))
        .add_style(Style::new("Title", StyleType::Paragraph).name("Title").size(40).bold().fonts(fonts()))
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("heading 1")
                .based_on("Normal")
                .size(24)
                .bold()
                .color("1D3557")
                .outline_lvl(0)
                .line_spacing(LineSpacing::new().before(240).after(80)),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("heading 2")
                .based_on("Normal")
                .size(21)
                .bold()
                .outline_lvl(1)
                .line_spacing(LineSpacing::new().before(120).after(0)),
        )
        .add_abstract_numbering(
            AbstractNumbering::new(BULLETS).add_level(
                Level::new(0, Start::new(1), NumberFormat::new("bullet"), LevelText::new("•"), LevelJc::new("left"))
                    .indent(Some(360), Some(SpecialIndentType::Hanging(240)), None, None),
            ),
        )
        .add_numbering(Numbering::new(BULLETS, BULLETS))
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

fn entry(mut doc: Docx, e: &Entry) -> Docx {
    let head = [e.title.as_str(), e.subtitle.as_str()].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>();
    if !head.is_empty() {
        doc = doc.add_paragraph(para(&head.join(" — ")).style("Heading2").keep_next(true));
    }
    let meta = [e.location.as_str(), e.dates.as_str()].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>();
    if !meta.is_empty() {
        doc =
            doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(meta.join(" | ")).italic()).keep_next(true));
    }
    if !e.summary.is_empty() {
        doc = doc.add_paragraph(para(&e.summary));
    }
    for b in &e.bullets {
        doc = doc.add_paragraph(para(b).numbering(NumberingId::new(BULLETS), IndentLevel::new(0)));
    }
    doc
}

/// The view as DOCX bytes.
pub(crate) fn render(v: &View) -> Result<Vec<u8>, RenderError> {
    let mut doc = styles(Docx::new()).created_at("2000-01-01T00:00:00Z").updated_at("2000-01-01T00:00:00Z");
    doc = doc.add_paragraph(para(&v.name).style("Title"));
    if !v.label.is_empty() {
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(&v.label).size(24)));
    }
    if !v.contacts.is_empty() {
        let contacts = v.contacts.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" | ");
        doc = doc.add_paragraph(para(&contacts));
    }
    for s in &v.sections {
        doc = doc.add_paragraph(para(s.title).style("Heading1").keep_next(true));
        if !s.text.is_empty() {
            doc = doc.add_paragraph(para(&s.text));
        }
        for e in &s.entries {
            doc = entry(doc, e);
        }
        for r in &s.rows {
            let mut p = Paragraph::new();
            if !r.label.is_empty() {
                p = p.add_run(Run::new().add_text(format!("{}: ", r.label)).bold());
            }
            doc = doc.add_paragraph(p.add_run(Run::new().add_text(&r.text)));
        }
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut buf).map_err(|e| RenderError::Docx(e.to_string()))?;
    Ok(buf.into_inner())
}
