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

#[test]
fn demo_walks_the_whole_protocol() {
    ipt()
        .arg("demo")
        .assert()
        .success()
        .stdout(predicate::str::contains("VERDICT: ESSENTIAL"))
        .stdout(predicate::str::contains("[PA-GRIEF]"))
        .stdout(predicate::str::contains("session 16"))
        .stdout(predicate::str::contains("[ST-TERMINATION]"))
        .stdout(predicate::str::contains("Phase: completed"));
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
    assert!(lines.len() > 20);
    assert!(lines
        .iter()
        .all(|v| v["ok"] == true && v["engine_version"].is_string()));
}

#[test]
fn assess_human_and_json_from_stdin_and_file() {
    ipt()
        .arg("assess")
        .write_stdin(ASSESSMENT)
        .assert()
        .success()
        .stdout(predicate::str::contains("VERDICT: CONTRAINDICATED"))
        .stdout(predicate::str::contains("[C-PSYCHOSIS]"));
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
        .stdout(predicate::str::contains("[R-MANUALS]"));
    let v = vector("areas/PA-GRIEF.grief_death_onset_linked");
    ipt()
        .arg("areas")
        .write_stdin(v["request"].to_string())
        .assert()
        .success()
        .stdout(predicate::str::contains("[PA-GRIEF]"));
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
fn rules_and_schemas() {
    ipt()
        .arg("rules")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "| C-PSYCHOSIS | Active psychosis | contraindication | S1 §II.G |",
        ));
    let out = ipt().args(["rules", "--format", "json"]).assert().success();
    let printed = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(printed.trim_end(), ipt_core::api::rules(""));
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

#[test]
fn batch_into_a_closed_pipe_ends_quietly() {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_ipt"))
        .args(["batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away, as `| head -0` does
    let line = "{\"id\":1,\"assessment\":{}}\n".repeat(20_000);
    let _ = child.stdin.take().unwrap().write_all(line.as_bytes());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("Broken pipe"));
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
    let out = ipt().args(["--json", "assess"]).arg(&file).assert().code(3);
    let answer: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(answer["error"]["code"], "input_too_large");
    std::fs::remove_dir_all(&dir).unwrap();
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
