//! Turns a raw email into what the rules read: the newest message only (quotes, forwarded
//! headers, signatures and legal footers removed), HTML flattened, split into lowercase sentences.

use std::sync::LazyLock;

use regex::Regex;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("static regex: {e}"))
}

/// Looks like HTML rather than plain text.
static HTML_TAG: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)</?(?:p|br|div|span|b|i|strong|em|ul|ol|li|table|tr|td|a|font|h\d)\b[^>]*>"));
/// Tags that end a line.
static BLOCK_TAG: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)<br\s*/?>|</?(?:p|div|li|tr|h\d|ul|ol|table)\b[^>]*>"));
static ANY_TAG: LazyLock<Regex> = LazyLock::new(|| re(r"<[^>]{0,400}>"));
/// Markup whose content is not text.
static INVISIBLE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?is)<(style|script|head|title)\b.*?</(?:style|script|head|title)>|<!--.*?-->"));
/// A short newest message that points at the quoted one ("see below", "FYI").
static POINTS_BELOW: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:see|read|find|check) (?:[\w']+ ){0,3}below\b|\bbelow\b[^.\n]{0,20}$|\bfyi\b|\bforwarding\b|\bsiehe unten|\bci-dessous|\bver abajo",
    )
});

/// Where the quoted earlier message starts: "On … wrote:", "-----Original Message-----",
/// Outlook-style header blocks ("From:/Von:/De :" followed by "Sent:/Gesendet:/Envoyé :"),
/// "Le … a écrit :", "El … escribió:", "Am … schrieb …:".
static QUOTE_START: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?im)^[ \t]*(?:",
        r"-{2,}[ \t]*(?:original message|ursprüngliche nachricht|message d'origine|mensaje original|forwarded message|weitergeleitete nachricht)[ \t]*-{2,}",
        r"|on\b[^\n]{0,200}\bwrote:?[ \t]*$",
        r"|on\b[^\n]{0,200}\n[^\n]{0,120}\bwrote:[ \t]*$",
        r"|am\b[^\n]{0,200}\bschrieb\b[^\n]{0,120}:[ \t]*$",
        r"|le\b[^\n]{0,200}\ba écrit[ \t]*:[ \t]*$",
        r"|el\b[^\n]{0,200}\bescribió[ \t]*:[ \t]*$",
        r"|(?:from|von|de|da|van)[ \t]?:[^\n]*\n(?:[^\n]*\n){0,2}?[ \t]*(?:sent|gesendet|envoyé|enviado|date|datum|fecha)[ \t]?:",
        r")"
    ))
});

/// Where the signature starts: "-- ", a rule of underscores, "Sent from my iPhone".
static SIGNATURE_START: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?im)^[ \t]*(?:--[ \t]*$|_{3,}[ \t]*$|sent from my \w+|von meinem \w+ gesendet|envoyé de mon \w+|enviado desde mi \w+)",
    )
});

/// Sentences that are legal/ATS boilerplate, never the message.
static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)registered (?:in england|in scotland|office|number)|company (?:no\.?|number|registration)",
        r"|amtsgericht|registergericht|handelsregister|geschäftsführ|\bhr[ab] ?\d|ust-?id",
        r"|confidential and (?:may|intended)|intended (?:solely|only) for|received this (?:e-?mail|message) in error",
        r"|equal (?:opportunity|employment opportunity) employer|siège social|capital social|\brcs\b",
        r"|powered by \w+|sent via \w+ on behalf|this (?:message|email) was sent (?:via|by|to)",
        r"|please do not reply|do not reply to this|don't reply to this|bitte antworten sie nicht|ne pas répondre|no respondas|no responda"
    ))
});

/// Leading list markers.
static BULLET: LazyLock<Regex> = LazyLock::new(|| re(r"^[\s•\-*▸►▪·‣◦→>]+"));
static SPACES: LazyLock<Regex> = LazyLock::new(|| re(r"\s+"));
static KNOW_IF: LazyLock<Regex> = LazyLock::new(|| re(r"\b(know|see|check|ask|confirm|tell (?:me|us)) if\b"));
static SUBJECT_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*(?:(?:re|aw|fw|fwd|wg|tr|rv|sv|antw)\s?(?:\[\d+\])?:\s*)+"));

/// An email ready for the rules.
pub(super) struct Prepared {
    /// The subject without "Re:/AW:/Fwd:" prefixes, lowercased (one or more sentences).
    pub subject: Vec<String>,
    /// The newest message's sentences, lowercased.
    pub body: Vec<String>,
    /// The sender, lowercased.
    pub from: String,
}

pub(super) fn prepare(subject: &str, from: &str, body: &str) -> Prepared {
    let subject = SUBJECT_PREFIX.replace(subject, "");
    Prepared { subject: sentences(&subject), body: sentences(&newest_message(body)), from: canonical(from) }
}

