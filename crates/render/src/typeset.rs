//! The PDF path: Typst embedded as a library. [`Typesetter`] is built once and holds
//! everything that does not depend on the resume — the standard library, the parsed fonts and
//! their `FontBook`, the parsed template sources — and each render makes a tiny [`RenderWorld`]
//! that borrows it and adds one virtual file, `/resume.json`, holding the view model.
//!
//! Templates read that file with `json("/resume.json")` and place its strings as text, so
//! resume text is data, never Typst markup: nothing in it can `#import`, `#eval` or style.
//! The world has no file system, no packages, no system fonts and a fixed date, so the same
//! input always produces the same bytes.

use crate::view::View;
use crate::RenderError;
use std::collections::HashMap;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

/// The templates' Typst sources, by name, plus the shared helpers they import.
pub(crate) const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "classic",
        "Serif (Libertinus), centered header, small-caps-free bold section rules, dates right-aligned",
        include_str!("../templates/classic.typ"),
    ),
    (
        "modern",
        "Sans (DejaVu Sans Condensed), accent colour, dates in a left column, row-by-row text",
        include_str!("../templates/modern.typ"),
    ),
    (
        "ats",
        "Strictly ATS-safe: one column, no tables or graphics, plain headings, dates inline",
        include_str!("../templates/ats.typ"),
    ),
];

const DATA_PATH: &str = "/resume.json";

/// Fonts shipped in the binary: Libertinus Serif and New Computer Modern from `typst-assets`,
/// DejaVu Sans Condensed from `fonts/` (Bitstream Vera licence, see `fonts/LICENSE-DejaVu.txt`).
fn font_data() -> Vec<&'static [u8]> {
    let mut out: Vec<&'static [u8]> = typst_assets::fonts()
        .filter(|data| {
            // Only the text faces the templates use; the math and mono faces are skipped.
            Font::iter(Bytes::new(*data)).any(|f| {
                let family = f.info().family.as_str();
                family == "Libertinus Serif" || family == "New Computer Modern"
            })
        })
        .collect();
    out.extend([
        include_bytes!("../fonts/DejaVuSansCondensed.ttf").as_slice(),
        include_bytes!("../fonts/DejaVuSansCondensed-Bold.ttf").as_slice(),
        include_bytes!("../fonts/DejaVuSansCondensed-Oblique.ttf").as_slice(),
        include_bytes!("../fonts/DejaVuSansCondensed-BoldOblique.ttf").as_slice(),
    ]);
    out
}

fn file_id(path: &str) -> Result<FileId, RenderError> {
    let vpath = VirtualPath::new(path).map_err(|e| RenderError::Typst(format!("bad path {path}: {e}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// State shared by every render: built once, read-only afterwards (`Send + Sync`).
pub(crate) struct Typesetter {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    sources: HashMap<FileId, Source>,
    mains: HashMap<&'static str, FileId>,
    data_id: FileId,
}

impl Typesetter {
    pub(crate) fn new() -> Result<Self, RenderError> {
        let fonts: Vec<Font> = font_data().into_iter().flat_map(|d| Font::iter(Bytes::new(d))).collect();
        let book = FontBook::from_fonts(&fonts);
        let mut sources = HashMap::new();
        let mut mains = HashMap::new();
        for (name, _, text) in TEMPLATES {
            let id = file_id(&format!("/{name}.typ"))?;
            sources.insert(id, Source::new(id, (*text).to_string()));
            mains.insert(*name, id);
        }
        let lib_id = file_id("/lib.typ")?;
        sources.insert(lib_id, Source::new(lib_id, include_str!("../templates/lib.typ").to_string()));
        Ok(Self {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(book),
            fonts,
            sources,
            mains,
            data_id: file_id(DATA_PATH)?,
        })
    }

    /// The font families available to templates.
    pub(crate) fn families(&self) -> Vec<String> {
        let mut f: Vec<String> = self.book.families().map(|(name, _)| name.to_string()).collect();
        f.dedup();
        f
    }

    /// Lays out `view` with `template` at spacing `density` (0 = roomy .. 2 = tight).
    pub(crate) fn layout(&self, template: &str, view: &View, density: u8) -> Result<PagedDocument, RenderError> {
        let main = *self.mains.get(template).ok_or_else(|| RenderError::UnknownTemplate(template.to_string()))?;
        let data = serde_json::json!({
            "view": view,
            "title": view.title(),
            "density": density,
        });
        let bytes = serde_json::to_vec(&data).map_err(|e| RenderError::Typst(e.to_string()))?;
        let world = RenderWorld { shared: self, main, data: Bytes::new(bytes) };
        let result = typst::compile::<PagedDocument>(&world).output;
        result.map_err(|errors| RenderError::Typst(describe(&errors)))
    }

    /// The PDF bytes of a laid-out document: fixed creator and identifier, no timestamp.
    pub(crate) fn pdf(&self, doc: &PagedDocument) -> Result<Vec<u8>, RenderError> {
        let options = typst_pdf::PdfOptions {
            ident: Smart::Custom("applyflow-resume".into()),
            creator: Smart::Custom(Some("Applyflow (Typst)".into())),
            timestamp: None,
            ..typst_pdf::PdfOptions::default()
        };
        typst_pdf::pdf(doc, &options).map_err(|errors| RenderError::Typst(describe(&errors)))
    }
}

fn describe(errors: &[SourceDiagnostic]) -> String {
    errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ")
}

/// One render's world: the shared state plus this resume's data file.
struct RenderWorld<'a> {
    shared: &'a Typesetter,
    main: FileId,
    data: Bytes,
}

impl World for RenderWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        match self.shared.sources.get(&id) {
            Some(source) => Ok(source.clone()),
            None if id == self.shared.data_id => Err(FileError::NotSource),
            None => Err(FileError::AccessDenied),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.shared.data_id {
            return Ok(self.data.clone());
        }
        match self.shared.sources.get(&id) {
            Some(source) => Ok(Bytes::from_string(source.clone())),
            None => Err(FileError::AccessDenied),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // Fixed, so output never depends on the clock; templates do not print it.
        Datetime::from_ymd(2000, 1, 1)
    }
}
