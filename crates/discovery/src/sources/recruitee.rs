//! Recruitee careers-site adapter: `https://{company}.recruitee.com/api/offers/` answers every
//! published offer at once (no pagination).

use super::ats_json as j;
use super::{rebase, HttpClient, Skipped, SourceBatch, SourceError, SourceKind, Validators};
use crate::canonical::JobLocation;
use crate::raw::RawPosting;
use domain::Salary;
use serde_json::{Map, Value};
use url::Url;

const KIND: SourceKind = SourceKind::Recruitee;

/// Offer keys that describe the application form.
const FORM_KEYS: [&str; 5] = ["open_questions", "options_cv", "options_cover_letter", "options_phone", "options_photo"];

/// Parses an offers answer (`{"offers": [...]}`).
pub fn parse(body: &str, id: &str) -> Result<(Vec<RawPosting>, Vec<Skipped>), SourceError> {
    let v = j::parse_body(KIND, body)?;
    match v.get("offers").and_then(Value::as_array) {
        Some(offers) => Ok(j::map_items(offers, |offer| posting(offer, id))),
        None => Err(j::unexpected(KIND, &v, "an object with an `offers` array")),
    }
}

fn posting(offer: &Value, company: &str) -> Result<RawPosting, Skipped> {
    let (source_id, title) = j::id_and_title(offer, "id", "title")?;
    let (salary, salary_text) = salary(offer.get("salary").unwrap_or(&Value::Null));
    Ok(RawPosting {
        source: KIND.as_str().to_owned(),
        source_id,
        company: j::text(offer, "company_name").unwrap_or_else(|| company.to_owned()),
        title,
        location_texts: j::text(offer, "location").into_iter().collect(),
        locations: locations(offer),
        workplace_hint: workplace(offer).map(str::to_owned),
        employment_type: j::text(offer, "employment_type_code"),
        salary,
        salary_text,
        posted_at: j::text(offer, "published_at").or_else(|| j::text(offer, "created_at")),
        closes_at: j::text(offer, "close_at"),
        description_html: description(offer),
        apply_url: j::text(offer, "careers_apply_url"),
        url: j::text(offer, "careers_url"),
        application_questions: form(offer),
        ..RawPosting::default()
    })
}

/// `locations[]` when the offer has them, else its top-level city/state/country.
fn locations(offer: &Value) -> Vec<JobLocation> {
    let part = |v: &Value| {
        let country = j::text(v, "country_code").or_else(|| j::text(v, "country"));
        let region = j::text(v, "state_name").or_else(|| j::text(v, "state"));
        j::location(j::text(v, "city"), region, country)
    };
    let list = offer.get("locations").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let mut out: Vec<JobLocation> = Vec::new();
    for loc in list.iter().filter_map(part) {
        if !out.contains(&loc) {
            out.push(loc);
        }
    }
    if out.is_empty() {
        out.extend(part(offer));
    }
    out
}

/// The three flags as one word; remote plus on-site is a hybrid arrangement.
fn workplace(offer: &Value) -> Option<&'static str> {
    let (remote, hybrid, on_site) = (j::flag(offer, "remote"), j::flag(offer, "hybrid"), j::flag(offer, "on_site"));
    if hybrid || (remote && on_site) {
        Some("hybrid")
    } else if remote {
        Some("remote")
    } else if on_site {
        Some("on_site")
    } else {
        None
    }
}

/// `salary {min, max, period, currency}`, amounts as strings; text when a part is missing.
fn salary(s: &Value) -> (Option<Salary>, Option<String>) {
    let min = j::amount(s.get("min"));
    let max = j::amount(s.get("max"));
    if min.is_none() && max.is_none() {
        return (None, None);
    }
    let currency = j::text(s, "currency");
    let period = j::text(s, "period");
    if let (Some(currency), Some(p)) = (currency.clone(), period.as_deref().and_then(j::period)) {
        return (Some(Salary { min, max, currency, period: p }), None);
    }
    let amounts = [min, max].iter().flatten().map(f64::to_string).collect::<Vec<_>>().join(" – ");
    let text = [Some(amounts), currency, period.map(|p| format!("per {p}"))].into_iter().flatten();
    (None, Some(text.collect::<Vec<_>>().join(" ")))
}

/// The offer's description followed by its separate requirements section.
fn description(offer: &Value) -> Option<String> {
    let parts: Vec<String> = ["description", "requirements"].iter().filter_map(|k| j::body_text(offer, k)).collect();
    (!parts.is_empty()).then(|| parts.join("\n"))
}

fn form(offer: &Value) -> Option<Value> {
    let parts: Map<String, Value> =
        FORM_KEYS.iter().filter_map(|k| offer.get(*k).map(|v| ((*k).to_owned(), v.clone()))).collect();
    (!parts.is_empty()).then_some(Value::Object(parts))
}

