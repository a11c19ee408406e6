//! `ipt rules`: the rule catalogue and its bibliography, from `ipt_core::catalogue`. A table
//! fitted to the terminal by default; Markdown (`--format md`) for documents; the API's JSON
//! (`--format json`) for programs.

use std::io::{self, Write};

use comfy_table::{presets, Cell, ColumnConstraint, ContentArrangement, Table, Width};
use ipt_core::catalogue::{self, Rule, Source};

use crate::render::words_of;

/// The width a table is fitted to when the output is not a terminal and `COLUMNS` is unset.
pub const DEFAULT_WIDTH: u16 = 100;

/// The width to fit tables to: the terminal's, else `COLUMNS`, else [`DEFAULT_WIDTH`].
pub fn width() -> u16 {
    if let Some((_, cols)) = console::Term::stdout().size_checked() {
        return cols;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|c| *c >= 40)
        .unwrap_or(DEFAULT_WIDTH)
}

/// A table fitted to `width`; the columns given a share (percent) are held to at most that
/// share, so the long text column gets the rest.
fn table(width: u16, header: &[(&str, Option<u16>)]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .set_header(header.iter().map(|(h, _)| Cell::new(h)));
    for (i, (_, share)) in header.iter().enumerate() {
        if let (Some(share), Some(column)) = (share, t.column_mut(i)) {
            column.set_constraint(ColumnConstraint::UpperBoundary(Width::Percentage(*share)));
        }
    }
    t
}

fn see_also(s: &Source) -> String {
    s.see_also
        .map(|k| format!("published equivalent: {k}"))
        .unwrap_or_default()
}

fn year(s: &Source) -> String {
    s.year.map(|y| y.to_string()).unwrap_or_default()
}

/// The catalogue as two terminal tables, rules then sources, fitted to `width` columns.
pub fn terminal(out: &mut dyn Write, width: u16) -> io::Result<()> {
    // The kind goes under the ID, so that the statement keeps the width.
    let mut rules = table(
        width,
        &[
            ("Rule (kind)", None),
            ("Title", Some(20)),
            ("Sources", Some(12)),
            ("Statement", None),
        ],
    );
    for r in catalogue::all() {
        rules.add_row(vec![
            format!("{}\n({})", r.id.as_str(), words_of(r.kind)),
            r.title.to_owned(),
            r.sources.join("; "),
            ipt_core::catalogue::statement_in(r, &ipt_core::explain::ENGLISH),
        ]);
    }
    writeln!(out, "{rules}")?;
    writeln!(out)?;
    writeln!(
        out,
        "Sources: a rule cites a key, with a section where one helps (S1 §II.G)."
    )?;
    let mut sources = table(
        width,
        &[
            ("Key", None),
            ("Reference", None),
            ("Kind", Some(12)),
            ("Year", None),
            ("See also", Some(12)),
        ],
    );
    for s in catalogue::sources() {
        sources.add_row(vec![
            s.key.to_owned(),
            s.reference.to_owned(),
            words_of(s.kind),
            year(s),
            see_also(s),
        ]);
    }
    writeln!(out, "{sources}")
}

fn md_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn md_row(out: &mut dyn Write, cells: &[String]) -> io::Result<()> {
    let cells: Vec<String> = cells.iter().map(|c| md_cell(c)).collect();
    writeln!(out, "| {} |", cells.join(" | "))
}

/// The catalogue as Markdown: a table of rules, then the bibliography.
pub fn markdown(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## Rules")?;
    writeln!(out)?;
    writeln!(out, "| ID | Title | Kind | Sources | Statement |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    for r in catalogue::all() {
        let Rule {
            id,
            title,
            kind,
            sources,
            statement,
        } = r;
        md_row(
            out,
            &[
                id.as_str().to_owned(),
                (*title).to_owned(),
                words_of(kind),
                sources.join("; "),
                (*statement).to_owned(),
            ],
        )?;
    }
    writeln!(out)?;
    writeln!(out, "## Sources")?;
    writeln!(out)?;
    writeln!(out, "| Key | Reference | Kind | Year | See also |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    for s in catalogue::sources() {
        md_row(
            out,
            &[
                s.key.to_owned(),
                s.reference.to_owned(),
                words_of(s.kind),
                year(s),
                see_also(s),
            ],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut buf = Vec::new();
        f(&mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn the_terminal_table_fits_the_width_it_is_given() {
        for width in [80u16, 120] {
            let t = text(|o| terminal(o, width));
            let widest = t.lines().map(|l| l.chars().count()).max().unwrap();
            assert!(widest <= usize::from(width), "{widest} > {width}");
            assert!(t.contains("C-PSYCHOSIS"));
        }
    }

    #[test]
    fn markdown_has_one_row_per_rule_and_per_source() {
        let t = text(|o| markdown(o));
        let rows = t.lines().filter(|l| l.starts_with("| ")).count();
        // Two header rows, then every rule and every source.
        assert_eq!(
            rows,
            2 + catalogue::all().len() + catalogue::sources().len(),
            "{t}"
        );
    }
}
