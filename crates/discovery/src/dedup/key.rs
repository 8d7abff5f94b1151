//! The parts a requisition is identified by: employer, title and location set, each
//! normalized so the same job spelled differently by two boards compares equal.

use crate::canonical::JobLocation;
use crate::normalize::location::REMOTE_WORDS;
use crate::normalize::places::{ca_province, country_code, place_key, us_state};

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

/// Trailing words that name a company's line of business or form rather than the company itself
/// ("Meta Platforms", "Acme Technologies", "Kroo Bank"): brand and company name compare equal
/// without them.
#[rustfmt::skip]
const GENERIC_COMPANY: [&str; 24] = [
    "platforms", "platform", "technologies", "technology", "tech", "labs", "lab", "holdings", "group", "software",
    "systems", "solutions", "services", "international", "global", "worldwide", "digital", "studios", "ventures",
    "enterprises", "industries", "hq", "io", "bank",
];

/// The employer as compared: [`company_key`] without trailing generic words ("Meta Platforms,
/// Inc." → "meta").
pub fn employer_key(company: &str) -> String {
    let key = company_key(company);
    let mut w: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    while w.len() > 1 && GENERIC_COMPANY.contains(&w[w.len() - 1]) {
        w.pop();
    }
    w.join(" ")
}

/// Whether two employer keys name one employer: equal, or one's words begin the other's
/// ("stripe" / "stripe payments europe"). Empty keys match nothing.
pub fn employers_match(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long == short || long.starts_with(short) && long.as_bytes().get(short.len()) == Some(&b' ')
}

/// The first word of an employer key: every employer [`employers_match`] accepts shares it.
pub fn employer_head(key: &str) -> &str {
    key.split(' ').next().unwrap_or_default()
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
        if raw[i] == "all" && raw.get(i + 1).is_some_and(|n| n == "genders" || n == "gender") {
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

/// The words of a title as compared: [`title_key`]'s words, sorted and distinct, without the
/// words of the posting's own location ("Account Executive - London" at "London, UK") and
/// country tags. Word order does not matter ("Backend Engineer" / "Engineer, Backend").
pub fn title_words(title: &str, location: &str) -> Vec<String> {
    let place_words: Vec<String> = place_key(location).split(' ').map(str::to_owned).collect();
    let mut w: Vec<String> = title_key(title)
        .split(' ')
        .filter(|w| !w.is_empty() && !place_words.iter().any(|p| p == w) && !TITLE_PLACE_TAGS.contains(w))
        .map(str::to_owned)
        .collect();
    if w.is_empty() {
        w = title_key(title).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
    }
    w.sort_unstable();
    w.dedup();
    w
}

/// Location tags boards add to titles ("(US)", "- EMEA").
const TITLE_PLACE_TAGS: [&str; 9] = ["us", "usa", "uk", "eu", "emea", "apac", "latam", "amer", "anywhere"];

/// Words that say nothing about which role it is: a title that differs from another only by
/// these may be the same role ("Payments Engineer" / "Software Engineer, Payments").
pub const GENERIC_TITLE_WORDS: [&str; 8] =
    ["software", "position", "role", "job", "opening", "vacancy", "hiring", "new"];

/// Level words: titles that differ in one of these are different requisitions.
pub const LEVEL_WORDS: [&str; 20] = [
    "intern",
    "internship",
    "junior",
    "graduate",
    "entry",
    "associate",
    "mid",
    "senior",
    "staff",
    "principal",
    "lead",
    "head",
    "director",
    "chief",
    "vice",
    "president",
    "i",
    "ii",
    "iii",
    "iv",
];

/// The set of places a posting names, as compared: one entry per place listed, each the
/// words that name the place below state or country level (city, district, street), and the
/// states and countries it names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Places {
    pub places: Vec<Place>,
    pub remote: bool,
}

/// One listed place.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    /// Words below state level, sorted ("new york", "empire state building" → building, empire, new, state, york).
    pub local: Vec<String>,
    /// US state / Canadian province codes and country codes named, lowercase.
    pub areas: Vec<String>,
}

