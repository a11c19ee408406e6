//! Intake: the assessment and the start of the course.

use super::ctx::Ctx;
use crate::catalogue::RuleId;
use crate::course::event::Override;
use crate::course::guards::{self, blank, check_date, Requirement};
use crate::course::state::{CourseState, Phase, RecordedOverride};
use crate::course::words::{self, CourseCase as C};
use crate::error::Error;
use crate::suitability::{self, Assessment, Verdict};

pub(super) fn on_assessment_recorded(
    s: &mut CourseState,
    a: &Assessment,
    ctx: &mut Ctx,
) -> Vec<Requirement> {
    let unmet: Vec<Requirement> = guards::phase_in(s, &[Phase::Intake], RuleId::StInitial)
        .into_iter()
        .collect();
    if unmet.is_empty() {
        let decision = suitability::decide(a);
        let report =
            suitability::render::render(a, &decision, ctx.render.detail, ctx.render.locale);
        s.verdict = Some(report.verdict);
        s.verdict_decided_by.clone_from(&report.decided_by);
        if let Some(r) = a.findings.suicide_risk {
            s.risk = Some(r);
        }
        s.assessment = Some(a.clone());
        if let Some(out) = ctx.out.as_mut() {
            out.suitability = Some(report);
        }
    }
    unmet
}

pub(super) fn on_course_started(
    s: &mut CourseState,
    date: &str,
    override_: Option<&Override>,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    check_date(date, &ctx.at("date"))?;
    if let Some(o) = override_ {
        if blank(&o.justification) {
            return Err(Error::invalid(
                ctx.at("override.justification"),
                words::message(C::InvalidOverrideJustification, &[]),
            ));
        }
        if blank(&o.clinician) {
            return Err(Error::invalid(
                ctx.at("override.clinician"),
                words::message(C::InvalidOverrideClinician, &[]),
            ));
        }
    }
    let mut unmet: Vec<Requirement> = guards::phase_in(s, &[Phase::Intake], RuleId::StInitial)
        .into_iter()
        .collect();
    match s.verdict {
        None => unmet.push(Requirement::AssessmentRecorded),
        Some(v @ (Verdict::Contraindicated | Verdict::Indeterminate)) => match override_ {
            None => unmet.push(Requirement::SuitableOrOverride {
                verdict: v,
                rule: s
                    .verdict_decided_by
                    .first()
                    .copied()
                    .unwrap_or(RuleId::StInitial),
            }),
            Some(o) => {
                s.override_ = Some(RecordedOverride {
                    verdict: v,
                    clinician: o.clinician.clone(),
                    justification: o.justification.clone(),
                });
            }
        },
        Some(_) => {}
    }
    unmet.extend(guards::date_in_order(s, date));
    if unmet.is_empty() {
        s.phase = if s.config.open_ended() {
            Phase::Maintenance
        } else {
            Phase::Initial
        };
        s.last_date = Some(date.to_owned());
    }
    Ok(unmet)
}
