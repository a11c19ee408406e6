//! The Markdown detail of a card: the rationale, the rules, the inputs used (labelled, with
//! where they came from), the inputs missing, further sections and the versions. Every
//! heading and sentence is a words table's, through the locale.

use crate::explain::{fill, InputValue};
use crate::{ENGINE_VERSION, PROTOCOL_VERSION};

use super::cards::{Body, Deck};
use super::terminology::TABLE_VERSION;
use super::words::{self, detail as d};
use super::Origin;

impl Deck<'_> {
    pub(super) fn markdown(&self, body: &Body<'_>) -> String {
        let t = |s: &str| self.locale.text(s).into_owned();
        let mut out = String::new();
        for p in body.why.iter().filter(|p| !p.is_empty()) {
            out.push_str(p);
            out.push_str("\n\n");
        }
        let mut section = |heading: &str, lines: &[String]| {
            if lines.is_empty() {
                return;
            }
            out.push_str(&format!("**{}**\n\n", t(heading)));
            for l in lines {
                out.push_str(&format!("- {l}\n"));
            }
            out.push('\n');
        };
        let rules: Vec<String> = body
            .items
            .iter()
            .map(|i| format!("`{}` {}", i.rule_id, i.summary))
            .collect();
        section(d::RULES, &rules);
        let mut used: Vec<String> = Vec::new();
        let mut missing: Vec<String> = body.missing.clone();
        for i in &body.items {
            for u in &i.inputs_used {
                if u.path.starts_with("report.")
                    || used.iter().any(|x| x.starts_with(&self.label(&u.path)))
                {
                    continue;
                }
                if i.inputs_missing.contains(&u.path) {
                    continue;
                }
                let from = self
                    .fa
                    .derived
                    .iter()
                    .find(|x| x.input == u.path)
                    .map(|x| format!(" ({})", self.origins(&x.from)))
                    .unwrap_or_default();
                used.push(format!(
                    "{}: {}{from}",
                    self.label(&u.path),
                    self.value(&u.value)
                ));
            }
            missing.extend(i.inputs_missing.iter().cloned());
        }
        missing.sort();
        missing.dedup();
        section(d::USED, &used);
        let missing: Vec<String> = missing
            .iter()
            .map(|p| format!("{} ({})", self.label(p), code(p)))
            .collect();
        section(d::MISSING, &missing);
        for (heading, lines) in &body.sections {
            section(heading, lines);
        }
        out.push_str(&format!(
            "**{}**: {}",
            t(d::VERSIONS),
            fill(
                &t(d::VERSION_LINE),
                &[
                    ("engine", &ENGINE_VERSION),
                    ("protocol", &PROTOCOL_VERSION),
                    ("terminology", &TABLE_VERSION),
                ],
            )
        ));
        out
    }

    /// The readable label of an input path.
    pub(super) fn label(&self, path: &str) -> String {
        let diagnoses = &self.fa.assessment.diagnoses;
        words::label(
            path,
            |n| {
                diagnoses
                    .get(n)
                    .and_then(|x| x.code.as_ref())
                    .map(|c| code(&c.value))
            },
            self.locale,
        )
    }

    /// A value as a person reads it.
    pub(super) fn value(&self, v: &InputValue) -> String {
        match v {
            InputValue::Null => self.locale.text(d::NOT_RECORDED).into_owned(),
            InputValue::Bool(b) => b.to_string(),
            InputValue::Int(i) => i.to_string(),
            InputValue::Number(n) => n.to_string(),
            InputValue::Text(s) => self.locale.text(&s.replace('_', " ")).into_owned(),
            InputValue::List(xs) => xs
                .iter()
                .map(|x| self.value(x))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// Where values came from.
    pub(super) fn origins(&self, from: &[Origin]) -> String {
        let parts: Vec<String> = from
            .iter()
            .map(|o| match &o.element {
                Some(e) => fill(&self.locale.text(d::FROM), &[("from", &code(e))]),
                None => self.locale.text(d::STATED).into_owned(),
            })
            .collect();
        parts.join("; ")
    }
}

/// Text as a Markdown code span (a backtick inside becomes a quote).
pub(super) fn code(s: &str) -> String {
    format!("`{}`", s.replace('`', "'"))
}
