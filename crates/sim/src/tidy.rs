//! The batch's runs as one tidy table, beside the per-run files: `runs.csv` and `runs.parquet`,
//! one row per (point, run, block) with the point's swept values as columns, in (point, run,
//! block) order. Built by streaming the per-run CSVs once the runs have finished, so memory stays
//! bounded (a Parquet row group of at most [`ROW_GROUP`] rows at a time).

use std::{
    fs,
    io::{BufRead, BufReader, BufWriter, Write},
    path::Path,
    sync::Arc,
};

use parquet::{
    basic::{LogicalType, Repetition, Type as Physical},
    data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type},
    file::{properties::WriterProperties, writer::SerializedFileWriter},
    schema::types::Type,
};

use crate::{
    batch::{BatchError, run_paths},
    metrics::Row,
    scenario::Sweep,
};

/// Rows per Parquet row group.
pub const ROW_GROUP: usize = 65_536;

/// A swept value's column type: the narrowest every point's value parses as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Every value is an integer.
    Integer,
    /// Every value is a number.
    Number,
    /// Anything else.
    Text,
}

/// The swept parameters: one column each, in the order of the batch's zipped sweeps then its
/// other sweeps, with each point's value.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameters {
    /// Each parameter's dotted path and column type.
    pub columns: Vec<(String, Kind)>,
    /// Per point, each column's value as given.
    pub values: Vec<Vec<String>>,
}