pub(crate) async fn fetch(
    client: &dyn HttpClient,
    id: &str,
    base: Option<&Url>,
    validators: &Validators,
) -> Result<SourceBatch, SourceError> {
    let company = j::spec_segment(KIND, id)?;
    // The board lives on the company's own subdomain; `--base-url` still replaces the origin.
    let real = Url::parse(&format!("https://{company}.recruitee.com/api/offers/"))
        .map_err(|e| SourceError::BadSpec(format!("{KIND}: {id:?} is not a usable subdomain ({e})")))?;
    let Some((body, validators)) = j::get_listing(client, rebase(&real, base), validators).await? else {
        return Ok(j::not_modified(validators));
    };
    let (postings, skipped) = parse(&body, id)?;
    Ok(SourceBatch { postings, skipped, validators, not_modified: false })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use domain::SalaryPeriod;

    const OFFERS: &str = include_str!("../../tests/fixtures/recruitee_offers.json");

    #[test]
    fn maps_offers() {
        let (postings, skipped) = parse(OFFERS, "radishlab").unwrap();
        assert_eq!((postings.len(), skipped.len()), (4, 0));
        let p = &postings[0];
        assert_eq!(p.source, "recruitee");
        assert_eq!(p.source_id, "1390320");
        assert_eq!(p.company, "Radish Lab");
        assert_eq!(p.title, "Copywriter Talent Pool");
        assert_eq!(p.location_texts, ["Remote job"]);
        let brooklyn =
            JobLocation { city: Some("BROOKLYN".into()), region: Some("New York".into()), country: Some("US".into()) };
        assert_eq!(p.locations, [brooklyn]);
        assert_eq!(p.workplace_hint.as_deref(), Some("remote"));
        assert_eq!(p.employment_type.as_deref(), Some("contract"));
        assert_eq!((p.salary.as_ref(), p.salary_text.as_ref()), (None, None), "an all-null salary is none");
        assert_eq!(p.posted_at.as_deref(), Some("2023-07-25 17:53:46 UTC"));
        assert_eq!(p.closes_at, None);
        let html = p.description_html.as_deref().unwrap();
        assert!(html.starts_with("<p dir=\"ltr\">Radish Lab, a creative agency"));
        assert!(
            html.contains("<ul><li dir=\"ltr\"><p dir=\"ltr\">Proven experience as a copywriter"),
            "requirements follow"
        );
        assert_eq!(p.url.as_deref(), Some("https://radishlab.recruitee.com/o/copywriter-talen-pool"));
        assert_eq!(p.apply_url.as_deref(), Some("https://radishlab.recruitee.com/o/copywriter-talen-pool/c/new"));
        let form = p.application_questions.as_ref().unwrap();
        assert_eq!(form["open_questions"].as_array().unwrap().len(), 12);
        assert_eq!(form["options_cv"], "required");

        let pm = &postings[1];
        let s = pm.salary.as_ref().unwrap();
        assert_eq!(
            (s.min, s.max, s.currency.as_str(), s.period),
            (Some(52000.0), Some(68000.0), "USD", SalaryPeriod::Year)
        );
        assert_eq!(pm.employment_type.as_deref(), Some("fulltime"));
        assert_eq!(postings[2].locations[0].city.as_deref(), Some("New York"));
    }

    #[test]
    fn flags_and_partial_salaries() {
        let flags = |r: bool, h: bool, o: bool| workplace(&serde_json::json!({"remote": r, "hybrid": h, "on_site": o}));
        assert_eq!(flags(false, false, true), Some("on_site"));
        assert_eq!(flags(true, false, true), Some("hybrid"));
        assert_eq!(flags(false, false, false), None);
        let (s, t) = salary(&serde_json::json!({"min": "30", "max": null, "period": "hour", "currency": null}));
        assert_eq!((s, t.as_deref()), (None, Some("30 per hour")));
    }

    #[test]
    fn unknown_companies_garbage_and_bad_offers() {
        let e = parse(include_str!("../../tests/fixtures/recruitee_error_404.json"), "nope").unwrap_err().to_string();
        assert!(e.starts_with("recruitee response is malformed") && e.contains("Not Found"), "{e}");
        assert!(parse("<html>careers_not_hosted</html>", "x").unwrap_err().to_string().contains("HTML"));
        let mut v: Value = serde_json::from_str(OFFERS).unwrap();
        v["offers"][3].as_object_mut().unwrap().remove("title");
        let (postings, skipped) = parse(&v.to_string(), "radishlab").unwrap();
        assert_eq!((postings.len(), skipped.len()), (3, 1));
        assert_eq!(
            (skipped[0].source_id.as_deref(), skipped[0].reason.as_str()),
            (Some("1333465"), "posting has no title")
        );
    }
}
