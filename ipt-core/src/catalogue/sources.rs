//! The bibliography: every source a rule cites, as a citation a clinician can look up.
//!
//! `L1`–`L8` are the published literature; `T1`–`T3` the clinical terminologies coded records
//! use (D-CODE-MAP), `T4`–`T5` the standards records and hooks arrive in (D-RECORD). `S1`–`S5` are the documents the protocol was first written from; where a document could be identified it is cited as published, and where it
//! could not, its kind is said and the published source that makes the same statements is
//! named in `see_also`.

use schemars::JsonSchema;
use serde::Serialize;

/// What kind of document a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A book.
    Book,
    /// A peer-reviewed journal article.
    Article,
    /// A clinical practice parameter or guideline of a health service.
    PracticeParameter,
    /// A manual published by an international body.
    Manual,
    /// Training material: slides or a course outline.
    TrainingMaterial,
    /// Information written for the public.
    PublicInformation,
    /// A web article.
    WebArticle,
    /// A clinical classification or terminology (ICD, SNOMED CT).
    Classification,
    /// An interoperability standard (FHIR, CDS Hooks).
    Standard,
}

/// A document that rules cite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Source {
    /// The citation key, `S1`–`S5`, `L1`–`L8` or `T1`–`T5`; a rule's sources cite it, with a
    /// section where one helps (`S1 §II.G`).
    pub key: &'static str,
    /// The full reference: author or publisher, title, year.
    pub reference: &'static str,
    /// What kind of document it is.
    pub kind: SourceKind,
    /// The year of publication, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// A published source that makes the same statements, for a document that cannot be
    /// looked up itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub see_also: Option<&'static str>,
    /// Where the source can be read or browsed, when it is public.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'static str>,
}

const fn standard(
    key: &'static str,
    reference: &'static str,
    year: u16,
    url: &'static str,
) -> Source {
    Source {
        key,
        reference,
        kind: SourceKind::Standard,
        year: Some(year),
        see_also: None,
        url: Some(url),
    }
}

const fn src(
    key: &'static str,
    reference: &'static str,
    kind: SourceKind,
    year: Option<u16>,
    see_also: Option<&'static str>,
) -> Source {
    Source {
        key,
        reference,
        kind,
        year,
        see_also,
        url: None,
    }
}

const fn terminology(
    key: &'static str,
    reference: &'static str,
    year: u16,
    url: &'static str,
) -> Source {
    Source {
        key,
        reference,
        kind: SourceKind::Classification,
        year: Some(year),
        see_also: None,
        url: Some(url),
    }
}

use SourceKind as K;

