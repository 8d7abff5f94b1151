//! Seniority: read from the title when it says, else from the description's experience asks.

use crate::text::{contains_word, tokens};
use domain::Seniority;
use regex::Regex;
use std::sync::LazyLock;

/// "5+ years", "3-5 years", "8 yrs": the lower bound of the experience asked for.
static YEARS: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)\b(\d{1,2})\s*\+?\s*(?:-|–|to)?\s*(?:\d{1,2}\s*)?\+?\s*(?:years?|yrs?)\b").ok());

/// Individual-contributor titles that end in "manager" without managing people.
const IC_MANAGERS: &[&str] = &["product", "project", "program", "programme", "account", "marketing", "community"];

/// Seniority of a posting: title words first (they are the employer's own label), then the
/// description ("internship", "entry-level", years of experience), else [`Seniority::Mid`].
pub fn detect_seniority(title: &str, description: &str) -> Seniority {
    from_title(title).or_else(|| from_description(description)).unwrap_or_default()
}

fn from_title(title: &str) -> Option<Seniority> {
    let t = tokens(title);
    let has = |w: &str| t.iter().any(|x| x == w);
    let phrase = |p: &str| contains_word(title, p);
    if has("intern") || has("internship") || has("trainee") || has("apprentice") || phrase("working student") {
        return Some(Seniority::Intern);
    }
    if has("director") || has("vp") || phrase("vice president") || phrase("head of") || has("chief") || has("cto") {
        return Some(Seniority::Director);
    }
    if has("principal") || has("distinguished") || (has("fellow") && has("engineer")) {
        return Some(Seniority::Principal);
    }
    if has("staff") {
        return Some(Seniority::Staff);
    }
    if has("senior") || has("sr") || has("lead") || has("iii") || has("iv") {
        return Some(Seniority::Senior);
    }
    if let Some(i) = t.iter().position(|x| x == "manager" || x == "management") {
        let ic = i > 0 && t.get(i - 1).is_some_and(|prev| IC_MANAGERS.contains(&prev.as_str()));
        if !ic {
            return Some(Seniority::Manager);
        }
    }
    if has("junior") || has("jr") || has("graduate") || has("associate") || phrase("entry level") || phrase("new grad")
    {
        return Some(Seniority::Junior);
    }
    if has("ii") {
        return Some(Seniority::Mid);
    }
    // A lone "I" ends titles like "Android Engineer I" (the first rung of a ladder).
    if t.last().is_some_and(|x| x == "i") || title.contains(" I -") || title.contains(" I,") {
        return Some(Seniority::Junior);
    }
    None
}

fn from_description(description: &str) -> Option<Seniority> {
    let phrase = |p: &str| contains_word(description, p);
    if phrase("internship") || phrase("intern program") {
        return Some(Seniority::Intern);
    }
    if phrase("entry-level") || phrase("entry level") || phrase("new grad") || phrase("recent graduate") {
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
mod tests {
    use super::*;
    use Seniority::*;

    #[test]
    fn titles() {
        let cases = [
            ("Senior Software Engineer", Senior),
            ("Staff Software Engineer, Product", Staff),
            ("Principal Engineer", Principal),
            ("Director, Performance Marketing", Director),
            ("Head of Finance - (Operations & Cost)", Director),
            ("Engineering Manager", Manager),
            ("Compliance Manager", Manager),
            ("Senior Product Manager", Senior),
            ("Software Engineering Intern", Intern),
            ("Graduate Financial Crime Analyst - Detection Team", Junior),
            ("Android Engineer I - Subscriptions", Junior),
            ("Analytics Engineer II", Mid),
            ("Android Engineer III", Senior),
            ("Country Lead, Data Center Security", Senior),
        ];
        for (title, want) in cases {
            assert_eq!(detect_seniority(title, ""), want, "{title}");
        }
    }

    #[test]
    fn description_fallback() {
        assert_eq!(detect_seniority("Product Manager", "You have 5+ years of product experience."), Senior);
        assert_eq!(detect_seniority("Developer", "2-4 years of experience with APIs"), Mid);
        assert_eq!(detect_seniority("Developer", "An entry-level role."), Junior);
        assert_eq!(detect_seniority("Developer", "Summer internship in our lab."), Intern);
        assert_eq!(detect_seniority("Developer", "Nothing to go on."), Mid);
    }
}
