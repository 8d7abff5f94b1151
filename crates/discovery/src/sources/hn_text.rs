//! Reading a "Who is hiring?" comment: its HN HTML rendered to text (entities decoded, links as
//! their full `href`, since HN shortens the visible text with "..."), and its conventional first
//! line `Company | Role | Location | REMOTE | Full-time | $salary | https://…` split into
//! fields. The text is third-party data: it is only ever classified, never acted on.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use regex::Regex;
use std::cell::{Cell, RefCell};
use std::sync::LazyLock;

/// A comment as text, with every link it holds.
#[derive(Debug, Default)]
pub(super) struct Rendered {
    pub text: String,
    pub hrefs: Vec<String>,
}

#[derive(Default)]
struct TextSink {
    out: RefCell<Rendered>,
    in_link: Cell<bool>,
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        let mut out = self.out.borrow_mut();
        match token {
            Token::TagToken(tag) => match (tag.kind, &*tag.name) {
                (TagKind::StartTag, "a") => {
                    let href = tag.attrs.iter().find(|a| &*a.name.local == "href").map(|a| a.value.trim().to_owned());
                    if let Some(href) = href.filter(|h| !h.is_empty()) {
                        out.text.push_str(&href);
                        out.hrefs.push(href);
                        self.in_link.set(true);
                    }
                }
                (TagKind::EndTag, "a") => self.in_link.set(false),
                (_, "p" | "br" | "div" | "li" | "pre") => out.text.push('\n'),
                _ => {}
            },
            Token::CharacterTokens(t) if !self.in_link.get() => out.text.push_str(&t),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// HN comment HTML as text: `<p>` and `<br>` become line breaks, entities are decoded.
pub(super) fn render(html: &str) -> Rendered {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(TextSink::default(), TokenizerOpts::default());
    // The sink never asks to pause for a script, so one pass consumes everything.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.out.take()
}

/// What the first line says.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Header {
    pub company: String,
    pub title: String,
    pub location_texts: Vec<String>,
    /// "remote", "hybrid", "onsite", or several joined with "/" ("hybrid/remote").
    pub workplace: Option<String>,
    pub remote_regions: Vec<String>,
    pub employment_type: Option<String>,
    pub salary_text: Option<String>,
    pub url: Option<String>,
}

fn re(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

static URL: LazyLock<Option<Regex>> = LazyLock::new(|| re(r"(?i)\bhttps?://\S+|^www\.\S+$"));
static SALARY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(r"(?i)[$€£¥₹]\s*\d|\d\s*k\b|\b(usd|eur|gbp|cad|aud|chf|sek|nok|dkk|pln|inr|salary|compensation|ote)\b")
});
static EMPLOYMENT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(full[\s-]?time|part[\s-]?time|contract(or|-to-hire)?|freelance|internships?|interns?|temporary|permanent|fte)\b",
    )
});
static WORKPLACE: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?i)\b(remote|hybrid|on[\s-]?site|in[\s-]?office|in[\s-]?person)\b"));
static REMOTE_REGION: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?i)\bremote\b\s*(?:\(([^)]*)\)|[-–—:]\s*([^,;()|]+))"));
static ROLE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(engineers?|engineering|developers?|swes?|sres?|devops|programmers?|managers?|designers?|scientists?|analysts?|architects?|lead|leads|head|director|vp|cto|founding|researchers?|specialists?|consultants?|marketers?|operators?|product|recruiters?|writers?|administrators?|technicians?|coordinators?|associates?|executives?|accountants?|counsel|roles?|positions?|staff|senior|junior|principal|ml|ai|data|backend|frontend|fullstack|full-stack|mobile|ios|android|security|support|sales|ops)\b",
    )
});
static NOISE: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?i)\b(visa|sponsor\w*|required|relocation|equity|yoe|years)\b"));
static YC_SUFFIX: LazyLock<Option<Regex>> = LazyLock::new(|| re(r"(?i)\s*\((yc|y combinator)\b[^)]*\)\s*$"));

fn matches(re: &LazyLock<Option<Regex>>, s: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(s))
}

