//! The blob store: prompts, parameters, style files and outputs, content-addressed by
//! [`Hash::blob`] and kept on disk beside the database, never in consensus state (spec: DESIGN §7).
//!
//! Layout under the store's directory: `objects/ab/abcd…` (the blob under its hash in hex), `pins/`
//! (an empty file per blob a job, an asset or a model refers to: kept for ever), `tmp/` (uploads
//! being written; emptied on open), `pinned-through` (the last height whose events were read for
//! pins). A blob is written to `tmp/`, synced, then renamed into place, so a crash leaves it whole
//! or absent. Every read checks the bytes against the hash; a corrupt file is removed and reported.
//! Unpinned blobs expire `retention` after they were last uploaded.

use std::{
    fs, io,
    io::Write,
    path::{Path, PathBuf},
    sync::Mutex,
    time::{Duration, SystemTime},
};

use atelier_primitives::Hash;

/// Where the store lives and how much it holds.
#[derive(Debug, Clone)]
pub struct BlobConfig {
    /// Its directory.
    pub dir: PathBuf,
    /// Largest blob accepted, in bytes.
    pub max_blob_bytes: u64,
    /// Most bytes all blobs together may take.
    pub quota_bytes: u64,
    /// How long an unpinned blob is kept after its last upload.
    pub retention: Duration,
}

impl BlobConfig {
    /// Defaults in `dir`: blobs up to 16 MiB, 4 GiB in all, unpinned ones kept a day.
    pub fn new(dir: PathBuf) -> Self {
        BlobConfig {
            dir,
            max_blob_bytes: 16 * 1024 * 1024,
            quota_bytes: 4 * 1024 * 1024 * 1024,
            retention: Duration::from_secs(24 * 3600),
        }
    }
}

/// Why a blob was not stored or read.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// Over the size cap.
    #[error("the blob is {size} bytes, over the limit of {max}")]
    TooLarge {
        /// Its size.
        size: u64,
        /// The cap.
        max: u64,
    },
    /// The store is full.
    #[error("storing {size} more bytes would pass the store's quota: {used} of {quota} bytes are used")]
    QuotaExceeded {
        /// The blob's size.
        size: u64,
        /// Bytes in use.
        used: u64,
        /// The quota.
        quota: u64,
    },
    /// The bytes are not what the uploader said they were.
    #[error("the bytes hash to {actual}, not to the declared {declared}")]
    HashMismatch {
        /// What the uploader declared.
        declared: Hash,
        /// What the bytes hash to.
        actual: Hash,
    },
    /// The file on disk no longer holds the blob; it was removed.
    #[error("the stored blob {hash} was corrupt (its bytes hash to {actual}) and has been removed")]
    Corrupt {
        /// The blob asked for.
        hash: Hash,
        /// What the file's bytes hash to.
        actual: Hash,
    },
    /// The disk failed.
    #[error("blob store: {0}")]
    Io(#[from] io::Error),
}

/// A blob as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    /// Its hash.
    pub hash: Hash,
    /// Its size in bytes.
    pub size: u64,
    /// Whether this upload added it (false: it was there already).
    pub created: bool,
}

/// What the store holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Blobs.
    pub blobs: u64,
    /// Their bytes.
    pub bytes: u64,
}

/// What a sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Blobs removed.
    pub blobs: u64,
    /// Their bytes.
    pub bytes: u64,
}

/// The store (see the module's documentation).
#[derive(Debug)]
pub struct BlobStore {
    config: BlobConfig,
    /// Held while the store changes, so that the quota and the usage stay exact.
    usage: Mutex<Usage>,
}

impl BlobStore {
    /// Opens (or creates) the store, empties `tmp/` and counts what it holds.
    pub fn open(config: BlobConfig) -> Result<BlobStore, BlobError> {
        for dir in ["objects", "pins", "tmp"] {
            fs::create_dir_all(config.dir.join(dir))?;
        }
        for entry in fs::read_dir(config.dir.join("tmp"))? {
            fs::remove_file(entry?.path())?;
        }
        let mut usage = Usage::default();
        for (_, path) in objects(&config.dir)? {
            usage.blobs += 1;
            usage.bytes += fs::metadata(path)?.len();
        }
        Ok(BlobStore { config, usage: Mutex::new(usage) })
    }

    /// Its configuration.
    pub fn config(&self) -> &BlobConfig {
        &self.config
    }

