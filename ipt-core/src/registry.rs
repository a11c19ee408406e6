//! Which function implements each rule: one table, so a rule ID leads in one hop to its
//! function (and from there to its words and its vectors). A test holds it to the catalogue:
//! every rule has exactly one implementation, and no implementation is registered twice.

use crate::catalogue::RuleId;
use crate::suitability;

/// How a rule is implemented.
#[derive(Debug, Clone, Copy)]
pub enum Implementation {
    /// A suitability rule: a function reading the assessment.
    Suitability(suitability::RuleFn),
    /// A readiness rule: a function reading the service profile.
    Readiness(crate::readiness::ReadinessFn),
    /// A rule read on a decided verdict (X-FREQUENCY).
    OnVerdict(fn(suitability::Verdict) -> suitability::Outcome),
    /// A rule implemented by the named function (problem areas, readiness, measures, course
    /// guards and advice, variants, techniques).
    Function(&'static str),
}

/// One registration: a rule and its implementation.
#[derive(Debug, Clone, Copy)]
pub struct Registration {
    /// The rule.
    pub rule: RuleId,
    /// Where it is implemented.
    pub implementation: Implementation,
}

/// Rules implemented outside suitability, with the function that implements each.
static OTHERS: &[(RuleId, &str)] = &[
    (
        RuleId::PaGrief,
        "ipt_core::areas::evidence::event_drafts (deaths; mourning_obstructed)",
    ),
    (
        RuleId::PaDispute,
        "ipt_core::areas::evidence::dispute_draft",
    ),
    (
        RuleId::PaTransition,
        "ipt_core::areas::evidence::event_drafts (life changes; dissolved disputes)",
    ),
    (
        RuleId::PaDeficits,
        "ipt_core::areas::evidence::deficits_draft",
    ),
    (RuleId::PaSelect, "ipt_core::areas::focus::check_focus_at"),
    (
        RuleId::VStandard,
        "ipt_core::course::config::CourseConfig::of",
    ),
    (RuleId::VBrief, "ipt_core::course::config::CourseConfig::of"),
    (
        RuleId::VAdolescent,
        "ipt_core::course::config::CourseConfig::of",
    ),
    (RuleId::VGroup, "ipt_core::course::config::CourseConfig::of"),
    (
        RuleId::VMaintenance,
        "ipt_core::course::config::CourseConfig::of",
    ),
    (
        RuleId::StInitial,
        "ipt_core::course::apply::intake (the task checklist: course::advice)",
    ),
    (
        RuleId::StEnterMiddle,
        "ipt_core::course::guards::enter_middle",
    ),
    (
        RuleId::StMiddle,
        "ipt_core::course::apply::agreements (renegotiations)",
    ),
    (RuleId::StTermination, "ipt_core::course::apply::ending"),
    (
        RuleId::StEvaluate,
        "ipt_core::course::apply::sessions::on_session_held",
    ),
    (
        RuleId::StPhases,
        "ipt_core::course::guards::{course_open, date_in_order, phase_in}",
    ),
    (RuleId::MPhq9, "ipt_core::measures::evaluate"),
    (RuleId::MHamd17, "ipt_core::measures::evaluate"),
    (RuleId::MBdi2, "ipt_core::measures::evaluate"),
    (RuleId::MGad7, "ipt_core::measures::evaluate"),
    (RuleId::MPhqa, "ipt_core::measures::evaluate"),
    (
        RuleId::MReliableChange,
        "ipt_core::measures::change::reliable_change",
    ),
    (
        RuleId::MDeterioration,
        "ipt_core::measures::change::Change::deterioration (the alert: course::advice)",
    ),
    (RuleId::MRecovery, "ipt_core::measures::change::recovery"),
    (
        RuleId::MSustainedRemission,
        "ipt_core::measures::change::sustained_remission",
    ),
    (RuleId::MCadence, "ipt_core::course::cadence::due"),
    (RuleId::TClarification, "ipt_core::areas::techniques"),
    (
        RuleId::TCommunicationAnalysis,
        "ipt_core::areas::techniques",
    ),
    (RuleId::TEncourageAffect, "ipt_core::areas::techniques"),
    (RuleId::TDecisionAnalysis, "ipt_core::areas::techniques"),
    (RuleId::TRolePlay, "ipt_core::areas::techniques"),
    (RuleId::TModelling, "ipt_core::areas::techniques"),
    (RuleId::TDirective, "ipt_core::areas::techniques"),
    (RuleId::TProblemSolving, "ipt_core::areas::techniques"),
    (
        RuleId::TTherapeuticRelationship,
        "ipt_core::areas::techniques",
    ),
    (RuleId::TAcceptance, "ipt_core::areas::techniques"),
    (
        RuleId::TSocialSkills,
        "ipt_core::suitability::recommend::techniques",
    ),
    (
        RuleId::DCodeMap,
        "ipt_core::ehr::terminology::lookup (applied by ipt_core::ehr::record)",
    ),
    (RuleId::DRecord, "ipt_core::ehr::record::assess"),
];

/// Every registration, suitability first.
pub fn registry() -> Vec<Registration> {
    let mut out: Vec<Registration> = suitability::RULES
        .iter()
        .map(|(rule, f)| Registration {
            rule: *rule,
            implementation: Implementation::Suitability(*f),
        })
        .collect();
    out.push(Registration {
        rule: RuleId::XFrequency,
        implementation: Implementation::OnVerdict(suitability::cautions::x_frequency),
    });
    out.extend(
        crate::readiness::RULES
            .iter()
            .map(|(rule, f)| Registration {
                rule: *rule,
                implementation: Implementation::Readiness(*f),
            }),
    );
    out.extend(OTHERS.iter().map(|(rule, f)| Registration {
        rule: *rule,
        implementation: Implementation::Function(f),
    }));
    out
}

/// The implementation of a rule.
pub fn implementation_of(rule: RuleId) -> Option<Implementation> {
    registry()
        .into_iter()
        .find(|r| r.rule == rule)
        .map(|r| r.implementation)
}
