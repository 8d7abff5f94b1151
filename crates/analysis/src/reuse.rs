//! When a cached `analyze_job` answer may serve another posting: [`PostingReuse`], the
//! semantic cache's rule for this task.
//!
//! An analysis is reusable only when it is exactly right for the new posting: same role and
//! level, same skills and years, same responsibilities, same place, work model, employment
//! type and pay. What may differ is how the posting is dressed: formatting (HTML or text,
//! bullets, numbering, heading case, blank lines, wrapping), paragraph order, posting dates and
//! requisition ids, apply footers, a few typos, and company boilerplate (blurb, benefits,
//! equal-opportunity and agency notices — reworded, removed or translated).
//!
//! So the digest of a posting is its **content**: every word of every line that is not
//! boilerplate, lowercased, with list markers, dates and ids removed, each tagged with the kind
//! of section it sits in (required, nice-to-have, other) so that a skill moved from one to the
//! other changes it. Boilerplate is what sits under a boilerplate heading ("Benefits", "About
//! us", "Equal opportunity"…) or reads as such on its own (an EEO or agency sentence, an apply
//! footer, a date or id line, a line in another language, a company blurb in the intro). A
//! line that mentions pay is content wherever it sits.
//!
//! Two digests give the same answer when their content words are the same multiset, except for
//! up to a few typo pairs (one edit apart, four letters or more, neither a number nor a skill
//! name) and two stray short function words. Any other difference — a technology, a number,
//! a city, a level word, a work-model word, a responsibility — refuses the reuse.

use crate::sections::{self, Section};
use discovery::dedup::one_edit_apart;
use llm::cache::{InputDigest, ReuseRule, SemanticTask};
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Cosine between two postings' content at which the rule is asked. Candidates only: the
/// rule decides, so this is set low enough that a true repost (same content, different
/// dressing) is always a candidate.
pub const REUSE_CANDIDATE_THRESHOLD: f32 = 0.85;

/// The `analyze_job` semantic layer: [`PostingReuse`] behind [`REUSE_CANDIDATE_THRESHOLD`].
pub fn analyze_job_semantic() -> SemanticTask {
    SemanticTask::new(REUSE_CANDIDATE_THRESHOLD, PostingReuse)
}

/// The cache configuration every composition root uses: the defaults, with the `analyze_job`
/// semantic layer.
pub fn cache_config() -> llm::cache::CacheConfig {
    llm::cache::CacheConfig::default().with_semantic(crate::task::ANALYZE_JOB, analyze_job_semantic())
}

/// The semantic cache's reuse rule for `analyze_job` (module docs).
#[derive(Debug, Clone, Copy, Default)]
pub struct PostingReuse;

impl ReuseRule for PostingReuse {
    fn digest(&self, input: &str) -> InputDigest {
        let tokens = content_tokens(crate::task::posting_of(input));
        let text = tokens.iter().map(|(_, w)| w.as_str()).collect::<Vec<_>>().join(" ");
        let facts = tokens.iter().map(|(tag, w)| format!("{tag}:{w}")).collect::<Vec<_>>().join(" ");
        InputDigest { text, facts }
    }

    fn same_answer(&self, stored: &str, query: &str) -> bool {
        stored == query || contents_agree(stored, query)
    }
}

/// Word boundaries are ASCII ones: the Unicode kind is several times slower on real text, and
/// every word these patterns look for is ASCII.
fn re(pattern: &str) -> Option<Regex> {
    Regex::new(&pattern.replace(r"\b", r"(?-u:\b)")).ok()
}

fn is_match(re: &LazyLock<Option<Regex>>, text: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(text))
}

/// Sentences that are boilerplate wherever they appear.
static BOILERPLATE_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)equal (?:employment )?opportunit|\beeoc?\b|\beoe\b|without regard to|regardless of (?:race|age|gender|sex|religion|their)|race,? colou?r|reasonable accommodation|affirmative action|protected (?:veteran|characteristic|class|status)|e-verify|recruit(?:ment|ing)? agenc|unsolicited (?:resume|cv|candidate)|headhunter|third[- ]party recruit|privacy (?:notice|policy)|applicant privacy|diverse (?:team|workforce|candidates)|we celebrate diversity|all qualified applicants",
    )
});

