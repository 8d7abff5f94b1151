//! Tying a reply to the application it answers: [`match_reply`] tries, strongest first, the mail
//! thread (our Message-IDs in `In-Reply-To`/`References`), the sender's domain, the company name
//! together with the role title, and the company name alone when it is unambiguous.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::imap::InboundEmail;

/// An application a reply may answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub application_id: String,
    /// Message-IDs of the emails we sent for it, like `<key@applyflow>`.
    pub message_ids: Vec<String>,
    pub company: String,
    pub title: String,
    /// The employer's domains, e.g. from the apply URL or the recipient address (`acme.com`; a
    /// URL or an address is accepted too). ATS and webmail domains are ignored.
    pub company_domains: Vec<String>,
    /// When the application was sent; an email dated before it never matches it.
    pub applied_at: DateTime<Utc>,
}

/// Which rule tied the email to the application, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The email replies to (or references) a message we sent.
    Thread,
    /// The sender's domain is the employer's.
    SenderDomain,
    /// The company name and the role title both appear.
    CompanyAndRole,
    /// Only the company name appears, and only one application is at that company.
    Company,
}

/// The application an email answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Match {
    pub application_id: String,
    pub by: MatchedBy,
    /// Confidence in 0..=1: 1.0 for a thread match, lower for the weaker rules and for matches
    /// chosen among several candidates.
    pub score: f32,
}

/// Applicant tracking systems and bulk senders: their domain says nothing about the employer.
pub const ATS_DOMAINS: &[&str] = &[
    "greenhouse.io",
    "greenhouse-mail.io",
    "lever.co",
    "hire.lever.co",
    "myworkday.com",
    "workday.com",
    "myworkdayjobs.com",
    "ashbyhq.com",
    "smartrecruiters.com",
    "smartrecruiters-mail.com",
    "icims.com",
    "taleo.net",
    "jobvite.com",
    "bamboohr.com",
    "workable.com",
    "workablemail.com",
    "recruitee.com",
    "teamtailor.com",
    "teamtailor-mail.com",
    "personio.de",
    "personio.com",
    "breezy.hr",
    "jazzhr.com",
    "applytojob.com",
    "successfactors.com",
    "successfactors.eu",
    "sapsf.com",
    "oraclecloud.com",
    "ultipro.com",
    "paylocity.com",
    "adp.com",
    "dayforcehcm.com",
    "pinpointhq.com",
    "rippling.com",
    "gem.com",
    "linkedin.com",
    "indeed.com",
    "indeedemail.com",
    "glassdoor.com",
    "ziprecruiter.com",
    "wellfound.com",
    "angel.co",
    "hired.com",
    "otta.com",
    "welcometothejungle.com",
    "sendgrid.net",
    "mailgun.org",
    "amazonses.com",
    "mandrillapp.com",
];

/// Webmail providers: a recruiter writing from one does not make it the employer's domain.
const WEBMAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "ymail.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "pm.me",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "mail.com",
    "yandex.com",
    "yandex.ru",
    "zoho.com",
    "fastmail.com",
    "hey.com",
    "qq.com",
    "163.com",
];

const LEGAL_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lp",
    "ltd",
    "limited",
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "co",
    "corp",
    "corporation",
    "company",
    "plc",
    "sa",
    "sas",
    "sarl",
    "sl",
    "bv",
    "nv",
    "srl",
    "spa",
    "pty",
    "pte",
    "oy",
    "oyj",
    "ab",
    "as",
    "asa",
    "aps",
    "se",
    "kk",
    "pvt",
    "private",
    "group",
    "holdings",
];

/// Words that say nothing about which role it is.
const TITLE_NOISE: &[&str] = &[
    "a",
    "an",
    "and",
    "the",
    "of",
    "for",
    "in",
    "at",
    "to",
    "with",
    "on",
    "or",
    "remote",
    "hybrid",
    "onsite",
    "on-site",
    "site",
    "office",
    "full",
    "time",
    "fulltime",
    "part",
    "parttime",
    "contract",
    "permanent",
    "temporary",
    "m",
    "f",
    "d",
    "w",
    "x",
    "all",
    "genders",
    "gn",
];

/// Finds the application `email` answers, if any. Rules, strongest first: [`MatchedBy::Thread`],
/// [`MatchedBy::SenderDomain`], [`MatchedBy::CompanyAndRole`], [`MatchedBy::Company`]. Candidates
/// applied to after the email's date are never considered.
pub fn match_reply(email: &InboundEmail, candidates: &[Candidate]) -> Option<Match> {
    let eligible: Vec<&Candidate> =
        candidates.iter().filter(|c| email.date.is_none_or(|date| c.applied_at <= date)).collect();
    if eligible.is_empty() {
        return None;
    }
    by_thread(email, &eligible).or_else(|| {
        let text = Text::of(email);
        by_sender_domain(email, &eligible, &text).or_else(|| by_company(&eligible, &text))
    })
}

