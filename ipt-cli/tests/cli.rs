//! Runs the `ipt` binary: every subcommand, bad input, batch with bad lines, exit codes, and
//! `--json` output equal to the `ipt_core::api` answers.

#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn ipt() -> Command {
    Command::cargo_bin("ipt").unwrap()
}

const ASSESSMENT: &str = r#"{"findings":{"active_psychosis":"present"}}"#;

/// Standard output read as one JSON value per line.
fn json_lines(stdout: &[u8]) -> Vec<Value> {
    std::str::from_utf8(stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn vector(name: &str) -> Value {
    let path = format!(
        "{}/../tests/vectors/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Standard output of a successful run.
fn stdout_of(args: &[&str]) -> String {
    let out = ipt().args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// The raw key lists and markers the old renderer printed.
const RAW: &[&str] = &[
    "Onset linked:",
    "Score:",
    "Path:",
    "Rank:",
    "Status: supported",
];

fn assert_no_markers(text: &str) {
    for line in text.lines() {
        let t = line.trim_start();
        for marker in ["+ ", "- ", "? ", "! ", "!! "] {
            assert!(!t.starts_with(marker), "a marker in: {line}");
        }
    }
    for raw in RAW {
        assert!(!text.contains(raw), "raw key `{raw}` in:\n{text}");
    }
}

#[test]
fn demo_is_a_short_narrative_of_the_whole_course() {
    let text = stdout_of(&["demo"]);
    let lines = text.lines().count();
    // About 150 lines since the demo tells goals, functioning and the ending review too.
    assert!(lines <= 160, "the demo prints {lines} lines");
    for part in [
        "1. Intake",
        "Verdict: ESSENTIAL, decided by I-MOOD-ESSENTIAL",
        "Inputs still missing: none.",
        "Offered\n  [V-STANDARD]",
        "1. [PA-GRIEF] Grief: supported",
        "evidence: Death (father)",
        "[PA-SELECT] Option: grief as the primary area",
        "Focus agreed: role dispute, backup grief.",
        "Session 16, 2026-04-27 (termination phase); PHQ-9 6; WSAS 8; goals rated: rows 8/10, father 5/10.",
        "Next, attention: [ST-TERMINATION]",
        "[ST-EVALUATE] PHQ-9: response (18 to 6).",
        "completed phase: 16 of 16 sessions held",
        "PHQ-9 by session: 1: 18",
        "WSAS by session: 1: 23 · 8: 15 · 16: 8.",
        "4. The ending reviewed",
        "[G-PROGRESS] Goal \"Talk things through with Sam without a row, most w…\": from 2 to 8 of 10",
        "[ST-REVIEW] WSAS: 23 (moderately severe or worse) at session 1 to 8 (subclinical)",
        "People: Sam. Come back:",
        "Sources cited",
        "  S1  Los Angeles County Department of Mental Health.",
        "  L3  Kroenke K",
    ] {
        assert!(text.contains(part), "`{part}` missing from:\n{text}");
    }
    // No report twice: one verdict, each PHQ-9 reading once, the ranking once.
    assert_eq!(text.matches("Verdict:").count(), 1, "{text}");
    assert_eq!(text.matches("PHQ-9 total 18").count(), 1, "{text}");
    assert_eq!(text.matches("[PA-DEFICITS]").count(), 1, "{text}");
    assert_no_markers(&text);
    // Sessions with nothing new are gathered on one line.
    assert!(text.contains("Sessions 5-6, 2026-02-09 to 2026-02-16: held, nothing new."));
}

/// The command names every input as the engine does: each label of the engine's `rules`
/// answer (`inputs`) is what `ipt assess` prints for a missing input, beside its path.
#[test]
fn inputs_are_named_in_the_engines_words() {
    let answer: Value = serde_json::from_str(&ipt_core::api::call("rules", "{}")).unwrap();
    let labels = answer["result"]["inputs"].as_array().unwrap();
    assert!(labels.len() > 20, "{labels:?}");
    let assessed: Value =
        serde_json::from_str(&ipt_core::api::call("assess_suitability", "{}")).unwrap();
    let missing = assessed["result"]["inputs_missing"].as_array().unwrap();
    let text = ipt().args(["assess"]).write_stdin("{}").assert();
    let text = String::from_utf8(text.get_output().stdout.clone()).unwrap();
    let mut named = 0;
    for l in labels {
        let (path, label) = (l["path"].as_str().unwrap(), l["label"].as_str().unwrap());
        if missing.iter().any(|m| m == path) {
            assert!(
                text.contains(&format!("{label} ({path})")),
                "`{label} ({path})` missing from:\n{text}"
            );
            named += 1;
        }
    }
    assert!(named >= 5, "{named} inputs named:\n{text}");
    assert!(!text.contains("Motivation for treatment"));
}

#[test]
fn demo_verbose_is_the_full_trail_without_repeats() {
    let brief = stdout_of(&["demo"]);
    let text = stdout_of(&["demo", "--verbose"]);
    assert!(text.lines().count() > brief.lines().count());
    for part in [
        "inputs used: Motivation for change ($.findings.motivation) = present",
        "This event\n    [M-PHQ9] PHQ-9 total 18",
        "For the next session: the same 7 item(s) as before.",
        "[ST-MIDDLE] 2 technique(s) used in session 9.",
    ] {
        assert!(text.contains(part), "`{part}` missing from:\n{text}");
    }
    assert_eq!(text.matches("Verdict:").count(), 1, "{text}");
    assert_eq!(
        text.matches("Options for work on role dispute").count(),
        1,
        "unchanged options are not listed again"
    );
    assert_no_markers(&text);
}

#[test]
fn demo_json_is_one_api_answer_per_line() {
    let out = ipt()
        .args(["demo", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines = json_lines(&out);
    // course_start, one answer per event of the demo course, course_status.
    let events = vector("course/V-STANDARD.complete_standard_16")["request"]["events"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(lines.len(), events + 2);
    assert!(lines
        .iter()
        .all(|v| v["ok"] == true && v["engine_version"].is_string()));
    assert_eq!(lines[0]["operation"], "course_start");
    assert_eq!(lines[events + 1]["result"]["phase"], "completed");
    ipt().args(["demo", "--json", "--verbose"]).assert().code(2);
}

#[test]
fn assess_human_and_json_from_stdin_and_file() {
    let out = ipt()
        .arg("assess")
        .write_stdin(ASSESSMENT)
        .assert()
        .success()
        .stdout(predicate::str::contains("Verdict: CONTRAINDICATED"))
        .stdout(predicate::str::contains("Applies\n  ALERT: [C-PSYCHOSIS]"))
        .stdout(predicate::str::contains("Cannot tell yet (inputs missing)"));
    assert_no_markers(&String::from_utf8_lossy(&out.get_output().stdout));
    let out = ipt()
        .args(["assess", "--json", "-"])
        .write_stdin(ASSESSMENT)
        .assert()
        .success();
    let printed = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(
        printed.trim_end(),
        ipt_core::api::assess_suitability(ASSESSMENT)
    );
    let dir = std::env::temp_dir().join(format!("ipt-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("a.json");
    std::fs::write(&file, ASSESSMENT).unwrap();
    ipt().arg("assess").arg(&file).assert().success();
}

#[test]
fn a_safety_alert_comes_before_the_verdict_it_holds() {
    let text = String::from_utf8(
        ipt()
            .arg("assess")
            .write_stdin(r#"{"findings": {"suicide_risk": "high"}}"#)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    let alert = text.find("ALERT: [X-SUICIDE]").unwrap();
    let verdict = text
        .find("Verdict, once the safety alert above is addressed:")
        .unwrap();
    assert!(alert < verdict, "{text}");
}

#[test]
fn assess_at_decision_detail_lists_rule_ids_by_status() {
    ipt()
        .args(["assess", "--detail", "decision"])
        .write_stdin(ASSESSMENT)
        .assert()
        .success()
        .stdout(predicate::str::contains("Applies: C-PSYCHOSIS\n"))
        .stdout(predicate::str::contains("Sources cited").not());
}

#[test]
fn json_is_an_option_only_where_it_changes_the_output() {
    for args in [
        &["rules", "--json"][..],
        &["schema", "--json"],
        &["batch", "--json"],
        &["--json", "assess"],
    ] {
        ipt().args(args).write_stdin("").assert().code(2);
    }
    for cmd in ["assess", "readiness", "areas", "focus", "measure", "demo"] {
        ipt()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("--json"));
    }
}

#[test]
fn an_unknown_field_names_its_path_once_and_the_nearest_name() {
    let out = ipt()
        .arg("assess")
        .write_stdin(r#"{"findings": {"active_psychosi": "present"}}"#)
        .assert()
        .code(3);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(
        stderr.matches("$.findings.active_psychosi").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `active_psychosis`?"),
        "{stderr}"
    );
    assert!(stderr.contains("error code: invalid_input"), "{stderr}");
    assert!(out.get_output().stdout.is_empty());
}

#[test]
fn invalid_input_exits_3_with_the_path() {
    ipt()
        .arg("assess")
        .write_stdin(r#"{"age":300}"#)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("invalid_input"))
        .stderr(predicate::str::contains("$.age"));
    ipt()
        .arg("assess")
        .write_stdin("{")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("invalid_json"));
}

#[test]
fn a_refused_transition_exits_4_and_lists_every_reason() {
    let v = vector("course/ST-ENTER-MIDDLE.apply_refused_leaves_snapshot");
    let request = v["request"].to_string();
    ipt()
        .args(["course", "apply"])
        .write_stdin(request.clone())
        .assert()
        .code(4)
        .stderr(predicate::str::contains("transition_refused"));
    let out = ipt()
        .args(["course", "apply", "--json"])
        .write_stdin(request)
        .assert()
        .code(4);
    let printed: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(printed, v["expected"]);
}

#[test]
fn a_missing_file_exits_5() {
    ipt()
        .args(["assess", "/no/such/file.json"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("/no/such/file.json"));
}

#[test]
fn usage_errors_exit_2() {
    ipt().arg("frobnicate").assert().code(2);
}

#[test]
fn course_operations_match_their_vectors() {
    for name in [
        "course/V-BRIEF.complete_brief_8",
        "course/V-STANDARD.start_default_standard",
    ] {
        let path = format!(
            "{}/../tests/vectors/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let op = v["operation"]
            .as_str()
            .unwrap()
            .trim_start_matches("course_")
            .to_owned();
        let out = ipt()
            .args(["course", &op, "--json"])
            .write_stdin(v["request"].to_string())
            .assert()
            .success();
        let printed: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        assert_eq!(printed, v["expected"], "{name}");
    }
    ipt()
        .args(["course", "status"])
        .write_stdin("{\"snapshot\":{}}")
        .assert()
        .code(3);
}

#[test]
fn readiness_and_areas() {
    ipt()
        .arg("readiness")
        .write_stdin(r#"{"manuals_available":"absent"}"#)
        .assert()
        .success()
        .stdout(predicate::str::contains("Service readiness: NOT READY"))
        .stdout(predicate::str::contains("Does not apply\n"))
        .stdout(predicate::str::contains("[R-MANUALS] "));
    let v = vector("areas/PA-GRIEF.grief_death_onset_linked");
    ipt()
        .arg("areas")
        .write_stdin(v["request"].to_string())
        .assert()
        .success()
        .stdout(predicate::str::contains("1. [PA-GRIEF] Grief: supported"))
        .stdout(predicate::str::contains("evidence: "))
        .stdout(predicate::str::contains("Score:").not());
}

#[test]
fn batch_keeps_order_and_survives_bad_lines() {
    let input = [
        r#"{"id":"a","assessment":{"findings":{"active_psychosis":"present"}}}"#,
        "not json at all",
        r#"{"id":2,"assessment":{"age":300}}"#,
        "",
        r#"{"id":"d","assessment":{},"extra":1}"#,
        r#"{"id":"e","assessment":{"diagnoses":[]}}"#,
    ]
    .join("\n");
    for jobs in ["1", "2"] {
        let out = ipt()
            .args(["batch", "--jobs", jobs])
            .write_stdin(input.clone())
            .assert()
            .success();
        let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains("5 lines"), "{stderr}");
        assert!(
            stderr.contains("contraindicated: 1") && stderr.contains("invalid_json: 1"),
            "{stderr}"
        );
        assert!(
            stderr.contains("invalid_input: 2") && stderr.contains("indeterminate: 1"),
            "{stderr}"
        );
        let lines = json_lines(&out.get_output().stdout);
        let ids: Vec<Value> = lines.iter().map(|l| l["id"].clone()).collect();
        assert_eq!(
            ids,
            vec![
                Value::from("a"),
                Value::Null,
                Value::from(2),
                Value::from("d"),
                Value::from("e")
            ]
        );
        let numbers: Vec<u64> = lines.iter().map(|l| l["line"].as_u64().unwrap()).collect();
        assert_eq!(numbers, vec![1, 2, 3, 5, 6]);
        assert_eq!(lines[0]["answer"]["result"]["verdict"], "contraindicated");
        assert_eq!(lines[1]["answer"]["error"]["code"], "invalid_json");
        assert!(lines[1]["answer"]["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("line 2:"));
        assert_eq!(lines[2]["answer"]["error"]["path"], "$.assessment.age");
        assert_eq!(lines[3]["answer"]["error"]["code"], "invalid_input");
        // A good line's answer is exactly the API's answer.
        let api: Value =
            serde_json::from_str(&ipt_core::api::assess_suitability(r#"{"diagnoses":[]}"#))
                .unwrap();
        assert_eq!(lines[4]["answer"], api);
    }
}

#[test]
fn rules_is_a_table_fitted_to_the_width_by_default() {
    for width in ["80", "132"] {
        let out = ipt().arg("rules").env("COLUMNS", width).assert().success();
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(widest <= width.parse().unwrap(), "{widest} > {width}");
        assert!(text.contains("│ C-PSYCHOSIS"), "{text}");
        assert!(text.contains("(contraindication)"), "{text}");
        assert!(!text.contains("|---|"), "not Markdown");
    }
}

#[test]
fn rules_as_markdown_and_json_name_every_source_by_its_citation() {
    let md = stdout_of(&["rules", "--format", "md"]);
    assert!(md.contains("| C-PSYCHOSIS | Active psychosis | contraindication | S1 §II.G |"));
    let json = stdout_of(&["rules", "--format", "json"]);
    assert_eq!(json.trim_end(), ipt_core::api::rules(""));
    let table = stdout_of(&["rules"]);
    for text in [&md, &json, &table] {
        // No internal file is named: every source is a citation with its key.
        for internal in ["Seed document", ".txt", "seeds/", "PROTOCOL.md"] {
            assert!(!text.contains(internal), "`{internal}` in the catalogue");
        }
    }
    for s in ipt_core::catalogue::sources() {
        assert!(
            md.contains(&format!("| {} | {} |", s.key, s.reference)),
            "{}",
            s.key
        );
        // The table wraps the reference; its first words are on the key's row.
        let first: String = s
            .reference
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            table
                .lines()
                .any(|l| l.contains(&format!("│ {} ", s.key)) && l.contains(&first)),
            "{} `{first}`",
            s.key
        );
    }
    assert!(md.contains("| S1 | Los Angeles County Department of Mental Health."));
    ipt().args(["rules", "--format", "html"]).assert().code(2);
}

#[test]
fn schemas() {
    ipt()
        .arg("schema")
        .assert()
        .success()
        .stdout(predicate::str::contains("assess_suitability.request"));
    ipt()
        .args(["schema", "assess_suitability.request"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"$schema\""));
    ipt().args(["schema", "nope"]).assert().code(3);
}

#[test]
fn focus_and_measure_wrap_check_focus_and_evaluate_measure() {
    let focus = r#"{"inventory": {"life_events": [], "relationships": []}, "primary": "role_dispute", "backup": "grief"}"#;
    ipt()
        .arg("focus")
        .write_stdin(focus)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Focus: role dispute, backup grief",
        ))
        .stdout(predicate::str::contains(
            "Attention: [PA-SELECT] Role dispute chosen as the primary area without evidence",
        ))
        .stdout(predicate::str::contains("Techniques that fit role dispute"));
    for cmd in ["focus", "check-focus"] {
        let out = ipt()
            .args([cmd, "--json"])
            .write_stdin(focus)
            .assert()
            .success();
        let printed = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert_eq!(printed.trim_end(), ipt_core::api::check_focus(focus));
    }
    let measure = r#"{"current": {"instrument": "phq9", "total": 12, "item9": 1}, "baseline": {"instrument": "phq9", "total": 20}}"#;
    let text = String::from_utf8(
        ipt()
            .arg("measure")
            .write_stdin(measure)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(
        text.starts_with("ALERT: [X-SUICIDE]"),
        "the alert comes first: {text}"
    );
    assert!(text.contains("[M-PHQ9] PHQ-9 total 12: moderate; baseline 20"));
    assert!(text.contains("response: no; remission: no; lethality assessment due: yes"));
    for cmd in ["measure", "evaluate-measure"] {
        let out = ipt()
            .args([cmd, "--json"])
            .write_stdin(measure)
            .assert()
            .success();
        let printed = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert_eq!(printed.trim_end(), ipt_core::api::evaluate_measure(measure));
    }
    ipt()
        .arg("focus")
        .write_stdin(r#"{"inventory": {}, "primary": "grief", "backup": "grief"}"#)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("$.backup"));
}

/// The `echo '<request>' | ipt <args>` examples of a help text.
fn examples(help: &str) -> Vec<(String, Vec<String>)> {
    help.lines()
        .filter_map(|l| l.trim().strip_prefix("echo '"))
        .map(|rest| {
            let (request, command) = rest.split_once("' | ipt ").unwrap();
            let args = command.split_whitespace().map(str::to_owned).collect();
            (request.to_owned(), args)
        })
        .collect()
}

#[test]
fn every_subcommand_has_examples_in_its_help_and_they_run() {
    let mut ran = 0;
    for cmd in [
        "demo",
        "assess",
        "readiness",
        "areas",
        "focus",
        "measure",
        "course",
        "batch",
        "rules",
        "schema",
    ] {
        let help = stdout_of(&[cmd, "--help"]);
        assert!(help.contains("Examples:\n"), "{cmd} --help has no examples");
        assert!(
            help.contains(&format!("ipt {cmd}"))
                || help.contains("ipt check-focus")
                || help.contains("ipt evaluate-measure"),
            "{cmd}"
        );
        for (request, args) in examples(&help) {
            assert_eq!(args[0], cmd, "{cmd}: an example of another command");
            ipt()
                .args(&args)
                .write_stdin(request.clone())
                .assert()
                .success();
            ran += 1;
        }
    }
    assert!(ran >= 10, "only {ran} examples ran");
}

#[test]
fn batch_answers_a_line_that_is_not_utf8_and_keeps_the_lines_before_it() {
    let mut input = Vec::new();
    for i in 0..10 {
        input.extend_from_slice(format!("{{\"id\":{i},\"assessment\":{{}}}}\n").as_bytes());
    }
    input.extend_from_slice(b"{\"id\":10,\"assessment\":{\"age\":\xff}}\n");
    input.extend_from_slice(b"{\"id\":11,\"assessment\":{}}\n");
    let out = ipt().args(["batch"]).write_stdin(input).assert().success();
    let lines = json_lines(&out.get_output().stdout);
    assert_eq!(lines.len(), 12);
    assert_eq!(lines[10]["answer"]["error"]["code"], "invalid_utf8");
    assert_eq!(lines[10]["line"], 11);
    assert_eq!(lines[11]["id"], 11);
}

#[test]
fn batch_refuses_positional_lines_and_unreadable_ids_keeping_the_callers_id() {
    let input = [
        r#"[4, {"age": 30}]"#,
        r#"{"id": 1e400, "assessment": {}}"#,
        r#"{"id": "k", "assessment": {}, "extra": 1}"#,
    ]
    .join("\n");
    let out = ipt()
        .args(["batch", "--detail", "decision"])
        .write_stdin(input)
        .assert()
        .success();
    let lines = json_lines(&out.get_output().stdout);
    assert_eq!(lines[0]["answer"]["error"]["path"], "$");
    assert_eq!(lines[1]["answer"]["error"]["path"], "$.id");
    assert_eq!(lines[1]["id"], Value::Null);
    assert_eq!(
        lines[2]["id"], "k",
        "the caller's id is kept on a line error"
    );
    assert_eq!(lines[2]["answer"]["error"]["path"], "$.extra");
}

#[test]
fn batch_jobs_are_bounded() {
    ipt()
        .args(["batch", "--jobs", "100000"])
        .write_stdin("")
        .assert()
        .code(2);
    ipt()
        .args(["batch", "--jobs", "0"])
        .write_stdin("")
        .assert()
        .code(2);
}

/// Runs `ipt` with its standard output already closed by the reader (as `| head -0` does),
/// and returns its exit code and standard error.
fn into_closed_pipe(args: &[&str], input: &[u8]) -> (Option<i32>, String) {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_ipt"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let _ = child.stdin.take().unwrap().write_all(input);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn batch_into_a_closed_pipe_ends_quietly() {
    let line = "{\"id\":1,\"assessment\":{}}\n".repeat(20_000);
    let (code, stderr) = into_closed_pipe(&["batch"], line.as_bytes());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("Broken pipe"));
}

/// Runs `ipt` through `sh` with its standard output redirected as `redirect` says (`>&-`,
/// `>/dev/full`), and returns its exit code and standard error.
fn with_stdout(redirect: &str, args: &str, input: &[u8]) -> (Option<i32>, String) {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("exec \"$0\" {args} {redirect}"))
        .arg(env!("CARGO_BIN_EXE_ipt"))
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(input);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A closed standard output (`>&-`) is a write failure, said and exited with 5: Rust's
/// standard library would take every write to it as done, and the batch would exit 0 having
/// written none of its answers.
#[test]
fn batch_with_its_standard_output_closed_fails_loudly() {
    let lines = "{\"id\":1,\"assessment\":{}}\n".repeat(3);
    let (code, stderr) = with_stdout(">&-", "batch", lines.as_bytes());
    assert_eq!(code, Some(5), "{stderr}");
    assert!(stderr.contains("standard output"), "{stderr}");
    for args in ["rules", "assess", "demo --json"] {
        let (code, stderr) = with_stdout(">&-", args, ASSESSMENT.as_bytes());
        assert_eq!(code, Some(5), "{args}: {stderr}");
    }
    // The caller's own /dev/null is a place to write to, not a closed output.
    let (code, stderr) = with_stdout(">/dev/null", "batch", lines.as_bytes());
    assert_eq!(code, Some(0), "{stderr}");
}

/// A full device (`> /dev/full`) is a write failure too: exit 5, with how many answers were
/// written.
#[test]
fn batch_into_a_full_device_fails_loudly() {
    let lines = "{\"id\":1,\"assessment\":{}}\n".repeat(3);
    let (code, stderr) = with_stdout(">/dev/full", "batch", lines.as_bytes());
    assert_eq!(code, Some(5), "{stderr}");
    assert!(stderr.contains("0 answers written"), "{stderr}");
}

#[test]
fn every_command_into_a_closed_pipe_ends_quietly() {
    let start = br#"{"variant": "standard"}"#;
    for (args, input) in [
        (&["rules"][..], &b""[..]),
        (&["rules", "--format", "md"], b""),
        (&["rules", "--format", "json"], b""),
        (&["demo"], b""),
        (&["demo", "--verbose"], b""),
        (&["demo", "--json"], b""),
        (&["schema"], b""),
        (&["schema", "assess_suitability.request"], b""),
        (&["assess"], ASSESSMENT.as_bytes()),
        (&["assess", "--json"], ASSESSMENT.as_bytes()),
        (&["readiness"], b"{}"),
        (&["areas"], b"{}"),
        (
            &["measure"],
            br#"{"current": {"instrument": "phq9", "total": 3}}"#,
        ),
        (&["focus"], br#"{"inventory": {}, "primary": "grief"}"#),
        (&["course", "start"], start),
        (&["--help"], b""),
        (&["rules", "--help"], b""),
        (&["--version"], b""),
    ] {
        let (code, stderr) = into_closed_pipe(args, input);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?} said: {stderr}");
    }
}

#[test]
fn batch_answers_a_line_over_the_request_limit_and_goes_on() {
    let max = ipt_core::limits::MAX_REQUEST_BYTES;
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"id\":1,\"assessment\":{}}\n");
    // One byte over the limit (the newline does not count), then a line exactly at it.
    let over_start = input.len();
    input.extend_from_slice(b"{\"id\":2,\"assessment\":{}}");
    input.resize(over_start + max + 1, b' ');
    input.push(b'\n');
    let at_start = input.len();
    input.extend_from_slice(b"{\"id\":3,\"assessment\":{}}");
    input.resize(at_start + max, b' ');
    input.push(b'\n');
    input.extend_from_slice(b"{\"id\":4,\"assessment\":{}}\n");
    let out = ipt().args(["batch"]).write_stdin(input).assert().success();
    let lines = json_lines(&out.get_output().stdout);
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[1]["answer"]["error"]["code"], "input_too_large");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[2]["id"], 3, "a line exactly at the limit is read");
    assert_eq!(lines[2]["answer"]["ok"], true);
    assert_eq!(lines[3]["id"], 4);
}

#[test]
fn an_input_file_over_the_request_limit_is_refused_without_reading_it_whole() {
    let max = ipt_core::limits::MAX_REQUEST_BYTES;
    let dir = std::env::temp_dir().join(format!("ipt-cli-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("big.json");
    let mut text = String::from("{\"findings\":{}}");
    text.push_str(&" ".repeat(4 * max));
    std::fs::write(&file, &text).unwrap();
    let out = ipt().args(["assess", "--json"]).arg(&file).assert().code(3);
    let answer: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(answer["error"]["code"], "input_too_large");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Many chunks on several workers: every line answered once, in input order, and the compact
/// line carries the decision of the full answer.
#[test]
fn batch_compact_lines_follow_the_input_across_chunks_and_match_the_full_answer() {
    let patients = [
        r#"{"findings":{"active_psychosis":"present"}}"#,
        r#"{"age":34,"diagnoses":[{"category":"major_depression","course":"recurrent","phase":"acute"}],"findings":{"active_psychosis":"absent","personality_disorder":"absent","motivation":"present","insight":"present","suicide_risk":"high"}}"#,
        r#"{"age":300}"#,
    ];
    let n = 2_000;
    let input: String = (0..n)
        .map(|i| format!("{{\"id\":{i},\"assessment\":{}}}\n", patients[i % 3]))
        .collect();
    let compact = ipt()
        .args(["batch", "--compact", "--jobs", "3"])
        .write_stdin(input.clone())
        .assert()
        .success();
    let full = ipt()
        .args(["batch", "--detail", "decision", "--jobs", "1"])
        .write_stdin(input)
        .assert()
        .success();
    let compact = json_lines(&compact.get_output().stdout);
    let full = json_lines(&full.get_output().stdout);
    assert_eq!(compact.len(), n);
    for (i, (c, f)) in compact.iter().zip(&full).enumerate() {
        assert_eq!(c["id"], i, "{c}");
        assert_eq!(c["line"], i + 1, "{c}");
        let answer = &f["answer"];
        if answer["ok"] == true {
            let r = &answer["result"];
            assert_eq!(c["verdict"], r["verdict"], "{c}");
            assert_eq!(c["decided_by"], r["decided_by"], "{c}");
            assert_eq!(c["inputs_missing"], r["inputs_missing"], "{c}");
            let alerts: Vec<Value> = r["alerts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["rule_id"].clone())
                .collect();
            assert_eq!(c["alerts"], Value::Array(alerts), "{c}");
            assert!(c.get("error").is_none());
        } else {
            assert_eq!(c["error"], answer["error"], "{c}");
            assert!(c.get("verdict").is_none());
        }
    }
    assert_eq!(compact[1]["alerts"][0], "X-SUICIDE");
    assert_eq!(compact[2]["error"]["path"], "$.assessment.age");
}

/// Writes a JSON value to a temporary file for the binary to read.
fn temp_json(name: &str, v: &Value) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ipt-cli-ehr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, v.to_string()).unwrap();
    file
}

fn stdout_json(out: &assert_cmd::assert::Assert) -> Value {
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

#[test]
fn cds_hooks_takes_the_ehrs_request_and_prints_the_response() {
    let v = vector("ehr/X-SUICIDE.cds_hooks_phq9_item9_critical_first");
    let date = v["request"]["date"].as_str().unwrap();
    let file = temp_json("hook.json", &v["request"]["request"]);
    let out = ipt()
        .args(["cds-hooks", "--json", "--date", date])
        .arg(&file)
        .assert()
        .success();
    assert_eq!(stdout_json(&out), v["expected"]);
    // Without --json: the CDS Hooks response body, as an EHR receives it.
    let out = ipt()
        .args(["cds-hooks", "--date", date])
        .arg(&file)
        .assert()
        .success();
    assert_eq!(stdout_json(&out), v["expected"]["result"]);
    // Today by default: the cards depend on the date only through the age.
    ipt().arg("cds-hooks").arg(&file).assert().success();
    // Bad input: the engine's code and path.
    ipt()
        .args(["cds-hooks", "--date", date])
        .write_stdin("{")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("invalid_json"));
    let mut bad = v["request"]["request"].clone();
    bad["hook"] = "order-sign".into();
    ipt()
        .args(["cds-hooks", "--date", date])
        .arg(temp_json("bad.json", &bad))
        .assert()
        .code(3)
        .stderr(predicate::str::contains("$.request.hook"));
    ipt()
        .args(["cds-hooks", "--date", "2026-13-01"])
        .arg(&file)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("$.date"));
}

#[test]
fn fhir_assess_observations_and_discovery_match_their_vectors() {
    let v = vector("ehr/D-CODE-MAP.fhir_assess_us_core_examples");
    let file = temp_json("bundle.json", &v["request"]["bundle"]);
    let out = ipt()
        .args(["fhir", "assess", "--json", "--date"])
        .arg(v["request"]["date"].as_str().unwrap())
        .arg(&file)
        .assert()
        .success();
    assert_eq!(stdout_json(&out), v["expected"]);
    ipt()
        .args(["fhir", "assess", "--date", "2026-01-05"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Condition/encounter-diagnosis-example1",
        ));
    let v = vector("ehr/M-PHQ9.fhir_observations_phq9_panel");
    let out = ipt()
        .args(["fhir", "observations"])
        .arg(temp_json("measures.json", &v["request"]))
        .assert()
        .success();
    assert_eq!(stdout_json(&out), v["expected"]["result"]);
    let v = vector("api/cds_services");
    let out = ipt().arg("cds-services").assert().success();
    assert_eq!(stdout_json(&out), v["expected"]["result"]);
}
