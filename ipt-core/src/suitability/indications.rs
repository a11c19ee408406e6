//! Indications (S1 §II.A-B, S2, S3): each gives the verdict a level when it applies.

use crate::catalogue::RuleId;
use crate::explain::RuleStatus;
use crate::findings::Finding;

use super::input::{
    Assessment, CareSetting, DiagnosisCategory, IllnessCourse, IllnessPhase, Verdict,
};
use super::inputs::{DiagnosisField, Field, Inputs};
use super::outcome::{Case, Outcome, Outcomes};

/// The verdict an indication gives when it applies.
pub const fn level_of(id: RuleId) -> Verdict {
    match id {
        RuleId::IMoodEssential | RuleId::IPostInpatient => Verdict::Essential,
        RuleId::IAcuteMdd | RuleId::IMaintenance => Verdict::Indicated,
        _ => Verdict::Optional,
    }
}

fn case_of(cond: Finding) -> Case {
    match cond {
        Finding::Present => Case::Applies,
        Finding::Absent => Case::DoesNotApply,
        Finding::Unknown => Case::CannotTell,
    }
}

/// The categories of the diagnoses matching `pred`, as inputs used; `$.diagnoses` when none
/// matches.
fn categories_where(a: &Assessment, pred: impl Fn(DiagnosisCategory) -> bool) -> (bool, Inputs) {
    let mut used = Inputs::NONE;
    let mut any = false;
    for (i, d) in a.diagnoses.iter().enumerate() {
        if pred(d.category) {
            any = true;
            used.add_diagnosis(DiagnosisField::Category, i);
        }
    }
    if !any {
        used.add(Field::Diagnoses);
    }
    (any, used)
}

/// I-MOOD-ESSENTIAL: a mood disorder with sufficient motivation and insight.
pub fn i_mood_essential(a: &Assessment, out: &mut Outcomes) {
    let f = &a.findings;
    let (has_mood, mut used) = categories_where(a, DiagnosisCategory::is_mood);
    used = used.union(Inputs::fields(&[Field::Motivation, Field::Insight]));
    let cond = Finding::from_bool(has_mood)
        .and(f.motivation)
        .and(f.insight);
    let missing = if cond.is_unknown() {
        Inputs::unknown(&[
            (Field::Motivation, f.motivation),
            (Field::Insight, f.insight),
        ])
    } else {
        Inputs::NONE
    };
    let case = if has_mood {
        case_of(cond)
    } else {
        Case::NoMoodDisorder
    };
    out.push(
        Outcome::new(RuleId::IMoodEssential, RuleStatus::of(cond), case)
            .used(used)
            .missing(missing),
    );
}

/// I-POST-INPATIENT: post-inpatient adjustment, on medication, family psychosocial
/// intervention precluded.
pub fn i_post_inpatient(a: &Assessment, out: &mut Outcomes) {
    let f = &a.findings;
    let setting = match a.care_setting {
        Some(CareSetting::PostInpatient) => Finding::Present,
        Some(_) => Finding::Absent,
        None => Finding::Unknown,
    };
    let cond = setting
        .and(f.on_medication)
        .and(f.family_intervention_precluded);
    let missing = if cond.is_unknown() {
        Inputs::unknown(&[
            (Field::CareSetting, setting),
            (Field::OnMedication, f.on_medication),
            (
                Field::FamilyInterventionPrecluded,
                f.family_intervention_precluded,
            ),
        ])
    } else {
        Inputs::NONE
    };
    out.push(
        Outcome::new(RuleId::IPostInpatient, RuleStatus::of(cond), case_of(cond))
            .used(Inputs::fields(&[
                Field::CareSetting,
                Field::OnMedication,
                Field::FamilyInterventionPrecluded,
            ]))
            .missing(missing),
    );
}

/// I-INTERPERSONAL-OPTIONAL: a recurrent or chronic diagnosis whose symptoms are precipitated
/// or aggravated by identifiable interpersonal situations.
pub fn i_interpersonal_optional(a: &Assessment, out: &mut Outcomes) {
    let f = &a.findings;
    let mut used = Inputs::field(Field::InterpersonalPrecipitants);
    let mut courses_missing = Inputs::NONE;
    let mut recurrent = Finding::Absent;
    for (i, d) in a.diagnoses.iter().enumerate() {
        used.add_diagnosis(DiagnosisField::Course, i);
        let this = match d.course {
            Some(IllnessCourse::Recurrent | IllnessCourse::Chronic) => Finding::Present,
            Some(IllnessCourse::FirstEpisode) => Finding::Absent,
            None => {
                courses_missing.add_diagnosis(DiagnosisField::Course, i);
                Finding::Unknown
            }
        };
        recurrent = recurrent.or(this);
    }
    let cond = recurrent.and(f.interpersonal_precipitants);
    let mut missing = Inputs::NONE;
    if cond.is_unknown() {
        if recurrent.is_unknown() {
            missing = courses_missing;
        }
        missing = missing.union(Inputs::unknown(&[(
            Field::InterpersonalPrecipitants,
            f.interpersonal_precipitants,
        )]));
    }
    out.push(
        Outcome::new(
            RuleId::IInterpersonalOptional,
            RuleStatus::of(cond),
            case_of(cond),
        )
        .used(used)
        .missing(missing),
    );
}

