//! One renderer for every answer envelope: safety alerts first, then the headline, then each
//! explained item (rule ID, summary, rationale, sources, inputs used and missing).

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use ipt_core::api::{self, Course};
use serde_json::Value;

const BOLD: Style = Style::new().bold();
const RED: Style = AnsiColor::Red.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const DIM: Style = Style::new().dimmed();
const GREEN: Style = AnsiColor::Green.on_default();

/// Keys shown first, in this order: safety comes first.
const FIRST: &[&str] = &[
    "safety_alerts",
    "alerts",
    "verdict",
    "explanation",
    "readiness",
    "phase",
    "contraindications",
    "indications",
    "assessments",
    "cautions",
    "recommended_variant",
    "recommended_techniques",
    "inputs_missing",
];
/// Keys not worth showing a person.
const SKIP: &[&str] = &[
    "snapshot",
    "engine_version",
    "protocol_version",
    "operation",
    "ok",
];

/// Renders an answer envelope.
pub fn answer(out: &mut dyn Write, v: &Value) -> io::Result<()> {
    if v["ok"] == Value::Bool(true) {
        value(out, &v["result"], 0)
    } else {
        error(out, &v["error"])
    }
}

fn error(out: &mut dyn Write, e: &Value) -> io::Result<()> {
    let code = e["code"].as_str().unwrap_or("error");
    write!(out, "{RED}{code}{RED:#}")?;
    if let Some(p) = e["path"].as_str() {
        write!(out, " at {BOLD}{p}{BOLD:#}")?;
    }
    writeln!(out, ": {}", e["message"].as_str().unwrap_or(""))?;
    for u in e["unmet"].as_array().into_iter().flatten() {
        writeln!(
            out,
            "  - [{}] {}: {}",
            u["rule_id"].as_str().unwrap_or(""),
            u["requirement"].as_str().unwrap_or(""),
            u["message"].as_str().unwrap_or("")
        )?;
    }
    Ok(())
}

fn is_item(v: &Value) -> bool {
    v.get("rule_id").is_some() && v.get("summary").is_some()
}

