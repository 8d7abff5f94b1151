//! Preference rules: which postings a user wants to see, and why each one matched.

use crate::text::{contains_word, words};
use domain::Job;
use domain::{Preferences, WorkplaceType};

/// `None` when a rule excludes the posting; otherwise the rules that fired, for the
/// `job.discovered` event's `match_reasons` (e.g. `title matches "engineer"`, `keyword "rust"`,
/// `remote`).
///
/// A posting is excluded when its company is excluded (case-insensitive); its workplace is not
/// one of the wanted ones (an `unknown` workplace gets the benefit of the doubt); locations are
/// given, none matches and the job is not remote; its yearly top of range is known and below the
/// salary floor; or titles/keywords are given and neither a target title nor a keyword matches.
///
/// The salary floor is compared in the posting's own currency: there is no exchange-rate table
/// in a pure crate, and a floor is a rough filter anyway.
pub fn match_preferences(prefs: &Preferences, p: &Job) -> Option<Vec<String>> {
    let company = p.company.trim().to_lowercase();
    if prefs.excluded_companies.iter().any(|c| c.trim().to_lowercase() == company) {
        return None;
    }

    let mut title_reasons = Vec::new();
    let mut other_reasons = Vec::new();
    let push = |list: &mut Vec<String>, r: String| {
        if !list.contains(&r) {
            list.push(r);
        }
    };

    if !prefs.workplaces.is_empty() && p.workplace != WorkplaceType::Unknown {
        if !prefs.workplaces.contains(&p.workplace) {
            return None;
        }
        match p.workplace {
            WorkplaceType::Remote => push(&mut other_reasons, "remote".to_owned()),
            other => push(&mut other_reasons, format!("workplace \"{}\"", other.as_str())),
        }
    }

    if !prefs.locations.is_empty() {
        let hits: Vec<&String> = prefs.locations.iter().filter(|l| contains_word(&p.location, l)).collect();
        if hits.is_empty() && p.workplace != WorkplaceType::Remote {
            return None;
        }
        if p.workplace == WorkplaceType::Remote {
            push(&mut other_reasons, "remote".to_owned());
        }
        for l in hits {
            push(&mut other_reasons, format!("location matches \"{}\"", l.trim()));
        }
    }

    if let Some(floor) = prefs.salary_floor {
        if let Some((top, currency)) = p.salary.as_ref().and_then(|s| Some((s.yearly_max()?, s.currency.as_str()))) {
            if top < floor {
                return None;
            }
            push(&mut other_reasons, format!("salary up to {top:.0} {currency} a year"));
        }
    }

    if !prefs.target_titles.is_empty() || !prefs.keywords.is_empty() {
        let title_words = words(&p.title);
        for t in &prefs.target_titles {
            let wanted = words(t);
            if !wanted.is_empty() && wanted.iter().all(|w| title_words.contains(w)) {
                push(&mut title_reasons, format!("title matches \"{}\"", t.trim()));
            }
        }
        for k in &prefs.keywords {
            if contains_word(&p.title, k) || contains_word(&p.description, k) {
                push(&mut title_reasons, format!("keyword \"{}\"", k.trim()));
            }
        }
        if title_reasons.is_empty() {
            return None;
        }
    }

    title_reasons.extend(other_reasons);
    Some(title_reasons)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use domain::{Salary, SalaryPeriod};

    fn posting(title: &str, location: &str, workplace: WorkplaceType) -> Job {
        let mut p = Job::from_text("test", title, "We build distributed systems in Rust and Go. Trusted by thousands.");
        p.source_id = "1".into();
        p.company = "Acme Corp".into();
        p.location = location.into();
        p.workplace = workplace;
        p.apply_url = "https://example.com/apply".into();
        p
    }

    fn prefs() -> Preferences {
        Preferences {
            target_titles: vec!["backend engineer".into(), "platform engineer".into()],
            keywords: vec!["rust".into(), "kafka".into()],
            ..Preferences::default()
        }
    }

    #[test]
    fn empty_preferences_match_everything() {
        let p = posting("Office Manager", "Paris", WorkplaceType::Onsite);
        assert_eq!(match_preferences(&Preferences::default(), &p), Some(vec![]));
    }

    #[test]
    fn title_and_keyword_reasons() {
        let p = posting("Senior Backend Engineer", "Berlin", WorkplaceType::Onsite);
        let r = match_preferences(&prefs(), &p).unwrap();
        assert_eq!(r, ["title matches \"backend engineer\"", "keyword \"rust\""]);

        let p = posting("Engineer, Backend Platform", "Berlin", WorkplaceType::Onsite);
        let r = match_preferences(&prefs(), &p).unwrap();
        assert!(r.contains(&"title matches \"platform engineer\"".to_owned()), "{r:?}");
    }

    #[test]
    fn neither_title_nor_keyword_excludes() {
        let mut p = posting("Account Executive", "Berlin", WorkplaceType::Onsite);
        p.description = "Trusted by thousands of customers.".into();
        assert_eq!(match_preferences(&prefs(), &p), None);
        // A keyword alone is enough.
        p.description = "Our stack: Kafka.".into();
        assert_eq!(match_preferences(&prefs(), &p), Some(vec!["keyword \"kafka\"".to_owned()]));
    }

    #[test]
    fn keywords_match_whole_words_case_insensitively() {
        let mut p = posting("Account Executive", "Berlin", WorkplaceType::Onsite);
        p.description = "TRUSTED partner, no r-u-s-t here".into();
        assert_eq!(match_preferences(&prefs(), &p), None);
        p.description = "We love RUST.".into();
        assert!(match_preferences(&prefs(), &p).is_some());
    }

    #[test]
    fn excluded_company_is_case_insensitive() {
        let mut prefs = prefs();
        prefs.excluded_companies = vec!["  acme CORP ".into()];
        let p = posting("Backend Engineer", "Berlin", WorkplaceType::Remote);
        assert_eq!(match_preferences(&prefs, &p), None);
    }

    #[test]
    fn workplace_filter_lets_unknown_through() {
        let mut prefs = prefs();
        prefs.workplaces = vec![WorkplaceType::Remote, WorkplaceType::Hybrid];
        assert_eq!(match_preferences(&prefs, &posting("Backend Engineer", "X", WorkplaceType::Onsite)), None);
        let r = match_preferences(&prefs, &posting("Backend Engineer", "X", WorkplaceType::Unknown)).unwrap();
        assert_eq!(r, ["title matches \"backend engineer\"", "keyword \"rust\""]);
        let r = match_preferences(&prefs, &posting("Backend Engineer", "X", WorkplaceType::Hybrid)).unwrap();
        assert!(r.contains(&"workplace \"hybrid\"".to_owned()), "{r:?}");
        let r = match_preferences(&prefs, &posting("Backend Engineer", "X", WorkplaceType::Remote)).unwrap();
        assert!(r.contains(&"remote".to_owned()), "{r:?}");
    }

    #[test]
    fn location_must_match_unless_remote() {
        let mut prefs = prefs();
        prefs.locations = vec!["London".into(), "New York".into()];
        assert_eq!(
            match_preferences(&prefs, &posting("Backend Engineer", "Paris, France", WorkplaceType::Onsite)),
            None
        );
        // "New Yorkshire" is not New York: word boundaries apply.
        assert_eq!(
            match_preferences(&prefs, &posting("Backend Engineer", "New Yorkshire", WorkplaceType::Hybrid)),
            None
        );
        let r = match_preferences(&prefs, &posting("Backend Engineer", "New York, NY", WorkplaceType::Hybrid)).unwrap();
        assert!(r.contains(&"location matches \"New York\"".to_owned()), "{r:?}");
        let r = match_preferences(&prefs, &posting("Backend Engineer", "Anywhere", WorkplaceType::Remote)).unwrap();
        assert!(r.contains(&"remote".to_owned()), "{r:?}");
    }

    #[test]
    fn salary_floor_uses_the_yearly_top_of_range() {
        let mut prefs = prefs();
        prefs.salary_floor = Some(120_000.0);
        let mut p = posting("Backend Engineer", "X", WorkplaceType::Remote);
        let salary = |max: f64, period| Some(Salary { min: None, max: Some(max), currency: "USD".into(), period });
        p.salary = salary(110_000.0, SalaryPeriod::Year);
        assert_eq!(match_preferences(&prefs, &p), None);
        p.salary = salary(90.0, SalaryPeriod::Hour);
        let r = match_preferences(&prefs, &p).unwrap();
        assert!(r.contains(&"salary up to 187200 USD a year".to_owned()), "{r:?}");
        p.salary = None;
        assert!(match_preferences(&prefs, &p).is_some(), "an unknown salary is not excluded");
    }
}