pub(super) static SOURCES: &[Source] = &[
    src("S1", "Los Angeles County Department of Mental Health. Interpersonal Psychotherapy Techniques. Clinical practice parameter Psych-03 (definition, §I; parameters for use, §II A-G). A 2022 revision is public.", K::PracticeParameter, Some(2022), None),
    src("S2", "\"What is Interpersonal Psychotherapy (IPT)?\": information for the public on the structure of IPT (12-16 weeks; sessions 1-3, 4-14, 15-16), its four problem areas and its indications. Publisher not identified.", K::PublicInformation, None, Some("L1")),
    src("S3", "\"IPT Introduction\": teaching slides on the theory of IPT (attachment, interpersonal relations and mood), its stages (sessions 1-3, 4-13, 14-16), the therapist's stance and tools. Author not identified.", K::TrainingMaterial, None, Some("L1")),
    src("S4", "\"IPT Essentials (Interpersonal PsychoTherapy)\": outline of a three-day course for clinicians on the problem areas and termination. Author not identified.", K::TrainingMaterial, None, Some("L1")),
    src("S5", "Tarks T. IPT Process in Therapy: assessment, focus, goals, strategies, evaluation and termination. Web article, 12 May 2023.", K::WebArticle, Some(2023), Some("L1")),
    src("L1", "Weissman MM, Markowitz JC, Klerman GL. The Guide to Interpersonal Psychotherapy, updated and expanded edition. New York: Oxford University Press, 2018.", K::Book, Some(2018), None),
    src("L2", "World Health Organization. Group Interpersonal Therapy (IPT) for Depression. Geneva: WHO, 2016 (WHO/MSD/MER/16.4).", K::Manual, Some(2016), None),
    src("L3", "Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity measure. J Gen Intern Med 2001;16(9):606-613.", K::Article, Some(2001), None),
    src("L4", "Frank E, Prien RF, Jarrett RB, et al. Conceptualization and rationale for consensus definitions of terms in major depressive disorder. Arch Gen Psychiatry 1991;48(9):851-855.", K::Article, Some(1991), None),
    src("L5", "Mufson L, Dorta KP, Moreau D, Weissman MM. Interpersonal Psychotherapy for Depressed Adolescents, 2nd ed. New York: Guilford Press, 2004.", K::Book, Some(2004), None),
    src("L6", "Swartz HA, Grote NK, Graham P. Brief interpersonal psychotherapy (IPT-B): overview and review of evidence. Am J Psychother 2014;68(4):443-462.", K::Article, Some(2014), None),
    src("L7", "Frank E, Kupfer DJ, Buysse DJ, et al. Randomized trial of weekly, twice-monthly, and monthly interpersonal psychotherapy as maintenance treatment for women with recurrent depression. Am J Psychiatry 2007;164(5):761-767.", K::Article, Some(2007), None),
    src("L8", "Beck AT, Steer RA, Brown GK. Manual for the Beck Depression Inventory-II. San Antonio, TX: Psychological Corporation, 1996.", K::Manual, Some(1996), None),
    src("L9", "Löwe B, Unützer J, Callahan CM, Perkins AJ, Kroenke K. Monitoring depression treatment outcomes with the Patient Health Questionnaire-9. Med Care 2004;42(12):1194-1201.", K::Article, Some(2004), None),
    src("L10", "Jacobson NS, Truax P. Clinical significance: a statistical approach to defining meaningful change in psychotherapy research. J Consult Clin Psychol 1991;59(1):12-19.", K::Article, Some(1991), None),
    src("L11", "Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety disorder: the GAD-7. Arch Intern Med 2006;166(10):1092-1097.", K::Article, Some(2006), None),
    src("L12", "Johnson JG, Harris ES, Spitzer RL, Williams JBW. The Patient Health Questionnaire for Adolescents: validation of an instrument for the assessment of mental disorders among adolescent primary care patients. J Adolesc Health 2002;30(3):196-204.", K::Article, Some(2002), None),
    src("L13", "National Collaborating Centre for Mental Health. The Improving Access to Psychological Therapies Manual. London: NCCMH, 2018; continued by NHS England as the NHS Talking Therapies for Anxiety and Depression Manual. Session-by-session measurement; caseness (PHQ-9 10, GAD-7 8), reliable change (PHQ-9 6, GAD-7 4 points), recovery and reliable recovery.", K::Manual, Some(2018), None),
    src("L14", "Mundt JC, Marks IM, Shear MK, Greist JM. The Work and Social Adjustment Scale: a simple measure of impairment in functioning. Br J Psychiatry 2002;180:461-464.", K::Article, Some(2002), None),
    src("L15", "Law D, Jacob J. Goals and Goal Based Outcomes (GBOs): some useful information, 3rd ed. London: CAMHS Press, 2015.", K::Manual, Some(2015), None),
    src("L16", "Edbrooke-Childs J, Jacob J, Law D, Deighton J, Wolpert M. Interpreting standardized and idiographic outcome measures in CAMHS: what does change mean and how does it relate to functioning and experience? Child Adolesc Ment Health 2015;20(3):142-148. A reliable change on the goal-based-outcome scale: 2.45 points.", K::Article, Some(2015), None),
    terminology("T1", "National Center for Health Statistics (CDC). International Classification of Diseases, Tenth Revision, Clinical Modification (ICD-10-CM), FY2025, chapter 5 (F01-F99) and R53.82, G93.32.", 2024, "https://www.cdc.gov/nchs/icd/icd-10-cm/index.html"),
    terminology("T2", "World Health Organization. International Classification of Diseases, 11th Revision (ICD-11), Mortality and Morbidity Statistics, release 2024-01, chapter 06 and 8E49.", 2024, "https://icd.who.int/browse/2024-01/mms/en"),
    terminology("T3", "SNOMED International. SNOMED CT International Edition: the subset of disorder concepts listed in the engine's terminology table.", 2024, "https://www.snomed.org/"),
    standard("T4", "HL7 International. FHIR Release 4 (4.0.1): Bundle (resolving references, paging), Condition (clinicalStatus and verificationStatus as modifier elements, invariant con-4), Observation and QuestionnaireResponse (status), Patient (deceased[x]), and the date, dateTime and instant data types.", 2019, "https://hl7.org/fhir/R4/"),
    standard("T5", "HL7 International. CDS Hooks 2.0: prefetch (a key not sent is not supplied, null is no data), cards, feedback.", 2024, "https://cds-hooks.hl7.org/2.0/"),
];
