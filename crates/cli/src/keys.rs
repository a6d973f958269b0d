//! Named keys in a keystore directory: one JSON file per key, its secret encrypted under a
//! password (scrypt, then XChaCha20-Poly1305 with the key's name and address as associated data),
//! or in plain text only when asked for with `--insecure`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use atelier_primitives::{
    Address, SecretKey,
    hash::{hex_decode, hex_decode_vec, hex_encode},
    hd,
};
use chacha20poly1305::{
    XChaCha20Poly1305, XNonce,
    aead::{Aead, KeyInit, Payload},
};
use serde::{Deserialize, Serialize};

/// The environment variable scripts use to pass the keystore password.
pub(crate) const PASSWORD_ENV: &str = "ATELIER_PASSWORD";
const FORMAT_VERSION: u32 = 1;
/// scrypt cost: 2^15 × 8 × 128 bytes = 32 MiB and about 0.1 s per unlock.
const SCRYPT_LOG_N: u8 = 15;

/// A key file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KeyFile {
    pub(crate) version: u32,
    pub(crate) name: String,
    pub(crate) address: Address,
    pub(crate) public_key: String,
    /// Derivation path, when the key came from a mnemonic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) path: Option<String>,
    pub(crate) secret: Secret,
}

/// How the secret is kept.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Secret {
    /// Encrypted under a password.
    Encrypted { kdf: Kdf, nonce: String, ciphertext: String },
    /// In plain text (`--insecure`): for throwaway test keys only.
    Plaintext { seed: String },
}

/// scrypt parameters, stored so that the cost can rise without breaking old files.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Kdf {
    log_n: u8,
    r: u32,
    p: u32,
    salt: String,
}

/// The public part of a key, as `keys list|show` print it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct KeyInfo {
    pub(crate) name: String,
    pub(crate) address: String,
    pub(crate) public_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) path: Option<String>,
    pub(crate) encrypted: bool,
}

impl KeyFile {
    pub(crate) fn info(&self) -> KeyInfo {
        KeyInfo {
            name: self.name.clone(),
            address: self.address.to_string(),
            public_key: self.public_key.clone(),
            path: self.path.clone(),
            encrypted: matches!(self.secret, Secret::Encrypted { .. }),
        }
    }
}

/// A directory of key files.
#[derive(Debug)]
pub(crate) struct Keystore {
    dir: PathBuf,
}

fn check_name(name: &str) -> Result<()> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid { Ok(()) } else { bail!("a key name is 1 to 64 characters of [A-Za-z0-9_-], found {name:?}") }
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes).map_err(|e| anyhow!("the system random source failed: {e}"))?;
    Ok(bytes)
}

fn associated_data(name: &str, address: &Address) -> Vec<u8> {
    format!("atelier-key/v{FORMAT_VERSION}/{name}/{address}").into_bytes()
}

/// The most scrypt work a key file may ask for: N = 2^20 with r = 8 (1 GiB of memory). A file
/// asking for more is refused with a reason, before anything is allocated.
const MAX_SCRYPT_LOG_N: u8 = 20;
const MAX_SCRYPT_R: u32 = 8;
const MAX_SCRYPT_P: u32 = 16;

/// The scrypt parameters a key file names, within the bounds this wallet will spend.
fn kdf_params(kdf: &Kdf) -> Result<scrypt::Params> {
    if kdf.log_n > MAX_SCRYPT_LOG_N || kdf.r > MAX_SCRYPT_R || kdf.p > MAX_SCRYPT_P {
        bail!(
            "the key file asks for scrypt log_n {}, r {}, p {}: more than this wallet spends (log_n ≤ \
             {MAX_SCRYPT_LOG_N}, r ≤ {MAX_SCRYPT_R}, p ≤ {MAX_SCRYPT_P}); the file is damaged or not ours",
            kdf.log_n,
            kdf.r,
            kdf.p
        );
    }
    scrypt::Params::new(kdf.log_n, kdf.r, kdf.p, 32).map_err(|e| anyhow!("key file kdf: {e}"))
}

