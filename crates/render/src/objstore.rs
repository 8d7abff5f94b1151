//! The S3-compatible artifact adapter: [`ObjectStoreArtifacts`] puts the same
//! content-addressed paths as [`LocalArtifacts`](crate::artifacts::LocalArtifacts) into any
//! `object_store` backend — Amazon S3, or MinIO, Ceph, R2 and other S3-compatible services
//! through `AWS_ENDPOINT` — under an optional prefix.
//!
//! [`ArtifactStore`] is synchronous (rendering is CPU work on the caller's thread), and
//! `object_store` is async, so the adapter owns a small current-thread Tokio runtime and
//! drives each call on a scoped helper thread; it can therefore be called from inside or
//! outside another runtime.

use crate::artifacts::{ArtifactKey, ArtifactStore};
use crate::RenderError;
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload};
use std::future::Future;
use std::sync::Arc;

/// Artifacts in an `object_store` backend.
pub struct ObjectStoreArtifacts {
    store: Arc<dyn ObjectStore>,
    prefix: String,
    url: String,
    runtime: tokio::runtime::Runtime,
}

fn err(e: impl std::fmt::Display) -> RenderError {
    RenderError::Store(e.to_string())
}

impl ObjectStoreArtifacts {
    /// Wraps any backend; `url` is only used in messages (e.g. `s3://bucket/prefix`).
    pub fn new(store: Arc<dyn ObjectStore>, prefix: &str, url: &str) -> Result<Self, RenderError> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(err)?;
        Ok(Self {
            store,
            prefix: prefix.trim_matches('/').to_string(),
            url: url.trim_end_matches('/').to_string(),
            runtime,
        })
    }

    /// `s3://bucket[/prefix]`, with credentials, region and endpoint from the usual
    /// `AWS_*` environment variables (`AWS_ENDPOINT` and `AWS_ALLOW_HTTP` for
    /// S3-compatible services).
    pub fn s3(url: &str) -> Result<Self, RenderError> {
        let rest = url.strip_prefix("s3://").ok_or_else(|| err(format!("not an s3:// URL: {url}")))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let store = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket).build().map_err(err)?;
        Self::new(Arc::new(store), prefix, url)
    }

    fn path(&self, key: &ArtifactKey) -> Path {
        if self.prefix.is_empty() {
            Path::from(key.path())
        } else {
            Path::from(format!("{}/{}", self.prefix, key.path()))
        }
    }

    fn block<T: Send>(&self, fut: impl Future<Output = T> + Send) -> Result<T, RenderError> {
        std::thread::scope(|s| s.spawn(|| self.runtime.block_on(fut)).join())
            .map_err(|_| err("object store call panicked"))
    }
}

impl ArtifactStore for ObjectStoreArtifacts {
    fn get(&self, key: &ArtifactKey) -> Result<Option<Vec<u8>>, RenderError> {
        let path = self.path(key);
        self.block(async {
            match self.store.get(&path).await {
                Ok(r) => r.bytes().await.map(|b| Some(b.to_vec())).map_err(err),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(err(e)),
            }
        })?
    }

    fn put(&self, key: &ArtifactKey, bytes: &[u8]) -> Result<(), RenderError> {
        let path = self.path(key);
        let payload = PutPayload::from(bytes.to_vec());
        self.block(async {
            // Content-addressed: an existing object already holds these bytes.
            match self.store.head(&path).await {
                Ok(_) => Ok(()),
                Err(object_store::Error::NotFound { .. }) => {
                    self.store.put(&path, payload).await.map(|_| ()).map_err(err)
                }
                Err(e) => Err(err(e)),
            }
        })?
    }

    fn locate(&self, key: &ArtifactKey) -> String {
        format!("{}/{}", self.url, key.path())
    }
}
