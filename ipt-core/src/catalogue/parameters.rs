//! The protocol's parameters: every number a rule decides with (reliable-change thresholds,
//! caseness cut-offs, reliabilities, windows in days, session counts, ages), each once, with
//! the rule it belongs to and its citation keys. The code reads the constants; the catalogue's
//! statements and the words tables name them as placeholders (`{phq9_caseness}`), which every
//! template is filled with ([`crate::locale::fill_with`]); `docs/protocol.md` lists the table.
//! A parameter without a citation is an engine default, and its description says so.

use super::rule::RuleId;

/// What a parameter counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Points on an instrument's scale.
    Points,
    /// A reliability coefficient in thousandths (890 is 0.89).
    Thousandths,
    /// Hundredths of a point (245 is 2.45 points).
    Hundredths,
    /// Days.
    Days,
    /// Sessions.
    Sessions,
    /// Years of age.
    Years,
}

impl Unit {
    /// The unit's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Unit::Points => "points",
            Unit::Thousandths => "thousandths",
            Unit::Hundredths => "hundredths",
            Unit::Days => "days",
            Unit::Sessions => "sessions",
            Unit::Years => "years",
        }
    }
}

/// One parameter of the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parameter {
    /// Its name, as templates write it (`{phq9_caseness}`).
    pub name: &'static str,
    /// The rule that decides with it.
    pub rule: RuleId,
    /// Its value.
    pub value: u32,
    /// What it counts.
    pub unit: Unit,
    /// Citation keys of the bibliography; empty for an engine default.
    pub sources: &'static [&'static str],
    /// What it is.
    pub what: &'static str,
}

impl Parameter {
    /// The value as templates show it: a reliability as a decimal (`0.89`), anything else as
    /// a whole number.
    pub fn shown(&self) -> String {
        match self.unit {
            Unit::Thousandths => {
                let s = format!("{}.{:03}", self.value / 1000, self.value % 1000);
                s.trim_end_matches('0').trim_end_matches('.').to_owned()
            }
            Unit::Hundredths => {
                let s = format!("{}.{:02}", self.value / 100, self.value % 100);
                s.trim_end_matches('0').trim_end_matches('.').to_owned()
            }
            _ => self.value.to_string(),
        }
    }
}

