//! The inputs of the assessment a rule reads, as typed references: which field (and which
//! diagnosis), never a path string. A set of them is four machine words, so deciding
//! allocates nothing; paths and values are rendered from them at the edge.

use crate::explain::{InputUsed, InputValue, Text};
use crate::findings::Finding;

use super::input::{Assessment, Verdict};

macro_rules! fields {
    ($( $(#[$doc:meta])* $variant:ident = $path:literal ),+ $(,)?) => {
        /// A field of the assessment that is not inside a diagnosis.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Field {
            $( $(#[$doc])* $variant, )+
        }

        impl Field {
            /// Every field, in path order.
            pub const ALL: &'static [Field] = &[ $( Field::$variant, )+ ];

            /// The field's JSONPath in an assessment.
            pub const fn path(self) -> &'static str {
                match self { $( Field::$variant => $path, )+ }
            }
        }
    };
}

fields! {
    /// `$.age`.
    Age = "$.age",
    /// `$.care_setting`.
    CareSetting = "$.care_setting",
    /// `$.format`.
    Format = "$.format",
    /// `$.diagnoses` as a whole (used when no diagnosis matches).
    Diagnoses = "$.diagnoses",
    /// `$.findings.active_psychosis`.
    ActivePsychosis = "$.findings.active_psychosis",
    /// `$.findings.personality_disorder`.
    PersonalityDisorder = "$.findings.personality_disorder",
    /// `$.findings.motivation`.
    Motivation = "$.findings.motivation",
    /// `$.findings.insight`.
    Insight = "$.findings.insight",
    /// `$.findings.self_reflection`.
    SelfReflection = "$.findings.self_reflection",
    /// `$.findings.cognitive_impairment.severity`.
    CognitiveSeverity = "$.findings.cognitive_impairment.severity",
    /// `$.findings.cognitive_impairment.cause`.
    CognitiveCause = "$.findings.cognitive_impairment.cause",
    /// `$.findings.chronic_severe_illness`.
    ChronicSevereIllness = "$.findings.chronic_severe_illness",
    /// `$.findings.stable_on_medication_and_support`.
    StableOnMedication = "$.findings.stable_on_medication_and_support",
    /// `$.findings.on_medication`.
    OnMedication = "$.findings.on_medication",
    /// `$.findings.family_intervention_precluded`.
    FamilyInterventionPrecluded = "$.findings.family_intervention_precluded",
    /// `$.findings.interpersonal_precipitants`.
    InterpersonalPrecipitants = "$.findings.interpersonal_precipitants",
    /// `$.findings.substance_misuse`.
    SubstanceMisuse = "$.findings.substance_misuse",
    /// `$.findings.suicide_risk`.
    SuicideRisk = "$.findings.suicide_risk",
    /// `$.language_culture.interpreter_needed`.
    InterpreterNeeded = "$.language_culture.interpreter_needed",
    /// `$.language_culture.cultural_adaptation_needed`.
    CulturalAdaptationNeeded = "$.language_culture.cultural_adaptation_needed",
    /// The verdict this answer decided (`report.verdict`), for rules that depend on it.
    Verdict = "report.verdict",
}

/// A field of one diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiagnosisField {
    /// `$.diagnoses[i].category`.
    Category,
    /// `$.diagnoses[i].course`.
    Course,
    /// `$.diagnoses[i].phase`.
    Phase,
}

impl DiagnosisField {
    const ALL: [DiagnosisField; 3] = [
        DiagnosisField::Category,
        DiagnosisField::Course,
        DiagnosisField::Phase,
    ];

    const fn name(self) -> &'static str {
        match self {
            DiagnosisField::Category => "category",
            DiagnosisField::Course => "course",
            DiagnosisField::Phase => "phase",
        }
    }
}

/// One input: a field, or a field of the diagnosis at an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Input {
    /// A field outside the diagnoses.
    Field(Field),
    /// A field of `$.diagnoses[index]`.
    Diagnosis(DiagnosisField, u8),
}

impl Input {
    /// The input's JSONPath (or `report.*` name).
    pub fn path(self) -> Text {
        match self {
            Input::Field(f) => Text::Borrowed(f.path()),
            Input::Diagnosis(f, i) => Text::Owned(format!("$.diagnoses[{i}].{}", f.name())),
        }
    }

    /// The value the input has in `a`, as an explanation shows it.
    pub fn value(self, a: &Assessment, verdict: Verdict) -> InputValue {
        let f = &a.findings;
        let finding = |x: Finding| InputValue::of(x);
        match self {
            Input::Field(field) => match field {
                Field::Age => a
                    .age
                    .map_or(InputValue::Null, |x| InputValue::Int(x.get().into())),
                Field::CareSetting => InputValue::of(a.care_setting),
                Field::Format => InputValue::of(a.format),
                Field::Diagnoses => InputValue::List(
                    a.diagnoses
                        .iter()
                        .map(|d| InputValue::of(d.category))
                        .collect(),
                ),
                Field::ActivePsychosis => finding(f.active_psychosis),
                Field::PersonalityDisorder => finding(f.personality_disorder),
                Field::Motivation => finding(f.motivation),
                Field::Insight => finding(f.insight),
                Field::SelfReflection => finding(f.self_reflection),
                Field::CognitiveSeverity => InputValue::of(f.cognitive_impairment.severity),
                Field::CognitiveCause => InputValue::of(f.cognitive_impairment.cause),
                Field::ChronicSevereIllness => finding(f.chronic_severe_illness),
                Field::StableOnMedication => finding(f.stable_on_medication_and_support),
                Field::OnMedication => finding(f.on_medication),
                Field::FamilyInterventionPrecluded => finding(f.family_intervention_precluded),
                Field::InterpersonalPrecipitants => finding(f.interpersonal_precipitants),
                Field::SubstanceMisuse => finding(f.substance_misuse),
                Field::SuicideRisk => InputValue::of(f.suicide_risk),
                Field::InterpreterNeeded => finding(a.language_culture.interpreter_needed),
                Field::CulturalAdaptationNeeded => {
                    finding(a.language_culture.cultural_adaptation_needed)
                }
                Field::Verdict => InputValue::of(verdict),
            },
            Input::Diagnosis(field, i) => match a.diagnoses.get(usize::from(i)) {
                None => InputValue::Null,
                Some(d) => match field {
                    DiagnosisField::Category => InputValue::of(d.category),
                    DiagnosisField::Course => InputValue::of(d.course),
                    DiagnosisField::Phase => InputValue::of(d.phase),
                },
            },
        }
    }

