//! The rule engine: signal groups (one per label, plus the kinds of `other`), their weighted
//! phrase rules and sentence vetoes, compiled once from the text tables in `super::tables`.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::normalise::Prepared;
use super::tables;

/// What a group of rules is evidence for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Signal {
    Offer,
    Interview,
    Rejection,
    InfoRequest,
    Acknowledgement,
    /// Role on hold / paused / hiring freeze (`other`, but beats `acknowledgement`).
    OnHold,
    /// Job alerts, newsletters, webinars, events, profile statistics.
    Bulk,
    AutoReply,
    /// Verification codes, account creation, unfinished drafts, privacy notices.
    System,
    Withdrawn,
    /// Post-acceptance onboarding.
    Onboarding,
    /// Unsolicited recruiter outreach, referral requests.
    Outreach,
    Scam,
    /// Not a label: the email is about an application the candidate made.
    Context,
}

impl Signal {
    pub(super) const ALL: [Self; 14] = [
        Self::Offer,
        Self::Interview,
        Self::Rejection,
        Self::InfoRequest,
        Self::Acknowledgement,
        Self::OnHold,
        Self::Bulk,
        Self::AutoReply,
        Self::System,
        Self::Withdrawn,
        Self::Onboarding,
        Self::Outreach,
        Self::Scam,
        Self::Context,
    ];

    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Offer => "offer",
            Self::Interview => "interview",
            Self::Rejection => "rejection",
            Self::InfoRequest => "info_request",
            Self::Acknowledgement => "acknowledgement",
            Self::OnHold => "on_hold",
            Self::Bulk => "bulk",
            Self::AutoReply => "auto_reply",
            Self::System => "system",
            Self::Withdrawn => "withdrawn",
            Self::Onboarding => "onboarding",
            Self::Outreach => "outreach",
            Self::Scam => "scam",
            Self::Context => "context",
        }
    }

    fn table(self) -> &'static str {
        match self {
            Self::Offer => tables::OFFER,
            Self::Interview => tables::INTERVIEW,
            Self::Rejection => tables::REJECTION,
            Self::InfoRequest => tables::INFO_REQUEST,
            Self::Acknowledgement => tables::ACKNOWLEDGEMENT,
            Self::OnHold => tables::ON_HOLD,
            Self::Bulk => tables::BULK,
            Self::AutoReply => tables::AUTO_REPLY,
            Self::System => tables::SYSTEM,
            Self::Withdrawn => tables::WITHDRAWN,
            Self::Onboarding => tables::ONBOARDING,
            Self::Outreach => tables::OUTREACH,
            Self::Scam => tables::SCAM,
            Self::Context => tables::CONTEXT,
        }
    }
}

/// Which part of the email a rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Subject and body.
    Any,
    Subject,
    Body,
    From,
}

struct Rule {
    name: &'static str,
    weight: f32,
    scope: Scope,
    re: Regex,
}

/// A sentence matching `re` (and not `unless`) gives no evidence to the group.
struct Veto {
    re: Regex,
    unless: Option<Regex>,
}

struct Group {
    signal: Signal,
    rules: Vec<Rule>,
    vetoes: Vec<Veto>,
}

static GROUPS: LazyLock<Vec<Group>> = LazyLock::new(|| Signal::ALL.iter().map(|&s| compile(s)).collect());

fn compile_re(signal: Signal, pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("static rule table `{}`: {e}", signal.name()))
}

