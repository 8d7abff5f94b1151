//! Locations: free text as boards print it ("San Francisco, CA", "London, United Kingdom",
//! "Remote - US", "Berlin or Remote (EU)", "NYC; SF") into [`JobLocation`]s, the workplace words
//! found along the way, and the regions a remote job accepts.

use super::places::{ca_province, city, country_code, place_key, uk_nation, us_state};
use crate::canonical::JobLocation;

/// What the location texts of one posting say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedLocations {
    pub locations: Vec<JobLocation>,
    /// Regions named next to a remote word ("Remote (EU)" → `Europe`).
    pub remote_regions: Vec<String>,
    pub remote: bool,
    pub hybrid: bool,
    pub onsite: bool,
}

impl ParsedLocations {
    /// Adds one location text (which may list several places).
    pub fn add_text(&mut self, text: &str) {
        for part in split_list(text) {
            self.add_part(part);
        }
    }

    fn add_part(&mut self, part: &str) {
        let key = place_key(part);
        let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
        let has = |w: &str| words.contains(&w);
        let pair = |a: &str, b: &str| words.windows(2).any(|p| p[0] == a && p[1] == b);
        if REMOTE_WORDS.iter().any(|w| has(w)) || pair("work", "from") || pair("home", "based") {
            self.remote = true;
            let mut rests = Vec::new();
            for piece in
                part.split([',', '(', ')', '-', '–', ':', '&']).flat_map(|p| p.split(" and ")).flat_map(split_or)
            {
                let rest: Vec<&str> =
                    piece.split_whitespace().filter(|w| !FILLER.contains(&place_key(w).as_str())).collect();
                if !rest.is_empty() {
                    rests.push(rest.join(" "));
                }
            }
            let mut regions: Vec<String> = rests.iter().filter_map(|r| normalize_region(r)).collect();
            // "Remote, Zurich, Switzerland" names where the remote job is based, not a region it
            // accepts: anything other than countries and world regions is read as a place.
            if !regions.iter().all(|r| is_known_region(r)) {
                if let Some(loc) = parse_place(&rests.join(", ")).filter(|l| l.city.is_some()) {
                    merge_location(&mut self.locations, loc);
                    return;
                }
            }
            if regions.is_empty() && ["anywhere", "worldwide", "global"].iter().any(|w| has(w)) {
                regions.push("Worldwide".to_owned());
            }
            push_regions(&mut self.remote_regions, regions);
            return;
        }
        if has("hybrid") {
            self.hybrid = true;
        }
        if has("onsite") || pair("on", "site") || pair("in", "office") || pair("office", "based") {
            self.onsite = true;
        }
        if let Some(loc) = parse_place(part) {
            merge_location(&mut self.locations, loc);
        }
    }

    /// Adds a location the board gave in parts, tidied the same way as parsed ones.
    pub fn add_structured(&mut self, loc: &JobLocation) {
        if let Some(loc) = normalize_structured(loc) {
            merge_location(&mut self.locations, loc);
        }
    }
}

/// Every location, remote word and region in `text`.
pub fn parse_location(text: &str) -> ParsedLocations {
    let mut p = ParsedLocations::default();
    p.add_text(text);
    p
}

pub(crate) const REMOTE_WORDS: [&str; 6] = ["remote", "anywhere", "worldwide", "telecommute", "wfh", "distributed"];

/// Words around a remote word that are not a region ("Remote-Friendly", "USA Only", "Anywhere in
/// the World", "Remote job", "Remote (EMEA timezones)").
#[rustfmt::skip]
const FILLER: [&str; 42] = [
    "remote", "anywhere", "worldwide", "telecommute", "wfh", "distributed", "friendly", "first", "only", "ok",
    "okay", "possible", "allowed", "job", "jobs", "position", "role", "based", "in", "the", "from", "within",
    "world", "travel", "required", "optional", "flexible", "preferred", "eligible", "work", "home", "fully",
    "100", "hybrid", "global", "timezone", "timezones", "time", "zone", "zones", "hours", "",
];

/// A region [`normalize_region`] recognized: a world region or a country code.
fn is_known_region(r: &str) -> bool {
    REGIONS.contains(&r) || r.len() == 2 && r.bytes().all(|b| b.is_ascii_uppercase())
}

/// Splits a list of places on ";", "|", "/", " or " and line breaks, outside parentheses
/// ("Remote (US or Canada)" is one entry).
fn split_list(text: &str) -> impl Iterator<Item = &str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b';' | b'|' | b'/' | b'\n' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            b' ' if depth == 0 && bytes.get(i..i + 4).is_some_and(|w| w.eq_ignore_ascii_case(b" or ")) => {
                parts.push(&text[start..i]);
                start = i + 4;
                i += 3;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&text[start..]);
    parts.into_iter().map(trim_junk).filter(|p| !p.is_empty())
}