    /// The input as an explanation's `inputs_used` entry.
    pub fn used(self, a: &Assessment, verdict: Verdict) -> InputUsed {
        InputUsed::typed(self.path(), self.value(a, verdict))
    }
}

/// A set of inputs, in four machine words: no allocation.
///
/// Diagnoses past the 64th are not tracked (the JSON API accepts at most
/// [`MAX_DIAGNOSES`](super::input::MAX_DIAGNOSES)); the rules still read them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Inputs {
    fields: u64,
    diagnoses: [u64; 3],
}

impl Inputs {
    /// No input.
    pub const NONE: Inputs = Inputs {
        fields: 0,
        diagnoses: [0; 3],
    };

    /// A set of one field.
    pub const fn field(f: Field) -> Inputs {
        Inputs {
            fields: 1 << (f as u32),
            diagnoses: [0; 3],
        }
    }

    /// A set of the given fields.
    pub fn fields(fs: &[Field]) -> Inputs {
        let mut out = Inputs::NONE;
        for f in fs {
            out.fields |= 1 << (*f as u32);
        }
        out
    }

    /// The given fields whose finding is unknown.
    pub fn unknown(pairs: &[(Field, Finding)]) -> Inputs {
        let mut out = Inputs::NONE;
        for (f, v) in pairs {
            if v.is_unknown() {
                out.fields |= 1 << (*f as u32);
            }
        }
        out
    }

    /// Adds a field.
    pub fn add(&mut self, f: Field) {
        self.fields |= 1 << (f as u32);
    }

    /// Adds a field of the diagnosis at `index`.
    pub fn add_diagnosis(&mut self, field: DiagnosisField, index: usize) {
        if let (Ok(i @ 0..=63), Some(set)) =
            (u32::try_from(index), self.diagnoses.get_mut(field as usize))
        {
            *set |= 1u64 << i;
        }
    }

    /// Both sets.
    #[must_use]
    pub const fn union(self, other: Inputs) -> Inputs {
        Inputs {
            fields: self.fields | other.fields,
            diagnoses: [
                self.diagnoses[0] | other.diagnoses[0],
                self.diagnoses[1] | other.diagnoses[1],
                self.diagnoses[2] | other.diagnoses[2],
            ],
        }
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.fields == 0
            && self.diagnoses[0] == 0
            && self.diagnoses[1] == 0
            && self.diagnoses[2] == 0
    }

    /// Whether the set holds a field.
    pub const fn has(self, f: Field) -> bool {
        self.fields & (1 << (f as u32)) != 0
    }

    /// The inputs, fields first (in path order), then each diagnosis's fields. Only the set
    /// bits are visited.
    pub fn iter(self) -> impl Iterator<Item = Input> {
        let fields =
            Bits(self.fields).filter_map(|i| Field::ALL.get(i as usize).copied().map(Input::Field));
        let [cat, course, phase] = self.diagnoses;
        let diagnoses = Bits(cat | course | phase).flat_map(move |i| {
            let bit = 1u64 << i;
            DiagnosisField::ALL.into_iter().filter_map(move |field| {
                let set = match field {
                    DiagnosisField::Category => cat,
                    DiagnosisField::Course => course,
                    DiagnosisField::Phase => phase,
                };
                u8::try_from(i)
                    .ok()
                    .filter(|_| set & bit != 0)
                    .map(|i| Input::Diagnosis(field, i))
            })
        });
        fields.chain(diagnoses)
    }

    /// The paths, sorted as text and without repeats (the order of `inputs_missing`).
    pub fn paths(self) -> Vec<Text> {
        let mut out: Vec<Text> = self.iter().map(Input::path).collect();
        out.sort();
        out.dedup();
        out
    }
}

/// The set bits of a word, lowest first.
struct Bits(u64);

impl Iterator for Bits {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.0 == 0 {
            return None;
        }
        let i = self.0.trailing_zeros();
        self.0 &= self.0 - 1;
        Some(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_hold_fields_and_diagnoses() {
        let mut s = Inputs::field(Field::Age);
        s.add_diagnosis(DiagnosisField::Phase, 2);
        s.add_diagnosis(DiagnosisField::Course, 70); // past 63: not tracked
        assert!(s.has(Field::Age));
        assert_eq!(
            s.paths(),
            vec!["$.age".to_owned(), "$.diagnoses[2].phase".to_owned()]
        );
        assert!(Inputs::NONE.is_empty());
        assert!(Field::ALL.len() < 64);
    }
}
