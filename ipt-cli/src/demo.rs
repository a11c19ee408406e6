//! `ipt demo`: one patient taken through a course of IPT, told as a narrative a clinician
//! reads in a minute: what applies, what is missing, what is offered and why, event by event.
//!
//! The course is the request of the conformance vector for a complete standard course, so the
//! demo is exactly a course the conformance suite checks. It runs on the typed course of
//! `ipt-core` ([`Snapshot::apply`] gives each event's typed [`Outputs`]); the words are the
//! engine's, arranged by [`Page`]. By default only what is new is shown: an item already
//! given for an earlier event, or the same options for the next session, is not repeated,
//! and sessions with nothing new are gathered on one line. `--verbose` shows every item of
//! every event in full; `--json` prints the API answers instead.

use std::io::Write;

use ipt_core::api::{self, Course};
use ipt_core::catalogue::{self, RuleId, RuleKind};
use ipt_core::course::{self, Event, Outputs, Phase, Snapshot, StartRequest};
use ipt_core::explain::{Explanation, Indicator, Render};
use ipt_core::suitability::Assessment;
use serde_json::Value;

use crate::render::{words, words_of, Level, Page, BOLD, DIM};
use crate::Failure;

/// The demo course: a conformance vector's request.
const DEMO: &str = include_str!("../../tests/vectors/course/V-STANDARD.complete_standard_16.json");

/// The demo's start and events, as JSON values.
fn request() -> Result<(Value, Vec<Value>), Failure> {
    let vector: Value =
        serde_json::from_str(DEMO).map_err(|e| Failure::Engine(format!("demo course: {e}")))?;
    let request = &vector["request"];
    let events = request["events"].as_array().cloned().unwrap_or_default();
    Ok((request["start"].clone(), events))
}

fn engine(e: ipt_core::Error) -> Failure {
    Failure::Engine(format!("the demo course was refused: {e}"))
}

/// `ipt demo --json`: the API answer of every step, one per line: `course_start`, each
/// event applied to the course, and the final `course_status`.
pub fn json(out: &mut dyn Write) -> Result<u8, Failure> {
    let (start, events) = request()?;
    let mut course = match Course::start(&start.to_string()) {
        Ok((course, started)) => {
            writeln!(out, "{}", started.json)?;
            course
        }
        Err(refused) => {
            writeln!(out, "{}", refused.json)?;
            return Ok(crate::exit_code_of(&refused));
        }
    };
    for event in &events {
        let answer = course.apply(&event.to_string());
        writeln!(out, "{}", answer.json)?;
        let code = crate::exit_code_of(&answer);
        if code != crate::exit::OK {
            return Ok(code);
        }
    }
    writeln!(out, "{}", course.status().json)?;
    Ok(crate::exit::OK)
}

/// The patient of an assessment in one line: age, setting, format, diagnoses.
fn patient(a: &Assessment) -> String {
    let mut parts = Vec::new();
    if let Some(age) = a.age {
        parts.push(format!("age {}", words_of(age)));
    }
    if let Some(s) = a.care_setting {
        parts.push(words_of(s));
    }
    if let Some(f) = a.format {
        parts.push(format!("{} format", words_of(f)));
    }
    let mut line = parts.join(", ");
    for d in &a.diagnoses {
        let detail: Vec<String> = [d.course.map(words_of), d.phase.map(words_of)]
            .into_iter()
            .flatten()
            .collect();
        line.push_str(&format!("; {}", words_of(d.category)));
        if !detail.is_empty() {
            line.push_str(&format!(" ({})", detail.join(", ")));
        }
    }
    line
}

