//! The parts of the dedup key: company, title and primary location, each normalized so the
//! same job spelled differently by two boards gets the same key.

use crate::canonical::JobLocation;
use crate::normalize::ParsedLocations;

/// Legal-form words dropped from the end of a company name ("Acme, Inc.", "Kroo Bank Ltd").
#[rustfmt::skip]
const LEGAL_SUFFIXES: [&str; 31] = [
    "inc", "incorporated", "llc", "ltd", "limited", "gmbh", "ag", "sa", "sas", "sarl", "bv", "nv", "plc", "corp",
    "corporation", "co", "company", "pty", "oy", "ab", "as", "srl", "spa", "kk", "lp", "llp", "se", "ug", "pbc",
    "pte", "gmbhco",
];

/// Lowercase words of `s`: dots and apostrophes vanish ("S.A." → "sa", "O'Neil" → "oneil"), any
/// other non-alphanumeric character separates words.
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if !matches!(c, '.' | '\'' | '’') && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// "Acme, Inc." and "ACME" → "acme"; a leading "The" and trailing legal forms are dropped.
pub fn company_key(company: &str) -> String {
    let mut w = words(company);
    while w.len() > 1 && LEGAL_SUFFIXES.contains(&w[w.len() - 1].as_str()) {
        w.pop();
    }
    if w.len() > 1 && w[0] == "the" {
        w.remove(0);
    }
    w.join(" ")
}

/// One abbreviation's expansion; multi-word expansions are split into words.
fn expand(word: &str) -> &str {
    match word {
        "sr" | "snr" => "senior",
        "jr" | "jnr" => "junior",
        "eng" | "engr" | "engineers" => "engineer",
        "dev" | "devs" | "developers" => "developer",
        "mgr" | "manager" => "manager",
        "swe" => "software engineer",
        "assoc" => "associate",
        "admin" => "administrator",
        "ops" => "operations",
        "mktg" => "marketing",
        "exec" => "executive",
        "vp" => "vice president",
        "svp" => "senior vice president",
        "ml" => "machine learning",
        "infra" => "infrastructure",
        "sys" => "systems",
        "specialists" => "specialist",
        "1" => "i",
        "2" => "ii",
        "3" => "iii",
        "4" => "iv",
        other => other,
    }
}

/// Words written apart or together by different boards ("Full Stack" / "FullStack").
const COMPOUNDS: [(&str, &str, &str); 5] = [
    ("full", "stack", "fullstack"),
    ("front", "end", "frontend"),
    ("back", "end", "backend"),
    ("dev", "ops", "devops"),
    ("data", "base", "database"),
];

/// Words that say how or where, not what the job is ("(Remote)", "and").
const NOISE: [&str; 5] = ["remote", "hybrid", "onsite", "and", "the"];

/// Gender tags ("(m/f/d)", "(w/m/d)"): runs of two or more of these single letters.
const GENDER: [&str; 6] = ["m", "w", "f", "d", "x", "h"];

/// "Sr. Full-Stack Eng (Remote)" → "senior fullstack engineer".
pub fn title_key(title: &str) -> String {
    let raw = words(title);
    let mut w: Vec<&str> = Vec::with_capacity(raw.len() + 2);
    let mut i = 0;
    while i < raw.len() {
        if let Some((_, _, joined)) =
            COMPOUNDS.iter().find(|(a, b, _)| raw[i] == *a && raw.get(i + 1).is_some_and(|n| n == b))
        {
            w.push(joined);
            i += 2;
            continue;
        }
        let gender_run = raw[i..].iter().take_while(|t| GENDER.contains(&t.as_str())).count();
        if gender_run >= 2 {
            i += gender_run;
            continue;
        }
        let word = expand(&raw[i]);
        if !NOISE.contains(&word) {
            w.extend(word.split(' '));
        }
        i += 1;
    }
    w.join(" ")
}

/// The primary location: its city, else its region and country, else "remote" for a remote
/// job, else empty (unknown).
pub fn location_key(primary: Option<&JobLocation>, remote: bool) -> String {
    let part = |s: &Option<String>| s.as_deref().map(|s| words(s).join(" ")).unwrap_or_default();
    match primary {
        Some(l) if l.city.is_some() => part(&l.city),
        Some(l) => [part(&l.region), part(&l.country)].join(" ").trim().to_owned(),
        None if remote => "remote".to_owned(),
        None => String::new(),
    }
}

/// [`location_key`] of a free-text location.
pub fn text_location_key(text: &str) -> String {
    let p: ParsedLocations = crate::normalize::parse_location(text);
    location_key(p.locations.first(), p.remote)
}

/// Whether two postings could be in the same place: the same key, or one of them unknown or
/// remote (a remote board's copy of an office job says only "Remote").
pub fn locations_compatible(a: &str, b: &str) -> bool {
    a == b || a.is_empty() || b.is_empty() || a == "remote" || b == "remote"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn companies() {
        for (a, b) in [
            ("Acme, Inc.", "acme"),
            ("Kroo Bank Ltd", "kroo bank"),
            ("Gousto", "gousto"),
            ("The Obesity Society", "obesity society"),
            ("Siemens AG", "siemens"),
            ("Acme S.A.", "acme"),
            ("Match Group, LLC", "match group"),
            ("Company", "company"),
        ] {
            assert_eq!(company_key(a), b, "{a}");
        }
    }

    #[test]
    fn titles() {
        for (a, b) in [
            ("Sr. Full-Stack Eng (Remote)", "senior fullstack engineer"),
            (
                "Senior FullStack Software Engineer - React / Node / TypeScript",
                "senior fullstack software engineer react node typescript",
            ),
            ("Senior Risk & Data Protection Analyst", "senior risk data protection analyst"),
            ("Software Engineer 2", "software engineer ii"),
            ("Backend Dev (m/w/d)", "backend developer"),
            ("SWE, Infra", "software engineer infrastructure"),
        ] {
            assert_eq!(title_key(a), b, "{a}");
        }
    }

    #[test]
    fn locations() {
        assert_eq!(text_location_key("London, United Kingdom"), "london");
        assert_eq!(text_location_key("London"), "london");
        assert_eq!(text_location_key("Remote - US"), "remote");
        assert_eq!(text_location_key("USA"), "us");
        assert_eq!(text_location_key(""), "");
        assert!(locations_compatible("london", "remote") && !locations_compatible("london", "dublin"));
    }
}