/// Parses a table: `name weight scope regex` lines (scope `A`ny, `S`ubject, `B`ody, `F`rom),
/// `veto regex`, `unless regex` (attached to the veto before it), `@name` (a shared pattern from
/// [`tables::SHARED`]) in place of a veto's regex, and `#` comments.
fn compile(signal: Signal) -> Group {
    let mut group = Group { signal, rules: Vec::new(), vetoes: Vec::new() };
    for line in signal.table().lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (head, rest) = line.split_once(' ').unwrap_or((line, ""));
        let rest = rest.trim();
        match head {
            "veto" => group.vetoes.push(Veto { re: compile_re(signal, shared(rest)), unless: None }),
            "unless" => match group.vetoes.last_mut() {
                Some(v) => v.unless = Some(compile_re(signal, shared(rest))),
                None => unreachable!("`unless` before any `veto` in `{}`", signal.name()),
            },
            name => {
                let mut parts = rest.splitn(3, ' ');
                let (Some(weight), Some(scope), Some(pattern)) = (parts.next(), parts.next(), parts.next()) else {
                    unreachable!("malformed rule `{name}` in `{}`", signal.name())
                };
                let weight = weight.parse().unwrap_or_else(|e| unreachable!("weight of `{name}`: {e}"));
                let scope = match scope {
                    "A" => Scope::Any,
                    "S" => Scope::Subject,
                    "B" => Scope::Body,
                    "F" => Scope::From,
                    other => unreachable!("scope `{other}` of `{name}`"),
                };
                group.rules.push(Rule { name, weight, scope, re: compile_re(signal, pattern.trim()) });
            }
        }
    }
    group
}

/// `@name` → the shared pattern of that name; anything else is returned as is.
fn shared(pattern: &'static str) -> &'static str {
    match pattern.strip_prefix('@') {
        Some(name) => tables::SHARED
            .iter()
            .find(|(n, _)| *n == name)
            .map_or_else(|| unreachable!("unknown shared pattern `{name}`"), |(_, p)| *p),
        None => pattern,
    }
}

/// The evidence collected for one email.
#[derive(Debug, Default)]
pub(super) struct Evidence {
    /// Per signal: rule name → weight (each rule counts once, at its strongest).
    fired: BTreeMap<Signal, BTreeMap<&'static str, f32>>,
}

impl Evidence {
    pub(super) fn score(&self, signal: Signal) -> f32 {
        self.fired.get(&signal).map_or(0.0, |rules| rules.values().sum())
    }

    pub(super) fn has(&self, signal: Signal, rule: &str) -> bool {
        self.fired.get(&signal).is_some_and(|rules| rules.contains_key(rule))
    }

    /// Whether a rule of `signal` not in `names` fired.
    pub(super) fn has_other_than(&self, signal: Signal, names: &[&str]) -> bool {
        self.fired.get(&signal).is_some_and(|rules| rules.keys().any(|n| !names.contains(n)))
    }

    /// `signal:rule` for every rule that fired for `signal`, strongest first.
    pub(super) fn reasons(&self, signal: Signal) -> Vec<String> {
        let mut rules: Vec<(&str, f32)> =
            self.fired.get(&signal).map(|r| r.iter().map(|(n, w)| (*n, *w)).collect()).unwrap_or_default();
        rules.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        rules.into_iter().map(|(n, _)| format!("{}:{n}", signal.name())).collect()
    }
}

/// Runs every rule over the prepared email.
pub(super) fn evidence(email: &Prepared) -> Evidence {
    let mut evidence = Evidence::default();
    let parts: [(Scope, &[String]); 3] = [
        (Scope::Subject, &email.subject),
        (Scope::Body, &email.body),
        (Scope::From, std::slice::from_ref(&email.from)),
    ];
    for group in GROUPS.iter() {
        let fired = evidence.fired.entry(group.signal).or_default();
        for &(part, sentences) in &parts {
            for sentence in sentences {
                if part != Scope::From && group.vetoes.iter().any(|v| vetoes(v, sentence)) {
                    continue;
                }
                for rule in &group.rules {
                    let applies = match rule.scope {
                        Scope::Any => part != Scope::From,
                        scope => scope == part,
                    };
                    if applies && rule.re.is_match(sentence) {
                        let w = fired.entry(rule.name).or_insert(0.0);
                        *w = w.max(rule.weight);
                    }
                }
            }
        }
    }
    evidence
}

fn vetoes(veto: &Veto, sentence: &str) -> bool {
    veto.re.is_match(sentence) && !veto.unless.as_ref().is_some_and(|u| u.is_match(sentence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_compiles_and_is_non_empty() {
        for group in GROUPS.iter() {
            assert!(!group.rules.is_empty(), "{} has no rules", group.signal.name());
            for rule in &group.rules {
                assert!(rule.weight > 0.0 && rule.weight <= 2.0, "{}:{}", group.signal.name(), rule.name);
            }
        }
    }
}
