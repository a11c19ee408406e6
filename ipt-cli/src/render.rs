//! The words a person reads on the command line, rendered from the typed answers of
//! `ipt-core` (never by walking JSON keys): statuses and indicators as words instead of
//! markers, each item once, and a key to every source cited.
//!
//! A [`Page`] writes one answer or one demo. At [`Level::Brief`] an item is its rule ID, its
//! summary and its sources on one line; at [`Level::Full`] it also has its rationale, the
//! inputs it used and the inputs still missing. The sentences themselves are the engine's
//! (its words tables); this module only arranges them and names statuses.

use std::collections::BTreeSet;
use std::fmt::Display;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use ipt_core::api::{CourseAnswer, CourseReplayAnswer};
use ipt_core::areas::{AreaRanking, FocusCheck};
use ipt_core::catalogue::{self, RuleId};
use ipt_core::course::{Outputs, Status};
use ipt_core::ehr::item9::Item9Outcome;
use ipt_core::ehr::record::FhirAssessment;
use ipt_core::ehr::words as ehr_words;
use ipt_core::ehr::{Origin, Reason, Verification};
use ipt_core::explain::{Explanation, Indicator, InputValue, RuleStatus, RulesByStatus};
use ipt_core::findings::Finding;
use ipt_core::measures::MeasureReading;
use ipt_core::readiness::ReadinessReport;
use ipt_core::suitability::SuitabilityReport;
use serde::Serialize;

/// Bold.
pub const BOLD: Style = Style::new().bold();
/// A safety alert.
pub const RED: Style = AnsiColor::Red.on_default().bold();
/// Needs attention.
pub const YELLOW: Style = AnsiColor::Yellow.on_default();
/// Secondary text: sources, inputs.
pub const DIM: Style = Style::new().dimmed();
/// Applies.
pub const GREEN: Style = AnsiColor::Green.on_default();

/// How much of each item to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Rule ID, summary and sources: one line per item.
    Brief,
    /// Also the rationale, the inputs used and the inputs still missing.
    Full,
}

/// A JSON enum value (`"major_depression"`) as words (`major depression`).
pub fn words(code: &str) -> String {
    code.replace('_', " ")
}

/// The JSON name of a serializable enum value, as words.
pub fn words_of(value: impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => words(&s),
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// The text with its first letter in capitals.
pub fn capital(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A three-valued finding as an answer to a yes/no question.
pub fn yes_no(f: Finding) -> &'static str {
    match f {
        Finding::Present => "yes",
        Finding::Absent => "no",
        Finding::Unknown => "not known",
    }
}

/// How a rule applies, as the heading of a group of items.
pub fn status_heading(s: RuleStatus) -> &'static str {
    match s {
        RuleStatus::Met => "Applies",
        RuleStatus::NotMet => "Does not apply",
        RuleStatus::Unknown => "Cannot tell yet (inputs missing)",
        RuleStatus::NotApplicable => "Not required here",
    }
}

/// An input as the engine names it (`ipt_core::api::input_labels`, the `inputs` of its `rules`
/// answer), with its JSONPath: `Motivation for change ($.findings.motivation)`; the path alone
/// for an input the engine gives no label. Inside a course, the assessment's inputs are under
/// `$.state.assessment` or `$.event.assessment`.
pub fn input_name(path: &str) -> String {
    use std::sync::OnceLock;
    static LABELS: OnceLock<Vec<ipt_core::api::InputLabel>> = OnceLock::new();
    let labels = LABELS.get_or_init(ipt_core::api::input_labels);
    let inner = [
        "$.state.assessment.",
        "$.event.assessment.",
        "$.assessment.",
    ]
    .iter()
    .find_map(|prefix| path.strip_prefix(prefix))
    .map_or_else(|| path.to_owned(), |rest| format!("$.{rest}"));
    let diagnosis = inner
        .strip_prefix("$.diagnoses[")
        .and_then(|rest| rest.split_once("]."))
        .and_then(|(n, field)| Some((n.parse::<usize>().ok()?, field)));
    let label = match diagnosis {
        Some((n, field)) => labels
            .iter()
            .find(|l| l.path == format!("$.diagnoses[*].{field}"))
            .map(|l| l.label.replace("{n}", &(n + 1).to_string())),
        None => labels
            .iter()
            .find(|l| l.path == inner)
            .map(|l| l.label.clone()),
    };
    match label {
        Some(label) => format!("{label} ({path})"),
        None => path.to_owned(),
    }
}

