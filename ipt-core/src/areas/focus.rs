//! PA-SELECT: the options for a focus after the ranking, and the check of an agreed focus
//! (one primary area and at most one distinct backup; warnings for an area without evidence
//! or for deficits while another area has evidence).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::area::{AreaRanking, AreaStatus, Focus, ProblemArea};
use super::ranking::rank_in;
use super::strategies::{strategies, techniques};
use super::words::{self, AreaCase};
use crate::catalogue::RuleId;
use crate::error::Error;
use crate::explain::{Explanation, Indicator, InputUsed, Render, RuleStatus};
use crate::inventory::Inventory;

/// Checks an agreed focus against the ranking (PA-SELECT), with errors at `$.primary` and
/// `$.backup`. See [`check_focus_at`].
pub fn check_focus(
    ranking: &AreaRanking,
    primary: ProblemArea,
    backup: Option<ProblemArea>,
) -> Result<Vec<Explanation>, Error> {
    check_focus_at(ranking, primary, backup, "$", Render::EXPLAINED)
}

/// The one structural rule of a focus (PA-SELECT, invariant 5): the backup differs from the
/// primary; otherwise `invalid_input` at `<root>.backup`. [`check_focus_at`] starts with it;
/// a course that only advances its state (replay) needs nothing else.
pub fn check_distinct_at(
    primary: ProblemArea,
    backup: Option<ProblemArea>,
    root: &str,
) -> Result<(), Error> {
    if backup == Some(primary) {
        return Err(Error::invalid(
            format!("{root}.backup"),
            words::summary(
                &crate::explain::ENGLISH,
                AreaCase::FocusBackupNotDistinct,
                &[("primary", primary.as_str())],
            ),
        ));
    }
    Ok(())
}

/// Checks an agreed focus against the ranking (PA-SELECT): the backup must differ from the
/// primary (otherwise `invalid_input` at `<root>.backup`). Choosing an area without evidence,
/// or deficits while another area has evidence, is allowed and returns a warning for each.
pub fn check_focus_at(
    ranking: &AreaRanking,
    primary: ProblemArea,
    backup: Option<ProblemArea>,
    root: &str,
    r: Render<'_>,
) -> Result<Vec<Explanation>, Error> {
    check_distinct_at(primary, backup, root)?;
    let other_supported = |area: ProblemArea| {
        ranking
            .areas
            .iter()
            .find(|a| a.area != area && a.status == AreaStatus::Supported)
            .map(|a| a.area)
    };
    let mut warnings = Vec::new();
    for (area, role, path) in [
        (Some(primary), "primary", format!("{root}.primary")),
        (backup, "backup", format!("{root}.backup")),
    ] {
        let Some(area) = area else { continue };
        let status = ranking.get(area).map_or(AreaStatus::Unknown, |a| a.status);
        let case = match (area, other_supported(area)) {
            (ProblemArea::InterpersonalDeficits, Some(other)) => {
                Some((AreaCase::FocusDeficitsWhileOther, Some(other), status))
            }
            _ if status != AreaStatus::Supported => {
                Some((AreaCase::FocusWithoutEvidence, None, status))
            }
            _ => None,
        };
        if let Some((case, other, status)) = case {
            warnings.push(
                r.item(
                    RuleId::PaSelect,
                    RuleStatus::NotMet,
                    Indicator::Warning,
                    |r| {
                        let t = |s: &str| r.locale.text(s).into_owned();
                        let why = t(match status {
                            AreaStatus::Unknown => "inputs are missing",
                            _ => "not supported",
                        });
                        let role = t(role);
                        let label = t(area.label());
                        let lower = label.to_lowercase();
                        let other = other
                            .map(|o| t(o.label()).to_lowercase())
                            .unwrap_or_default();
                        let p = [
                            ("role", role.as_str()),
                            ("other", other.as_str()),
                            ("area", label.as_str()),
                            ("area_lower", lower.as_str()),
                            ("why", why.as_str()),
                        ];
                        (
                            words::summary(r.locale, case, &p),
                            words::rationale(r.locale, case, &p),
                        )
                    },
                )
                .used([InputUsed::new(path, area)]),
            );
        }
    }
    Ok(warnings)
}

/// The request of `check_focus`: an inventory and a proposed focus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FocusRequest {
    /// The interpersonal inventory the areas are ranked on.
    pub inventory: Inventory,
    /// The proposed primary area.
    pub primary: ProblemArea,
    /// The proposed backup area, distinct from the primary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup: Option<ProblemArea>,
}

/// The answer of `check_focus`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FocusCheck {
    /// The focus as proposed (valid: the backup differs from the primary).
    pub focus: Focus,
    /// PA-SELECT warnings: an area without evidence, or deficits while another area has
    /// evidence. The choice stays the clinician's.
    pub warnings: Vec<Explanation>,
    /// The strategies of the primary area, then of the backup.
    pub strategies: Vec<Explanation>,
    /// The techniques that fit the primary area.
    pub techniques: Vec<Explanation>,
}

/// Parses a `check_focus` request, ranks the inventory and checks the focus (explained, in
/// English).
pub fn check_focus_request(json: &str) -> Result<FocusCheck, Error> {
    check_focus_of(
        &crate::parse::parse::<FocusRequest>(json)?,
        Render::EXPLAINED,
    )
}

/// [`check_focus_request`] on a parsed request, rendered as `r` asks.
pub fn check_focus_of(req: &FocusRequest, r: Render<'_>) -> Result<FocusCheck, Error> {
    req.inventory.validate_at("$.inventory")?;
    let ranking = rank_in(&req.inventory, Render::DECISION);
    let warnings = check_focus_at(&ranking, req.primary, req.backup, "$", r)?;
    let mut strategies_out =
        vec![strategies(req.primary, r).used([InputUsed::new("$.primary", req.primary)])];
    if let Some(b) = req.backup {
        strategies_out.push(strategies(b, r).used([InputUsed::new("$.backup", b)]));
    }
    Ok(FocusCheck {
        focus: Focus {
            primary: req.primary,
            backup: req.backup,
        },
        warnings,
        strategies: strategies_out,
        techniques: techniques(req.primary, r)
            .into_iter()
            .map(|t| t.used([InputUsed::new("$.primary", req.primary)]))
            .collect(),
    })
}
