//! What a provider has done for each job, on disk: the output it generated and whether its result
//! was sent. Written before acting on it and replaced atomically, so a restart after `kill -9`
//! neither loses an output nor generates one twice.

use std::path::PathBuf;

use atelier_primitives::Hash;
use serde::{Deserialize, Serialize};

/// Where a job stands for this agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The output is generated and stored; the result is not yet on chain.
    Generated,
    /// The result is on chain.
    Submitted,
}

/// One job's entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The output's hash.
    pub output_hash: Hash,
    /// Where it stands.
    pub stage: Stage,
}

/// The journal: one small file per job under a directory.
#[derive(Debug, Clone)]
pub struct Journal {
    dir: PathBuf,
}

impl Journal {
    /// The journal in `dir` (created if missing).
    pub fn open(dir: PathBuf) -> std::io::Result<Journal> {
        std::fs::create_dir_all(&dir)?;
        Ok(Journal { dir })
    }

    fn file(&self, job: u64) -> PathBuf {
        self.dir.join(format!("{job}.json"))
    }

    /// The job's entry, if any.
    pub fn get(&self, job: u64) -> Option<Entry> {
        let text = std::fs::read(self.file(job)).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// Records the job's entry durably.
    pub fn put(&self, job: u64, entry: Entry) -> std::io::Result<()> {
        let temporary = self.dir.join(format!("{job}.tmp"));
        let bytes = serde_json::to_vec(&entry).map_err(std::io::Error::other)?;
        {
            use std::io::Write;
            let mut file = std::fs::File::create(&temporary)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
        }
        std::fs::rename(temporary, self.file(job))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_read_back_after_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(dir.path().join("jobs")).unwrap();
        assert_eq!(journal.get(7), None);
        let entry = Entry { output_hash: Hash::blob(b"png"), stage: Stage::Generated };
        journal.put(7, entry).unwrap();
        let reopened = Journal::open(dir.path().join("jobs")).unwrap();
        assert_eq!(reopened.get(7), Some(entry));
        reopened.put(7, Entry { stage: Stage::Submitted, ..entry }).unwrap();
        assert_eq!(reopened.get(7).unwrap().stage, Stage::Submitted);
    }
}