/// City abbreviations boards use.
const CITY_ALIASES: [(&str, &str); 9] = [
    ("nyc", "new york"),
    ("sf", "san francisco"),
    ("sea", "seattle"),
    ("chi", "chicago"),
    ("la", "los angeles"),
    ("dc", "washington"),
    ("atx", "austin"),
    ("bos", "boston"),
    ("ldn", "london"),
];

/// Words that locate nothing ("Remote - US" → remote; "City of", "Area", "Metro").
#[rustfmt::skip]
const PLACE_FILLER: [&str; 41] = [
    "of", "the", "city", "area", "greater", "metro", "metropolitan", "region", "and", "or", "in", "office", "hq",
    "based", "corp", "headquarters", "avenue", "ave", "street", "st", "road", "rd", "building", "floor", "suite",
    "plaza", "tower", "job", "jobs", "world", "only", "friendly", "first", "position", "role", "work", "from",
    "home", "timezone", "timezones", "hours",
];

impl Places {
    pub fn of_text(text: &str) -> Self {
        let mut out = Self::default();
        for part in text.split([';', '•', '|', '\n', '/']).flat_map(split_or_list) {
            let words: Vec<String> = place_key(part).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
            if words.is_empty() {
                continue;
            }
            if words.iter().any(|w| REMOTE_WORDS.contains(&w.as_str())) {
                out.remote = true;
            }
            let place = place_of(&words);
            if (!place.local.is_empty() || !place.areas.is_empty()) && !out.places.contains(&place) {
                out.places.push(place);
            }
        }
        out.merge_areas();
        out
    }

    /// From structured locations (a stored job keeps its whole location text in `city`, which
    /// parses the same) and, for a remote job, the regions it accepts.
    pub fn of_job(locations: &[JobLocation], remote: bool, regions: &[String]) -> Self {
        let mut text: Vec<String> = locations.iter().map(JobLocation::label).collect();
        if remote && !regions.is_empty() {
            text.push(format!("Remote ({})", regions.join(", ")));
        }
        let mut p = Self::of_text(&text.join("; "));
        p.remote |= remote;
        p
    }

    /// "Remote US, SF" lists "US" and "SF" as separate parts; a bare state or country next
    /// to places that name it says nothing more.
    fn merge_areas(&mut self) {
        let located: Vec<Place> = self.places.iter().filter(|p| !p.local.is_empty()).cloned().collect();
        if located.is_empty() {
            return;
        }
        self.places.retain(|p| {
            !p.local.is_empty()
                || !p.areas.iter().all(|a| located.iter().any(|l| l.areas.contains(a) || l.areas.is_empty()))
        });
    }

    fn unknown(&self) -> bool {
        self.places.is_empty() && !self.remote
    }

    /// Whether two postings name the same set of places, however spelled: every place of one
    /// matches a place of the other (the local words of one contain the other's, and the
    /// states or countries named do not disagree), or one says nothing. Remote-only postings
    /// match each other.
    pub fn compatible(&self, other: &Self) -> bool {
        if self.unknown() || other.unknown() {
            return true;
        }
        if self.places.is_empty() || other.places.is_empty() {
            return self.places.is_empty() && other.places.is_empty() || self.coarse() && other.coarse();
        }
        covers(&self.places, &other.places) && covers(&other.places, &self.places)
    }

    /// Only states or countries, no city.
    fn coarse(&self) -> bool {
        self.places.iter().all(|p| p.local.is_empty())
    }
}

/// Splits "Berlin or Remote", "A and B" lists into parts.
fn split_or_list(part: &str) -> Vec<&str> {
    part.split(" or ").flat_map(|p| p.split(" and ")).collect()
}

/// World regions a remote posting names ("Remote - Europe"): areas, not places.
#[rustfmt::skip]
const WORLD_REGIONS: [&str; 16] = [
    "europe", "emea", "apac", "latam", "americas", "america", "asia", "africa", "eu", "oceania", "nordics", "dach",
    "benelux", "mena", "cet", "global",
];

