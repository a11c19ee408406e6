//! `ipt batch`: NDJSON in (`{"id": .., "assessment": {..}}` per line), NDJSON out (one
//! answer per line, same order), in constant memory: a reader thread fills chunks of at most
//! 512 lines and 1 MiB, `jobs` worker threads started once answer them into each chunk's own
//! output buffer, and the main thread writes the chunks in order and hands them back to the
//! reader. Buffers are reused from chunk to chunk; at most `2 × jobs + 2` chunks exist.
//!
//! Each answer line is `{"id": .., "line": n, "answer": <envelope>}`, or with `--compact`
//! `{"id": .., "line": n, "verdict": .., "decided_by": [..], "alerts": [..],
//! "inputs_missing": [..]}` (or `"error"` in place of the decision).
//!
//! Every line gets an answer: a line that is not UTF-8, not JSON, or not an object with an
//! `id` (a string or an integer) and an `assessment` gets an error answer with its line number
//! and the JSONPath of what is wrong, and the run goes on. A failed write ends the run with the
//! I/O exit code and says how many answers were written; a pipe closed by its reader (`| head`)
//! ends it quietly.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, ErrorKind, IsTerminal, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use ipt_cli::line::{process_into, read_line_bounded, Mode, Unreadable};
use ipt_core::limits::MAX_REQUEST_BYTES;

const CHUNK_LINES: usize = 512;
const CHUNK_BYTES: usize = 1024 * 1024;

/// One line of a chunk: its number and where its text lies in the chunk's text, or why it
/// has none.
struct LineRef {
    number: usize,
    text: Result<std::ops::Range<usize>, Unreadable>,
}

/// A chunk of lines and, once answered, their answers. Travels reader → worker → writer →
/// reader, keeping its buffers.
#[derive(Default)]
struct Chunk {
    seq: u64,
    text: Vec<u8>,
    lines: Vec<LineRef>,
    out: Vec<u8>,
    tallies: Vec<&'static str>,
}

/// Fills `chunk` with the next lines; `false` at the end of the input.
fn fill(input: &mut dyn BufRead, line_no: &mut usize, chunk: &mut Chunk) -> Result<bool, String> {
    chunk.text.clear();
    chunk.lines.clear();
    let mut any = false;
    while chunk.lines.len() < CHUNK_LINES && chunk.text.len() < CHUNK_BYTES {
        let start = chunk.text.len();
        let (n, whole) = read_line_bounded(input, &mut chunk.text, MAX_REQUEST_BYTES)
            .map_err(|e| format!("line {}: {e}", *line_no + 1))?;
        if n == 0 {
            return Ok(any);
        }
        any = true;
        *line_no += 1;
        if !whole {
            chunk.text.truncate(start);
            chunk.lines.push(LineRef {
                number: *line_no,
                text: Err(Unreadable::TooLong),
            });
            continue;
        }
        while chunk.text.len() > start && matches!(chunk.text.last(), Some(b'\n' | b'\r')) {
            chunk.text.pop();
        }
        chunk.lines.push(LineRef {
            number: *line_no,
            text: Ok(start..chunk.text.len()),
        });
    }
    Ok(true)
}

/// Answers every line of a chunk into its output buffer.
fn answer(chunk: &mut Chunk, mode: Mode) {
    chunk.out.clear();
    chunk.tallies.clear();
    for line in &chunk.lines {
        let not_utf8;
        let text = match &line.text {
            Ok(r) => match std::str::from_utf8(chunk.text.get(r.clone()).unwrap_or_default()) {
                // A blank line is no patient: no answer.
                Ok(t) if t.trim().is_empty() => continue,
                Ok(t) => Ok(t),
                Err(e) => {
                    not_utf8 = Unreadable::NotUtf8(e.to_string());
                    Err(&not_utf8)
                }
            },
            Err(why) => Err(why),
        };
        let tally = process_into(&mut chunk.out, line.number, text, mode);
        chunk.tallies.push(tally);
    }
}

/// The reader: fills chunks handed back by the writer and passes them to the workers. Ends at
/// the end of the input, on a read error (returned), or when the writer has gone.
fn read_all(
    mut input: Box<dyn BufRead + Send>,
    free: &Receiver<Chunk>,
    work: &SyncSender<Chunk>,
) -> Result<usize, String> {
    let mut line_no = 0usize;
    let mut seq = 0u64;
    while let Ok(mut chunk) = free.recv() {
        if !fill(&mut *input, &mut line_no, &mut chunk)? {
            break;
        }
        chunk.seq = seq;
        seq += 1;
        if work.send(chunk).is_err() {
            break;
        }
    }
    Ok(line_no)
}

