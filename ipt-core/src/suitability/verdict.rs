//! The verdict, decided from the outcomes of the contraindications and indications: never
//! from finished explanations.

use crate::catalogue::{self, RuleId, RuleKind};
use crate::explain::{RuleSet, RuleStatus};

use super::indications::level_of;
use super::input::Verdict;
use super::outcome::{Case, Outcomes};

/// Why the verdict is what it is (its words are in [`words`](super::words)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VerdictCase {
    /// A contraindication is present.
    Contraindicated,
    /// No contraindication is present, but at least one cannot be ruled out.
    ContraindicationOpen,
    /// The verdict is at least `at_least`, but a stronger indication depends on missing inputs.
    StrongerIndicationOpen,
    /// An essential-use indication applies.
    Essential,
    /// An IPT course is indicated.
    Indicated,
    /// IPT techniques are an option.
    Optional,
    /// No indication applies.
    NotIndicated,
}

/// The verdict with the rules that decide it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerdictDecision {
    /// The verdict.
    pub verdict: Verdict,
    /// Why.
    pub case: VerdictCase,
    /// The rules that decide it (for `indeterminate`, the rules whose inputs are missing).
    pub decided_by: RuleSet,
    /// The strongest verdict the applying indications give (for an open stronger indication).
    pub at_least: Verdict,
}

fn kind_is(id: RuleId, kind: RuleKind) -> bool {
    catalogue::get(id).is_some_and(|r| r.kind == kind)
}

/// Decides the verdict from the rules' outcomes. Order, strongest first:
/// `contraindicated` > `indeterminate` > `essential` > `indicated` > `optional` >
/// `not_indicated`; `indeterminate` whenever resolving the missing inputs could change it.
pub fn decide(outcomes: &Outcomes) -> VerdictDecision {
    let mut present = RuleSet::EMPTY;
    let mut open = RuleSet::EMPTY;
    let mut best = Verdict::NotIndicated;
    for o in outcomes.as_slice() {
        if kind_is(o.rule, RuleKind::Contraindication) {
            match o.status {
                RuleStatus::Met => present.insert(o.rule),
                RuleStatus::Unknown => open.insert(o.rule),
                _ => {}
            }
        } else if kind_is(o.rule, RuleKind::Indication)
            && o.status == RuleStatus::Met
            && o.case != Case::AdaptedFormsExist
            && level_of(o.rule).strength() > best.strength()
        {
            best = level_of(o.rule);
        }
    }
    let decision = |verdict, case, decided_by| VerdictDecision {
        verdict,
        case,
        decided_by,
        at_least: best,
    };
    if !outcomes.complete() {
        // An outcome was not held: a contraindication among them cannot be ruled out.
        let mut all = RuleSet::EMPTY;
        for r in catalogue::all()
            .iter()
            .filter(|r| r.kind == RuleKind::Contraindication)
        {
            all.insert(r.id);
        }
        return decision(
            Verdict::Indeterminate,
            VerdictCase::ContraindicationOpen,
            all,
        );
    }
    if !present.is_empty() {
        return decision(
            Verdict::Contraindicated,
            VerdictCase::Contraindicated,
            present,
        );
    }
    if !open.is_empty() {
        return decision(
            Verdict::Indeterminate,
            VerdictCase::ContraindicationOpen,
            open,
        );
    }
    let mut stronger_open = RuleSet::EMPTY;
    let mut deciding = RuleSet::EMPTY;
    for o in outcomes.as_slice() {
        if !kind_is(o.rule, RuleKind::Indication) || o.case == Case::AdaptedFormsExist {
            continue;
        }
        let level = level_of(o.rule);
        match o.status {
            RuleStatus::Unknown if level.strength() > best.strength() => {
                stronger_open.insert(o.rule)
            }
            RuleStatus::Met if level == best => deciding.insert(o.rule),
            _ => {}
        }
    }
    if !stronger_open.is_empty() {
        return decision(
            Verdict::Indeterminate,
            VerdictCase::StrongerIndicationOpen,
            stronger_open,
        );
    }
    let case = match best {
        Verdict::Essential => VerdictCase::Essential,
        Verdict::Indicated => VerdictCase::Indicated,
        Verdict::Optional => VerdictCase::Optional,
        _ => VerdictCase::NotIndicated,
    };
    decision(best, case, deciding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suitability::outcome::{Outcome, CAPACITY};

    #[test]
    fn outcomes_past_the_capacity_decide_an_indeterminate_verdict_never_a_positive_one() {
        let mut full = Outcomes::default();
        for _ in 0..CAPACITY {
            full.push(Outcome::new(
                RuleId::IAcuteMdd,
                RuleStatus::Met,
                Case::Unknown,
            ));
        }
        assert!(full.complete());
        assert_eq!(decide(&full).verdict, Verdict::Indicated);
        // One more (a contraindication present) finds the list full: it is not held, and the
        // verdict cannot be positive.
        full.push(Outcome::new(
            RuleId::CPsychosis,
            RuleStatus::Met,
            Case::Unknown,
        ));
        assert!(!full.complete());
        let d = decide(&full);
        assert_eq!(d.verdict, Verdict::Indeterminate);
        assert!(d.decided_by.contains(RuleId::CPsychosis));
    }
}