/// Whether some major depression matches on course and phase, three-valued: the condition,
/// the inputs used and the inputs missing. `phase_of` gives each diagnosis's phase (the
/// recorded one, or one the course knows better at its end).
fn mdd_matching(
    a: &Assessment,
    courses: Option<&[IllnessCourse]>,
    phase: IllnessPhase,
    phase_of: impl Fn(Option<IllnessPhase>) -> Option<IllnessPhase>,
) -> (Finding, Inputs, Inputs) {
    let mut used = Inputs::NONE;
    let mut missing = Inputs::NONE;
    let mut any = Finding::Absent;
    for (i, d) in a.diagnoses.iter().enumerate() {
        if d.category != DiagnosisCategory::MajorDepression {
            continue;
        }
        used.add_diagnosis(DiagnosisField::Category, i);
        used.add_diagnosis(DiagnosisField::Phase, i);
        let p = phase_of(d.phase);
        let mut cond = p.map_or(Finding::Unknown, |p| Finding::from_bool(p == phase));
        let mut m = Inputs::NONE;
        if p.is_none() {
            m.add_diagnosis(DiagnosisField::Phase, i);
        }
        if let Some(allowed) = courses {
            used.add_diagnosis(DiagnosisField::Course, i);
            let c = d.course.map_or(Finding::Unknown, |c| {
                Finding::from_bool(allowed.contains(&c))
            });
            if d.course.is_none() {
                m.add_diagnosis(DiagnosisField::Course, i);
            }
            cond = cond.and(c);
        }
        if cond.is_unknown() {
            missing = missing.union(m);
        }
        any = any.or(cond);
    }
    if !any.is_unknown() {
        missing = Inputs::NONE;
    }
    if used.is_empty() {
        used.add(Field::Diagnoses);
    }
    (any, used, missing)
}

/// I-ACUTE-MDD: major depression in its acute phase.
pub fn i_acute_mdd(a: &Assessment, out: &mut Outcomes) {
    let (cond, used, missing) = mdd_matching(a, None, IllnessPhase::Acute, |p| p);
    out.push(
        Outcome::new(RuleId::IAcuteMdd, RuleStatus::of(cond), case_of(cond))
            .used(used)
            .missing(missing),
    );
}

/// I-MAINTENANCE on an assessment whose major-depression phases are read through `phase_of`.
pub fn i_maintenance_with(
    a: &Assessment,
    phase_of: impl Fn(Option<IllnessPhase>) -> Option<IllnessPhase>,
) -> Outcome {
    let (cond, used, missing) = mdd_matching(
        a,
        Some(&[IllnessCourse::Recurrent, IllnessCourse::Chronic]),
        IllnessPhase::Remitted,
        phase_of,
    );
    Outcome::new(RuleId::IMaintenance, RuleStatus::of(cond), case_of(cond))
        .used(used)
        .missing(missing)
}

/// I-MAINTENANCE: recurrent depression after response.
pub fn i_maintenance(a: &Assessment, out: &mut Outcomes) {
    out.push(i_maintenance_with(a, |p| p));
}

/// I-OTHER: a disorder for which adapted forms of IPT exist (anxiety, bulimia nervosa, chronic
/// fatigue, bipolar and dysthymic disorders): optional, with the caution that adapted forms
/// exist, which the rule reports as a second outcome.
pub fn i_other(a: &Assessment, out: &mut Outcomes) {
    let (any, used) = categories_where(a, DiagnosisCategory::has_adapted_form);
    let cond = Finding::from_bool(any);
    out.push(Outcome::new(RuleId::IOther, RuleStatus::of(cond), case_of(cond)).used(used));
    if any {
        out.push(Outcome::new(RuleId::IOther, RuleStatus::Met, Case::AdaptedFormsExist).used(used));
    }
}
