//! `ipt`: the IPT rules engine on the command line. A translation of `ipt_core::api`: every
//! decision is the engine's; this binary reads files, renders answers and sets exit codes.

mod batch;
mod render;

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use ipt_core::api;
use serde_json::Value;

/// Exit codes (also in `--help` and the README).
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// Usage error (clap's own code).
    pub const USAGE: u8 = 2;
    /// The engine rejected the input: invalid JSON, an invalid field, an unknown operation, a
    /// bad snapshot.
    pub const INVALID_INPUT: u8 = 3;
    /// The course refused the event (`transition_refused`).
    pub const REFUSED: u8 = 4;
    /// A file could not be read or written.
    pub const IO: u8 = 5;
}

const AFTER_HELP: &str = "\
Exit codes: 0 ok; 2 usage; 3 invalid input (invalid_json, invalid_input, unknown_operation,
invalid_snapshot, unsupported_snapshot_version); 4 refused transition (transition_refused);
5 I/O failure. Errors name the file, the line (batch) and the JSONPath of the field.

The engine offers options with their reasons; the clinician decides.";

#[derive(Parser)]
#[command(name = "ipt", version, about = "Interpersonal Psychotherapy (IPT) rules engine: explained suitability, problem areas and course", after_help = AFTER_HELP)]
struct Cli {
    /// Print the exact API answers (JSON) instead of the human-readable report.
    #[arg(long, global = true)]
    json: bool,
    /// How much of each answer to show: `decision` (verdicts, rule IDs by status, alerts and
    /// inputs missing; no prose) or `explained` (everything).
    #[arg(long, global = true, value_enum, default_value_t = DetailArg::Explained)]
    detail: DetailArg,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Take a built-in patient through the whole protocol, explaining each step.
    Demo,
    /// Assess suitability (the request is an assessment).
    Assess {
        /// A file, or `-` (the default) for standard input.
        #[arg(default_value = "-")]
        file: String,
    },
    /// Service readiness (the request is a service profile).
    Readiness {
        /// A file, or `-` for standard input.
        #[arg(default_value = "-")]
        file: String,
    },
    /// Rank the problem areas (the request is an interpersonal inventory).
    Areas {
        /// A file, or `-` for standard input.
        #[arg(default_value = "-")]
        file: String,
    },
    /// Course operations: start, apply, replay, status.
    Course {
        /// Which operation.
        #[arg(value_enum)]
        operation: CourseOp,
        /// A file with the operation's request, or `-` for standard input.
        #[arg(default_value = "-")]
        file: String,
    },
    /// Screen a caseload: NDJSON `{"id": .., "assessment": {..}}` in, one answer per line out.
    Batch {
        /// A file, or `-` for standard input.
        #[arg(default_value = "-")]
        file: String,
        /// Worker threads, 1 to 256 (default: the number of cores).
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
        jobs: Option<u16>,
    },
    /// FHIR R4: `assess` reads a Bundle into an assessment and measures, each input citing its
    /// element; `observations` writes measures as US Core screening Observations.
    Fhir {
        /// Which operation.
        #[arg(value_enum)]
        operation: FhirOp,
        /// `assess`: a FHIR Bundle; `observations`: `{subject, measures, derived_from?}`. A file,
        /// or `-` for standard input.
        #[arg(default_value = "-")]
        file: String,
        /// The date of the assessment (`assess`), YYYY-MM-DD; today (UTC) by default.
        #[arg(long)]
        date: Option<String>,
    },
    /// CDS Hooks: a request (patient-view, encounter-start) in, the response (cards) out.
    CdsHooks {
        /// A CDS Hooks request as the EHR sends it. A file, or `-` for standard input.
        #[arg(default_value = "-")]
        file: String,
        /// The date of the assessment, YYYY-MM-DD; today (UTC) by default.
        #[arg(long)]
        date: Option<String>,
    },
    /// The CDS Hooks discovery document (the body of `GET /cds-services`).
    CdsServices,
    /// The rule catalogue with its sources.
    Rules {
        /// Markdown table (for clinical reviewers) or the API's JSON.
        #[arg(long, value_enum, default_value_t = Format::Md)]
        format: Format,
    },
    /// The JSON Schemas of requests and answers: all names, or one schema.
    Schema {
        /// A schema name such as `assess_suitability.request`; omit to list the names.
        name: Option<String>,
    },
}