fn derive_key(password: &str, kdf: &Kdf) -> Result<[u8; 32]> {
    let salt = hex_decode_vec(&kdf.salt).ok_or_else(|| anyhow!("corrupt key file: salt"))?;
    let params = kdf_params(kdf)?;
    let mut key = [0u8; 32];
    scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key).map_err(|e| anyhow!("scrypt: {e}"))?;
    Ok(key)
}

impl Keystore {
    pub(crate) fn new(dir: PathBuf) -> Self {
        Keystore { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.json"))
    }

    /// Whether a key called `name` exists.
    pub(crate) fn contains(&self, name: &str) -> bool {
        check_name(name).is_ok() && self.path(name).exists()
    }

    /// Stores `key` as `name`, encrypted under `password` (or in plain text when `None`).
    pub(crate) fn add(
        &self,
        name: &str,
        key: &SecretKey,
        path: Option<String>,
        password: Option<&str>,
    ) -> Result<KeyFile> {
        check_name(name)?;
        let file_path = self.path(name);
        if file_path.exists() {
            bail!("a key named {name:?} already exists in {}", self.dir.display());
        }
        let address = key.public_key().address();
        let secret = match password {
            None => Secret::Plaintext { seed: hex_encode(&key.to_seed()) },
            Some(password) => {
                let kdf = Kdf { log_n: SCRYPT_LOG_N, r: 8, p: 1, salt: hex_encode(&random::<16>()?) };
                let cipher = XChaCha20Poly1305::new(&derive_key(password, &kdf)?.into());
                let nonce = random::<24>()?;
                let aad = associated_data(name, &address);
                let ciphertext = cipher
                    .encrypt(XNonce::from_slice(&nonce), Payload { msg: &key.to_seed(), aad: &aad })
                    .map_err(|_| anyhow!("encryption failed"))?;
                Secret::Encrypted { kdf, nonce: hex_encode(&nonce), ciphertext: hex_encode(&ciphertext) }
            }
        };
        let file = KeyFile {
            version: FORMAT_VERSION,
            name: name.to_owned(),
            address,
            public_key: key.public_key().to_string(),
            path,
            secret,
        };
        std::fs::create_dir_all(&self.dir).with_context(|| format!("creating {}", self.dir.display()))?;
        write_private(&file_path, &serde_json::to_string_pretty(&file)?)?;
        Ok(file)
    }

    /// Reads the key file `name`.
    pub(crate) fn load(&self, name: &str) -> Result<KeyFile> {
        check_name(name)?;
        let path = self.path(name);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("no key named {name:?} ({})", path.display()))?;
        warn_if_shared(&path);
        let file: KeyFile =
            serde_json::from_str(&text).with_context(|| format!("corrupt key file {}", path.display()))?;
        if file.name != name {
            bail!(
                "{} holds the key named {:?}: its name is bound to its encryption, so rename the file \
                 back to {}.json",
                path.display(),
                file.name,
                file.name
            );
        }
        Ok(file)
    }

    /// Deletes the key file `name`.
    pub(crate) fn delete(&self, name: &str) -> Result<()> {
        check_name(name)?;
        let path = self.path(name);
        std::fs::remove_file(&path).with_context(|| format!("deleting {}", path.display()))
    }

