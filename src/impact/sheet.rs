//! Spreadsheets as survey files (`.xlsx`, and also `.xls`, `.xlsb`, `.ods`), read with the
//! calamine crate into the same all-text frame a CSV file gives, so they go through the same
//! checks. Rows keep the numbers the spreadsheet shows (the header row is usually row 1).

use std::path::Path;

use calamine::{Data, Reader};
use polars::prelude::*;

use crate::common::diagnostics::Diagnostic;

/// File name endings read as spreadsheets.
pub const EXTENSIONS: [&str; 4] = [".xlsx", ".xls", ".xlsb", ".ods"];

/// True when `name` is a spreadsheet file berdaya reads.
pub fn is_spreadsheet(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    EXTENSIONS.iter().any(|e| lower.ends_with(e))
}

/// One sheet as text.
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// One text column per header cell (empty cells are null) and `__row`, the row number the
    /// spreadsheet shows (u64); rows with no value at all are left out.
    pub frame: DataFrame,
}

/// Reads sheet `wanted` (the first visible sheet when `None`) of the spreadsheet at `path`; `display`
/// is its name in messages. Columns without a name in the header row are left out. Errors: the
/// file cannot be opened, has no such sheet, is empty, or its header row repeats a name (with
/// the cell, e.g. `C1`).
pub fn read(path: &Path, display: &str, wanted: Option<&str>) -> Result<Sheet, Diagnostic> {
    let mut book = calamine::open_workbook_auto(path).map_err(|e| {
        Diagnostic::error(format!("cannot read spreadsheet {display}: {e}"))
            .in_file(display)
            .help("save it again as .xlsx (Excel 2007 or later) and check it opens")
    })?;
    let names = book.sheet_names();
    // By default the first sheet a person sees: hidden sheets often hold old or helper data.
    let first_visible = book
        .sheets_metadata()
        .iter()
        .find(|m| m.visible == calamine::SheetVisible::Visible)
        .map(|m| m.name.clone());
    let name = match wanted {
        Some(w) => names.iter().find(|n| n.as_str() == w).cloned(),
        None => first_visible,
    }
    .ok_or_else(|| {
        Diagnostic::error(format!(
            "{display} has no sheet {}",
            wanted.map_or("at all".to_string(), |w| format!("`{w}`"))
        ))
        .in_file(display)
        .help(format!(
            "its sheets: {}; name the one with the survey in `sheet` of data/impact.toml",
            names.join(", ")
        ))
    })?;
    let range = book.worksheet_range(&name).map_err(|e| {
        Diagnostic::error(format!("cannot read sheet `{name}` of {display}: {e}")).in_file(display)
    })?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows = range.rows();
    let header = rows.next().ok_or_else(|| {
        Diagnostic::error(format!("sheet `{name}` of {display} is empty"))
            .in_file(display)
            .help("the first row must name the columns and the rows below hold the answers")
    })?;
    let mut heads: Vec<String> = Vec::with_capacity(header.len());
    for (j, cell) in header.iter().enumerate() {
        let head = text(cell).unwrap_or_default().trim().to_string();
        let at = format!("{}{}", column_letters(left + j as u32), top + 1);
        // Columns without a name are not survey columns: left out.
        if heads.contains(&head) && !head.is_empty() {
            return Err(Diagnostic::error(format!(
                "column name `{head}` appears twice in the header row of sheet `{name}` in {display} (again in {at})"
            ))
            .in_file(display)
            .help("rename one of the columns"));
        }
        heads.push(head);
    }
    let mut columns: Vec<Vec<Option<String>>> = vec![Vec::new(); heads.len()];
    let mut row_numbers: Vec<u64> = Vec::new();
    for (i, row) in rows.enumerate() {
        let cells: Vec<Option<String>> = (0..heads.len())
            .map(|j| row.get(j).and_then(text))
            .collect();
        if cells.iter().all(Option::is_none) {
            continue;
        }
        row_numbers.push(u64::from(top) + 2 + i as u64);
        for (column, cell) in columns.iter_mut().zip(cells) {
            column.push(cell);
        }
    }
    let mut series: Vec<Column> = heads
        .iter()
        .zip(columns)
        .filter(|(h, _)| !h.is_empty())
        .map(|(h, values)| Column::new(h.as_str().into(), values))
        .collect();
    series.push(Column::new("__row".into(), row_numbers));
    let frame = DataFrame::new_infer_height(series).map_err(|e| {
        Diagnostic::error(format!("cannot read sheet `{name}` of {display}: {e}")).in_file(display)
    })?;
    Ok(Sheet { name, frame })
}

/// A cell as the text a CSV export would hold: whole numbers without a decimal point, dates
/// as `YYYY-MM-DD` (with the time when there is one), errors as Excel shows them (`#N/A`);
/// `None` for an empty cell.
fn text(cell: &Data) -> Option<String> {
    match cell {
        Data::Empty => None,
        Data::String(s) => Some(s.clone()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) => Some(if f.fract() == 0.0 && f.abs() < 9.0e15 {
            format!("{}", *f as i64)
        } else {
            format!("{f}")
        }),
        Data::Bool(b) => Some(b.to_string()),
        Data::DateTime(d) => {
            let (y, m, day, h, min, s, _) = d.to_ymd_hms_milli();
            Some(if (h, min, s) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{day:02}")
            } else {
                format!("{y:04}-{m:02}-{day:02}T{h:02}:{min:02}:{s:02}")
            })
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::Error(e) => Some(e.to_string()),
    }
}

/// A column's letters as a spreadsheet shows them: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(index: u32) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_the_spreadsheet() {
        let got: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(got, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn cells_read_as_a_csv_export_would_write_them() {
        assert_eq!(text(&Data::Float(3_100_000.0)).unwrap(), "3100000");
        assert_eq!(text(&Data::Float(2.5)).unwrap(), "2.5");
        assert_eq!(text(&Data::Float(f64::INFINITY)).unwrap(), "inf");
        assert_eq!(text(&Data::Int(7)).unwrap(), "7");
        assert_eq!(text(&Data::Bool(true)).unwrap(), "true");
        assert_eq!(
            text(&Data::Error(calamine::CellErrorType::NA)).unwrap(),
            "#N/A"
        );
        assert_eq!(text(&Data::Empty), None);
    }
}
