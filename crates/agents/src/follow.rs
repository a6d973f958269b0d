//! Following the chain's events through the node's event stream (`GET /events/stream`), from a
//! position kept on disk: a restart resumes after the last event the agent finished with, and a
//! dropped connection resumes after the last event it received (`Last-Event-ID`).

use std::{path::PathBuf, time::Duration};

use atelier_api::EventView;
use atelier_protocol::Event;
use tokio::sync::mpsc;

/// Where an event is: its block and its position among the block's events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// The block's height.
    pub height: u64,
    /// The event's index in the block.
    pub index: u32,
}

impl Position {
    fn parse(text: &str) -> Option<Position> {
        let (height, index) = text.trim().split_once(':')?;
        Some(Position { height: height.parse().ok()?, index: index.parse().ok()? })
    }
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.height, self.index)
    }
}

/// An event and where it is.
#[derive(Debug, Clone)]
pub struct Followed {
    /// Its position.
    pub position: Position,
    /// The event.
    pub event: Event,
}

/// The position an agent has finished with, in a file of its state directory.
#[derive(Debug, Clone)]
pub struct Progress {
    file: PathBuf,
}

impl Progress {
    /// The progress kept in `file`.
    pub fn new(file: PathBuf) -> Progress {
        Progress { file }
    }

    /// The last position finished with, if any.
    pub fn load(&self) -> Option<Position> {
        std::fs::read_to_string(&self.file).ok().and_then(|text| Position::parse(&text))
    }

    /// Records that everything through `position` is done (atomically: a crash keeps the old or
    /// the new position, never a torn one).
    pub fn save(&self, position: Position) -> std::io::Result<()> {
        let temporary = self.file.with_extension("tmp");
        std::fs::write(&temporary, position.to_string())?;
        std::fs::rename(temporary, &self.file)
    }
}

/// Streams events matching `query` (the stream's filters, e.g. `kind=compute`) into a channel,
/// from after `after` (or from the next block), reconnecting after the last event received when
/// the connection drops. Runs until the receiver is dropped.
pub fn follow(base: &str, query: &str, after: Option<Position>) -> mpsc::Receiver<Followed> {
    let (sender, receiver) = mpsc::channel(1_024);
    let (base, query) = (base.trim_end_matches('/').to_owned(), query.to_owned());
    tokio::spawn(async move {
        let http = reqwest::Client::new();
        let mut last = after;
        let mut backoff = Duration::from_millis(100);
        loop {
            match stream(&http, &base, &query, &mut last, &sender).await {
                Ok(()) => return,
                Err(error) => {
                    tracing::warn!(%error, resume_after = ?last.map(|p| p.to_string()), "event stream dropped; reconnecting");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
            }
        }
    });
    receiver
}

/// One connection: reads server-sent events until it drops (an error) or the receiver is gone.
async fn stream(
    http: &reqwest::Client,
    base: &str,
    query: &str,
    last: &mut Option<Position>,
    sender: &mpsc::Sender<Followed>,
) -> Result<(), String> {
    let mut request = http.get(format!("{base}/events/stream?{query}"));
    if let Some(position) = last {
        request = request.header("last-event-id", position.to_string());
    }
    let mut response = request.send().await.map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("the node answered {}", response.status()));
    }
    let (mut buffer, mut id, mut data) = (String::new(), None::<Position>, String::new());
    loop {
        // Keep-alives arrive every 15 s: silence for a minute means the connection is gone.
        let chunk = tokio::time::timeout(Duration::from_secs(60), response.chunk())
            .await
            .map_err(|_| "no data for 60 s".to_owned())?
            .map_err(|e| e.to_string())?;
        let Some(chunk) = chunk else { return Err("the node closed the stream".into()) };
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find('\n') {
            let line: String = buffer.drain(..=end).collect();
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if let (Some(position), false) = (id.take(), data.is_empty()) {
                    let view: EventView =
                        serde_json::from_str(&data).map_err(|e| format!("an event: {e}"))?;
                    let event: Event =
                        serde_json::from_value(view.event).map_err(|e| format!("an event's body: {e}"))?;
                    if sender.send(Followed { position, event }).await.is_err() {
                        return Ok(());
                    }
                    *last = Some(position);
                }
                data.clear();
            } else if let Some(value) = line.strip_prefix("id:") {
                id = Position::parse(value);
            } else if let Some(value) = line.strip_prefix("data:") {
                data.push_str(value.trim_start());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_survives_a_restart_and_positions_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let progress = Progress::new(dir.path().join("position"));
        assert_eq!(progress.load(), None);
        progress.save(Position { height: 12, index: 3 }).unwrap();
        assert_eq!(
            Progress::new(dir.path().join("position")).load(),
            Some(Position { height: 12, index: 3 })
        );
        assert_eq!(Position::parse("7:0"), Some(Position { height: 7, index: 0 }));
        assert_eq!(Position::parse("7"), None);
    }
}