    /// Every key, by name.
    pub(crate) fn list(&self) -> Result<Vec<KeyFile>> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return Ok(Vec::new()) };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok()?.strip_suffix(".json").map(str::to_owned))
            .collect();
        names.sort();
        // One unreadable file does not hide the others.
        let mut keys = Vec::new();
        for name in names {
            match self.load(&name) {
                Ok(key) => keys.push(key),
                Err(error) => eprintln!("warning: skipping {name}.json: {error:#}"),
            }
        }
        Ok(keys)
    }

    /// The secret key of `name`, decrypted with `password` when it is encrypted.
    pub(crate) fn unlock(&self, name: &str, password: impl FnOnce() -> Result<String>) -> Result<SecretKey> {
        let file = self.load(name)?;
        let seed = match &file.secret {
            Secret::Plaintext { seed } => {
                hex_decode::<32>(seed).ok_or_else(|| anyhow!("corrupt key file: seed"))?
            }
            Secret::Encrypted { kdf, nonce, ciphertext } => {
                let cipher = XChaCha20Poly1305::new(&derive_key(&password()?, kdf)?.into());
                let nonce = hex_decode::<24>(nonce).ok_or_else(|| anyhow!("corrupt key file: nonce"))?;
                let ciphertext =
                    hex_decode_vec(ciphertext).ok_or_else(|| anyhow!("corrupt key file: ciphertext"))?;
                let aad = associated_data(&file.name, &file.address);
                let plain = cipher
                    .decrypt(XNonce::from_slice(&nonce), Payload { msg: &ciphertext, aad: &aad })
                    .map_err(|_| anyhow!("wrong password for key {name:?} (or the file was altered)"))?;
                plain.try_into().map_err(|_| anyhow!("corrupt key file: secret length"))?
            }
        };
        let key = SecretKey::from_seed(seed);
        if key.public_key().address() != file.address {
            bail!("key file {name:?} does not match its address");
        }
        Ok(key)
    }
}

/// Says so on stderr when others may read the key file at `path` (as a copy that lost its mode
/// would be).
fn warn_if_shared(path: &Path) {
    if let Some(mode) = shared_mode(path) {
        eprintln!(
            "warning: {} is readable by others (mode {mode:o}); run: chmod 600 {}",
            path.display(),
            path.display()
        );
    }
}