    /// What it holds.
    pub fn usage(&self) -> Usage {
        *self.lock()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Usage> {
        self.usage.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn object(&self, hash: &Hash) -> PathBuf {
        let hex = hash.to_hex();
        self.config.dir.join("objects").join(&hex[..2]).join(hex)
    }

    fn pin_path(&self, hash: &Hash) -> PathBuf {
        self.config.dir.join("pins").join(hash.to_hex())
    }

    /// Stores `bytes` under their hash, refusing them if `declared` is another hash, if they are
    /// over the size cap or if they would pass the quota. Storing a blob again refreshes its
    /// retention.
    pub fn put(&self, bytes: &[u8], declared: Option<Hash>) -> Result<Stored, BlobError> {
        let size = bytes.len() as u64;
        if size > self.config.max_blob_bytes {
            return Err(BlobError::TooLarge { size, max: self.config.max_blob_bytes });
        }
        let hash = Hash::blob(bytes);
        if let Some(declared) = declared
            && declared != hash
        {
            return Err(BlobError::HashMismatch { declared, actual: hash });
        }
        let path = self.object(&hash);
        let mut usage = self.lock();
        if path.exists() {
            fs::File::options().write(true).open(&path)?.set_modified(SystemTime::now())?;
            return Ok(Stored { hash, size, created: false });
        }
        if usage.bytes + size > self.config.quota_bytes {
            return Err(BlobError::QuotaExceeded { size, used: usage.bytes, quota: self.config.quota_bytes });
        }
        let temporary = self.config.dir.join("tmp").join(hash.to_hex());
        let mut file = fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::rename(&temporary, &path)?;
        usage.blobs += 1;
        usage.bytes += size;
        Ok(Stored { hash, size, created: true })
    }

    /// The blob's bytes, checked against its hash; `None` if the store does not hold it.
    pub fn get(&self, hash: &Hash) -> Result<Option<Vec<u8>>, BlobError> {
        let path = self.object(hash);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        let actual = Hash::blob(&bytes);
        if actual != *hash {
            let mut usage = self.lock();
            if fs::remove_file(&path).is_ok() {
                usage.blobs -= 1;
                usage.bytes = usage.bytes.saturating_sub(bytes.len() as u64);
            }
            return Err(BlobError::Corrupt { hash: *hash, actual });
        }
        Ok(Some(bytes))
    }

    /// Whether the store holds the blob (unchecked: a read checks it).
    pub fn contains(&self, hash: &Hash) -> bool {
        self.object(hash).exists()
    }

    /// Keeps the blob for ever (whether or not it is stored yet): something on chain refers to it.
    /// `source`, if known, is the account that produced it (a result's provider), whose endpoint
    /// serves it when this store lacks it.
    pub fn pin(&self, hash: &Hash, source: Option<&atelier_primitives::Address>) -> Result<(), BlobError> {
        let path = self.pin_path(hash);
        if !path.exists() || source.is_some() {
            fs::write(path, source.map(ToString::to_string).unwrap_or_default())?;
        }
        Ok(())
    }

    /// The account a pinned blob came from, if its pin says.
    pub fn source(&self, hash: &Hash) -> Option<atelier_primitives::Address> {
        fs::read_to_string(self.pin_path(hash)).ok()?.trim().parse().ok()
    }

    /// Whether the blob is pinned.
    pub fn is_pinned(&self, hash: &Hash) -> bool {
        self.pin_path(hash).exists()
    }

    /// The last height whose events were read for pins (0 if none).
    pub fn pinned_through(&self) -> Result<u64, BlobError> {
        match fs::read_to_string(self.config.dir.join("pinned-through")) {
            Ok(text) => Ok(text.trim().parse().unwrap_or(0)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(0),
            Err(error) => Err(error.into()),
        }
    }

    /// Records that the events through `height` were read for pins.
    pub fn set_pinned_through(&self, height: u64) -> Result<(), BlobError> {
        let temporary = self.config.dir.join("tmp").join("pinned-through");
        fs::write(&temporary, height.to_string())?;
        fs::rename(temporary, self.config.dir.join("pinned-through"))?;
        Ok(())
    }

    /// Removes the unpinned blobs last uploaded more than the retention before `now`.
    pub fn sweep(&self, now: SystemTime) -> Result<Swept, BlobError> {
        let mut swept = Swept::default();
        for (hash, path) in objects(&self.config.dir)? {
            let metadata = fs::metadata(&path)?;
            let age = now.duration_since(metadata.modified()?).unwrap_or_default();
            if age <= self.config.retention || self.is_pinned(&hash) {
                continue;
            }
            let mut usage = self.lock();
            // Re-checked under the lock: an upload may have refreshed it meanwhile.
            let fresh = fs::metadata(&path).and_then(|m| m.modified()).map_or(true, |modified| {
                now.duration_since(modified).unwrap_or_default() <= self.config.retention
            });
            if fresh || fs::remove_file(&path).is_err() {
                continue;
            }
            usage.blobs -= 1;
            usage.bytes = usage.bytes.saturating_sub(metadata.len());
            swept.blobs += 1;
            swept.bytes += metadata.len();
        }
        Ok(swept)
    }
}

/// How often the keeper sweeps expired blobs (and at most how long it waits for a block).
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// Most events read per pass of the keeper.
const EVENTS_PER_PASS: usize = 1_000;

/// The hashes an event makes the chain refer to, each with the account that produced it if
/// known: a model's weights when it is registered, a job's prompt and parameters when it is
/// submitted, the outputs results (by their provider) and claims name.
fn referenced(
    event: &atelier_protocol::Event,
    snapshot: &atelier_storage::Snapshot,
) -> Vec<(Hash, Option<atelier_primitives::Address>)> {
    use atelier_protocol::{
        Event,
        modules::{compute::ComputeEvent, registry::RegistryEvent},
    };
    match event {
        Event::Registry(RegistryEvent::ModelRegistered { model, .. }) => {
            match atelier_protocol::modules::registry::query::model(snapshot, *model) {
                Ok(Some(model)) => vec![(model.weights_hash, None)],
                _ => Vec::new(),
            }
        }
        Event::Compute(ComputeEvent::JobSubmitted { job, .. }) => {
            match atelier_protocol::modules::compute::query::job(snapshot, *job) {
                Ok(Some(job)) => vec![(job.prompt_hash, None), (job.params_hash, None)],
                _ => Vec::new(),
            }
        }
        Event::Compute(ComputeEvent::ResultSubmitted { job, output_hash }) => {
            let provider = atelier_protocol::modules::compute::query::job(snapshot, *job)
                .ok()
                .flatten()
                .and_then(|job| job.provider);
            vec![(*output_hash, provider)]
        }
        Event::Compute(ComputeEvent::ResultChallenged { output_hash, challenger, .. }) => {
            vec![(*output_hash, Some(*challenger))]
        }
        Event::Compute(ComputeEvent::OutputClaimed { output_hash, verifier, .. }) => {
            vec![(*output_hash, Some(*verifier))]
        }
        _ => Vec::new(),
    }
}

impl BlobStore {
    /// Pins what the committed blocks' events refer to, from where the last pass stopped through
    /// the head of one snapshot.
    pub(crate) fn pin_committed(
        &self,
        storage: &atelier_storage::Storage,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let snapshot = storage.snapshot()?;
        let Some(head) = snapshot.head().map(|header| header.height.get()) else { return Ok(()) };
        let through = self.pinned_through()?;
        if through >= head {
            return Ok(());
        }
        let (mut height, mut sequence) = (through + 1, 0);
        loop {
            let page = storage.events_from(atelier_primitives::Height(height), sequence, EVENTS_PER_PASS)?;
            for (_, event) in page.iter().filter(|(_, event)| event.height.get() <= head) {
                for (hash, source) in referenced(&event.event, &snapshot) {
                    // A claim names an output someone else may have produced first: keep the first source.
                    let source = source.filter(|_| self.source(&hash).is_none());
                    self.pin(&hash, source.as_ref())?;
                }
            }
            match page.last() {
                Some((last, event)) if page.len() == EVENTS_PER_PASS && event.height.get() <= head => {
                    (height, sequence) = (event.height.get(), last + 1);
                }
                _ => break,
            }
        }
        self.set_pinned_through(head)?;
        Ok(())
    }
}

/// Keeps the node's blob store: after each committed block, pins what its events refer to; every
/// minute, sweeps the expired blobs. Runs until dropped.
pub(crate) async fn keep(node: std::sync::Arc<crate::Node>, store: std::sync::Arc<BlobStore>) {
    let mut blocks = node.subscribe();
    let mut last_sweep = std::time::Instant::now();
    loop {
        let (keeper_node, keeper_store) = (node.clone(), store.clone());
        let sweep = last_sweep.elapsed() >= SWEEP_EVERY;
        let pass = tokio::task::spawn_blocking(move || {
            keeper_store.pin_committed(keeper_node.storage()).map_err(|e| e.to_string())?;
            if sweep {
                let swept = keeper_store.sweep(SystemTime::now()).map_err(|e| e.to_string())?;
                if swept.blobs > 0 {
                    tracing::info!(blobs = swept.blobs, bytes = swept.bytes, "expired blobs removed");
                }
            }
            Ok::<_, String>(keeper_store.usage())
        })
        .await;
        match pass {
            Ok(Ok(usage)) => node.metrics().observe_blobs(usage.blobs, usage.bytes),
            Ok(Err(error)) => tracing::warn!(%error, "blob keeper pass failed; retrying"),
            Err(error) => tracing::warn!(%error, "blob keeper pass panicked; retrying"),
        }
        if sweep {
            last_sweep = std::time::Instant::now();
        }
        // A lagged receiver only means several blocks came: the pass reads them all.
        let _ = tokio::time::timeout(SWEEP_EVERY, blocks.recv()).await;
    }
}

/// Every stored blob's hash and path.
fn objects(dir: &Path) -> Result<Vec<(Hash, PathBuf)>, io::Error> {
    let mut found = Vec::new();
    for shard in fs::read_dir(dir.join("objects"))? {
        let shard = shard?;
        if !shard.file_type()?.is_dir() {
            continue;
        }
        for entry in fs::read_dir(shard.path())? {
            let entry = entry?;
            if let Some(hash) = entry.file_name().to_str().and_then(|name| name.parse::<Hash>().ok()) {
                found.push((hash, entry.path()));
            }
        }
    }
    Ok(found)
}

/// The media type of a blob, from its first bytes: images by their signatures, JSON, text, or
/// bytes.
pub fn content_type(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        "image/jpeg"
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        "image/gif"
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        let trimmed = text.trim_start();
        let json = (trimmed.starts_with('{') || trimmed.starts_with('['))
            && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok();
        if json { "application/json" } else { "text/plain; charset=utf-8" }
    } else {
        "application/octet-stream"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dir: &Path) -> BlobStore {
        let mut config = BlobConfig::new(dir.to_path_buf());
        config.max_blob_bytes = 1_000;
        config.quota_bytes = 2_500;
        config.retention = Duration::from_secs(60);
        BlobStore::open(config).unwrap()
    }

    #[test]
    fn a_blob_is_stored_under_its_hash_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = store(dir.path());
        let stored = blobs.put(b"a red fox", None).unwrap();
        assert_eq!(stored, Stored { hash: Hash::blob(b"a red fox"), size: 9, created: true });
        assert_eq!(blobs.get(&stored.hash).unwrap().as_deref(), Some(&b"a red fox"[..]));
        assert!(!blobs.put(b"a red fox", Some(stored.hash)).unwrap().created);
        assert_eq!(blobs.usage(), Usage { blobs: 1, bytes: 9 });
        assert_eq!(blobs.get(&Hash::blob(b"unknown")).unwrap(), None);
        drop(blobs);
        assert_eq!(store(dir.path()).usage(), Usage { blobs: 1, bytes: 9 }, "counted again on open");
    }

    #[test]
    fn a_declared_hash_that_does_not_match_an_oversized_blob_and_a_full_store_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = store(dir.path());
        let wrong = Hash::blob(b"something else");
        assert!(
            matches!(blobs.put(b"abc", Some(wrong)), Err(BlobError::HashMismatch { declared, .. }) if declared == wrong)
        );
        assert!(matches!(blobs.put(&[0; 1_001], None), Err(BlobError::TooLarge { size: 1_001, max: 1_000 })));
        blobs.put(&[1; 1_000], None).unwrap();
        blobs.put(&[2; 1_000], None).unwrap();
        assert!(matches!(
            blobs.put(&[3; 1_000], None),
            Err(BlobError::QuotaExceeded { size: 1_000, used: 2_000, quota: 2_500 })
        ));
        assert_eq!(blobs.usage(), Usage { blobs: 2, bytes: 2_000 }, "nothing of the refused ones is kept");
    }