macro_rules! parameters {
    ($(
        $(#[doc = $doc:literal])+
        $constant:ident ($name:ident) = $value:literal $unit:ident, $rule:ident, [$($source:literal),*];
    )+) => {
        $(
            $(#[doc = $doc])+
            pub const $constant: u32 = $value;
        )+

        /// Every parameter, in the order of its rule in the catalogue.
        pub static PARAMETERS: &[Parameter] = &[$(
            Parameter {
                name: stringify!($name),
                rule: RuleId::$rule,
                value: $constant,
                unit: Unit::$unit,
                sources: &[$($source),*],
                what: concat!($($doc),+),
            },
        )+];
    };
}

parameters! {
    /// Under this age IPT is outside the evidence; from it the adolescent variant is the
    /// option.
    ADOLESCENT_AGE_MIN (adolescent_age_min) = 12 Years, XAge, ["S2", "L5"];
    /// Up to this age (inclusive) the adolescent variant is the option.
    ADOLESCENT_AGE_MAX (adolescent_age_max) = 18 Years, XAge, ["S2", "L5"];
    /// How far back before the assessment a positive PHQ-9 or PHQ-A item 9 raises the safety
    /// alert (an older one is listed with its date). An engine default, not a published one.
    ITEM9_LOOKBACK_DAYS (item9_lookback_days) = 90 Days, XSuicide, [];
    /// The fewest sessions of standard IPT.
    STANDARD_SESSIONS_MIN (standard_sessions_min) = 12 Sessions, VStandard, ["S2", "S3"];
    /// The most sessions of standard IPT, and its default.
    STANDARD_SESSIONS (standard_sessions) = 16 Sessions, VStandard, ["S2", "S3"];
    /// The initial sessions of standard IPT (at most, and by default).
    STANDARD_INITIAL_SESSIONS (standard_initial_sessions) = 3 Sessions, VStandard, ["S2", "S3"];
    /// The fewest termination sessions of standard IPT.
    STANDARD_TERMINATION_SESSIONS_MIN (standard_termination_sessions_min) = 2 Sessions, VStandard, ["S2", "S3"];
    /// The termination sessions of standard IPT (at most, and by default).
    STANDARD_TERMINATION_SESSIONS (standard_termination_sessions) = 3 Sessions, VStandard, ["S2", "S3"];
    /// The sessions of brief IPT.
    BRIEF_SESSIONS (brief_sessions) = 8 Sessions, VBrief, ["L6"];
    /// The initial sessions of brief IPT.
    BRIEF_INITIAL_SESSIONS (brief_initial_sessions) = 2 Sessions, VBrief, ["L6"];
    /// The termination sessions of brief IPT.
    BRIEF_TERMINATION_SESSIONS (brief_termination_sessions) = 2 Sessions, VBrief, ["L6"];
    /// The sessions of IPT for adolescents.
    ADOLESCENT_SESSIONS (adolescent_sessions) = 12 Sessions, VAdolescent, ["L5"];
    /// The initial sessions of IPT for adolescents.
    ADOLESCENT_INITIAL_SESSIONS (adolescent_initial_sessions) = 4 Sessions, VAdolescent, ["L5"];
    /// The termination sessions of IPT for adolescents.
    ADOLESCENT_TERMINATION_SESSIONS (adolescent_termination_sessions) = 3 Sessions, VAdolescent, ["L5"];
    /// The group sessions of group IPT, after one individual pre-group session.
    GROUP_SESSIONS (group_sessions) = 8 Sessions, VGroup, ["L2"];
    /// The most maintenance sessions a month.
    MAINTENANCE_SESSIONS_PER_MONTH_MAX (maintenance_sessions_per_month_max) = 4 Sessions, VMaintenance, ["L7"];
    /// The PHQ-9's (and the PHQ-A's) reliable-change threshold: the minimal clinically
    /// important difference.
    PHQ9_RELIABLE_CHANGE_POINTS (phq9_reliable_change_points) = 5 Points, MReliableChange, ["L9"];
    /// The PHQ-9 reliable-change threshold NHS Talking Therapies uses.
    TALKING_THERAPIES_PHQ9_POINTS (talking_therapies_phq9_points) = 6 Points, MReliableChange, ["L13"];
    /// The GAD-7's reliable-change threshold.
    GAD7_RELIABLE_CHANGE_POINTS (gad7_reliable_change_points) = 4 Points, MReliableChange, ["L13"];
    /// The PHQ-9's reliability (Cronbach's alpha) for the Jacobson-Truax index.
    PHQ9_RELIABILITY (phq9_reliability) = 890 Thousandths, MReliableChange, ["L3"];
    /// The GAD-7's reliability (Cronbach's alpha) for the Jacobson-Truax index.
    GAD7_RELIABILITY (gad7_reliability) = 920 Thousandths, MReliableChange, ["L11"];
    /// The PHQ-9's (and the PHQ-A's) caseness cut-off.
    PHQ9_CASENESS (phq9_caseness) = 10 Points, MRecovery, ["L13"];
    /// The GAD-7's caseness cut-off.
    GAD7_CASENESS (gad7_caseness) = 8 Points, MRecovery, ["L13"];
    /// The least span of days of consecutive remitted measures for sustained remission: the
    /// two-week recall window of the PHQ-9 and GAD-7, so the measures cover separate windows
    /// (an engine default, not a published one).
    SUSTAINED_REMISSION_DAYS (sustained_remission_days) = 14 Days, MSustainedRemission, ["L3"];
    /// The goal-based-outcome scale's reliable change, in hundredths of a point (2.45
    /// points): on the whole-point scale, a change of 3 points or more.
    GBO_RELIABLE_CHANGE (gbo_reliable_change) = 245 Hundredths, GProgress, ["L16"];
    /// After how many sessions without a rating a goal is put on the agenda. An engine
    /// default, not a published one.
    GOAL_UNRATED_SESSIONS (goal_unrated_sessions) = 3 Sessions, GProgress, [];
    /// How long an encounter diagnosis never closed is read as current. An engine default,
    /// not a published one.
    ENCOUNTER_DIAGNOSIS_DAYS (encounter_diagnosis_days) = 365 Days, DRecord, [];
}

/// The parameter of a name, as templates write it.
pub fn parameter(name: &str) -> Option<&'static Parameter> {
    PARAMETERS.iter().find(|p| p.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parameter_has_its_name_and_a_description() {
        let mut names = std::collections::BTreeSet::new();
        for p in PARAMETERS {
            assert!(!p.name.is_empty(), "a parameter without a template name");
            assert!(names.insert(p.name), "{} twice", p.name);
            assert!(p.what.len() > 10, "{}", p.name);
            assert!(
                !p.sources.is_empty() || p.what.contains("engine default"),
                "{} has no citation and does not say it is an engine default",
                p.name
            );
        }
        assert_eq!(
            parameter("phq9_reliability")
                .map(Parameter::shown)
                .as_deref(),
            Some("0.89")
        );
        assert_eq!(
            parameter("phq9_caseness").map(Parameter::shown).as_deref(),
            Some("10")
        );
    }
}