/// Pay: a line saying it is content wherever it sits.
static PAY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)[$€£¥₹]\s?\d|\d\s?(?:k|K)\b|\b(?:usd|eur|gbp|cad|aud|chf|sek|inr)\b|\b(?:salary|compensation|pay|rate|ote|wage)\b.*\d|\d.*\b(?:per (?:hour|year|annum|month)|hourly|an hour|a year)\b",
    )
});

/// Benefits and perks named on their own, outside a benefits section.
static PERKS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:health(?:care)?,? (?:dental|insurance|benefits)|dental|vision insurance|401\(?k\)?|paid time off|\bpto\b|parental leave|wellness|stipend|pension|life insurance|medical,|perks|generous (?:vacation|leave|holiday)|unlimited (?:vacation|pto)|employee assistance|commuter)",
    )
});

/// Apply footers: how to apply, not what the job is.
static APPLY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\bappl(?:y|ication|ying)\b.*\b(?:click|button|upload|submit|link|https?://|www\.|send|e-?mail|form|portal)|^(?:ready to apply|interested in (?:this|the) (?:role|position|job))|^(?:to apply|how to apply|apply (?:now|today|here|at|via|online|through|by|on)|click (?:here|apply|the)|please apply|interested\??\s|send (?:your|us|a) (?:cv|resume|résumé|application))|\bapply (?:at|via|here|now|today|online)\b.*(?:https?://|www\.|@)|^https?://\S+$|^www\.\S+$",
    )
});

/// Footers job boards add to every posting (RemoteOK's anti-spam word).
static BOARD_FOOTER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(r"(?i)mention the word|avoid spam applicants|beta feature to avoid|read the job post completely")
});

/// Date and id lines ("Posted: 2024-05-01", "Req ID: R-1234", "Job #4567").
static DATE_OR_ID_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)^(?:date posted|posted(?: on)?|posting date|publication date|published(?: on)?|last updated|updated(?: on)?|closing date|close date|apply by|start date|job id|job number|job no|job code|job ref(?:erence)?|job #|req(?:uisition)?(?: id| number| no| #)?|reference(?: number| code| no)?|ref(?: no)?|posting id|vacancy (?:id|number|ref))\b[\s.:#-]*\S",
    )
});

/// Dates and ids inside a line.
static DATE_OR_ID: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b\d{4}-\d{1,2}-\d{1,2}(?:[t ]\d{1,2}:\d{2}(?::\d{2})?z?)?\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}\b|\b(?:req(?:uisition)?|job)\s*(?:id|#|no\.?|number|code)\s*[:#]?\s*[a-z0-9-]*\d[a-z0-9-]*|\(?\b(?:r|jr|req|job|id)[-_#]?\d{3,}\b\)?|#\d{3,}\b",
    )
});

/// List markers at the start of a line ("- ", "• ", "1. ", "a) ").
static LIST_MARKER: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"^(?:[-*•·–—▪◦●○■□➢➤►✓✔→>]+|\d{1,2}[.)]|[a-zA-Z][.)]|\(\d{1,2}\)|\([a-zA-Z]\))\s+"));

/// Words of other languages than English: a line mostly of these is a translated notice.
#[rustfmt::skip]
const FOREIGN: [&str; 76] = [
    "und", "der", "die", "das", "wir", "sie", "ist", "mit", "für", "ein", "eine", "nicht", "auf", "bei", "unsere",
    "von", "zu", "den", "dem", "im", "keine", "ohne", "oder", "werden", "wird", "nous", "ne", "pas", "et", "vos", "leur",
    "les", "des", "est", "une", "nous", "vous", "pour", "avec", "dans", "sur", "sont", "aux", "notre", "nos", "votre",
    "los", "las", "del", "una", "para", "con", "por", "somos", "nuestro", "nuestra", "sus", "como", "más", "todos",
    "het", "een", "zijn", "wij", "voor", "niet", "il", "che", "della", "sono", "siamo", "nostra", "nella", "dos", "uma", "não",
];

#[rustfmt::skip]
const ENGLISH: [&str; 30] = [
    "the", "and", "of", "to", "in", "for", "with", "you", "we", "our", "your", "is", "are", "on", "a", "an", "as",
    "be", "will", "this", "that", "at", "by", "or", "from", "have", "who", "what", "all", "it",
];

