//! RSS 2.0 / Atom job feeds, shaped after We Work Remotely
//! (`https://weworkremotely.com/remote-jobs.rss` and its category feeds): the id is the feed URL,
//! one GET, no pagination. Items are titled "Company: Role"; WWR adds un-namespaced `region`,
//! `country`, `state`, `skills`, `type` and `expires_at` elements that feed-rs does not keep, so
//! those are read from the item's own XML. Terms: link back to WWR (each item's `link`).

use super::ats_json as j;
use super::{rebase, HttpClient, Skipped, SourceBatch, SourceError, SourceKind, Validators};
use crate::raw::RawPosting;
use regex::Regex;
use std::sync::LazyLock;
use url::Url;

const KIND: SourceKind = SourceKind::Rss;

/// Parses one feed body. `id` is the feed URL (it tells a We Work Remotely feed apart).
pub fn parse(body: &str, id: &str) -> Result<(Vec<RawPosting>, Vec<Skipped>), SourceError> {
    let feed = match feed_rs::parser::parse(body.as_bytes()) {
        Ok(feed) => feed,
        Err(first) => {
            // Anything before the XML declaration (a comment, stray whitespace) makes the document
            // invalid XML, though a feed reader would still show it.
            let retry = body.find("<?xml").filter(|&i| i > 0).and_then(|i| body.get(i..));
            retry
                .and_then(|rest| feed_rs::parser::parse(rest.as_bytes()).ok())
                .ok_or_else(|| SourceError::malformed(KIND, format_args!("not an RSS or Atom feed: {first}")))?
        }
    };
    let all_remote = Url::parse(id).ok().and_then(|u| u.host_str().map(is_wwr_host)).unwrap_or(false);
    let extras = item_extras(body);
    let mut postings = Vec::new();
    let mut skipped = Vec::new();
    for (i, entry) in feed.entries.iter().enumerate() {
        let link = entry.links.first().map(|l| l.href.trim().to_owned()).filter(|h| !h.is_empty());
        let extra = extras
            .iter()
            .find(|x| {
                x.guid.as_deref() == Some(entry.id.as_str()) || (link.is_some() && x.link.as_deref() == link.as_deref())
            })
            .or_else(|| (extras.len() == feed.entries.len()).then(|| extras.get(i)).flatten());
        let empty = Extras::default();
        match to_raw(entry, link, extra.unwrap_or(&empty), all_remote) {
            Ok(raw) => postings.push(raw),
            Err(skip) => skipped.push(skip),
        }
    }
    Ok((postings, skipped))
}

/// feed-rs names an RSS `<author>` "author" and keeps its text ("jobs@acme.com (Acme)") as
/// the email; Atom and `dc:creator` authors carry a real name.
fn author_name(person: &feed_rs::model::Person) -> Option<String> {
    let name = person.name.trim();
    let from_email = person.email.as_deref().map(str::trim).and_then(|e| {
        let inner = e.split_once('(').and_then(|(_, rest)| rest.rsplit_once(')')).map(|(n, _)| n.trim());
        inner.or_else(|| (!e.contains('@')).then_some(e)).filter(|n| !n.is_empty())
    });
    match from_email {
        Some(n) if name.is_empty() || name == "author" => Some(n.to_owned()),
        _ => (!name.is_empty() && name != "author").then(|| name.to_owned()),
    }
}

fn is_wwr_host(host: &str) -> bool {
    host == "weworkremotely.com" || host.ends_with(".weworkremotely.com")
}

