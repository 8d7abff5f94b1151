//! Workplace type read from a posting's own words, for boards that do not label it.

use crate::text::contains_word;
use domain::WorkplaceType;

const NOT_REMOTE: &[&str] = &["not remote", "no remote", "non-remote", "not a remote"];
const ONSITE: &[&str] =
    &["on-site", "onsite", "on site", "in-office", "in office", "in the office", "office-based", "office based"];

/// Hybrid wins over remote (a hybrid ad usually also says "remote days"), and an explicit
/// "not remote" wins over a bare mention of "remote".
pub fn detect_workplace(location: &str, title: &str, description: &str) -> WorkplaceType {
    let text = format!("{location}\n{title}\n{description}");
    if contains_word(&text, "hybrid") {
        return WorkplaceType::Hybrid;
    }
    if NOT_REMOTE.iter().any(|p| contains_word(&text, p)) {
        return WorkplaceType::Onsite;
    }
    if contains_word(location, "remote")
        || contains_word(title, "remote")
        || ["remote", "remotely", "work from home", "work from anywhere"].iter().any(|p| contains_word(description, p))
    {
        return WorkplaceType::Remote;
    }
    if ONSITE.iter().any(|p| contains_word(&text, p)) {
        return WorkplaceType::Onsite;
    }
    WorkplaceType::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;
    use WorkplaceType::*;

    #[test]
    fn reads_the_text() {
        assert_eq!(detect_workplace("Remote - US", "Analyst", ""), Remote);
        assert_eq!(detect_workplace("London", "Engineer", "3 days in the office, hybrid working."), Hybrid);
        assert_eq!(detect_workplace("London", "Engineer", "This role is not remote; you work on-site."), Onsite);
        assert_eq!(detect_workplace("London", "Engineer", "You can work remotely from anywhere in the UK."), Remote);
        assert_eq!(detect_workplace("Paris", "Engineer", "Based in our office-based team."), Onsite);
        assert_eq!(detect_workplace("Paris", "Engineer", "We build things."), Unknown);
    }
}
