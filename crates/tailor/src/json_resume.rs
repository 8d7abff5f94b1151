//! The tailored resume as a JSON Resume document (the renderer's input and `--format json`):
//! the tailored sections plus the profile's untailored ones (languages, awards, volunteer,
//! publications, interests) verbatim, and each line's provenance under `meta.provenance`.

use domain::profile::{Resume, Work};
use domain::{Profile, TailoredResume};
use serde_json::{json, Map, Value};

/// The typed JSON Resume of a tailored resume. Basics other than name, label, email and
/// summary (phone, url, location, profiles) are the profile's own.
pub fn to_json_resume(resume: &TailoredResume, profile: &Profile) -> Resume {
    let p = &profile.resume;
    let mut basics = p.basics.clone();
    basics.name = Some(resume.name.clone()).filter(|n| !n.is_empty());
    basics.label = resume.label.clone();
    basics.email = resume.email.clone();
    basics.summary = resume.summary.clone();
    Resume {
        basics,
        work: resume
            .work
            .iter()
            .map(|w| Work {
                name: Some(w.organization.clone()).filter(|s| !s.is_empty()),
                position: Some(w.position.clone()).filter(|s| !s.is_empty()),
                start_date: w.start_date.clone(),
                end_date: w.end_date.clone(),
                summary: w.summary.clone(),
                highlights: w.highlights.clone(),
                ..Work::default()
            })
            .collect(),
        volunteer: p.volunteer.clone(),
        education: resume.education.clone(),
        awards: p.awards.clone(),
        certificates: resume.certificates.clone(),
        publications: p.publications.clone(),
        skills: resume.skills.clone(),
        languages: p.languages.clone(),
        interests: p.interests.clone(),
        projects: resume.projects.clone(),
    }
}

/// [`to_json_resume`] as JSON without nulls, empty strings, empty arrays or empty objects (the
/// official schema types every field as a string, array or object, never null).
pub fn json_resume_value(resume: &TailoredResume, profile: &Profile) -> Value {
    let mut v = serde_json::to_value(to_json_resume(resume, profile)).unwrap_or(Value::Null);
    strip_empty(&mut v);
    v
}

/// The `--format json` document: [`json_resume_value`] with `$schema` and `meta.provenance`.
pub fn json_resume_document(resume: &TailoredResume, profile: &Profile) -> Value {
    let mut v = json_resume_value(resume, profile);
    if let Value::Object(map) = &mut v {
        let mut doc = Map::new();
        doc.insert(
            "$schema".into(),
            json!("https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"),
        );
        doc.append(map);
        doc.insert(
            "meta".into(),
            json!({
                "version": "v1.0.0",
                "variant": resume.variant_id,
                "strategy": resume.strategy,
                "provenance": resume.provenance,
            }),
        );
        return Value::Object(doc);
    }
    v
}

/// Removes nulls, empty strings and empty containers, recursively.
pub(crate) fn strip_empty(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.values_mut().for_each(strip_empty);
            map.retain(|_, x| !is_empty(x));
        }
        Value::Array(items) => {
            items.iter_mut().for_each(strip_empty);
            items.retain(|x| !is_empty(x));
        }
        _ => {}
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Every string leaf of a JSON value with its JSON pointer, in document order.
pub(crate) fn leaves(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(v, String::new(), &mut out);
    out
}

fn walk(v: &Value, path: String, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) => out.push((path, s.clone())),
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                walk(x, format!("{path}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, x) in map {
                walk(x, format!("{path}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        _ => {}
    }
}
