//! The structured fields of an analysis read from a posting's lines: years of experience,
//! responsibilities, education, certifications, visa sponsorship and location.

use crate::sections::{Line, Section};
use regex::Regex;
use std::sync::LazyLock;

/// The most responsibilities one analysis keeps, and the longest line kept (in characters).
const MAX_RESPONSIBILITIES: usize = 12;
const MAX_LINE_CHARS: usize = 240;

/// "5+ years", "3-5 years", "at least 8 yrs": the lower bound.
static YEARS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    crate::sections::re(r"(?i)\b(\d{1,2})\s*\+?\s*(?:-|–|to)?\s*(?:\d{1,2}\s*)?\+?\s*(?:years?|yrs?)\b")
});

static DEGREE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    crate::sections::re(
        r"(?i)\b(bachelor(?:'s|’s|s)?|master(?:'s|’s|s)? degree|masters? in|ph\.?d|doctorate|degree|b\.?sc|m\.?sc|b\.s\.|m\.s\.|mba|university education|diploma)\b",
    )
});

/// Certifications by their usual (case-sensitive) names.
static CERTIFICATION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    crate::sections::re(
        r"\b(AWS Certified(?: [A-Z][A-Za-z\-]+){1,4}|Google Cloud Certified(?: [A-Z][A-Za-z\-]+){1,4}|Azure (?:Solutions Architect|Administrator|Developer|Data Engineer) (?:Associate|Expert)|Microsoft Certified: [A-Z][A-Za-z ]{3,50}|CompTIA Security\+|Security\+|CISSP|CISM|CISA|CEH|OSCP|OSCE|GIAC|CCNA|CCNP|CCIE|PMP|PRINCE2|ITIL|CPA|ACCA|CIMA|ACA|CFA|FRM|CAMS|CKA|CKAD|CKS|CSM|PSM|Certified Scrum Master|Certified Kubernetes (?:Administrator|Application Developer))(?:[^A-Za-z0-9]|$)",
    )
});

static NO_SPONSORSHIP: LazyLock<Option<Regex>> = LazyLock::new(|| {
    crate::sections::re(
        r"(?i)\b(?:unable|not able|cannot|can't|can not|won't|will not|do not|don't|does not|doesn't|not in a position|not currently|are not|is not)\b[^.\n]{0,40}\bsponsor|\bno (?:visa )?sponsorship\b|\bwithout (?:the need for )?(?:visa )?sponsorship\b|\bsponsorship (?:is )?not (?:available|offered|provided|possible)\b|\bnot (?:eligible|available) for (?:visa )?sponsorship\b",
    )
});
static SPONSORSHIP: LazyLock<Option<Regex>> = LazyLock::new(|| {
    crate::sections::re(
        r"(?i)\b(?:visa sponsorship (?:is )?(?:available|offered|provided|possible)|(?:we|will|can|able to|happy to) (?:offer |provide )?(?:visa )?sponsor(?:ship)?\b|sponsorship (?:is )?available|offers? visa|visa support|relocation and visa|visa and relocation)",
    )
});

static LOCATION_LINE: LazyLock<Option<Regex>> =
    LazyLock::new(|| crate::sections::re(r"(?i)^(?:location|based in|office|where)\s*:\s*(.{2,80})$"));

/// Cuts a line to [`MAX_LINE_CHARS`] at a character boundary.
fn clip(s: &str) -> String {
    match s.char_indices().nth(MAX_LINE_CHARS) {
        Some((i, _)) => format!("{}…", s[..i].trim_end()),
        None => s.to_owned(),
    }
}

fn relevant(l: &Line) -> bool {
    l.section != Section::Boilerplate
}

/// The minimum years of experience asked for: the first "N years" in a requirements line, else
/// the first in any line that also says "experience". Numbers over 30 are not experience asks.
pub(crate) fn years_experience(lines: &[Line]) -> Option<u32> {
    let re = YEARS.as_ref()?;
    let first = |pred: &dyn Fn(&Line) -> bool| {
        lines.iter().filter(|l| pred(l)).find_map(|l| {
            re.captures_iter(&l.text)
                .find_map(|c| c.get(1)?.as_str().parse::<u32>().ok().filter(|y| (1..=30).contains(y)))
        })
    };
    first(&|l| l.section == Section::Required && !l.optional)
        .or_else(|| first(&|l| relevant(l) && l.text.to_lowercase().contains("experience")))
}

