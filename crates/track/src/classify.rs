//! The offline recruiter-email classifier: weighted phrase rules (English, German, French,
//! Spanish) over the newest message of an email, resolved by the precedence of
//! `eval/track/RULES.md` (offer > interview > rejection > info_request > acknowledgement > other)
//! among the labels whose evidence is strong.
//!
//! How it works: `normalise` keeps only the part above any quote (`>` lines, "On … wrote:",
//! "-----Original Message-----", "Von:/De :" headers, "El … escribió:"), drops signatures and
//! legal footers, flattens HTML and splits the rest into lowercase sentences. `rules` runs the
//! phrase tables of `tables` over each sentence; a sentence can be vetoed for a label (a
//! condition — "if your profile matches, we'll invite you…", a negation, a cancelled or past
//! interview, "what we offer"). Each rule counts once; a label is strong at a score of 1.0.
//! Some kinds of `other` (auto-replies, job alerts, system mails, withdrawals, onboarding, scams,
//! cold outreach) override the labels; a role put on hold beats a mere acknowledgement. An
//! interview needs more than a mention of a step (an invitation, a link, a time, an instruction),
//! and must be concrete (score ≥ 2) to beat a strong rejection.

mod eval;
mod normalise;
mod rules;
mod tables;

use serde::{Deserialize, Serialize};

pub use eval::{evaluate, parse_corpus, Evaluation, LabelScore, LabelledEmail, TUNE_SET};
use rules::{Evidence, Signal};

/// What a reply from an employer says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyKind {
    Acknowledgement,
    Rejection,
    Interview,
    InfoRequest,
    Offer,
    Other,
}

impl ReplyKind {
    pub const ALL: [Self; 6] =
        [Self::Acknowledgement, Self::Rejection, Self::Interview, Self::InfoRequest, Self::Offer, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Acknowledgement => "acknowledgement",
            Self::Rejection => "rejection",
            Self::Interview => "interview",
            Self::InfoRequest => "info_request",
            Self::Offer => "offer",
            Self::Other => "other",
        }
    }
}

impl std::str::FromStr for ReplyKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| format!("unknown reply kind `{s}`"))
    }
}

/// The classifier's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    pub kind: ReplyKind,
    /// 0..=1: how sure the rules are.
    pub confidence: f32,
    /// The rules that fired, for the user and for debugging.
    pub reasons: Vec<String>,
}

/// A label's evidence is strong from this score on.
const STRONG: f32 = 1.0;
/// An interview must be this well evidenced to beat a strong rejection (a rejection that
/// concretely invites to another role's interview), or to resist outreach-like wording.
const CONCRETE_INTERVIEW: f32 = 2.0;

/// Interview rules that only *mention* a step ("technical interview", "HackerRank", "next step"):
/// without an invitation, scheduling, link, time or instruction they never make `interview`.
const INTERVIEW_MENTIONS: [&str; 7] =
    ["step_noun", "test_platform", "next_step", "brief_call", "de_gespraech", "fr_entretien", "es_entrevista"];

/// The decision labels in precedence order, with their signal.
const PRECEDENCE: [(Signal, ReplyKind); 5] = [
    (Signal::Offer, ReplyKind::Offer),
    (Signal::Interview, ReplyKind::Interview),
    (Signal::Rejection, ReplyKind::Rejection),
    (Signal::InfoRequest, ReplyKind::InfoRequest),
    (Signal::Acknowledgement, ReplyKind::Acknowledgement),
];

/// Classifies one email from its subject, sender (`Name <addr>` or an address) and plain-text body.
pub fn classify(subject: &str, from: &str, body: &str) -> Classification {
    let prepared = normalise::prepare(subject, from, body);
    decide(&rules::evidence(&prepared))
}

