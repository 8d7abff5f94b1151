//! Seniority of a posting. The rules (title words first, then the description's level phrases
//! and experience asks) live once, in `discovery::normalize::seniority`, which normalization
//! uses too; analysis only adds the default.

use domain::Seniority;

/// Seniority of a posting: title words first (they are the employer's own label), then the
/// description ("internship", "entry-level", years of experience), else [`Seniority::Mid`].
pub fn detect_seniority(title: &str, description: &str) -> Seniority {
    discovery::normalize::seniority(title, description).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Seniority::*;

    #[test]
    fn titles() {
        let cases = [
            ("Senior Software Engineer", Senior),
            ("Staff Software Engineer, Product", Staff),
            ("Principal Engineer", Principal),
            ("Director, Performance Marketing", Director),
            ("Head of Finance - (Operations & Cost)", Director),
            ("Engineering Manager", Manager),
            ("Compliance Manager", Manager),
            ("Senior Product Manager", Senior),
            ("Software Engineering Intern", Intern),
            ("Graduate Financial Crime Analyst - Detection Team", Junior),
            ("Android Engineer I - Subscriptions", Junior),
            ("Analytics Engineer II", Mid),
            ("Android Engineer III", Senior),
            ("Country Lead, Data Center Security", Senior),
        ];
        for (title, want) in cases {
            assert_eq!(detect_seniority(title, ""), want, "{title}");
        }
    }

    #[test]
    fn description_fallback() {
        assert_eq!(detect_seniority("Product Manager", "You have 5+ years of product experience."), Senior);
        assert_eq!(detect_seniority("Developer", "2-4 years of experience with APIs"), Mid);
        assert_eq!(detect_seniority("Developer", "An entry-level role."), Junior);
        assert_eq!(detect_seniority("Developer", "Summer internship in our lab."), Intern);
        assert_eq!(detect_seniority("Developer", "Nothing to go on."), Mid);
    }
}
