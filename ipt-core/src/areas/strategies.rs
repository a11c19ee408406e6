//! The middle-phase strategies and the techniques of each problem area (§3), offered as
//! options.

use super::area::ProblemArea;
use super::words::{self, AreaCase};
use crate::catalogue::RuleId;
use crate::explain::{Explanation, Indicator, Render, RuleStatus};

/// The middle-phase strategies of an area (§3), as plain-language options.
pub const fn strategy_texts(area: ProblemArea) -> &'static [&'static str] {
    match area {
        ProblemArea::Grief => &[
            "facilitate mourning",
            "review the relationship with the deceased, from preoccupying memories to a balanced view",
            "help rebuild interests and relationships",
        ],
        ProblemArea::RoleDispute => &[
            "identify the dispute and its stage",
            "plan action",
            "change expectations or faulty communication",
            "consider inviting the other party to a session",
        ],
        ProblemArea::RoleTransition => &[
            "mourn the old role",
            "see the opportunities of the new role",
            "build mastery and support in the new role",
        ],
        ProblemArea::InterpersonalDeficits => &[
            "reduce isolation",
            "build new relationships",
            "use the therapeutic relationship as a model",
        ],
    }
}

/// The techniques that fit an area (§3 techniques; S1 §I.B, S3, S5; L1).
pub const fn technique_ids(area: ProblemArea) -> &'static [RuleId] {
    match area {
        ProblemArea::Grief => &[
            RuleId::TEncourageAffect,
            RuleId::TClarification,
            RuleId::TAcceptance,
            RuleId::TProblemSolving,
        ],
        ProblemArea::RoleDispute => &[
            RuleId::TCommunicationAnalysis,
            RuleId::TClarification,
            RuleId::TDecisionAnalysis,
            RuleId::TRolePlay,
            RuleId::TProblemSolving,
        ],
        ProblemArea::RoleTransition => &[
            RuleId::TEncourageAffect,
            RuleId::TClarification,
            RuleId::TDecisionAnalysis,
            RuleId::TDirective,
            RuleId::TRolePlay,
        ],
        ProblemArea::InterpersonalDeficits => &[
            RuleId::TTherapeuticRelationship,
            RuleId::TCommunicationAnalysis,
            RuleId::TRolePlay,
            RuleId::TModelling,
            RuleId::TSocialSkills,
        ],
    }
}

/// The strategies of an area as one explained option (the course offers it in the middle
/// phase).
pub fn strategies(area: ProblemArea, r: Render<'_>) -> Explanation {
    r.item(area.rule_id(), RuleStatus::Met, Indicator::Info, |r| {
        (
            words::summary(
                r.locale,
                AreaCase::StrategiesOption,
                &[("area", &r.locale.text(area.label()))],
            ),
            words::rationale(
                r.locale,
                AreaCase::StrategiesOption,
                &[
                    ("area_lower", &r.locale.text(area.label()).to_lowercase()),
                    ("strategies", &strategies_text(area, r)),
                ],
            ),
        )
    })
}

/// The techniques that fit an area, each as an explained option.
pub fn techniques(area: ProblemArea, r: Render<'_>) -> Vec<Explanation> {
    technique_ids(area)
        .iter()
        .map(|&t| {
            r.item(t, RuleStatus::Met, Indicator::Info, |r| {
                let title = r.locale.text(crate::catalogue::title_of(t));
                let lower = r.locale.text(area.label()).to_lowercase();
                let p = [("title", title.as_ref()), ("area_lower", lower.as_str())];
                (
                    words::summary(r.locale, AreaCase::TechniqueOption, &p),
                    words::rationale(r.locale, AreaCase::TechniqueOption, &p),
                )
            })
        })
        .collect()
}

/// The strategies of an area through the locale, as one list.
pub fn strategies_text(area: ProblemArea, r: Render<'_>) -> String {
    strategy_texts(area)
        .iter()
        .map(|s| r.locale.text(s))
        .collect::<Vec<_>>()
        .join("; ")
}
