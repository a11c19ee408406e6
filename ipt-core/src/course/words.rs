//! Every sentence the course shows, in one table keyed by (rule, case): the summaries and
//! rationales of its outputs and the messages of its refusals. Logic produces typed
//! outcomes ([`super::outcome::Outcome`], [`super::guards::Requirement`]); they are rendered
//! from this table at the edge. Placeholders such as `{number}` are filled from the
//! outcome's parameters.
//!
//! Summaries describe and offer options; they never command the clinician (a test holds
//! the table to that, and to at most 140 characters per summary).

use crate::catalogue::RuleId;

pub use super::cases::CourseCase;

/// The words of one (rule, case).
pub type Words = crate::explain::CaseWords<CourseCase>;

use crate::explain::case_words as w;

/// ST-ENTER-MIDDLE's prerequisites, written once.
const ENTER_MIDDLE: &str = "The first middle-phase session needs lethality assessed, the inventory, the focus and the contract.";

/// What the initial phase does (ST-INITIAL).
const INITIAL_TASKS: &str = "The initial phase reviews symptoms, assesses lethality, reviews medical causes, past episodes and medication, gives psychoeducation and the sick role, takes the interpersonal inventory, agrees a formulation, goals and the contract.";

/// What termination does (ST-TERMINATION).
const TERMINATION_TASKS: &str = "Review progress on the inventory's issues, address the sense of loss at ending, consolidate gains, plan relapse prevention.";

use CourseCase as C;
use RuleId as R;

