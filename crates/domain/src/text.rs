//! Text that third parties fill (job boards, LLM providers) made storable everywhere: NUL and
//! the other C0 control characters (but tab, line feed and carriage return) are removed.
//! PostgreSQL rejects NUL in `text` and `\u0000` in `jsonb`, so one such posting would block
//! its source on that engine; no reader loses anything by their absence.

use serde_json::Value;

/// Whether `c` is kept in stored text.
fn keep(c: char) -> bool {
    !c.is_control() || matches!(c, '\t' | '\n' | '\r') || !c.is_ascii()
}

/// `s` without NUL and other C0 controls (tab and line breaks stay).
pub fn storable(s: &str) -> String {
    if s.chars().all(keep) {
        s.to_owned()
    } else {
        s.chars().filter(|c| keep(*c)).collect()
    }
}

/// Cleans `s` in place (no allocation when there is nothing to remove).
pub fn make_storable(s: &mut String) {
    if !s.chars().all(keep) {
        *s = storable(s);
    }
}

/// Cleans every string (and object key) inside a JSON value, in place.
pub fn make_json_storable(v: &mut Value) {
    match v {
        Value::String(s) => make_storable(s),
        Value::Array(items) => items.iter_mut().for_each(make_json_storable),
        Value::Object(map) => {
            if map.keys().any(|k| !k.chars().all(keep)) {
                let taken = std::mem::take(map);
                for (k, mut item) in taken {
                    make_json_storable(&mut item);
                    map.insert(storable(&k), item);
                }
            } else {
                map.values_mut().for_each(make_json_storable);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_controls_go_text_stays() {
        assert_eq!(storable("Rust\0 Engineer\u{1}\u{7f}"), "Rust Engineer");
        assert_eq!(storable("line one\nline two\tend\r\n"), "line one\nline two\tend\r\n");
        assert_eq!(storable("Zürich — 東京 ✓"), "Zürich — 東京 ✓");
        let mut v = serde_json::json!({"a\u{0}": ["x\u{0}y", {"b": "c\u{0}"}], "n": 1});
        make_json_storable(&mut v);
        assert_eq!(v, serde_json::json!({"a": ["xy", {"b": "c"}], "n": 1}));
    }
}