    #[test]
    fn a_corrupted_file_is_detected_on_read_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = store(dir.path());
        let stored = blobs.put(b"an output", None).unwrap();
        fs::write(blobs.object(&stored.hash), b"an 0utput").unwrap();
        assert!(
            matches!(blobs.get(&stored.hash), Err(BlobError::Corrupt { hash, .. }) if hash == stored.hash)
        );
        assert_eq!(blobs.get(&stored.hash).unwrap(), None);
        assert_eq!(blobs.usage(), Usage::default());
    }

    #[test]
    fn unpinned_blobs_expire_after_the_retention_and_pinned_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = store(dir.path());
        let kept = blobs.put(b"a prompt a job refers to", None).unwrap().hash;
        let dropped = blobs.put(b"an abandoned upload", None).unwrap().hash;
        blobs.pin(&kept, None).unwrap();
        assert_eq!(blobs.sweep(SystemTime::now()).unwrap(), Swept::default(), "both are fresh");
        let later = SystemTime::now() + Duration::from_secs(61);
        assert_eq!(blobs.sweep(later).unwrap(), Swept { blobs: 1, bytes: 19 });
        assert!(blobs.contains(&kept));
        assert!(!blobs.contains(&dropped));
        assert_eq!(blobs.usage(), Usage { blobs: 1, bytes: 24 });
    }

    #[test]
    fn media_types_come_from_the_bytes() {
        assert_eq!(content_type(b"\x89PNG\r\n\x1a\nrest"), "image/png");
        assert_eq!(content_type(br#"{"seed": 7}"#), "application/json");
        assert_eq!(content_type(b"a red fox"), "text/plain; charset=utf-8");
        assert_eq!(content_type(&[0xff, 0xfe, 0x00]), "application/octet-stream");
    }
}