fn decide(ev: &Evidence) -> Classification {
    let s = |signal| ev.score(signal);
    let best_decision = PRECEDENCE.iter().map(|&(sig, _)| s(sig)).fold(0.0, f32::max);

    if let Some(signal) = override_signal(ev, best_decision) {
        return verdict(ev, ReplyKind::Other, signal, s(signal), &format!("override: {}", signal.name()));
    }

    let strong: Vec<(Signal, ReplyKind)> = PRECEDENCE.iter().copied().filter(|&(sig, _)| s(sig) >= STRONG).collect();
    let interview_loses = (s(Signal::Rejection) >= STRONG && s(Signal::Interview) < CONCRETE_INTERVIEW)
        || !ev.has_other_than(Signal::Interview, &INTERVIEW_MENTIONS);
    let winner = strong.iter().copied().find(|&(_, kind)| match kind {
        ReplyKind::Interview => !interview_loses,
        // A role on hold with no request is `other`, even if it thanks for the application.
        ReplyKind::Acknowledgement => s(Signal::OnHold) < STRONG,
        _ => true,
    });

    match winner {
        Some((signal, kind)) => {
            let others: Vec<&str> =
                strong.iter().filter(|&&(sig, _)| sig != signal).map(|&(sig, _)| sig.name()).collect();
            let note = if others.is_empty() {
                format!("strong: {}", signal.name())
            } else {
                format!("precedence: {} over {}", signal.name(), others.join(", "))
            };
            let mut c = verdict(ev, kind, signal, s(signal), &note);
            if !others.is_empty() {
                c.confidence *= 0.85;
            }
            c
        }
        None if s(Signal::OnHold) >= STRONG => {
            verdict(ev, ReplyKind::Other, Signal::OnHold, s(Signal::OnHold), "on hold, no decision or request")
        }
        None => {
            let mut reasons = vec!["no strong evidence".to_owned()];
            for &(sig, _) in &PRECEDENCE {
                reasons.extend(ev.reasons(sig));
            }
            // The nearer a label came to being strong, the less sure `other` is.
            let confidence = (0.9 - 0.45 * best_decision / STRONG).clamp(0.3, 0.9);
            Classification { kind: ReplyKind::Other, confidence, reasons }
        }
    }
}

/// A kind of `other` so clear that it wins over the labels' evidence.
fn override_signal(ev: &Evidence, best_decision: f32) -> Option<Signal> {
    let s = |signal| ev.score(signal);
    let clearly =
        |signal| s(signal) >= STRONG && (s(signal) >= 1.5 || best_decision < 1.5 || s(signal) >= best_decision);
    if clearly(Signal::AutoReply) {
        return Some(Signal::AutoReply);
    }
    if s(Signal::Withdrawn) >= STRONG {
        return Some(Signal::Withdrawn);
    }
    // A job alert stays `other` however many "interview"/"offer"/"apply" words its listings hold.
    // A decision with a talent-community footer is still a decision.
    let decided = [Signal::Offer, Signal::Interview, Signal::Rejection].iter().any(|&sig| s(sig) >= STRONG);
    let listing = ev.has(Signal::Bulk, "job_alert") || ev.has(Signal::Bulk, "profile_stats");
    let bulk = s(Signal::Bulk);
    if (listing && bulk >= STRONG && (best_decision < STRONG || bulk > best_decision))
        || (clearly(Signal::Bulk) && (!decided || bulk > best_decision))
    {
        return Some(Signal::Bulk);
    }
    if clearly(Signal::System) {
        return Some(Signal::System);
    }
    if s(Signal::Onboarding) >= 1.5 || (s(Signal::Onboarding) >= STRONG && !decided) {
        return Some(Signal::Onboarding);
    }
    if s(Signal::Scam) >= STRONG {
        return Some(Signal::Scam);
    }
    // Cold outreach proposing a call stays `other`; a concrete invitation about a role at a
    // company the candidate applied to does not.
    let invited_in_process = s(Signal::Interview) >= CONCRETE_INTERVIEW && s(Signal::Context) >= STRONG;
    let outreach = s(Signal::Outreach);
    if outreach >= STRONG && outreach >= s(Signal::Offer) && !invited_in_process && s(Signal::Rejection) < STRONG {
        return Some(Signal::Outreach);
    }
    None
}

fn verdict(ev: &Evidence, kind: ReplyKind, signal: Signal, score: f32, note: &str) -> Classification {
    // 0.5 at the threshold, → 1 as the evidence piles up.
    let confidence = (1.0 - 0.5 * (-(score - STRONG).max(0.0)).exp()).clamp(0.0, 1.0);
    let mut reasons = vec![note.to_owned()];
    reasons.extend(ev.reasons(signal));
    Classification { kind, confidence, reasons }
}
