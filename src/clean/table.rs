//! Tables printed as text. A dump renders an HTML table as rows of cells set apart by runs of
//! spaces: standings, results, prices, a player's stats. Each row alone is a short line with few
//! function words, so the line classes call it a menu entry or a title, and an article that is
//! mostly a table lost it. Several rows in a row with the same number of cells, holding numbers,
//! are a table: the region scan weighs them as text.

use super::features::BULLETS;

/// A row has at least this many cells: two columns are as often a label and its value in a
/// sidebar ("Price   Save"), a bullet and its link, or a form field.
const MIN_CELLS: usize = 3;

/// A table has at least this many rows (its header included) of one cell count.
const MIN_ROWS: usize = 3;

/// Cells are parted by at least this many spaces (or a tab).
const MIN_GAP: usize = 2;

/// A list of entries has at least this many lines.
const MIN_ENTRIES: usize = 4;

/// An entry has at most this many words.
const MAX_ENTRY_WORDS: usize = 12;

/// Dashes that part an entry's date or number from what it names: "June 9 – Tampa, FL",
/// "3a etapa: 22 de abril – Velopark".
const ENTRY_DASHES: &[&str] = &[" – ", " — ", " - ", " -- "];

/// Whether `line` can be an entry of a list of dated or numbered items: it starts with a letter
/// or digit (not a bullet or a symbol, as menus and archive links do), is short, holds a digit,
/// and a dash parts it.
fn entry(line: &str) -> bool {
    line.starts_with(char::is_alphanumeric)
        && line.split_whitespace().nth(MAX_ENTRY_WORDS).is_none()
        && line.chars().any(|c| c.is_ascii_digit())
        && ENTRY_DASHES.iter().any(|d| line.contains(d))
}

/// Whether `line` is a note under an entry, wholly in parentheses: "(includes permits, parts,
/// etc.)" under "Replacing Electrical Panels - $1,595 - $3,000+". It neither counts as an entry
/// nor breaks the list.
fn note(line: &str) -> bool {
    line.starts_with('(') && line.ends_with(')') && line.split_whitespace().nth(MAX_ENTRY_WORDS).is_none()
}

/// The cells of `line` (trimmed): its parts between runs of at least [`MIN_GAP`] white-space
/// characters or a tab.
fn cell_count(line: &str) -> usize {
    // Single spaces part no cells: most lines are one cell or none, told without a pass by
    // character.
    if line.is_ascii() && !line.contains("  ") && !line.bytes().any(|b| matches!(b, b'\t'..=b'\r')) {
        return usize::from(!line.trim_start().is_empty());
    }
    let mut cells = 0;
    let mut gap = 0;
    let mut in_cell = false;
    for c in line.chars() {
        if c.is_whitespace() {
            gap += if c == '\t' { MIN_GAP } else { 1 };
            if gap >= MIN_GAP {
                in_cell = false;
            }
        } else {
            gap = 0;
            if !in_cell {
                cells += 1;
                in_cell = true;
            }
        }
    }
    cells
}

/// The column count of `line` when it can be a table row: at least [`MIN_CELLS`] cells and not
/// a bulleted list item or a placeholder (a list of links with thumbnails prints like a row).
/// A row printed with bars between its cells ("1 | Ana Ruiz | 5040") has the cells the bars
/// part.
fn row_cells(line: &str) -> usize {
    if line.starts_with(BULLETS) || line.starts_with('[') {
        return 0;
    }
    let cells =
        if line.contains(" | ") { line.split('|').filter(|c| !c.trim().is_empty()).count() } else { cell_count(line) };
    if cells >= MIN_CELLS {
        cells
    } else {
        0
    }
}

/// For each line of `lines` (the page's non-blank lines, in order), whether it is a row of a
/// table: one of at least [`MIN_ROWS`] consecutive lines with the same number of cells, at least
/// half of which hold a digit (a table of figures, not a form or a grid of links); or one of at
/// least [`MIN_ENTRIES`] consecutive entries of a list of dates or numbers ("June 9 – Tampa,
/// FL"), the same kind of table printed without columns.
pub(super) fn table_rows(lines: &[&str]) -> Vec<bool> {
    let cells: Vec<usize> = lines.iter().map(|l| row_cells(l)).collect();
    let mut rows = vec![false; lines.len()];
    let mut start = 0;
    while start < lines.len() {
        let n = cells[start];
        let mut end = start + 1;
        while end < lines.len() && n > 0 && cells[end] == n {
            end += 1;
        }
        // Only a run long enough to be a table is read for figures.
        let numeric = || lines[start..end].iter().filter(|l| l.chars().any(|c| c.is_ascii_digit())).count();
        if n > 0 && end - start >= MIN_ROWS && numeric() * 2 >= end - start {
            rows[start..end].fill(true);
        }
        start = end;
    }
    let entries_at: Vec<bool> = lines.iter().map(|l| entry(l)).collect();
    let mut start = 0;
    while start < lines.len() {
        let (mut end, mut entries) = (start, 0);
        while end < lines.len() {
            if entries_at[end] {
                entries += 1;
            } else if end == start || !entries_at[end - 1] || !note(lines[end]) {
                break;
            }
            end += 1;
        }
        if entries >= MIN_ENTRIES {
            rows[start..end].fill(true);
        }
        start = end + 1;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_parted_by_two_spaces() {
        assert_eq!(cell_count("Pos.  Driver       Points  Wins"), 4);
        assert_eq!(cell_count("The council voted on Tuesday."), 1);
        assert_eq!(cell_count("Name\tTeam\tGoals"), 3);
        assert_eq!(row_cells("1 | Ana Ruiz | 5040 | 5"), 4);
    }

    #[test]
    fn rows_of_figures_are_a_table() {
        let page = [
            "Final standings after the last round:",
            "Pos.  Driver          Points  Wins",
            "1     Ana Ruiz          5040     5",
            "2     Tom Berg          5035     7",
            "3     Lea Voss          5033     4",
            "The title went to Ruiz for the second year running.",
        ];
        assert_eq!(table_rows(&page), [false, true, true, true, true, false]);
    }

    #[test]
    fn two_rows_or_rows_without_figures_are_not() {
        assert_eq!(table_rows(&["A  B  1", "C  D  2", "Next"]), [false; 3]);
        assert_eq!(table_rows(&["Home  News  Sport", "Arts  Food  Travel", "Jobs  Cars  Homes"]), [false; 3]);
        assert_eq!(
            table_rows(&["•  [thumb-1]  A story 1", "•  [thumb-2]  A story 2", "•  [thumb-3]  A story 3"]),
            [false; 3]
        );
    }

    #[test]
    fn notes_under_entries_neither_count_nor_break_the_list() {
        let page = [
            "Panel repairs",
            "Replace a breaker - $90 - $250",
            "(parts included)",
            "Replace a panel - $1,600 - $3,000",
            "(permits extra)",
            "Move a meter - $800 - $2,000",
            "Ground a panel - $300 - $600",
            "Call us today.",
        ];
        assert_eq!(table_rows(&page), [false, true, true, true, true, true, true, false]);
        // Three entries and their notes are not four entries.
        assert_eq!(table_rows(&page[..6]), [false; 6]);
        assert_eq!(table_rows(&["(a note)", "A - 1", "B - 2", "C - 3"]), [false; 4]);
    }
}
