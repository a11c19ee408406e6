//! The Rust side of the differential test (scripts/test-diff.sh): reads a corpus written by
//! scripts/diff-corpus.py (per record `<op_len> <req_len>\n<op><req>\n`) and writes the answer
//! of `ipt_core::api::call` to each, one per line. The C (tests/c/differential.c) and wasm
//! (tests/diff/run.mjs) runners write theirs for the same corpus, and the three must be
//! identical byte for byte.
//!
//! Usage: `cargo run --release -p ipt-diff-runner -- CORPUS > ANSWERS`

use std::io::{BufWriter, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: diff_answers CORPUS > ANSWERS");
        return ExitCode::from(2);
    };
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("diff_answers: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut rest = &data[..];
    let mut index = 0usize;
    while !rest.is_empty() {
        let Some((op, request, tail)) = record(rest) else {
            eprintln!("diff_answers: record {index} is malformed");
            return ExitCode::from(2);
        };
        let answer = ipt_core::api::call(op, request);
        if writeln!(out, "{answer}").is_err() {
            return ExitCode::from(2);
        }
        rest = tail;
        index += 1;
    }
    if out.flush().is_err() {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

/// One record: the operation, the request and what follows the record.
fn record(data: &[u8]) -> Option<(&str, &str, &[u8])> {
    let nl = data.iter().position(|&b| b == b'\n')?;
    let header = std::str::from_utf8(&data[..nl]).ok()?;
    let (op_len, req_len) = header.split_once(' ')?;
    let (op_len, req_len): (usize, usize) = (op_len.parse().ok()?, req_len.parse().ok()?);
    let body = data.get(nl + 1..)?;
    let op = std::str::from_utf8(body.get(..op_len)?).ok()?;
    let request = std::str::from_utf8(body.get(op_len..op_len + req_len)?).ok()?;
    let tail = body.get(op_len + req_len..)?.strip_prefix(b"\n")?;
    Some((op, request, tail))
}
