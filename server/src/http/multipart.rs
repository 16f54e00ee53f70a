//! Reading a multipart upload form (profile photos, course files and images): one file
//! field, read chunk by chunk and never more than a limit of it kept, and a few small text
//! fields. A file over the limit is read to its end and dropped, so the browser gets the
//! route's translated answer instead of a cut connection; the route's body limit
//! ([`body_limit`]) cuts off only what is far larger.
use axum::{
    extract::{
        Multipart,
        multipart::{MultipartError, MultipartRejection},
    },
    http::StatusCode,
};
use std::collections::BTreeMap;
use tower_http::limit::RequestBodyLimitLayer;

/// Room for the multipart boundaries, headers and the small fields around the file.
const MULTIPART_OVERHEAD: u64 = 64 * 1024;

/// The body limit of an upload route whose file may have `max_file_bytes`: twice that (a
/// too-large file is still read to its end) and room for the rest of the form. The route
/// also needs `DefaultBodyLimit::disable()`, since axum's own limit is lower.
pub fn body_limit(max_file_bytes: u64) -> RequestBodyLimitLayer {
    let cap = max_file_bytes
        .saturating_mul(2)
        .saturating_add(MULTIPART_OVERHEAD);
    RequestBodyLimitLayer::new(usize::try_from(cap).unwrap_or(usize::MAX))
}

/// Why there is no file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Not a multipart form, no file field, or an empty file.
    Missing,
    /// Over the limit (the route's or the body's).
    TooLarge,
    /// The form could not be read to its end.
    Broken,
}

/// A file as uploaded: its bytes (never empty) and the name it had on the uploader's
/// computer (empty if the form gave none).
pub struct File {
    pub bytes: Vec<u8>,
    pub name: String,
}

/// What an upload form sent.
pub struct Form {
    pub file: Result<File, Problem>,
    /// The text fields asked for that came before the form ended (or broke off), each
    /// with its last value.
    texts: BTreeMap<&'static str, String>,
}

impl Form {
    pub fn text(&self, name: &str) -> Option<&str> {
        self.texts.get(name).map(String::as_str)
    }
}

/// Reads the form: the first `file_field` (at most `max` bytes of it) and the text fields
/// named in `text_fields`; every other field is skipped.
pub async fn read(
    multipart: Result<Multipart, MultipartRejection>,
    file_field: &str,
    max: u64,
    text_fields: &[&'static str],
) -> Form {
    let mut texts = BTreeMap::new();
    let file = match multipart {
        Ok(mut multipart) => read_fields(&mut multipart, file_field, max, text_fields, &mut texts).await,
        Err(_) => Err(Problem::Missing),
    };
    Form { file, texts }
}

async fn read_fields(
    multipart: &mut Multipart,
    file_field: &str,
    max: u64,
    text_fields: &[&'static str],
    texts: &mut BTreeMap<&'static str, String>,
) -> Result<File, Problem> {
    let broken = |e: MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::TooLarge
        } else {
            Problem::Broken
        }
    };
    let mut file: Option<File> = None;
    let mut too_large = false;
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name();
        if let Some(text) = text_fields.iter().copied().find(|t| name == Some(*t)) {
            texts.insert(text, field.text().await.map_err(broken)?);
            continue;
        }
        if name != Some(file_field) || file.is_some() || too_large {
            continue; // the next `next_field` skips what is left of this one
        }
        let file_name = field.file_name().unwrap_or_default().to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(broken)? {
            if too_large {
                continue; // read to the end and drop, so the answer reaches the browser
            }
            if (bytes.len() + chunk.len()) as u64 > max {
                too_large = true;
                bytes = Vec::new();
                continue;
            }
            bytes.extend_from_slice(&chunk);
        }
        if !too_large {
            file = Some(File {
                bytes,
                name: file_name,
            });
        }
    }
    if too_large {
        return Err(Problem::TooLarge);
    }
    file.filter(|f| !f.bytes.is_empty()).ok_or(Problem::Missing)
}
