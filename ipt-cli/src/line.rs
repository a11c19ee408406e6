//! One line of `ipt batch`, on its own so it can be tested and fuzzed: the answer line for
//! an input line, and a line reader whose memory is bounded whatever the input.

use std::io::{BufRead, ErrorKind};

use ipt_core::api;
use ipt_core::error::ErrorBody;
use ipt_core::explain::{Detail, ENGLISH};
use ipt_core::limits::MAX_REQUEST_BYTES;
use ipt_core::suitability::{self, Assessment};
use ipt_core::{Error, ErrorCode, JsonPath};
use serde::Deserialize;
use serde_json::value::RawValue;

const OP: &str = "assess_suitability";
/// Why a line has no text to answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// The line is not UTF-8 (what the decoder said).
    NotUtf8(String),
    /// The line is longer than the engine accepts ([`read_line_bounded`] kept none of it).
    TooLong,
}

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

/// The answer line for one input line (its text, or why it has none), and the verdict or
/// error code for the summary.
pub fn process(
    line_no: usize,
    text: &Result<String, Unreadable>,
    detail: Detail,
) -> (String, &'static str) {
    let text = match text {
        Ok(t) => t,
        Err(why) => {
            let (code, message) = match why {
                Unreadable::TooLong => (
                    ErrorCode::InputTooLarge,
                    format!("line {line_no}: the line is longer than the engine accepts ({MAX_REQUEST_BYTES} bytes)"),
                ),
                Unreadable::NotUtf8(e) => (
                    ErrorCode::InvalidUtf8,
                    format!("line {line_no}: the line is not valid UTF-8 ({e})"),
                ),
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

/// Reads one line into `buf`, keeping at most `max` bytes of it: `(bytes consumed, whether
/// the whole line was kept)`. The rest of a longer line is read and dropped, so memory stays
/// bounded whatever the input.
pub fn read_line_bounded(
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