/// Short function words a typo fix may add or drop ("the the" → "the").
const STRAY: [&str; 12] = ["a", "an", "the", "and", "or", "of", "to", "in", "for", "with", "on", "at"];

/// Second-person words: a line addressing the candidate is about the job, not the company.
const YOU: [&str; 5] = ["you", "your", "you'll", "you're", "yours"];
const WE: [&str; 6] = ["we", "our", "us", "we're", "we've", "ours"];

/// Whether a line is in another language than English (a translated notice): it has foreign
/// function words and no English ones, or far more of the former.
fn foreign(words: &[String]) -> bool {
    if words.len() < 5 {
        return false;
    }
    let count = |set: &HashSet<&str>| words.iter().filter(|w| set.contains(w.as_str())).count();
    let (foreign, english) = (count(&FOREIGN_SET), count(&ENGLISH_SET));
    foreign >= 2 && english == 0 || foreign >= 3 && foreign > 2 * english
}

/// Lowercase words of a line: letters, digits and the marks that belong to names (`c++`,
/// `c#`, `node.js`, `$120,000`); digit-group commas dropped.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut prev: Option<char> = None;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let keep = c.is_alphanumeric()
            || matches!(c, '+' | '#') && !cur.is_empty()
            || matches!(c, '$' | '€' | '£' | '¥' | '₹') && next.is_some_and(|n| n.is_ascii_digit())
            || matches!(c, '.' | ',' | '\'' | '’')
                && !cur.is_empty()
                && next.is_some_and(char::is_alphanumeric)
                && (c != ',' || prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit()));
        if keep {
            match c {
                ',' => {}
                '’' => cur.push('\''),
                c if c.is_ascii() => cur.push(c.to_ascii_lowercase()),
                _ => cur.extend(c.to_lowercase()),
            }
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev = Some(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The tag of a content word: `r` under a requirements heading, `p` under nice-to-have (or on a
/// line that says it is optional), `c` elsewhere.
fn tag(section: Section, optional: bool) -> char {
    match section {
        _ if optional => 'p',
        Section::Required => 'r',
        Section::Preferred => 'p',
        _ => 'c',
    }
}

/// The posting as text a reader sees: HTML loses its markup and hidden parts, entities are
/// decoded either way.
fn readable(posting: &str) -> String {
    // Plain lines before the first tag (the title, a "Location:" line) stay lines of their
    // own; HTML conversion would run them together.
    let split = posting.lines().position(|l| l.contains('<')).unwrap_or(0);
    let (head, body): (Vec<&str>, Vec<&str>) = {
        let lines: Vec<&str> = posting.lines().collect();
        (lines[..split].to_vec(), lines[split..].to_vec())
    };
    let body = sections::visible_text(&body.join("\n"));
    let text = if head.is_empty() { body } else { format!("{}\n{body}", head.join("\n")) };
    let text = text.replace(['\u{a0}', '\u{2007}', '\u{202f}'], " ");
    if text.contains('&') {
        discovery::normalize::decode_entities(&text)
    } else {
        text
    }
}

/// Inline headings whose text is about the job itself ("Location: Berlin", "Type: Contract").
static JOB_FACT_HEAD: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)location|based|office|remote|hybrid|workplace|salary|pay|compensation|type|schedule|hours|contract|employment|level|team|department|reports to",
    )
});

/// Headings over the company rather than the job ("About Tidewater", "Why Tidewater?", "Working
/// at Tidewater", "Join us") that the section table leaves unrecognised.
static COMPANY_HEAD: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)^(?:about|why|working (?:at|with)|join|meet|inside|the company|company|à propos|a propos|über|uber|acerca|sobre|quiénes|quienes|qui sommes|wer wir|chi siamo|over ons)\b",
    )
});

