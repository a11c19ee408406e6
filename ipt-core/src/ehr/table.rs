//! The rows of the terminology table (D-CODE-MAP), version [`TABLE_VERSION`](super::terminology::TABLE_VERSION).
//!
//! Each row is a code of one terminology with its title there, and what the rules reason
//! about: the diagnostic category, the course and phase when the code states them, and a
//! finding the code implies. A `Block` row covers the code and every code under it in its
//! classification (ICD-10-CM `F20` covers `F20.0` to `F20.9`); a `Code` row covers that code
//! alone. A code no row covers is unmapped: it is listed, never guessed.
//!
//! Choices, each documented here so a reviewer can check them:
//! * Single and recurrent depressive episodes state their course; a current episode of stated
//!   severity is `acute` (ICD-11 6A70.5 and 6A71.5 are a current episode of unspecified
//!   severity); a code "in (partial or full) remission" is `remitted`; an episode left
//!   unspecified (ICD-10-CM F32.9, F33.9; ICD-11 .Y and .Z) leaves the phase unknown.
//! * "With psychotic features/symptoms" implies active psychosis (ICD-10-CM F32.3, F33.3; ICD-11
//!   6A70.2, 6A70.4, 6A71.2, 6A71.4; SNOMED CT 430852001, 28475009, 73867007).
//! * ICD-10-CM F32.A "Depression, unspecified" and SNOMED CT 35489007 "Depressive disorder" are
//!   not major depression: they map to `other`.
//! * Mixed anxiety and depressive disorder (ICD-11 6A73, SNOMED CT 231504006) maps to `anxiety`,
//!   as ICD-10-CM classifies it (F41.8).
//! * Cyclothymia (ICD-10-CM F34.0, ICD-11 6A62) maps to `bipolar`, as ICD-11 classifies it; it
//!   and dysthymia are `chronic`.
//! * Bipolar, anxiety, eating, psychotic and substance use codes map by block, without a course,
//!   phase or implied finding: their episode qualifiers are not read by this version.
//! * Personality disorders (ICD-10-CM F60, ICD-11 6D10, SNOMED CT 33449004) imply the
//!   personality disorder finding.

use crate::suitability::{DiagnosisCategory as C, IllnessCourse, IllnessPhase};

use super::codes::{Implied, Row, Scope, System};

/// What a row maps to.
#[derive(Clone, Copy)]
struct M {
    category: C,
    course: Option<IllnessCourse>,
    phase: Option<IllnessPhase>,
    implies: Option<Implied>,
}

const fn m(category: C) -> M {
    M {
        category,
        course: None,
        phase: None,
        implies: None,
    }
}

const FIRST: Option<IllnessCourse> = Some(IllnessCourse::FirstEpisode);
const RECURRENT: Option<IllnessCourse> = Some(IllnessCourse::Recurrent);
const CHRONIC: Option<IllnessCourse> = Some(IllnessCourse::Chronic);
const ACUTE: Option<IllnessPhase> = Some(IllnessPhase::Acute);
const REMITTED: Option<IllnessPhase> = Some(IllnessPhase::Remitted);
const PSYCHOSIS: Option<Implied> = Some(Implied::ActivePsychosis);

const fn mdd(course: Option<IllnessCourse>, phase: Option<IllnessPhase>) -> M {
    M {
        category: C::MajorDepression,
        course,
        phase,
        implies: None,
    }
}

const fn psychotic(course: Option<IllnessCourse>) -> M {
    M {
        category: C::MajorDepression,
        course,
        phase: ACUTE,
        implies: PSYCHOSIS,
    }
}

const fn chronic(category: C) -> M {
    M {
        category,
        course: CHRONIC,
        phase: None,
        implies: None,
    }
}

const PD: M = M {
    category: C::PersonalityDisorder,
    course: None,
    phase: None,
    implies: Some(Implied::PersonalityDisorder),
};

