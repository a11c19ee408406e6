//! What every card of one response shares, and how a card is made: its UUID, its source, its
//! summary (clipped under 140 characters) and its Markdown detail (the rationale, the rules,
//! the inputs used, labelled, with where they came from, the inputs missing, further
//! sections and the versions). Every heading and sentence is a words table's, through the
//! locale. The cards themselves are chosen in [`cards`](super::cards),
//! [`record_cards`](super::record_cards) and [`course_cards`](super::course_cards).

use uuid::Uuid;

use crate::catalogue::{self, RuleId};
use crate::explain::{fill, Detail, Explanation, Indicator, InputValue, Locale};
use crate::version::{ENGINE_VERSION, PROTOCOL_VERSION};

use super::card::{Card, CardSource, Coding, Context, OVERRIDE_SYSTEM, RULE_SYSTEM};
use super::record::FhirAssessment;
use super::terminology::TABLE_VERSION;
use super::words::{self, detail as d};
use super::Origin;

/// The longest card summary: CDS Hooks asks for under 140 characters.
const SUMMARY_MAX: usize = 139;

/// What every card of one response shares.
pub(super) struct Deck<'a> {
    pub(super) ctx: &'a Context<'a>,
    pub(super) fa: &'a FhirAssessment,
    pub(super) detail: Detail,
    pub(super) locale: &'a dyn Locale,
    /// The inputs the cards were decided on, for their UUIDs.
    pub(super) inputs: String,
}

impl<'a> Deck<'a> {
    /// The deck of one response: the context, the record read and how to render.
    pub(super) fn new(
        ctx: &'a Context<'a>,
        fa: &'a FhirAssessment,
        detail: Detail,
        locale: &'a dyn Locale,
    ) -> Self {
        let a = &fa.assessment;
        // What the cards are decided on, without the JSONPaths that only locate it in the request
        // (so the order of a Bundle's entries changes no card).
        let measures: Vec<_> = fa
            .measures
            .iter()
            .map(|m| (m.instrument, m.total, m.item9, m.time.as_deref(), m.status))
            .collect();
        let item9: Vec<_> = fa
            .item9
            .iter()
            .map(|x| {
                (
                    x.instrument,
                    x.score,
                    x.status,
                    x.time.as_deref(),
                    x.outcome,
                )
            })
            .collect();
        let unread: Vec<_> = fa
            .unread
            .iter()
            .map(|u| {
                (
                    u.origin.element.as_deref().unwrap_or(&u.origin.path),
                    u.reason,
                )
            })
            .collect();
        Deck {
            ctx,
            fa,
            detail,
            locale,
            inputs: serde_json::to_string(&(
                a,
                &measures,
                &item9,
                &unread,
                &fa.deceased.as_ref().map(|d| &d.date),
            ))
            .unwrap_or_default(),
        }
    }
}

/// What a card's detail shows.
#[derive(Default)]
pub(super) struct Body<'a> {
    /// The rationale, paragraph by paragraph.
    pub(super) why: Vec<String>,
    /// The rules, with their inputs used and missing.
    pub(super) items: Vec<&'a Explanation>,
    /// More inputs missing (JSONPaths).
    pub(super) missing: Vec<String>,
    /// Further sections: heading and lines.
    pub(super) sections: Vec<(&'static str, Vec<String>)>,
}

impl Deck<'_> {
    /// The patient in context.
    pub(super) fn patient_id(&self) -> &str {
        &self.ctx.patient_id
    }

    pub(super) fn uuid(&self, kind: &str, rule: RuleId) -> String {
        let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:ipt-engine:cds-hooks");
        let name = format!(
            "{kind}|{rule}|{}|{}|{}",
            self.ctx.hook.as_str(),
            self.ctx.patient_id,
            self.inputs
        );
        Uuid::new_v5(&namespace, name.as_bytes()).to_string()
    }

    pub(super) fn card(
        &self,
        kind: &str,
        rule: RuleId,
        indicator: Indicator,
        summary: String,
        body: Body<'_>,
        reasons: &[&str],
    ) -> Card {
        Card {
            uuid: self.uuid(kind, rule),
            summary: clip_summary(summary),
            detail: (self.detail == Detail::Explained).then(|| self.markdown(&body)),
            indicator,
            source: self.source(rule),
            suggestions: Vec::new(),
            selection_behavior: None,
            override_reasons: words::OVERRIDE_REASONS
                .iter()
                .filter(|(code, _)| reasons.contains(code))
                .map(|(code, display)| Coding {
                    system: OVERRIDE_SYSTEM.to_owned(),
                    code: (*code).to_owned(),
                    display: self.locale.text(display).into_owned(),
                })
                .collect(),
        }
    }

    fn source(&self, rule: RuleId) -> CardSource {
        let title = self.locale.text(catalogue::title_of(rule));
        let label = if rule == RuleId::DCodeMap {
            fill(
                &self.locale.text(words::SOURCE_TERMINOLOGY),
                &[
                    ("version", &TABLE_VERSION),
                    ("title", &title),
                    ("rule", &rule),
                ],
            )
        } else {
            fill(
                &self.locale.text(words::SOURCE),
                &[
                    ("protocol", &PROTOCOL_VERSION),
                    ("title", &title),
                    ("rule", &rule),
                ],
            )
        };
        let public = catalogue::get(rule).and_then(|r| {
            r.sources.iter().find_map(|s| {
                let key = s.split_whitespace().next().unwrap_or_default();
                catalogue::sources()
                    .iter()
                    .find(|b| b.key == key)
                    .and_then(|b| b.url)
            })
        });
        let url = match self.ctx.rules_url {
            Some(base) => Some(format!("{base}/{rule}")),
            None => public.map(str::to_owned),
        };
        CardSource {
            label,
            url,
            topic: Coding {
                system: RULE_SYSTEM.to_owned(),
                code: rule.as_str().to_owned(),
                display: title.into_owned(),
            },
        }
    }
}

/// A summary of under 140 characters: a longer one (a filled template) ends in an ellipsis.
fn clip_summary(summary: String) -> String {
    match summary.char_indices().nth(SUMMARY_MAX - 1) {
        Some((cut, _)) if summary.chars().count() > SUMMARY_MAX => {
            format!("{}\u{2026}", summary.get(..cut).unwrap_or_default())
        }
        _ => summary,
    }
}

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
            missing.extend(i.inputs_missing.iter().map(|p| p.to_string()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_clipped_under_140_characters() {
        let long = "é".repeat(200);
        let clipped = clip_summary(long);
        assert_eq!(clipped.chars().count(), SUMMARY_MAX);
        assert!(clipped.ends_with('\u{2026}'));
        let exact = "a".repeat(SUMMARY_MAX);
        assert_eq!(clip_summary(exact.clone()), exact);
        assert_eq!(code("a`b"), "`a'b`");
    }
}
