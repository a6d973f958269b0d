//! Per-block series of named integer figures (the economy the dashboard charts), downsampled with
//! age.
//!
//! Every block's figures are kept at full resolution for [`TIERS`]`[0].keep` blocks; every 100th
//! block's for a million blocks; every 10 000th's for ever. A point of a coarser tier is the
//! figure at the last block of its span, so gauges read as their value then and totals since
//! genesis still difference into what happened over any span.
//!
//! | table | key | value |
//! |---|---|---|
//! | `series` | (name, tier, height) | (block time in ms, value) |
//! | `series_last` | name | the value at the series head |
//! | `meta` `series_head` | | height and time of the last block recorded |

use atelier_primitives::Height;
use redb::{ReadableTable, TableDefinition, WriteTransaction};

use crate::{META, Storage, StorageError};

const SERIES: TableDefinition<(&str, u8, u64), (u64, i128)> = TableDefinition::new("series");
const SERIES_LAST: TableDefinition<&str, i128> = TableDefinition::new("series_last");
const META_SERIES_HEAD: &str = "series_head";

/// One resolution of the series: a point every `every` blocks, kept for `keep` blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tier {
    /// Blocks between points.
    pub every: u64,
    /// Blocks of history kept at this resolution (`None`: all).
    pub keep: Option<u64>,
}

/// The resolutions, finest first.
pub const TIERS: [Tier; 3] = [
    Tier { every: 1, keep: Some(10_000) },
    Tier { every: 100, keep: Some(1_000_000) },
    Tier { every: 10_000, keep: None },
];

/// Most points one query answers.
pub const MAX_POINTS: u64 = 2_000;

/// A figure at a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    /// The block.
    pub height: u64,
    /// Its time.
    pub time_ms: u64,
    /// The figure.
    pub value: i128,
}

/// A series over a range, at the resolution it was read at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// Blocks between the points asked for, after raising it to what is kept and to
    /// [`MAX_POINTS`].
    pub step: u64,
    /// The points, oldest first: the last kept one of each step.
    pub points: Vec<Point>,
}

/// The height and time of the last block recorded, and every figure then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// The block.
    pub height: Height,
    /// Its time.
    pub time_ms: u64,
    /// `(name, value)`, by name.
    pub figures: Vec<(String, i128)>,
}

impl Storage {
    /// The last block whose figures are recorded, and its figures.
    pub fn series_head(&self) -> Result<Option<Sample>, StorageError> {
        let txn = self.begin_read()?;
        let meta = txn.open_table(META).map_err(StorageError::db)?;
        let Some(head) = meta.get(META_SERIES_HEAD).map_err(StorageError::db)? else { return Ok(None) };
        let (height, time_ms) = decode_head(head.value())?;
        let last = txn.open_table(SERIES_LAST).map_err(StorageError::db)?;
        let mut figures = Vec::new();
        for entry in last.iter().map_err(StorageError::db)? {
            let (name, value) = entry.map_err(StorageError::db)?;
            figures.push((name.value().to_owned(), value.value()));
        }
        Ok(Some(Sample { height: Height(height), time_ms, figures }))
    }

    /// Records each of `samples` as the figures of its block, in one write: each must follow the
    /// one before and the first the series head (or start the series); nothing is written
    /// otherwise.
    pub fn record_series(&self, samples: &[Sample]) -> Result<(), StorageError> {
        let txn = self.begin_write()?;
        for sample in samples {
            write_series(&txn, sample)?;
        }
        txn.commit().map_err(StorageError::db)
    }

    /// Forgets every recorded figure (before the series are rebuilt from the blocks).
    pub fn clear_series(&self) -> Result<(), StorageError> {
        let txn = self.begin_write()?;
        txn.delete_table(SERIES).map_err(StorageError::db)?;
        txn.delete_table(SERIES_LAST).map_err(StorageError::db)?;
        txn.open_table(META).map_err(StorageError::db)?.remove(META_SERIES_HEAD).map_err(StorageError::db)?;
        txn.commit().map_err(StorageError::db)
    }

