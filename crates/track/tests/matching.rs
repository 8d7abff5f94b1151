//! `match_reply`: each rule, their order, the date guard, ATS senders and ambiguity.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use track::{match_reply, Candidate, InboundEmail, MatchedBy};

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, day, 12, 0, 0).unwrap()
}

fn candidate(id: &str, company: &str, title: &str, domains: &[&str], day: u32) -> Candidate {
    Candidate {
        application_id: id.to_owned(),
        message_ids: vec![format!("<{id}@applyflow>")],
        company: company.to_owned(),
        title: title.to_owned(),
        company_domains: domains.iter().map(|d| (*d).to_owned()).collect(),
        applied_at: at(day),
    }
}

fn email(from: &str, subject: &str, body: &str, day: u32) -> InboundEmail {
    let from_address = from.rsplit('<').next().unwrap().trim_end_matches('>').trim().to_lowercase();
    InboundEmail {
        uid: 1,
        message_id: Some("<x@y>".to_owned()),
        in_reply_to: vec![],
        references: vec![],
        from: from.to_owned(),
        from_address,
        to: vec!["me@example.org".to_owned()],
        subject: subject.to_owned(),
        date: Some(at(day)),
        body: body.to_owned(),
    }
}

fn matched(email: &InboundEmail, candidates: &[Candidate]) -> Option<(String, MatchedBy)> {
    match_reply(email, candidates).map(|m| (m.application_id, m.by))
}

fn some(id: &str, by: MatchedBy) -> Option<(String, MatchedBy)> {
    Some((id.to_owned(), by))
}

#[test]
fn thread_by_in_reply_to_or_references() {
    let apps = [
        candidate("a1", "Acme", "Backend Engineer", &["acme.com"], 1),
        candidate("b2", "Beta", "Designer", &["beta.io"], 2),
    ];
    // Sent from Acme's domain, but the thread says it answers the Beta application.
    let mut reply = email("Someone <x@acme.com>", "Re: hello", "", 10);
    reply.in_reply_to = vec!["<B2@applyflow>".to_owned()];
    assert_eq!(matched(&reply, &apps), some("b2", MatchedBy::Thread));
    assert_eq!(match_reply(&reply, &apps).unwrap().score, 1.0);

    let mut reply = email("Someone <x@elsewhere.org>", "Re: hello", "", 10);
    reply.references = vec!["<unrelated@host>".to_owned(), "<a1@applyflow>".to_owned()];
    assert_eq!(matched(&reply, &apps), some("a1", MatchedBy::Thread));
}

#[test]
fn sender_domain_and_parent_domain() {
    let apps = [
        candidate("a1", "Acme", "Backend Engineer", &["acme.com"], 1),
        candidate("b2", "Beta", "Designer", &["https://careers.beta.io/jobs/42"], 2),
    ];
    let from_acme = email("Acme HR <hr@mail.acme.com>", "Update", "We reviewed your profile.", 10);
    assert_eq!(matched(&from_acme, &apps), some("a1", MatchedBy::SenderDomain));
    let from_beta = email("<people@beta.io>", "Update", "", 10);
    assert_eq!(matched(&from_beta, &apps), some("b2", MatchedBy::SenderDomain));
    let lookalike = email("<hr@notacme.com>", "Update", "", 10);
    assert_eq!(matched(&lookalike, &apps), None);
}

#[test]
fn shared_sender_domain_prefers_the_title_then_the_latest() {
    let apps = [
        candidate("backend", "Acme", "Backend Engineer", &["acme.com"], 1),
        candidate("frontend", "Acme", "Frontend Engineer", &["acme.com"], 3),
        candidate("data", "Acme", "Data Analyst", &["acme.com"], 2),
    ];
    let about_backend = email("<hr@acme.com>", "Your Backend Engineer application", "", 10);
    let m = match_reply(&about_backend, &apps).unwrap();
    assert_eq!((m.application_id.as_str(), m.by), ("backend", MatchedBy::SenderDomain));
    assert!(m.score < 0.9 && m.score > 0.7, "{m:?}");

    let about_data = email("<hr@acme.com>", "Update", "Regarding the data analyst role: next steps.", 10);
    assert_eq!(matched(&about_data, &apps), some("data", MatchedBy::SenderDomain));

    // No title words: the latest application sent before the email.
    let vague = email("<hr@acme.com>", "Update", "Thanks for your patience.", 10);
    assert_eq!(matched(&vague, &apps), some("frontend", MatchedBy::SenderDomain));
    let before_frontend = email("<hr@acme.com>", "Update", "Thanks for your patience.", 2);
    assert_eq!(matched(&before_frontend, &apps), some("data", MatchedBy::SenderDomain));
}