/// Inputs as the engine names them, joined.
fn input_names<P: AsRef<str>>(paths: &[P]) -> String {
    paths
        .iter()
        .map(|p| input_name(p.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn value_text(v: &InputValue) -> String {
    match v {
        InputValue::Null => "not given".to_owned(),
        InputValue::Bool(b) => b.to_string(),
        InputValue::Int(i) => i.to_string(),
        InputValue::Number(n) => n.to_string(),
        InputValue::Text(t) => t.to_string(),
        InputValue::List(l) if l.is_empty() => "none".to_owned(),
        InputValue::List(l) => l.iter().map(value_text).collect::<Vec<_>>().join(", "),
    }
}

/// The citation key of a source reference: `S1` of `S1 §II.G`.
fn source_key(citation: &str) -> &str {
    citation.split_whitespace().next().unwrap_or(citation)
}

/// One answer or one demo being written.
pub struct Page<'a> {
    out: &'a mut dyn Write,
    /// How much of each item to show.
    pub level: Level,
    cited: BTreeSet<String>,
    shown: Vec<(RuleId, String)>,
}

impl<'a> Page<'a> {
    /// A page on `out`.
    pub fn new(out: &'a mut dyn Write, level: Level) -> Page<'a> {
        Page {
            out,
            level,
            cited: BTreeSet::new(),
            shown: Vec::new(),
        }
    }

    /// A line at an indentation.
    pub fn line(&mut self, indent: usize, text: impl Display) -> io::Result<()> {
        writeln!(self.out, "{:indent$}{text}", "")
    }

    /// An empty line.
    pub fn blank(&mut self) -> io::Result<()> {
        writeln!(self.out)
    }

    /// A section heading.
    pub fn heading(&mut self, text: impl Display) -> io::Result<()> {
        writeln!(self.out, "{BOLD}{text}{BOLD:#}")
    }

    /// Starts a new answer: an item shown in an earlier answer may be shown again.
    pub fn new_answer(&mut self) {
        self.shown.clear();
    }

    /// Whether the item was already shown in this answer; marks it shown.
    fn seen(&mut self, e: &Explanation) -> bool {
        let key = (e.rule_id, e.summary.to_string());
        if self.shown.contains(&key) {
            return true;
        }
        self.shown.push(key);
        false
    }

    /// Notes sources as cited, for the key at the end.
    pub fn cite<S: AsRef<str>>(&mut self, sources: impl IntoIterator<Item = S>) {
        for s in sources {
            let s = s.as_ref();
            self.cited.insert(source_key(s).to_owned());
        }
    }

    /// Whether any source was cited so far.
    pub fn has_citations(&self) -> bool {
        !self.cited.is_empty()
    }

    /// One item, unless it was already shown in this answer.
    pub fn item(&mut self, indent: usize, e: &Explanation) -> io::Result<()> {
        self.item_led(indent, "", e)
    }

    /// One item after a lead word (`Next: `), unless it was already shown in this answer.
    pub fn item_led(&mut self, indent: usize, lead: &str, e: &Explanation) -> io::Result<()> {
        if self.seen(e) {
            return Ok(());
        }
        let (flag, style) = match e.indicator {
            Indicator::Critical => ("ALERT", RED),
            Indicator::Warning => ("Attention", YELLOW),
            Indicator::Info => ("", Style::new()),
        };
        // `Next: ` and a flag read as `Next, attention: `.
        let (lead, prefix) = match (lead.strip_suffix(": "), flag) {
            (_, "") => (lead.to_owned(), String::new()),
            (Some(l), f) => (String::new(), format!("{l}, {}: ", f.to_lowercase())),
            (None, f) => (lead.to_owned(), format!("{f}: ")),
        };
        let summary = if e.summary.is_empty() {
            status_heading(e.status).to_lowercase()
        } else {
            e.summary.to_string()
        };
        let sources = if e.sources.is_empty() {
            String::new()
        } else {
            format!("  {DIM}({}){DIM:#}", e.sources.join("; "))
        };
        self.cite(e.sources.iter());
        writeln!(
            self.out,
            "{:indent$}{lead}{style}{prefix}{style:#}{BOLD}[{}]{BOLD:#} {summary}{sources}",
            "", e.rule_id
        )?;
        let pad = indent + 4;
        if self.level == Level::Full {
            if !e.rationale.is_empty() {
                self.line(pad, &e.rationale)?;
            }
            if !e.inputs_used.is_empty() {
                let used: Vec<String> = e
                    .inputs_used
                    .iter()
                    .map(|i| format!("{} = {}", input_name(&i.path), value_text(&i.value)))
                    .collect();
                self.line(pad, format!("{DIM}inputs used: {}{DIM:#}", used.join("; ")))?;
            }
        }
        if !e.inputs_missing.is_empty() && (self.level == Level::Full || e.summary.is_empty()) {
            self.line(
                pad,
                format!(
                    "{YELLOW}still missing: {}{YELLOW:#}",
                    input_names(&e.inputs_missing)
                ),
            )?;
        }
        Ok(())
    }

    /// A titled group of items; nothing when every item was already shown.
    pub fn group<'e>(
        &mut self,
        indent: usize,
        title: &str,
        items: impl IntoIterator<Item = &'e Explanation>,
    ) -> io::Result<()> {
        let fresh: Vec<&Explanation> = items
            .into_iter()
            .filter(|e| !self.shown.contains(&(e.rule_id, e.summary.to_string())))
            .collect();
        if fresh.is_empty() {
            return Ok(());
        }
        self.line(indent, format!("{BOLD}{title}{BOLD:#}"))?;
        for e in fresh {
            self.item(indent + 2, e)?;
        }
        Ok(())
    }

    /// Rule IDs under a heading, for answers at `decision` detail (no prose).
    fn ids(&mut self, indent: usize, title: &str, ids: &[RuleId]) -> io::Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let list: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
        self.line(
            indent,
            format!("{BOLD}{title}:{BOLD:#} {}", list.join(", ")),
        )
    }

    fn by_status(&mut self, indent: usize, rules: &RulesByStatus) -> io::Result<()> {
        self.ids(indent, status_heading(RuleStatus::Met), &rules.met)?;
        self.ids(indent, status_heading(RuleStatus::NotMet), &rules.not_met)?;
        self.ids(indent, status_heading(RuleStatus::Unknown), &rules.unknown)?;
        self.ids(
            indent,
            status_heading(RuleStatus::NotApplicable),
            &rules.not_applicable,
        )
    }

    fn missing<P: AsRef<str>>(&mut self, indent: usize, paths: &[P]) -> io::Result<()> {
        if paths.is_empty() {
            self.line(indent, "Inputs still missing: none.")
        } else {
            self.line(
                indent,
                format!(
                    "{YELLOW}Inputs still missing{YELLOW:#} ({}): {}",
                    paths.len(),
                    input_names(paths)
                ),
            )
        }
    }

    /// The key to every source cited on the page, each with its full reference.
    pub fn sources_key(&mut self) -> io::Result<()> {
        if self.cited.is_empty() {
            return Ok(());
        }
        // A source that cannot be looked up names a published one: cite it too.
        let also: Vec<String> = catalogue::sources()
            .iter()
            .filter(|s| self.cited.contains(s.key))
            .filter_map(|s| s.see_also.map(str::to_owned))
            .collect();
        self.cited.extend(also);
        self.blank()?;
        self.heading("Sources cited")?;
        let cited: Vec<_> = catalogue::sources()
            .iter()
            .filter(|s| self.cited.contains(s.key))
            .collect();
        for s in cited {
            let also = s
                .see_also
                .map(|k| format!(" The same statements are published in {k}."))
                .unwrap_or_default();
            self.line(2, format!("{BOLD}{}{BOLD:#}  {}{also}", s.key, s.reference))?;
        }
        Ok(())
    }

    /// A suitability answer: safety alerts first, the verdict and why, then every rule by how
    /// it applies, what is offered and what is still missing.
    pub fn suitability(&mut self, indent: usize, r: &SuitabilityReport) -> io::Result<()> {
        for a in &r.alerts {
            self.item(indent, a)?;
        }
        let decided_by: Vec<&str> = r.decided_by.iter().map(|id| id.as_str()).collect();
        let by = if decided_by.is_empty() {
            String::new()
        } else {
            format!(", decided by {}", decided_by.join(", "))
        };
        let held = if r.alerts.is_empty() {
            "Verdict"
        } else {
            "Verdict, once the safety alert above is addressed"
        };
        self.line(
            indent,
            format!(
                "{BOLD}{held}: {}{BOLD:#}{by}",
                r.verdict.as_str().to_uppercase().replace('_', " ")
            ),
        )?;
        match &r.explanation {
            Some(e) => {
                self.line(indent + 2, &e.verdict)?;
                let all: Vec<&Explanation> = e
                    .contraindications
                    .iter()
                    .chain(&e.indications)
                    .chain(&e.assessments)
                    .chain(&e.cautions)
                    .collect();
                for status in RuleStatus::ALL {
                    let items = all.iter().copied().filter(|x| x.status == status);
                    self.group(indent, status_heading(status), items)?;
                }
                self.group(
                    indent,
                    "Offered",
                    e.variant.iter().chain(e.techniques.iter()),
                )?;
            }
            None => {
                self.by_status(indent, &r.rules)?;
                if let Some(v) = r.recommended_variant {
                    self.line(
                        indent,
                        format!("{BOLD}Offered:{BOLD:#} {}", v.rule_id().as_str()),
                    )?;
                }
                self.ids(indent, "Techniques offered", &r.recommended_techniques)?;
            }
        }
        self.missing(indent, &r.inputs_missing)
    }

    /// A readiness answer.
    pub fn readiness(&mut self, indent: usize, r: &ReadinessReport) -> io::Result<()> {
        self.line(
            indent,
            format!(
                "{BOLD}Service readiness: {}{BOLD:#}",
                words_of(r.readiness).to_uppercase()
            ),
        )?;
        match &r.explanation {
            Some(e) => {
                for status in RuleStatus::ALL {
                    let items = e.requirements.iter().filter(|x| x.status == status);
                    self.group(indent, status_heading(status), items)?;
                }
            }
            None => self.by_status(indent, &r.rules)?,
        }
        self.missing(indent, &r.inputs_missing)
    }

    /// A problem-area ranking: each area with its evidence, then the options for a focus.
    pub fn ranking(&mut self, indent: usize, r: &AreaRanking) -> io::Result<()> {
        for a in &r.areas {
            match &a.explanation {
                Some(e) if !e.summary.is_empty() => {
                    self.item_led(indent, &format!("{}. ", a.rank), e)?;
                }
                _ => self.line(
                    indent,
                    format!(
                        "{}. {BOLD}[{}]{BOLD:#} {}",
                        a.rank,
                        a.area.rule_id(),
                        words_of(a.status)
                    ),
                )?,
            }
            for ev in &a.evidence {
                let tie = match ev.onset_linked {
                    Finding::Present => "tied to the onset",
                    Finding::Absent => "not tied to the onset",
                    Finding::Unknown => "timing not known",
                };
                let text = match self.level {
                    Level::Brief => format!("evidence: {}", ev.summary),
                    Level::Full => {
                        format!("evidence: {} ({tie}; {DIM}{}{DIM:#})", ev.summary, ev.path)
                    }
                };
                self.line(indent + 4, text)?;
            }
        }
        let s = &r.selection;
        if s.summary.is_empty() {
            self.line(indent, format!("{BOLD}[{}]{BOLD:#}", s.rule_id))
        } else {
            self.item(indent, s)
        }
    }

    /// A focus check: the focus, its warnings, and the strategies and techniques that fit.
    pub fn focus(&mut self, indent: usize, f: &FocusCheck) -> io::Result<()> {
        let backup = f
            .focus
            .backup
            .map(|b| format!(", backup {}", b.label().to_lowercase()))
            .unwrap_or_default();
        self.line(
            indent,
            format!(
                "{BOLD}Focus: {}{backup}{BOLD:#}",
                f.focus.primary.label().to_lowercase()
            ),
        )?;
        // The engine's warnings, as it words them; none is said as nothing (the command does
        // not add a claim of its own).
        for w in &f.warnings {
            self.item(indent + 2, w)?;
        }
        self.group(indent, "Strategies to consider", &f.strategies)?;
        self.group(
            indent,
            &format!(
                "Techniques that fit {}",
                f.focus.primary.label().to_lowercase()
            ),
            &f.techniques,
        )
    }

    /// A measure reading.
    pub fn reading(&mut self, indent: usize, r: &MeasureReading) -> io::Result<()> {
        // A safety alert (X-SUICIDE on item 9) first.
        let mut items: Vec<&Explanation> = r.explanations.iter().collect();
        items.sort_by_key(|e| std::cmp::Reverse(e.indicator));
        for e in items {
            self.item(indent, e)?;
        }
        self.line(
            indent + 2,
            format!(
                "response: {}; remission: {}; lethality assessment due: {}",
                yes_no(r.response),
                match r.remission {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "not known",
                },
                yes_no(r.lethality_assessment_due)
            ),
        )
    }

    /// A FHIR record read into an assessment (`fhir_assess`): each input with the element it
    /// came from, every code and what the terminology table made of it, the inputs the sources
    /// disagree on, the instruments, what was not read and why, and what is still missing.
    pub fn record(&mut self, indent: usize, r: &FhirAssessment) -> io::Result<()> {
        fn from(origins: &[Origin]) -> String {
            let names: Vec<&str> = origins
                .iter()
                .map(|o| o.element.as_deref().unwrap_or(o.path.as_str()))
                .collect();
            match names.len() {
                0..=3 => names.join(", "),
                n => format!("{}, {} and {} more", names[0], names[1], n - 2),
            }
        }
        if let Some(dead) = &r.deceased {
            self.line(
                indent,
                format!(
                    "{YELLOW}Attention:{YELLOW:#} [D-RECORD] the record says this patient has died{} {DIM}(from {}){DIM:#}",
                    dead.date.as_deref().map(|d| format!(" on {d}")).unwrap_or_default(),
                    from(std::slice::from_ref(&dead.from))
                ),
            )?;
        }
        if !r.complete {
            self.line(
                indent,
                format!(
                    "{YELLOW}Attention:{YELLOW:#} [D-RECORD] the record is incomplete: {}",
                    ehr_words::reason(Reason::Paged)
                ),
            )?;
        }
        for x in r
            .item9
            .iter()
            .filter(|x| x.outcome != Item9Outcome::Negative)
        {
            let score = x
                .score
                .map_or_else(|| ehr_words::ITEM9_UNSCORED.to_owned(), |s| s.to_string());
            let when = x.time.as_deref().unwrap_or(ehr_words::UNDATED);
            let status = match x.status {
                Verification::Final => "",
                Verification::Unverified => ehr_words::UNVERIFIED,
            };
            let label = match x.outcome {
                Item9Outcome::Alert => format!("{RED}Alert:{RED:#}"),
                _ => format!("{DIM}{}:{DIM:#}", words_of(x.outcome)),
            };
            self.line(
                indent,
                format!(
                    "{label} [X-SUICIDE] {} item 9: {score} ({when}{status}) {DIM}(from {}){DIM:#}",
                    words_of(x.instrument),
                    from(&x.from)
                ),
            )?;
        }
        self.line(indent, format!("{BOLD}Inputs read{BOLD:#}"))?;
        if r.derived.is_empty() {
            self.line(indent + 2, "none")?;
        }
        for d in &r.derived {
            self.line(
                indent + 2,
                format!(
                    "{}: {} {DIM}(from {}){DIM:#}",
                    d.input,
                    value_text(&d.value),
                    from(&d.from)
                ),
            )?;
        }
        if !r.codes.is_empty() {
            self.line(indent, format!("{BOLD}Codes{BOLD:#}"))?;
        }
        for c in &r.codes {
            let what = if c.summary.is_empty() {
                format!("{} {}: {}", c.system, c.code, words_of(c.outcome))
            } else {
                c.summary.clone()
            };
            self.cite(catalogue::sources_of(c.rule_id));
            self.line(indent + 2, format!("[{}] {what}", c.rule_id))?;
        }
        for c in &r.conflicts {
            let what = if c.summary.is_empty() {
                c.input.clone()
            } else {
                c.summary.clone()
            };
            self.line(
                indent,
                format!("{YELLOW}Attention:{YELLOW:#} [{}] {what}", c.rule_id),
            )?;
        }
        if !r.conditions.is_empty() {
            self.line(indent, format!("{BOLD}Diagnoses{BOLD:#}"))?;
        }
        for c in &r.conditions {
            let kind = ehr_words::condition_kind(c.kind).unwrap_or("");
            let date = c.recorded.as_deref().unwrap_or(ehr_words::NO_DATE);
            self.line(
                indent + 2,
                format!(
                    "{}: {} {kind} {date} {DIM}(from {}){DIM:#}",
                    c.input,
                    c.code.as_ref().map_or("", |x| x.value.as_str()),
                    from(&c.from)
                ),
            )?;
        }
        if !r.measures.is_empty() {
            self.line(indent, format!("{BOLD}Measures{BOLD:#}"))?;
        }
        for m in &r.measures {
            let total = m
                .total
                .map_or_else(|| "no total".to_owned(), |t| format!("total {t}"));
            let date = m.time.as_deref().unwrap_or(ehr_words::UNDATED);
            let status = match m.status {
                Verification::Final => "",
                Verification::Unverified => ehr_words::UNVERIFIED,
            };
            self.line(
                indent + 2,
                format!(
                    "{} on {date}{status}: {total} {DIM}(from {}){DIM:#}",
                    words_of(m.instrument),
                    from(&m.from)
                ),
            )?;
            if let Some(reading) = &m.reading {
                self.reading(indent + 4, reading)?;
            }
        }
        if !r.unread.is_empty() {
            self.line(indent, format!("{BOLD}Not read{BOLD:#}"))?;
        }
        for u in &r.unread {
            let what = u
                .origin
                .element
                .as_deref()
                .unwrap_or(u.origin.path.as_str());
            let value = u
                .value
                .as_deref()
                .map(|v| format!(" ({v})"))
                .unwrap_or_default();
            self.line(
                indent + 2,
                format!("{what}: {}{value}", ehr_words::reason(u.reason)),
            )?;
        }
        if !r.inputs_missing.is_empty() {
            self.line(
                indent,
                format!(
                    "{BOLD}Still missing:{BOLD:#} {}",
                    input_names(&r.inputs_missing)
                ),
            )?;
        }
        Ok(())
    }

    /// The outputs of a course event, each item once: alerts, the override, what the event
    /// produced, and the options for the next session.
    pub fn outputs(&mut self, indent: usize, o: &Outputs) -> io::Result<()> {
        for a in &o.alerts {
            self.item(indent, a)?;
        }
        if let Some(ov) = &o.override_ {
            self.line(
                indent,
                format!(
                    "{YELLOW}Override recorded:{YELLOW:#} the {} verdict was overridden by {}: {}",
                    words_of(ov.verdict),
                    ov.clinician,
                    ov.justification
                ),
            )?;
        }
        if let Some(s) = &o.suitability {
            self.suitability(indent, s)?;
        }
        if let Some(r) = &o.ranking {
            self.line(indent, format!("{BOLD}Problem areas{BOLD:#}"))?;
            self.ranking(indent + 2, r)?;
        }
        self.group(indent, "This event", &o.items)?;
        for r in &o.readings {
            // A reading's explanations are among the items; its decision is not.
            if r.explanations.iter().all(|e| self.shown_item(e)) {
                continue;
            }
            self.reading(indent, r)?;
        }
        self.group(indent, "For the next session", &o.next_session)
    }

    /// Whether the item was already shown in this answer.
    pub fn shown_item(&self, e: &Explanation) -> bool {
        self.shown.contains(&(e.rule_id, e.summary.to_string()))
    }

    /// The answer of `course_start` or `course_apply`: where the course stands and the
    /// outputs. The snapshot is in the JSON answer (`--json`).
    pub fn course(&mut self, indent: usize, a: &CourseAnswer) -> io::Result<()> {
        let s = &a.snapshot.state;
        self.line(
            indent,
            format!(
                "{BOLD}Course:{BOLD:#} {} variant, {} phase, {} of {} sessions held; {} events recorded.",
                capital(&words_of(s.config.variant)),
                words(s.phase.as_str()),
                s.sessions_held,
                s.config.total_sessions,
                a.snapshot.events.len()
            ),
        )?;
        self.outputs(indent, &a.outputs)
    }

    /// The answer of `course_replay`: each event's place, then the last event's outputs.
    pub fn replay(&mut self, indent: usize, a: &CourseReplayAnswer) -> io::Result<()> {
        self.line(indent, format!("{BOLD}Events replayed{BOLD:#}"))?;
        for e in &a.summary {
            let alerts: Vec<&str> = e.alerts.iter().map(|id| id.as_str()).collect();
            let alerts = if alerts.is_empty() {
                String::new()
            } else {
                format!("; {RED}alerts: {}{RED:#}", alerts.join(", "))
            };
            self.line(
                indent + 2,
                format!(
                    "{}. {}: {} phase, {} sessions held{alerts}",
                    e.index + 1,
                    words(&e.event),
                    words(e.phase.as_str()),
                    e.session
                ),
            )?;
        }
        self.course(
            indent,
            &CourseAnswer {
                snapshot: a.snapshot.clone(),
                outputs: a.outputs.clone(),
            },
        )
    }

    /// The ending review in a few lines: each goal's and each measure's summary, the plan.
    pub fn review_brief(
        &mut self,
        indent: usize,
        r: &ipt_core::course::review::Review,
    ) -> io::Result<()> {
        let summaries = r
            .goals
            .iter()
            .map(|g| &g.outcome)
            .chain(r.explanations.iter().filter(|e| {
                e.rule_id == ipt_core::RuleId::StReview
                    && !e
                        .inputs_used
                        .iter()
                        .any(|i| i.path.starts_with("$.state.inventory"))
            }));
        for e in summaries {
            self.item(indent, e)?;
        }
        Ok(())
    }

    /// The ending review (`course_review`): its sentences, goals first.
    pub fn review(
        &mut self,
        indent: usize,
        r: &ipt_core::course::review::Review,
    ) -> io::Result<()> {
        self.line(
            indent,
            format!(
                "{BOLD}Ending review, {} phase:{BOLD:#}",
                words(r.phase.as_str())
            ),
        )?;
        for g in &r.goals {
            self.item(indent + 2, &g.outcome)?;
        }
        for e in &r.explanations {
            self.item(indent + 2, e)?;
        }
        Ok(())
    }

    /// The status of a course.
    pub fn status(&mut self, indent: usize, s: &Status) -> io::Result<()> {
        let sessions = if s.total_sessions == 0 {
            format!("{} sessions held", s.session)
        } else {
            format!(
                "{} of {} sessions held, {} left",
                s.session, s.total_sessions, s.sessions_left
            )
        };
        self.line(
            indent,
            format!(
                "{BOLD}{} variant, {} phase:{BOLD:#} {sessions}.",
                capital(&words_of(s.variant)),
                words(s.phase.as_str())
            ),
        )?;
        if s.maintenance_sessions_held > 0 {
            self.line(
                indent,
                format!(
                    "Maintenance sessions held: {}.",
                    s.maintenance_sessions_held
                ),
            )?;
        }
        if let Some(f) = s.focus {
            let backup = f
                .backup
                .map(|b| format!(", backup {}", b.label().to_lowercase()))
                .unwrap_or_default();
            self.line(
                indent,
                format!("Focus: {}{backup}.", f.primary.label().to_lowercase()),
            )?;
        }
        let left: Vec<String> = s
            .initial_tasks
            .iter()
            .filter(|t| !t.done)
            .map(|t| words(t.task.as_str()))
            .collect();
        if left.is_empty() {
            self.line(indent, "Initial tasks: all done.")?;
        } else {
            self.line(
                indent,
                format!(
                    "Initial tasks left ({} of {}): {}.",
                    left.len(),
                    s.initial_tasks.len(),
                    left.join(", ")
                ),
            )?;
        }
        for t in &s.measures {
            let points: Vec<String> = t
                .points
                .iter()
                .map(|p| {
                    let t = p
                        .measure
                        .score()
                        .map_or_else(|| "?".to_owned(), |t| t.to_string());
                    format!("{}: {t}", p.session)
                })
                .collect();
            self.line(
                indent,
                format!(
                    "{} by session: {}.",
                    t.instrument.label(),
                    points.join(" · ")
                ),
            )?;
            for e in &t.latest.explanations {
                self.item(indent + 2, e)?;
            }
        }
        if let Some(ov) = &s.override_ {
            self.line(
                indent,
                format!(
                    "Override: the {} verdict was overridden by {}: {}",
                    words_of(ov.verdict),
                    ov.clinician,
                    ov.justification
                ),
            )?;
        }
        if let Some(r) = s.closed_reason {
            self.line(indent, format!("Closed: {}.", words_of(r)))?;
        }
        for a in &s.alerts {
            self.item(indent, a)?;
        }
        self.group(indent, "For the next session", &s.next_session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ipt_core::findings::Finding;
    use ipt_core::suitability::{assess, Assessment};

    fn page_text(level: Level, f: impl FnOnce(&mut Page) -> io::Result<()>) -> String {
        let mut buf = Vec::new();
        let mut page = Page::new(&mut buf, level);
        f(&mut page).unwrap();
        page.sources_key().unwrap();
        // What a terminal without colour shows.
        anstream::adapter::strip_str(&String::from_utf8(buf).unwrap()).to_string()
    }

    #[test]
    fn a_suitability_report_groups_rules_by_status_in_words_and_keys_its_sources() {
        let mut a = Assessment::default();
        a.findings.active_psychosis = Finding::Present;
        let text = page_text(Level::Full, |p| p.suitability(0, &assess(&a)));
        assert!(text.contains("Verdict: CONTRAINDICATED"), "{text}");
        assert!(text.contains("Applies\n  ALERT: [C-PSYCHOSIS]"), "{text}");
        assert!(text.contains("Cannot tell yet (inputs missing)"), "{text}");
        assert!(
            text.contains("Sources cited\n  S1  Los Angeles County"),
            "{text}"
        );
        for marker in ["+ ", "!! ", "? "] {
            assert!(
                !text.lines().any(|l| l.trim_start().starts_with(marker)),
                "{text}"
            );
        }
    }

    #[test]
    fn an_item_is_shown_once_per_answer() {
        let mut a = Assessment::default();
        a.findings.active_psychosis = Finding::Present;
        let report = assess(&a);
        let e = report.items().next().unwrap().clone();
        let text = page_text(Level::Brief, |p| {
            p.item(0, &e)?;
            p.item(0, &e)?;
            p.new_answer();
            p.item(0, &e)
        });
        assert_eq!(text.matches(&*e.summary).count(), 2, "{text}");
    }

    #[test]
    fn a_source_that_cannot_be_looked_up_brings_its_published_equivalent() {
        let e = Explanation::new(
            RuleId::IAcuteMdd,
            RuleStatus::Met,
            Indicator::Info,
            "summary",
            "",
        );
        let text = page_text(Level::Brief, |p| p.item(0, &e));
        assert!(text.contains("S2  "), "{text}");
        assert!(text.contains("L1  Weissman MM"), "{text}");
    }
}