/// Lines under a responsibilities heading, bullets when the section has any.
pub(crate) fn responsibilities(lines: &[Line]) -> Vec<String> {
    let section: Vec<&Line> = lines.iter().filter(|l| l.section == Section::Responsibilities).collect();
    let bullets = section.iter().any(|l| l.bullet);
    section.into_iter().filter(|l| l.bullet || !bullets).take(MAX_RESPONSIBILITIES).map(|l| clip(&l.text)).collect()
}

/// Lines naming a degree or diploma.
pub(crate) fn education(lines: &[Line]) -> Vec<String> {
    let Some(re) = DEGREE.as_ref() else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    for l in lines.iter().filter(|l| relevant(l) && re.is_match(&l.text)) {
        let line = clip(&l.text);
        if !out.contains(&line) && out.len() < 3 {
            out.push(line);
        }
    }
    out
}

/// Certifications named outside the boilerplate, in order of first mention.
pub(crate) fn certifications(lines: &[Line]) -> Vec<String> {
    let Some(re) = CERTIFICATION.as_ref() else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    for l in lines.iter().filter(|l| relevant(l)) {
        for c in re.captures_iter(&l.text) {
            if let Some(m) = c.get(1) {
                let name = m.as_str().trim().to_owned();
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
    }
    out
}

/// `Some(false)` when the posting rules sponsorship out (checked first: "we cannot offer visa
/// sponsorship" also contains "offer visa"), `Some(true)` when it offers it.
pub(crate) fn visa_sponsorship(description: &str) -> Option<bool> {
    if NO_SPONSORSHIP.as_ref().is_some_and(|re| re.is_match(description)) {
        return Some(false);
    }
    SPONSORSHIP.as_ref().is_some_and(|re| re.is_match(description)).then_some(true)
}

/// The board's location, else a "Location: ..." line of the (visible) description.
pub(crate) fn location(board_location: &str, description: &str) -> Option<String> {
    let board = board_location.trim();
    if !board.is_empty() {
        return Some(board.to_owned());
    }
    let re = LOCATION_LINE.as_ref()?;
    description
        .lines()
        .filter(|l| !crate::sections::is_injection(l))
        .find_map(|l| re.captures(l.trim())?.get(1).map(|m| m.as_str().trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sections::lines;

    const AD: &str =
        "About the role\nYou will own our ledger.\n\nWhat you'll do\n- Design services\n- Run them on k8s\n\n\
        Requirements\n- 5+ years of backend experience\n- BSc in Computer Science or equivalent\n\
        - AWS Certified Solutions Architect or CKA\n\nBenefits\n- 25 days off and 2 years of free gym\n\
        - A degree of freedom\nLocation: Berlin, Germany";

    #[test]
    fn reads_the_fields() {
        let l = lines(AD);
        assert_eq!(years_experience(&l), Some(5));
        assert_eq!(responsibilities(&l), ["Design services", "Run them on k8s"]);
        assert_eq!(education(&l), ["BSc in Computer Science or equivalent"]);
        assert_eq!(certifications(&l), ["AWS Certified Solutions Architect", "CKA"]);
        assert_eq!(location("", AD).as_deref(), Some("Berlin, Germany"));
        assert_eq!(location(" London ", AD).as_deref(), Some("London"));
        assert_eq!(years_experience(&lines("We were founded 12 years ago.")), None);
        assert_eq!(years_experience(&lines("You bring 3-5 years of experience in SQL.")), Some(3));
    }

    #[test]
    fn sponsorship() {
        assert_eq!(visa_sponsorship("We are unable to offer visa sponsorship for this role."), Some(false));
        assert_eq!(visa_sponsorship("Candidates must have the right to work; no sponsorship."), Some(false));
        assert_eq!(visa_sponsorship("Visa sponsorship is available."), Some(true));
        assert_eq!(visa_sponsorship("We offer relocation and visa support."), Some(true));
        assert_eq!(visa_sponsorship("We build payment rails."), None);
    }
}
