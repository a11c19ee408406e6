//! The rules of problem areas and techniques, linked to the functions that decide them.

use crate::catalogue::{rule_link, Link};

/// Every problem-area and technique rule linked to its function. The techniques are offered
/// per area by [`strategies::techniques`]; T-SOCIAL-SKILLS, offered on a post-inpatient
/// indication, is suitability's.
pub static LINKS: &[Link] = &[
    rule_link!(PaGrief => crate::areas::evidence::event_drafts),
    rule_link!(PaDispute => crate::areas::evidence::dispute_draft),
    rule_link!(PaTransition => crate::areas::evidence::event_drafts),
    rule_link!(PaDeficits => crate::areas::evidence::deficits_draft),
    rule_link!(PaSelect => crate::areas::focus::check_focus_at),
    rule_link!(TClarification => crate::areas::strategies::techniques),
    rule_link!(TCommunicationAnalysis => crate::areas::strategies::techniques),
    rule_link!(TEncourageAffect => crate::areas::strategies::techniques),
    rule_link!(TDecisionAnalysis => crate::areas::strategies::techniques),
    rule_link!(TRolePlay => crate::areas::strategies::techniques),
    rule_link!(TModelling => crate::areas::strategies::techniques),
    rule_link!(TDirective => crate::areas::strategies::techniques),
    rule_link!(TProblemSolving => crate::areas::strategies::techniques),
    rule_link!(TTherapeuticRelationship => crate::areas::strategies::techniques),
    rule_link!(TAcceptance => crate::areas::strategies::techniques),
];