fn split_or(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = find_ascii_ci(rest, " or ") {
        out.push(&rest[..i]);
        rest = &rest[i + 4..];
    }
    out.push(rest);
    out
}

fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Drops emoji flags, bullets and stray punctuation around a place.
fn trim_junk(s: &str) -> &str {
    s.trim_matches(|c: char| !(c.is_alphanumeric() || c == '(' || c == ')'))
}

/// One place: "City", "City, ST", "City, Country", "City, Region, Country", "Country", "State".
fn parse_place(part: &str) -> Option<JobLocation> {
    let split = |s: &str| -> Vec<String> {
        s.split(',')
            .flat_map(|p| p.split(" - "))
            .map(|p| p.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|p| !p.is_empty() && !is_workplace_word(p))
            .map(str::to_owned)
            .collect()
    };
    let mut pieces = split(&strip_parens(part));
    if pieces.is_empty() {
        // "Hybrid (Sacramento, CA)": the place is the parenthetical.
        pieces = split(&part.replace(['(', ')', '[', ']'], ","));
    }
    let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
    let (first, last) = (*pieces.first()?, *pieces.last()?);
    if pieces.len() == 1 {
        return single(first);
    }
    let (fk, lk) = (place_key(first), place_key(last));
    let known_city = city(&fk);
    let mut loc = JobLocation::default();
    let mut last_is_country = false;
    if pieces.len() == 2 && fk.len() > 2 && lk == "ca" && ca_province(&fk).is_some() {
        // "British Columbia, CA" is in Canada: a province is never a US city.
        (loc.region, loc.country) = (ca_province(&fk).map(str::to_owned), Some("CA".to_owned()));
        return Some(loc);
    } else if let Some(st) = us_state(&lk).filter(|_| pieces.len() == 2) {
        // "Berlin, DE" names Germany, not Delaware, when the city is known to be German.
        match (known_city, country_code(&lk)) {
            (Some((_, _, c)), Some(code)) if c == code && c != "US" => {
                loc.country = Some(code.to_owned());
                last_is_country = true;
            }
            _ => (loc.region, loc.country) = (Some(st.to_owned()), Some("US".to_owned())),
        }
    } else if let Some(code) = country_code(&lk) {
        loc.country = Some(code.to_owned());
        last_is_country = true;
    } else if let Some(p) = ca_province(&lk) {
        (loc.region, loc.country) = (Some(p.to_owned()), Some("CA".to_owned()));
    } else if let Some(n) = uk_nation(&lk) {
        (loc.region, loc.country) = (Some(n.to_owned()), Some("GB".to_owned()));
    } else if pieces.len() == 2 {
        loc.region = Some(last.to_owned());
    } else {
        loc.country = Some(last.to_owned());
    }
    if pieces.len() >= 3 && loc.region.is_none() {
        let middle = pieces[1..pieces.len() - 1].join(", ");
        loc.region = Some(region_code(&middle, loc.country.as_deref()));
    }
    // "Ontario, CAN", "California, USA": the first piece is the region, not a city.
    let first_as_region = match loc.country.as_deref().filter(|_| last_is_country) {
        Some("US") => us_state(&fk).filter(|_| known_city.is_none()).map(str::to_owned),
        Some("CA") => ca_province(&fk).map(str::to_owned),
        Some("GB") => uk_nation(&fk).map(str::to_owned),
        _ => None,
    };
    match first_as_region {
        Some(r) if pieces.len() == 2 => loc.region = Some(r),
        _ => set_city(&mut loc, first, known_city),
    }
    Some(loc)
}

fn single(p: &str) -> Option<JobLocation> {
    let k = place_key(p);
    let mut loc = JobLocation::default();
    if normalize_region(p).is_some_and(|r| REGIONS.contains(&r.as_str())) {
        return None;
    }
    if let Some(c) = city(&k) {
        set_city(&mut loc, p, Some(c));
    } else if let Some(code) = country_code(&k) {
        loc.country = Some(code.to_owned());
    } else if let Some(st) = us_state(&k).filter(|_| k.len() > 2) {
        (loc.region, loc.country) = (Some(st.to_owned()), Some("US".to_owned()));
    } else if let Some(pr) = ca_province(&k).filter(|_| k.len() > 2) {
        (loc.region, loc.country) = (Some(pr.to_owned()), Some("CA".to_owned()));
    } else if let Some(n) = uk_nation(&k) {
        (loc.region, loc.country) = (Some(n.to_owned()), Some("GB".to_owned()));
    } else {
        loc.city = Some(p.to_owned());
    }
    Some(loc)
}

/// Region names that are not a place a job is based in.
const REGIONS: [&str; 8] =
    ["Worldwide", "Europe", "EMEA", "APAC", "LATAM", "Americas", "North America", "South America"];