/// One line of the posting with the section it sits in. A heading changes the section; its
/// own words are content unless it heads boilerplate (a company, benefits or legal section).
fn classify(line: &str, section: &mut Section, first: bool) -> Option<(Section, bool, String)> {
    // Headings decorated with emoji or symbols ("🚂About Pulley") read as their words.
    let line = line.trim_start_matches(|c: char| {
        !c.is_alphanumeric() && !matches!(c, '-' | '*' | '•' | '·' | '–' | '—' | '(' | '$' | '€' | '£')
    });
    if first {
        return Some((Section::Other, false, line.to_owned()));
    }
    if let Some(item) = sections::strip_bullet(line) {
        return Some((*section, sections::is_optional(item), item.to_owned()));
    }
    // "About Acme", "Über Oracle": a short company heading, even when it names a product the
    // section table would read as a skill.
    let short = line.split_whitespace().count() <= 6 && !line.ends_with(['.', ',', ';', '!', '?']);
    let lower = line.to_lowercase();
    let about_the_job = ["team", "role", "job", "position", "you", "opportunity", "work you"]
        .iter()
        .any(|w| lower.split(|c: char| !c.is_alphanumeric()).any(|t| t == *w) || lower.contains(w) && w.contains(' '));
    if short
        && !about_the_job
        && is_match(&COMPANY_HEAD, line)
        && !line.contains(':')
        && sections::heading_kind(line).is_none_or(|k| matches!(k, Section::Other | Section::Boilerplate))
    {
        *section = Section::Boilerplate;
        return None;
    }
    let heading = sections::heading_kind(line).filter(|_| !is_match(&PAY, line) && !line.contains("://"));
    let Some(kind) = heading else {
        return Some((*section, sections::is_optional(line), line.to_owned()));
    };
    let fact = is_match(&JOB_FACT_HEAD, line);
    match line.split_once(':') {
        Some((head, rest)) if !rest.trim().is_empty() && sections::heading_kind(head).is_some() => {
            let head_kind = sections::heading_kind(head).unwrap_or(kind);
            let kind = if is_match(&JOB_FACT_HEAD, head) { Section::Other } else { head_kind };
            Some((kind, false, rest.trim().to_owned()))
        }
        _ => {
            *section = match kind {
                Section::Boilerplate if fact => Section::Other,
                Section::Other if is_match(&COMPANY_HEAD, line) => Section::Boilerplate,
                other => other,
            };
            (*section != Section::Boilerplate && !fact).then(|| (*section, false, line.to_owned()))
        }
    }
}

/// The tagged content words of a posting (module docs).
fn content_tokens(posting: &str) -> Vec<(char, String)> {
    let text = readable(posting);
    let mut out = Vec::new();
    let mut section = Section::Intro;
    let mut first = true;
    for raw in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let raw_words = words(raw);
        if !first && notice(raw, &raw_words) {
            out.extend(pay_facts(raw));
            continue;
        }
        let stripped = LIST_MARKER.as_ref().map_or(raw, |r| r.find(raw).map_or(raw, |m| &raw[m.end()..]));
        let Some((line_section, optional_line, line)) = (match classify(raw, &mut section, first) {
            None if stripped != raw => Some((section, sections::is_optional(stripped), stripped.to_owned())),
            other => other,
        }) else {
            continue;
        };
        let was_first = std::mem::replace(&mut first, false);
        let line = LIST_MARKER
            .as_ref()
            .map_or(line.as_str(), |r| r.find(&line).map_or(line.as_str(), |m| &line[m.end()..]))
            .to_owned();
        let lower_words = if line == raw { raw_words } else { words(&line) };
        let boilerplate = match line_section {
            _ if was_first => false,
            Section::Boilerplate => true,
            // `notice` already ran on the whole line above.
            _ => blurb(&lower_words),
        };
        if boilerplate {
            out.extend(pay_facts(&line));
            continue;
        }
        let content = match DATE_OR_ID.as_ref().filter(|r| r.is_match(&line)) {
            Some(r) => words(&r.replace_all(&line, " ")),
            None => lower_words,
        };
        let t = tag(line_section, optional_line);
        out.extend(content.into_iter().filter(|w| !is_year(w)).map(|w| (if is_amount(&w) { '$' } else { t }, w)));
    }
    out
}

