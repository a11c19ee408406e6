//! The rule catalogue: every rule ID of `PROTOCOL.md`, with its title, kind, sources and
//! statement.
//!
//! Outputs cite rules through [`RuleId`], so an output can only name a rule that is in the
//! catalogue; the titles and sources shown to clinicians come from here and nowhere else.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! rule_ids {
    ($( $(#[$doc:meta])* $variant:ident = $id:literal ),+ $(,)?) => {
        /// A stable rule identifier from `PROTOCOL.md`. Serialized as the ID string
        /// (for example `"C-PSYCHOSIS"`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum RuleId {
            $( $(#[$doc])* #[serde(rename = $id)] $variant, )+
        }

        impl RuleId {
            /// Every rule ID, in catalogue order.
            pub const ALL: &'static [RuleId] = &[ $( RuleId::$variant, )+ ];

            /// The ID as written in `PROTOCOL.md`.
            pub const fn as_str(self) -> &'static str {
                match self { $( RuleId::$variant => $id, )+ }
            }

            /// Parses an ID as written in `PROTOCOL.md`.
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
    /// PHQ-9.
    MPhq9 = "M-PHQ9",
    /// HAM-D 17.
    MHamd17 = "M-HAMD17",
    /// BDI-II.
    MBdi2 = "M-BDI2",
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
    /// A symptom measure (`M-*`).
    Measure,
    /// A therapeutic technique (`T-*`).
    Technique,
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
    /// Citations: `S1`–`S5` are the seed documents, `L1`–`L8` published literature.
    pub sources: &'static [&'static str],
    /// The rule as `PROTOCOL.md` states it.
    pub statement: &'static str,
}

/// The whole catalogue, as served by the `rules` operation.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Catalogue {
    /// Every rule, in catalogue order.
    pub rules: Vec<Rule>,
    /// The bibliography the `sources` fields refer to.
    pub sources: Vec<Source>,
}

/// A document that rules cite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Source {
    /// The citation key, `S1`–`S5` or `L1`–`L8`.
    pub key: &'static str,
    /// The full reference.
    pub reference: &'static str,
}

const fn rule(
    id: RuleId,
    kind: RuleKind,
    title: &'static str,
    sources: &'static [&'static str],
    statement: &'static str,
) -> Rule {
    Rule {
        id,
        title,
        kind,
        sources,
        statement,
    }
}

use RuleKind as K;

