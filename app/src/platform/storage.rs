//! Uploaded files, behind one `object_store` handle: a directory under the data dir by
//! default (`LocalFileSystem`), or an S3 bucket (AWS S3 or any S3-compatible store) when an
//! object store URL `s3://BUCKET` is configured. Keys are `/`-separated paths such as
//! `photos/42/<random>.jpg`; the caller names them, this module only moves bytes.
use bytes::Bytes;
use futures::{Stream, StreamExt, TryStreamExt, stream::BoxStream};
use object_store::{
    ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart, aws::AmazonS3Builder, local::LocalFileSystem,
    path::Path as Key,
};
use std::{path::Path, sync::Arc};

/// How to reach an S3 bucket. Unset fields come from the standard AWS environment
/// variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT`, …).
#[derive(Clone, Debug, Default)]
pub struct S3Options {
    /// A custom endpoint (MinIO, Ceph, Garage, a test server); requests then use path-style
    /// URLs (`ENDPOINT/BUCKET/KEY`).
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    /// Allow a plain-http endpoint (test servers on 127.0.0.1 only).
    pub allow_http: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("unsupported object store URL {0:?} (use s3://BUCKET or file:///ABSOLUTE/PATH)")]
    Unsupported(String),
    #[error("object storage directory {path}: {source}")]
    Dir { path: String, source: std::io::Error },
    #[error("object storage: {0}")]
    Store(#[from] object_store::Error),
}

/// The object store of the running platform. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// For logs: `local:/path` or `s3://bucket` (never credentials).
    description: String,
}

/// An object being read: its size and its bytes as a stream.
pub struct Object {
    pub size: u64,
    pub stream: BoxStream<'static, Result<Bytes, StorageError>>,
}

/// Parts of a streamed upload (`put_stream`) are this large; S3 requires at least 5 MiB for
/// every part but the last.
pub const PART_SIZE: usize = 5 * 1024 * 1024;

impl Storage {
    /// Files under `dir`, which is created if missing. Writes go to a temporary file first and
    /// are renamed into place, so a reader never sees half an object.
    pub fn local(dir: &Path) -> Result<Storage, StorageError> {
        std::fs::create_dir_all(dir).map_err(|source| StorageError::Dir {
            path: dir.display().to_string(),
            source,
        })?;
        let store = LocalFileSystem::new_with_prefix(dir)?
            .with_automatic_cleanup(true)
            .with_fsync(true);
        Ok(Storage {
            store: Arc::new(store),
            description: format!("local:{}", dir.display()),
        })
    }

