//! `ipt batch`: NDJSON in (`{"id": .., "assessment": {..}}` per line), NDJSON out
//! (`{"id": .., "line": n, "answer": <envelope>}`), same order, bounded memory: lines are read
//! in chunks of at most 4,096 lines and 8 MiB, each chunk is assessed on `jobs` threads, and
//! written before the next.
//!
//! Every line gets an answer: a line that is not UTF-8, not JSON, or not an object with an
//! `id` (a string or an integer) and an `assessment` gets an error answer with its line number
//! and the JSONPath of what is wrong, and the run goes on. A failed write ends the run with the
//! I/O exit code and says how many answers were written; a pipe closed by its reader (`| head`)
//! ends it quietly.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, BufWriter, ErrorKind, IsTerminal, Write};

use ipt_cli::line::{process, read_line_bounded, Unreadable};
use ipt_core::explain::Detail;
use ipt_core::limits::MAX_REQUEST_BYTES;

const CHUNK_LINES: usize = 4096;
const CHUNK_BYTES: usize = 8 * 1024 * 1024;

/// Reads the next chunk of lines: `(line number, text or why it is not text)`.
fn read_chunk(
    input: &mut dyn BufRead,
    line_no: &mut usize,
    chunk: &mut Vec<(usize, Result<String, Unreadable>)>,
) -> Result<(), String> {
    chunk.clear();
    let mut bytes = 0usize;
    let mut buf = Vec::new();
    while chunk.len() < CHUNK_LINES && bytes < CHUNK_BYTES {
        buf.clear();
        let (n, whole) = read_line_bounded(input, &mut buf, MAX_REQUEST_BYTES)
            .map_err(|e| format!("line {}: {e}", *line_no + 1))?;
        if n == 0 {
            break;
        }
        *line_no += 1;
        bytes += buf.len();
        if !whole {
            chunk.push((*line_no, Err(Unreadable::TooLong)));
            continue;
        }
        while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            buf.pop();
        }
        match std::str::from_utf8(&buf) {
            Ok(t) if t.trim().is_empty() => {}
            Ok(t) => chunk.push((*line_no, Ok(t.to_owned()))),
            Err(e) => chunk.push((*line_no, Err(Unreadable::NotUtf8(e.to_string())))),
        }
    }
    Ok(())
}

/// How a run ends.
enum End {
    /// Every line was read and answered.
    Done,
    /// The reader of standard output went away (`| head`): end quietly.
    ClosedPipe,
}

/// Runs the batch; the summary goes to stderr.
pub fn run(file: &str, jobs: usize, decision: bool) -> Result<u8, String> {
    let mut input: Box<dyn BufRead> = if file == "-" {
        Box::new(BufReader::new(std::io::stdin().lock()))
    } else {
        Box::new(BufReader::new(
            std::fs::File::open(file).map_err(|e| format!("{file}: {e}"))?,
        ))
    };
    let detail = if decision {
        Detail::Decision
    } else {
        Detail::Explained
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
    let mut written = 0u64;
    let mut line_no = 0usize;
    let mut chunk = Vec::with_capacity(CHUNK_LINES);
    let write_failed = |written: u64, e: std::io::Error| {
        format!("standard output: {e} ({written} answers written)")
    };
    let end = loop {
        let read = read_chunk(&mut *input, &mut line_no, &mut chunk);
        let per = chunk.len().div_ceil(jobs).max(1);
        let results: Vec<Vec<(String, &'static str)>> = std::thread::scope(|s| {
            let handles: Vec<_> = chunk
                .chunks(per)
                .map(|part| {
                    s.spawn(move || {
                        part.iter()
                            .map(|(n, l)| process(*n, l, detail))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        let mut closed = false;
        for (text, tally) in results.into_iter().flatten() {
            match writeln!(out, "{text}") {
                Ok(()) => {
                    written += 1;
                    *counts.entry(tally).or_default() += 1;
                }
                Err(e) if e.kind() == ErrorKind::BrokenPipe => {
                    closed = true;
                    break;
                }
                Err(e) => return Err(write_failed(written, e)),
            }
        }
        progress.set_position(line_no as u64);
        if closed {
            break End::ClosedPipe;
        }
        // A read error ends the run after the answers already computed are written.
        read.map_err(|e| format!("{file}: {e} ({written} answers written)"))?;
        if chunk.is_empty() {
            break End::Done;
        }
    };
    progress.finish_and_clear();
    match (end, out.flush()) {
        (End::ClosedPipe, _) => return Ok(ipt_cli::exit::OK),
        (End::Done, Err(e)) if e.kind() == ErrorKind::BrokenPipe => return Ok(ipt_cli::exit::OK),
        (End::Done, Err(e)) => return Err(write_failed(written, e)),
        (End::Done, Ok(())) => {}
    }
    let summary: Vec<String> = counts.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let mut err = anstream::stderr();
    let _ = writeln!(err, "ipt batch: {written} lines; {}", summary.join(", "));
    Ok(ipt_cli::exit::OK)
}