/// The file's mode, if it lets anyone but its owner in.
fn shared_mode(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
        (mode & 0o077 != 0).then_some(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::{io::Write, os::unix::fs::OpenOptionsExt};
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(text.as_bytes()).with_context(|| format!("writing {}", path.display()))
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// The password from `ATELIER_PASSWORD`, else from a prompt without echo (twice when `confirm`).
pub(crate) fn password(confirm: bool) -> Result<String> {
    if let Ok(password) = std::env::var(PASSWORD_ENV) {
        return nonempty(password, PASSWORD_ENV);
    }
    let first = rpassword::prompt_password("keystore password: ")
        .with_context(|| format!("no terminal for a password prompt; set {PASSWORD_ENV}"))?;
    if confirm && rpassword::prompt_password("repeat password: ")? != first {
        bail!("the passwords differ");
    }
    nonempty(first, "the prompt")
}

/// `password`, unless it is empty: an empty password protects nothing.
fn nonempty(password: String, source: &str) -> Result<String> {
    if password.is_empty() {
        bail!(
            "the password from {source} is empty, and an empty password protects nothing (--insecure \
             stores a throwaway key in plain text)"
        );
    }
    Ok(password)
}

/// A new key from fresh entropy: its 24-word mnemonic and the key at account 0.
pub(crate) fn generate() -> Result<(String, SecretKey, String)> {
    let phrase = hd::mnemonic_from_entropy(&random::<32>()?);
    let (key, path) = from_mnemonic(&phrase, 0)?;
    Ok((phrase, key, path))
}

/// The key of account `index` of `phrase`.
pub(crate) fn from_mnemonic(phrase: &str, index: u32) -> Result<(SecretKey, String)> {
    let seed = hd::seed_from_mnemonic(phrase.trim(), "")?;
    let path = hd::account_path(index);
    Ok((hd::derive(&seed, &path)?, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_password_is_refused_whether_typed_or_from_the_environment() {
        let refused = nonempty(String::new(), PASSWORD_ENV).unwrap_err().to_string();
        assert!(refused.contains("ATELIER_PASSWORD") && refused.contains("empty"), "{refused}");
        assert_eq!(nonempty("x".into(), PASSWORD_ENV).unwrap(), "x");
    }

    #[test]
    fn a_key_file_asking_for_more_scrypt_work_than_the_bound_is_refused_with_a_reason() {
        let kdf = |log_n, r, p| Kdf { log_n, r, p, salt: "00".into() };
        assert!(kdf_params(&kdf(SCRYPT_LOG_N, 8, 1)).is_ok());
        for crafted in [kdf(63, 8, 1), kdf(15, 1 << 20, 1), kdf(15, 8, 1 << 20)] {
            let refused = kdf_params(&crafted).unwrap_err().to_string();
            assert!(refused.contains("more than this wallet spends"), "{refused}");
        }
    }

    #[test]
    fn an_encrypted_key_unlocks_only_with_its_password_and_detects_tampering() {
        let dir = tempfile::tempdir().unwrap();
        let store = Keystore::new(dir.path().to_path_buf());
        let key = hd::dev_key(4);
        store.add("alice", &key, None, Some("correct horse")).unwrap();
        let unlocked = store.unlock("alice", || Ok("correct horse".into())).unwrap();
        assert_eq!(unlocked.public_key(), key.public_key());
        let wrong = store.unlock("alice", || Ok("wrong".into())).unwrap_err();
        assert!(wrong.to_string().contains("wrong password"), "{wrong}");
        let text = std::fs::read_to_string(dir.path().join("alice.json")).unwrap();
        assert!(!text.contains(&hex_encode(&key.to_seed())), "the secret is not in the file");
        let renamed = text.replace("\"name\": \"alice\"", "\"name\": \"mallory\"");
        std::fs::write(dir.path().join("mallory.json"), renamed).unwrap();
        assert!(
            store.unlock("mallory", || Ok("correct horse".into())).is_err(),
            "the name is bound to the secret"
        );
    }

    #[test]
    fn names_are_unique_and_well_formed_and_plaintext_needs_no_password() {
        let dir = tempfile::tempdir().unwrap();
        let store = Keystore::new(dir.path().to_path_buf());
        store.add("bob", &hd::dev_key(5), None, None).unwrap();
        assert!(store.add("bob", &hd::dev_key(6), None, None).is_err());
        assert!(store.add("../evil", &hd::dev_key(6), None, None).is_err());
        let key = store.unlock("bob", || bail!("no password needed")).unwrap();
        assert_eq!(key.public_key(), hd::dev_key(5).public_key());
        assert_eq!(store.list().unwrap().len(), 1);
        store.delete("bob").unwrap();
        assert!(!store.contains("bob") && store.list().unwrap().is_empty());
        assert!(store.delete("bob").is_err(), "a missing key is an error");
    }

    #[test]
    fn a_renamed_key_file_is_refused_with_its_real_name_and_the_others_still_list() {
        let dir = tempfile::tempdir().unwrap();
        let store = Keystore::new(dir.path().to_path_buf());
        store.add("alice", &hd::dev_key(4), None, None).unwrap();
        store.add("bob", &hd::dev_key(5), None, None).unwrap();
        std::fs::rename(dir.path().join("alice.json"), dir.path().join("carol.json")).unwrap();
        let refused = store.load("carol").unwrap_err().to_string();
        assert!(
            refused.contains("holds the key named \"alice\"") && refused.contains("back to alice.json"),
            "{refused}"
        );
        let listed: Vec<String> = store.list().unwrap().into_iter().map(|key| key.name).collect();
        assert_eq!(listed, ["bob"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_may_read_is_noticed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = Keystore::new(dir.path().to_path_buf());
        store.add("alice", &hd::dev_key(4), None, None).unwrap();
        let path = dir.path().join("alice.json");
        assert_eq!(shared_mode(&path), None, "written for its owner alone");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(shared_mode(&path), Some(0o644));
    }
}