/// The table: every case once.
pub const WORDS: &[Words] = &[
    w(Some(R::StInitial), C::Session1WithoutLethality,
        "Lethality was not assessed in session 1.",
        "S3 asks for lethality to be assessed in session 1: assessing it at the next contact (lethality_assessed or a risk assessment) is the option. The middle phase cannot begin until it is done (ST-ENTER-MIDDLE)."),
    w(Some(R::StTermination), C::EndingRaisedLate,
        "The ending was raised late.",
        "The ending was raised after session {raised_after}, fewer than two sessions before the termination phase (session {number}); consider giving extra room to the sense of loss at ending."),
    w(Some(R::StMiddle), C::TechniquesUsed,
        "{count} technique(s) used in session {number}.",
        "Techniques recorded for the session."),
    w(Some(R::XFrequency), C::AppointmentMissed,
        "Appointment missed ({count} so far).",
        "Sessions must be frequent enough for results; consider rescheduling soon and exploring what kept the patient away."),
    w(Some(R::StMiddle), C::FocusRenegotiated,
        "Focus renegotiated to {area}.",
        "Reason recorded: {reason}"),
    w(Some(R::StMiddle), C::ContractRenegotiated,
        "Contract renegotiated to {sessions} sessions.",
        "Reason recorded: {reason}"),
    w(Some(R::VMaintenance), C::MaintenanceEnded,
        "Maintenance ended after {count} session(s).",
        "Maintenance IPT has ended; consider a plan for early signs of relapse."),
    w(Some(R::StTermination), C::UpsurgeExpected,
        "{instrument} rose from {previous} to {total}: the expected upsurge at ending.",
        "A rise in symptoms during termination is expected (S3); it stays below the baseline band. Address the sense of loss at ending and consolidate gains."),
    w(Some(R::StTermination), C::RiseToBaselineBand,
        "{instrument} rose from {previous} to {total} in session {session}, back to the baseline band: a reassessment is due.",
        "The rise reaches the baseline severity band: more than the expected upsurge at ending (S3). Options: reassess; continued treatment under a new contract; maintenance IPT where I-MAINTENANCE holds (recurrent depression after response). The alert stays until reassessment_recorded."),
    w(Some(R::StTermination), C::RiseWithRisk,
        "{instrument} rose from {previous} to {total} in session {session} with suicide risk: a reassessment is due.",
        "The rise comes with suicide risk: more than the expected upsurge at ending (S3). Options: reassess, including lethality; continued treatment under a new contract; maintenance IPT where I-MAINTENANCE holds. The alert stays until reassessment_recorded."),
    w(Some(R::StTermination), C::ReassessmentRecorded,
        "Reassessment recorded; the reassessment alert is cleared.",
        "The reassessment after the rise in termination is recorded. Continued treatment under a new contract, or maintenance IPT where I-MAINTENANCE holds, remain options."),
    w(Some(R::StTermination), C::ReassessmentRecordedNoneDue,
        "Reassessment recorded; no reassessment alert was active.",
        "The reassessment is recorded; no rise in termination had called for one."),
    w(Some(R::StEvaluate), C::Response,
        "{instrument}: response ({first} to {last}).",
        "At least a 50% reduction from the baseline."),
    w(Some(R::StTermination), C::NoResponse,
        "{instrument}: no response ({first} to {last}); alternatives are options.",
        "Non-response at the end of the course (L1): consider alternatives such as medication, another psychotherapy, or a different focus in a new contract."),
    w(Some(R::StEvaluate), C::NoMeasures,
        "No symptom measure recorded: response cannot be judged.",
        "Without measures the course's effect is unknown; consider a measure now to decide between ending, maintenance and alternatives."),
    w(Some(R::IMaintenance), C::MaintenanceIndicated,
        "Recurrent depression after response: maintenance IPT is an option.",
        "I-MAINTENANCE holds for the recorded assessment read with the course's outcome. Monthly maintenance IPT (L7) may help prevent relapse and recurrence; it is a separate contract."),
    w(Some(R::IMaintenance), C::MaintenanceNotIndicated,
        "Maintenance IPT is not indicated: no recurrent depression is recorded.",
        "I-MAINTENANCE is for recurrent depression after response (S2; L7); the recorded assessment has none (for example a first episode). Follow-up and a plan for early signs of relapse remain options."),
    w(Some(R::IMaintenance), C::MaintenanceNoResponse,
        "Maintenance IPT is not indicated: the course shows no response.",
        "I-MAINTENANCE is for recurrent depression after response (S2; L7); without a response, alternatives come first (ST-TERMINATION, L1): medication, another psychotherapy, or a different focus in a new contract."),
    w(Some(R::IMaintenance), C::MaintenanceUndetermined,
        "Whether maintenance IPT applies cannot be told yet.",
        "I-MAINTENANCE needs recurrent depression after response; the inputs listed as missing decide it."),
    w(Some(R::XSuicide), C::SuicideRiskItem9,
        "Suicide risk: safety comes first.",
        "Safety takes precedence over everything else: PHQ-9 item 9 is above 0 and no later risk assessment has resolved it. Assess lethality now and record a risk assessment. {plan}"),
    w(Some(R::XSuicide), C::SuicideRiskHigh,
        "Suicide risk: safety comes first.",
        "Safety takes precedence over everything else: the latest risk assessment is high or imminent. Assess lethality now and record a risk assessment. {plan}"),
    w(Some(R::XSuicide), C::SafetyPlanRecorded,
        "A safety plan is recorded; review it.",
        ""),
    w(Some(R::XSuicide), C::NoSafetyPlan,
        "No safety plan is recorded yet.",
        ""),
    w(Some(R::StInitial), C::LethalityNotAssessed,
        "Lethality has not been assessed.",
        "S3 asks for lethality to be assessed in session 1; assessing it at the next contact (lethality_assessed or a risk assessment) is the option."),
    w(Some(R::StInitial), C::AssessmentNeeded,
        "No suitability assessment is recorded yet.",
        "The course starts after a suitability assessment."),
    w(Some(R::StInitial), C::CanStart,
        "The course can be started.",
        "The verdict is {verdict}; starting is the clinician's decision."),
    w(Some(R::StInitial), C::InitialTasksLeft,
        "Initial tasks left: {count}.",
        "Left: {list}. {initial_tasks}"),
    w(Some(R::StInitial), C::InitialTasksDone,
        "Initial tasks done.",
        "{initial_tasks}"),
    w(Some(R::StEnterMiddle), C::EnterMiddleReady,
        "Ready for the middle phase.",
        "{enter_middle}"),
    w(Some(R::StEnterMiddle), C::EnterMiddleBlocked,
        "Before session {number} (middle phase): {list}.",
        "{enter_middle}"),
    w(Some(R::StTermination), C::RaiseEndingSoon,
        "The ending is not raised yet; the termination phase starts at session {number}.",
        "The ending is raised explicitly at least two sessions before the termination phase (L1); termination_raised records it."),
    w(Some(R::StTermination), C::RaiseEndingBeforeNext,
        "The ending is not raised yet, and the next session is in the termination phase.",
        "The ending is raised explicitly before the termination phase (L1); the first termination session is refused until termination_raised is recorded."),
    w(Some(R::StTermination), C::TerminationSession,
        "Termination session {number} of {total}.",
        "{termination_tasks} A rise in symptoms now is expected."),
    w(Some(R::StTermination), C::TerminationSessionReassess,
        "Termination session {number} of {total}; a reassessment is due.",
        "{termination_tasks} The rise recorded in termination calls for a reassessment (see the alert); continued treatment, or maintenance IPT where I-MAINTENANCE holds, are options."),
    w(Some(R::StTermination), C::AllSessionsHeld,
        "All contracted sessions are held; course_completed records the end.",
        "The acute course ends after its contracted sessions."),
    w(Some(R::VMaintenance), C::MaintenanceSession,
        "Maintenance session {number} (monthly).",
        "Maintenance IPT: monthly sessions keep the focus on interpersonal stability and early signs of relapse."),
    w(Some(R::StPhases), C::UnmetCourseOpen,
        "the course is closed and accepts no event", ""),
    w(Some(R::StPhases), C::UnmetPhasePassed,
        "the course is in phase {phase}; phases never go backwards and this event needs phase {allowed}", ""),
    w(None, C::UnmetPhaseNotYet,
        "the course is in phase {phase}; this event needs phase {allowed}", ""),
    w(Some(R::StInitial), C::UnmetAssessmentRecorded,
        "no suitability assessment is recorded", ""),
    w(None, C::UnmetSuitableOrOverride,
        "the verdict is {verdict}: starting needs a clinician's override with a justification", ""),
    w(Some(R::StPhases), C::UnmetDateNotBeforeLast,
        "the date {date} is before the last recorded date {last}", ""),
    w(None, C::UnmetSessionNumber,
        "the next session is number {expected}, got {number} (no gaps or repeats)", ""),
    w(None, C::UnmetWithinContract,
        "session {number} is beyond the contracted {total} sessions", ""),
    w(Some(R::StEnterMiddle), C::UnmetLethalityAssessed,
        "lethality has not been assessed", ""),
    w(Some(R::StEnterMiddle), C::UnmetInventoryRecorded,
        "no interpersonal inventory is recorded", ""),
    w(Some(R::StEnterMiddle), C::UnmetFocusAgreed,
        "no focus has been agreed", ""),
    w(Some(R::StEnterMiddle), C::UnmetContractAgreed,
        "no contract has been made", ""),
    w(Some(R::StTermination), C::UnmetTerminationRaised,
        "the ending has not been raised: termination_raised comes first (L1: at least two sessions before)", ""),
    w(Some(R::StMiddle), C::UnmetNoFocusYet,
        "a focus is already agreed: a change is a focus_renegotiated", ""),
    w(Some(R::PaSelect), C::UnmetInventoryForFocus,
        "the focus is chosen on the inventory's evidence, and no inventory is recorded", ""),
    w(Some(R::StMiddle), C::UnmetNoContractYet,
        "a contract is already agreed: a change is a contract_renegotiated", ""),
    w(None, C::UnmetContractCoversHeld,
        "the contract is shorter than the sessions already held", ""),
    w(Some(R::StMiddle), C::UnmetReason,
        "a renegotiation needs a reason", ""),
    w(Some(R::StMiddle), C::UnmetRenegotiationWithinContract,
        "{sessions} sessions would put sessions already held in the termination phase", ""),
    w(Some(R::StTermination), C::UnmetNotYetRaised,
        "the ending has already been raised", ""),
    w(Some(R::StTermination), C::UnmetAllSessionsHeld,
        "{held} of {total} sessions held: an early end is recorded by closing the course", ""),
    w(Some(R::VMaintenance), C::UnmetMaintenanceSessionNumber,
        "the next maintenance session is number {expected}, got {number} (no gaps or repeats)", ""),
    w(Some(R::StPhases), C::UnmetNotTerminal,
        "the course is already complete", ""),
    w(None, C::InvalidDate,
        "`{date}` is not a calendar date in the form YYYY-MM-DD", ""),
    w(None, C::InvalidOverrideJustification,
        "an override needs a written justification", ""),
    w(None, C::InvalidOverrideClinician,
        "an override names the clinician", ""),
    w(None, C::InvalidTechnique,
        "{rule} is not a technique of the catalogue", ""),
    w(Some(R::VMaintenance), C::InvalidSessionsPerMonth,
        "sessions per month are between 1 and {maintenance_sessions_per_month_max}", ""),
    w(None, C::SnapshotNotObject,
        "a snapshot is an object", ""),
    w(None, C::SnapshotVersionRequired,
        "format_version (an integer) is required", ""),
    w(None, C::SnapshotEventDoesNotReplay,
        "the event does not replay: {error}", ""),
    w(None, C::SnapshotStateMismatch,
        "the state does not match the state recomputed from the events", ""),
    w(None, C::ConfigOutOfRange,
        "{rule} ({title}): {what} must be {allowed}, got {value}", ""),
    w(None, C::ConfigExactly,
        "exactly {lo}", ""),
    w(None, C::ConfigBetween,
        "between {lo} and {hi}", ""),
    w(None, C::ConfigTotal,
        "the total number of sessions", ""),
    w(None, C::ConfigInitial,
        "the number of initial sessions", ""),
    w(None, C::ConfigTermination,
        "the number of termination sessions", ""),
    w(None, C::ConfigMaintenanceNoOverrides,
        "V-MAINTENANCE is monthly and open-ended: it takes no session-count overrides", ""),
    w(Some(R::MDeterioration), C::DeteriorationDue,
        "{instrument} reliably worse than baseline ({baseline} to {total}, session {session}): a review is due.",
        "A reliable deterioration against the baseline calls for a clinician's review: risk, the focus, the contract, other treatment. The alert stays until measures_reviewed is recorded."),
    w(Some(R::MDeterioration), C::MeasuresReviewed,
        "Measures reviewed; the deterioration alert is cleared ({list}).",
        "The review after a reliable deterioration is recorded. A later reliable deterioration raises the alert again."),
    w(Some(R::MDeterioration), C::MeasuresReviewedNoneDue,
        "Measures reviewed; no deterioration alert was active.",
        "The review is recorded; no reliable deterioration had called for one."),
    w(Some(R::MCadence), C::MeasuresDue,
        "Measures due at session {number}: {list}.",
        "By the course's schedule (at least every {every} session(s), and at the last one) a measure is due at session {number}; session_held records it under measures, as a total or item by item."),
    w(Some(R::MCadence), C::MeasuresOverdue,
        "Overdue: {list}, due at session {session}, not recorded.",
        "A measure due by the schedule was not recorded; taking it at the next session keeps the trend and the change rules (reliable change, recovery) current."),
    w(Some(R::StMiddle), C::BetweenGrief,
        "Between sessions (grief): options the patient may try.",
        "Options for between sessions (L1): recall the person and the relationship, the good and the disappointing, perhaps with photographs or letters; talk with others who knew them; take up one activity or contact set aside since the death."),
    w(Some(R::StMiddle), C::BetweenDispute,
        "Between sessions (role dispute): options the patient may try.",
        "Options for between sessions (L1): notice what each side expects; try one change in how a request or complaint is put, as rehearsed in the session; note what was said and what followed, for communication analysis next time."),
    w(Some(R::StMiddle), C::BetweenTransition,
        "Between sessions (role transition): options the patient may try.",
        "Options for between sessions (L1): list what the old role gave and what the new one offers; try one step toward a skill or a contact the new role needs; note what helped."),
    w(Some(R::StMiddle), C::BetweenDeficits,
        "Between sessions (interpersonal deficits): options the patient may try.",
        "Options for between sessions (L1): one contact planned in the session, with someone from the inventory or a new acquaintance; note how it went and what was felt, for the next session."),
    w(Some(R::VAdolescent), C::AdolescentCautions,
        "IPT-A cautions: acute suicidality, psychosis, bipolar disorder, intellectual disability, active substance misuse.",
        "IPT for adolescents was developed for depressed adolescents without these conditions (L5); where one is present, a specialist assessment and another or an adapted treatment are options."),
    w(Some(R::VAdolescent), C::AdolescentParents,
        "A parent or guardian joins part of session {number}.",
        "IPT-A involves a parent in the initial phase (psychoeducation, the sick role, the contract) and in termination, and in the middle phase where a parent-adolescent dispute is the focus (L5)."),
    w(Some(R::VAdolescent), C::AdolescentClosenessCircle,
        "The inventory may use the closeness circle.",
        "IPT-A takes the interpersonal inventory with the closeness circle: the adolescent places the important people in concentric circles by closeness (L5)."),
    w(Some(R::VGroup), C::GroupPreGroupSession,
        "Session 1 is the individual pre-group session.",
        "Before the group starts (L2): an individual meeting to review symptoms and lethality, take the inventory, identify the problem area and goals, and prepare the member for the group."),
    w(Some(R::GProgress), C::GoalNotRated,
        "Goal \"{goal}\" has not been rated yet.",
        "Each goal may be rated at any session on the goal-based-outcome scale, 0 (no progress) to 10 (reached) (L15)."),
    w(Some(R::GProgress), C::GoalRatedOnce,
        "Goal \"{goal}\": rated {latest} of 10 at session {latest_session}.",
        "One rating: progress is told from the first rating to the latest (L15)."),
    w(Some(R::GProgress), C::GoalReliableImprovement,
        "Goal \"{goal}\": from {first} to {latest} of 10 (sessions {first_session} to {latest_session}), a reliable improvement.",
        "A change of {gbo_reliable_change} points or more on the goal-based-outcome scale is larger than measurement error (L16)."),
    w(Some(R::GProgress), C::GoalNotReliable,
        "Goal \"{goal}\": from {first} to {latest} of 10 (sessions {first_session} to {latest_session}), within measurement error.",
        "A change smaller than {gbo_reliable_change} points on the goal-based-outcome scale may be measurement error (L16)."),
    w(Some(R::GProgress), C::GoalReliableDeterioration,
        "Goal \"{goal}\": from {first} to {latest} of 10 (sessions {first_session} to {latest_session}), a reliable deterioration.",
        "A fall of {gbo_reliable_change} points or more on the goal-based-outcome scale is larger than measurement error (L16); the goal and the focus may be discussed."),
    w(Some(R::GProgress), C::GoalUnrated,
        "Goal \"{goal}\" has not been rated for {sessions} sessions: it may be rated at the next session.",
        "Goals are rated regularly so that progress on them can be reviewed with the symptoms (S5); a goal unrated for {goal_unrated_sessions} sessions is listed."),
    w(Some(R::GGoals), C::GoalsToRevisit,
        "{count} goals served an area no longer in the focus: they may be kept, revised or closed (goals_revised).",
        "Goals come from the chosen problem area (S5); after the focus changes, the goals of the dropped area ({list}) are listed until the clinician records what becomes of them."),
    w(Some(R::GGoals), C::GoalsRevised,
        "The goals were revised ({count} goals): {reason}.",
        "The new list replaces the old; ratings of the goals kept are kept. Goals settled: {settled}."),
    w(Some(R::StRelapsePlan), C::RelapsePlanRecorded,
        "A relapse-prevention plan is recorded: {signs} warning signs, {people} people to turn to.",
        "Termination plans relapse prevention (S3, S4): the warning signs, what helps, who the patient can turn to and when to come back."),
    w(Some(R::StRelapsePlan), C::RelapsePlanDue,
        "A relapse-prevention plan is not recorded yet: it is one of the ending's tasks.",
        "Termination plans relapse prevention (S3, S4): the early warning signs, what helps, the people from the inventory the patient can turn to, and when to come back (relapse_plan_recorded)."),
    w(None, C::RelapsePlanListEmpty,
        "a relapse-prevention plan needs at least one item in `{field}`", ""),
    w(None, C::RelapsePlanReturnWhen,
        "a relapse-prevention plan says when to come back (`return_when`)", ""),
    w(None, C::RelapsePlanPersonUnknown,
        "`{person}` is not a relationship of the recorded inventory: the plan's people come from the inventory", ""),
    w(Some(R::StReview), C::ReviewSessions,
        "{held} of {contracted} contracted sessions held; {missed} appointments missed.",
        "The ending reviews the course against the contract (S2, S5)."),
    w(Some(R::StReview), C::ReviewMeasure,
        "{instrument}: {baseline} ({baseline_band}) at session {from} to {latest} ({latest_band}) at session {to}, a change of {change}.",
        "The ending reviews symptoms and functioning from the baseline to the latest measure (S5); the change rules of the measure are listed with it."),
    w(Some(R::StReview), C::ReviewInventoryItem,
        "{area}: {item}.",
        "The ending reviews the issues identified in the interpersonal inventory and the progress made with them (S2)."),
    w(Some(R::StReview), C::ReviewRelapsePlan,
        "Relapse prevention: warning signs: {signs}. What helps: {helps}. People: {people}. Come back: {return_when}.",
        "The plan recorded in termination (S3, S4), to hand to the patient or the next clinician."),
    w(Some(R::StReview), C::ReviewNoRelapsePlan,
        "No relapse-prevention plan is recorded.",
        "Termination plans relapse prevention (S3, S4); it may be recorded with relapse_plan_recorded."),
    w(None, C::ConfigNoMiddlePhase,
        "{initial} initial and {termination} termination sessions leave no middle phase in {total} sessions", ""),
];

