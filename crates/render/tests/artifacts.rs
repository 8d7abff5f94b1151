//! The artifact store contract, run against every adapter (local files, memory): keys are
//! content addresses of the render input, a hit is served without rendering, identical
//! requests store one file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use render::artifacts::{render_cached, ArtifactKey, ArtifactStore, LocalArtifacts, MemoryArtifacts};
use render::Format;

fn contract(store: &dyn ArtifactStore) {
    let r = two_page();
    let o = opts("modern", Format::Html, None);

    let first = render_cached(renderer(), store, &r, &o).unwrap();
    assert!(!first.cache_hit);
    assert_eq!(first.bytes, render(&r, "modern", Format::Html, None));
    let again = render_cached(renderer(), store, &r, &o).unwrap();
    assert!(again.cache_hit);
    assert_eq!(again.bytes, first.bytes);
    assert_eq!(again.key, first.key);

    // A hit skips rendering entirely: plant different bytes under the key and they come back.
    let pdf = opts("classic", Format::Pdf, Some(2));
    let key = ArtifactKey::of(&r, &pdf).unwrap();
    store.put(&key, b"planted").unwrap();
    let hit = render_cached(renderer(), store, &r, &pdf).unwrap();
    assert!(hit.cache_hit);
    assert_eq!(hit.bytes, b"planted");

    // Storing the same key twice keeps the first document.
    store.put(&key, b"other").unwrap();
    assert_eq!(store.get(&key).unwrap().unwrap(), b"planted");

    // Every input that changes the bytes changes the key.
    let mut edited = r.clone();
    edited.basics.label = Some("Principal Engineer".into());
    let keys = [
        ArtifactKey::of(&r, &o).unwrap(),
        ArtifactKey::of(&edited, &o).unwrap(),
        ArtifactKey::of(&r, &opts("classic", Format::Html, None)).unwrap(),
        ArtifactKey::of(&r, &opts("modern", Format::Md, None)).unwrap(),
        ArtifactKey::of(&r, &opts("modern", Format::Html, Some(1))).unwrap(),
    ];
    for (i, a) in keys.iter().enumerate() {
        assert_eq!(a.sha256.len(), 64);
        for b in &keys[i + 1..] {
            assert_ne!(a.sha256, b.sha256);
        }
    }
    assert_eq!(store.get(&keys[1]).unwrap(), None);
}

#[test]
fn memory_store_contract() {
    let store = MemoryArtifacts::default();
    contract(&store);
    assert_eq!(store.len(), 2, "one document per distinct input");
}

#[test]
fn local_store_contract() {
    let dir = tempfile::tempdir().unwrap();
    let store = LocalArtifacts::new(dir.path());
    contract(&store);
    let key = ArtifactKey::of(&two_page(), &opts("modern", Format::Html, None)).unwrap();
    let path = dir.path().join(&key.sha256[..2]).join(format!("{}.html", key.sha256));
    assert!(path.is_file(), "content-addressed path {}", path.display());
    assert_eq!(store.locate(&key), path.display().to_string());
    let files = walk(dir.path());
    assert_eq!(files, 2, "no temporary files left behind");
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p)
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn object_store_contract() {
    let backend = std::sync::Arc::new(object_store::memory::InMemory::new());
    let store = render::ObjectStoreArtifacts::new(backend, "/resumes/", "memory://bucket/resumes").unwrap();
    contract(&store);
    let key = ArtifactKey::of(&two_page(), &opts("modern", Format::Html, None)).unwrap();
    assert_eq!(store.locate(&key), format!("memory://bucket/resumes/{}", key.path()));
}

#[test]
fn s3_urls_are_parsed() {
    assert!(render::ObjectStoreArtifacts::s3("https://bucket").is_err());
}