/// Splits the first line into fields: pipes, or else spaced dashes/dots with three or more fields
/// ("Acme – Engineer – Berlin"), since a sentence rarely has two of those.
fn fields(line: &str) -> Option<Vec<&str>> {
    let split = |sep: &str| -> Vec<&str> { line.split(sep).map(str::trim).filter(|f| !f.is_empty()).collect() };
    if line.contains('|') {
        let f = split("|");
        return (f.len() >= 2).then_some(f);
    }
    [" — ", " – ", " · ", " - "].iter().map(|sep| split(sep)).find(|f| f.len() >= 3)
}

/// Reads the first non-empty line of a comment as a job header, or says why it is not one.
pub(super) fn parse_header(text: &str) -> Result<Header, String> {
    let Some(line) = text.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return Err("comment has no text".into());
    };
    let Some(fields) = fields(line) else {
        return Err(format!("first line is not \"Company | Role | …\": {:?}", preview(line)));
    };
    let company = company_name(fields.first().copied().unwrap_or_default());
    if company.is_empty() || company.chars().count() > 80 || company.contains(". ") {
        return Err(format!("no company name at the start of the first line: {:?}", preview(line)));
    }
    let rest = fields.get(1..).unwrap_or_default();
    let plain = |f: &str| !matches(&URL, f) && !matches(&SALARY, f);
    let title_at = rest.iter().position(|f| plain(f) && matches(&ROLE, f)).or_else(|| {
        rest.iter().position(|f| plain(f) && !matches(&WORKPLACE, f) && !matches(&EMPLOYMENT, f) && !matches(&NOISE, f))
    });
    let Some(title_at) = title_at else {
        return Err(format!("no role in the first line: {:?}", preview(line)));
    };
    let mut h =
        Header { company, title: rest.get(title_at).copied().unwrap_or_default().to_owned(), ..Header::default() };
    let mut workplaces: Vec<&'static str> = Vec::new();
    let mut other_seen = false;
    for (i, &f) in rest.iter().enumerate() {
        if i == title_at {
            continue;
        }
        if let Some(m) = URL.as_ref().and_then(|r| r.find(f)) {
            h.url.get_or_insert_with(|| absolute(m.as_str()));
        } else if matches(&SALARY, f) {
            h.salary_text.get_or_insert_with(|| f.to_owned());
        } else if matches(&WORKPLACE, f) {
            workplace_field(f, &mut h, &mut workplaces);
        } else if matches(&EMPLOYMENT, f) {
            h.employment_type.get_or_insert_with(|| f.to_owned());
        } else if !matches(&NOISE, f) && !other_seen {
            // Location conventionally follows the role; later free fields are stacks or perks.
            other_seen = true;
            h.location_texts.push(f.to_owned());
        }
    }
    if !workplaces.is_empty() {
        h.workplace = Some(workplaces.join("/"));
    }
    Ok(h)
}

/// A field naming a workplace ("REMOTE (worldwide)", "Hybrid (Sacramento, CA)", "HYBRID").
fn workplace_field(f: &str, h: &mut Header, workplaces: &mut Vec<&'static str>) {
    if let Some(r) = WORKPLACE.as_ref() {
        for m in r.find_iter(f) {
            let word = match m.as_str().to_lowercase().as_str() {
                "remote" => "remote",
                "hybrid" => "hybrid",
                _ => "onsite",
            };
            if !workplaces.contains(&word) {
                workplaces.push(word);
            }
        }
    }
    if let Some(caps) = REMOTE_REGION.as_ref().and_then(|r| r.captures(f)) {
        let regions = caps.get(1).or_else(|| caps.get(2)).map_or("", |m| m.as_str());
        for region in regions.split([',', '/', ';']).map(str::trim).filter(|r| !r.is_empty()) {
            h.remote_regions.push(region.to_owned());
        }
    }
    if let Some(m) = EMPLOYMENT.as_ref().and_then(|r| r.find(f)) {
        h.employment_type.get_or_insert_with(|| m.as_str().to_owned());
    }
    // "INTERNS , HYBRID/REMOTE, Zurich" mixes a contract word into the place; it is kept above.
    let place = EMPLOYMENT.as_ref().map_or_else(|| f.to_owned(), |r| r.replace_all(f, "").into_owned());
    let place = place.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '/' | '-'));
    // A bare "REMOTE" or "Hybrid/Remote" is only a workplace; anything more is a place as well.
    let residue = WORKPLACE.as_ref().map_or_else(|| place.to_owned(), |r| r.replace_all(place, "").into_owned());
    if residue.chars().any(char::is_alphanumeric) {
        h.location_texts.push(place.to_owned());
    }
}

