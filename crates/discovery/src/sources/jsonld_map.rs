//! One schema.org `JobPosting` object → a raw posting. schema.org lets almost any property be a
//! string, an object or an array of either, so every read goes through the loose helpers here.

use crate::canonical::JobLocation;
use crate::raw::RawPosting;
use crate::sources::SourceKind;
use domain::{Salary, SalaryPeriod};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use url::Url;

type Object = Map<String, Value>;

/// A value or each element of an array value.
fn list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(v) => vec![v],
    }
}

/// The text of a value: a string, a number, or a thing's `name` (`Country`, `Organization`).
fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => text(o.get("name")).or_else(|| text(o.get("@value"))),
        Value::Array(a) => a.iter().find_map(|x| text(Some(x))),
        _ => None,
    }
}

/// An identifier's value (`PropertyValue.value`) or a plain string/number identifier.
fn identifier(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Object(o) => text(o.get("value")).or_else(|| text(o.get("@id"))),
        Value::Array(a) => a.iter().find_map(|x| identifier(Some(x))),
        other => text(Some(other)),
    }
}

fn number(v: Option<&Value>) -> Option<f64> {
    let n = match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().replace(',', "").parse::<f64>().ok(),
        _ => None,
    }?;
    n.is_finite().then_some(n)
}

/// `url` resolved against the page, since sites often give a path.
fn absolute(page: Option<&Url>, u: &str) -> String {
    page.and_then(|p| p.join(u).ok()).map_or_else(|| u.to_owned(), |u| u.to_string())
}

/// `unitText` words, and the UN/CEFACT codes (`HUR`, `WEE`, `MON`, `ANN`) of `unitCode`.
fn period(unit: &str) -> Option<SalaryPeriod> {
    Some(match unit.trim().to_ascii_uppercase().as_str() {
        "HOUR" | "HOURLY" | "PER_HOUR" | "HUR" => SalaryPeriod::Hour,
        "DAY" | "DAILY" | "PER_DAY" => SalaryPeriod::Day,
        "WEEK" | "WEEKLY" | "PER_WEEK" | "WEE" => SalaryPeriod::Week,
        "MONTH" | "MONTHLY" | "PER_MONTH" | "MON" => SalaryPeriod::Month,
        "YEAR" | "YEARLY" | "ANNUAL" | "ANNUALLY" | "PER_YEAR" | "ANN" => SalaryPeriod::Year,
        _ => return None,
    })
}

/// `baseSalary`: a MonetaryAmount whose `value` is a number or a QuantitativeValue
/// (`value`, or `minValue`/`maxValue`, with `unitText`). Without a currency or a known unit
/// it is kept as text.
fn salary(v: Option<&Value>) -> (Option<Salary>, Option<String>) {
    let Some(Value::Object(amount)) = list(v).into_iter().next() else {
        return (None, text(v));
    };
    let value = amount.get("value");
    let q = match value {
        Some(Value::Object(q)) => Some(q),
        _ => None,
    };
    let single = q.map_or_else(|| number(value), |q| number(q.get("value")));
    let min = q.and_then(|q| number(q.get("minValue"))).or(single);
    let max = q.and_then(|q| number(q.get("maxValue"))).or(single);
    if min.is_none() && max.is_none() {
        return (None, None);
    }
    let unit = ["unitText", "unitCode"]
        .into_iter()
        .find_map(|k| text(q.and_then(|q| q.get(k))).or_else(|| text(amount.get(k))));
    let currency = text(amount.get("currency")).or_else(|| text(q.and_then(|q| q.get("currency"))));
    let known = match unit.as_deref() {
        Some(u) => period(u),
        // Google marks unitText required; a posting without it almost always means a year.
        None => Some(SalaryPeriod::Year),
    };
    match (currency, known) {
        (Some(currency), Some(period)) => (Some(Salary { min, max, currency, period }), None),
        (currency, _) => {
            let range = match (min, max) {
                (Some(a), Some(b)) if a != b => format!("{a}\u{2013}{b}"),
                (a, b) => a.or(b).map(|n| n.to_string()).unwrap_or_default(),
            };
            let parts = [Some(range), currency, unit.map(|u| format!("per {u}"))];
            (None, Some(parts.into_iter().flatten().collect::<Vec<_>>().join(" ")))
        }
    }
}

fn is_telecommute(v: Option<&Value>) -> bool {
    list(v).into_iter().filter_map(|x| text(Some(x))).any(|t| t.eq_ignore_ascii_case("TELECOMMUTE"))
}

/// `jobLocation`: Place(s) whose `address` is a PostalAddress (or a plain string).
fn locations(v: Option<&Value>, raw: &mut RawPosting, telecommute: &mut bool) {
    for place in list(v) {
        let Value::Object(place) = place else {
            raw.location_texts.extend(text(Some(place)));
            continue;
        };
        // Google still accepts TELECOMMUTE as a Place's additionalProperty.
        let props = list(place.get("additionalProperty"));
        if props.into_iter().any(|p| matches!(p, Value::Object(p) if is_telecommute(p.get("value")))) {
            *telecommute = true;
        }
        let mut found = false;
        for address in list(place.get("address")) {
            match address {
                Value::Object(a) => {
                    let loc = JobLocation {
                        city: text(a.get("addressLocality")),
                        region: text(a.get("addressRegion")),
                        country: text(a.get("addressCountry")),
                    };
                    if loc != JobLocation::default() {
                        raw.locations.push(loc);
                        found = true;
                    }
                }
                other => {
                    if let Some(t) = text(Some(other)) {
                        raw.location_texts.push(t);
                        found = true;
                    }
                }
            }
        }
        if !found {
            raw.location_texts.extend(text(place.get("name")));
        }
    }
}

