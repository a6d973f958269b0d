//! The client's own settings, `~/.atelier/client.toml` (or `$ATELIER_CONFIG`): which node to talk
//! to and where the keys are, so that they need not be repeated on every command. A flag or
//! environment variable overrides the file; the file overrides the defaults.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

/// The node a client talks to when nothing says otherwise.
pub(crate) const DEFAULT_NODE: &str = "http://127.0.0.1:26657";

/// `client.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct ClientConfig {
    /// The node's API.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) node: Option<String>,
    /// The directory of named keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) keyring_dir: Option<PathBuf>,
}

/// The settings `atelier config` reads and writes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum Key {
    /// The node's API, e.g. `https://node.gallery.example`.
    Node,
    /// The directory of named keys.
    KeyringDir,
}

/// Where the file is.
pub(crate) fn path() -> PathBuf {
    match std::env::var_os("ATELIER_CONFIG") {
        Some(path) => PathBuf::from(path),
        None => std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default()
            .join(".atelier")
            .join("client.toml"),
    }
}

/// The file at `path`; none yet is the defaults.
pub(crate) fn load(path: &Path) -> Result<ClientConfig> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text).with_context(|| format!("parsing {}", path.display())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(ClientConfig::default()),
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
    }
}

impl ClientConfig {
    /// `key` set to `value`, checked, or unset when `value` is `None`.
    pub(crate) fn with(mut self, key: Key, value: Option<String>) -> Result<ClientConfig> {
        match key {
            Key::Node => {
                if let Some(url) = &value
                    && !(url.starts_with("http://") || url.starts_with("https://"))
                {
                    bail!("node must be an http:// or https:// URL, found {url:?}");
                }
                self.node = value;
            }
            Key::KeyringDir => self.keyring_dir = value.map(PathBuf::from),
        }
        Ok(self)
    }

    /// Writes the file at `path`, creating its directory.
    pub(crate) fn save(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let text = format!(
            "# Atelier client settings (`atelier config set KEY VALUE`).\n{}",
            toml::to_string(self)?
        );
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_the_file_and_a_bad_url_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("client.toml");
        assert_eq!(load(&path).unwrap(), ClientConfig::default(), "no file: the defaults");
        let config = ClientConfig::default().with(Key::Node, Some("https://node.example".into())).unwrap();
        config.save(&path).unwrap();
        assert_eq!(load(&path).unwrap().node.as_deref(), Some("https://node.example"));
        let unset = load(&path).unwrap().with(Key::Node, None).unwrap();
        assert_eq!(unset, ClientConfig::default());
        assert!(ClientConfig::default().with(Key::Node, Some("node.example".into())).is_err());
        std::fs::write(&path, "nodes = 1").unwrap();
        assert!(load(&path).unwrap_err().to_string().contains("parsing"));
    }
}