fn company_name(field: &str) -> String {
    let field = field.trim();
    if let Some(m) = URL.as_ref().and_then(|r| r.find(field)).filter(|m| m.as_str() == field) {
        let url = absolute(m.as_str());
        if let Some(host) = url::Url::parse(&url).ok().and_then(|u| u.host_str().map(str::to_owned)) {
            return host.trim_start_matches("www.").to_owned();
        }
    }
    YC_SUFFIX.as_ref().map_or_else(|| field.to_owned(), |r| r.replace(field, "").trim().to_owned())
}

fn absolute(url: &str) -> String {
    let url = url.trim_end_matches(['.', ',', ')', ';']);
    if url.to_ascii_lowercase().starts_with("http") {
        url.to_owned()
    } else {
        format!("https://{url}")
    }
}

fn preview(line: &str) -> String {
    let mut p: String = line.chars().take(80).collect();
    if p.len() < line.len() {
        p.push('…');
    }
    p
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn renders_hn_html() {
        let r = render(
            "Acme | Eng | <a href=\"https:&#x2F;&#x2F;acme.example&#x2F;jobs&#x2F;1\" rel=\"nofollow\">https:&#x2F;&#x2F;acme.example&#x2F;jo...</a><p>We&#x27;re &amp; <i>hiring</i>.",
        );
        assert_eq!(r.text, "Acme | Eng | https://acme.example/jobs/1\nWe're & hiring.");
        assert_eq!(r.hrefs, ["https://acme.example/jobs/1"]);
    }

    #[test]
    fn reads_the_usual_header() {
        let h = parse_header(
            "Modash.io | Senior Product Engineer | Remote (Europe) | Full-time | €75k–110k | https://modash.io",
        )
        .unwrap();
        assert_eq!(
            h,
            Header {
                company: "Modash.io".into(),
                title: "Senior Product Engineer".into(),
                location_texts: vec!["Remote (Europe)".into()],
                workplace: Some("remote".into()),
                remote_regions: vec!["Europe".into()],
                employment_type: Some("Full-time".into()),
                salary_text: Some("€75k–110k".into()),
                url: Some("https://modash.io".into()),
            }
        );
    }

    #[test]
    fn reads_variants() {
        let h = parse_header("Acme (YC S21) | Berlin, Germany | Staff Engineer | ONSITE | $200k + equity").unwrap();
        assert_eq!(h.company, "Acme");
        assert_eq!(h.title, "Staff Engineer");
        assert_eq!(h.location_texts, ["Berlin, Germany"]);
        assert_eq!(h.workplace.as_deref(), Some("onsite"));
        assert_eq!(h.salary_text.as_deref(), Some("$200k + equity"));

        let h = parse_header("Initech – Backend Developer – Remote - US – www.initech.example").unwrap();
        assert_eq!((h.company.as_str(), h.title.as_str()), ("Initech", "Backend Developer"));
        assert_eq!(h.remote_regions, ["US"]);
        assert_eq!(h.url.as_deref(), Some("https://www.initech.example"));

        let h = parse_header("https://www.globex.example | REMOTE | Hybrid/Remote | SRE | Contract").unwrap();
        assert_eq!(h.company, "globex.example");
        assert_eq!(h.title, "SRE");
        assert_eq!(h.workplace.as_deref(), Some("remote/hybrid"));
        assert!(h.location_texts.is_empty());
        assert_eq!(h.employment_type.as_deref(), Some("Contract"));

        let h = parse_header("Hooli | Gardener | Palo Alto").unwrap();
        assert_eq!(h.title, "Gardener", "with no role word the first free field is the role");
        assert_eq!(h.location_texts, ["Palo Alto"]);
    }

    #[test]
    fn says_why_a_comment_is_not_a_post() {
        let e = parse_header("interesting, sent ya an email.").unwrap_err();
        assert!(e.starts_with("first line is not"), "{e}");
        assert!(parse_header("  \n ").unwrap_err().contains("no text"));
        let e = parse_header("We are a small team. We hire often. | https://x.example").unwrap_err();
        assert!(e.starts_with("no company"), "{e}");
        let e = parse_header("Acme | REMOTE | Full-time | $100k").unwrap_err();
        assert!(e.starts_with("no role"), "{e}");
    }
}
