//! The rules of the course (variants, phases and guards, the measurement cadence), linked to
//! the functions that decide them; the transitions' own are [`apply::LINKS`].

use crate::catalogue::{rule_link, Link};

use super::apply;

/// The course's rules decided outside the transitions, linked to their functions.
pub static LINKS: &[Link] = &[
    rule_link!(VStandard => crate::course::config::CourseConfig::of),
    rule_link!(VBrief => crate::course::config::CourseConfig::of),
    rule_link!(VAdolescent => crate::course::config::CourseConfig::of),
    rule_link!(VGroup => crate::course::config::CourseConfig::of),
    rule_link!(VMaintenance => crate::course::config::CourseConfig::of),
    rule_link!(StEnterMiddle => crate::course::guards::enter_middle),
    rule_link!(StPhases => crate::course::guards::course_open),
    rule_link!(MCadence => crate::course::cadence::due_next),
    rule_link!(GProgress => crate::course::goals::progress),
    rule_link!(StReview => crate::course::review::review),
];

/// Every course rule linked to its function.
pub fn links() -> impl Iterator<Item = &'static Link> {
    LINKS.iter().chain(apply::LINKS)
}