fn place_of(words: &[String]) -> Place {
    let mut local = Vec::new();
    let mut areas = Vec::new();
    let mut i = 0;
    while i < words.len() {
        // Longest known area name first ("united states of america", "new south wales").
        let mut matched = false;
        for len in (1..=4).rev() {
            if i + len > words.len() {
                continue;
            }
            let phrase = words[i..i + len].join(" ");
            // A city that shares its name with a state ("New York", "Washington") counts as a
            // city when nothing else local is named; as an area otherwise (handled below).
            let code = us_state(&phrase)
                .filter(|_| phrase.len() == 2 || len > 1 || !is_city_name(&phrase))
                .or_else(|| ca_province(&phrase).filter(|_| phrase.len() > 2))
                .or_else(|| country_code(&phrase));
            if let Some(code) = code.filter(|_| !(len == 1 && CITY_ALIASES.iter().any(|(a, _)| *a == phrase))) {
                areas.push(code.to_lowercase());
                // "New York" is a state and a city: both, so "New York, NY" and "Manhattan,
                // New York" still share the city.
                if is_city_name(&phrase) {
                    local.extend(words[i..i + len].iter().cloned());
                }
                i += len;
                matched = true;
                break;
            }
        }
        if matched {
            continue;
        }
        let w = words[i].as_str();
        if WORLD_REGIONS.contains(&w) {
            areas.push(w.to_owned());
        } else if let Some((_, city)) = CITY_ALIASES.iter().find(|(a, _)| *a == w) {
            local.extend(city.split(' ').map(str::to_owned));
        } else if !PLACE_FILLER.contains(&w) && !REMOTE_WORDS.contains(&w) && !w.chars().all(|c| c.is_ascii_digit()) {
            local.push(w.to_owned());
        }
        i += 1;
    }
    // "New York, New York" / "Washington, District of Columbia": a state named twice, or the
    // only name given, is the city.
    if local.is_empty() {
        for (name, code) in [("new york", "ny"), ("washington", "dc")] {
            if words.join(" ").contains(name) && areas.contains(&code.to_owned()) {
                local.extend(name.split(' ').map(str::to_owned));
            }
        }
    }
    local.sort();
    local.dedup();
    areas.sort();
    areas.dedup();
    Place { local, areas }
}

fn is_city_name(phrase: &str) -> bool {
    crate::normalize::places::city(phrase).is_some()
}

fn place_matches(a: &Place, b: &Place) -> bool {
    let areas_agree = a.areas.is_empty() || b.areas.is_empty() || a.areas.iter().any(|x| b.areas.contains(x));
    let (short, long) = if a.local.len() <= b.local.len() { (&a.local, &b.local) } else { (&b.local, &a.local) };
    if short.is_empty() {
        return long.is_empty() && areas_agree;
    }
    areas_agree && short.iter().all(|w| long.contains(w))
}

fn covers(a: &[Place], b: &[Place]) -> bool {
    a.iter().all(|x| b.iter().any(|y| place_matches(x, y)))
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
    fn employers() {
        assert_eq!(employer_key("Meta Platforms, Inc."), "meta");
        assert_eq!(employer_key("Kroo Bank Ltd"), "kroo");
        assert_eq!(employer_key("Anthropic, PBC"), "anthropic");
        assert!(employers_match("stripe", "stripe payments europe"));
        assert!(!employers_match("stripe", "stripey"));
        assert!(!employers_match("", ""));
        assert!(!employers_match("general mills", "general motors"));
    }

    #[test]
    fn title_words_ignore_order_and_own_location() {
        assert_eq!(title_words("Software Engineer, Backend", ""), title_words("Backend Software Engineer", ""));
        assert_eq!(title_words("Account Executive - London", "London, UK"), title_words("Account Executive", ""));
        assert_ne!(title_words("Senior Engineer", ""), title_words("Staff Engineer", ""));
    }

    #[test]
    fn places() {
        let p = Places::of_text;
        assert!(p("NYC").compatible(&p("New York, NY, United States")));
        assert!(p("London, UK").compatible(&p("London, England, United Kingdom")));
        assert!(p("Remote - US").compatible(&p("United States (Remote)")));
        assert!(p("Remote - US").compatible(&p("Remote")));
        assert!(p("").compatible(&p("Berlin")));
        assert!(!p("London").compatible(&p("Dublin")));
        assert!(!p("London").compatible(&p("Remote")));
        assert!(!p("New York; London").compatible(&p("New York")));
        assert!(p("San Francisco, CA; New York, NY").compatible(&p("NYC | SF")));
    }
}