fn titles(ids: &[RuleId]) -> String {
    ids.iter()
        .map(|id| catalogue::title_of(*id).to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What an event records, in words, from the typed event.
fn describe(event: &Event, phase: Phase, changed: bool, s: &course::CourseState) -> String {
    let now = if changed {
        format!("; the course is now in the {} phase", words(phase.as_str()))
    } else {
        String::new()
    };
    match event {
        Event::AssessmentRecorded { .. } => "Suitability assessment recorded".to_owned(),
        Event::CourseStarted { date, override_ } => format!(
            "Course started {date}: {} variant, {} sessions{}{now}",
            words_of(s.config.variant),
            s.config.total_sessions,
            if override_.is_some() {
                ", with an override"
            } else {
                ""
            }
        ),
        Event::SessionHeld {
            number,
            date,
            measures,
            techniques,
            tasks_done,
            goal_ratings,
        } => {
            let mut line = format!("Session {number}, {date} ({} phase)", words(phase.as_str()));
            for m in measures {
                line.push_str(&format!(
                    "; {} {}",
                    m.instrument.label(),
                    m.score().map_or_else(|| "?".to_owned(), |t| t.to_string())
                ));
            }
            if !tasks_done.is_empty() {
                let tasks: Vec<String> = tasks_done.iter().map(|t| words(t.as_str())).collect();
                line.push_str(&format!("; tasks done: {}", tasks.join(", ")));
            }
            if !techniques.is_empty() {
                line.push_str(&format!("; techniques used: {}", titles(techniques)));
            }
            if !goal_ratings.is_empty() {
                let r: Vec<String> = goal_ratings
                    .iter()
                    .map(|r| format!("{} {}/10", r.goal, r.rating))
                    .collect();
                line.push_str(&format!("; goals rated: {}", r.join(", ")));
            }
            line
        }
        Event::SessionMissed { date } => format!("Appointment missed, {date}"),
        Event::InventoryRecorded { .. } => {
            "Interpersonal inventory recorded; the problem areas ranked on its evidence".to_owned()
        }
        Event::FocusAgreed { primary, backup } => format!(
            "Focus agreed: {}{}",
            primary.label().to_lowercase(),
            backup
                .map(|b| format!(", backup {}", b.label().to_lowercase()))
                .unwrap_or_default()
        ),
        Event::ContractAgreed { contract } => format!(
            "Contract agreed: {} sessions, {} format{}",
            contract.sessions,
            words_of(contract.format),
            if contract.goals.is_empty() {
                String::new()
            } else {
                let goals: Vec<&str> = contract.goals.iter().map(|g| g.text.as_str()).collect();
                format!("; goals: {}", goals.join("; "))
            }
        ),
        Event::FocusRenegotiated {
            primary,
            backup,
            reason,
        } => format!(
            "Focus renegotiated: {}{} ({reason})",
            primary.label().to_lowercase(),
            backup
                .map(|b| format!(", backup {}", b.label().to_lowercase()))
                .unwrap_or_default()
        ),
        Event::ContractRenegotiated { sessions, reason } => {
            format!("Contract renegotiated: {sessions} sessions ({reason})")
        }
        Event::GoalsRevised { goals, reason } => {
            format!("Goals revised: {} goals ({reason})", goals.len())
        }
        Event::RelapsePlanRecorded {
            date,
            warning_signs,
            people,
            ..
        } => format!(
            "Relapse-prevention plan recorded, {date}: {} warning signs, {} people to turn to",
            warning_signs.len(),
            people.len()
        ),
        Event::RiskAssessed { level } => format!("Suicide risk assessed: {}", words_of(level)),
        Event::SafetyPlanRecorded { date } => format!("Safety plan recorded, {date}"),
        Event::TerminationRaised {} => "The ending raised with the patient".to_owned(),
        Event::ReassessmentRecorded { date } => format!("Reassessment recorded, {date}"),
        Event::MeasuresReviewed { date } => format!("Measures reviewed, {date}"),
        Event::CourseCompleted {} => format!("Course completed{now}"),
        Event::MaintenanceContracted { .. } => format!("Maintenance contracted{now}"),
        Event::MaintenanceSessionHeld {
            number,
            date,
            measures,
        } => {
            let mut line = format!("Maintenance session {number}, {date}");
            for m in measures {
                line.push_str(&format!(
                    "; {} {}",
                    m.instrument.label(),
                    m.score().map_or_else(|| "?".to_owned(), |t| t.to_string())
                ));
            }
            line
        }
        Event::Closed { reason } => format!("Course closed: {}", words_of(reason)),
    }
}

/// Sessions held with nothing new to show, gathered on one line.
#[derive(Default)]
struct Quiet {
    first: Option<(u32, String)>,
    last: Option<(u32, String)>,
}

impl Quiet {
    fn add(&mut self, number: u32, date: &str) {
        if self.first.is_none() {
            self.first = Some((number, date.to_owned()));
        }
        self.last = Some((number, date.to_owned()));
    }

    fn flush(&mut self, page: &mut Page) -> Result<(), Failure> {
        let line = match (self.first.take(), self.last.take()) {
            (Some((a, da)), Some((b, db))) if a != b => {
                format!("Sessions {a}-{b}, {da} to {db}: held, nothing new.")
            }
            (Some((a, da)), _) => format!("Session {a}, {da}: held, nothing new."),
            _ => return Ok(()),
        };
        page.line(0, format!("{DIM}{line}{DIM:#}"))?;
        Ok(())
    }
}

/// What is new in an event's outputs, for the brief narrative.
struct News<'o> {
    items: Vec<&'o Explanation>,
    next: Vec<&'o Explanation>,
}

/// Keeps what was not said before: an item whose rule already gave an item with the same
/// status and indicator is left out (a measure's reading always counts: it is the
/// trajectory; a goal's progress waits for the review, unless it is a warning), and so is an option for the next session that the previous event already
/// offered in the same words.
fn news<'o>(
    o: &'o Outputs,
    said: &mut Vec<(RuleId, &'static str, Indicator)>,
    previous_next: &[Explanation],
) -> News<'o> {
    let items = o
        .items
        .iter()
        .filter(|e| {
            let key = (e.rule_id, e.status.as_str(), e.indicator);
            let kind = catalogue::get(e.rule_id).map(|r| r.kind);
            let measure = kind == Some(RuleKind::Measure);
            // A goal's rating is on the session's line; its progress is in the review.
            let goal = kind == Some(RuleKind::Goal) && e.indicator == Indicator::Info;
            let new = !said.contains(&key);
            said.push(key);
            !goal && (new || measure || e.indicator != Indicator::Info)
        })
        .collect();
    let next = o
        .next_session
        .iter()
        .filter(|e| {
            !previous_next
                .iter()
                .any(|p| p.rule_id == e.rule_id && p.summary == e.summary)
        })
        .collect();
    News { items, next }
}

