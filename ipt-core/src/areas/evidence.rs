//! The evidence each problem area draws from the inventory: life events (PA-GRIEF,
//! PA-TRANSITION), relationships in dispute (PA-DISPUTE; a dissolved dispute is a transition)
//! and the deficit findings (PA-DEFICITS).

use super::area::{Evidence, EvidenceSource};
use super::words::{self, AreaCase};
use crate::explain::{InputUsed, Locale};
use crate::findings::Finding;
use crate::inventory::{DisputeStage, Inventory, LifeEvent, LifeEventKind};

/// What one area draws from the inventory, before it is ranked.
pub(super) struct Draft {
    /// The evidence items.
    pub(super) evidence: Vec<Evidence>,
    /// The inputs used.
    pub(super) used: Vec<InputUsed>,
    /// The inputs missing.
    pub(super) missing: Vec<String>,
    /// Whether missing inputs could still provide evidence.
    pub(super) could_have_evidence: bool,
    /// Notes for the rationale.
    pub(super) notes: Vec<String>,
    /// For evidence that cannot be told yet (a death whose effect on mourning is not
    /// assessed, a relationship whose conflict is not, life events or relationships not
    /// recorded), how tied to the onset it would be: the strongest of its links.
    pub(super) pending_link: Option<Finding>,
}

impl Draft {
    fn new() -> Draft {
        Draft {
            evidence: Vec::new(),
            used: Vec::new(),
            missing: Vec::new(),
            could_have_evidence: false,
            notes: Vec::new(),
            pending_link: None,
        }
    }

    /// Records evidence that cannot be told yet, `link` tied to the onset.
    fn pending(&mut self, link: Finding) {
        self.could_have_evidence = true;
        self.pending_link = Some(match self.pending_link {
            Some(l) if tie(l) >= tie(link) => l,
            _ => link,
        });
    }
}

/// How tied to the onset a link is: present, then unknown (it may be), then absent.
pub(super) const fn tie(link: Finding) -> u8 {
    match link {
        Finding::Present => 2,
        Finding::Unknown => 1,
        Finding::Absent => 0,
    }
}

/// The words of a death's evidence: it obstructs mourning.
const OBSTRUCTING: &str = " obstructing mourning";

fn kind_text(kind: LifeEventKind) -> &'static str {
    match kind {
        LifeEventKind::Death => "death",
        LifeEventKind::SeparationDivorce => "separation or divorce",
        LifeEventKind::JobLoss => "job loss",
        LifeEventKind::Retirement => "retirement",
        LifeEventKind::BirthOfChild => "birth of a child",
        LifeEventKind::BecomingIndependent => "becoming independent",
        LifeEventKind::Marriage => "marriage",
        LifeEventKind::ChildrenLeavingHome => "children leaving home",
        LifeEventKind::Illness => "illness",
        LifeEventKind::Move => "a move",
        LifeEventKind::OtherLoss => "a loss that is not a death",
        LifeEventKind::Other => "another event",
    }
}

fn onset_text(f: Finding) -> &'static str {
    match f {
        Finding::Present => "within six months before the onset",
        Finding::Absent => "not within six months before the onset",
        Finding::Unknown => "timing relative to the onset unknown",
    }
}

fn timing_paths(at: &str) -> [String; 2] {
    [format!("{at}.months_before_onset"), format!("{at}.date")]
}

/// Grief (PA-GRIEF) and transition (PA-TRANSITION) evidence from life events and dissolved
/// disputes.
pub(super) fn event_drafts(inv: &Inventory, locale: &dyn Locale) -> (Draft, Draft) {
    let mut grief = Draft::new();
    let mut transition = Draft::new();
    if inv.life_events.is_none() {
        grief.missing.push("$.life_events".to_owned());
        grief.pending(Finding::Unknown);
        transition.missing.push("$.life_events".to_owned());
        transition.pending(Finding::Unknown);
    }
    let onset = inv.onset_date.as_deref();
    for (i, e) in inv.life_events().iter().enumerate() {
        let at = format!("$.life_events[{i}]");
        let draft = if e.kind == LifeEventKind::Death {
            &mut grief
        } else if e.kind.is_transition() {
            &mut transition
        } else {
            continue;
        };
        let linked = e.timing(onset).onset_linked();
        if e.kind == LifeEventKind::Death && !mourning_obstructed(draft, e, &at, locale) {
            if e.mourning_obstructed.is_unknown() {
                // Grief evidence once mourning is assessed, as tied to the onset as the death.
                draft.pending(linked);
                timing(draft, e, &at, onset, linked);
            }
            continue;
        }
        draft
            .used
            .push(InputUsed::new(format!("{at}.kind"), e.kind));
        timing(draft, e, &at, onset, linked);
        let who = e
            .relationship
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        draft.evidence.push(Evidence {
            path: at,
            source: EvidenceSource::LifeEvent,
            relationship: e.relationship.clone(),
            summary: words::summary(
                locale,
                AreaCase::LifeEventEvidence,
                &[
                    ("kind", &capitalise(&locale.text(kind_text(e.kind)))),
                    ("who", &who),
                    (
                        "obstructing",
                        &if e.kind == LifeEventKind::Death {
                            locale.text(OBSTRUCTING)
                        } else {
                            std::borrow::Cow::Borrowed("")
                        },
                    ),
                    ("onset", &locale.text(onset_text(linked))),
                ],
            ),
            onset_linked: linked,
        });
    }
    let any_death = inv
        .life_events()
        .iter()
        .any(|e| e.kind == LifeEventKind::Death);
    if !any_death && inv.life_events.is_some() {
        grief
            .notes
            .push(words::rationale(locale, AreaCase::NoDeath, &[]));
    }
    (grief, transition)
}

