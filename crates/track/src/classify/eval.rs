//! Measuring the classifier on a labelled corpus (JSON lines `{"subject","from","body","label"}`):
//! accuracy, macro-F1, per-label precision/recall/F1 and the confusion matrix.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{classify, ReplyKind};

/// The labelled set the rules were tuned on (`eval/track/tune.jsonl`), the default corpus of
/// `applyflow bench track`. A score on it shows fit, not generalisation.
pub const TUNE_SET: &str = include_str!("../../data/tracking_labelled.jsonl");

/// One labelled email; other fields of a line (such as `company`) are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelledEmail {
    pub subject: String,
    pub from: String,
    pub body: String,
    pub label: ReplyKind,
}

/// Precision, recall and F1 of one label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelScore {
    pub label: ReplyKind,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// How many emails carry this label.
    pub support: usize,
}

/// The classifier's scores on a corpus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub n: usize,
    pub accuracy: f64,
    /// Mean F1 over the labels that occur in the corpus or in the predictions.
    pub macro_f1: f64,
    /// One entry per label, in [`ReplyKind::ALL`] order.
    pub per_label: Vec<LabelScore>,
    /// `confusion[gold][predicted]` = count, every label present on both axes.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
}

/// Parses JSON lines (blank lines skipped); an error names the 1-based line number.
pub fn parse_corpus(text: &str) -> Result<Vec<LabelledEmail>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| serde_json::from_str(line).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect()
}

/// Classifies every email and compares with its label.
pub fn evaluate(emails: &[LabelledEmail]) -> Evaluation {
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = ReplyKind::ALL
        .iter()
        .map(|gold| (gold.as_str().to_owned(), ReplyKind::ALL.iter().map(|p| (p.as_str().to_owned(), 0)).collect()))
        .collect();
    let mut correct = 0;
    let mut counts: BTreeMap<ReplyKind, (usize, usize, usize)> = BTreeMap::new(); // (tp, predicted, gold)
    for email in emails {
        let predicted = classify(&email.subject, &email.from, &email.body).kind;
        if let Some(cell) = confusion.get_mut(email.label.as_str()).and_then(|row| row.get_mut(predicted.as_str())) {
            *cell += 1;
        }
        counts.entry(predicted).or_default().1 += 1;
        counts.entry(email.label).or_default().2 += 1;
        if predicted == email.label {
            correct += 1;
            counts.entry(predicted).or_default().0 += 1;
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let per_label: Vec<LabelScore> = ReplyKind::ALL
        .iter()
        .map(|&label| {
            let (tp, predicted, gold) = counts.get(&label).copied().unwrap_or_default();
            let (precision, recall) = (ratio(tp, predicted), ratio(tp, gold));
            let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
            LabelScore { label, precision, recall, f1, support: gold }
        })
        .collect();
    let present: Vec<f64> = per_label
        .iter()
        .filter(|s| counts.get(&s.label).is_some_and(|&(_, predicted, gold)| predicted + gold > 0))
        .map(|s| s.f1)
        .collect();
    Evaluation {
        n: emails.len(),
        accuracy: ratio(correct, emails.len()),
        macro_f1: if present.is_empty() { 0.0 } else { present.iter().sum::<f64>() / present.len() as f64 },
        per_label,
        confusion,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_name_the_line() {
        let text =
            "{\"subject\":\"a\",\"from\":\"b\",\"body\":\"c\",\"label\":\"other\",\"company\":\"x.io\"}\n\n{oops}\n";
        let err = parse_corpus(text).unwrap_err();
        assert!(err.starts_with("line 3:"), "{err}");
        assert_eq!(parse_corpus(&text[..text.find('\n').unwrap_or(0)]).map(|v| v.len()), Ok(1));
    }

    #[test]
    fn tune_set_parses_and_scores_are_consistent() {
        let corpus = parse_corpus(TUNE_SET).unwrap_or_else(|e| panic!("{e}"));
        let eval = evaluate(&corpus);
        assert_eq!(eval.n, corpus.len());
        let total: usize = eval.confusion.values().flat_map(|row| row.values()).sum();
        assert_eq!(total, corpus.len());
        assert_eq!(eval.per_label.iter().map(|s| s.support).sum::<usize>(), corpus.len());
    }
}