fn by_thread(email: &InboundEmail, eligible: &[&Candidate]) -> Option<Match> {
    let direct: HashSet<String> = email.in_reply_to.iter().map(|id| normalize_id(id)).collect();
    let all: HashSet<String> =
        email.references.iter().map(|id| normalize_id(id)).chain(direct.iter().cloned()).collect();
    let refers =
        |c: &&&Candidate, ids: &HashSet<String>| c.message_ids.iter().any(|id| ids.contains(&normalize_id(id)));
    let found = eligible
        .iter()
        .filter(|c| refers(c, &direct))
        .max_by_key(|c| c.applied_at)
        .or_else(|| eligible.iter().filter(|c| refers(c, &all)).max_by_key(|c| c.applied_at))?;
    Some(Match { application_id: found.application_id.clone(), by: MatchedBy::Thread, score: 1.0 })
}

fn by_sender_domain(email: &InboundEmail, eligible: &[&Candidate], text: &Text) -> Option<Match> {
    let sender = email.from_address.rsplit_once('@').map(|(_, d)| clean_domain(d))?;
    if sender.is_empty() || !is_employer_domain(&sender) {
        return None;
    }
    let same: Vec<&Candidate> = eligible
        .iter()
        .copied()
        .filter(|c| {
            c.company_domains
                .iter()
                .map(|d| clean_domain(d))
                .any(|d| is_employer_domain(&d) && same_domain(&sender, &d))
        })
        .collect();
    let (best, role) = pick(&same, text)?;
    let score = match (same.len(), role) {
        (1, _) => 0.9,
        (_, r) if r > 0.0 => 0.85,
        _ => 0.7,
    };
    Some(Match { application_id: best.application_id.clone(), by: MatchedBy::SenderDomain, score })
}

fn by_company(eligible: &[&Candidate], text: &Text) -> Option<Match> {
    let named: Vec<&Candidate> = eligible
        .iter()
        .copied()
        .filter(|c| {
            let company = company_words(&c.company);
            !company.is_empty()
                && (contains_phrase(&text.header_words, &company) || contains_phrase(&text.words, &company))
        })
        .collect();
    let with_role: Vec<&Candidate> =
        named.iter().copied().filter(|c| role_score(&c.title, text) >= 2.0 / 3.0).collect();
    if !with_role.is_empty() {
        let (best, role) = pick(&with_role, text)?;
        let runner_up_ties = with_role
            .iter()
            .filter(|c| c.application_id != best.application_id)
            .any(|c| role_score(&c.title, text) >= role);
        let score = if runner_up_ties { 0.6 } else { 0.75 };
        return Some(Match { application_id: best.application_id.clone(), by: MatchedBy::CompanyAndRole, score });
    }
    match named.as_slice() {
        [only] => Some(Match { application_id: only.application_id.clone(), by: MatchedBy::Company, score: 0.5 }),
        _ => None,
    }
}

/// The candidate whose title best appears in the text, then the latest applied; with its score.
fn pick<'a>(candidates: &[&'a Candidate], text: &Text) -> Option<(&'a Candidate, f32)> {
    candidates
        .iter()
        .map(|c| (*c, role_score(&c.title, text)))
        .max_by(|(a, ra), (b, rb)| ra.total_cmp(rb).then(a.applied_at.cmp(&b.applied_at)))
}

/// The words of the email the rules look in.
struct Text {
    /// Subject and body words (role titles are looked for here).
    words: Vec<String>,
    word_set: HashSet<String>,
    /// Sender display name and subject words.
    header_words: Vec<String>,
}

impl Text {
    fn of(email: &InboundEmail) -> Self {
        let display_name = email.from.split('<').next().unwrap_or_default();
        let mut words = tokens(&email.subject);
        words.push(String::new()); // no phrase runs across the subject/body boundary
        words.extend(tokens(&email.body));
        let mut header_words = tokens(display_name);
        header_words.push(String::new());
        header_words.extend(tokens(&email.subject));
        let word_set = words.iter().filter(|w| !w.is_empty()).cloned().collect();
        Self { words, word_set, header_words }
    }

    fn has_word(&self, word: &str) -> bool {
        self.word_set.contains(word) || self.word_set.contains(&format!("{word}s"))
    }
}

/// The share (0..=1) of the title's main words found in the subject and body.
fn role_score(title: &str, text: &Text) -> f32 {
    let words = title_words(title);
    if words.is_empty() {
        return 0.0;
    }
    let found = words.iter().filter(|w| text.has_word(w)).count();
    found as f32 / words.len() as f32
}