/// Every entry of the table.
pub fn all() -> impl Iterator<Item = &'static Words> {
    WORDS.iter()
}

/// Text shared by several entries, substituted before the outcome's own parameters.
const SHARED: [(&str, &str); 3] = [
    ("enter_middle", ENTER_MIDDLE),
    ("initial_tasks", INITIAL_TASKS),
    ("termination_tasks", TERMINATION_TASKS),
];

/// The words of `case` as cited by `rule`: the entry of that (rule, case), or the entry of
/// the case that takes the refused event's rule.
pub fn lookup(rule: RuleId, case: CourseCase) -> Option<&'static Words> {
    all().find(|w| w.case == case && (w.rule.is_none() || w.rule == Some(rule)))
}

/// The message of an input or snapshot error (keyed by its case alone: no rule imposes it).
pub fn message(case: CourseCase, params: &[(&'static str, String)]) -> String {
    all()
        .find(|w| w.case == case)
        .map(|w| fill(w.summary, params))
        .unwrap_or_default()
}

/// Fills `{name}` placeholders: shared text first, then `params`. An unknown placeholder
/// stays as written (a test holds every entry to known names).
pub fn fill(template: &str, params: &[(&'static str, String)]) -> String {
    fill_in(template, params, &crate::explain::ENGLISH)
}

/// [`fill`] with the shared text through `locale`.
pub fn fill_in(
    template: &str,
    params: &[(&'static str, String)],
    locale: &dyn crate::explain::Locale,
) -> String {
    crate::explain::fill_with(template, |name| {
        SHARED
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| locale.text(v).into_owned())
            .or_else(|| {
                params
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.clone())
            })
    })
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )]

    use super::*;

    /// Placeholder values as wide as real ones get (an instrument label, a session number,
    /// four requirement names, a verdict).
    fn wide(name: &'static str) -> (&'static str, String) {
        let v = match name {
            "instrument" => "HAM-D 17",
            "list" => "lethality_assessed, inventory_recorded, focus_agreed, contract_agreed",
            "area" => "interpersonal deficits",
            "verdict" => "contraindicated",
            "phase" | "allowed" => "maintenance_completed",
            "date" | "last" => "2026-12-31",
            "reason" | "plan" => "x",
            "goal" => "Talk with my sister about the care of our mother, w…",
            "baseline_band" | "latest_band" => "moderately severe or worse",
            _ => "9999",
        };
        (name, v.to_owned())
    }

    fn placeholders(t: &str) -> Vec<&str> {
        t.split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(n, _)| n))
            .collect()
    }

    #[test]
    fn every_case_has_words_once() {
        for c in CourseCase::ALL {
            let n = all().filter(|w| w.case == *c).count();
            assert_eq!(n, 1, "{c:?} has {n} entries");
            let w = all().find(|w| w.case == *c).unwrap();
            assert!(!w.summary.trim().is_empty(), "{c:?}");
            let rule = w.rule.unwrap_or(RuleId::StInitial);
            assert_eq!(lookup(rule, *c), Some(w));
        }
        assert_eq!(all().count(), CourseCase::ALL.len());
    }

    #[test]
    fn every_placeholder_is_known_and_no_summary_is_over_140_characters() {
        let known = [
            "raised_after",
            "number",
            "count",
            "area",
            "reason",
            "sessions",
            "instrument",
            "previous",
            "total",
            "session",
            "first",
            "last",
            "plan",
            "verdict",
            "list",
            "phase",
            "allowed",
            "date",
            "expected",
            "held",
            "rule",
            "error",
            "title",
            "what",
            "value",
            "lo",
            "hi",
            "initial",
            "termination",
            "baseline",
            "every",
            "goal",
            "latest",
            "latest_session",
            "first_session",
            "settled",
            "signs",
            "people",
            "contracted",
            "missed",
            "from",
            "to",
            "change",
            "baseline_band",
            "latest_band",
            "item",
            "helps",
            "return_when",
            "field",
            "person",
        ];
        for w in all() {
            for t in [w.summary, w.rationale] {
                for p in placeholders(t) {
                    assert!(
                        known.contains(&p)
                            || SHARED.iter().any(|(k, _)| *k == p)
                            || crate::catalogue::parameters::parameter(p).is_some(),
                        "{:?}: unknown placeholder {p}",
                        w.case
                    );
                }
            }
            let params: Vec<_> = known.iter().map(|k| wide(k)).collect();
            let s = fill(w.summary, &params);
            assert!(
                s.chars().count() <= 140,
                "{:?}: {} chars: {s}",
                w.case,
                s.len()
            );
            assert!(!s.contains('{'), "{:?}: {s}", w.case);
            assert!(!fill(w.rationale, &params).contains('{'), "{:?}", w.case);
        }
    }

    #[test]
    fn no_summary_commands_the_clinician() {
        let imperative = [
            "assess", "reassess", "record", "raise", "proceed", "consider", "use", "do", "start",
            "stop", "check", "review", "offer", "continue", "close", "ensure",
        ];
        for w in all() {
            let s = w.summary.to_lowercase();
            let first = s.split_whitespace().next().unwrap_or_default();
            let first = first.trim_matches(|c: char| !c.is_alphanumeric());
            assert!(
                !imperative.contains(&first),
                "{:?} commands: {}",
                w.case,
                w.summary
            );
            // Input-error messages (no rationale) may state a range with "must".
            let bads: &[&str] = if w.rationale.is_empty() {
                &["proceed with caution", "you should"]
            } else {
                &["must", "proceed with caution", "you should"]
            };
            for bad in bads {
                assert!(
                    !s.contains(bad),
                    "{:?} commands ({bad}): {}",
                    w.case,
                    w.summary
                );
            }
        }
    }

    #[test]
    fn enter_middle_prerequisites_are_written_once() {
        let n = WORDS
            .iter()
            .filter(|w| w.rationale.contains("lethality assessed, the inventory"))
            .count();
        assert_eq!(
            n, 0,
            "ST-ENTER-MIDDLE's wording belongs in ENTER_MIDDLE only"
        );
        let uses = WORDS
            .iter()
            .filter(|w| w.rationale.contains("{enter_middle}"))
            .count();
        assert_eq!(uses, 2);
    }

    #[test]
    fn fill_substitutes_shared_text_and_parameters() {
        let s = fill("{count} of {enter_middle}", &[("count", "3".to_owned())]);
        assert_eq!(s, format!("3 of {ENTER_MIDDLE}"));
        assert_eq!(fill("a {unknown} b", &[]), "a {unknown} b");
        assert_eq!(fill("open { end", &[]), "open { end");
    }
}