static RULES: &[Rule] = &[
    rule(RuleId::CPsychosis, K::Contraindication, "Active psychosis", &["S1 §II.G"],
        "Active psychosis is a contraindication to IPT."),
    rule(RuleId::CPdUnmotivated, K::Contraindication, "Personality disorder without motivation for change", &["S1 §II.G"],
        "A personality disorder together with no motivation for change is a contraindication to IPT."),
    rule(RuleId::CCognitive, K::Contraindication, "Moderate-to-severe cognitive impairment from substance abuse or a medical condition", &["S1 §II.G"],
        "Moderate-to-severe cognitive impairment due to ongoing significant substance abuse or a general medical condition is a contraindication. Mild impairment, or impairment from another cause, is a caution, not a contraindication."),
    rule(RuleId::IMoodEssential, K::Indication, "Mood disorder with motivation and insight", &["S1 §II.A.1"],
        "For a mood disorder with sufficient motivation and insight, IPT techniques should be part of the psychotherapy (essential use)."),
    rule(RuleId::IPostInpatient, K::Indication, "Post-inpatient adjustment", &["S1 §II.A.2"],
        "For post-inpatient adjustment, on medication, where family psychosocial intervention is precluded, the techniques social skills training, role playing and social modelling with reinforcement are essential, individually or in small groups, as an adjunct to medication."),
    rule(RuleId::IInterpersonalOptional, K::Indication, "Recurrent or chronic diagnosis with interpersonal precipitants", &["S1 §II.B"],
        "IPT techniques may be part of treatment for a recurrent or chronic psychiatric diagnosis whose symptoms are precipitated or aggravated by identifiable interpersonal situations (optional use)."),
    rule(RuleId::IAcuteMdd, K::Indication, "Major depression, acute phase", &["S2", "S3"],
        "The acute phase of major depression is the most common use of an IPT course (indicated)."),
    rule(RuleId::IMaintenance, K::Indication, "Recurrent depression after response", &["S2", "L7"],
        "After response, recurrent depression may be treated with maintenance IPT to prevent relapse and recurrence."),
    rule(RuleId::IOther, K::Indication, "Other disorders with adapted forms", &["S2"],
        "Anxiety, bulimia nervosa, chronic fatigue, bipolar and dysthymic disorders: optional use, with the caution that adapted forms exist."),
    rule(RuleId::AMedStability, K::Assessment, "Stability on medication and support alone", &["S1 §II.C.1"],
        "For chronic, severe illness: assess whether medication and supportive psychotherapy alone keep the person stable."),
    rule(RuleId::AMotivation, K::Assessment, "Motivation", &["S1 §II.C.2"],
        "Assess motivation for improvement and for this form of intervention."),
    rule(RuleId::ASelfReflection, K::Assessment, "Self-reflection and self-monitoring", &["S1 §II.C.3"],
        "Assess the ability to engage in self-reflection and self-monitoring."),
    rule(RuleId::AInsight, K::Assessment, "Capacity for insight", &["S1 §II.C.4"],
        "Assess the capacity for insight."),
    rule(RuleId::XAge, K::Caution, "Age and adapted variants", &["S2", "L5"],
        "IPT has been adapted from adolescence to old age. Ages 12 to 18: the adolescent variant is recommended. Under 12: outside the evidence."),
    rule(RuleId::XPopulation, K::Caution, "Designed population", &["S3"],
        "IPT was designed for outpatient, non-psychotic, unipolar depression, and to be used with medication. Bipolar disorder calls for an adapted form; an inpatient setting calls for caution."),
    rule(RuleId::XLanguageCulture, K::Caution, "Linguistic and cultural needs", &["S1 §II"],
        "Selection and use of IPT should be informed by linguistic and cultural background: arrange an interpreter or culturally adapted delivery where needed."),
    rule(RuleId::XSubstance, K::Caution, "Active substance misuse", &["L1", "L5"],
        "Active substance misuse calls for caution."),
    rule(RuleId::XSuicide, K::Caution, "Suicide risk", &["S3", "L1"],
        "High or imminent suicide risk is a critical safety alert that takes precedence over everything else; lethality must be assessed."),
    rule(RuleId::XFrequency, K::Caution, "Session frequency", &["S1 §II.D"],
        "Sessions should be frequent and long enough for clinical results; IPT may be given alongside pharmacotherapy."),
    rule(RuleId::RManuals, K::Readiness, "Manuals available", &["S1 §II.E"],
        "IPT instruction manuals should be available."),
    rule(RuleId::RGroupSpace, K::Readiness, "Space for groups", &["S1 §II.E"],
        "Space should be available for group therapy where the group format is used."),
    rule(RuleId::RTraining, K::Readiness, "Therapist training", &["S1 §II.F"],
        "All therapists should have a working knowledge of IPT techniques."),
    rule(RuleId::RConsultation, K::Readiness, "Consultation", &["S1 §II.F"],
        "Manual-trained therapists should be available for consultation."),
    rule(RuleId::PaGrief, K::ProblemArea, "Grief", &["S2", "S4", "L1"],
        "Death of a significant person. Focus on grief when bereavement obstructs mourning or sustaining the remaining relationships. Losses that are not deaths are transitions."),
    rule(RuleId::PaDispute, K::ProblemArea, "Role dispute", &["S2", "S4", "L1"],
        "Conflict with a significant other that causes tension and distress; non-reciprocal expectations. Stage: renegotiation, impasse or dissolution."),
    rule(RuleId::PaTransition, K::ProblemArea, "Role transition", &["S2", "S4", "L1"],
        "A life change: job loss or retirement, birth of a child, becoming independent, marriage, children leaving home, separation or divorce, illness, a move. A dissolved dispute becomes a transition."),
    rule(RuleId::PaDeficits, K::ProblemArea, "Interpersonal deficits", &["S4", "L1"],
        "A long history of relationship difficulties or isolation, with no prolonged period of good functioning. The area of last resort: choose it only when no other area has evidence. Withdrawal caused by the depression itself is not a deficit."),
    rule(RuleId::PaSelect, K::ProblemArea, "Choosing the focus", &["S3", "L1"],
        "Rank the areas by their evidence, preferring those tied to the onset of the current episode; agree one primary area and at most one backup, distinct. An area without evidence, or deficits while another area has evidence, yields a warning."),
    rule(RuleId::VStandard, K::Variant, "Standard individual IPT", &["S2", "S3"],
        "Weekly individual IPT, 12 to 16 sessions (default 16): initial sessions 1-3, middle, and the last 3 (default) or 2 sessions for termination."),
    rule(RuleId::VBrief, K::Variant, "Brief IPT (IPT-B)", &["L6"],
        "8 sessions: initial 1-2, middle 3-6, termination 7-8."),
    rule(RuleId::VAdolescent, K::Variant, "IPT for adolescents (IPT-A)", &["L5"],
        "12 sessions: initial 1-4, middle 5-9, termination 10-12."),
    rule(RuleId::VGroup, K::Variant, "Group IPT", &["L2"],
        "One individual pre-group session and 8 group sessions: initial group 1, middle 2-7, termination 8."),
    rule(RuleId::VMaintenance, K::Variant, "Maintenance IPT (IPT-M)", &["L7", "L1"],
        "Monthly, open-ended sessions under a separate contract to prevent relapse."),
    rule(RuleId::StInitial, K::Stage, "Initial-phase tasks", &["S2", "S3", "S5", "L1"],
        "Review symptoms and name them; assess lethality (session 1); review medical causes and past episodes; psychoeducation and the sick role; medication review; interpersonal inventory; formulation accepted by the patient; goals; the contract."),
    rule(RuleId::StEnterMiddle, K::Stage, "Guard: entering the middle phase", &["S2", "S3", "L1"],
        "The first middle-phase session is refused until lethality has been assessed, the inventory recorded, the focus agreed and the contract made."),
    rule(RuleId::StMiddle, K::Stage, "Middle phase", &["S2", "S3", "L1"],
        "The patient works on the chosen area and tries solutions between sessions. Changing the focus or the number of sessions requires an explicit renegotiation with a reason."),
    rule(RuleId::StTermination, K::Stage, "Termination", &["S2", "S3", "S4", "S5", "L1"],
        "Raise the ending at least two sessions before termination; review progress, address the sense of loss, consolidate gains, plan relapse prevention. A rise in symptoms is expected unless it returns to the baseline band or risk appears. Non-response: offer alternatives."),
    rule(RuleId::StEvaluate, K::Stage, "Ongoing evaluation", &["S5"],
        "Each session may record a symptom measure; progress is reported against the baseline and the goals."),
    rule(RuleId::MPhq9, K::Measure, "PHQ-9", &["L3"],
        "PHQ-9 (LOINC 44261-6), 0-27: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe. Response: at least 50% reduction from baseline. Remission: below 5. Item 9 above 0: a lethality assessment is due."),
    rule(RuleId::MHamd17, K::Measure, "HAM-D 17", &["L4"],
        "HAM-D 17-item, 0-52: 0-7 normal, 8-16 mild, 17-23 moderate, 24 and above severe. Response: at least 50% reduction. Remission: 7 or below."),
    rule(RuleId::MBdi2, K::Measure, "BDI-II", &["L8"],
        "BDI-II, 0-63: 0-13 minimal, 14-19 mild, 20-28 moderate, 29-63 severe. Response: at least 50% reduction. Remission: 12 or below."),
    rule(RuleId::TClarification, K::Technique, "Clarification", &["S1 §I.B", "S3"],
        "Restatement and rephrasing; call attention to implications, contradictions and extremes."),
    rule(RuleId::TCommunicationAnalysis, K::Technique, "Communication analysis", &["S3", "S4", "S5"],
        "Reconstruct exchanges: who said what, to whom, and with what effect."),
    rule(RuleId::TEncourageAffect, K::Technique, "Encouragement of affect", &["S1 §I.B", "S3"],
        "Help the patient acknowledge, accept and use painful but appropriate feelings."),
    rule(RuleId::TDecisionAnalysis, K::Technique, "Decision analysis", &["S3"],
        "Lay out the choices and their consequences so the patient can choose."),
    rule(RuleId::TRolePlay, K::Technique, "Role play", &["S1 §I.B", "S3", "S5"],
        "Rehearse interactions to practise communication and problem solving."),
    rule(RuleId::TModelling, K::Technique, "Modelling", &["S1 §II.A.2", "S3"],
        "The therapist models behaviour for the patient, with reinforcement."),
    rule(RuleId::TDirective, K::Technique, "Education and advice", &["S3", "S5"],
        "Directive techniques: information, guidance and advice."),
    rule(RuleId::TProblemSolving, K::Technique, "Problem solving", &["S1 §I.B"],
        "Engage the patient in problem solving and communication skills."),
    rule(RuleId::TTherapeuticRelationship, K::Technique, "Use of the therapeutic relationship", &["S1 §I.B", "S3", "S4"],
        "Use the client-therapist relationship as a model and to encourage relationships beyond therapy."),
    rule(RuleId::TAcceptance, K::Technique, "Non-judgmental acceptance", &["S1 §I.B"],
        "Demonstrate non-judgmental acceptance."),
    rule(RuleId::TSocialSkills, K::Technique, "Social skills training", &["S1 §II.A.2", "S5"],
        "Teach specific interpersonal skills, with reinforcement."),
    rule(RuleId::StPhases, K::Stage, "The course moves forward", &["S2", "S3", "L1"],
        "Phases never go backwards (intake, initial, middle, termination, completed, then optional maintenance); events are recorded in date order; a completed course is not closed; a closed course accepts no event."),
];

