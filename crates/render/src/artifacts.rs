//! The artifact store: rendered files, content-addressed by the SHA-256 of everything that
//! decides their bytes — the resume (as canonical JSON), the template, the format, the page
//! budget and the renderer version ([`RENDER_VERSION`]: crate version plus a hash of the
//! template sources). Identical requests map to one key, so a document is rendered once and
//! stored once, and [`render_cached`] skips rendering entirely on a hit.
//!
//! **API boundary:** [`ArtifactStore`] is the port. [`LocalArtifacts`] (files under a root
//! directory, written atomically) is the default adapter and [`MemoryArtifacts`] the
//! in-memory one; both pass the same contract tests. An S3-compatible adapter would be
//! another implementation of the trait (see the crate's ARCHITECTURE.md).

use crate::{Format, RenderError, RenderOptions, Renderer};
use domain::profile::Resume;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};

/// Changes whenever the code or a template could render the same input differently.
pub static RENDER_VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut h = Sha256::new();
    for (name, _, source) in crate::typeset::TEMPLATES {
        h.update(name.as_bytes());
        h.update(source.as_bytes());
    }
    h.update(include_str!("../templates/lib.typ").as_bytes());
    format!("{}+{}", env!("CARGO_PKG_VERSION"), &hex::encode(h.finalize())[..12])
});

/// The address of one rendered document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ArtifactKey {
    /// Hex SHA-256 of the render input.
    pub sha256: String,
    pub format: Format,
}

impl ArtifactKey {
    /// The key of `resume` rendered with `opts`.
    pub fn of(resume: &Resume, opts: &RenderOptions) -> Result<Self, RenderError> {
        let resume_json = serde_json::to_vec(resume).map_err(|e| RenderError::Store(e.to_string()))?;
        let mut h = Sha256::new();
        for part in [
            RENDER_VERSION.as_bytes(),
            opts.template.as_bytes(),
            opts.format.as_str().as_bytes(),
            &[opts.pages.unwrap_or(0)],
            &resume_json,
        ] {
            // Length-prefixed, so no two different inputs concatenate to the same bytes.
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
        Ok(Self { sha256: hex::encode(h.finalize()), format: opts.format })
    }

    /// `ab/abcdef....pdf`: a two-character fan-out directory, then the full hash.
    pub fn path(&self) -> String {
        format!("{}/{}.{}", &self.sha256[..2], self.sha256, self.format.as_str())
    }
}

/// Where rendered documents live.
pub trait ArtifactStore: Send + Sync {
    /// The stored bytes, or `None` when the key was never stored.
    fn get(&self, key: &ArtifactKey) -> Result<Option<Vec<u8>>, RenderError>;
    /// Stores `bytes` under `key` (idempotent: storing the same key again is harmless).
    fn put(&self, key: &ArtifactKey, bytes: &[u8]) -> Result<(), RenderError>;
    /// Where the artifact can be found (a file path or URL), for messages.
    fn locate(&self, key: &ArtifactKey) -> String;
}

/// Files under a root directory: `<root>/<ab>/<sha256>.<format>`.
#[derive(Debug, Clone)]
pub struct LocalArtifacts {
    root: PathBuf,
}

impl LocalArtifacts {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

fn io(e: std::io::Error) -> RenderError {
    RenderError::Store(e.to_string())
}

impl ArtifactStore for LocalArtifacts {
    fn get(&self, key: &ArtifactKey) -> Result<Option<Vec<u8>>, RenderError> {
        match std::fs::read(self.root.join(key.path())) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(e)),
        }
    }

    fn put(&self, key: &ArtifactKey, bytes: &[u8]) -> Result<(), RenderError> {
        let path = self.root.join(key.path());
        if path.exists() {
            return Ok(());
        }
        let dir = path.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(dir).map_err(io)?;
        // Write then rename: readers never see a half-written file.
        let tmp = dir.join(format!(".{}.{}.tmp", key.sha256, std::process::id()));
        std::fs::write(&tmp, bytes).map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)
    }

    fn locate(&self, key: &ArtifactKey) -> String {
        self.root.join(key.path()).display().to_string()
    }
}

/// In memory (tests, benchmarks, short-lived processes).
#[derive(Debug, Default)]
pub struct MemoryArtifacts {
    files: Mutex<HashMap<ArtifactKey, Vec<u8>>>,
}

impl MemoryArtifacts {
    /// How many documents are stored.
    pub fn len(&self) -> usize {
        self.files.lock().map(|f| f.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl ArtifactStore for MemoryArtifacts {
    fn get(&self, key: &ArtifactKey) -> Result<Option<Vec<u8>>, RenderError> {
        let files = self.files.lock().map_err(|_| RenderError::Store("poisoned lock".into()))?;
        Ok(files.get(key).cloned())
    }

    fn put(&self, key: &ArtifactKey, bytes: &[u8]) -> Result<(), RenderError> {
        let mut files = self.files.lock().map_err(|_| RenderError::Store("poisoned lock".into()))?;
        files.entry(key.clone()).or_insert_with(|| bytes.to_vec());
        Ok(())
    }

    fn locate(&self, key: &ArtifactKey) -> String {
        format!("memory:{}", key.path())
    }
}

/// A document from the store or freshly rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub key: ArtifactKey,
    pub bytes: Vec<u8>,
    /// `true` when the store already had it and nothing was rendered.
    pub cache_hit: bool,
}

/// Returns the stored document for this input, rendering and storing it only on a miss.
pub fn render_cached(
    renderer: &Renderer,
    store: &dyn ArtifactStore,
    resume: &Resume,
    opts: &RenderOptions,
) -> Result<Rendered, RenderError> {
    let key = ArtifactKey::of(resume, opts)?;
    if let Some(bytes) = store.get(&key)? {
        return Ok(Rendered { key, bytes, cache_hit: true });
    }
    let bytes = renderer.render(resume, opts)?;
    store.put(&key, &bytes)?;
    Ok(Rendered { key, bytes, cache_hit: false })
}
