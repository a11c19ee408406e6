//! Why a course output or refusal says what it says: [`CourseCase`], one case per entry of the
//! course's words table.

/// Declares [`CourseCase`] and its [`CourseCase::ALL`] from one list, so the list a test walks
/// is the enum itself.
macro_rules! course_cases {
    ($($(#[doc = $doc:literal])+ $case:ident,)+) => {
        /// Why an output item or a refusal says what it says. One case, one entry in the
        /// course's words table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum CourseCase {
            $($(#[doc = $doc])+ $case,)+
        }

        impl CourseCase {
            /// Every case, in the order declared.
            pub const ALL: &'static [CourseCase] = &[$(CourseCase::$case,)+];
        }
    };
}

course_cases! {
    /// Session 1 was held without a lethality assessment.
    Session1WithoutLethality,
    /// The ending was raised fewer than two sessions before the termination phase.
    EndingRaisedLate,
    /// Techniques were recorded for a session.
    TechniquesUsed,
    /// An appointment was missed.
    AppointmentMissed,
    /// The focus was renegotiated.
    FocusRenegotiated,
    /// The contract was renegotiated.
    ContractRenegotiated,
    /// Maintenance ended.
    MaintenanceEnded,
    /// A rise in termination that stays below the baseline band.
    UpsurgeExpected,
    /// A rise in termination back to the baseline band: a reassessment alert.
    RiseToBaselineBand,
    /// A rise in termination with suicide risk: a reassessment alert.
    RiseWithRisk,
    /// A reassessment was recorded and cleared the alert.
    ReassessmentRecorded,
    /// A reassessment was recorded while no reassessment alert was active.
    ReassessmentRecordedNoneDue,
    /// Response at the end of the course.
    Response,
    /// No response at the end of the course: alternatives.
    NoResponse,
    /// No measure recorded: response cannot be judged.
    NoMeasures,
    /// I-MAINTENANCE holds at completion.
    MaintenanceIndicated,
    /// I-MAINTENANCE does not hold at completion: no recurrent depression.
    MaintenanceNotIndicated,
    /// I-MAINTENANCE does not hold at completion: no response.
    MaintenanceNoResponse,
    /// I-MAINTENANCE cannot be told at completion.
    MaintenanceUndetermined,
    /// X-SUICIDE from a positive PHQ-9 item 9.
    SuicideRiskItem9,
    /// X-SUICIDE from a high or imminent risk assessment.
    SuicideRiskHigh,
    /// Fragment of the X-SUICIDE rationale: a safety plan is recorded.
    SafetyPlanRecorded,
    /// Fragment of the X-SUICIDE rationale: no safety plan yet.
    NoSafetyPlan,
    /// Lethality has not been assessed after session 1.
    LethalityNotAssessed,
    /// Intake without an assessment.
    AssessmentNeeded,
    /// Intake with a verdict: the course can start.
    CanStart,
    /// Initial tasks are left.
    InitialTasksLeft,
    /// Every initial task is done.
    InitialTasksDone,
    /// ST-ENTER-MIDDLE holds.
    EnterMiddleReady,
    /// ST-ENTER-MIDDLE does not hold yet.
    EnterMiddleBlocked,
    /// The ending is not raised and termination is near.
    RaiseEndingSoon,
    /// The ending is not raised and the next session is in termination.
    RaiseEndingBeforeNext,
    /// A termination session is next.
    TerminationSession,
    /// A termination session is next while a reassessment is due.
    TerminationSessionReassess,
    /// Every contracted session is held.
    AllSessionsHeld,
    /// A maintenance session is next.
    MaintenanceSession,
    /// Refusal: the course is closed.
    UnmetCourseOpen,
    /// Refusal: the event belongs to a phase the course has left.
    UnmetPhasePassed,
    /// Refusal: the event belongs to a phase the course has not reached.
    UnmetPhaseNotYet,
    /// Refusal: no assessment.
    UnmetAssessmentRecorded,
    /// Refusal: contraindicated or indeterminate without an override.
    UnmetSuitableOrOverride,
    /// Refusal: a date before the last one.
    UnmetDateNotBeforeLast,
    /// Refusal: a session number out of sequence.
    UnmetSessionNumber,
    /// Refusal: a session beyond the contract.
    UnmetWithinContract,
    /// Refusal (ST-ENTER-MIDDLE): lethality.
    UnmetLethalityAssessed,
    /// Refusal (ST-ENTER-MIDDLE): inventory.
    UnmetInventoryRecorded,
    /// Refusal (ST-ENTER-MIDDLE): focus.
    UnmetFocusAgreed,
    /// Refusal (ST-ENTER-MIDDLE): contract.
    UnmetContractAgreed,
    /// Refusal: the ending has not been raised.
    UnmetTerminationRaised,
    /// Refusal: a focus is already agreed.
    UnmetNoFocusYet,
    /// Refusal (PA-SELECT): a focus before the inventory.
    UnmetInventoryForFocus,
    /// Refusal: a contract is already agreed.
    UnmetNoContractYet,
    /// Refusal: a contract shorter than the sessions held.
    UnmetContractCoversHeld,
    /// Refusal: a renegotiation without a reason.
    UnmetReason,
    /// Refusal: a renegotiated contract that puts held sessions in termination.
    UnmetRenegotiationWithinContract,
    /// Refusal: the ending was already raised.
    UnmetNotYetRaised,
    /// Refusal: completion before every session is held.
    UnmetAllSessionsHeld,
    /// Refusal: a maintenance session number out of sequence.
    UnmetMaintenanceSessionNumber,
    /// Refusal: closing a completed course.
    UnmetNotTerminal,
    /// Invalid input: a date that is not a calendar date.
    InvalidDate,
    /// Invalid input: an override without a justification.
    InvalidOverrideJustification,
    /// Invalid input: an override without a clinician.
    InvalidOverrideClinician,
    /// Invalid input: a technique that is not a T- rule.
    InvalidTechnique,
    /// Invalid input: sessions per month out of range.
    InvalidSessionsPerMonth,
    /// Invalid snapshot: not an object.
    SnapshotNotObject,
    /// Invalid snapshot: no format version.
    SnapshotVersionRequired,
    /// Invalid snapshot: an event that does not replay.
    SnapshotEventDoesNotReplay,
    /// Invalid snapshot: the stored state differs from the recomputed one.
    SnapshotStateMismatch,
    /// Invalid configuration: a count outside the variant's range.
    ConfigOutOfRange,
    /// Fragment: a range of one value.
    ConfigExactly,
    /// Fragment: a range.
    ConfigBetween,
    /// Fragment: the total number of sessions.
    ConfigTotal,
    /// Fragment: the number of initial sessions.
    ConfigInitial,
    /// Fragment: the number of termination sessions.
    ConfigTermination,
    /// Invalid configuration: overrides on V-MAINTENANCE.
    ConfigMaintenanceNoOverrides,
    /// Invalid configuration: no middle phase left.
    ConfigNoMiddlePhase,
    /// A reliable deterioration not yet reviewed: an alert.
    DeteriorationDue,
    /// The measures were reviewed and the deterioration alerts cleared.
    MeasuresReviewed,
    /// The measures were reviewed while no deterioration alert was active.
    MeasuresReviewedNoneDue,
    /// Measures due at the next session (M-CADENCE).
    MeasuresDue,
    /// A due measure was not recorded (M-CADENCE).
    MeasuresOverdue,
    /// Between-session work for grief.
    BetweenGrief,
    /// Between-session work for a role dispute.
    BetweenDispute,
    /// Between-session work for a role transition.
    BetweenTransition,
    /// Between-session work for interpersonal deficits.
    BetweenDeficits,
    /// The adolescent variant's cautions.
    AdolescentCautions,
    /// The adolescent variant's parent sessions.
    AdolescentParents,
    /// The adolescent variant's closeness circle in the inventory.
    AdolescentClosenessCircle,
    /// The group variant's individual pre-group session.
    GroupPreGroupSession,
    /// A goal not rated yet (G-PROGRESS).
    GoalNotRated,
    /// A goal rated once.
    GoalRatedOnce,
    /// A goal's reliable improvement.
    GoalReliableImprovement,
    /// A goal's change within measurement error.
    GoalNotReliable,
    /// A goal's reliable deterioration.
    GoalReliableDeterioration,
    /// A goal not rated for several sessions: on the agenda.
    GoalUnrated,
    /// Goals that served an area the renegotiated focus dropped (G-GOALS).
    GoalsToRevisit,
    /// The goals were revised.
    GoalsRevised,
    /// The relapse-prevention plan was recorded (ST-RELAPSE-PLAN).
    RelapsePlanRecorded,
    /// The relapse-prevention plan is still to be made: an ending task.
    RelapsePlanDue,
    /// Invalid input: a relapse-prevention plan's list is empty.
    RelapsePlanListEmpty,
    /// Invalid input: a relapse-prevention plan without when to come back.
    RelapsePlanReturnWhen,
    /// Invalid input: a person of the plan not in the inventory.
    RelapsePlanPersonUnknown,
    /// The ending review: sessions held against the contract (ST-REVIEW).
    ReviewSessions,
    /// The ending review: a symptom or functioning measure from baseline to latest.
    ReviewMeasure,
    /// The ending review: an inventory item of the focus area.
    ReviewInventoryItem,
    /// The ending review: the relapse-prevention plan.
    ReviewRelapsePlan,
    /// The ending review: no relapse-prevention plan yet.
    ReviewNoRelapsePlan,
}