static SOURCES: &[Source] = &[
    Source { key: "S1", reference: "Practice parameters for IPT: definition (§I), parameters for use (§II A-G). Seed document 000_cb169a4e7c2b1f8e.txt." },
    Source { key: "S2", reference: "\"What is IPT?\": structure, four areas, sessions 1-3 / 4-14 / 15-16, indications. Seed document 001_5465da7e4148db84.txt." },
    Source { key: "S3", reference: "IPT introduction slides: theory, stages 1-3 / 4-13 / 14-16, therapist stance, tools. Seed document 002_afdec65c52d87e54.txt." },
    Source { key: "S4", reference: "\"IPT Essentials\" course outline: problem areas, termination. Seed document 003_260a80034cf995f4.txt." },
    Source { key: "S5", reference: "\"IPT Process in Therapy\": assessment, focus, goals, strategies, evaluation, termination. Seed document 004_683444b28e3924d2.txt." },
    Source { key: "L1", reference: "Weissman, Markowitz, Klerman. The Guide to Interpersonal Psychotherapy. Oxford University Press, 2018." },
    Source { key: "L2", reference: "World Health Organization. Group Interpersonal Therapy (IPT) for Depression. WHO/MSD/MER/16.4, 2016." },
    Source { key: "L3", reference: "Kroenke, Spitzer, Williams. The PHQ-9. J Gen Intern Med 16:606-613, 2001." },
    Source { key: "L4", reference: "Frank et al. Conceptualization and rationale for consensus definitions of terms in major depressive disorder. Arch Gen Psychiatry 48:851-855, 1991." },
    Source { key: "L5", reference: "Mufson et al. Interpersonal Psychotherapy for Depressed Adolescents, 2nd ed. Guilford, 2004." },
    Source { key: "L6", reference: "Swartz et al. Brief interpersonal psychotherapy for depression. Am J Psychotherapy 68(4):443-462, 2014." },
    Source { key: "L7", reference: "Frank et al. Randomized trial of weekly, twice-monthly, and monthly IPT as maintenance treatment for women with recurrent depression. Am J Psychiatry 164:761-767, 2007." },
    Source { key: "L8", reference: "Beck, Steer, Brown. Manual for the BDI-II. Psychological Corporation, 1996." },
];

