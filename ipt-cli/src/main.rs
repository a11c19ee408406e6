//! `ipt`: the IPT rules engine on the command line. A translation of `ipt_core::api`: every
//! decision is the engine's; this binary reads files, renders the typed answers and sets exit
//! codes.

mod batch;

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use ipt_cli::render::{Level, Page, BOLD, RED};
use ipt_cli::{demo, exit, exit_code_of, rules, Failure};
use ipt_core::api::{self, CourseAnswer, CourseReplayAnswer};
use ipt_core::error::ErrorBody;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

const AFTER_HELP: &str = "\
Exit codes: 0 ok (also when the reader of the output goes away, as with `| head`); 2 usage;
3 invalid input (invalid_json, invalid_input, unknown_operation, invalid_snapshot,
unsupported_snapshot_version, input_too_large, limit_exceeded); 4 refused transition
(transition_refused); 5 I/O failure. Errors name the file, the line (batch) and the JSONPath of
the field.

Every command that takes a request reads a file, or standard input for `-` (the default).
`ipt <command> --help` shows examples. The engine offers options with their reasons; the
clinician decides.";

const DEMO_HELP: &str = "\
Examples:
  ipt demo                    a narrative to read in a minute (about 120 lines)
  ipt demo --verbose | less   every item of every step, with rationale and inputs
  ipt demo --json | head -1   the API answer of each step, one per line";

const ASSESS_HELP: &str = "\
Examples:
  echo '{\"findings\": {\"active_psychosis\": \"present\"}}' | ipt assess
  echo '{\"age\": 34, \"diagnoses\": [{\"category\": \"major_depression\", \"phase\": \"acute\"}]}' | ipt assess --detail decision
  ipt assess --json patient.json";

const READINESS_HELP: &str = "\
Examples:
  echo '{\"manuals_available\": \"present\", \"therapists_trained\": \"present\", \"consultation_available\": \"unknown\"}' | ipt readiness
  ipt readiness --json service.json";

const AREAS_HELP: &str = "\
Examples:
  echo '{\"life_events\": [{\"kind\": \"death\", \"months_before_onset\": 2, \"mourning_obstructed\": \"present\"}], \"relationships\": []}' | ipt areas
  ipt areas --json inventory.json";

const FOCUS_HELP: &str = "\
The request: {\"inventory\": <an interpersonal inventory>, \"primary\": <area>, \"backup\": <area>?}
with areas grief, role_dispute, role_transition, interpersonal_deficits.

Examples:
  echo '{\"inventory\": {\"life_events\": [{\"kind\": \"death\", \"months_before_onset\": 2, \"mourning_obstructed\": \"present\"}], \"relationships\": []}, \"primary\": \"grief\"}' | ipt focus
  echo '{\"inventory\": {\"life_events\": [], \"relationships\": []}, \"primary\": \"role_dispute\", \"backup\": \"grief\"}' | ipt focus
  ipt check-focus --json focus.json";

