//! What one application sends: the applicant as the profile states it, the selected variant's
//! exact PDF, a plain cover note made only of profile facts, and answers to the job's own
//! questions — from the profile or the user, never guessed.

use domain::{Job, Profile};
use serde_json::Value;
use submit::channel::{Answer, Applicant};

/// Fields every ATS form has, which the channel fills itself.
const STANDARD_FIELDS: [&str; 8] =
    ["first_name", "last_name", "email", "phone", "resume", "resume_text", "cover_letter", "cover_letter_text"];

/// The applicant from the profile's `basics`.
pub fn applicant(profile: &Profile) -> Applicant {
    let basics = &profile.resume_json["basics"];
    let name = basics["name"].as_str().unwrap_or("").trim();
    let (first, last) = match name.rsplit_once(' ') {
        Some((f, l)) => (f.trim().to_owned(), l.trim().to_owned()),
        None => (name.to_owned(), String::new()),
    };
    Applicant {
        first_name: first,
        last_name: last,
        email: basics["email"].as_str().unwrap_or("").trim().to_owned(),
        phone: basics["phone"].as_str().map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned),
    }
}

/// A short cover note that states nothing the profile does not: the role, the attachment, and
/// the applicant's own contact details.
pub fn cover_note(job: &Job, a: &Applicant) -> String {
    let name = format!("{} {}", a.first_name, a.last_name).trim().to_owned();
    let mut contact = vec![name];
    contact.push(a.email.clone());
    if let Some(p) = &a.phone {
        contact.push(p.clone());
    }
    format!(
        "Dear {} hiring team,\n\nPlease find attached my resume for the {} position.\n\nKind regards,\n{}\n",
        job.company.trim(),
        job.title.trim(),
        contact.join("\n")
    )
}

/// One question of the job's form.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub field: String,
    pub label: String,
    pub required: bool,
    /// The allowed values' labels, for select questions.
    pub options: Vec<String>,
}

/// The questions of a Greenhouse-style form (`questions`, `location_questions`), without the
/// standard fields.
pub fn questions(job: &Job) -> Vec<Question> {
    let Some(form) = &job.application_questions else { return Vec::new() };
    let mut out = Vec::new();
    for key in ["questions", "location_questions"] {
        for q in form[key].as_array().into_iter().flatten() {
            let label = q["label"].as_str().unwrap_or("").trim().to_owned();
            let required = q["required"].as_bool().unwrap_or(false);
            for f in q["fields"].as_array().into_iter().flatten() {
                let Some(field) = f["name"].as_str() else { continue };
                if STANDARD_FIELDS.contains(&field) {
                    continue;
                }
                let options = f["values"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v["label"].as_str().map(str::to_owned))
                    .collect();
                out.push(Question { field: field.to_owned(), label: label.clone(), required, options });
            }
        }
    }
    out
}

/// The profile's answer to a question it can answer from stated facts: links (LinkedIn,
/// GitHub, website/portfolio), location, full name, email, phone.
fn from_profile(q: &Question, profile: &Value) -> Option<String> {
    let basics = &profile["basics"];
    let label = q.label.to_lowercase();
    let profile_url = |network: &str| {
        basics["profiles"].as_array().into_iter().flatten().find_map(|p| {
            let n = p["network"].as_str().unwrap_or("").to_lowercase();
            let url = p["url"].as_str().unwrap_or("");
            (n.contains(network) || url.to_lowercase().contains(network)).then(|| url.to_owned())
        })
    };
    let text = |v: &Value| v.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    if !q.options.is_empty() {
        return None; // A choice (work authorisation, how you heard of us) is the user's to make.
    }
    if label.contains("linkedin") {
        return profile_url("linkedin");
    }
    if label.contains("github") {
        return profile_url("github");
    }
    if label.contains("website") || label.contains("portfolio") {
        return text(&basics["url"]);
    }
    if label.contains("city") || label == "location" || label.starts_with("current location") {
        let loc = &basics["location"];
        let parts: Vec<String> = ["city", "region", "countryCode"].iter().filter_map(|k| text(&loc[*k])).collect();
        return (!parts.is_empty()).then(|| parts.join(", "));
    }
    if label.contains("full name") || label == "name" {
        return text(&basics["name"]);
    }
    None
}

/// The answers to send and the required questions nobody answered. `given` (field → value,
/// from the user's approval) wins over the profile.
pub fn answer(job: &Job, profile: &Profile, given: &[(String, String)]) -> (Vec<Answer>, Vec<Question>) {
    let mut answers = Vec::new();
    let mut missing = Vec::new();
    for q in questions(job) {
        let value = given
            .iter()
            .find(|(f, _)| *f == q.field)
            .map(|(_, v)| v.clone())
            .or_else(|| from_profile(&q, &profile.resume_json));
        match value {
            Some(value) => answers.push(Answer { field: q.field.clone(), label: q.label.clone(), value }),
            None if q.required => missing.push(q),
            None => {}
        }
    }
    (answers, missing)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn profile() -> Profile {
        Profile::import(
            r#"{"basics":{"name":"Ada Q. Lovelace","email":"ada@example.com","phone":"+44 20 1234",
            "url":"https://ada.example","location":{"city":"London","countryCode":"GB"},
            "profiles":[{"network":"LinkedIn","url":"https://linkedin.com/in/ada"}]}}"#,
        )
        .unwrap()
    }

    #[test]
    fn the_applicant_and_note_come_from_the_profile() {
        let p = profile();
        let a = applicant(&p);
        assert_eq!((a.first_name.as_str(), a.last_name.as_str()), ("Ada Q.", "Lovelace"));
        let job = Job::from_text("greenhouse", "Data Engineer", "x");
        let note = cover_note(&job, &a);
        assert!(note.contains("Data Engineer") && note.contains("ada@example.com") && note.contains("+44 20 1234"));
    }

    #[test]
    fn questions_are_answered_from_facts_or_wait_for_the_user() {
        let raw = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../discovery/tests/fixtures/greenhouse_job_questions.json"
        ))
        .unwrap();
        let mut job = Job::from_text("greenhouse", "Engineer", "x");
        job.application_questions = Some(serde_json::from_str(&raw).unwrap());
        let qs = questions(&job);
        assert!(qs.iter().all(|q| !STANDARD_FIELDS.contains(&q.field.as_str())));
        let (answers, missing) = answer(&job, &profile(), &[]);
        let linkedin = answers.iter().find(|a| a.label == "LinkedIn Profile").unwrap();
        assert_eq!(linkedin.value, "https://linkedin.com/in/ada");
        assert!(missing.iter().any(|q| q.label.starts_with("Why are you interested")), "never a guess");
        assert!(missing.iter().any(|q| q.label.contains("authorized to work")), "a choice is the user's");
        let given: Vec<(String, String)> = missing.iter().map(|q| (q.field.clone(), "Yes".to_owned())).collect();
        let (answers, missing) = answer(&job, &profile(), &given);
        assert!(missing.is_empty());
        assert!(answers.len() >= given.len());
    }
}