    /// The series `name` from `from` to `to` (inclusive) with about `step` blocks between points,
    /// read at the finest resolution still kept for `from`.
    pub fn series(&self, name: &str, from: u64, to: u64, step: u64) -> Result<Series, StorageError> {
        let head = self.series_head()?.map_or(0, |s| s.height.get());
        let to = to.min(head);
        let from = from.min(to);
        let span = to - from + 1;
        let step = step.max(1).max(span.div_ceil(MAX_POINTS));
        let covering = |tier: &&Tier| tier.keep.is_none_or(|keep| from.saturating_add(keep) > head);
        let tier = TIERS
            .iter()
            .enumerate()
            .filter(|(_, tier)| covering(tier))
            .rfind(|(_, tier)| tier.every <= step)
            .or_else(|| TIERS.iter().enumerate().find(|(_, tier)| covering(tier)))
            .map_or(TIERS.len() - 1, |(index, _)| index);
        let step = step.max(TIERS[tier].every);
        let txn = self.begin_read()?;
        let table = txn.open_table(SERIES).map_err(StorageError::db)?;
        let mut points: Vec<Point> = Vec::new();
        let range =
            table.range((name, tier as u8, from)..=(name, tier as u8, to)).map_err(StorageError::db)?;
        for entry in range {
            let (key, value) = entry.map_err(StorageError::db)?;
            let (_, _, height) = key.value();
            let (time_ms, value) = value.value();
            let point = Point { height, time_ms, value };
            // The last point of each step: a later one in the same step replaces it.
            match points.last_mut() {
                Some(last) if (last.height - from) / step == (height - from) / step => *last = point,
                _ => points.push(point),
            }
        }
        Ok(Series { step, points })
    }
}

/// Writes `sample`'s figures at every tier its height falls on, drops what has aged out, and moves
/// the series head; refuses a sample that does not follow the head.
pub(crate) fn write_series(txn: &WriteTransaction, sample: &Sample) -> Result<(), StorageError> {
    let height = sample.height.get();
    {
        let meta = txn.open_table(META).map_err(StorageError::db)?;
        if let Some(head) = meta.get(META_SERIES_HEAD).map_err(StorageError::db)? {
            let (head, _) = decode_head(head.value())?;
            if head.checked_add(1) != Some(height) {
                return Err(StorageError::Corrupt {
                    what: "series",
                    reason: format!("figures of block {height} do not follow those of block {head}"),
                });
            }
        }
    }
    let mut table = txn.open_table(SERIES).map_err(StorageError::db)?;
    let mut last = txn.open_table(SERIES_LAST).map_err(StorageError::db)?;
    last.retain(|_, _| false).map_err(StorageError::db)?;
    for (name, value) in &sample.figures {
        for (tier, Tier { every, keep }) in TIERS.iter().enumerate() {
            let tier = tier as u8;
            if height.is_multiple_of(*every) {
                table
                    .insert((name.as_str(), tier, height), (sample.time_ms, *value))
                    .map_err(StorageError::db)?;
            }
            if let Some(expired) = keep.and_then(|keep| height.checked_sub(keep))
                && expired.is_multiple_of(*every)
            {
                table.remove((name.as_str(), tier, expired)).map_err(StorageError::db)?;
            }
        }
        last.insert(name.as_str(), *value).map_err(StorageError::db)?;
    }
    let mut head = [0u8; 16];
    head[..8].copy_from_slice(&height.to_be_bytes());
    head[8..].copy_from_slice(&sample.time_ms.to_be_bytes());
    txn.open_table(META)
        .map_err(StorageError::db)?
        .insert(META_SERIES_HEAD, head.as_slice())
        .map_err(StorageError::db)?;
    Ok(())
}

pub(crate) fn ensure_tables(txn: &WriteTransaction) -> Result<(), StorageError> {
    txn.open_table(SERIES).map_err(StorageError::db)?;
    txn.open_table(SERIES_LAST).map_err(StorageError::db)?;
    Ok(())
}