/// Names the city (its usual spelling when it is a known one) and fills the region and country
/// the table knows, unless the text already placed it in another country ("London, Ontario").
fn set_city(loc: &mut JobLocation, name: &str, known: Option<(&str, Option<&str>, &str)>) {
    match known {
        Some((canonical, region, country)) if loc.country.as_deref().is_none_or(|c| c == country) => {
            loc.city = Some(canonical.to_owned());
            loc.country = Some(country.to_owned());
            if loc.region.is_none() {
                loc.region = region.map(str::to_owned);
            }
        }
        _ => loc.city = Some(name.to_owned()),
    }
}

fn region_code(region: &str, country: Option<&str>) -> String {
    let k = place_key(region);
    match country {
        Some("US") => us_state(&k).map(str::to_owned),
        Some("CA") => ca_province(&k).map(str::to_owned),
        _ => None,
    }
    .unwrap_or_else(|| region.to_owned())
}

fn strip_parens(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn is_workplace_word(p: &str) -> bool {
    matches!(place_key(p).as_str(), "hybrid" | "onsite" | "on site" | "in office" | "office based" | "hq")
}

/// A board's structured location, tidied: empty parts dropped, countries as alpha-2 codes, US
/// states and Canadian provinces as their codes. `None` when nothing is left.
pub fn normalize_structured(loc: &JobLocation) -> Option<JobLocation> {
    let clean = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let country = clean(&loc.country).map(|c| country_code(&place_key(&c)).map_or(c, str::to_owned));
    let region = clean(&loc.region).map(|r| region_code(&r, country.as_deref()));
    let mut out = JobLocation { city: None, region, country };
    if let Some(c) = clean(&loc.city) {
        set_city(&mut out, &c, city(&place_key(&c)));
    }
    (out != JobLocation::default()).then_some(out)
}

/// Adds `loc` unless an equal or compatible one is there, in which case missing parts are
/// filled in ("London" and "London, United Kingdom" are one place). A country or region without
/// a city gives way to a city in it (Lever's `country: GB` next to "London").
fn merge_location(locs: &mut Vec<JobLocation>, loc: JobLocation) {
    let same = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => true,
    };
    let within = |l: &JobLocation, loc: &JobLocation| same(&l.country, &loc.country) && same(&l.region, &loc.region);
    if loc.city.is_none() && locs.iter().any(|l| l.city.is_some() && l.country.is_some() && within(l, &loc)) {
        return;
    }
    let found = locs.iter_mut().find(|l| {
        within(l, &loc)
            && match (&l.city, &loc.city) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                (None, None) => true,
                (None, Some(_)) => l.country.is_some(),
                (Some(_), None) => false,
            }
    });
    match found {
        Some(l) => {
            l.city = l.city.take().or(loc.city);
            l.region = l.region.take().or(loc.region);
            l.country = l.country.take().or(loc.country);
        }
        None => locs.push(loc),
    }
}

/// A region a remote job accepts: countries as alpha-2 codes, "EU"/"Europe" as `Europe`,
/// "Anywhere"/"Worldwide"/"Global" as `Worldwide`, others as written. `None` for filler.
pub fn normalize_region(s: &str) -> Option<String> {
    let words: Vec<&str> = s.split_whitespace().filter(|w| !matches!(place_key(w).as_str(), "only" | "")).collect();
    let text = words.join(" ");
    let text = text.trim_matches(|c: char| !c.is_alphanumeric());
    let k = place_key(text);
    if k.is_empty() {
        return None;
    }
    let named = match k.as_str() {
        "worldwide" | "anywhere" | "global" | "anywhere in the world" | "world" | "international" => "Worldwide",
        "eu" | "europe" | "european union" | "european economic area" | "eea" => "Europe",
        "emea" => "EMEA",
        "apac" | "asia pacific" => "APAC",
        "latam" | "latin america" => "LATAM",
        "americas" | "the americas" => "Americas",
        "north america" => "North America",
        "south america" => "South America",
        _ => return Some(country_code(&k).map_or_else(|| text.to_owned(), str::to_owned)),
    };
    Some(named.to_owned())
}

/// Regions from a board's list, each entry possibly itself a list ("Americas, Europe, Israel").
pub fn normalize_regions<'a>(entries: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out = Vec::new();
    for e in entries {
        let parts = e.split([',', ';', '|', '/', '&', '\n']).flat_map(split_or).flat_map(|p| p.split(" and "));
        push_regions(&mut out, parts.filter_map(normalize_region));
    }
    out
}

/// Appends regions not already present (case-insensitively); `Worldwide` makes the others moot
/// only for display, so all are kept in first-seen order.
pub fn push_regions(out: &mut Vec<String>, regions: impl IntoIterator<Item = String>) {
    for r in regions {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&r)) {
            out.push(r);
        }
    }
}
