//! The words of suitability: for every (rule, case) an indicator, a summary of at most 140
//! characters and a rationale, and the rationale of every verdict. Nothing else in the
//! suitability domain holds a sentence a clinician reads. Summaries describe what was found
//! or offer an option; they never command.

use crate::catalogue::RuleId;
use crate::explain::{Indicator, Words};

use super::outcome::Case;
use super::verdict::VerdictCase;

use Indicator::{Critical, Info, Warning};

const fn w(indicator: Indicator, summary: &'static str, rationale: &'static str) -> Words {
    Words {
        indicator,
        summary,
        rationale,
    }
}

/// Every (rule, case) with its words.
pub static TABLE: &[(RuleId, Case, Words)] = &[
    // C-PSYCHOSIS
    (RuleId::CPsychosis, Case::Present, w(Critical,
        "Active psychosis: IPT is contraindicated.",
        "Active psychosis is a contraindication to IPT; treating the psychosis first and reassessing later is an option.")),
    (RuleId::CPsychosis, Case::Absent, w(Info,
        "No active psychosis.",
        "Active psychosis was assessed as absent, so this contraindication does not apply.")),
    (RuleId::CPsychosis, Case::Unknown, w(Warning,
        "Active psychosis not yet assessed.",
        "Active psychosis cannot be ruled out until it is assessed; assessing it before choosing IPT is advisable.")),
    // C-PD-UNMOTIVATED
    (RuleId::CPdUnmotivated, Case::Present, w(Critical,
        "Personality disorder without motivation for change: IPT is contraindicated.",
        "A personality disorder together with no motivation for change is a contraindication to IPT; another approach may suit better, and motivation could be reassessed later.")),
    (RuleId::CPdUnmotivated, Case::PdWithMotivation, w(Info,
        "Personality disorder, with motivation for change.",
        "A personality disorder is present but so is motivation for change, so this contraindication does not apply.")),
    (RuleId::CPdUnmotivated, Case::MotivationPresent, w(Info,
        "Motivation for change is present.",
        "Motivation for change is present, so this contraindication does not apply whether or not there is a personality disorder.")),
    (RuleId::CPdUnmotivated, Case::Absent, w(Info,
        "No personality disorder.",
        "No personality disorder was found, so this contraindication does not apply.")),
    (RuleId::CPdUnmotivated, Case::Unknown, w(Warning,
        "A personality disorder without motivation for change cannot yet be ruled out.",
        "Whether a personality disorder with no motivation for change is present is not yet known; the missing findings can be assessed.")),
    // C-COGNITIVE
    (RuleId::CCognitive, Case::Present, w(Critical,
        "Moderate-to-severe cognitive impairment from substance abuse or a medical condition: IPT is contraindicated.",
        "Moderate-to-severe cognitive impairment due to ongoing substance abuse or a general medical condition is a contraindication to IPT; addressing its cause first is an option.")),
    (RuleId::CCognitive, Case::Absent, w(Info,
        "No contraindicating cognitive impairment.",
        "There is no moderate-to-severe cognitive impairment due to substance abuse or a medical condition, so this contraindication does not apply.")),
    (RuleId::CCognitive, Case::Unknown, w(Warning,
        "Contraindicating cognitive impairment cannot yet be ruled out.",
        "The severity or the cause of any cognitive impairment is not yet known; they can be assessed before choosing IPT.")),
    (RuleId::CCognitive, Case::CognitiveCaution, w(Warning,
        "Cognitive impairment that calls for caution, not a contraindication.",
        "Mild cognitive impairment, or impairment from a cause other than substance abuse or a medical condition, is a caution rather than a contraindication; adapting the pace and materials is an option.")),
    // I-MOOD-ESSENTIAL
    (RuleId::IMoodEssential, Case::Applies, w(Info,
        "Mood disorder with motivation and insight: IPT techniques are essential.",
        "With a mood disorder and sufficient motivation and insight, IPT techniques are essential to the psychotherapy the clinician chooses.")),
    (RuleId::IMoodEssential, Case::DoesNotApply, w(Info,
        "Essential use does not apply.",
        "Essential use needs a mood disorder with both motivation and insight present; at least one is absent.")),
    (RuleId::IMoodEssential, Case::NoMoodDisorder, w(Info,
        "No mood disorder recorded: essential use does not apply.",
        "Essential use needs a mood disorder; none of the recorded diagnoses is one.")),
    (RuleId::IMoodEssential, Case::CannotTell, w(Warning,
        "Essential use depends on missing findings.",
        "A mood disorder is recorded; whether IPT techniques are essential depends on motivation and insight, which are not yet assessed.")),
    // I-POST-INPATIENT
    (RuleId::IPostInpatient, Case::Applies, w(Info,
        "Post-inpatient adjustment: social skills training, role play and modelling are essential.",
        "After inpatient care, on medication and with family intervention precluded, social skills training, role playing and social modelling with reinforcement are recommended as an adjunct to medication, individually or in a small group.")),
    (RuleId::IPostInpatient, Case::DoesNotApply, w(Info,
        "Post-inpatient use does not apply.",
        "Post-inpatient use needs a post-inpatient setting, current medication and family intervention precluded; at least one does not hold.")),
    (RuleId::IPostInpatient, Case::CannotTell, w(Warning,
        "Post-inpatient use depends on missing inputs.",
        "Whether the post-inpatient indication applies depends on inputs not yet recorded.")),
    // I-INTERPERSONAL-OPTIONAL
    (RuleId::IInterpersonalOptional, Case::Applies, w(Info,
        "Recurrent or chronic illness with interpersonal precipitants: IPT techniques are an option.",
        "Symptoms of a recurrent or chronic diagnosis are precipitated or aggravated by identifiable interpersonal situations, so IPT techniques may be part of the treatment.")),
    (RuleId::IInterpersonalOptional, Case::DoesNotApply, w(Info,
        "Optional use for interpersonal precipitants does not apply.",
        "This option needs a recurrent or chronic diagnosis whose symptoms are precipitated or aggravated by interpersonal situations; that is not the case.")),
    (RuleId::IInterpersonalOptional, Case::CannotTell, w(Warning,
        "Optional use depends on missing inputs.",
        "Whether symptoms of a recurrent or chronic diagnosis are tied to interpersonal situations is not yet known.")),
    // I-ACUTE-MDD
    (RuleId::IAcuteMdd, Case::Applies, w(Info,
        "Major depression, acute phase: an IPT course is indicated.",
        "The acute phase of major depression is the most common use of an IPT course; a course is an option to discuss.")),
    (RuleId::IAcuteMdd, Case::DoesNotApply, w(Info,
        "No acute major depression.",
        "No major depression in its acute phase is recorded.")),
    (RuleId::IAcuteMdd, Case::CannotTell, w(Warning,
        "Acute major depression depends on a missing phase.",
        "Major depression is recorded but its phase (acute or remitted) is not.")),
    // I-MAINTENANCE
    (RuleId::IMaintenance, Case::Applies, w(Info,
        "Recurrent depression after response: maintenance IPT is an option.",
        "Recurrent depression has responded to treatment; monthly maintenance IPT may help prevent relapse and recurrence.")),
    (RuleId::IMaintenance, Case::DoesNotApply, w(Info,
        "Maintenance use does not apply.",
        "Maintenance IPT applies to recurrent depression after response; that is not recorded.")),
    (RuleId::IMaintenance, Case::CannotTell, w(Warning,
        "Maintenance use depends on missing inputs.",
        "Major depression is recorded, but its course or phase is not, so whether maintenance IPT applies cannot be told yet.")),
    // I-OTHER
    (RuleId::IOther, Case::Applies, w(Info,
        "A disorder with an adapted form of IPT: IPT is an option.",
        "IPT is also used for this disorder, in an adapted form.")),
    (RuleId::IOther, Case::DoesNotApply, w(Info,
        "No disorder with an adapted form.",
        "None of the recorded diagnoses is one for which an adapted form of IPT is used.")),
    (RuleId::IOther, Case::AdaptedFormsExist, w(Warning,
        "Adapted forms of IPT exist for this disorder.",
        "IPT for this disorder is used in an adapted form; the adapted protocol is the option to weigh rather than standard IPT.")),
    // A-MED-STABILITY
    (RuleId::AMedStability, Case::NotRequired, w(Info,
        "Not required: no chronic, severe illness.",
        "This assessment is required only for chronic, severe illness.")),
    (RuleId::AMedStability, Case::RequiredUnknown, w(Warning,
        "Whether this assessment is required is not yet known.",
        "Whether the illness is chronic and severe is not recorded; if it is, stability on medication and supportive psychotherapy alone is assessed.")),
    (RuleId::AMedStability, Case::StabilityUnknown, w(Warning,
        "Chronic, severe illness: stability on medication and support not yet assessed.",
        "For chronic, severe illness, whether medication and supportive psychotherapy alone keep the person stable is assessed before IPT techniques are selected.")),
    (RuleId::AMedStability, Case::Stable, w(Info,
        "Stable on medication and supportive psychotherapy alone.",
        "Medication and supportive psychotherapy alone keep the person stable; the clinician may weigh whether IPT techniques add to that.")),
    (RuleId::AMedStability, Case::NotStable, w(Info,
        "Not stable on medication and supportive psychotherapy alone.",
        "Medication and supportive psychotherapy alone do not keep the person stable; IPT techniques may add to them.")),
    // A-MOTIVATION
    (RuleId::AMotivation, Case::Present, w(Info,
        "Motivation for improvement and for IPT: assessed, present.",
        "Motivation for improvement and for IPT was assessed and is present.")),
    (RuleId::AMotivation, Case::Absent, w(Warning,
        "Motivation for improvement and for IPT: assessed, absent.",
        "Motivation for improvement and for IPT was assessed and is absent; this weighs on the choice of IPT techniques.")),
    (RuleId::AMotivation, Case::Unknown, w(Warning,
        "Motivation for improvement and for IPT: not yet assessed.",
        "Motivation for improvement and for IPT is assessed before IPT techniques are selected.")),
    // A-SELF-REFLECTION
    (RuleId::ASelfReflection, Case::Present, w(Info,
        "Ability to self-reflect and self-monitor: assessed, present.",
        "The ability to self-reflect and self-monitor was assessed and is present.")),
    (RuleId::ASelfReflection, Case::Absent, w(Warning,
        "Ability to self-reflect and self-monitor: assessed, absent.",
        "The ability to self-reflect and self-monitor was assessed and is absent; this weighs on the choice of IPT techniques.")),
    (RuleId::ASelfReflection, Case::Unknown, w(Warning,
        "Ability to self-reflect and self-monitor: not yet assessed.",
        "The ability to self-reflect and self-monitor is assessed before IPT techniques are selected.")),
    // A-INSIGHT
    (RuleId::AInsight, Case::Present, w(Info,
        "Capacity for insight: assessed, present.",
        "The capacity for insight was assessed and is present.")),
    (RuleId::AInsight, Case::Absent, w(Warning,
        "Capacity for insight: assessed, absent.",
        "The capacity for insight was assessed and is absent; this weighs on the choice of IPT techniques.")),
    (RuleId::AInsight, Case::Unknown, w(Warning,
        "Capacity for insight: not yet assessed.",
        "The capacity for insight is assessed before IPT techniques are selected.")),
    // X-SUICIDE
    (RuleId::XSuicide, Case::RiskHigh, w(Critical,
        "High or imminent suicide risk: safety comes first.",
        "Suicide risk is recorded as high or imminent. This takes precedence over everything else: lethality assessment and safety measures come before any decision about IPT.")),
    (RuleId::XSuicide, Case::RiskModerate, w(Warning,
        "Moderate suicide risk: lethality kept under review.",
        "Suicide risk is moderate; reassessing lethality at each session is an option to consider.")),
    (RuleId::XSuicide, Case::RiskLowOrNone, w(Info,
        "Suicide risk recorded as low or none.",
        "Suicide risk was assessed as low or none; lethality is still reviewed in the first session.")),
    (RuleId::XSuicide, Case::RiskUnknown, w(Warning,
        "Suicide risk not yet assessed.",
        "Suicide risk has not been recorded; lethality is assessed at intake and in the first session.")),
    // X-AGE
    (RuleId::XAge, Case::AgeUnknown, w(Warning,
        "Age not recorded.",
        "The age decides the variant: adolescents are offered an adapted variant, and under {adolescent_age_min} is outside the evidence.")),
    (RuleId::XAge, Case::UnderTwelve, w(Warning,
        "Under {adolescent_age_min}: outside the evidence for IPT.",
        "IPT has been adapted from adolescence to old age; for a child under {adolescent_age_min} its use is outside the evidence, and other approaches may be considered.")),
    (RuleId::XAge, Case::Adolescent, w(Info,
        "Age {adolescent_age_min}-{adolescent_age_max}: the adolescent variant (IPT-A) is the option.",
        "IPT has an adolescent adaptation; for ages {adolescent_age_min} to {adolescent_age_max} the adolescent variant is recommended.")),
    (RuleId::XAge, Case::Adult, w(Info,
        "Adult: within the evidence for IPT.",
        "IPT has been adapted from adolescence to old age; an adult is within its evidence.")),
    // X-POPULATION
    (RuleId::XPopulation, Case::Bipolar, w(Warning,
        "Bipolar disorder: an adapted form of IPT is the option.",
        "IPT was designed for unipolar depression; for bipolar disorder an adapted form is the option to consider.")),
    (RuleId::XPopulation, Case::PsychoticDisorder, w(Warning,
        "Psychotic disorder: IPT was designed for non-psychotic depression.",
        "IPT was designed for non-psychotic depression; with a psychotic disorder, even in remission, its fit and any adaptation deserve the clinician's judgement.")),
    (RuleId::XPopulation, Case::Inpatient, w(Warning,
        "Inpatient setting: IPT was designed for outpatients.",
        "IPT was designed for outpatients; in an inpatient setting, starting now or after discharge are both options.")),
    (RuleId::XPopulation, Case::NoMedication, w(Info,
        "Not on medication: IPT was designed to be used with medication.",
        "IPT was designed to be used with medication and is also effective alone; a medication review is part of the initial phase.")),
    (RuleId::XPopulation, Case::DesignedPopulation, w(Info,
        "Within the population IPT was designed for.",
        "Nothing recorded sets the person apart from the outpatient, non-psychotic, unipolar population IPT was designed for.")),
    // X-LANGUAGE-CULTURE
    (RuleId::XLanguageCulture, Case::Present, w(Warning,
        "Linguistic or cultural needs: an interpreter or adapted delivery is an option.",
        "An interpreter or culturally adapted delivery lets IPT be delivered as intended.")),
    (RuleId::XLanguageCulture, Case::Absent, w(Info,
        "No linguistic or cultural needs recorded.",
        "Neither an interpreter nor culturally adapted delivery is needed.")),
    (RuleId::XLanguageCulture, Case::Unknown, w(Info,
        "Linguistic and cultural needs not yet recorded.",
        "Whether an interpreter or culturally adapted delivery is needed is not yet recorded.")),
    // X-SUBSTANCE
    (RuleId::XSubstance, Case::Present, w(Warning,
        "Active substance misuse: a caution for IPT.",
        "Active substance misuse calls for caution; addressing it alongside or before IPT is an option.")),
    (RuleId::XSubstance, Case::Absent, w(Info,
        "No active substance misuse.",
        "Active substance misuse was assessed as absent.")),
    (RuleId::XSubstance, Case::Unknown, w(Info,
        "Substance misuse not yet assessed.",
        "Whether there is active substance misuse is not yet recorded.")),
    // X-FREQUENCY
    (RuleId::XFrequency, Case::FrequencyPlan, w(Info,
        "If IPT is chosen, sessions frequent and long enough for results.",
        "If IPT is chosen, sessions frequent enough and a course long enough give it the chance of clinical results; IPT can be given alongside medication.")),
    (RuleId::XFrequency, Case::FrequencyNotYet, w(Info,
        "Session frequency: not yet relevant.",
        "Session frequency matters once IPT is an option; it is not one yet.")),
    // The variant offered.
    (RuleId::VMaintenance, Case::VariantMaintenance, w(Info,
        "Option: the maintenance variant (monthly IPT-M).",
        "Recurrent depression has responded to treatment: monthly maintenance IPT under a separate contract is an option to prevent relapse.")),
    (RuleId::VAdolescent, Case::VariantAdolescent, w(Info,
        "Option: the adolescent variant (IPT-A, {adolescent_sessions} sessions).",
        "For ages {adolescent_age_min} to {adolescent_age_max} the adolescent variant (IPT-A, {adolescent_sessions} sessions) is the option to consider.")),
    (RuleId::VGroup, Case::VariantGroup, w(Info,
        "Option: the group variant (one pre-group session and {group_sessions} group sessions).",
        "Group format was requested: group IPT (one individual pre-group session and {group_sessions} group sessions) is the option to consider.")),
    (RuleId::VStandard, Case::VariantAdaptedForm, w(Info,
        "Option: an adapted form of IPT for this disorder, on the standard course's structure.",
        "Adapted forms of IPT exist for this disorder (I-OTHER); the adapted protocol, built on the standard course's structure, is the option to weigh.")),
    (RuleId::VStandard, Case::VariantUsual, w(Info,
        "Option: the standard variant ({standard_sessions_min}-{standard_sessions} weekly sessions).",
        "Standard individual IPT ({standard_sessions_min}-{standard_sessions} weekly sessions, default {standard_sessions}) is the usual option.")),
    (RuleId::VStandard, Case::VariantStandardWithCautions, w(Info,
        "Option: the standard variant ({standard_sessions_min}-{standard_sessions} weekly sessions), weighed against the population cautions.",
        "Standard individual IPT ({standard_sessions_min}-{standard_sessions} weekly sessions) is an option; the person differs from the population IPT was designed for (X-POPULATION), so whether it fits, or an adapted form fits better, is the clinician's judgement.")),
    (RuleId::XAge, Case::VariantOutsideEvidence, w(Warning,
        "No IPT variant is within the evidence under {adolescent_age_min}.",
        "No IPT variant has evidence for a child under {adolescent_age_min}; the adolescent variant is the closest adaptation, and other approaches may suit better.")),
    // Techniques recommended by I-POST-INPATIENT.
    (RuleId::TSocialSkills, Case::PostInpatientTechnique, w(Info,
        "Social skills training, as an adjunct to medication.",
        "Social skills training is recommended for post-inpatient adjustment (I-POST-INPATIENT), individually or in a small group, alongside medication.")),
    (RuleId::TRolePlay, Case::PostInpatientTechnique, w(Info,
        "Role playing, as an adjunct to medication.",
        "Role playing is recommended for post-inpatient adjustment (I-POST-INPATIENT), individually or in a small group, alongside medication.")),
    (RuleId::TModelling, Case::PostInpatientTechnique, w(Info,
        "Social modelling with reinforcement, as an adjunct to medication.",
        "Social modelling with reinforcement is recommended for post-inpatient adjustment (I-POST-INPATIENT), individually or in a small group, alongside medication.")),
];

