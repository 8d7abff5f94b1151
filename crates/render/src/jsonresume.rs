//! JSON Resume export: the typed resume serialized with the official field names, with
//! nulls, empty strings, empty lists and empty objects removed, so the document validates
//! against the official schema (vendored in `schema/jsonresume.schema.json`, checked by the
//! tests).

use domain::profile::Resume;
use serde_json::{Map, Value};

/// The official JSON Resume schema (draft-07), vendored from jsonresume/resume-schema.
pub const SCHEMA: &str = include_str!("../schema/jsonresume.schema.json");

/// The resume as a JSON Resume document, without empty values.
pub fn json_resume(resume: &Resume) -> Value {
    let mut v = serde_json::to_value(resume).unwrap_or(Value::Object(Map::new()));
    prune(&mut v);
    let mut out = Map::new();
    out.insert(
        "$schema".into(),
        "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json".into(),
    );
    if let Value::Object(m) = v {
        out.extend(m);
    }
    Value::Object(out)
}

/// Removes nulls, blank strings and empty arrays/objects, depth first. Returns whether the
/// value itself is now empty.
fn prune(v: &mut Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => {
            items.retain_mut(|x| !prune(x));
            items.is_empty()
        }
        Value::Object(map) => {
            map.retain(|_, x| !prune(x));
            map.is_empty()
        }
        Value::Bool(_) | Value::Number(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::profile::{Basics, Work};

    #[test]
    fn empties_are_removed() {
        let r = Resume {
            basics: Basics { name: Some("A".into()), email: Some(String::new()), ..Basics::default() },
            work: vec![Work { name: Some("X".into()), ..Work::default() }, Work::default()],
            ..Resume::default()
        };
        let v = json_resume(&r);
        assert_eq!(v["basics"], serde_json::json!({"name": "A"}));
        assert_eq!(v["work"], serde_json::json!([{"name": "X"}]));
        assert!(v.get("education").is_none());
    }
}