    /// The bucket of an `s3://BUCKET` URL.
    pub fn s3(url: &str, options: &S3Options) -> Result<Storage, StorageError> {
        let bucket = url
            .strip_prefix("s3://")
            .map(|b| b.trim_end_matches('/'))
            .filter(|b| !b.is_empty() && !b.contains('/'))
            .ok_or_else(|| StorageError::Unsupported(url.to_string()))?;
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        if let Some(endpoint) = &options.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_virtual_hosted_style_request(false);
        }
        if let Some(region) = &options.region {
            builder = builder.with_region(region);
        }
        if let Some(key) = &options.access_key_id {
            builder = builder.with_access_key_id(key);
        }
        if let Some(secret) = &options.secret_access_key {
            builder = builder.with_secret_access_key(secret);
        }
        if options.allow_http {
            builder = builder.with_allow_http(true);
        }
        Ok(Storage {
            store: Arc::new(builder.build()?),
            description: format!("s3://{bucket}"),
        })
    }

    /// The store an object store URL names: `s3://BUCKET`, `file:///PATH`, or (no URL) the
    /// `objects` directory under the data directory.
    pub fn open(url: Option<&str>, data_dir: &Path, s3: &S3Options) -> Result<Storage, StorageError> {
        match url.map(str::trim).filter(|u| !u.is_empty()) {
            None => Storage::local(&data_dir.join("objects")),
            Some(u) if u.starts_with("s3://") => Storage::s3(u, s3),
            Some(u) => match u.strip_prefix("file://") {
                Some(path) if path.starts_with('/') => Storage::local(Path::new(path)),
                _ => Err(StorageError::Unsupported(u.to_string())),
            },
        }
    }

    pub fn description(&self) -> &str {
        &self.description
    }

    fn key(key: &str) -> Result<Key, StorageError> {
        Ok(Key::parse(key).map_err(object_store::Error::from)?)
    }

    /// Stores a small object in one request.
    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), StorageError> {
        self.store.put(&Self::key(key)?, PutPayload::from(bytes)).await?;
        Ok(())
    }

    /// Stores an object of any size from a stream of chunks, as a multipart upload in parts of
    /// [`PART_SIZE`], without holding more than a part or two in memory. If the stream fails
    /// the upload is aborted and nothing is stored. Returns the number of bytes stored.
    pub async fn put_stream<S, E>(&self, key: &str, mut chunks: S) -> Result<u64, StorageError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: Into<StorageError>,
    {
        let upload = self.store.put_multipart(&Self::key(key)?).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_SIZE);
        let mut size = 0u64;
        while let Some(chunk) = chunks.next().await {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    let _ = writer.abort().await;
                    return Err(e.into());
                }
            };
            // At most two parts in flight: memory stays bounded whatever the object's size.
            if let Err(e) = writer.wait_for_capacity(2).await {
                let _ = writer.abort().await;
                return Err(e.into());
            }
            size += chunk.len() as u64;
            writer.put(chunk);
        }
        writer.finish().await?;
        Ok(size)
    }

    /// Reads an object as a stream; `None` if there is no such object.
    pub async fn get(&self, key: &str) -> Result<Option<Object>, StorageError> {
        match self.store.get(&Self::key(key)?).await {
            Ok(result) => Ok(Some(Object {
                size: result.meta.size,
                stream: result.into_stream().map_err(StorageError::from).boxed(),
            })),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Reads a whole object into memory (small objects only).
    pub async fn get_bytes(&self, key: &str) -> Result<Option<Bytes>, StorageError> {
        match self.store.get(&Self::key(key)?).await {
            Ok(result) => Ok(Some(result.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn exists(&self, key: &str) -> Result<bool, StorageError> {
        match self.store.head(&Self::key(key)?).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes an object. Deleting one that is not there is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&Self::key(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Every key under a prefix (tests and maintenance; not for request paths).
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        let prefix = Self::key(prefix)?;
        let mut keys: Vec<String> = self
            .store
            .list(Some(&prefix))
            .map_ok(|meta| meta.location.to_string())
            .try_collect()
            .await?;
        keys.sort();
        Ok(keys)
    }
}

impl From<std::io::Error> for StorageError {
    fn from(e: std::io::Error) -> Self {
        StorageError::Store(object_store::Error::Generic {
            store: "stream",
            source: Box::new(e),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend() {
        let dir = std::env::temp_dir().join(format!("agora-storage-{:x}", rand::random::<u64>()));
        let s = Storage::open(None, &dir, &S3Options::default()).unwrap();
        assert_eq!(
            s.description(),
            format!("local:{}", dir.join("objects").display())
        );
        assert!(dir.join("objects").is_dir());
        let s3 = S3Options {
            endpoint: Some("http://127.0.0.1:9".into()),
            region: Some("us-east-1".into()),
            access_key_id: Some("k".into()),
            secret_access_key: Some("s".into()),
            allow_http: true,
        };
        assert_eq!(
            Storage::open(Some("s3://agora-photos"), &dir, &s3)
                .unwrap()
                .description(),
            "s3://agora-photos"
        );
        for bad in ["s3://", "s3://a/b", "gs://bucket", "file://relative", "/tmp/x"] {
            assert!(
                matches!(
                    Storage::open(Some(bad), &dir, &s3),
                    Err(StorageError::Unsupported(_))
                ),
                "{bad}"
            );
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}
