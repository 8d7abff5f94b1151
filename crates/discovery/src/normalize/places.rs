//! Place-name tables for location parsing: US states, Canadian provinces, UK nations,
//! countries (names, alpha-2 and alpha-3 codes) and a few major cities whose country is
//! unambiguous. Lookups take a key from [`place_key`].

use std::collections::HashMap;
use std::sync::LazyLock;

#[rustfmt::skip]
pub const US_STATES: [(&str, &str); 52] = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"), ("CA", "California"),
    ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"), ("FL", "Florida"), ("GA", "Georgia"),
    ("HI", "Hawaii"), ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"),
    ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"), ("MD", "Maryland"), ("MA", "Massachusetts"),
    ("MI", "Michigan"), ("MN", "Minnesota"), ("MS", "Mississippi"), ("MO", "Missouri"), ("MT", "Montana"),
    ("NE", "Nebraska"), ("NV", "Nevada"), ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"),
    ("NY", "New York"), ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"),
    ("OR", "Oregon"), ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"),
    ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VT", "Vermont"),
    ("VA", "Virginia"), ("WA", "Washington"), ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
    ("DC", "District of Columbia"), ("PR", "Puerto Rico"),
];

#[rustfmt::skip]
const CA_PROVINCES: [(&str, &str); 13] = [
    ("AB", "Alberta"), ("BC", "British Columbia"), ("MB", "Manitoba"), ("NB", "New Brunswick"),
    ("NL", "Newfoundland and Labrador"), ("NS", "Nova Scotia"), ("NT", "Northwest Territories"), ("NU", "Nunavut"),
    ("ON", "Ontario"), ("PE", "Prince Edward Island"), ("QC", "Quebec"), ("SK", "Saskatchewan"), ("YT", "Yukon"),
];

#[rustfmt::skip]
const UK_NATIONS: [&str; 4] = ["England", "Scotland", "Wales", "Northern Ireland"];

/// alpha-2, alpha-3, then names and common spellings.
#[rustfmt::skip]
const COUNTRIES: &[(&str, &str, &[&str])] = &[
    ("US", "USA", &["united states", "united states of america", "us", "u s", "u s a"]),
    ("GB", "GBR", &["united kingdom", "uk", "u k", "great britain", "britain"]),
    ("CA", "CAN", &["canada"]), ("DE", "DEU", &["germany", "deutschland"]), ("FR", "FRA", &["france"]),
    ("IE", "IRL", &["ireland"]), ("NL", "NLD", &["netherlands", "the netherlands", "holland"]),
    ("BE", "BEL", &["belgium"]), ("LU", "LUX", &["luxembourg"]), ("CH", "CHE", &["switzerland"]),
    ("AT", "AUT", &["austria"]), ("ES", "ESP", &["spain", "espana"]), ("PT", "PRT", &["portugal"]),
    ("IT", "ITA", &["italy", "italia"]), ("GR", "GRC", &["greece"]), ("SE", "SWE", &["sweden"]),
    ("NO", "NOR", &["norway"]), ("DK", "DNK", &["denmark"]), ("FI", "FIN", &["finland"]),
    ("IS", "ISL", &["iceland"]), ("EE", "EST", &["estonia"]), ("LV", "LVA", &["latvia"]),
    ("LT", "LTU", &["lithuania"]), ("PL", "POL", &["poland"]), ("CZ", "CZE", &["czech republic", "czechia"]),
    ("SK", "SVK", &["slovakia"]), ("HU", "HUN", &["hungary"]), ("RO", "ROU", &["romania"]),
    ("BG", "BGR", &["bulgaria"]), ("HR", "HRV", &["croatia"]), ("SI", "SVN", &["slovenia"]),
    ("RS", "SRB", &["serbia"]), ("UA", "UKR", &["ukraine"]), ("TR", "TUR", &["turkey", "turkiye"]),
    ("CY", "CYP", &["cyprus"]), ("MT", "MLT", &["malta"]), ("IL", "ISR", &["israel"]),
    ("AE", "ARE", &["united arab emirates", "uae"]), ("SA", "SAU", &["saudi arabia"]), ("QA", "QAT", &["qatar"]),
    ("EG", "EGY", &["egypt"]), ("MA", "MAR", &["morocco"]), ("NG", "NGA", &["nigeria"]), ("KE", "KEN", &["kenya"]),
    ("ZA", "ZAF", &["south africa"]), ("GH", "GHA", &["ghana"]), ("IN", "IND", &["india"]),
    ("PK", "PAK", &["pakistan"]), ("BD", "BGD", &["bangladesh"]), ("LK", "LKA", &["sri lanka"]),
    ("CN", "CHN", &["china"]), ("HK", "HKG", &["hong kong"]), ("TW", "TWN", &["taiwan"]), ("JP", "JPN", &["japan"]),
    ("KR", "KOR", &["south korea", "korea", "republic of korea"]), ("SG", "SGP", &["singapore"]),
    ("MY", "MYS", &["malaysia"]), ("TH", "THA", &["thailand"]), ("VN", "VNM", &["vietnam", "viet nam"]),
    ("PH", "PHL", &["philippines"]), ("ID", "IDN", &["indonesia"]), ("AU", "AUS", &["australia"]),
    ("NZ", "NZL", &["new zealand"]), ("MX", "MEX", &["mexico"]), ("BR", "BRA", &["brazil", "brasil"]),
    ("AR", "ARG", &["argentina"]), ("CL", "CHL", &["chile"]), ("CO", "COL", &["colombia"]), ("PE", "PER", &["peru"]),
    ("UY", "URY", &["uruguay"]), ("CR", "CRI", &["costa rica"]), ("PA", "PAN", &["panama"]),
    ("EC", "ECU", &["ecuador"]), ("VE", "VEN", &["venezuela"]), ("GT", "GTM", &["guatemala"]),
    ("DO", "DOM", &["dominican republic"]), ("JM", "JAM", &["jamaica"]), ("GE", "GEO", &[]),
    ("AM", "ARM", &["armenia"]), ("RU", "RUS", &["russia", "russian federation"]),
];