/// Every rule, in catalogue order.
pub fn all() -> &'static [Rule] {
    RULES
}

/// The bibliography.
pub fn sources() -> &'static [Source] {
    SOURCES
}

/// Looks a rule up. Every [`RuleId`] has an entry; a test holds the catalogue to that.
pub fn get(id: RuleId) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The sources of a rule, as owned strings for an output.
pub fn sources_of(id: RuleId) -> Vec<String> {
    get(id)
        .map(|r| r.sources.iter().map(|s| (*s).to_owned()).collect())
        .unwrap_or_default()
}

/// The title of a rule.
pub fn title_of(id: RuleId) -> &'static str {
    get(id).map(|r| r.title).unwrap_or("")
}

/// The whole catalogue with its bibliography.
pub fn catalogue() -> Catalogue {
    Catalogue {
        rules: RULES.to_vec(),
        sources: SOURCES.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_id_has_exactly_one_entry_in_order() {
        let ids: Vec<RuleId> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids, RuleId::ALL);
    }

    #[test]
    fn ids_round_trip_through_their_strings() {
        for id in RuleId::ALL {
            assert_eq!(RuleId::parse(id.as_str()), Some(*id));
            let json = serde_json::to_string(id).unwrap();
            assert_eq!(json, format!("\"{}\"", id.as_str()));
        }
    }

    #[test]
    fn every_cited_source_is_in_the_bibliography() {
        for rule in RULES {
            assert!(!rule.sources.is_empty(), "{} has no source", rule.id);
            for s in rule.sources {
                let key = s.split_whitespace().next().unwrap_or("");
                assert!(SOURCES.iter().any(|b| b.key == key), "{}: {s}", rule.id);
            }
        }
    }
}