/// The words of a (rule, case), if the table has them (a test holds every case a rule can
/// return to having them).
pub fn words(rule: RuleId, case: Case) -> Option<&'static Words> {
    TABLE
        .iter()
        .find(|(r, c, _)| *r == rule && *c == case)
        .map(|(_, _, w)| w)
}

/// The sentence a provisional variant adds to its rationale.
pub const PROVISIONAL: &str = "This is provisional until the missing inputs are recorded.";

/// The rationale of every verdict. `{at_least}` is the verdict the applying indications give.
pub fn verdict_rationale(case: VerdictCase) -> &'static str {
    match case {
        VerdictCase::Contraindicated => "A contraindication is present, so IPT is not an option now, whatever else is true.",
        VerdictCase::ContraindicationOpen => "No contraindication is present, but at least one cannot be ruled out until the missing inputs are assessed.",
        VerdictCase::StrongerIndicationOpen => "No contraindication is present. The verdict is at least `{at_least}`, but a stronger indication depends on missing inputs.",
        VerdictCase::Essential => "No contraindication is present and an essential-use indication applies: IPT techniques are essential to the psychotherapy.",
        VerdictCase::Indicated => "No contraindication is present and an IPT course is indicated; the clinician decides with the patient whether to start one.",
        VerdictCase::Optional => "No contraindication is present and IPT techniques are an option to consider.",
        VerdictCase::NotIndicated => "No contraindication is present and no indication applies; IPT is not indicated by this protocol, though the clinician may still judge otherwise.",
    }
}