/// The options for the next session, briefly: techniques gathered on one line.
fn next_brief(page: &mut Page, next: &[&Explanation]) -> Result<(), Failure> {
    let is_technique =
        |e: &Explanation| catalogue::get(e.rule_id).is_some_and(|r| r.kind == RuleKind::Technique);
    for e in next.iter().filter(|e| !is_technique(e)) {
        page.item_led(2, "Next: ", e)?;
    }
    let techniques: Vec<&&Explanation> = next.iter().filter(|e| is_technique(e)).collect();
    if !techniques.is_empty() {
        let list: Vec<String> = techniques
            .iter()
            .map(|e| format!("{} {BOLD}[{}]{BOLD:#}", e.title.to_lowercase(), e.rule_id))
            .collect();
        for e in &techniques {
            page.cite(e.sources.iter());
        }
        page.line(2, format!("Next: techniques that fit: {}", list.join(", ")))?;
    }
    Ok(())
}

/// `ipt demo`: the narrative, brief or (`verbose`) in full.
pub fn narrative(out: &mut dyn Write, verbose: bool) -> Result<u8, Failure> {
    let level = if verbose { Level::Full } else { Level::Brief };
    let (start, events) = request()?;
    let start: StartRequest = ipt_core::parse::parse(&start.to_string()).map_err(engine)?;
    let mut snapshot = Snapshot::start(start, "$.start").map_err(engine)?;
    let mut page = Page::new(out, level);
    page.heading(format!(
        "ipt demo: one patient through a course of IPT (engine {}, protocol {})",
        api::ENGINE_VERSION,
        api::PROTOCOL_VERSION
    ))?;
    page.line(
        0,
        "The engine offers options with their reasons; the clinician decides. Rule IDs are in",
    )?;
    page.line(
        0,
        "[brackets] (`ipt rules` lists them), sources in (parentheses), keyed at the end.",
    )?;

    let mut said = Vec::new();
    let mut previous_next: Vec<Explanation> =
        course::initial_outputs(&snapshot.state, Render::EXPLAINED).next_session;
    let mut quiet = Quiet::default();
    for value in &events {
        let event: Event = ipt_core::parse::parse(&value.to_string()).map_err(engine)?;
        let before = snapshot.state.phase;
        let outputs = snapshot
            .apply(event.clone(), course::EVENT_PATH, Render::EXPLAINED)
            .map_err(engine)?;
        let state = &snapshot.state;
        let phase = state.phase;
        page.new_answer();

        if let (Event::AssessmentRecorded { assessment }, Some(report)) =
            (&event, &outputs.suitability)
        {
            page.blank()?;
            page.heading("1. Intake: is IPT an option for this patient?")?;
            page.line(0, format!("Patient: {}.", patient(assessment)))?;
            page.suitability(0, report)?;
            page.blank()?;
            page.heading("2. The course, event by event")?;
            previous_next = outputs.next_session.clone();
            continue;
        }

        let news = news(&outputs, &mut said, &previous_next);
        let line = describe(&event, phase, phase != before, state);
        let nothing_new = outputs.alerts.is_empty()
            && outputs.ranking.is_none()
            && news.items.is_empty()
            && news.next.is_empty();
        match &event {
            Event::SessionHeld { number, date, .. } if !verbose && nothing_new => {
                quiet.add(*number, date);
                previous_next = outputs.next_session.clone();
                continue;
            }
            _ => quiet.flush(&mut page)?,
        }
        page.line(0, format!("{line}."))?;
        if verbose {
            let mut this = outputs.clone();
            this.next_session.clear();
            page.outputs(2, &this)?;
            page.group(2, "For the next session", news.next.iter().copied())?;
            let same = outputs.next_session.len() - news.next.len();
            if same > 0 {
                let text = if news.next.is_empty() {
                    format!("For the next session: the same {same} item(s) as before.")
                } else {
                    format!("For the next session, also the same {same} item(s) as before.")
                };
                page.line(2, format!("{DIM}{text}{DIM:#}"))?;
            }
        } else {
            for a in &outputs.alerts {
                page.item(2, a)?;
            }
            if let Some(r) = &outputs.ranking {
                page.ranking(2, r)?;
            }
            for e in &news.items {
                page.item(2, e)?;
            }
            next_brief(&mut page, &news.next)?;
        }
        previous_next = outputs.next_session.clone();
    }
    quiet.flush(&mut page)?;

    page.blank()?;
    page.heading("3. Where the course ends")?;
    page.status(0, &course::status(&snapshot.state))?;
    if let Ok(review) = course::review::review(&snapshot.state, "$.snapshot", Render::EXPLAINED) {
        page.blank()?;
        page.heading("4. The ending reviewed (`ipt course review`)")?;
        page.review_brief(0, &review)?;
    }
    page.line(
        0,
        "Every next step above is an option with its reasons; the choice is the clinician's.",
    )?;
    page.sources_key()?;
    page.blank()?;
    page.line(
        0,
        if verbose {
            "`ipt demo --json` gives the API answers of every step."
        } else {
            "`ipt demo --verbose` shows every item in full; `ipt demo --json` the API answers."
        },
    )?;
    Ok(crate::exit::OK)
}
