//! Bearer API keys. Keys are random, shown once by `applyflow user create`, and stored only as
//! SHA-256 hashes.

use super::error::{ApiError, ErrorCode};
use super::ApiState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The authenticated user of a request.
#[derive(Debug, Clone)]
pub struct AuthUser(pub store::User);

/// A new API key (`af_` + 32 random bytes, hex).
pub fn new_api_key() -> String {
    let mut bytes = [0u8; 32];
    // A secret: straight from the operating system, not a clock-driven test RNG.
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("af_{}", hex::encode(bytes))
}

/// What the store keeps of a key.
pub fn hash_api_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

impl FromRequestParts<ApiState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, Self::Rejection> {
        let header =
            parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).ok_or_else(|| {
                ApiError::new(ErrorCode::Unauthorized, "missing `Authorization: Bearer <api key>` header")
            })?;
        let key = header
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "expected `Authorization: Bearer <api key>`"))?;
        match state.store.user_by_api_key_hash(&hash_api_key(key)).await? {
            Some(user) => Ok(Self(user)),
            None => Err(ApiError::new(ErrorCode::Unauthorized, "unknown API key")),
        }
    }
}
