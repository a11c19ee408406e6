//! Every sentence the problem areas show, in one table keyed by (rule, case): the evidence
//! summaries, the notes of the ranking, the area and selection summaries, the focus warnings
//! and the strategy and technique options. Placeholders such as `{area}` are filled from the
//! caller's parameters. Summaries describe and offer options; they never command (a test
//! holds the table to that, and to at most 140 characters per summary).

use crate::catalogue::RuleId;
use crate::explain::Locale;

/// Declares [`AreaCase`] and its [`AreaCase::ALL`] from one list.
macro_rules! area_cases {
    ($($(#[doc = $doc:literal])+ $case:ident,)+) => {
        /// Why an area sentence says what it says. One case, one entry in [`WORDS`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum AreaCase {
            $($(#[doc = $doc])+ $case,)+
        }

        impl AreaCase {
            /// Every case, in the order declared.
            pub const ALL: &'static [AreaCase] = &[$(AreaCase::$case,)+];
        }
    };
}

area_cases! {
    /// Evidence: a life event (death obstructing mourning, or a transition).
    LifeEventEvidence,
    /// Note: no death is recorded.
    NoDeath,
    /// Note: a death whose mourning is not obstructed.
    MourningNotObstructed,
    /// Note: a death whose mourning obstruction is not assessed.
    MourningUnknown,
    /// Evidence: a dissolved dispute, for the transition area.
    DissolvedDisputeEvidence,
    /// Note: a dissolved dispute is not a dispute.
    DissolvedDisputeNote,
    /// Evidence: a dispute.
    DisputeEvidence,
    /// Evidence: long-standing isolation.
    IsolationEvidence,
    /// Evidence: a long history of difficulty in a relationship.
    DifficultyEvidence,
    /// Note: a prolonged period of good functioning.
    GoodFunctioningNote,
    /// Note: withdrawal caused by the depression.
    WithdrawalNote,
    /// Note: deficits while another area has evidence.
    DeficitsLastResortNote,
    /// Note: deficit findings while other areas are not fully assessed.
    DeficitsPendingNote,
    /// An area with evidence.
    AreaSupported,
    /// An area that cannot be told yet.
    AreaUnknown,
    /// An area without evidence.
    AreaNotSupported,
    /// The strategies at the end of an area's rationale.
    StrategiesIfAgreed,
    /// PA-SELECT: no area has evidence.
    SelectionNone,
    /// PA-SELECT: one area has evidence.
    SelectionOne,
    /// PA-SELECT: two or more areas have evidence.
    SelectionTwo,
    /// PA-SELECT: an area that may be tied to the onset cannot be told yet, and no area with
    /// evidence is as tied to it: the selection waits for its inputs.
    SelectionWaits,
    /// PA-SELECT warning: deficits while another area has evidence.
    FocusDeficitsWhileOther,
    /// PA-SELECT warning: an area without evidence.
    FocusWithoutEvidence,
    /// Refusal: the backup equals the primary.
    FocusBackupNotDistinct,
    /// The strategies of an area as an option.
    StrategiesOption,
    /// A technique that fits an area.
    TechniqueOption,
}

/// The words of one (rule, case).
pub type Words = crate::explain::CaseWords<AreaCase>;

use crate::explain::case_words as w;

/// How PA-SELECT chooses, written once.
const SELECTION: &str = "Areas are ranked by their evidence, preferring evidence tied to the onset of the current episode. The clinician and patient agree one primary area and at most one backup, distinct from each other; choosing an area without evidence, or deficits while another area has evidence, is possible and is flagged.";

use AreaCase as C;
use RuleId as R;

/// The table: every case once.
#[rustfmt::skip]
pub const WORDS: &[Words] = &[
    w(None, C::LifeEventEvidence, "{kind}{who}{obstructing}, {onset}", ""),
    w(Some(R::PaGrief), C::NoDeath,
        "", "No death is recorded; losses that are not deaths are role transitions."),
    w(Some(R::PaGrief), C::MourningNotObstructed,
        "", "The death{who} is recorded with mourning not obstructed: the death alone is not evidence for a grief focus (S4)."),
    w(Some(R::PaGrief), C::MourningUnknown,
        "", "The death{who} is recorded, but not whether it obstructs mourning or sustaining the remaining relationships (S4): grief cannot be told yet."),
    w(Some(R::PaTransition), C::DissolvedDisputeEvidence,
        "Dissolved dispute with {who} ({conflict}): a role transition", ""),
    w(Some(R::PaDispute), C::DissolvedDisputeNote,
        "", "The dispute with {who} is dissolved: it points to a role transition, not a dispute."),
    w(Some(R::PaDispute), C::DisputeEvidence,
        "{conflict} conflict with {who} ({stage}), {onset}", ""),
    w(Some(R::PaDeficits), C::IsolationEvidence, "Long-standing social isolation", ""),
    w(Some(R::PaDeficits), C::DifficultyEvidence,
        "Long history of difficulty in the relationship with {who}", ""),
    w(Some(R::PaDeficits), C::GoodFunctioningNote,
        "", "A prolonged period of good functioning is recorded, which speaks against deficits."),
    w(Some(R::PaDeficits), C::WithdrawalNote,
        "", "The withdrawal is caused by the depression itself, which is not an interpersonal deficit."),
    w(Some(R::PaDeficits), C::DeficitsLastResortNote,
        "", "Another area has evidence, and deficits are the area of last resort: consider that area first."),
    w(Some(R::PaDeficits), C::DeficitsPendingNote,
        "", "The deficit findings are present, but the other areas are not fully assessed yet; deficits are the area of last resort."),
    w(None, C::AreaSupported,
        "{area}: supported by {count} item{plural} of evidence, {linked} tied to the onset.", ""),
    w(None, C::AreaUnknown,
        "{area}: not yet known; the inventory is missing inputs that could support it.", ""),
    w(None, C::AreaNotSupported, "{area}: no supporting evidence.", ""),
    w(None, C::StrategiesIfAgreed,
        "", "If agreed as the focus, strategies to consider: {strategies}."),
    w(Some(R::PaSelect), C::SelectionNone,
        "No area has evidence yet; completing the inventory comes before agreeing a focus.", SELECTION),
    w(Some(R::PaSelect), C::SelectionOne,
        "Option: {first} as the primary area.", SELECTION),
    w(Some(R::PaSelect), C::SelectionTwo,
        "Option: {first} as the primary area, with {second} as a possible backup.", SELECTION),
    w(Some(R::PaSelect), C::SelectionWaits,
        "No focus offered yet: {pending}, {tie}, is not yet assessed; {first} is less tied to it.",
        "Evidence tied to the onset of the current episode comes first when the focus is chosen. {Pending} cannot be told until the inputs listed as missing are assessed, and it is {tie}; the evidence of {first} is not as tied to the onset. Once they are assessed, the areas are ranked again; the clinician and patient may still agree a focus now, and the choice is checked against the ranking."),
    w(Some(R::PaSelect), C::FocusDeficitsWhileOther,
        "Deficits chosen as the {role} area while {other} has evidence.",
        "Interpersonal deficits are the area of last resort (L1); {other} has evidence in the inventory. The choice is the clinician's; consider whether {other} fits better."),
    w(Some(R::PaSelect), C::FocusWithoutEvidence,
        "{area} chosen as the {role} area without evidence in the inventory.",
        "The inventory holds no evidence for {area_lower} ({why}). The choice is the clinician's; consider completing the inventory or choosing an area with evidence."),
    w(Some(R::PaSelect), C::FocusBackupNotDistinct,
        "the backup area must differ from the primary area ({primary})", ""),
    w(None, C::StrategiesOption,
        "{area} strategies to consider.", "Options for work on {area_lower}: {strategies}."),
    w(None, C::TechniqueOption,
        "{title}: a technique that fits {area_lower}.",
        "{title} is one of the techniques often used for {area_lower}; use it where it helps the patient."),
];

/// The entry of `case`.
pub fn entry(case: AreaCase) -> Option<&'static Words> {
    WORDS.iter().find(|w| w.case == case)
}

/// The summary of `case` through the locale, filled.
pub fn summary(locale: &dyn Locale, case: AreaCase, params: &[(&str, &str)]) -> String {
    entry(case)
        .map(|w| fill(&locale.text(w.summary), params))
        .unwrap_or_default()
}

/// The rationale of `case` through the locale, filled.
pub fn rationale(locale: &dyn Locale, case: AreaCase, params: &[(&str, &str)]) -> String {
    entry(case)
        .map(|w| fill(&locale.text(w.rationale), params))
        .unwrap_or_default()
}

/// Fills `{name}` placeholders from `params`; an unknown placeholder stays as written.
pub fn fill(template: &str, params: &[(&str, &str)]) -> String {
    crate::explain::fill_with(template, |name| {
        params
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn every_case_has_words_once_and_summaries_fit_a_card() {
        for c in AreaCase::ALL {
            assert_eq!(WORDS.iter().filter(|w| w.case == *c).count(), 1, "{c:?}");
        }
        assert_eq!(WORDS.len(), AreaCase::ALL.len());
        // Values as wide as real ones: counts, the plural mark, the longest onset text, and
        // names (areas, relationship ids, titles) of about twenty characters.
        let wide = |name: &str| match name {
            "count" | "linked" => "99".to_owned(),
            "plural" => "s".to_owned(),
            "onset" => "not within six months before the onset".to_owned(),
            "tie" => "possibly tied to the onset".to_owned(),
            _ => "Interpersonal deficits".to_owned(),
        };
        for w in WORDS {
            assert!(
                !(w.summary.is_empty() && w.rationale.is_empty()),
                "{:?}",
                w.case
            );
            let names: Vec<&str> = w
                .summary
                .split('{')
                .skip(1)
                .filter_map(|s| s.split_once('}').map(|(n, _)| n))
                .collect();
            let values: Vec<(String, String)> =
                names.iter().map(|n| ((*n).to_owned(), wide(n))).collect();
            let params: Vec<(&str, &str)> = values
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let s = fill(w.summary, &params);
            assert!(s.chars().count() <= 140, "{:?}: {s}", w.case);
        }
    }

    #[test]
    fn no_summary_commands_the_clinician() {
        let imperative = [
            "consider", "complete", "choose", "use", "record", "proceed", "assess",
        ];
        for w in WORDS {
            let s = w.summary.to_lowercase();
            let first = s.split_whitespace().next().unwrap_or_default();
            assert!(!imperative.contains(&first), "{:?}: {}", w.case, w.summary);
            assert!(!s.contains("proceed with caution"), "{:?}", w.case);
        }
    }
}