fn to_raw(
    entry: &feed_rs::model::Entry,
    link: Option<String>,
    x: &Extras,
    all_remote: bool,
) -> Result<RawPosting, Skipped> {
    let source_id = entry.id.trim().to_owned();
    if source_id.is_empty() {
        return Err(Skipped { source_id: None, reason: "item has no guid or link".into() });
    }
    let full_title = entry.title.as_ref().map(|t| t.content.trim().to_owned()).unwrap_or_default();
    if full_title.is_empty() {
        return Err(Skipped { source_id: Some(source_id), reason: "item has no title".into() });
    }
    let (company, title) = match full_title.split_once(": ") {
        Some((company, title)) if !company.trim().is_empty() && !title.trim().is_empty() => {
            (company.trim().to_owned(), title.trim().to_owned())
        }
        _ => {
            let author = entry.authors.iter().find_map(author_name);
            let Some(author) = author else {
                let reason = format!("title {full_title:?} is not \"Company: Role\" and the item names no author");
                return Err(Skipped { source_id: Some(source_id), reason });
            };
            (author, full_title)
        }
    };
    let url = link.or_else(|| source_id.starts_with("http").then(|| source_id.clone()));
    let description = entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()));
    let posted_at = entry.published.or(entry.updated).map(|d| d.to_rfc3339()).or_else(|| x.pub_date.clone());
    Ok(RawPosting {
        source: KIND.as_str().to_owned(),
        source_id,
        company,
        title,
        workplace_hint: (all_remote || x.region.is_some()).then(|| "remote".to_owned()),
        remote_regions: remote_regions(x),
        employment_type: x.kind.clone(),
        posted_at,
        closes_at: x.expires_at.clone(),
        description_html: description.filter(|d| !d.trim().is_empty()),
        apply_url: url.clone(),
        url,
        ..RawPosting::default()
    })
}

/// `region` is WWR's summary ("Anywhere in the World", "USA Only"); `country` lists the
/// accepted countries with flags ("🇺🇸 United States, and 🇨🇦 Canada"). A worldwide region
/// says it all; otherwise the named countries are more precise than the region.
fn remote_regions(x: &Extras) -> Vec<String> {
    let region = x.region.clone();
    let worldwide = region.as_deref().is_some_and(|r| {
        let r = r.to_lowercase();
        r.contains("anywhere") || r.contains("worldwide")
    });
    let countries = x.country.as_deref().map(country_names).unwrap_or_default();
    match region {
        Some(r) if worldwide || countries.is_empty() => vec![r],
        _ => countries,
    }
}

fn country_names(list: &str) -> Vec<String> {
    list.split(',')
        .map(|part| {
            let part: String = part.chars().filter(|c| !('\u{1f1e6}'..='\u{1f1ff}').contains(c)).collect();
            let part = part.trim();
            part.strip_prefix("and ").unwrap_or(part).trim().to_owned()
        })
        // Drops elisions such as "..." and "(many country emojis)" as well as empty parts.
        .filter(|p| p.chars().next().is_some_and(char::is_alphabetic))
        .collect()
}

/// The WWR elements of one `<item>`, as text.
#[derive(Debug, Default)]
struct Extras {
    guid: Option<String>,
    link: Option<String>,
    region: Option<String>,
    country: Option<String>,
    kind: Option<String>,
    expires_at: Option<String>,
    pub_date: Option<String>,
}

static ITEM: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?s)<item(?:\s[^>]*)?>(.*?)</item\s*>").ok());
static FIELD: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let names = "guid|link|region|country|type|expires_at|pubDate";
    Regex::new(&format!(r"(?s)<({names})(?:\s[^>]*)?(?:/>|>(.*?)</(?:{names})\s*>)")).ok()
});

fn item_extras(body: &str) -> Vec<Extras> {
    let (Some(item_re), Some(field_re)) = (ITEM.as_ref(), FIELD.as_ref()) else { return Vec::new() };
    item_re
        .captures_iter(body)
        .map(|item| {
            let mut x = Extras::default();
            let inner = item.get(1).map_or("", |m| m.as_str());
            for field in field_re.captures_iter(inner) {
                let value = field.get(2).map(|m| xml_text(m.as_str())).filter(|v| !v.is_empty());
                let slot = match field.get(1).map_or("", |m| m.as_str()) {
                    "guid" => &mut x.guid,
                    "link" => &mut x.link,
                    "region" => &mut x.region,
                    "country" => &mut x.country,
                    "type" => &mut x.kind,
                    "expires_at" => &mut x.expires_at,
                    _ => &mut x.pub_date,
                };
                if slot.is_none() {
                    *slot = value;
                }
            }
            x
        })
        .collect()
}

