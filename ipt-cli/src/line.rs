//! One line of `ipt batch`, on its own so it can be tested and fuzzed: the answer line for
//! an input line, and a line reader whose memory is bounded whatever the input.

use std::io::{BufRead, ErrorKind};

use ipt_core::api;
use ipt_core::error::ErrorBody;
use ipt_core::explain::{Detail, ENGLISH};
use ipt_core::limits::MAX_REQUEST_BYTES;
use ipt_core::suitability::{self, Assessment, SuitabilityReport};
use ipt_core::{Error, ErrorCode, JsonPath};
use serde::{Deserialize, Serialize};
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

/// The caller's id, when the line has a valid one.
fn id_of(text: &str) -> Option<Box<RawValue>> {
    serde_json::from_str::<IdOnly>(text)
        .ok()
        .and_then(|l| l.id)
        .filter(|id| valid_id(id))
}

/// What each answer line holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `{"id", "line", "answer"}`: the whole `assess_suitability` answer envelope, at a detail
    /// level.
    Envelope(Detail),
    /// `{"id", "line", "verdict", "decided_by", "alerts", "inputs_missing"}`, or `{"id",
    /// "line", "error"}`: the decision a caseload screen needs, without the envelope or the
    /// rules by status.
    Compact,
}

/// One compact answer line.
#[derive(Serialize)]
struct CompactLine<'a> {
    id: &'a RawValue,
    line: usize,
    verdict: suitability::Verdict,
    decided_by: &'a [ipt_core::RuleId],
    alerts: Vec<ipt_core::RuleId>,
    inputs_missing: &'a [ipt_core::explain::Text],
}

/// One compact error line.
#[derive(Serialize)]
struct CompactError<'a> {
    id: &'a RawValue,
    line: usize,
    error: &'a ErrorBody,
}

/// Writes the line's answer: `{"id":..,"line":n,` and the rest by `mode`, ending in a newline.
fn write_answer(
    out: &mut Vec<u8>,
    id: &RawValue,
    line_no: usize,
    mode: Mode,
    answer: Result<&SuitabilityReport, &ErrorBody>,
) {
    let start = out.len();
    let written = match (mode, answer) {
        (Mode::Envelope(_), answer) => {
            out.extend_from_slice(b"{\"id\":");
            out.extend_from_slice(id.get().as_bytes());
            out.extend_from_slice(format!(",\"line\":{line_no},\"answer\":").as_bytes());
            let r = match answer {
                Ok(report) => api::write_answer(out, OP, report),
                Err(body) => api::write_error_answer(out, OP, body),
            };
            out.push(b'}');
            r
        }
        (Mode::Compact, Ok(report)) => ipt_core::json::to_writer(
            &mut *out,
            &CompactLine {
                id,
                line: line_no,
                verdict: report.verdict,
                decided_by: &report.decided_by,
                alerts: report.alerts.iter().map(|a| a.rule_id).collect(),
                inputs_missing: &report.inputs_missing,
            },
        )
        .is_ok(),
        (Mode::Compact, Err(body)) => ipt_core::json::to_writer(
            &mut *out,
            &CompactError {
                id,
                line: line_no,
                error: body,
            },
        )
        .is_ok(),
    };
    if !written {
        // Unreachable in practice (the answer has only strings, numbers and enums); the line
        // still gets an answer.
        out.truncate(start);
        let body = ErrorBody {
            code: ErrorCode::Internal,
            message: format!("line {line_no}: the answer could not be written"),
            path: None,
            unmet: Vec::new(),
        };
        let _ = serde_json::to_writer(
            &mut *out,
            &CompactError {
                id: null(),
                line: line_no,
                error: &body,
            },
        );
    }
    out.push(b'\n');
}

fn null() -> &'static RawValue {
    static NULL: std::sync::OnceLock<Box<RawValue>> = std::sync::OnceLock::new();
    NULL.get_or_init(|| RawValue::from_string("null".to_owned()).unwrap_or_default())
}

/// An error of the line itself (not of its assessment), with the line number in the message.
fn line_error(line_no: usize, e: &Error) -> ErrorBody {
    let mut body = e.to_body();
    body.message = format!("line {line_no}: {}", body.message);
    body
}

/// Writes the answer line for one input line (its text, or why it has none) to `out`, with
/// its newline, and gives the verdict or error code for the summary.
pub fn process_into(
    out: &mut Vec<u8>,
    line_no: usize,
    text: Result<&str, &Unreadable>,
    mode: Mode,
) -> &'static str {
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
            write_answer(out, null(), line_no, mode, Err(&body));
            return code.as_str();
        }
    };
    let detail = match mode {
        Mode::Envelope(d) => d,
        Mode::Compact => Detail::Decision,
    };
    match ipt_core::parse::parse::<Line>(text) {
        Ok(line) if !valid_id(&line.id) => {
            let e = Error::invalid(
                JsonPath::root().key("id"),
                "an id is a string or an integer",
            );
            write_answer(out, null(), line_no, mode, Err(&line_error(line_no, &e)));
            e.code().as_str()
        }
        Ok(line) => match ipt_core::parse::parse::<Assessment>(line.assessment.get())
            .and_then(|a| suitability::assess_checked(&a, detail, &ENGLISH))
        {
            Ok(report) => {
                write_answer(out, &line.id, line_no, mode, Ok(&report));
                report.verdict.as_str()
            }
            Err(e) => {
                let e = e.under(&JsonPath::root().key("assessment"));
                write_answer(out, &line.id, line_no, mode, Err(&e.to_body()));
                e.code().as_str()
            }
        },
        Err(e) => {
            let id = id_of(text);
            write_answer(
                out,
                id.as_deref().unwrap_or(null()),
                line_no,
                mode,
                Err(&line_error(line_no, &e)),
            );
            e.code().as_str()
        }
    }
}

/// [`process_into`] as a string without the newline, at a detail level with the envelope.
pub fn process(
    line_no: usize,
    text: &Result<String, Unreadable>,
    detail: Detail,
) -> (String, &'static str) {
    let mut out = Vec::new();
    let tally = process_into(&mut out, line_no, text.as_deref(), Mode::Envelope(detail));
    out.pop();
    (String::from_utf8(out).unwrap_or_default(), tally)
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