/// How a run ends.
enum End {
    /// Every line was read and answered.
    Done,
    /// The reader of standard output went away (`| head`): end quietly.
    ClosedPipe,
}

/// Runs the batch; the summary goes to stderr.
pub fn run(file: &str, jobs: usize, mode: Mode) -> Result<u8, String> {
    let input: Box<dyn BufRead + Send> = if file == "-" {
        Box::new(BufReader::with_capacity(1 << 16, std::io::stdin()))
    } else {
        Box::new(BufReader::with_capacity(
            1 << 16,
            std::fs::File::open(file).map_err(|e| format!("{file}: {e}"))?,
        ))
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
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
    let chunks = 2 * jobs + 2;
    let mut counts: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut written = 0u64;
    let mut lines_done = 0u64;
    let write_failed = |written: u64, e: std::io::Error| {
        format!("standard output: {e} ({written} answers written)")
    };
    let (free_tx, free_rx) = sync_channel::<Chunk>(chunks);
    let (work_tx, work_rx) = sync_channel::<Chunk>(chunks);
    let (done_tx, done_rx) = sync_channel::<Chunk>(chunks);
    for _ in 0..chunks {
        let _ = free_tx.send(Chunk::default());
    }
    let work_rx = Arc::new(Mutex::new(work_rx));
    let outcome: Result<(End, Result<usize, String>), String> = std::thread::scope(|s| {
        let reader = s.spawn(move || read_all(input, &free_rx, &work_tx));
        for _ in 0..jobs {
            let work_rx = Arc::clone(&work_rx);
            let done_tx = done_tx.clone();
            s.spawn(move || loop {
                let next = work_rx
                    .lock()
                    .map_err(|_| ())
                    .and_then(|rx| rx.recv().map_err(|_| ()));
                let Ok(mut chunk) = next else { break };
                answer(&mut chunk, mode);
                if done_tx.send(chunk).is_err() {
                    break;
                }
            });
        }
        drop(done_tx);
        // The writer: chunks in order of their sequence number.
        let mut pending: BTreeMap<u64, Chunk> = BTreeMap::new();
        let mut next = 0u64;
        let mut end = End::Done;
        'write: for chunk in done_rx.iter() {
            pending.insert(chunk.seq, chunk);
            while let Some(chunk) = pending.remove(&next) {
                next += 1;
                match out.write_all(&chunk.out) {
                    Ok(()) => {
                        written += chunk.tallies.len() as u64;
                        for t in &chunk.tallies {
                            *counts.entry(t).or_default() += 1;
                        }
                    }
                    Err(e) if e.kind() == ErrorKind::BrokenPipe => {
                        end = End::ClosedPipe;
                        break 'write;
                    }
                    Err(e) => return Err(write_failed(written, e)),
                }
                lines_done += chunk.lines.len() as u64;
                progress.set_position(lines_done);
                // The reader may have ended; the chunk is then dropped.
                let _ = free_tx.send(chunk);
            }
        }
        // Whatever ended the writer, the reader and the workers end too: their channels close.
        drop(free_tx);
        drop(done_rx);
        let read = reader
            .join()
            .unwrap_or_else(|_| Err("the reader thread failed".to_owned()));
        Ok((end, read))
    });
    progress.finish_and_clear();
    let (end, read) = outcome?;
    match (end, out.flush()) {
        (End::ClosedPipe, _) => return Ok(ipt_cli::exit::OK),
        (End::Done, Err(e)) if e.kind() == ErrorKind::BrokenPipe => return Ok(ipt_cli::exit::OK),
        (End::Done, Err(e)) => return Err(write_failed(written, e)),
        (End::Done, Ok(())) => {}
    }
    // A read error ends the run after the answers already computed are written.
    read.map_err(|e| format!("{file}: {e} ({written} answers written)"))?;
    let summary: Vec<String> = counts.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let mut err = anstream::stderr();
    let _ = writeln!(err, "ipt batch: {written} lines; {}", summary.join(", "));
    Ok(ipt_cli::exit::OK)
}