/// Major cities a board may name alone, with their region and country; aliases map to the
/// city's usual name.
#[rustfmt::skip]
const CITIES: &[(&str, &str, Option<&str>, &str)] = &[
    ("nyc", "New York", Some("NY"), "US"), ("new york city", "New York", Some("NY"), "US"),
    ("new york", "New York", Some("NY"), "US"), ("sf", "San Francisco", Some("CA"), "US"),
    ("san francisco", "San Francisco", Some("CA"), "US"), ("sf bay area", "San Francisco", Some("CA"), "US"),
    ("los angeles", "Los Angeles", Some("CA"), "US"), ("seattle", "Seattle", Some("WA"), "US"),
    ("boston", "Boston", Some("MA"), "US"), ("chicago", "Chicago", Some("IL"), "US"),
    ("austin", "Austin", Some("TX"), "US"), ("denver", "Denver", Some("CO"), "US"),
    ("washington dc", "Washington", Some("DC"), "US"), ("london", "London", None, "GB"),
    ("manchester", "Manchester", None, "GB"), ("edinburgh", "Edinburgh", None, "GB"),
    ("dublin", "Dublin", None, "IE"), ("berlin", "Berlin", None, "DE"), ("munich", "Munich", None, "DE"),
    ("hamburg", "Hamburg", None, "DE"), ("paris", "Paris", None, "FR"), ("amsterdam", "Amsterdam", None, "NL"),
    ("stockholm", "Stockholm", None, "SE"), ("copenhagen", "Copenhagen", None, "DK"), ("oslo", "Oslo", None, "NO"),
    ("helsinki", "Helsinki", None, "FI"), ("zurich", "Zurich", None, "CH"), ("madrid", "Madrid", None, "ES"),
    ("barcelona", "Barcelona", None, "ES"), ("lisbon", "Lisbon", None, "PT"), ("warsaw", "Warsaw", None, "PL"),
    ("toronto", "Toronto", Some("ON"), "CA"), ("vancouver", "Vancouver", Some("BC"), "CA"),
    ("montreal", "Montreal", Some("QC"), "CA"), ("sydney", "Sydney", None, "AU"),
    ("melbourne", "Melbourne", None, "AU"), ("tokyo", "Tokyo", None, "JP"), ("seoul", "Seoul", None, "KR"),
    ("bangalore", "Bangalore", None, "IN"), ("bengaluru", "Bangalore", None, "IN"),
    ("tel aviv", "Tel Aviv", None, "IL"), ("sao paulo", "São Paulo", None, "BR"),
    ("são paulo", "São Paulo", None, "BR"), ("mexico city", "Mexico City", None, "MX"),
];

/// A place's lookup key: lowercase, dots dropped, other punctuation as spaces, single spaces.
pub fn place_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c == '.' || c == '\'' {
            continue;
        }
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

struct Tables {
    countries: HashMap<String, &'static str>,
    us_states: HashMap<String, &'static str>,
    ca_provinces: HashMap<String, &'static str>,
    cities: HashMap<&'static str, (&'static str, Option<&'static str>, &'static str)>,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let mut countries = HashMap::new();
    for (a2, a3, names) in COUNTRIES {
        countries.insert(a2.to_lowercase(), *a2);
        countries.insert(a3.to_lowercase(), *a2);
        for n in *names {
            countries.insert(place_key(n), *a2);
        }
    }
    let mut us_states = HashMap::new();
    for (code, name) in US_STATES {
        us_states.insert(code.to_lowercase(), code);
        us_states.insert(place_key(name), code);
    }
    let mut ca_provinces = HashMap::new();
    for (code, name) in CA_PROVINCES {
        ca_provinces.insert(code.to_lowercase(), code);
        ca_provinces.insert(place_key(name), code);
    }
    let cities = CITIES.iter().map(|(k, c, r, n)| (*k, (*c, *r, *n))).collect();
    Tables { countries, us_states, ca_provinces, cities }
});

/// The alpha-2 code of a country name or code ("United Kingdom", "UK", "gbr" → `GB`).
pub fn country_code(key: &str) -> Option<&'static str> {
    TABLES.countries.get(key).copied()
}

/// The code of a US state name or code ("California", "ca" → `CA`).
pub fn us_state(key: &str) -> Option<&'static str> {
    TABLES.us_states.get(key).copied()
}

/// The code of a Canadian province name or code.
pub fn ca_province(key: &str) -> Option<&'static str> {
    TABLES.ca_provinces.get(key).copied()
}

/// A UK nation's name ("england" → "England").
pub fn uk_nation(key: &str) -> Option<&'static str> {
    UK_NATIONS.iter().find(|n| place_key(n) == key).copied()
}

/// A major city: its usual name, region and country.
pub fn city(key: &str) -> Option<(&'static str, Option<&'static str>, &'static str)> {
    TABLES.cities.get(key).copied()
}