/// The title's main words: parenthesised parts and noise words dropped, duplicates removed.
fn title_words(title: &str) -> Vec<String> {
    let mut depth = 0usize;
    let outside: String = title
        .chars()
        .map(|c| match c {
            '(' | '[' => {
                depth += 1;
                ' '
            }
            ')' | ']' => {
                depth = depth.saturating_sub(1);
                ' '
            }
            _ if depth > 0 => ' ',
            _ => c,
        })
        .collect();
    let mut seen = HashSet::new();
    tokens(&outside).into_iter().filter(|w| !TITLE_NOISE.contains(&w.as_str()) && seen.insert(w.clone())).collect()
}

/// The normalised company name: lowercase words, legal suffixes and a leading "the" dropped.
fn company_words(company: &str) -> Vec<String> {
    let mut words = tokens(&company.replace('.', ""));
    while words.len() > 1 && words.last().is_some_and(|w| LEGAL_SUFFIXES.contains(&w.as_str())) {
        words.pop();
    }
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    words
}

/// Lowercase words; `+` and `#` stay part of a word (C++, C#).
fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '+' || c == '#'))
        .filter(|w| !w.is_empty() && w.chars().any(char::is_alphanumeric))
        .map(str::to_lowercase)
        .collect()
}

fn contains_phrase(words: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase)
}

fn normalize_id(id: &str) -> String {
    id.trim().trim_start_matches('<').trim_end_matches('>').trim().to_lowercase()
}

/// A bare lowercase domain from a domain, an address or a URL.
fn clean_domain(raw: &str) -> String {
    let raw = raw.trim().to_lowercase();
    let raw = raw.split_once("://").map_or(raw.as_str(), |(_, rest)| rest);
    let raw = raw.rsplit_once('@').map_or(raw, |(_, d)| d);
    let host = raw.split(['/', '?', '#', '>']).next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default().trim_end_matches('.');
    host.strip_prefix("www.").unwrap_or(host).to_owned()
}

fn is_employer_domain(domain: &str) -> bool {
    domain.contains('.')
        && !ATS_DOMAINS
            .iter()
            .chain(WEBMAIL_DOMAINS)
            .any(|known| domain == *known || domain.ends_with(&format!(".{known}")))
}

/// `sender` is `domain` or below it, or both share their registrable domain (`mail.acme.com` and
/// `jobs.acme.com`).
fn same_domain(sender: &str, domain: &str) -> bool {
    sender == domain
        || sender.ends_with(&format!(".{domain}"))
        || registrable(sender).is_some_and(|r| Some(r) == registrable(domain))
}

/// The last two labels (three under a two-letter country code's `co.`, `com.` etc.), when the
/// domain has that many.
fn registrable(domain: &str) -> Option<&str> {
    let labels: Vec<&str> = domain.split('.').collect();
    let n = labels.len();
    if n < 2 {
        return None;
    }
    let second_level = matches!(labels[n - 2], "co" | "com" | "org" | "net" | "ac" | "gov" | "edu" | "ne" | "or")
        && labels[n - 1].len() == 2;
    let keep = if second_level { 3 } else { 2 };
    if n < keep {
        return None;
    }
    let start: usize = labels[..n - keep].iter().map(|l| l.len() + 1).sum();
    Some(&domain[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_normalisation() {
        assert_eq!(company_words("Acme, Inc."), vec!["acme"]);
        assert_eq!(company_words("Müller Software GmbH"), vec!["müller", "software"]);
        assert_eq!(company_words("The Widget Co. Ltd"), vec!["widget"]);
        assert_eq!(company_words("Inc"), vec!["inc"]);
    }

    #[test]
    fn domains() {
        assert_eq!(clean_domain("https://www.Acme.com/careers?x=1"), "acme.com");
        assert_eq!(clean_domain("jobs@acme.com"), "acme.com");
        assert!(same_domain("mail.acme.com", "acme.com"));
        assert!(same_domain("mail.acme.com", "jobs.acme.com"));
        assert!(!same_domain("acme.co.uk", "other.co.uk"));
        assert!(!same_domain("notacme.com", "acme.com"));
        assert_eq!(registrable("a.b.acme.co.uk"), Some("acme.co.uk"));
        assert!(!is_employer_domain("us.greenhouse-mail.io"));
        assert!(!is_employer_domain("gmail.com"));
        assert!(is_employer_domain("acme.com"));
    }

    #[test]
    fn title_main_words() {
        assert_eq!(title_words("Senior Backend Engineer (Remote, m/f/d)"), vec!["senior", "backend", "engineer"]);
        assert_eq!(title_words("C++ Developer - Full Time"), vec!["c++", "developer"]);
    }
}
