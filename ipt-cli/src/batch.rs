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

use ipt_core::api;
use ipt_core::error::ErrorBody;
use ipt_core::explain::{Detail, ENGLISH};
use ipt_core::suitability::{self, Assessment};
use ipt_core::{Error, ErrorCode, JsonPath};
use serde::Deserialize;
use serde_json::value::RawValue;

const CHUNK_LINES: usize = 4096;
const CHUNK_BYTES: usize = 8 * 1024 * 1024;
const OP: &str = "assess_suitability";
const TOO_LONG: &str = "the line is longer than the engine accepts";
use ipt_core::limits::MAX_REQUEST_BYTES;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    id: Box<RawValue>,
    assessment: Box<RawValue>,
}

/// Only the `id` of a line, to keep the caller's id on a line that is otherwise wrong.
#[derive(Deserialize)]
struct IdOnly {
    id: Option<Box<RawValue>>,
}

/// An id: a string or an integer, echoed as given.
#[derive(Deserialize)]
#[serde(untagged)]
enum Id {
    Text(#[allow(dead_code)] String),
    Signed(#[allow(dead_code)] i64),
    Unsigned(#[allow(dead_code)] u64),
}

fn valid_id(raw: &RawValue) -> bool {
    serde_json::from_str::<Id>(raw.get()).is_ok()
}

/// The caller's id, when the line has a valid one; `null` otherwise.
fn id_of(text: &str) -> String {
    serde_json::from_str::<IdOnly>(text)
        .ok()
        .and_then(|l| l.id)
        .filter(|id| valid_id(id))
        .map_or_else(|| "null".to_owned(), |id| id.get().to_owned())
}

/// An error of the line itself (not of its assessment), with the line number in the message.
fn line_error(line_no: usize, e: Error) -> (String, &'static str) {
    let code = e.code();
    let mut body = e.to_body();
    body.message = format!("line {line_no}: {}", body.message);
    (api::error_answer(OP, &body), code.as_str())
}

/// The answer line for one input line, and the verdict or error code for the summary.
fn process(
    line_no: usize,
    text: &Result<String, String>,
    detail: Detail,
) -> (String, &'static str) {
    let text = match text {
        Ok(t) => t,
        Err(message) => {
            let (code, message) = if message == TOO_LONG {
                (
                    ErrorCode::InputTooLarge,
                    format!("line {line_no}: {message} ({MAX_REQUEST_BYTES} bytes)"),
                )
            } else {
                (ErrorCode::InvalidUtf8, format!("line {line_no}: {message}"))
            };
            let body = ErrorBody {
                code,
                message,
                path: None,
                unmet: Vec::new(),
            };
            let answer = api::error_answer(OP, &body);
            return (
                format!("{{\"id\":null,\"line\":{line_no},\"answer\":{answer}}}"),
                code.as_str(),
            );
        }
    };
    let (id, answer, tally) = match ipt_core::parse::parse::<Line>(text) {
        Ok(line) if !valid_id(&line.id) => {
            let (answer, tally) = line_error(
                line_no,
                Error::invalid(
                    JsonPath::root().key("id"),
                    "an id is a string or an integer",
                ),
            );
            ("null".to_owned(), answer, tally)
        }
        Ok(line) => match ipt_core::parse::parse::<Assessment>(line.assessment.get())
            .and_then(|a| a.check_limits().map(|()| a))
        {
            Ok(a) => {
                let report = suitability::assess_at(&a, detail, &ENGLISH);
                let verdict = report.verdict.as_str();
                (
                    line.id.get().to_owned(),
                    api::encode(OP, Ok(report)),
                    verdict,
                )
            }
            Err(e) => {
                let e = e.under(&JsonPath::root().key("assessment"));
                let code = e.code().as_str();
                (
                    line.id.get().to_owned(),
                    api::encode::<()>(OP, Err(e)),
                    code,
                )
            }
        },
        Err(e) => {
            let (answer, tally) = line_error(line_no, e);
            (id_of(text), answer, tally)
        }
    };
    (
        format!("{{\"id\":{id},\"line\":{line_no},\"answer\":{answer}}}"),
        tally,
    )
}

/// Reads the next chunk of lines: `(line number, text or why it is not text)`.
fn read_chunk(
    input: &mut dyn BufRead,
    line_no: &mut usize,
    chunk: &mut Vec<(usize, Result<String, String>)>,
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
            chunk.push((*line_no, Err(TOO_LONG.to_owned())));
            continue;
        }
        while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            buf.pop();
        }
        match std::str::from_utf8(&buf) {
            Ok(t) if t.trim().is_empty() => {}
            Ok(t) => chunk.push((*line_no, Ok(t.to_owned()))),
            Err(e) => chunk.push((*line_no, Err(format!("the line is not valid UTF-8 ({e})")))),
        }
    }
    Ok(())
}

/// Reads one line into `buf`, keeping at most `max` bytes of it: `(bytes consumed, whether
/// the whole line was kept)`. The rest of a longer line is read and dropped, so memory stays
/// bounded whatever the input.
fn read_line_bounded(
    input: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<(usize, bool)> {
    let mut consumed = 0usize;
    let mut whole = true;
    loop {
        let available = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok((consumed, whole));
        }
        let (part, done) = match available.iter().position(|b| *b == b'\n') {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let n = part.len();
        // The newline itself does not count against the limit.
        let content = part.strip_suffix(b"\n").unwrap_or(part).len();
        if whole && buf.len() + content <= max {
            buf.extend_from_slice(part);
        } else if whole {
            whole = false;
            buf.clear();
        }
        input.consume(n);
        consumed += n;
        if done {
            return Ok((consumed, whole));
        }
    }
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
        (End::ClosedPipe, _) => return Ok(crate::exit::OK),
        (End::Done, Err(e)) if e.kind() == ErrorKind::BrokenPipe => return Ok(crate::exit::OK),
        (End::Done, Err(e)) => return Err(write_failed(written, e)),
        (End::Done, Ok(())) => {}
    }
    let summary: Vec<String> = counts.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let mut err = anstream::stderr();
    let _ = writeln!(err, "ipt batch: {written} lines; {}", summary.join(", "));
    Ok(crate::exit::OK)
}