#[test]
fn ats_senders_use_the_company_rules() {
    let apps = [
        candidate("a1", "Acme, Inc.", "Platform Engineer", &["boards.greenhouse.io", "acme.com"], 1),
        candidate("b2", "Beta GmbH", "Platform Engineer", &["jobs.lever.co"], 2),
    ];
    // The ATS domain appears in both candidates' domains but must not tie the email to either.
    let via_lever = email("Beta Hiring <no-reply@hire.lever.co>", "Thank you for applying", "", 10);
    assert_eq!(matched(&via_lever, &apps), some("b2", MatchedBy::Company));
    let via_greenhouse = email(
        "<no-reply@us.greenhouse-mail.io>",
        "Acme: Platform Engineer",
        "Thank you for applying to Acme for the Platform Engineer position.",
        10,
    );
    assert_eq!(matched(&via_greenhouse, &apps), some("a1", MatchedBy::CompanyAndRole));
    let anonymous_ats = email("<no-reply@greenhouse.io>", "Thank you for applying", "We got it.", 10);
    assert_eq!(matched(&anonymous_ats, &apps), None);
}

#[test]
fn company_and_role_disambiguates_two_roles_at_one_company() {
    let apps = [
        candidate("backend", "Acme Corp", "Senior Backend Engineer (Remote)", &[], 1),
        candidate("frontend", "Acme Corp", "Senior Frontend Engineer (Remote)", &[], 2),
        candidate("other", "Globex", "Senior Backend Engineer", &[], 1),
    ];
    let about_backend = email(
        "Talent Team <talent@recruiting-partner.net>",
        "Interview invitation",
        "Hi! ACME would like to talk about the Senior Backend Engineer opening.",
        10,
    );
    let m = match_reply(&about_backend, &apps).unwrap();
    assert_eq!((m.application_id.as_str(), m.by), ("backend", MatchedBy::CompanyAndRole));
    assert_eq!(m.score, 0.75);
    let about_frontend = email("<talent@recruiting-partner.net>", "Acme - senior frontend engineer", "", 10);
    assert_eq!(matched(&about_frontend, &apps), some("frontend", MatchedBy::CompanyAndRole));

    // The company alone is ambiguous between the two Acme applications: no match.
    let company_only = email("<talent@recruiting-partner.net>", "News from Acme", "We will be in touch.", 10);
    assert_eq!(matched(&company_only, &apps), None);
}

#[test]
fn company_alone_only_when_unique() {
    let apps =
        [candidate("a1", "Initech LLC", "QA Engineer", &[], 1), candidate("g1", "Globex", "Data Engineer", &[], 1)];
    let from_name = email("Initech Recruiting <jobs@mailer.example>", "Thanks", "We received your application.", 10);
    let m = match_reply(&from_name, &apps).unwrap();
    assert_eq!((m.application_id.as_str(), m.by, m.score), ("a1", MatchedBy::Company, 0.5));
    let nobody = email("<jobs@mailer.example>", "Thanks", "We received your application.", 10);
    assert_eq!(matched(&nobody, &apps), None);
    // A company name that is only part of a word does not count.
    let partial = email("<jobs@mailer.example>", "Globexample weekly", "", 10);
    assert_eq!(matched(&partial, &apps), None);
}

#[test]
fn never_matches_an_email_dated_before_the_application() {
    let apps = [candidate("a1", "Acme", "Backend Engineer", &["acme.com"], 10)];
    let mut early = email("<hr@acme.com>", "Acme Backend Engineer", "", 5);
    early.in_reply_to = vec!["<a1@applyflow>".to_owned()];
    assert_eq!(matched(&early, &apps), None);
    let later = InboundEmail { date: Some(at(11)), ..early.clone() };
    assert_eq!(matched(&later, &apps), some("a1", MatchedBy::Thread));
    // Undated mail cannot be shown to predate anything.
    let undated = InboundEmail { date: None, in_reply_to: vec![], ..early };
    assert_eq!(matched(&undated, &apps), some("a1", MatchedBy::SenderDomain));
}

#[test]
fn webmail_senders_are_not_employer_domains() {
    let apps = [
        candidate("a1", "Acme", "Backend Engineer", &["acme.jobs@gmail.com"], 1),
        candidate("b1", "Beta", "Designer", &["gmail.com"], 1),
    ];
    let recruiter = email("Jane <jane.doe@gmail.com>", "Coffee chat?", "I saw your profile.", 10);
    assert_eq!(matched(&recruiter, &apps), None);
}

#[test]
fn strongest_rule_wins() {
    let apps = [
        candidate("dom", "Acme", "Backend Engineer", &["acme.com"], 1),
        candidate("named", "Globex", "Backend Engineer", &[], 2),
    ];
    // Sent from Acme's domain while naming Globex and the role: the domain rule is stronger.
    let mail = email("<hr@acme.com>", "Globex Backend Engineer", "", 10);
    assert_eq!(matched(&mail, &apps), some("dom", MatchedBy::SenderDomain));
    assert_eq!(matched(&mail, &[]), None);
}