fn decode_head(bytes: &[u8]) -> Result<(u64, u64), StorageError> {
    let bytes: [u8; 16] =
        bytes.try_into().map_err(|_| StorageError::corrupt("series head", "not 16 bytes"))?;
    let (height, time) = bytes.split_at(8);
    Ok((
        u64::from_be_bytes(height.try_into().unwrap_or_default()),
        u64::from_be_bytes(time.try_into().unwrap_or_default()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(height: u64, value: i128) -> Sample {
        Sample { height: Height(height), time_ms: height * 1_000, figures: vec![("supply".into(), value)] }
    }

    fn storage() -> (tempfile::TempDir, Storage) {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(&dir.path().join("chain.redb")).unwrap();
        (dir, storage)
    }

    #[test]
    fn figures_must_follow_the_series_head_one_block_at_a_time() {
        let (_dir, storage) = storage();
        storage.record_series(&[sample(0, 1), sample(1, 2)]).unwrap();
        assert!(matches!(storage.record_series(&[sample(3, 4)]), Err(StorageError::Corrupt { .. })));
        assert!(matches!(storage.record_series(&[sample(1, 4)]), Err(StorageError::Corrupt { .. })));
        let head = storage.series_head().unwrap().unwrap();
        assert_eq!((head.height, head.figures), (Height(1), vec![("supply".to_owned(), 2)]));
    }

    #[test]
    fn a_range_reads_the_last_value_of_each_step_and_old_blocks_only_at_coarser_tiers() {
        let (_dir, storage) = storage();
        let head = 25_000;
        let samples: Vec<Sample> = (0..=head).map(|height| sample(height, height as i128 * 10)).collect();
        storage.record_series(&samples).unwrap();
        // Recent blocks at full resolution.
        let recent = storage.series("supply", head - 9, head, 1).unwrap();
        assert_eq!(recent.step, 1);
        assert_eq!(recent.points.len(), 10);
        assert_eq!(recent.points[9], Point { height: head, time_ms: head * 1_000, value: head as i128 * 10 });
        // Steps of 5: the last block of each.
        let stepped = storage.series("supply", head - 9, head, 5).unwrap();
        let heights: Vec<u64> = stepped.points.iter().map(|p| p.height).collect();
        assert_eq!(heights, vec![head - 5, head]);
        // Block 0 is older than the finest tier keeps: read every 100th block.
        let all = storage.series("supply", 0, head, 1).unwrap();
        assert_eq!(all.step, 100);
        assert_eq!(all.points.len(), 251);
        assert!(all.points.iter().all(|p| p.height % 100 == 0 && p.value == p.height as i128 * 10));
        // The finest tier forgot what aged out.
        assert!(storage.series("supply", 100, 101, 1).unwrap().points.iter().all(|p| p.height == 100));
        // Unknown names and ranges past the head are empty, not errors.
        assert!(storage.series("nothing", 0, head, 1).unwrap().points.is_empty());
        assert_eq!(storage.series("supply", head + 5, head + 9, 1).unwrap().points.len(), 1);
    }

    #[test]
    fn a_query_never_answers_more_than_the_most_points() {
        let (_dir, storage) = storage();
        let samples: Vec<Sample> = (0..=5_000).map(|height| sample(height, 0)).collect();
        storage.record_series(&samples).unwrap();
        let series = storage.series("supply", 0, 5_000, 1).unwrap();
        assert!(series.points.len() as u64 <= MAX_POINTS, "{}", series.points.len());
        assert_eq!(series.step, 3);
    }

    #[test]
    fn clearing_forgets_every_figure_and_the_head() {
        let (_dir, storage) = storage();
        storage.record_series(&[sample(0, 1)]).unwrap();
        storage.clear_series().unwrap();
        assert!(storage.series_head().unwrap().is_none());
        storage.record_series(&[sample(7, 1)]).unwrap();
        assert_eq!(storage.series("supply", 0, 7, 1).unwrap().points.len(), 1);
    }
}