/// The text of an XML element's content: CDATA as is, otherwise with entities decoded.
fn xml_text(raw: &str) -> String {
    let raw = raw.trim();
    if let Some(inner) = raw.strip_prefix("<![CDATA[").and_then(|r| r.strip_suffix("]]>")) {
        return inner.trim().to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&end| end <= 10).and_then(|end| {
            let c = match &after[..end] {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                e => e
                    .strip_prefix("#x")
                    .or_else(|| e.strip_prefix("#X"))
                    .map(|h| u32::from_str_radix(h, 16))
                    .or_else(|| e.strip_prefix('#').map(str::parse::<u32>))
                    .and_then(Result::ok)
                    .and_then(char::from_u32),
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.trim().to_owned()
}

pub(crate) async fn fetch(
    client: &dyn HttpClient,
    id: &str,
    base: Option<&Url>,
    validators: &Validators,
) -> Result<SourceBatch, SourceError> {
    let feed_url = Url::parse(id).map_err(|e| SourceError::BadSpec(format!("rss: {id:?} is not a URL ({e})")))?;
    let Some((body, validators)) = j::get_listing(client, rebase(&feed_url, base), validators).await? else {
        return Ok(j::not_modified(validators));
    };
    let (postings, skipped) = parse(&body, id)?;
    Ok(SourceBatch { postings, skipped, validators, not_modified: false })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const FEED_URL: &str = "https://weworkremotely.com/remote-jobs.rss";
    const WWR: &str = include_str!("../../tests/fixtures/weworkremotely_rss.xml");
    const WWR_SHAPE: &str = include_str!("../../tests/fixtures/weworkremotely_rss_documented_item_shape.xml");

    #[test]
    fn parses_the_wwr_fixture() {
        let (postings, skipped) = parse(WWR, FEED_URL).unwrap();
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(postings.len(), 2);
        let p = &postings[0];
        let link = "https://weworkremotely.com/remote-jobs/confluent-senior-product-manager-cluster-linking";
        assert_eq!(p.source, "rss");
        assert_eq!(p.source_id, link);
        assert_eq!(p.company, "Confluent");
        assert_eq!(p.title, "Senior Product Manager, Cluster Linking");
        assert_eq!(p.workplace_hint.as_deref(), Some("remote"));
        assert_eq!(p.remote_regions, ["Anywhere in the World"]);
        assert_eq!(p.posted_at.as_deref(), Some("2026-08-18T20:33:08+00:00"));
        assert_eq!(p.closes_at, None);
        assert_eq!(p.employment_type, None);
        assert_eq!(p.url.as_deref(), Some(link));
        assert_eq!(p.apply_url.as_deref(), Some(link));
        let html = p.description_html.as_deref().unwrap();
        assert!(
            html.trim_start().starts_with("<p>\n  <strong>Headquarters:</strong> Remote, Ontario, Canada"),
            "{html:.80}"
        );
        assert!(html.contains("<strong>To apply:</strong>"));

        let q = &postings[1];
        assert_eq!(q.company, "Supportyourapp");
        assert_eq!(q.title, "(Native Finnish) Customer Support Consultant (Future Openings, remotely)");
        assert_eq!(q.posted_at.as_deref(), Some("2026-08-18T20:32:50+00:00"));
    }

    #[test]
    fn parses_the_documented_item_shape() {
        let (postings, skipped) = parse(WWR_SHAPE, FEED_URL).unwrap();
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(postings.len(), 2);
        let lemon = &postings[0];
        assert_eq!(lemon.company, "Lemon.io");
        assert_eq!(lemon.title, "Senior Angular Full-stack Developer");
        assert_eq!(lemon.employment_type.as_deref(), Some("Full-Time"));
        assert_eq!(lemon.remote_regions, ["Anywhere in the World"]);
        assert_eq!(lemon.closes_at.as_deref(), Some("Thu, 05 Nov 2026 13:25:57 +0000"));
        assert_eq!(lemon.posted_at.as_deref(), Some("2026-10-06T13:25:57+00:00"));
        let stripe = &postings[1];
        assert_eq!(stripe.company, "Stripe");
        assert_eq!(stripe.title, "Account Executive, Existing Business (Central Eastern Europe)");
        assert_eq!(
            stripe.source_id,
            "https://weworkremotely.com/remote-jobs/stripe-account-executive-existing-business-central-eastern-europe"
        );
        assert!(stripe.description_html.as_deref().unwrap().starts_with("<h2><strong>Who we are</strong></h2>"));
    }

    #[test]
    fn country_lists_narrow_a_region() {
        let body = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
            <item><title>Acme &amp; Co: Rust Engineer</title><region>USA Only</region>
            <country>🇺🇸 United States, and 🇨🇦 Canada</country><type><![CDATA[Contract]]></type>
            <guid>https://weworkremotely.com/remote-jobs/acme-rust</guid><link>https://weworkremotely.com/remote-jobs/acme-rust</link></item>
            <item><title>No company here</title><guid>g2</guid></item>
            <item><title>Role only</title><author>jobs@example.com (Example Inc)</author><guid>g3</guid></item>
            </channel></rss>"#;
        let (postings, skipped) = parse(body, "https://example.com/jobs.rss").unwrap();
        assert_eq!(postings.len(), 2, "{skipped:?}");
        assert_eq!(postings[0].company, "Acme & Co");
        assert_eq!(postings[0].remote_regions, ["United States", "Canada"]);
        assert_eq!(postings[0].employment_type.as_deref(), Some("Contract"));
        assert_eq!(postings[0].workplace_hint.as_deref(), Some("remote"), "a region means remote");
        assert_eq!(postings[1].title, "Role only");
        assert_eq!(postings[1].company, "Example Inc");
        assert_eq!(postings[1].workplace_hint, None, "not WWR and no region: unknown");
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].source_id.as_deref(), Some("g2"));
        assert!(skipped[0].reason.contains("Company: Role"), "{}", skipped[0].reason);
    }

    #[test]
    fn reads_atom_feeds() {
        let body = r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
            <title>Jobs</title><id>urn:jobs</id><updated>2026-10-01T00:00:00Z</updated>
            <entry><title>Initech: Platform Engineer</title><id>urn:job:1</id>
            <link href="https://initech.example/jobs/1"/><published>2026-09-30T12:00:00Z</published>
            <updated>2026-10-01T00:00:00Z</updated><content type="html">&lt;p&gt;Build things&lt;/p&gt;</content></entry></feed>"#;
        let (postings, skipped) = parse(body, "https://initech.example/jobs.atom").unwrap();
        assert!(skipped.is_empty());
        assert_eq!(postings.len(), 1);
        assert_eq!(postings[0].source_id, "urn:job:1");
        assert_eq!(postings[0].company, "Initech");
        assert_eq!(postings[0].url.as_deref(), Some("https://initech.example/jobs/1"));
        assert_eq!(postings[0].posted_at.as_deref(), Some("2026-09-30T12:00:00+00:00"));
        assert_eq!(postings[0].description_html.as_deref(), Some("<p>Build things</p>"));
    }

    #[test]
    fn malformed_bodies_are_errors_naming_the_source() {
        for body in ["", "{\"jobs\": []}", "<html><body>Not a feed</body></html>", "<rss><channel><item>"] {
            let err = parse(body, FEED_URL).unwrap_err();
            assert!(err.to_string().starts_with("rss response is malformed"), "{body}: {err}");
        }
    }

    #[test]
    fn decodes_xml_text() {
        assert_eq!(xml_text(" a &amp; b &lt;c&gt; &#39;d&#x27; &bogus; & "), "a & b <c> 'd' &bogus; &");
        assert_eq!(xml_text("<![CDATA[ <b>x</b> ]]>"), "<b>x</b>");
    }
}