const fn row(system: System, scope: Scope, code: &'static str, title: &'static str, m: M) -> Row {
    Row {
        system,
        code,
        scope,
        title,
        category: m.category,
        course: m.course,
        phase: m.phase,
        implies: m.implies,
    }
}

const fn cm(code: &'static str, title: &'static str, m: M) -> Row {
    row(System::Icd10Cm, Scope::Code, code, title, m)
}
const fn cm_block(code: &'static str, title: &'static str, m: M) -> Row {
    row(System::Icd10Cm, Scope::Block, code, title, m)
}
const fn icd11(code: &'static str, title: &'static str, m: M) -> Row {
    row(System::Icd11, Scope::Code, code, title, m)
}
const fn icd11_block(code: &'static str, title: &'static str, m: M) -> Row {
    row(System::Icd11, Scope::Block, code, title, m)
}
const fn sct(code: &'static str, title: &'static str, m: M) -> Row {
    row(System::SnomedCt, Scope::Code, code, title, m)
}

/// Every row, by system.
#[rustfmt::skip]
pub(super) static ROWS: &[Row] = &[
    // ICD-10-CM: depressive episodes (T1).
    cm("F32.0", "Major depressive disorder, single episode, mild", mdd(FIRST, ACUTE)),
    cm("F32.1", "Major depressive disorder, single episode, moderate", mdd(FIRST, ACUTE)),
    cm("F32.2", "Major depressive disorder, single episode, severe without psychotic features", mdd(FIRST, ACUTE)),
    cm("F32.3", "Major depressive disorder, single episode, severe with psychotic features", psychotic(FIRST)),
    cm("F32.4", "Major depressive disorder, single episode, in partial remission", mdd(FIRST, REMITTED)),
    cm("F32.5", "Major depressive disorder, single episode, in full remission", mdd(FIRST, REMITTED)),
    cm("F32.8", "Other depressive episodes", m(C::Other)),
    cm("F32.81", "Premenstrual dysphoric disorder", m(C::Other)),
    cm("F32.89", "Other specified depressive episodes", m(C::Other)),
    cm("F32.9", "Major depressive disorder, single episode, unspecified", mdd(FIRST, None)),
    cm("F32.A", "Depression, unspecified", m(C::Other)),
    cm("F33.0", "Major depressive disorder, recurrent, mild", mdd(RECURRENT, ACUTE)),
    cm("F33.1", "Major depressive disorder, recurrent, moderate", mdd(RECURRENT, ACUTE)),
    cm("F33.2", "Major depressive disorder, recurrent severe without psychotic features", mdd(RECURRENT, ACUTE)),
    cm("F33.3", "Major depressive disorder, recurrent, severe with psychotic symptoms", psychotic(RECURRENT)),
    cm("F33.4", "Major depressive disorder, recurrent, in remission", mdd(RECURRENT, REMITTED)),
    cm("F33.40", "Major depressive disorder, recurrent, in remission, unspecified", mdd(RECURRENT, REMITTED)),
    cm("F33.41", "Major depressive disorder, recurrent, in partial remission", mdd(RECURRENT, REMITTED)),
    cm("F33.42", "Major depressive disorder, recurrent, in full remission", mdd(RECURRENT, REMITTED)),
    cm("F33.8", "Other recurrent depressive disorders", M { course: RECURRENT, ..m(C::Other) }),
    cm("F33.9", "Major depressive disorder, recurrent, unspecified", mdd(RECURRENT, None)),
    cm("F34.0", "Cyclothymic disorder", chronic(C::Bipolar)),
    cm("F34.1", "Dysthymic disorder", chronic(C::Dysthymia)),
    // ICD-10-CM: other disorders the rules reason about.
    cm_block("F31", "Bipolar disorder", m(C::Bipolar)),
    cm_block("F40", "Phobic anxiety disorders", m(C::Anxiety)),
    cm_block("F41", "Other anxiety disorders", m(C::Anxiety)),
    cm_block("F50.2", "Bulimia nervosa", m(C::BulimiaNervosa)),
    cm_block("F20", "Schizophrenia", m(C::PsychoticDisorder)),
    cm_block("F21", "Schizotypal disorder", m(C::PsychoticDisorder)),
    cm_block("F22", "Delusional disorders", m(C::PsychoticDisorder)),
    cm_block("F23", "Brief psychotic disorder", m(C::PsychoticDisorder)),
    cm_block("F24", "Shared psychotic disorder", m(C::PsychoticDisorder)),
    cm_block("F25", "Schizoaffective disorders", m(C::PsychoticDisorder)),
    cm_block("F28", "Other psychotic disorder not due to a substance or known physiological condition", m(C::PsychoticDisorder)),
    cm_block("F29", "Unspecified psychosis not due to a substance or known physiological condition", m(C::PsychoticDisorder)),
    cm_block("F10", "Alcohol related disorders", m(C::SubstanceUse)),
    cm_block("F11", "Opioid related disorders", m(C::SubstanceUse)),
    cm_block("F12", "Cannabis related disorders", m(C::SubstanceUse)),
    cm_block("F13", "Sedative, hypnotic, or anxiolytic related disorders", m(C::SubstanceUse)),
    cm_block("F14", "Cocaine related disorders", m(C::SubstanceUse)),
    cm_block("F15", "Other stimulant related disorders", m(C::SubstanceUse)),
    cm_block("F16", "Hallucinogen related disorders", m(C::SubstanceUse)),
    cm_block("F17", "Nicotine dependence", m(C::SubstanceUse)),
    cm_block("F18", "Inhalant related disorders", m(C::SubstanceUse)),
    cm_block("F19", "Other psychoactive substance related disorders", m(C::SubstanceUse)),
    cm_block("F60", "Specific personality disorders", PD),
    cm("R53.82", "Chronic fatigue, unspecified", m(C::ChronicFatigue)),
    cm("G93.32", "Myalgic encephalomyelitis/chronic fatigue syndrome", m(C::ChronicFatigue)),
    // ICD-11 MMS (T2).
    icd11("6A70", "Single episode depressive disorder", mdd(FIRST, None)),
    icd11("6A70.0", "Single episode depressive disorder, mild", mdd(FIRST, ACUTE)),
    icd11("6A70.1", "Single episode depressive disorder, moderate, without psychotic symptoms", mdd(FIRST, ACUTE)),
    icd11("6A70.2", "Single episode depressive disorder, moderate, with psychotic symptoms", psychotic(FIRST)),
    icd11("6A70.3", "Single episode depressive disorder, severe, without psychotic symptoms", mdd(FIRST, ACUTE)),
    icd11("6A70.4", "Single episode depressive disorder, severe, with psychotic symptoms", psychotic(FIRST)),
    icd11("6A70.5", "Single episode depressive disorder, severity unspecified", mdd(FIRST, ACUTE)),
    icd11("6A70.6", "Single episode depressive disorder, currently in partial remission", mdd(FIRST, REMITTED)),
    icd11("6A70.7", "Single episode depressive disorder, currently in full remission", mdd(FIRST, REMITTED)),
    icd11("6A70.Y", "Other specified single episode depressive disorder", mdd(FIRST, None)),
    icd11("6A70.Z", "Single episode depressive disorder, unspecified", mdd(FIRST, None)),
    icd11("6A71", "Recurrent depressive disorder", mdd(RECURRENT, None)),
    icd11("6A71.0", "Recurrent depressive disorder, current episode mild", mdd(RECURRENT, ACUTE)),
    icd11("6A71.1", "Recurrent depressive disorder, current episode moderate, without psychotic symptoms", mdd(RECURRENT, ACUTE)),
    icd11("6A71.2", "Recurrent depressive disorder, current episode moderate, with psychotic symptoms", psychotic(RECURRENT)),
    icd11("6A71.3", "Recurrent depressive disorder, current episode severe, without psychotic symptoms", mdd(RECURRENT, ACUTE)),
    icd11("6A71.4", "Recurrent depressive disorder, current episode severe, with psychotic symptoms", psychotic(RECURRENT)),
    icd11("6A71.5", "Recurrent depressive disorder, current episode, severity unspecified", mdd(RECURRENT, ACUTE)),
    icd11("6A71.6", "Recurrent depressive disorder, currently in partial remission", mdd(RECURRENT, REMITTED)),
    icd11("6A71.7", "Recurrent depressive disorder, currently in full remission", mdd(RECURRENT, REMITTED)),
    icd11("6A71.Y", "Other specified recurrent depressive disorder", mdd(RECURRENT, None)),
    icd11("6A71.Z", "Recurrent depressive disorder, unspecified", mdd(RECURRENT, None)),
    icd11("6A72", "Dysthymic disorder", chronic(C::Dysthymia)),
    icd11("6A73", "Mixed depressive and anxiety disorder", m(C::Anxiety)),
    icd11_block("6A60", "Bipolar type I disorder", m(C::Bipolar)),
    icd11_block("6A61", "Bipolar type II disorder", m(C::Bipolar)),
    icd11("6A62", "Cyclothymic disorder", chronic(C::Bipolar)),
    icd11("6A6Y", "Other specified bipolar or related disorders", m(C::Bipolar)),
    icd11("6A6Z", "Bipolar or related disorders, unspecified", m(C::Bipolar)),
    icd11_block("6B00", "Generalised anxiety disorder", m(C::Anxiety)),
    icd11_block("6B01", "Panic disorder", m(C::Anxiety)),
    icd11_block("6B02", "Agoraphobia", m(C::Anxiety)),
    icd11_block("6B03", "Specific phobia", m(C::Anxiety)),
    icd11_block("6B04", "Social anxiety disorder", m(C::Anxiety)),
    icd11_block("6B05", "Separation anxiety disorder", m(C::Anxiety)),
    icd11_block("6B06", "Selective mutism", m(C::Anxiety)),
    icd11_block("6B0Y", "Other specified anxiety or fear-related disorders", m(C::Anxiety)),
    icd11_block("6B0Z", "Anxiety or fear-related disorders, unspecified", m(C::Anxiety)),
    icd11_block("6B81", "Bulimia nervosa", m(C::BulimiaNervosa)),
    icd11_block("6A20", "Schizophrenia", m(C::PsychoticDisorder)),
    icd11_block("6A21", "Schizoaffective disorder", m(C::PsychoticDisorder)),
    icd11_block("6A22", "Schizotypal disorder", m(C::PsychoticDisorder)),
    icd11_block("6A23", "Acute and transient psychotic disorder", m(C::PsychoticDisorder)),
    icd11_block("6A24", "Delusional disorder", m(C::PsychoticDisorder)),
    icd11_block("6A2Y", "Other specified primary psychotic disorder", m(C::PsychoticDisorder)),
    icd11_block("6A2Z", "Schizophrenia or other primary psychotic disorders, unspecified", m(C::PsychoticDisorder)),
    icd11_block("6C40", "Disorders due to use of alcohol", m(C::SubstanceUse)),
    icd11_block("6C41", "Disorders due to use of cannabis", m(C::SubstanceUse)),
    icd11_block("6C42", "Disorders due to use of synthetic cannabinoids", m(C::SubstanceUse)),
    icd11_block("6C43", "Disorders due to use of opioids", m(C::SubstanceUse)),
    icd11_block("6C44", "Disorders due to use of sedatives, hypnotics or anxiolytics", m(C::SubstanceUse)),
    icd11_block("6C45", "Disorders due to use of cocaine", m(C::SubstanceUse)),
    icd11_block("6C46", "Disorders due to use of stimulants including amphetamines, methamphetamine or methcathinone", m(C::SubstanceUse)),
    icd11_block("6C47", "Disorders due to use of synthetic cathinones", m(C::SubstanceUse)),
    icd11_block("6C48", "Disorders due to use of caffeine", m(C::SubstanceUse)),
    icd11_block("6C49", "Disorders due to use of hallucinogens", m(C::SubstanceUse)),
    icd11_block("6C4A", "Disorders due to use of nicotine", m(C::SubstanceUse)),
    icd11_block("6C4B", "Disorders due to use of volatile inhalants", m(C::SubstanceUse)),
    icd11_block("6C4C", "Disorders due to use of MDMA or related drugs, including MDA", m(C::SubstanceUse)),
    icd11_block("6C4D", "Disorders due to use of dissociative drugs including ketamine and phencyclidine", m(C::SubstanceUse)),
    icd11_block("6C4E", "Disorders due to use of other specified psychoactive substances, including medications", m(C::SubstanceUse)),
    icd11_block("6C4F", "Disorders due to use of multiple specified psychoactive substances, including medications", m(C::SubstanceUse)),
    icd11_block("6C4G", "Disorders due to use of unknown or unspecified psychoactive substances", m(C::SubstanceUse)),
    icd11_block("6C4H", "Disorders due to use of non-psychoactive substances", m(C::SubstanceUse)),
    icd11_block("6D10", "Personality disorder", PD),
    icd11("8E49", "Postviral fatigue syndrome", m(C::ChronicFatigue)),
    // SNOMED CT: the documented subset (T3). Descendants not listed are unmapped: the table
    // holds no hierarchy.
    sct("370143000", "Major depressive disorder", mdd(None, None)),
    sct("36923009", "Major depression, single episode", mdd(FIRST, None)),
    sct("15639000", "Moderate major depression, single episode", mdd(FIRST, ACUTE)),
    sct("76441001", "Severe major depression, single episode, without psychotic features", mdd(FIRST, ACUTE)),
    sct("430852001", "Severe major depression, single episode, with psychotic features", psychotic(FIRST)),
    sct("70747007", "Major depression single episode, in partial remission", mdd(FIRST, REMITTED)),
    sct("19527009", "Single episode of major depression in full remission", mdd(FIRST, REMITTED)),
    sct("66344007", "Recurrent major depression", mdd(RECURRENT, None)),
    sct("40379007", "Mild recurrent major depression", mdd(RECURRENT, ACUTE)),
    sct("18818009", "Moderate recurrent major depression", mdd(RECURRENT, ACUTE)),
    sct("36474008", "Severe recurrent major depression without psychotic features", mdd(RECURRENT, ACUTE)),
    sct("28475009", "Severe recurrent major depression with psychotic features", psychotic(RECURRENT)),
    sct("68019004", "Recurrent major depression in remission", mdd(RECURRENT, REMITTED)),
    sct("33135002", "Recurrent major depression in partial remission", mdd(RECURRENT, REMITTED)),
    sct("46244001", "Recurrent major depression in full remission", mdd(RECURRENT, REMITTED)),
    sct("42810003", "Major depression in remission", mdd(None, REMITTED)),
    sct("73867007", "Severe major depression with psychotic features", psychotic(None)),
    sct("35489007", "Depressive disorder", m(C::Other)),
    sct("78667006", "Dysthymia", chronic(C::Dysthymia)),
    sct("13746004", "Bipolar disorder", m(C::Bipolar)),
    sct("197480006", "Anxiety disorder", m(C::Anxiety)),
    sct("21897009", "Generalized anxiety disorder", m(C::Anxiety)),
    sct("371631005", "Panic disorder", m(C::Anxiety)),
    sct("231504006", "Mixed anxiety and depressive disorder", m(C::Anxiety)),
    sct("78004001", "Bulimia nervosa", m(C::BulimiaNervosa)),
    sct("52702003", "Chronic fatigue syndrome", m(C::ChronicFatigue)),
    sct("69322001", "Psychotic disorder", m(C::PsychoticDisorder)),
    sct("58214004", "Schizophrenia", m(C::PsychoticDisorder)),
    sct("68890003", "Schizoaffective disorder", m(C::PsychoticDisorder)),
    sct("66590003", "Alcohol dependence", m(C::SubstanceUse)),
    sct("33449004", "Personality disorder", PD),
];