/// The inputs that tie an event to the onset (or that are missing to tell).
fn timing(draft: &mut Draft, e: &LifeEvent, at: &str, onset: Option<&str>, linked: Finding) {
    if linked.is_unknown() {
        draft.missing.extend(timing_paths(at));
    }
    if let Some(m) = e.months_before_onset {
        draft
            .used
            .push(InputUsed::new(format!("{at}.months_before_onset"), m));
    } else if let Some(d) = &e.date {
        draft.used.push(InputUsed::new(format!("{at}.date"), d));
        let onset_path = if e.onset_date.is_some() {
            format!("{at}.onset_date")
        } else {
            "$.onset_date".to_owned()
        };
        if let Some(o) = e.onset_date.as_deref().or(onset) {
            draft.used.push(InputUsed::new(onset_path, o));
        }
    }
}

/// PA-GRIEF (S4): a death is grief-focus evidence when the bereavement obstructs mourning or
/// sustaining the remaining relationships. Returns whether the death counts as evidence;
/// when it does not, says why (absent) or what is missing (unknown).
fn mourning_obstructed(grief: &mut Draft, e: &LifeEvent, at: &str, locale: &dyn Locale) -> bool {
    let path = format!("{at}.mourning_obstructed");
    grief
        .used
        .push(InputUsed::new(path.clone(), e.mourning_obstructed));
    let who = e
        .relationship
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    match e.mourning_obstructed {
        Finding::Present => true,
        Finding::Absent => {
            grief.notes.push(words::rationale(
                locale,
                AreaCase::MourningNotObstructed,
                &[("who", &who)],
            ));
            false
        }
        Finding::Unknown => {
            grief.notes.push(words::rationale(
                locale,
                AreaCase::MourningUnknown,
                &[("who", &who)],
            ));
            grief.missing.push(path);
            grief.could_have_evidence = true;
            false
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Dispute (PA-DISPUTE) evidence; dissolved disputes go to the transition draft.
pub(super) fn dispute_draft(inv: &Inventory, transition: &mut Draft, locale: &dyn Locale) -> Draft {
    let mut d = Draft::new();
    if inv.relationships.is_none() {
        d.missing.push("$.relationships".to_owned());
        d.pending(Finding::Unknown);
    }
    for (i, r) in inv.relationships().iter().enumerate() {
        let at = format!("$.relationships[{i}]");
        let Some(conflict) = r.conflict else {
            d.missing.push(format!("{at}.conflict"));
            // Dispute evidence once the conflict is assessed, as tied to the onset as recorded.
            d.pending(r.conflict_onset_linked);
            if !r.conflict_onset_linked.is_unknown() {
                d.used.push(InputUsed::new(
                    format!("{at}.conflict_onset_linked"),
                    r.conflict_onset_linked,
                ));
            }
            continue;
        };
        d.used
            .push(InputUsed::new(format!("{at}.conflict"), conflict));
        if !conflict.is_conflict() {
            continue;
        }
        let linked = r.conflict_onset_linked;
        if !linked.is_unknown() {
            let input = InputUsed::new(format!("{at}.conflict_onset_linked"), linked);
            if r.dispute_stage == Some(DisputeStage::Dissolution) {
                transition.used.push(input);
            } else {
                d.used.push(input);
            }
        }
        let conflict_text = match conflict {
            crate::inventory::Conflict::Covert => "covert",
            _ => "open",
        };
        match r.dispute_stage {
            Some(DisputeStage::Dissolution) => {
                transition.used.push(InputUsed::new(
                    format!("{at}.dispute_stage"),
                    DisputeStage::Dissolution,
                ));
                transition.evidence.push(Evidence {
                    path: at.clone(),
                    source: EvidenceSource::Relationship,
                    relationship: Some(r.id.clone()),
                    summary: words::summary(
                        locale,
                        AreaCase::DissolvedDisputeEvidence,
                        &[("who", &r.id), ("conflict", conflict_text)],
                    ),
                    onset_linked: linked,
                });
                d.used.push(InputUsed::new(
                    format!("{at}.dispute_stage"),
                    DisputeStage::Dissolution,
                ));
                d.notes.push(words::rationale(
                    locale,
                    AreaCase::DissolvedDisputeNote,
                    &[("who", &r.id)],
                ));
            }
            stage => {
                let stage_text = match stage {
                    Some(DisputeStage::Renegotiation) => "renegotiation",
                    Some(DisputeStage::Impasse) => "impasse",
                    _ => {
                        d.missing.push(format!("{at}.dispute_stage"));
                        "stage not yet assessed"
                    }
                };
                if let Some(s) = stage {
                    d.used
                        .push(InputUsed::new(format!("{at}.dispute_stage"), s));
                }
                if linked.is_unknown() {
                    d.missing.push(format!("{at}.conflict_onset_linked"));
                }
                d.evidence.push(Evidence {
                    path: at.clone(),
                    source: EvidenceSource::Relationship,
                    relationship: Some(r.id.clone()),
                    summary: words::summary(
                        locale,
                        AreaCase::DisputeEvidence,
                        &[
                            ("conflict", &capitalise(conflict_text)),
                            ("who", &r.id),
                            ("stage", stage_text),
                            (
                                "onset",
                                match linked {
                                    Finding::Present => "tied to the onset",
                                    Finding::Absent => "not tied to the onset",
                                    Finding::Unknown => "link to the onset unknown",
                                },
                            ),
                        ],
                    ),
                    onset_linked: linked,
                });
            }
        }
    }
    d
}

/// Deficits (PA-DEFICITS): a long history of difficulties or isolation, with no prolonged
/// good functioning, and not withdrawal caused by the depression. Returns the draft and the
/// three-valued finding.
pub(super) fn deficits_draft(inv: &Inventory, locale: &dyn Locale) -> (Draft, Finding) {
    let mut d = Draft::new();
    let mut history = inv.long_standing_isolation;
    d.used.push(InputUsed::new(
        "$.long_standing_isolation",
        inv.long_standing_isolation,
    ));
    if inv.long_standing_isolation == Finding::Present {
        d.evidence.push(Evidence {
            path: "$.long_standing_isolation".to_owned(),
            source: EvidenceSource::Finding,
            relationship: None,
            summary: words::summary(locale, AreaCase::IsolationEvidence, &[]),
            onset_linked: Finding::Absent,
        });
    }
    for (i, r) in inv.relationships().iter().enumerate() {
        let at = format!("$.relationships[{i}].long_history_of_difficulty");
        history = history.or(r.long_history_of_difficulty);
        if r.long_history_of_difficulty != Finding::Unknown {
            d.used
                .push(InputUsed::new(at.clone(), r.long_history_of_difficulty));
        }
        if r.long_history_of_difficulty == Finding::Present {
            d.evidence.push(Evidence {
                path: format!("$.relationships[{i}]"),
                source: EvidenceSource::Relationship,
                relationship: Some(r.id.clone()),
                summary: words::summary(locale, AreaCase::DifficultyEvidence, &[("who", &r.id)]),
                onset_linked: Finding::Absent,
            });
        }
    }
    d.used.push(InputUsed::new(
        "$.prolonged_good_functioning",
        inv.prolonged_good_functioning,
    ));
    d.used.push(InputUsed::new(
        "$.withdrawal_due_to_depression",
        inv.withdrawal_due_to_depression,
    ));
    let finding = history
        .and(inv.prolonged_good_functioning.not())
        .and(inv.withdrawal_due_to_depression.not());
    if finding == Finding::Unknown {
        d.could_have_evidence = true;
        if history.is_unknown() {
            d.missing.push("$.long_standing_isolation".to_owned());
            for (i, r) in inv.relationships().iter().enumerate() {
                if r.long_history_of_difficulty.is_unknown() {
                    d.missing
                        .push(format!("$.relationships[{i}].long_history_of_difficulty"));
                }
            }
        }
        if inv.prolonged_good_functioning.is_unknown() {
            d.missing.push("$.prolonged_good_functioning".to_owned());
        }
        if inv.withdrawal_due_to_depression.is_unknown() {
            d.missing.push("$.withdrawal_due_to_depression".to_owned());
        }
    }
    if inv.prolonged_good_functioning == Finding::Present {
        d.notes
            .push(words::rationale(locale, AreaCase::GoodFunctioningNote, &[]));
    }
    if inv.withdrawal_due_to_depression == Finding::Present {
        d.notes
            .push(words::rationale(locale, AreaCase::WithdrawalNote, &[]));
    }
    if finding != Finding::Present {
        d.evidence.clear();
    }
    (d, finding)
}