/// Maps one JobPosting found on `page` (the page URL: the posting's link when it gives none).
pub(super) fn to_raw(o: &Object, page: &str) -> RawPosting {
    let page_url = Url::parse(page).ok();
    let title = text(o.get("title")).or_else(|| text(o.get("name"))).unwrap_or_default();
    let company = text(o.get("hiringOrganization")).unwrap_or_default();
    let url = text(o.get("url")).map(|u| absolute(page_url.as_ref(), &u));
    let source_id = identifier(o.get("identifier")).or_else(|| url.clone()).unwrap_or_else(|| {
        let digest = Sha256::digest(format!("{title}\n{company}").as_bytes());
        hex::encode(digest).chars().take(32).collect()
    });
    let mut raw = RawPosting {
        source: SourceKind::JsonLd.as_str().to_owned(),
        source_id,
        company,
        title,
        ..RawPosting::default()
    };
    let mut telecommute = is_telecommute(o.get("jobLocationType"));
    locations(o.get("jobLocation"), &mut raw, &mut telecommute);
    raw.workplace_hint = if telecommute { Some("TELECOMMUTE".into()) } else { text(o.get("jobLocationType")) };
    raw.remote_regions =
        list(o.get("applicantLocationRequirements")).into_iter().filter_map(|r| text(Some(r))).collect();
    raw.employment_type = text(o.get("employmentType"));
    (raw.salary, raw.salary_text) = salary(o.get("baseSalary"));
    raw.posted_at = text(o.get("datePosted"));
    raw.closes_at = text(o.get("validThrough"));
    raw.description_html = match o.get("description") {
        Some(Value::String(d)) if !d.trim().is_empty() => Some(d.clone()),
        _ => None,
    };
    // `directApply: true` says the page itself takes the application, which is the same link.
    let link = url.unwrap_or_else(|| page.to_owned());
    raw.apply_url = Some(link.clone());
    raw.url = Some(link);
    raw
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_salaries() {
        let range = json!({"@type": "MonetaryAmount", "currency": "USD",
            "value": {"@type": "QuantitativeValue", "minValue": 40.0, "maxValue": 50.0, "unitText": "HOUR"}});
        assert_eq!(
            salary(Some(&range)),
            (
                Some(Salary { min: Some(40.0), max: Some(50.0), currency: "USD".into(), period: SalaryPeriod::Hour }),
                None
            )
        );
        let plain = json!({"currency": "EUR", "value": "65,000"});
        let (s, _) = salary(Some(&plain));
        assert_eq!(s.map(|s| (s.min, s.max, s.period)), Some((Some(65000.0), Some(65000.0), SalaryPeriod::Year)));
        let no_currency = json!({"value": {"minValue": 1, "maxValue": 2, "unitText": "MONTH"}});
        assert_eq!(salary(Some(&no_currency)), (None, Some("1\u{2013}2 per MONTH".into())));
        let odd_unit = json!([{"currency": "GBP", "value": {"value": 300, "unitText": "SHIFT"}}]);
        assert_eq!(salary(Some(&odd_unit)), (None, Some("300 GBP per SHIFT".into())));
        assert_eq!(salary(Some(&json!("Competitive"))), (None, Some("Competitive".into())));
        assert_eq!(salary(Some(&json!({"currency": "USD"}))), (None, None));
    }

    #[test]
    fn reads_loose_shapes() {
        let o = json!({"title": "T", "hiringOrganization": "Acme", "identifier": 42,
            "employmentType": ["PART_TIME", "CONTRACTOR"], "url": "/jobs/42",
            "jobLocation": [{"@type": "Place", "address": "Paris, France"},
                            {"@type": "Place", "address": {"addressCountry": {"@type": "Country", "name": "DE"}}},
                            {"@type": "Place", "name": "HQ"},
                            {"@type": "Place", "additionalProperty": {"@type": "PropertyValue", "value": "TELECOMMUTE"}}],
            "applicantLocationRequirements": ["EU", {"@type": "AdministrativeArea", "name": "UK"}]});
        let raw = to_raw(o.as_object().unwrap(), "https://careers.acme.example/open/42?ref=x");
        assert_eq!(raw.source_id, "42");
        assert_eq!(raw.company, "Acme");
        assert_eq!(raw.employment_type.as_deref(), Some("PART_TIME"));
        assert_eq!(raw.url.as_deref(), Some("https://careers.acme.example/jobs/42"));
        assert_eq!(raw.location_texts, ["Paris, France", "HQ"]);
        assert_eq!(raw.locations, [JobLocation { country: Some("DE".into()), ..JobLocation::default() }]);
        assert_eq!(raw.workplace_hint.as_deref(), Some("TELECOMMUTE"));
        assert_eq!(raw.remote_regions, ["EU", "UK"]);
    }

    #[test]
    fn without_identifier_or_url_the_id_is_a_stable_hash() {
        let o = json!({"title": "Welder", "hiringOrganization": {"name": "Forge"}});
        let a = to_raw(o.as_object().unwrap(), "https://forge.example/careers");
        let b = to_raw(o.as_object().unwrap(), "https://forge.example/careers");
        assert_eq!(a.source_id, b.source_id);
        assert_eq!(a.source_id.len(), 32);
        assert_eq!(a.apply_url.as_deref(), Some("https://forge.example/careers"));
        let o = json!({"title": "Welder", "url": "https://forge.example/j/1"});
        assert_eq!(
            to_raw(o.as_object().unwrap(), "https://forge.example/careers").source_id,
            "https://forge.example/j/1"
        );
    }
}