/// Words of company, benefits, legal and hiring-process text.
#[rustfmt::skip]
const BOILERPLATE_WORDS: [&str; 62] = [
    "committed", "diverse", "diversity", "inclusion", "inclusive", "belonging", "equal", "discriminate",
    "discrimination", "race", "religion", "gender", "orientation", "disability", "disabilities", "veteran",
    "accommodation", "accommodations", "applicants", "ordinance", "lawful", "mission", "founded", "headquartered",
    "investors", "backed", "funded", "offices", "employees", "benefits", "insurance", "perks", "holidays",
    "vacation", "wellness", "retirement", "privacy", "fraud", "scam", "recruiters", "agencies", "unsolicited",
    "fees", "proud", "world's", "leading", "culture", "values", "thrive", "empower", "believe", "believes",
    "journey", "history", "story", "global", "worldwide", "customers", "trusted", "innovative", "welcome", "encourage",
];

/// Words of requirements and duties.
#[rustfmt::skip]
const JOB_WORDS: [&str; 24] = [
    "experience", "years", "degree", "knowledge", "proficiency", "proficient", "ability", "skills", "required",
    "must", "familiarity", "understanding", "responsible", "responsibilities", "manage", "develop", "build",
    "design", "lead", "own", "support", "analyze", "qualifications", "expertise",
];

/// A line that reads as company, benefits or legal text: three or more of those words and no
/// word of a requirement or duty.
fn boilerplate_words(words: &[String]) -> bool {
    let mut seen: Vec<&str> = words.iter().map(String::as_str).filter(|w| BOILERPLATE_SET.contains(w)).collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len() >= 3 && !words.iter().any(|w| JOB_SET.contains(w.as_str()))
}

/// The word lists as sets: every line's words are looked up in them.
static FOREIGN_SET: LazyLock<HashSet<&str>> = LazyLock::new(|| FOREIGN.into_iter().collect());
static ENGLISH_SET: LazyLock<HashSet<&str>> = LazyLock::new(|| ENGLISH.into_iter().collect());
static BOILERPLATE_SET: LazyLock<HashSet<&str>> = LazyLock::new(|| BOILERPLATE_WORDS.into_iter().collect());
static JOB_SET: LazyLock<HashSet<&str>> = LazyLock::new(|| JOB_WORDS.into_iter().collect());

/// The pay a boilerplate line states ("The anticipated wage is $66,000 - $171,600"): its
/// amounts and currency codes, so a changed salary changes the digest wherever it is written,
/// while the words around it are free to change.
fn pay_facts(line: &str) -> Vec<(char, String)> {
    let mut out = Vec::new();
    if is_match(&PAY, line) {
        out.extend(
            words(line).into_iter().filter(|w| is_amount(w) || FACT_WORDS.contains(&w.as_str())).map(|w| ('$', w)),
        );
    }
    if let Some(value) = LABELLED_FACT.as_ref().and_then(|r| r.captures(line)).and_then(|c| c.get(1)) {
        out.extend(words(value.as_str()).into_iter().map(|w| ('c', w)));
    }
    out
}

/// Work-model and employment words: kept from a pay sentence ("…performed on-site in the US,
/// the base salary is…") even though the rest of it is boilerplate.
#[rustfmt::skip]
const FACT_WORDS: [&str; 16] = [
    "remote", "hybrid", "onsite", "site", "office", "full", "part", "time", "contract", "contractor", "temporary",
    "permanent", "freelance", "internship", "hour", "hourly",
];

/// "Employment type: Contract" inside a line that is otherwise boilerplate: the value is content.
static LABELLED_FACT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:location|employment type|job type|contract type|work(?:place)? (?:type|model|arrangement)|schedule)\s*:\s*(.+)$",
    )
});

/// A money amount or currency code ("$66000", "120k", "eur", "85000").
fn is_amount(w: &str) -> bool {
    const CODES: [&str; 8] = ["usd", "eur", "gbp", "cad", "aud", "chf", "sek", "inr"];
    let digits = w.chars().filter(char::is_ascii_digit).count();
    CODES.contains(&w)
        || digits > 0 && (w.starts_with(['$', '€', '£', '¥', '₹']) || w.ends_with('k') || digits >= 4 && !is_year(w))
}

