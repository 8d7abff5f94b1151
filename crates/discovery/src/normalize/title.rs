//! Titles: tidied for display, and the seniority they (or the description) state.

use super::html::decode_entities;
use domain::Seniority;
use regex::Regex;
use std::sync::LazyLock;

/// A title as shown: entities decoded, whitespace collapsed, trimmed.
pub fn clean_title(raw: &str) -> String {
    let decoded = if raw.contains('&') { decode_entities(raw) } else { raw.to_owned() };
    collapse_whitespace(&decoded)
}

/// Single spaces between words, none at either end.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// "5+ years of experience", "3-5 years of relevant experience": the lower bound asked for.
/// ASCII word boundaries keep the regex engine on its fast path for non-ASCII text.
static YEARS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(\d{1,2})\s*\+?\s*(?:-|–|to)?\s*(?:\d{1,2}\s*)?\+?\s*(?:years?|yrs?)(?-u:\b)(?:\s+of)?\s+(?:[a-z-]+\s+){0,3}?experience").ok()
});

/// Description phrases that state a level outright.
static LEVEL_PHRASES: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(internship|intern program|entry-level|entry level|new grad|recent graduate)(?-u:\b)").ok()
});

/// Individual-contributor titles that end in "manager" without managing people.
const IC_MANAGERS: &[&str] = &["product", "project", "program", "programme", "account", "marketing", "community"];

/// The seniority a posting states: title words first (the employer's own label), then the
/// description ("internship", "entry-level", years of experience), else `None`.
pub fn seniority(title: &str, description: &str) -> Option<Seniority> {
    from_title(title).or_else(|| from_description(description))
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

fn from_title(title: &str) -> Option<Seniority> {
    let t = words(title);
    let has = |w: &str| t.iter().any(|x| x == w);
    let pair = |a: &str, b: &str| t.windows(2).any(|p| p[0] == a && p[1] == b);
    if has("intern") || has("internship") || has("trainee") || has("apprentice") || pair("working", "student") {
        return Some(Seniority::Intern);
    }
    if has("director") || has("vp") || pair("vice", "president") || pair("head", "of") || has("chief") || has("cto") {
        return Some(Seniority::Director);
    }
    if has("principal") || has("distinguished") || (has("fellow") && has("engineer")) {
        return Some(Seniority::Principal);
    }
    if has("staff") {
        return Some(Seniority::Staff);
    }
    if has("senior") || has("sr") || has("snr") || has("lead") || has("iii") || has("iv") {
        return Some(Seniority::Senior);
    }
    if let Some(i) = t.iter().position(|x| x == "manager" || x == "management") {
        let ic = i > 0 && t.get(i - 1).is_some_and(|prev| IC_MANAGERS.contains(&prev.as_str()));
        if !ic {
            return Some(Seniority::Manager);
        }
    }
    if has("junior")
        || has("jr")
        || has("graduate")
        || has("associate")
        || pair("entry", "level")
        || pair("new", "grad")
    {
        return Some(Seniority::Junior);
    }
    if has("ii") || has("mid") {
        return Some(Seniority::Mid);
    }
    // A lone "I" ends titles like "Android Engineer I" (the first rung of a ladder).
    if t.last().is_some_and(|x| x == "i") || title.contains(" I -") || title.contains(" I,") {
        return Some(Seniority::Junior);
    }
    None
}

fn from_description(description: &str) -> Option<Seniority> {
    let phrases = LEVEL_PHRASES.as_ref()?;
    let mut junior = false;
    for m in phrases.find_iter(description) {
        let p = m.as_str().to_ascii_lowercase();
        if p.starts_with("intern") {
            return Some(Seniority::Intern);
        }
        junior = true;
    }
    if junior {
        return Some(Seniority::Junior);
    }
    let years = YEARS.as_ref()?.captures(description)?.get(1)?.as_str().parse::<u32>().ok()?;
    Some(match years {
        0..=1 => Seniority::Junior,
        2..=4 => Seniority::Mid,
        _ => Seniority::Senior,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use Seniority::*;

    #[test]
    fn titles() {
        assert_eq!(clean_title("  Senior\tRust   Engineer \n"), "Senior Rust Engineer");
        assert_eq!(clean_title("R&amp;D Engineer"), "R&D Engineer");
        let cases = [
            ("Sr. Backend Engineer", Some(Senior)),
            ("Staff Software Engineer, Product (Belo Horizonte)", Some(Staff)),
            ("Android Engineer I - Subscriptions", Some(Junior)),
            ("Android Engineer III", Some(Senior)),
            ("Analytics Engineer II", Some(Mid)),
            ("Director, Performance Marketing", Some(Director)),
            ("Head of Finance - (Operations & Cost)", Some(Director)),
            ("Engineering Manager, Platform", Some(Manager)),
            ("Senior Product Manager", Some(Senior)),
            ("Product Manager", None),
            ("Software Engineering Intern", Some(Intern)),
            ("Graduate Financial Crime Analyst", Some(Junior)),
            ("Principal Engineer", Some(Principal)),
        ];
        for (t, want) in cases {
            assert_eq!(seniority(t, ""), want, "{t}");
        }
    }

    #[test]
    fn description_fallback() {
        assert_eq!(seniority("Engineer", "You have 7+ years of professional experience."), Some(Senior));
        assert_eq!(seniority("Engineer", "3-5 years of relevant experience"), Some(Mid));
        assert_eq!(seniority("Engineer", "This is an entry-level role."), Some(Junior));
        assert_eq!(seniority("Engineer", "We are 10 years old."), None);
        assert_eq!(seniority("Senior Engineer", "This is an entry-level role."), Some(Senior));
    }
}
