//! The rule IDs of the protocol, their kinds, and one entry of the catalogue.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! rule_ids {
    ($( $(#[$doc:meta])* $variant:ident = $id:literal ),+ $(,)?) => {
        /// A stable rule identifier from `docs/protocol.md`. Serialized as the ID string
        /// (for example `"C-PSYCHOSIS"`).
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum RuleId {
            $( $(#[$doc])* #[serde(rename = $id)] $variant, )+
        }

        /// # Examples
        ///
        /// ```
        /// use ipt_core::RuleId;
        ///
        /// let id = RuleId::parse("C-PSYCHOSIS").unwrap();
        /// assert_eq!(id, RuleId::CPsychosis);
        /// // Shown as the protocol writes it, by `Display` and by `Debug` alike.
        /// assert_eq!(id.to_string(), "C-PSYCHOSIS");
        /// assert_eq!(format!("{id:?}"), "C-PSYCHOSIS");
        /// assert_eq!(format!("{:?}", [RuleId::XSuicide]), r#"[X-SUICIDE]"#);
        /// // Every ID leads to its catalogue entry: title, statement and sources.
        /// let rule = ipt_core::catalogue::get(id).unwrap();
        /// assert_eq!(rule.title, "Active psychosis");
        /// assert_eq!(RuleId::parse("C-NONE"), None);
        /// ```
        impl RuleId {
            /// Every rule ID, in catalogue order.
            pub const ALL: &'static [RuleId] = &[ $( RuleId::$variant, )+ ];

            /// The ID as written in the [protocol](crate::protocol).
            pub const fn as_str(self) -> &'static str {
                match self { $( RuleId::$variant => $id, )+ }
            }

            /// Parses an ID as written in the [protocol](crate::protocol).
            pub fn parse(id: &str) -> Option<RuleId> {
                match id { $( $id => Some(RuleId::$variant), )+ _ => None }
            }
        }
    };
}

rule_ids! {
    /// Active psychosis.
    CPsychosis = "C-PSYCHOSIS",
    /// Personality disorder without motivation for change.
    CPdUnmotivated = "C-PD-UNMOTIVATED",
    /// Moderate-to-severe cognitive impairment due to substance abuse or a medical condition.
    CCognitive = "C-COGNITIVE",
    /// Mood disorder with motivation and insight.
    IMoodEssential = "I-MOOD-ESSENTIAL",
    /// Post-inpatient adjustment.
    IPostInpatient = "I-POST-INPATIENT",
    /// Recurrent or chronic diagnosis aggravated by interpersonal situations.
    IInterpersonalOptional = "I-INTERPERSONAL-OPTIONAL",
    /// Major depression, acute phase.
    IAcuteMdd = "I-ACUTE-MDD",
    /// Recurrent depression after response: maintenance.
    IMaintenance = "I-MAINTENANCE",
    /// Other disorders with adapted forms of IPT.
    IOther = "I-OTHER",
    /// Stability on medication and supportive psychotherapy alone.
    AMedStability = "A-MED-STABILITY",
    /// Motivation for improvement and for IPT.
    AMotivation = "A-MOTIVATION",
    /// Ability to self-reflect and self-monitor.
    ASelfReflection = "A-SELF-REFLECTION",
    /// Capacity for insight.
    AInsight = "A-INSIGHT",
    /// Age and the adapted variants.
    XAge = "X-AGE",
    /// The population IPT was designed for.
    XPopulation = "X-POPULATION",
    /// Linguistic and cultural needs.
    XLanguageCulture = "X-LANGUAGE-CULTURE",
    /// Active substance misuse.
    XSubstance = "X-SUBSTANCE",
    /// High or imminent suicide risk.
    XSuicide = "X-SUICIDE",
    /// Session frequency and duration.
    XFrequency = "X-FREQUENCY",
    /// IPT manuals available.
    RManuals = "R-MANUALS",
    /// Space for group therapy.
    RGroupSpace = "R-GROUP-SPACE",
    /// Therapists trained in IPT.
    RTraining = "R-TRAINING",
    /// Manual-trained therapist available for consultation.
    RConsultation = "R-CONSULTATION",
    /// Problem area: grief.
    PaGrief = "PA-GRIEF",
    /// Problem area: role dispute.
    PaDispute = "PA-DISPUTE",
    /// Problem area: role transition.
    PaTransition = "PA-TRANSITION",
    /// Problem area: interpersonal deficits.
    PaDeficits = "PA-DEFICITS",
    /// Selection of the focus: one primary, at most one backup.
    PaSelect = "PA-SELECT",
    /// Variant: standard individual IPT.
    VStandard = "V-STANDARD",
    /// Variant: brief IPT (IPT-B).
    VBrief = "V-BRIEF",
    /// Variant: IPT for adolescents (IPT-A).
    VAdolescent = "V-ADOLESCENT",
    /// Variant: group IPT.
    VGroup = "V-GROUP",
    /// Variant: maintenance IPT (IPT-M).
    VMaintenance = "V-MAINTENANCE",
    /// Initial-phase tasks.
    StInitial = "ST-INITIAL",
    /// Guard on entering the middle phase.
    StEnterMiddle = "ST-ENTER-MIDDLE",
    /// Middle-phase work.
    StMiddle = "ST-MIDDLE",
    /// Termination.
    StTermination = "ST-TERMINATION",
    /// Ongoing evaluation.
    StEvaluate = "ST-EVALUATE",
    /// The ending reviewed: goals, symptoms and functioning, the focus, the sessions.
    StReview = "ST-REVIEW",
    /// A relapse-prevention plan recorded before the course ends.
    StRelapsePlan = "ST-RELAPSE-PLAN",
    /// PHQ-9.
    MPhq9 = "M-PHQ9",
    /// HAM-D 17.
    MHamd17 = "M-HAMD17",
    /// BDI-II.
    MBdi2 = "M-BDI2",
    /// GAD-7.
    MGad7 = "M-GAD7",
    /// PHQ-9 modified for adolescents.
    MPhqa = "M-PHQA",
    /// Work and Social Adjustment Scale: functioning.
    MWsas = "M-WSAS",
    /// Reliable change (Jacobson-Truax, or the points thresholds services use).
    MReliableChange = "M-RELIABLE-CHANGE",
    /// Reliable deterioration: an alert until a review is recorded.
    MDeterioration = "M-DETERIORATION",
    /// Clinically significant change and reliable recovery.
    MRecovery = "M-RECOVERY",
    /// Remission on consecutive measures a set interval apart.
    MSustainedRemission = "M-SUSTAINED-REMISSION",
    /// The measurement schedule and overdue measures.
    MCadence = "M-CADENCE",
    /// Goals agreed as items, each serving the focus.
    GGoals = "G-GOALS",
    /// Goals rated on the goal-based-outcome scale.
    GProgress = "G-PROGRESS",
    /// Technique: clarification.
    TClarification = "T-CLARIFICATION",
    /// Technique: communication analysis.
    TCommunicationAnalysis = "T-COMMUNICATION-ANALYSIS",
    /// Technique: encouragement of affect.
    TEncourageAffect = "T-ENCOURAGE-AFFECT",
    /// Technique: decision analysis.
    TDecisionAnalysis = "T-DECISION-ANALYSIS",
    /// Technique: role play.
    TRolePlay = "T-ROLE-PLAY",
    /// Technique: modelling.
    TModelling = "T-MODELLING",
    /// Technique: education and advice (directive).
    TDirective = "T-DIRECTIVE",
    /// Technique: problem solving.
    TProblemSolving = "T-PROBLEM-SOLVING",
    /// Technique: use of the therapeutic relationship.
    TTherapeuticRelationship = "T-THERAPEUTIC-RELATIONSHIP",
    /// Technique: non-judgmental acceptance.
    TAcceptance = "T-ACCEPTANCE",
    /// Technique: social skills training.
    TSocialSkills = "T-SOCIAL-SKILLS",
    /// The course only moves forward.
    StPhases = "ST-PHASES",
    /// Coded diagnoses mapped to what the rules reason about.
    DCodeMap = "D-CODE-MAP",
    /// Reading a FHIR record: statuses, dates, references, paging, what is not read.
    DRecord = "D-RECORD",
}

impl std::fmt::Debug for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What part of the protocol a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// Rules out IPT (`C-*`).
    Contraindication,
    /// Supports IPT (`I-*`).
    Indication,
    /// An assessment required before selecting IPT (`A-*`).
    Assessment,
    /// A caution or safety rule (`X-*`).
    Caution,
    /// Service readiness (`R-*`).
    Readiness,
    /// Problem areas and focus selection (`PA-*`).
    ProblemArea,
    /// A course variant (`V-*`).
    Variant,
    /// A stage of the course and its guards (`ST-*`).
    Stage,
    /// A symptom or functioning measure (`M-*`).
    Measure,
    /// The patient's goals and their progress (`G-*`).
    Goal,
    /// A therapeutic technique (`T-*`).
    Technique,
    /// Coded record data read into the rules' inputs (`D-*`).
    Terminology,
}

/// One entry of the rule catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Rule {
    /// The stable rule ID.
    pub id: RuleId,
    /// A short title.
    pub title: &'static str,
    /// What part of the protocol the rule belongs to.
    pub kind: RuleKind,
    /// Citations: keys of the bibliography (`sources`), with a section where one helps.
    pub sources: &'static [&'static str],
    /// The rule as `docs/protocol.md` states it.
    pub statement: &'static str,
}
