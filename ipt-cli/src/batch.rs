//! `ipt batch`: NDJSON in (`{"id": .., "assessment": {..}}` per line), NDJSON out
//! (`{"id": .., "line": n, "answer": <envelope>}`), same order, constant memory: lines are read
//! in bounded chunks, each chunk is assessed on `jobs` threads, and written before the next.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, BufWriter, IsTerminal, Write};

use ipt_core::api;
use ipt_core::explain::{Detail, ENGLISH};
use ipt_core::suitability::{self, Assessment};
use ipt_core::{Error, ErrorCode, JsonPath};
use serde::Deserialize;
use serde_json::value::RawValue;

const CHUNK: usize = 4096;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    #[serde(borrow)]
    id: &'a RawValue,
    #[serde(borrow)]
    assessment: &'a RawValue,
}

/// The answer line for one input line, and the verdict or error code for the summary.
fn process(line_no: usize, text: &str, decision: bool) -> (String, &'static str) {
    let op = "assess_suitability";
    let detail = if decision {
        Detail::Decision
    } else {
        Detail::Explained
    };
    let (id, answer, tally) = match read_line(text) {
        Ok(line) => match ipt_core::parse::parse::<Assessment>(line.assessment.get()) {
            Ok(a) => {
                let report = suitability::assess_at(&a, detail, &ENGLISH);
                let verdict = report.verdict.as_str();
                (
                    line.id.get().to_owned(),
                    api::encode(op, Ok(report)),
                    verdict,
                )
            }
            Err(e) => {
                let e = reroot(e);
                let code = e.code().as_str();
                (
                    line.id.get().to_owned(),
                    api::encode::<()>(op, Err(e)),
                    code,
                )
            }
        },
        Err(e) => {
            let code = if e.is_data() {
                ErrorCode::InvalidInput
            } else {
                ErrorCode::InvalidJson
            };
            let message = format!("line {line_no}: {e}");
            (
                "null".to_owned(),
                api::error_answer_with(op, code, &message),
                code.as_str(),
            )
        }
    };
    (
        format!("{{\"id\":{id},\"line\":{line_no},\"answer\":{answer}}}"),
        tally,
    )
}

/// Reads a line strictly: an object with `id` and `assessment`, never an array read
/// positionally.
fn read_line(text: &str) -> Result<Line<'_>, serde_json::Error> {
    use serde::Deserialize as _;
    let mut de = serde_json::Deserializer::from_str(text);
    let line = Line::deserialize(ipt_core::parse::Strict(&mut de))?;
    de.end()?;
    Ok(line)
}

/// Paths in a line point into its `assessment`.
fn reroot(e: Error) -> Error {
    e.under(&JsonPath::root().key("assessment"))
}

/// Runs the batch; the summary goes to stderr.
pub fn run(file: &str, jobs: usize, decision: bool) -> Result<u8, String> {
    let input: Box<dyn BufRead> = if file == "-" {
        Box::new(BufReader::new(std::io::stdin().lock()))
    } else {
        Box::new(BufReader::new(
            std::fs::File::open(file).map_err(|e| format!("{file}: {e}"))?,
        ))
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let progress = if std::io::stderr().is_terminal() {
        let p = indicatif::ProgressBar::new_spinner();
        p.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} lines {per_sec}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        p
    } else {
        indicatif::ProgressBar::hidden()
    };
    let jobs = jobs.max(1);
    let mut counts: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut lines = input.lines();
    let mut line_no = 0usize;
    let mut chunk: Vec<(usize, String)> = Vec::with_capacity(CHUNK);
    loop {
        chunk.clear();
        for line in lines.by_ref() {
            line_no += 1;
            let line = line.map_err(|e| format!("{file}: line {line_no}: {e}"))?;
            if line.trim().is_empty() {
                continue;
            }
            chunk.push((line_no, line));
            if chunk.len() == CHUNK {
                break;
            }
        }
        if chunk.is_empty() {
            break;
        }
        let per = chunk.len().div_ceil(jobs);
        let results: Vec<Vec<(String, &'static str)>> = std::thread::scope(|s| {
            let handles: Vec<_> = chunk
                .chunks(per)
                .map(|part| {
                    s.spawn(move || {
                        part.iter()
                            .map(|(n, l)| process(*n, l, decision))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        for (text, tally) in results.into_iter().flatten() {
            writeln!(out, "{text}").map_err(|e| format!("standard output: {e}"))?;
            *counts.entry(tally).or_default() += 1;
        }
        progress.set_position(line_no as u64);
    }
    out.flush().map_err(|e| format!("standard output: {e}"))?;
    progress.finish_and_clear();
    let total: u64 = counts.values().sum();
    let summary: Vec<String> = counts.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let mut err = anstream::stderr();
    let _ = writeln!(err, "ipt batch: {total} lines; {}", summary.join(", "));
    Ok(crate::exit::OK)
}