impl Parameters {
    /// The parameters of a batch's sweeps, with each of its `points`' values.
    pub fn of(sweeps: &[Sweep], zipped: &[Sweep], points: &[Vec<(String, String)>]) -> Parameters {
        let mut names: Vec<String> = Vec::new();
        for sweep in zipped.iter().chain(sweeps) {
            if !names.contains(&sweep.key) {
                names.push(sweep.key.clone());
            }
        }
        let values: Vec<Vec<String>> = points
            .iter()
            .map(|overrides| {
                names
                    .iter()
                    .map(|name| {
                        overrides
                            .iter()
                            .rev()
                            .find(|(k, _)| k == name)
                            .map(|(_, v)| v.clone())
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect();
        let columns = names
            .into_iter()
            .enumerate()
            .map(|(i, name)| {
                let kind = if values.iter().all(|v| v[i].parse::<i64>().is_ok()) {
                    Kind::Integer
                } else if values.iter().all(|v| v[i].parse::<f64>().is_ok()) {
                    Kind::Number
                } else {
                    Kind::Text
                };
                (name, kind)
            })
            .collect();
        Parameters { columns, values }
    }
}

/// Writes `runs.csv` and `runs.parquet` in `out` from the per-run CSVs of `runs` ((point, run),
/// in the order to write them).
pub fn write(out: &Path, runs: &[(u64, u64)], parameters: &Parameters) -> Result<(), BatchError> {
    let csv_path = out.join("runs.csv");
    let parquet_path = out.join("runs.parquet");
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |reason: String| BatchError::Tidy { path: path.clone(), reason }
    };
    let csv_file = fs::File::create(&csv_path).map_err(|e| failed(&csv_path)(e.to_string()))?;
    let mut csv = BufWriter::new(csv_file);
    let names: Vec<&str> = parameters.columns.iter().map(|(name, _)| name.as_str()).collect();
    let header = std::iter::once("point,run".to_string())
        .chain(names.iter().map(|name| escape(name)))
        .chain(std::iter::once(Row::header()))
        .collect::<Vec<_>>()
        .join(",");
    writeln!(csv, "{header}").map_err(|e| failed(&csv_path)(e.to_string()))?;
    let parquet_file = fs::File::create(&parquet_path).map_err(|e| failed(&parquet_path)(e.to_string()))?;
    let mut parquet =
        Table::new(parquet_file, parameters).map_err(|e| failed(&parquet_path)(e.to_string()))?;
    for &(point, run) in runs {
        let (run_csv, _) = run_paths(out, point, run);
        let file = fs::File::open(&run_csv).map_err(|e| failed(&run_csv)(e.to_string()))?;
        let values = &parameters.values[point as usize];
        let prefix: String = std::iter::once(format!("{point},{run}"))
            .chain(values.iter().map(|v| escape(v)))
            .collect::<Vec<_>>()
            .join(",");
        parquet.start(point, run, values).map_err(|e| failed(&parquet_path)(e))?;
        for (number, line) in BufReader::new(file).lines().enumerate().skip(1) {
            let line = line.map_err(|e| failed(&run_csv)(e.to_string()))?;
            writeln!(csv, "{prefix},{line}").map_err(|e| failed(&csv_path)(e.to_string()))?;
            let row =
                parse(&line).ok_or_else(|| failed(&run_csv)(format!("line {}: not a row", number + 1)))?;
            parquet.push(&row).map_err(|e| failed(&parquet_path)(e))?;
        }
    }
    csv.flush().map_err(|e| failed(&csv_path)(e.to_string()))?;
    parquet.close().map_err(|e| failed(&parquet_path)(e))
}

/// A CSV field, quoted if it must be.
fn escape(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// A per-run CSV line's integers: the block then the metrics.
fn parse(line: &str) -> Option<Vec<i128>> {
    let values: Option<Vec<i128>> = line.split(',').map(|v| v.parse().ok()).collect();
    values.filter(|v| v.len() == 1 + Row::METRICS.len())
}

/// The Parquet file being written: columns buffered up to a row group.
struct Table {
    writer: SerializedFileWriter<BufWriter<fs::File>>,
    kinds: Vec<Kind>,
    point: u64,
    run: u64,
    parameters: Vec<String>,
    /// The block, then each metric.
    columns: Vec<Vec<i64>>,
}

impl Table {
    fn new(file: fs::File, parameters: &Parameters) -> Result<Table, parquet::errors::ParquetError> {
        let int64 = |name: &str| {
            Type::primitive_type_builder(name, Physical::INT64).with_repetition(Repetition::REQUIRED).build()
        };
        let mut fields = vec![int64("point")?, int64("run")?];
        for (name, kind) in &parameters.columns {
            fields.push(match kind {
                Kind::Integer => int64(name)?,
                Kind::Number => Type::primitive_type_builder(name, Physical::DOUBLE)
                    .with_repetition(Repetition::REQUIRED)
                    .build()?,
                Kind::Text => Type::primitive_type_builder(name, Physical::BYTE_ARRAY)
                    .with_repetition(Repetition::REQUIRED)
                    .with_logical_type(Some(LogicalType::String))
                    .build()?,
            });
        }
        fields.push(int64("block")?);
        for metric in Row::METRICS {
            fields.push(int64(metric)?);
        }
        let schema = Type::group_type_builder("runs")
            .with_fields(fields.into_iter().map(Arc::new).collect())
            .build()?;
        let properties = WriterProperties::builder()
            .set_created_by(format!("atelier-sim {}", crate::batch::VERSION))
            .build();
        let writer = SerializedFileWriter::new(BufWriter::new(file), Arc::new(schema), Arc::new(properties))?;
        Ok(Table {
            writer,
            kinds: parameters.columns.iter().map(|(_, kind)| *kind).collect(),
            point: 0,
            run: 0,
            parameters: Vec::new(),
            columns: vec![Vec::new(); 1 + Row::METRICS.len()],
        })
    }

    /// The rows pushed next are `(point, run)`'s, whose swept values are `parameters` (the rows
    /// before are flushed).
    fn start(&mut self, point: u64, run: u64, parameters: &[String]) -> Result<(), String> {
        self.flush()?;
        (self.point, self.run, self.parameters) = (point, run, parameters.to_vec());
        Ok(())
    }

    /// Adds a row of the run started last; writes a row group when full.
    fn push(&mut self, row: &[i128]) -> Result<(), String> {
        for (i, (column, value)) in self.columns.iter_mut().zip(row).enumerate() {
            let name = if i == 0 { "block" } else { Row::METRICS[i - 1] };
            let value = i64::try_from(*value)
                .map_err(|_| format!("{name} = {value} at block {} does not fit in 64 bits", row[0]))?;
            column.push(value);
        }
        if self.columns[0].len() >= ROW_GROUP { self.flush() } else { Ok(()) }
    }

    /// Writes the buffered rows as a row group.
    fn flush(&mut self) -> Result<(), String> {
        let rows = self.columns[0].len();
        if rows == 0 {
            return Ok(());
        }
        let error = |e: parquet::errors::ParquetError| e.to_string();
        let point = i64::try_from(self.point).map_err(|e| e.to_string())?;
        let run = i64::try_from(self.run).map_err(|e| e.to_string())?;
        let mut constant: Vec<Column> = vec![Column::Integer(point), Column::Integer(run)];
        for (value, kind) in self.parameters.iter().zip(&self.kinds) {
            constant.push(match kind {
                Kind::Integer => Column::Integer(value.parse().unwrap_or_default()),
                Kind::Number => Column::Number(value.parse().unwrap_or_default()),
                Kind::Text => Column::Text(ByteArray::from(value.as_str())),
            });
        }
        let mut group = self.writer.next_row_group().map_err(error)?;
        let mut index = 0;
        while let Some(mut column) = group.next_column().map_err(error)? {
            match constant.get(index) {
                Some(Column::Integer(v)) => {
                    column.typed::<Int64Type>().write_batch(&vec![*v; rows], None, None)
                }
                Some(Column::Number(v)) => {
                    column.typed::<DoubleType>().write_batch(&vec![*v; rows], None, None)
                }
                Some(Column::Text(v)) => {
                    column.typed::<ByteArrayType>().write_batch(&vec![v.clone(); rows], None, None)
                }
                None => {
                    column.typed::<Int64Type>().write_batch(&self.columns[index - constant.len()], None, None)
                }
            }
            .map_err(error)?;
            column.close().map_err(error)?;
            index += 1;
        }
        group.close().map_err(error)?;
        self.columns.iter_mut().for_each(Vec::clear);
        Ok(())
    }

    fn close(mut self) -> Result<(), String> {
        self.flush()?;
        self.writer.close().map(|_| ()).map_err(|e| e.to_string())
    }
}

/// A column whose value is the same in every row of a row group.
enum Column {
    Integer(i64),
    Number(f64),
    Text(ByteArray),
}