/// The detail level of the answers printed.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DetailArg {
    /// Verdicts, rule IDs by status, alerts and inputs missing; no prose.
    Decision,
    /// Everything, with each item's words, sources and inputs used.
    Explained,
}

impl DetailArg {
    fn as_str(self) -> &'static str {
        match self {
            DetailArg::Decision => "decision",
            DetailArg::Explained => "explained",
        }
    }
}

/// The request with the detail level asked for, when it is a JSON object; anything else goes
/// to the engine unchanged, which names what is wrong with it.
pub fn with_detail(request: String, detail: DetailArg) -> String {
    if detail == DetailArg::Explained {
        return request;
    }
    match serde_json::from_str::<Value>(&request) {
        Ok(Value::Object(mut m)) if !m.contains_key("detail") => {
            m.insert("detail".to_owned(), Value::from(detail.as_str()));
            Value::Object(m).to_string()
        }
        _ => request,
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum CourseOp {
    Start,
    Apply,
    Replay,
    Status,
}

#[derive(Clone, Copy, ValueEnum)]
enum FhirOp {
    Assess,
    Observations,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Md,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match run(&cli) {
        Ok(code) => code,
        Err(message) => {
            let _ = writeln!(anstream::stderr(), "ipt: {message}");
            exit::IO
        }
    };
    ExitCode::from(code)
}

/// Reads a file, or standard input for `-`.
/// Reads a file, or standard input for `-`: at most one byte more than the engine accepts,
/// so an oversized input is refused (`input_too_large`) without being read whole.
fn read_input(file: &str) -> Result<String, String> {
    let limit = u64::try_from(ipt_core::limits::MAX_REQUEST_BYTES + 1).unwrap_or(u64::MAX);
    let mut bytes = Vec::new();
    if file == "-" {
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("standard input: {e}"))?;
    } else {
        std::fs::File::open(file)
            .and_then(|f| f.take(limit).read_to_end(&mut bytes))
            .map_err(|e| format!("{file}: {e}"))?;
    }
    if bytes.len() > ipt_core::limits::MAX_REQUEST_BYTES {
        // Cut where the limit fell; the engine refuses it by its size alone.
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    String::from_utf8(bytes).map_err(|e| format!("{file}: the input is not UTF-8 ({e})"))
}

/// The exit code for an answer envelope.
pub fn exit_code_of(reply: &api::Reply) -> u8 {
    match reply.error {
        None => exit::OK,
        Some(ipt_core::ErrorCode::TransitionRefused) => exit::REFUSED,
        Some(_) => exit::INVALID_INPUT,
    }
}

/// The request of an EHR operation: the input (a Bundle, a CDS Hooks request) under `key`,
/// beside the date of the assessment. Input that is not JSON goes to the engine as it is, so
/// its `invalid_json` answer points into the input itself.
pub fn wrapped(input: String, key: &str, date: &str) -> String {
    if serde_json::from_str::<serde::de::IgnoredAny>(&input).is_err() {
        return input;
    }
    let date = Value::from(date).to_string();
    format!("{{\"date\":{date},\"{key}\":{input}}}")
}

/// How an answer is printed without `--json`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Show {
    /// The human-readable report.
    Report,
    /// The result alone, as JSON (a CDS Hooks response, a FHIR Bundle).
    Result,
}

/// Calls an operation on a file's content and prints the answer.
fn operation(cli: &Cli, op: &str, file: &str) -> Result<u8, String> {
    let request = read_input(file)?;
    call(cli, op, file, request, Show::Report)
}

/// Calls an operation on a request and prints the answer.
fn call(cli: &Cli, op: &str, file: &str, request: String, show: Show) -> Result<u8, String> {
    let request = with_detail(request, cli.detail);
    let reply = api::call_reply(op, &request);
    let code = exit_code_of(&reply);
    let answer = reply.json;
    let mut out = anstream::stdout();
    if cli.json {
        writeln!(out, "{answer}").map_err(|e| e.to_string())?;
    } else {
        let value: Value = serde_json::from_str(&answer).map_err(|e| e.to_string())?;
        if code != exit::OK {
            let mut err = anstream::stderr();
            let _ = write!(err, "{file}: ");
            render::answer(&mut err, &value).map_err(|e| e.to_string())?;
        } else if show == Show::Result {
            let text = serde_json::to_string_pretty(&value["result"]).map_err(|e| e.to_string())?;
            writeln!(out, "{text}").map_err(|e| e.to_string())?;
        } else {
            render::answer(&mut out, &value).map_err(|e| e.to_string())?;
        }
    }
    Ok(code)
}

fn run(cli: &Cli) -> Result<u8, String> {
    match &cli.command {
        Command::Demo => render::demo(cli.json, cli.detail == DetailArg::Decision),
        Command::Assess { file } => operation(cli, "assess_suitability", file),
        Command::Readiness { file } => operation(cli, "service_readiness", file),
        Command::Areas { file } => operation(cli, "rank_problem_areas", file),
        Command::Course {
            operation: op,
            file,
        } => {
            let name = match op {
                CourseOp::Start => "course_start",
                CourseOp::Apply => "course_apply",
                CourseOp::Replay => "course_replay",
                CourseOp::Status => "course_status",
            };
            operation(cli, name, file)
        }
        Command::Fhir {
            operation: FhirOp::Assess,
            file,
            date,
        } => {
            let date = date.clone().unwrap_or_else(ipt_cli::date::today);
            let request = wrapped(read_input(file)?, "bundle", &date);
            call(cli, "fhir_assess", file, request, Show::Report)
        }
        Command::Fhir {
            operation: FhirOp::Observations,
            file,
            date: _,
        } => {
            let request = read_input(file)?;
            call(cli, "fhir_observations", file, request, Show::Result)
        }
        Command::CdsHooks { file, date } => {
            let date = date.clone().unwrap_or_else(ipt_cli::date::today);
            let request = wrapped(read_input(file)?, "request", &date);
            call(cli, "cds_hooks", file, request, Show::Result)
        }
        Command::CdsServices => call(cli, "cds_services", "-", String::new(), Show::Result),
        Command::Batch { file, jobs } => batch::run(
            file,
            jobs.map_or_else(default_jobs, usize::from),
            cli.detail == DetailArg::Decision,
        ),
        Command::Rules { format } => {
            let answer = api::rules("");
            let mut out = anstream::stdout();
            match (format, cli.json) {
                (Format::Json, _) | (_, true) => writeln!(out, "{answer}"),
                (Format::Md, false) => {
                    let v: Value = serde_json::from_str(&answer).map_err(|e| e.to_string())?;
                    render::rules_markdown(&mut out, &v)
                }
            }
            .map_err(|e| e.to_string())?;
            Ok(exit::OK)
        }
        Command::Schema { name } => {
            let answer: Value =
                serde_json::from_str(&api::schemas("")).map_err(|e| e.to_string())?;
            let schemas = answer["result"].as_object().cloned().unwrap_or_default();
            let mut out = anstream::stdout();
            match name {
                None => {
                    for k in schemas.keys() {
                        writeln!(out, "{k}").map_err(|e| e.to_string())?;
                    }
                    Ok(exit::OK)
                }
                Some(n) => match schemas.get(n) {
                    Some(s) => {
                        let text = serde_json::to_string_pretty(s).map_err(|e| e.to_string())?;
                        writeln!(out, "{text}").map_err(|e| e.to_string())?;
                        Ok(exit::OK)
                    }
                    None => {
                        let _ = writeln!(
                            anstream::stderr(),
                            "ipt: no schema named `{n}`; `ipt schema` lists them"
                        );
                        Ok(exit::INVALID_INPUT)
                    }
                },
            }
        }
    }
}

fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