/// A line that is boilerplate on its own: EEO, agency, privacy, apply footer, date or id line,
/// another language.
fn notice(line: &str, words: &[String]) -> bool {
    boilerplate_words(words)
        || foreign(words)
        || NOTICES.as_ref().is_some_and(|set| {
            let hits = set.matches(line);
            hits.matched(0)
                || hits.matched(1)
                || hits.matched(2)
                || hits.matched(3)
                || words.len() <= 60 && hits.matched(4)
        })
}

/// The notice patterns in one pass: boilerplate sentences, board footers, perks, date and id
/// lines, and (for lines of 60 words or fewer) apply footers.
static NOTICES: LazyLock<Option<regex::RegexSet>> = LazyLock::new(|| {
    let patterns = [&BOILERPLATE_LINE, &BOARD_FOOTER, &PERKS, &DATE_OR_ID_LINE, &APPLY]
        .map(|r| r.as_ref().map(|r| r.as_str().to_owned()).unwrap_or_default());
    regex::RegexSet::new(patterns).ok()
});

/// A line about the company: it speaks of "we"/"our", never to "you", and names no
/// requirement or duty.
fn blurb(words: &[String]) -> bool {
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    words.len() >= 6 && has(&WE) && !has(&YOU) && !words.iter().any(|w| JOB_SET.contains(w.as_str()))
}

/// A calendar year (1990–2039): posting dates, not job content.
fn is_year(w: &str) -> bool {
    w.len() == 4 && w.parse::<u32>().is_ok_and(|y| (1990..2040).contains(&y))
}

/// The multiset comparison of two digests' facts (module docs).
fn contents_agree(stored: &str, query: &str) -> bool {
    let mut counts: HashMap<&str, i32> = HashMap::new();
    for t in stored.split(' ').filter(|t| !t.is_empty()) {
        *counts.entry(t).or_default() += 1;
    }
    for t in query.split(' ').filter(|t| !t.is_empty()) {
        *counts.entry(t).or_default() -= 1;
    }
    let mut only_stored = Vec::new();
    let mut only_query = Vec::new();
    for (t, n) in counts {
        for _ in 0..n.max(0) {
            only_stored.push(t);
        }
        for _ in 0..(-n).max(0) {
            only_query.push(t);
        }
    }
    let size = stored.len().max(query.len()) / 8;
    if only_stored.len() + only_query.len() > 12 + size / 50 {
        return false;
    }
    only_stored.sort_unstable();
    only_query.sort_unstable();
    let max_typos = 3 + size / 300;
    let mut typos = 0;
    let mut unmatched = Vec::new();
    for s in only_stored {
        match only_query.iter().position(|q| typo_pair(s, q)) {
            Some(i) if typos < max_typos => {
                only_query.remove(i);
                typos += 1;
            }
            _ => unmatched.push(s),
        }
    }
    unmatched.extend(only_query);
    unmatched.len() <= 2 && unmatched.iter().all(|t| t.split_once(':').is_some_and(|(_, w)| STRAY.contains(&w)))
}

/// Words whose change is a change of the job, never a typo.
#[rustfmt::skip]
const SENSITIVE: [&str; 16] = [
    "senior", "junior", "staff", "lead", "principal", "intern", "remote", "hybrid", "onsite", "office", "full",
    "part", "contract", "temporary", "permanent", "freelance",
];

/// Two tagged words that may be a typo and its fix: same tag, letters only, neither a skill
/// name nor a level, work-model or employment word, and one edit apart (four letters or more)
/// or two (five or more: "there" / "their").
fn typo_pair(a: &str, b: &str) -> bool {
    let (Some((ta, a)), Some((tb, b))) = (a.split_once(':'), b.split_once(':')) else { return false };
    let plain = |w: &str| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic);
    let close = one_edit_apart(a, b) || a.chars().count() >= 5 && b.chars().count() >= 5 && two_edits(a, b);
    ta == tb
        && plain(a)
        && plain(b)
        && close
        && !SENSITIVE.contains(&a)
        && !SENSITIVE.contains(&b)
        && crate::normalize_skill(a).is_none()
        && crate::normalize_skill(b).is_none()
}

/// Levenshtein distance at most two (small words only: a bounded dynamic programme).
fn two_edits(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 2 || a.len() > 32 || b.len() > 32 {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()] <= 2
}

#[cfg(test)]
mod tests;
