//! `atelier blob put|get`: the node's blob store, where prompts, parameters, style files and
//! outputs live under their hash. What `get` downloads is checked against the hash before it is
//! written: a node is not trusted to serve the right bytes.

use std::{io::Read, path::PathBuf};

use anyhow::{Context, Result, bail};
use atelier_client::Client;
use atelier_primitives::Hash;
use clap::Subcommand;
use serde::Serialize;

use crate::output::Output;

/// `atelier blob …`.
#[derive(Debug, Subcommand)]
pub(crate) enum BlobCommand {
    /// Store a file (or `-`, standard input) in the node's blob store; prints its hash.
    #[command(
        after_help = "Examples:\n  atelier blob put prompt.txt\n  echo -n 'a red fox' | atelier blob put -"
    )]
    Put {
        /// The file, or `-` for standard input.
        file: PathBuf,
        /// Refuse the upload unless the bytes have this hash (hex).
        #[arg(long)]
        hash: Option<Hash>,
    },
    /// Fetch a blob by its hash, check it, and write it to a file (or `-`, standard output).
    #[command(after_help = "Examples:\n  atelier blob get 3f…a9 --out fox.png")]
    Get {
        /// The blob's hash (hex).
        hash: Hash,
        /// Where to write it; `-` for standard output.
        #[arg(long)]
        out: PathBuf,
    },
}

/// What `blob get` wrote.
#[derive(Debug, Serialize)]
struct Fetched {
    hash: String,
    size: usize,
    content_type: String,
    file: String,
}

/// Runs a blob command against the node `client` talks to.
pub(crate) async fn run(client: Client, command: BlobCommand, output: Output) -> Result<()> {
    match command {
        BlobCommand::Put { file, hash } => {
            let bytes = read_input(&file)?;
            let declared = hash.map(|hash| hash.to_hex());
            let stored = client.put_blob(bytes, declared.as_deref()).await?;
            output.print(&stored, |s| {
                let state = if s.created { "stored" } else { "already stored" };
                format!("{state}: {} ({} bytes, {})", s.hash, s.size, s.content_type)
            })
        }
        BlobCommand::Get { hash, out } => {
            let (bytes, content_type) = fetch(&client, &hash).await?;
            let written = if out.as_os_str() == "-" {
                use std::io::Write;
                std::io::stdout().write_all(&bytes)?;
                // The bytes are the output: say nothing more on standard output.
                return Ok(());
            } else {
                std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
                out.display().to_string()
            };
            let fetched = Fetched { hash: hash.to_hex(), size: bytes.len(), content_type, file: written };
            output.print(&fetched, |f| {
                format!("wrote {} ({} bytes, {}), hash checked", f.file, f.size, f.content_type)
            })
        }
    }
}

/// The blob `hash` from the node, checked against its hash.
pub(crate) async fn fetch(client: &Client, hash: &Hash) -> Result<(Vec<u8>, String)> {
    let Some((bytes, content_type)) = client.get_blob(&hash.to_hex()).await? else {
        bail!("the node holds no blob {hash}");
    };
    let actual = Hash::blob(&bytes);
    if actual != *hash {
        bail!("the node served bytes that hash to {actual}, not {hash}: refusing them");
    }
    Ok((bytes, content_type))
}

fn read_input(file: &PathBuf) -> Result<Vec<u8>> {
    if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).context("reading standard input")?;
        return Ok(bytes);
    }
    std::fs::read(file).with_context(|| format!("reading {}", file.display()))
}