/// The part of the body written by the sender of this email, as plain text.
pub(super) fn newest_message(body: &str) -> String {
    let text = if HTML_TAG.is_match(body) { html_to_text(body) } else { body.replace("\r\n", "\n") };
    let newest = cut_at(&text, &QUOTE_START);
    let unquoted = |t: &str| t.lines().filter(|l| !l.trim_start().starts_with('>')).collect::<Vec<_>>().join("\n");
    let own = unquoted(&cut_at(&newest, &SIGNATURE_START));
    // "See the offer below": the quoted message is what this one communicates.
    if newest.len() < text.len() && own.trim().len() < 300 && POINTS_BELOW.is_match(&own) {
        let quoted: Vec<&str> = text[newest.len()..].lines().map(|l| l.trim_start().trim_start_matches('>')).collect();
        return format!("{own}\n\n{}", quoted.join("\n"));
    }
    own
}

/// Truncates at the first match of `marker`, unless that would leave nothing.
fn cut_at(text: &str, marker: &Regex) -> String {
    match marker.find(text) {
        Some(m) if !text[..m.start()].trim().is_empty() => text[..m.start()].to_owned(),
        _ => text.to_owned(),
    }
}

fn html_to_text(html: &str) -> String {
    let text = INVISIBLE.replace_all(html, "");
    let text = BLOCK_TAG.replace_all(&text, "\n");
    let text = ANY_TAG.replace_all(&text, "");
    html_escape::decode_html_entities(&text).replace('\u{a0}', " ")
}

/// Splits text into sentences: paragraphs and list items are separate, hard-wrapped lines are
/// re-joined, and a sentence ends at `.`, `!`, `?` or `…` followed by a space.
pub(super) fn sentences(text: &str) -> Vec<String> {
    let mut units: Vec<String> = Vec::new();
    let mut open = false;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            open = false;
            continue;
        }
        let bare = BULLET.replace(line, "");
        let continues = open
            && bare.len() == line.len()
            && line.chars().next().is_some_and(char::is_lowercase)
            && units.last().is_some_and(|u| u.len() >= 50 && !u.ends_with(['.', '!', '?', ':', ';']));
        match units.last_mut() {
            Some(last) if continues => {
                last.push(' ');
                last.push_str(line);
            }
            _ => units.push(bare.into_owned()),
        }
        open = true;
    }
    let mut out = Vec::new();
    for unit in units {
        let mut start = 0;
        let chars: Vec<(usize, char)> = unit.char_indices().collect();
        for (i, &(at, c)) in chars.iter().enumerate() {
            let next_is_space = chars.get(i + 1).is_some_and(|&(_, n)| n.is_whitespace());
            if matches!(c, '.' | '!' | '?' | '…') && next_is_space {
                push_sentence(&mut out, &unit[start..at + c.len_utf8()]);
                start = at + c.len_utf8();
            }
        }
        push_sentence(&mut out, &unit[start..]);
    }
    out
}

fn push_sentence(out: &mut Vec<String>, raw: &str) {
    let s = canonical(raw);
    if !s.is_empty() && !FOOTER.is_match(&s) {
        out.push(s);
    }
}

/// Lowercase, straight apostrophes and quotes, plain dashes and spaces, "let me know if" read as
/// "let me know whether" (so it is not taken for a condition).
fn canonical(raw: &str) -> String {
    let lowered: String = raw
        .chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02bc}' | '\u{00b4}' | '`' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '«' | '»' => '"',
            '\u{2013}' | '\u{2014}' | '\u{2012}' => '-',
            '\u{a0}' | '\u{2009}' | '\u{202f}' => ' ',
            c => c,
        })
        .collect::<String>()
        .to_lowercase();
    let spaced = SPACES.replace_all(lowered.trim(), " ");
    KNOW_IF.replace_all(&spaced, "$1 whether").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_quotes_signatures_and_html() {
        let body = "Hi,\nThanks!\n--\nMira\n\nOn Mon, 10 Feb 2025 at 09:12, Sam <s@x> wrote:\n> offer letter";
        assert_eq!(newest_message(body).trim(), "Hi,\nThanks!");
        let outlook = "Could you come in Friday?\n\nVon: Max\nGesendet: Montag\nAn: Eva\nBetreff: Bewerbung\n\nold";
        assert_eq!(newest_message(outlook).trim(), "Could you come in Friday?");
        assert_eq!(
            sentences(&html_to_text("<p>Dear&nbsp;A,</p><p>We got it. Thanks!</p>")),
            vec!["dear a,", "we got it.", "thanks!"]
        );
    }

    #[test]
    fn keeps_the_quote_the_newest_message_points_at() {
        let body = "FYI - see the client's offer below!\n\n---------- Forwarded message ---------\nFrom: Client\nDate: Mon\n\nWe would like to offer you the role.";
        assert!(newest_message(body).contains("offer you the role"));
        let plain = "Thanks, noted.\n\nOn Mon, 1 Jan 2025, A <a@b.c> wrote:\n> We would like to offer you the role.";
        assert!(!newest_message(plain).contains("offer you"));
        assert_eq!(html_to_text("<style>p { color: red }</style><p>Hi</p>").trim(), "Hi");
    }

    #[test]
    fn joins_wrapped_lines_and_drops_footers() {
        let text = "We have decided to move forward with other candidates whose\nexperience fits.\nThis email is confidential and intended solely for the addressee.";
        assert_eq!(
            sentences(text),
            vec!["we have decided to move forward with other candidates whose experience fits."]
        );
        assert_eq!(sentences("Let me know if Tuesday works?"), vec!["let me know whether tuesday works?"]);
    }
}
