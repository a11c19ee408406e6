//! The cards and card sections about the record itself (D-RECORD, X-SUICIDE): the item-9
//! alert and an older positive item 9, the record that could not all be read, the patient's
//! recorded death, and the sections every verdict card shows (measures, diagnoses with their
//! dates, codes not read, conflicts, everything not read with why).

use crate::catalogue::RuleId;
use crate::explain::{fill, Detail, Indicator, Render};
use crate::measures::{self, Instrument};

use super::card::Card;
use super::deck::{code, Body, Deck};
use super::item9::{Item9Answer, Item9Outcome};
use super::record::CodeOutcome;
use super::words::{self, detail as d, summary};
use super::{Unread, Verification};

impl Deck<'_> {
    fn t(&self, s: &str) -> String {
        fill(&self.locale.text(s), &[])
    }

    /// When an answer was given, as a person reads it.
    fn when(&self, a: &Item9Answer) -> String {
        match (&a.time, a.dated_by.as_deref()) {
            (Some(t), Some("issued")) => fill(&self.t(words::ISSUED_BY), &[("time", t)]),
            (Some(t), _) => t.clone(),
            (None, _) => self.t(words::UNDATED),
        }
    }

    /// One item-9 answer as a line.
    fn item9_line(&self, a: &Item9Answer) -> String {
        let score = a
            .score
            .map_or_else(|| self.t(words::ITEM9_UNSCORED), |s| s.to_string());
        let status = match a.status {
            Verification::Final => String::new(),
            Verification::Unverified => self.t(words::UNVERIFIED),
        };
        fill(
            &self.t(words::ITEM9_LINE),
            &[
                ("instrument", &a.instrument.label()),
                ("score", &score),
                ("when", &self.when(a)),
                ("status", &status),
                ("from", &self.origins(&a.from)),
            ],
        )
    }

    /// The item-9 cards: a critical alert for the answers that raise it; otherwise a warning
    /// for a positive answer older than the look-back that nothing superseded.
    pub(super) fn item9_cards(&self) -> Vec<Card> {
        let of = |o: Item9Outcome| -> Vec<&Item9Answer> {
            self.fa.item9.iter().filter(|a| a.outcome == o).collect()
        };
        let alerts = of(Item9Outcome::Alert);
        let old = of(Item9Outcome::OutsideWindow);
        if let Some(last) = alerts.last() {
            let e = measures::words::item9(
                last.instrument,
                Render::new(self.locale, Detail::Explained),
            );
            let mut why = vec![e.rationale.to_string()];
            if alerts.iter().any(|a| a.status == Verification::Unverified) {
                why.push(self.t(d::ITEM9_UNVERIFIED_WHY));
            }
            let lines = alerts
                .iter()
                .chain(&old)
                .map(|a| self.item9_line(a))
                .collect();
            return vec![self.card(
                "item9",
                RuleId::XSuicide,
                Indicator::Critical,
                e.summary.to_string(),
                Body {
                    why,
                    sections: vec![(d::ITEM9, lines)],
                    ..Body::default()
                },
                &["already-addressed", "clinical-judgement"],
            )];
        }
        let Some(last) = old.last() else {
            return Vec::new();
        };
        let date = last.date.clone().unwrap_or_else(|| self.when(last));
        vec![self.card(
            "item9-old",
            RuleId::XSuicide,
            Indicator::Warning,
            fill(
                &self.t(summary::ITEM9_OLD),
                &[("instrument", &last.instrument.label()), ("date", &date)],
            ),
            Body {
                why: vec![self.t(d::ITEM9_OLD_WHY)],
                sections: vec![(d::ITEM9, old.iter().map(|a| self.item9_line(a)).collect())],
                ..Body::default()
            },
            &["already-addressed", "clinical-judgement"],
        )]
    }

    /// A warning when part of the record could not be read (D-RECORD): every item, with why.
    pub(super) fn defects(&self) -> Option<Card> {
        let defects: Vec<&Unread> = self
            .fa
            .unread
            .iter()
            .filter(|u| u.reason.is_defect())
            .collect();
        if defects.is_empty() {
            return None;
        }
        let n = defects.len();
        Some(self.card(
            "defects",
            RuleId::DRecord,
            Indicator::Warning,
            fill(&self.t(summary::DEFECTS), &[("n", &n)]),
            Body {
                why: vec![self.t(d::DEFECTS_WHY)],
                sections: vec![(
                    d::NOT_READ,
                    defects.iter().map(|u| self.unread_line(u)).collect(),
                )],
                ..Body::default()
            },
            &["record-out-of-date", "already-addressed"],
        ))
    }

    /// The card of a patient the record says has died (D-RECORD).
    pub(super) fn deceased(&self) -> Option<Card> {
        let dead = self.fa.deceased.as_ref()?;
        let date = dead
            .date
            .as_ref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        Some(self.card(
            "deceased",
            RuleId::DRecord,
            Indicator::Info,
            fill(&self.t(summary::DECEASED), &[("date", &date)]),
            Body {
                why: vec![self.t(d::DECEASED_WHY)],
                sections: vec![(
                    d::USED,
                    vec![fill(
                        &self.t(d::DECEASED_LINE),
                        &[
                            (
                                "date",
                                &dead.date.clone().unwrap_or_else(|| self.t(d::DATE_NOT_GIVEN)),
                            ),
                            ("from", &self.origins(std::slice::from_ref(&dead.from))),
                        ],
                    )],
                )],
                ..Body::default()
            },
            &["record-out-of-date"],
        ))
    }

    /// Something not read, as a line: where, why, and the value.
    fn unread_line(&self, u: &Unread) -> String {
        let what = code(u.origin.element.as_deref().unwrap_or(&u.origin.path));
        let value = u
            .value
            .as_ref()
            .map(|v| {
                fill(
                    &self.t(words::UNREAD_VALUE),
                    &[("value", &v.replace('`', "'"))],
                )
            })
            .unwrap_or_default();
        let reason = format!("{}{value}", self.t(words::reason(u.reason)));
        fill(
            &self.t(words::UNREAD_LINE),
            &[("what", &what), ("reason", &reason)],
        )
    }

    /// The sections every verdict card shows about the record: the latest measure of each
    /// instrument, the diagnoses read with their dates, codes not read, conflicts, and
    /// everything not read, with why.
    pub(super) fn record_sections(&self) -> Vec<(&'static str, Vec<String>)> {
        let fa = self.fa;
        let mut latest: Vec<String> = Vec::new();
        for inst in Instrument::ALL {
            let Some(m) = fa
                .measures
                .iter()
                .rfind(|m| m.instrument == inst && m.total.is_some())
            else {
                continue;
            };
            if let (Some(total), Some(band)) = (m.total, m.reading.as_ref().and_then(|r| r.band)) {
                let mut date = m
                    .time
                    .as_ref()
                    .map(|t| format!(", {t}"))
                    .unwrap_or_default();
                if m.status == Verification::Unverified {
                    date.push_str(&self.t(words::UNVERIFIED));
                }
                latest.push(format!(
                    "{}, {}",
                    fill(
                        &self.t(d::MEASURE_LINE),
                        &[
                            ("instrument", &inst.label()),
                            ("total", &total),
                            ("band", &self.t(band.label())),
                            ("date", &date),
                        ],
                    ),
                    self.origins(m.from.get(..1).unwrap_or_default())
                ));
            }
        }
        let diagnoses: Vec<String> = fa
            .conditions
            .iter()
            .map(|c| {
                let recorded = match &c.recorded {
                    Some(date) => fill(&self.t(words::RECORDED), &[("date", date)]),
                    None => self.t(words::NO_DATE),
                };
                let about: Vec<String> = words::condition_kind(c.kind)
                    .map(|k| self.t(k))
                    .into_iter()
                    .chain([recorded])
                    .collect();
                fill(
                    &self.t(words::CONDITION_LINE),
                    &[
                        (
                            "code",
                            &code(c.code.as_ref().map_or("", |x| x.value.as_str())),
                        ),
                        ("about", &about.join(", ")),
                        ("from", &self.origins(&c.from)),
                    ],
                )
            })
            .collect();
        let codes: Vec<String> = fa
            .codes
            .iter()
            .filter(|c| c.outcome != CodeOutcome::Mapped)
            .map(|c| {
                format!(
                    "{} {}",
                    code(c.origin.element.as_deref().unwrap_or(&c.origin.path)),
                    c.summary
                )
            })
            .collect();
        let conflicts: Vec<String> = fa
            .conflicts
            .iter()
            .map(|c| format!("{}: {}", self.label(&c.input), c.summary))
            .collect();
        let unread: Vec<String> = fa.unread.iter().map(|u| self.unread_line(u)).collect();
        [
            (d::MEASURES, latest),
            (d::DIAGNOSES, diagnoses),
            (d::CODES, codes),
            (d::CONFLICTS, conflicts),
            (d::NOT_READ, unread),
        ]
        .into_iter()
        .filter(|(_, lines)| !lines.is_empty())
        .collect()
    }
}
