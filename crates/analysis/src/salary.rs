//! Salary parsing from free text ("$120k–$150k", "€60.000 - €75.000 per year", "USD 70/hr").
//!
//! The parser lives once, with the rest of posting normalization, in `discovery::normalize`;
//! this re-export is `analysis::parse_salary` for the analyzer and its callers.

pub use discovery::normalize::parse_salary;

#[cfg(test)]
mod tests {
    use super::*;
    use domain::SalaryPeriod;

    #[test]
    fn reexport_reads_days_and_weeks_as_written() {
        assert_eq!(parse_salary("€500 per day").map(|s| s.period), Some(SalaryPeriod::Day));
        assert_eq!(parse_salary("$2,000/week").map(|s| s.period), Some(SalaryPeriod::Week));
    }
}
