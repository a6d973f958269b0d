//! One output layer for every command: `--output json` prints the data alone, as JSON.

use anyhow::Result;
use atelier_api::AccountView;
use serde::Serialize;
use serde_json::Value;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Output {
    /// For people.
    Text,
    /// For programs: the data alone on stdout.
    Json,
}

impl Output {
    /// Prints `value` as JSON, or as `text(value)` for people.
    pub(crate) fn print<T: Serialize>(self, value: &T, text: impl Fn(&T) -> String) -> Result<()> {
        match self {
            Output::Json => println!("{}", serde_json::to_string_pretty(value)?),
            Output::Text => println!("{}", text(value)),
        }
        Ok(())
    }
}

/// Any answer for people: a list of records as a table, a record as aligned `field  value` lines
/// (a nested record indented under its field, a nested list of records as a table), text without
/// quotes. Base units stay base units: only the commands that know a field's unit convert it.
pub(crate) fn readable<T: Serialize>(value: &T) -> String {
    let value = serde_json::to_value(value).unwrap_or(Value::Null);
    let mut out = String::new();
    block(&value, 0, &mut out);
    out.trim_end().to_owned()
}

/// Widest a table cell is shown; longer ones end in `…`.
const CELL_WIDTH: usize = 48;

fn block(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Array(items) if items.is_empty() => out.push_str(&format!("{pad}(none)\n")),
        Value::Array(items) if items.iter().all(Value::is_object) => table(items, &pad, out),
        Value::Array(items) => items.iter().for_each(|item| out.push_str(&format!("{pad}{}\n", cell(item)))),
        Value::Object(fields) if fields.is_empty() => out.push_str(&format!("{pad}(empty)\n")),
        Value::Object(fields) => {
            let width = fields.keys().map(|key| key.chars().count()).max().unwrap_or(0);
            for (key, value) in fields {
                match value {
                    Value::Object(inner) if !inner.is_empty() => {
                        out.push_str(&format!("{pad}{key}\n"));
                        block(value, indent + 2, out);
                    }
                    Value::Array(items) if !items.is_empty() && !items.iter().all(is_scalar) => {
                        out.push_str(&format!("{pad}{key}\n"));
                        block(value, indent + 2, out);
                    }
                    _ => out
                        .push_str(&format!("{}\n", format!("{pad}{key:width$}  {}", cell(value)).trim_end())),
                }
            }
        }
        scalar => out.push_str(&format!("{pad}{}\n", cell(scalar))),
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Object(_) | Value::Array(_))
}

/// Records as a table: a column per field in the order they first appear, a nested record's
/// fields as `record.field` columns.
fn table(records: &[Value], pad: &str, out: &mut String) {
    let records: Vec<Vec<(String, &Value)>> = records.iter().map(|record| flat(record, "")).collect();
    let mut columns: Vec<&str> = Vec::new();
    for (key, _) in records.iter().flatten() {
        if !columns.contains(&key.as_str()) {
            columns.push(key);
        }
    }
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|record| {
            columns
                .iter()
                .map(|column| {
                    record
                        .iter()
                        .find(|(key, _)| key == column)
                        .map(|(_, value)| cell(value))
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    let header: Vec<String> = columns.iter().map(|column| column.to_uppercase()).collect();
    let widths: Vec<usize> = (0..columns.len())
        .map(|i| rows.iter().chain([&header]).map(|row| row[i].chars().count()).max().unwrap_or(0))
        .collect();
    for row in [&header].into_iter().chain(&rows) {
        let cells: Vec<String> =
            row.iter().zip(&widths).map(|(cell, width)| format!("{cell:width$}")).collect();
        out.push_str(&format!("{pad}{}\n", cells.join("  ").trim_end()));
    }
}

/// A record's fields, a nested record's as `record.field`.
fn flat<'a>(value: &'a Value, prefix: &str) -> Vec<(String, &'a Value)> {
    match value {
        Value::Object(fields) if !fields.is_empty() => fields
            .iter()
            .flat_map(|(key, value)| {
                let key = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                flat(value, &key)
            })
            .collect(),
        _ => vec![(prefix.to_owned(), value)],
    }
}

/// One value on one line: text without quotes, a nested value as compact JSON, cut at
/// [`CELL_WIDTH`].
fn cell(value: &Value) -> String {
    let text = match value {
        Value::Null => "-".to_owned(),
        Value::String(text) => text.clone(),
        Value::Array(items) if items.iter().all(is_scalar) => {
            items.iter().map(cell).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    };
    if text.chars().count() > CELL_WIDTH {
        text.chars().take(CELL_WIDTH - 1).chain(['…']).collect()
    } else {
        text
    }
}

/// An account for people.
pub(crate) fn account_text(account: &AccountView) -> String {
    let mut out = format!("{}\n  nonce {} (next {})", account.address, account.nonce, account.next_nonce);
    for coin in &account.balances {
        let shown = match (coin.denom.parse(), coin.amount.parse()) {
            (Ok(denom), Ok(amount)) => crate::money::human(denom, amount),
            _ => format!("{} {}", coin.amount, coin.denom),
        };
        out.push_str(&format!("\n  {shown}"));
    }
    if account.balances.is_empty() {
        out.push_str("\n  no balances");
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::readable;

    #[test]
    fn a_list_of_records_reads_as_a_table_with_a_column_per_field() {
        let listings = json!([
            {"id": 1, "seller": "atelier1abc", "price": "50000", "denom": "ugdc"},
            {"id": 12, "seller": "atelier1defgh", "price": "7", "denom": "uusd", "expires": null},
        ]);
        assert_eq!(
            readable(&listings),
            "ID  SELLER         PRICE  DENOM  EXPIRES\n\
             1   atelier1abc    50000  ugdc\n\
             12  atelier1defgh  7      uusd   -"
        );
    }

    #[test]
    fn a_nested_record_in_a_list_becomes_dotted_columns() {
        let feeds = json!([{"spec": {"id": "gdc_usd", "quorum": 3}, "stale": true}]);
        assert_eq!(readable(&feeds), "SPEC.ID  SPEC.QUORUM  STALE\ngdc_usd  3            true");
    }

    #[test]
    fn a_record_reads_as_aligned_fields_with_nested_records_indented() {
        let job = json!({"id": 3, "status": "settled", "escrow": {"denom": "ugdc", "amount": "10"}, "parents": [1, 2], "tags": []});
        assert_eq!(
            readable(&job),
            "id       3\nstatus   settled\nescrow\n  denom   ugdc\n  amount  10\nparents  1, 2\ntags"
        );
    }

    #[test]
    fn long_cells_are_cut_and_empty_lists_say_so() {
        let long = "x".repeat(100);
        let shown = readable(&json!([{ "hash": long }]));
        assert!(shown.lines().nth(1).unwrap().ends_with('…'));
        assert_eq!(shown.lines().nth(1).unwrap().chars().count(), 48);
        assert_eq!(readable(&json!([])), "(none)");
    }
}