/// One explained item.
pub fn item(out: &mut dyn Write, v: &Value, indent: usize) -> io::Result<()> {
    let pad = " ".repeat(indent);
    let (mark, style) = match (v["indicator"].as_str(), v["status"].as_str()) {
        (Some("critical"), _) => ("!!", RED),
        (Some("warning"), _) => ("! ", YELLOW),
        (_, Some("met")) => ("+ ", GREEN),
        (_, Some("unknown")) => ("? ", YELLOW),
        _ => ("- ", DIM),
    };
    writeln!(
        out,
        "{pad}{style}{mark}{style:#} {BOLD}[{}]{BOLD:#} {}",
        v["rule_id"].as_str().unwrap_or(""),
        v["summary"].as_str().unwrap_or("")
    )?;
    if let Some(r) = v["rationale"].as_str() {
        writeln!(out, "{pad}     {r}")?;
    }
    let sources: Vec<&str> = v["sources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if !sources.is_empty() {
        writeln!(out, "{pad}     {DIM}sources: {}{DIM:#}", sources.join("; "))?;
    }
    let used: Vec<String> = v["inputs_used"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| format!("{} = {}", i["path"].as_str().unwrap_or(""), i["value"]))
        .collect();
    if !used.is_empty() {
        writeln!(
            out,
            "{pad}     {DIM}inputs used: {}{DIM:#}",
            used.join(", ")
        )?;
    }
    let missing: Vec<&str> = v["inputs_missing"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if !missing.is_empty() {
        writeln!(
            out,
            "{pad}     {YELLOW}still missing: {}{YELLOW:#}",
            missing.join(", ")
        )?;
    }
    Ok(())
}

fn title(key: &str) -> String {
    let mut t = key.replace('_', " ");
    if let Some(first) = t.get(0..1) {
        t.replace_range(0..1, &first.to_uppercase());
    }
    t
}

fn value(out: &mut dyn Write, v: &Value, depth: usize) -> io::Result<()> {
    let pad = " ".repeat(depth * 2);
    match v {
        _ if is_item(v) => item(out, v, depth * 2),
        Value::Object(m)
            if m.get("verdict").is_some_and(Value::is_string) && m.contains_key("decided_by") =>
        {
            // A suitability answer: the verdict first, then the explained items, and the
            // rules by status only when nothing is explained (decision detail).
            let by: Vec<&str> = m["decided_by"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for a in m["alerts"].as_array().into_iter().flatten() {
                value(out, a, depth)?;
            }
            writeln!(
                out,
                "{pad}{BOLD}VERDICT: {}{BOLD:#}  (decided by: {})",
                m["verdict"].as_str().unwrap_or("").to_uppercase(),
                if by.is_empty() {
                    "no rule".to_owned()
                } else {
                    by.join(", ")
                }
            )?;
            let explanation = m.get("explanation").and_then(Value::as_object);
            if let Some(r) = explanation
                .and_then(|e| e.get("verdict"))
                .and_then(Value::as_str)
            {
                writeln!(out, "{pad}  {r}")?;
            }
            let mut rest = m.clone();
            for k in ["verdict", "decided_by", "alerts", "explanation"] {
                rest.remove(k);
            }
            if let Some(e) = explanation {
                rest.remove("rules");
                let mut e = e.clone();
                e.remove("verdict");
                for (k, x) in e {
                    rest.insert(k, x);
                }
            }
            value(out, &Value::Object(rest), depth)
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().filter(|k| !SKIP.contains(&k.as_str())).collect();
            keys.sort_by_key(|k| FIRST.iter().position(|f| f == k).unwrap_or(FIRST.len()));
            for k in keys {
                let x = &m[k.as_str()];
                match x {
                    Value::Array(a) if a.is_empty() => {}
                    Value::Null => {}
                    Value::Object(_) | Value::Array(_) if !is_item(x) => {
                        writeln!(out, "{pad}{BOLD}{}{BOLD:#}", title(k))?;
                        value(out, x, depth + 1)?;
                    }
                    _ if is_item(x) => value(out, x, depth)?,
                    scalar => writeln!(
                        out,
                        "{pad}{}: {}",
                        title(k),
                        scalar
                            .as_str()
                            .map_or_else(|| scalar.to_string(), str::to_owned)
                    )?,
                }
            }
            Ok(())
        }
        Value::Array(a) => {
            for x in a {
                if x.is_object() || x.is_array() {
                    value(out, x, depth)?;
                } else {
                    writeln!(
                        out,
                        "{pad}- {}",
                        x.as_str().map_or_else(|| x.to_string(), str::to_owned)
                    )?;
                }
            }
            Ok(())
        }
        scalar => writeln!(out, "{pad}{}", scalar),
    }
}

/// The rule catalogue as a Markdown table.
pub fn rules_markdown(out: &mut dyn Write, answer: &Value) -> io::Result<()> {
    writeln!(out, "| ID | Title | Kind | Sources | Statement |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    for r in answer["result"]["rules"].as_array().into_iter().flatten() {
        let sources: Vec<&str> = r["sources"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            r["id"].as_str().unwrap_or(""),
            r["title"].as_str().unwrap_or(""),
            r["kind"].as_str().unwrap_or(""),
            sources.join("; "),
            r["statement"].as_str().unwrap_or("").replace('|', "\\|")
        )?;
    }
    writeln!(out)?;
    for s in answer["result"]["sources"].as_array().into_iter().flatten() {
        writeln!(
            out,
            "- **{}**: {}",
            s["key"].as_str().unwrap_or(""),
            s["reference"].as_str().unwrap_or("")
        )?;
    }
    Ok(())
}

/// The demo course: the request of the conformance vector for a complete standard course, so
/// the demo is exactly a course the conformance suite checks.
const DEMO: &str = include_str!("../../tests/vectors/course/V-STANDARD.complete_standard_16.json");

fn heading(out: &mut dyn Write, text: &str) -> io::Result<()> {
    writeln!(out, "\n{BOLD}== {text} =={BOLD:#}")
}

fn describe(event: &Value) -> String {
    let kind = event["type"].as_str().unwrap_or("event");
    let mut s = kind.replace('_', " ");
    if let Some(n) = event["number"].as_u64() {
        s = format!("session {n}");
    }
    if let Some(d) = event["date"].as_str() {
        s.push_str(&format!(" ({d})"));
    }
    for m in event["measures"].as_array().into_iter().flatten() {
        s.push_str(&format!(
            ", {} {}",
            m["instrument"].as_str().unwrap_or("").to_uppercase(),
            m["total"]
        ));
    }
    if let (Some(p), b) = (event["primary"].as_str(), event["backup"].as_str()) {
        s.push_str(&format!(
            ": primary {p}{}",
            b.map(|b| format!(", backup {b}")).unwrap_or_default()
        ));
    }
    s
}

/// `ipt demo`: intake, inventory and areas, the course session by session, completion.
pub fn demo(json: bool, decision: bool) -> Result<u8, String> {
    let detail = |request: String| {
        if decision {
            crate::with_detail(request, crate::DetailArg::Decision)
        } else {
            request
        }
    };
    let vector: Value = serde_json::from_str(DEMO).map_err(|e| e.to_string())?;
    let request = &vector["request"];
    let events = request["events"].as_array().cloned().unwrap_or_default();
    let find = |t: &str| {
        events
            .iter()
            .find(|e| e["type"] == t)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let mut out = anstream::stdout();
    let io = |e: io::Error| e.to_string();
    let emit = |out: &mut dyn Write, step: &str, answer: &str| -> Result<(), String> {
        if json {
            writeln!(out, "{answer}").map_err(io)
        } else {
            let v: Value = serde_json::from_str(answer).map_err(|e| e.to_string())?;
            heading(out, step).map_err(io)?;
            self::answer(out, &v).map_err(io)
        }
    };
    if !json {
        writeln!(
            out,
            "{BOLD}ipt demo{BOLD:#}: a built-in patient through IPT (engine {}, protocol {}).",
            api::ENGINE_VERSION,
            api::PROTOCOL_VERSION
        )
        .map_err(io)?;
        writeln!(
            out,
            "Every step is the engine's explained answer; the clinician decides."
        )
        .map_err(io)?;
    }
    let assessment = find("assessment_recorded")["assessment"].to_string();
    emit(
        &mut out,
        "1. Intake: suitability",
        &api::assess_suitability(&detail(assessment)),
    )?;
    let inventory = find("inventory_recorded")["inventory"].to_string();
    emit(
        &mut out,
        "2. Interpersonal inventory: problem areas",
        &api::rank_problem_areas(&detail(inventory)),
    )?;

    let (course, started) = Course::start(&request["start"].to_string());
    emit(
        &mut out,
        "3. Course started (standard variant)",
        &started.json,
    )?;
    let Some(mut course) = course else {
        return Ok(crate::exit_code_of(&started));
    };
    for (i, event) in events.iter().enumerate() {
        let answer = course.apply(&event.to_string());
        let code = crate::exit_code_of(&answer);
        emit(
            &mut out,
            &format!("3.{} {}", i + 1, describe(event)),
            &answer.json,
        )?;
        if code != crate::exit::OK {
            return Ok(code);
        }
    }
    emit(
        &mut out,
        "4. Status at the end of the course",
        &course.status().json,
    )?;
    Ok(crate::exit::OK)
}