const MEASURE_HELP: &str = "\
The request: {\"current\": <measure>, \"baseline\": <measure>?, \"thresholds\": {...}?}, a measure being
{\"instrument\": \"phq9\" | \"gad7\" | \"phqa\" | \"hamd17\" | \"bdi2\", \"total\": <score>?, \"items\": [<0-3 or null>, ...]?,
 \"difficulty\": <0-3>?, \"item9\": <0-3>?, \"date\": \"YYYY-MM-DD\"?} (items for the PHQ-9, PHQ-A and GAD-7; no proration).

Examples:
  echo '{\"current\": {\"instrument\": \"phq9\", \"total\": 8}, \"baseline\": {\"instrument\": \"phq9\", \"total\": 18}}' | ipt measure
  echo '{\"current\": {\"instrument\": \"phq9\", \"total\": 12, \"item9\": 1}}' | ipt measure
  echo '{\"current\": {\"instrument\": \"gad7\", \"items\": [2, 2, 1, 1, 0, 1, 0]}}' | ipt measure
  ipt evaluate-measure --json phq9.json";

const FHIR_HELP: &str = "\
Without --json, `assess` prints each input with the element it came from, the codes and what
the terminology table made of them, and what was not read; `observations` prints the FHIR
transaction Bundle.

Examples:
  ipt fhir assess --date 2026-01-05 bundle.json
  ipt fhir assess --json bundle.json | jq .result.assessment | ipt assess
  ipt fhir observations measures.json > observations.json";

const CDS_HOOKS_HELP: &str = "\
Prints the CDS Hooks response (`{\"cards\": [..]}`) as the EHR receives it; --json prints the
API's answer around it.

Examples:
  ipt cds-hooks --date 2026-01-05 patient-view.json
  ipt cds-services";

const COURSE_HELP: &str = "\
The requests: start {\"variant\", \"overrides\"?, \"course_id\"?}; apply {\"snapshot\", \"event\"};
replay {\"start\", \"events\"}; status {\"snapshot\"}; review {\"snapshot\"}. The report shows where the course stands
and its outputs; the snapshot to pass to the next `apply` is in the JSON answer (`--json`,
under result.snapshot).

Examples:
  echo '{\"variant\": \"brief\"}' | ipt course start
  echo '{\"start\": {\"variant\": \"standard\"}, \"events\": [{\"type\": \"assessment_recorded\", \"assessment\": {\"findings\": {\"active_psychosis\": \"absent\"}}}]}' | ipt course replay
  ipt course start --json start.json > started.json
  ipt course apply apply.json";

const BATCH_HELP: &str = "\
Each input line is {\"id\": <string or integer>, \"assessment\": {...}}; each output line is
{\"id\", \"line\", \"answer\": <the assess_suitability answer>}, in input order; with --compact,
{\"id\", \"line\", \"verdict\", \"decided_by\", \"alerts\", \"inputs_missing\"} (or \"error\"). A summary
of the verdicts and errors goes to standard error. Memory stays constant however long the input.

Examples:
  echo '{\"id\": 1, \"assessment\": {\"findings\": {\"active_psychosis\": \"present\"}}}' | ipt batch
  ipt batch --jobs 4 --detail decision caseload.ndjson > answers.ndjson
  ipt batch --compact caseload.ndjson > decisions.ndjson";

const RULES_HELP: &str = "\
Examples:
  ipt rules                          a table fitted to the terminal
  ipt rules --format md > rules.md   Markdown, for documents and reviews
  ipt rules --format json            the `rules` operation's answer";

const SCHEMA_HELP: &str = "\
Examples:
  ipt schema                                 the names of every schema
  ipt schema assess_suitability.request      one schema (JSON Schema 2020-12)";

#[derive(Parser)]
#[command(
    name = "ipt",
    version,
    about = "Interpersonal Psychotherapy (IPT) rules engine: explained suitability, problem areas and course",
    after_help = AFTER_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The input and output of a command that calls one API operation.
#[derive(Args)]
struct Call {
    /// A file with the request, or `-` for standard input.
    #[arg(default_value = "-")]
    file: String,
    /// Print the API's answer (the JSON envelope) instead of the report.
    #[arg(long)]
    json: bool,
    /// How much of the answer to show: `decision` (verdicts, rule IDs by status, alerts and
    /// inputs missing; no prose) or `explained` (everything).
    #[arg(long, value_enum, default_value_t = DetailArg::Explained)]
    detail: DetailArg,
}

#[derive(Subcommand)]
enum Command {
    /// Take a built-in patient through a whole course of IPT, as a short narrative.
    #[command(after_help = DEMO_HELP)]
    Demo {
        /// Every item of every step in full: rationale, sources, inputs used and missing.
        #[arg(long, short)]
        verbose: bool,
        /// Print the API answer of every step (one JSON envelope per line) instead.
        #[arg(long, conflicts_with = "verbose")]
        json: bool,
    },
    /// Assess suitability for IPT (`assess_suitability`; the request is an assessment).
    #[command(after_help = ASSESS_HELP)]
    Assess(Call),
    /// Service readiness to deliver IPT (`service_readiness`; the request is a service
    /// profile).
    #[command(after_help = READINESS_HELP)]
    Readiness(Call),
    /// Rank the four problem areas (`rank_problem_areas`; the request is an interpersonal
    /// inventory).
    #[command(after_help = AREAS_HELP)]
    Areas(Call),
    /// Check a proposed focus against the inventory's evidence (`check_focus`).
    #[command(visible_alias = "check-focus", after_help = FOCUS_HELP)]
    Focus(Call),
    /// Read a symptom measure against its bands and a baseline (`evaluate_measure`).
    #[command(visible_alias = "evaluate-measure", after_help = MEASURE_HELP)]
    Measure(Call),
    /// Course operations: start, apply, replay, status, review (`course_*`).
    #[command(after_help = COURSE_HELP)]
    Course {
        /// Which operation.
        #[arg(value_enum)]
        operation: CourseOp,
        #[command(flatten)]
        call: Call,
    },
    /// Screen a caseload: NDJSON `{"id": .., "assessment": {..}}` in, one answer per line out.
    #[command(after_help = BATCH_HELP)]
    Batch {
        /// A file, or `-` for standard input.
        #[arg(default_value = "-")]
        file: String,
        /// Worker threads, 1 to 256 (default: the number of cores).
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
        jobs: Option<u16>,
        /// How much of each answer to give: `decision` (no prose) or `explained`.
        #[arg(long, value_enum, default_value_t = DetailArg::Explained)]
        detail: DetailArg,
        /// One compact line per patient: id, line, verdict, deciding rules, alerts and inputs
        /// missing (or the error), without the answer envelope.
        #[arg(long, conflicts_with = "detail")]
        compact: bool,
    },
    /// FHIR R4: `assess` reads a Bundle into an assessment and measures, each input citing its
    /// element (`fhir_assess`); `observations` writes measures as US Core screening
    /// Observations (`fhir_observations`; the request is `{subject, measures, derived_from?}`).
    #[command(after_help = FHIR_HELP)]
    Fhir {
        /// Which operation.
        #[arg(value_enum)]
        operation: FhirOp,
        #[command(flatten)]
        call: Call,
        /// The date of the assessment (`assess`), YYYY-MM-DD; today (UTC) by default.
        #[arg(long)]
        date: Option<String>,
    },
    /// CDS Hooks: a request (patient-view, encounter-start) as the EHR sends it in, the
    /// response (cards) out (`cds_hooks`).
    #[command(after_help = CDS_HOOKS_HELP)]
    CdsHooks {
        #[command(flatten)]
        call: Call,
        /// The date of the assessment, YYYY-MM-DD; today (UTC) by default.
        #[arg(long)]
        date: Option<String>,
    },
    /// The CDS Hooks discovery document, the body of `GET /cds-services` (`cds_services`).
    CdsServices {
        /// Print the API's answer (the JSON envelope) instead of the document.
        #[arg(long)]
        json: bool,
    },
    /// The rule catalogue with its sources.
    #[command(after_help = RULES_HELP)]
    Rules {
        /// `table` for the terminal, `md` (Markdown) for documents, `json` for programs.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The JSON Schemas of requests and answers: all names, or one schema.
    #[command(after_help = SCHEMA_HELP)]
    Schema {
        /// A schema name such as `assess_suitability.request`; omit to list the names.
        name: Option<String>,
    },
}

/// The detail level of the answers printed.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DetailArg {
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
fn with_detail(request: String, detail: DetailArg) -> String {
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
    /// The ending review, from the termination phase on (`course_review`).
    Review,
}

#[derive(Clone, Copy, ValueEnum)]
enum FhirOp {
    Assess,
    Observations,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// A table fitted to the terminal.
    Table,
    /// Markdown.
    Md,
    /// The API's JSON answer.
    Json,
}

fn main() -> ExitCode {
    if let Err(e) = stdout_is_open() {
        let _ = writeln!(anstream::stderr(), "ipt: standard output: {e}");
        return ExitCode::from(exit::IO);
    }
    let cli = Cli::parse();
    let code = match run(&cli) {
        Ok(code) => code,
        // The reader of the output went away (`ipt rules | head`): nothing to say.
        Err(f) if f.is_closed_pipe() => exit::OK,
        Err(f) => {
            let _ = writeln!(anstream::stderr(), "ipt: {f}");
            exit::IO
        }
    };
    ExitCode::from(code)
}

/// Whether standard output is open. A program started with it closed (`ipt batch >&-`) finds
/// /dev/null in its place: Rust's standard library opens it there before `main` (read-write),
/// so every answer would go nowhere and the run would exit 0. That /dev/null is told apart
/// from one the caller chose (`> /dev/null` opens it write-only) by its access mode.
#[cfg(unix)]
fn stdout_is_open() -> Result<(), &'static str> {
    use rustix::fs::{fcntl_getfl, fstat, stat, OFlags};
    let out = std::io::stdout();
    let (Ok(flags), Ok(ours), Ok(null)) = (fcntl_getfl(&out), fstat(&out), stat("/dev/null"))
    else {
        return Ok(());
    };
    let put_by_std = flags & OFlags::RWMODE == OFlags::RDWR
        && ours.st_dev == null.st_dev
        && ours.st_ino == null.st_ino;
    if put_by_std {
        Err("closed when ipt started, so nothing would be written")
    } else {
        Ok(())
    }
}

#[cfg(not(unix))]
fn stdout_is_open() -> Result<(), &'static str> {
    Ok(())
}

/// How a file is named in messages.
fn label(file: &str) -> &str {
    if file == "-" {
        "standard input"
    } else {
        file
    }
}

/// Reads a file, or standard input for `-`: at most one byte more than the engine accepts,
/// so an oversized input is refused (`input_too_large`) without being read whole.
fn read_input(file: &str) -> Result<String, Failure> {
    let limit = u64::try_from(ipt_core::limits::MAX_REQUEST_BYTES + 1).unwrap_or(u64::MAX);
    let mut bytes = Vec::new();
    if file == "-" {
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::Read(format!("standard input: {e}")))?;
    } else {
        std::fs::File::open(file)
            .and_then(|f| f.take(limit).read_to_end(&mut bytes))
            .map_err(|e| Failure::Read(format!("{file}: {e}")))?;
    }
    if bytes.len() > ipt_core::limits::MAX_REQUEST_BYTES {
        // Cut where the limit fell; the engine refuses it by its size alone.
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    String::from_utf8(bytes)
        .map_err(|e| Failure::Read(format!("{}: the input is not UTF-8 ({e})", label(file))))
}

/// An error answer on standard error: the engine's message (which names the field's path
/// once and, for an unknown field, the nearest known name), every unmet requirement of a
/// refused transition, and the stable code.
fn error(file: &str, e: &ErrorBody) {
    let mut err = anstream::stderr();
    let mut message = e.message.clone();
    if let Some(p) = e.path.as_deref().filter(|p| !message.contains(*p)) {
        message.push_str(&format!(" (at {p})"));
    }
    let _ = writeln!(err, "ipt: {}: {RED}{message}{RED:#}", label(file));
    for u in &e.unmet {
        let _ = writeln!(
            err,
            "  - {BOLD}[{}]{BOLD:#} {}: {}",
            u.rule_id, u.requirement, u.message
        );
    }
    let _ = writeln!(err, "  error code: {}", e.code);
}

/// The parts of an answer envelope (`ipt_core::api::Answer`) the report is rendered from.
#[derive(Deserialize)]
struct Envelope<T> {
    result: Option<T>,
    error: Option<ErrorBody>,
}

/// Calls an operation on a file's content and prints its answer: the JSON envelope with
/// `--json`, otherwise the typed result rendered by `show`.
fn operation<T: DeserializeOwned>(
    call: &Call,
    op: &str,
    show: impl FnOnce(&mut Page, &T) -> std::io::Result<()>,
) -> Result<u8, Failure> {
    operation_on(call, op, read_input(&call.file)?, show)
}

/// Calls an operation on a request and prints its answer, as [`operation`] does.
fn operation_on<T: DeserializeOwned>(
    call: &Call,
    op: &str,
    request: String,
    show: impl FnOnce(&mut Page, &T) -> std::io::Result<()>,
) -> Result<u8, Failure> {
    let request = with_detail(request, call.detail);
    let reply = api::call_reply(op, &request);
    let code = exit_code_of(&reply);
    if call.json {
        writeln!(anstream::stdout(), "{}", reply.json)?;
        return Ok(code);
    }
    let answer: Envelope<T> = serde_json::from_str(&reply.json)
        .map_err(|e| Failure::Engine(format!("the `{op}` answer could not be read: {e}")))?;
    match (answer.result, answer.error) {
        (Some(result), _) => {
            let mut out = anstream::stdout();
            let mut page = Page::new(&mut out, Level::Full);
            show(&mut page, &result)?;
            page.sources_key()?;
        }
        (None, Some(e)) => error(&call.file, &e),
        (None, None) => {
            return Err(Failure::Engine(format!(
                "the `{op}` answer has neither a result nor an error"
            )))
        }
    }
    Ok(code)
}

/// The request of an EHR operation: the input (a Bundle, a CDS Hooks request) under `key`,
/// beside the date of the assessment (today in UTC when not given). Input that is not JSON
/// goes to the engine as it is, so its `invalid_json` answer points into the input itself.
pub fn wrapped(input: String, key: &str, date: Option<&str>) -> String {
    if serde_json::from_str::<serde::de::IgnoredAny>(&input).is_err() {
        return input;
    }
    let date = date.map_or_else(ipt_cli::date::today, str::to_owned);
    let date = Value::from(date).to_string();
    format!("{{\"date\":{date},\"{key}\":{input}}}")
}

/// Prints a result that is itself a document for another system (a CDS Hooks response, a
/// discovery document, a FHIR Bundle) as indented JSON.
fn document(page: &mut Page, result: &Value) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(result).map_err(std::io::Error::other)?;
    page.line(0, text)
}

fn run(cli: &Cli) -> Result<u8, Failure> {
    match &cli.command {
        Command::Demo { verbose, json } => {
            let mut out = anstream::stdout();
            if *json {
                demo::json(&mut out)
            } else {
                demo::narrative(&mut out, *verbose)
            }
        }
        Command::Assess(call) => operation(call, "assess_suitability", |p, r| p.suitability(0, r)),
        Command::Readiness(call) => operation(call, "service_readiness", |p, r| p.readiness(0, r)),
        Command::Areas(call) => operation(call, "rank_problem_areas", |p, r| p.ranking(0, r)),
        Command::Focus(call) => operation(call, "check_focus", |p, r| p.focus(0, r)),
        Command::Measure(call) => operation(call, "evaluate_measure", |p, r| p.reading(0, r)),
        Command::Course {
            operation: op,
            call,
        } => match op {
            CourseOp::Start => {
                operation(call, "course_start", |p, r: &CourseAnswer| p.course(0, r))
            }
            CourseOp::Apply => {
                operation(call, "course_apply", |p, r: &CourseAnswer| p.course(0, r))
            }
            CourseOp::Replay => operation(call, "course_replay", |p, r: &CourseReplayAnswer| {
                p.replay(0, r)
            }),
            CourseOp::Status => operation(call, "course_status", |p, r| p.status(0, r)),
            CourseOp::Review => operation(call, "course_review", |p, r| p.review(0, r)),
        },
        Command::Fhir {
            operation: FhirOp::Assess,
            call,
            date,
        } => {
            let request = wrapped(read_input(&call.file)?, "bundle", date.as_deref());
            operation_on(call, "fhir_assess", request, |p, r| p.record(0, r))
        }
        Command::Fhir {
            operation: FhirOp::Observations,
            call,
            date: _,
        } => operation(call, "fhir_observations", document),
        Command::CdsHooks { call, date } => {
            let request = wrapped(read_input(&call.file)?, "request", date.as_deref());
            operation_on(call, "cds_hooks", request, document)
        }
        Command::CdsServices { json } => {
            let call = Call {
                file: "-".to_owned(),
                json: *json,
                detail: DetailArg::Explained,
            };
            operation_on(&call, "cds_services", String::new(), document)
        }
        Command::Batch {
            file,
            jobs,
            detail,
            compact,
        } => batch::run(
            file,
            jobs.map_or_else(default_jobs, usize::from),
            if *compact {
                ipt_cli::line::Mode::Compact
            } else if *detail == DetailArg::Decision {
                ipt_cli::line::Mode::Envelope(ipt_core::explain::Detail::Decision)
            } else {
                ipt_cli::line::Mode::Envelope(ipt_core::explain::Detail::Explained)
            },
        )
        .map_err(Failure::Read),
        Command::Rules { format } => {
            let mut out = anstream::stdout();
            match format {
                Format::Json => writeln!(out, "{}", api::rules(""))?,
                Format::Md => rules::markdown(&mut out)?,
                Format::Table => rules::terminal(&mut out, rules::width())?,
            }
            Ok(exit::OK)
        }
        Command::Schema { name } => {
            let answer: Value = serde_json::from_str(&api::schemas(""))
                .map_err(|e| Failure::Engine(e.to_string()))?;
            let schemas = answer["result"].as_object().cloned().unwrap_or_default();
            let mut out = anstream::stdout();
            match name {
                None => {
                    for k in schemas.keys() {
                        writeln!(out, "{k}")?;
                    }
                    Ok(exit::OK)
                }
                Some(n) => match schemas.get(n) {
                    Some(s) => {
                        let text = serde_json::to_string_pretty(s)
                            .map_err(|e| Failure::Engine(e.to_string()))?;
                        writeln!(out, "{text}")?;
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
