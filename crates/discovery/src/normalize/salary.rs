//! Salary parsing from free text ("$120k–$150k + equity", "€60.000 - €75.000 per year",
//! "USD 70/hr", "€500 per day", "CHF 120'000").

use domain::{Salary, SalaryPeriod};
use regex::Regex;
use std::sync::LazyLock;

const CODES: &str = "USD|EUR|GBP|CAD|AUD|NZD|CHF|SEK|NOK|DKK|PLN|CZK|INR|JPY|SGD|HKD|BRL|MXN|ZAR";

/// An ASCII word boundary: Unicode `\b` makes the regex engine give up its fast DFA on any
/// non-ASCII text, which is most descriptions (curly quotes), and slows parsing tenfold.
const B: &str = r"(?-u:\b)";

/// One amount or a range, with a currency symbol or ISO code on either side of either number.
/// Thousands may be grouped with `,` `.` or (Swiss) `'`.
static AMOUNT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let cur = format!(r"(?:(?:US|CA|AU|NZ|HK|A|C|S)?[$€£]|{B}(?:{CODES}){B}\s?)");
    let num = r"\d{1,3}(?:[.,'’]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?";
    Regex::new(&format!(
        r"(?P<pre1>{cur})?\s?(?P<a>{num})\s?(?P<ka>[kKmMbB]{B})?(?:\s?(?P<post1>{CODES}){B})?(?:\s*(?:-|–|—|to|and)\s*(?P<pre2>{cur})?\s?(?P<b>{num})\s?(?P<kb>[kKmMbB]{B})?(?:\s?(?P<post2>{CODES}){B})?)?"
    ))
    .ok()
});

/// A pay period named right after the amount ("/hr", "per year", "a month", "p.a.").
static PERIOD_AFTER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:/|per|an|a|each)?\s*(hours?|hr|h|hourly|days?|daily|weeks?|wk|weekly|months?|mo|monthly|years?|yr|annum|annual|annually|yearly|p\.?a\.?)(?-u:\b)").ok()
});

/// A pay period named shortly before the amount ("hourly rate: $70", "weekly stipend of").
static PERIOD_BEFORE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(hourly|per hour|daily|per day|day rate|weekly|per week|monthly|per month|annual|annually|yearly|per year)(?-u:\b)",
    )
    .ok()
});

/// Words that say an amount is pay rather than a benefit, a fund or a company's revenue.
static PAY_WORDS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(salary|salaries|pay|paid|compensation|base|range|ote|on-target|rate|rates|wage|wages|stipend|earn|earnings|remuneration|package)(?-u:\b)").ok()
});

/// Prose longer than this needs a pay word near an amount; shorter text is taken to be a salary
/// field on its own ("75000 GBP", "$90 - $150 /hour").
const FIELD_LEN: usize = 80;

/// How much context an amount needs before it is believed to be pay.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Context {
    /// A salary field: short text is pay as it stands, long text is treated as prose.
    Field,
    /// A job description: an amount always needs a pay word nearby or an hourly period, however
    /// short the text, because descriptions quote budgets, funding and benefit allowances.
    Prose,
}

/// The first salary-looking amount or range in `text`, or `None`. An amount only counts with a
/// currency (so "5+ years" or "10-20 hrs" are not salaries), amounts in millions or billions
/// (funding, revenue) are skipped, and in longer prose an amount needs a pay word nearby
/// ("salary", "base range", "rate", "stipend") or an hourly period, so "up to $10,000 per year
/// for fertility care" is not read as pay. The period is the one written ("/hr", "per day",
/// "weekly"); without one, small figures are read as hourly or monthly pay and large ones as
/// yearly.
pub fn parse_salary(text: &str) -> Option<Salary> {
    parse_with(text, Context::Field)
}

/// Like [`parse_salary`], for a description: only an amount that is clearly pay counts.
pub(crate) fn parse_salary_in_prose(text: &str) -> Option<Salary> {
    parse_with(text, Context::Prose)
}

fn parse_with(text: &str, context: Context) -> Option<Salary> {
    if !has_currency(text) {
        return None;
    }
    let re = AMOUNT.as_ref()?;
    // Most matches are bare numbers ("5+ years"); capture groups are only worth resolving for
    // the ones with a currency in them.
    re.find_iter(text)
        .filter(|m| has_currency(m.as_str()))
        .find_map(|m| re.captures_at(text, m.start()).and_then(|c| candidate(&c, text, context)))
}

fn candidate(c: &regex::Captures<'_>, text: &str, context: Context) -> Option<Salary> {
    let currency =
        ["pre1", "post1", "pre2", "post2"].iter().find_map(|g| c.name(g)).map(|m| currency_code(m.as_str()))?;
    let a = c.name("a").and_then(|m| parse_number(m.as_str()))?;
    let ka = c.name("ka").is_some_and(|m| m.as_str().eq_ignore_ascii_case("k"));
    let kb = c.name("kb").is_some_and(|m| m.as_str().eq_ignore_ascii_case("k"));
    let big_unit = |g: &str| c.name(g).is_some_and(|m| !m.as_str().eq_ignore_ascii_case("k"));
    if big_unit("ka") || big_unit("kb") {
        return None;
    }
    let whole = c.get(0)?;
    let tail: String = text[whole.end()..].chars().take(40).collect();
    if starts_with_big_unit(&tail) {
        return None;
    }
    let head = &text[..whole.start()];
    let before: String = head.chars().skip(head.chars().count().saturating_sub(60)).collect();

    let b = c.name("b").and_then(|m| parse_number(m.as_str()));
    let mut lo = if ka { a * 1000.0 } else { a };
    let mut hi = b.map(|b| if kb { b * 1000.0 } else { b });
    // "$120-150k": the k written once covers both ends.
    if !ka && kb && a < 1000.0 {
        lo = a * 1000.0;
    }
    if let (Some(h), true, false) = (hi, ka, kb) {
        if h < 1000.0 {
            hi = Some(h * 1000.0);
        }
    }
    if let Some(h) = hi {
        if h < lo {
            (lo, hi) = (h, Some(lo));
        }
    }
    let top = hi.unwrap_or(lo);
    if !(lo.is_finite() && top.is_finite()) || top < 5.0 {
        return None;
    }

    let named = period_after(&tail).or_else(|| period_before(&before));
    let pay_context = PAY_WORDS.as_ref().is_some_and(|re| re.is_match(&before) || re.is_match(&tail));
    let is_prose = context == Context::Prose || text.chars().count() > FIELD_LEN;
    if is_prose && !pay_context && named != Some(SalaryPeriod::Hour) {
        return None;
    }
    let period = named.unwrap_or(if top < 1000.0 {
        SalaryPeriod::Hour
    } else if top < 20_000.0 {
        SalaryPeriod::Month
    } else {
        SalaryPeriod::Year
    });
    Some(Salary { min: Some(lo), max: hi, currency, period })
}

/// An ISO currency code standing alone.
static CODE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(&format!("{B}(?:{CODES}){B}")).ok());

/// Whether `text` has a currency symbol or an ISO code at all. Most descriptions have neither,
/// and these literal searches are far cheaper than the amount pattern.
fn has_currency(text: &str) -> bool {
    text.as_bytes().contains(&b'$')
        || text.contains('€')
        || text.contains('£')
        || CODE.as_ref().is_some_and(|re| re.is_match(text))
}

fn currency_code(s: &str) -> String {
    let s = s.trim();
    match s {
        "$" | "US$" => "USD",
        "CA$" | "C$" => "CAD",
        "AU$" | "A$" => "AUD",
        "NZ$" => "NZD",
        "HK$" => "HKD",
        "S$" => "SGD",
        "€" => "EUR",
        "£" => "GBP",
        other if other.ends_with('€') => "EUR",
        other if other.ends_with('£') => "GBP",
        other => return other.to_owned(),
    }
    .to_owned()
}

/// "120,000", "120.000" and "120'000" are all thousands; "1,5" and "1.5" are decimals. The
/// last `.` or `,` is decimal only when one or two digits follow it.
fn parse_number(s: &str) -> Option<f64> {
    let last_sep = s.rfind(['.', ',']);
    let (int_part, frac) = match last_sep {
        Some(i) if s.len() - i - 1 <= 2 => (&s[..i], &s[i + 1..]),
        _ => (s, ""),
    };
    let digits: String = int_part.chars().filter(char::is_ascii_digit).collect();
    let n = if frac.is_empty() { digits } else { format!("{digits}.{frac}") };
    n.parse::<f64>().ok()
}

fn starts_with_big_unit(tail: &str) -> bool {
    let t = tail.trim_start().to_lowercase();
    ["million", "billion", "mn ", "bn ", "mm "].iter().any(|u| t.starts_with(u)) || t == "mn" || t == "bn"
}

fn period_from_word(w: &str) -> Option<SalaryPeriod> {
    let w = w.to_lowercase();
    Some(match w.as_str() {
        "hour" | "hours" | "hr" | "h" | "hourly" | "per hour" => SalaryPeriod::Hour,
        "day" | "days" | "daily" | "per day" | "day rate" => SalaryPeriod::Day,
        "week" | "weeks" | "wk" | "weekly" | "per week" => SalaryPeriod::Week,
        "month" | "months" | "mo" | "monthly" | "per month" => SalaryPeriod::Month,
        _ if w.starts_with("year") || w.starts_with("annu") || w.starts_with('p') || w == "yr" => SalaryPeriod::Year,
        _ => return None,
    })
}

fn period_after(tail: &str) -> Option<SalaryPeriod> {
    let c = PERIOD_AFTER.as_ref()?.captures(tail)?;
    period_from_word(c.get(1)?.as_str())
}

fn period_before(head: &str) -> Option<SalaryPeriod> {
    let m = PERIOD_BEFORE.as_ref()?.find_iter(head).last()?;
    period_from_word(m.as_str())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use SalaryPeriod::*;

    fn sal(min: f64, max: Option<f64>, currency: &str, period: SalaryPeriod) -> Option<Salary> {
        Some(Salary { min: Some(min), max, currency: currency.into(), period })
    }

    #[test]
    fn patterns_compile() {
        assert!(
            CODE.is_some()
                && AMOUNT.is_some()
                && PERIOD_AFTER.is_some()
                && PERIOD_BEFORE.is_some()
                && PAY_WORDS.is_some()
        );
    }

    #[test]
    fn common_formats() {
        let cases = [
            ("Pay: $120k–$150k plus equity", sal(120_000.0, Some(150_000.0), "USD", Year)),
            ("$120k–$150k + equity", sal(120_000.0, Some(150_000.0), "USD", Year)),
            ("€60.000 - €75.000 per year", sal(60_000.0, Some(75_000.0), "EUR", Year)),
            ("USD 70/hr", sal(70.0, None, "USD", Hour)),
            ("$90 - $150 /hour", sal(90.0, Some(150.0), "USD", Hour)),
            ("rate $40-50/hr", sal(40.0, Some(50.0), "USD", Hour)),
            ("£60K - £95K", sal(60_000.0, Some(95_000.0), "GBP", Year)),
            ("£60K – £95K", sal(60_000.0, Some(95_000.0), "GBP", Year)),
            ("Annual Salary: $265,000—$365,000 USD", sal(265_000.0, Some(365_000.0), "USD", Year)),
            ("75000 GBP", sal(75_000.0, None, "GBP", Year)),
            ("$120-150k base", sal(120_000.0, Some(150_000.0), "USD", Year)),
            ("CA$95,000 to CA$110,000 annually", sal(95_000.0, Some(110_000.0), "CAD", Year)),
            ("monthly salary of €4.500", sal(4_500.0, None, "EUR", Month)),
            ("£3,000 - £3,500 a month", sal(3_000.0, Some(3_500.0), "GBP", Month)),
            ("$1,234.56 per hour", sal(1_234.56, None, "USD", Hour)),
            ("$90,000 - $120,000 a year", sal(90_000.0, Some(120_000.0), "USD", Year)),
            ("CHF 120'000", sal(120_000.0, None, "CHF", Year)),
            ("CHF 120'000 - 140'000", sal(120_000.0, Some(140_000.0), "CHF", Year)),
            ("€500 per day", sal(500.0, None, "EUR", Day)),
            ("day rate £450-£550", sal(450.0, Some(550.0), "GBP", Day)),
            ("$2,000/week", sal(2_000.0, None, "USD", Week)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_salary(text), want, "{text}");
        }
    }

    #[test]
    fn things_that_are_not_salaries() {
        for text in [
            "5+ years of experience",
            "10-20 hrs/week",
            "over $100M in annual bookings",
            "raised $40 million",
            "0.1% – 0.3% equity",
            "Series B, 2024",
            "",
        ] {
            assert_eq!(parse_salary(text), None, "{text}");
        }
    }

    #[test]
    fn prose_needs_pay_words() {
        let benefits = "Our benefits are generous and we care about you and your family a great deal. \
            Fertility HRA (up to $10,000 per year). Learning fund: £500 after a year of service.";
        assert_eq!(parse_salary(benefits), None);
        let ad = "The United States base range for this position is $67,172 - $95,960 plus equity, with benefits.";
        assert_eq!(parse_salary(ad), sal(67_172.0, Some(95_960.0), "USD", Year));
        let stipend =
            "What to expect: four months of research with mentorship. Weekly stipend of 3,850 USD / 2,310 GBP.";
        assert_eq!(parse_salary(stipend), sal(3_850.0, None, "USD", Week));
        let hourly = "This is a contract/part-time role for writers who like words: 10-20 hrs/week, $40-50/hr.";
        assert_eq!(parse_salary(hourly), sal(40.0, Some(50.0), "USD", Hour));
    }

    #[test]
    fn currency_prefilter() {
        for t in ["$5", "5 €", "£5", "5 USD", "(CHF) 5", "USD"] {
            assert!(has_currency(t), "{t}");
        }
        for t in ["", "5 usd", "USDC 5", "SUSD", "5 dollars", "EU"] {
            assert!(!has_currency(t), "{t}");
        }
    }

    #[test]
    fn descriptions_need_pay_words_even_when_short() {
        assert_eq!(parse_salary_in_prose("Learning budget: $2,000"), None);
        assert_eq!(parse_salary("Learning budget: $2,000"), sal(2_000.0, None, "USD", Month));
        assert_eq!(parse_salary_in_prose("Salary: $90k-$110k"), sal(90_000.0, Some(110_000.0), "USD", Year));
        assert_eq!(parse_salary_in_prose("Paid $45/hr"), sal(45.0, None, "USD", Hour));
    }

    #[test]
    fn skips_funding_then_finds_pay() {
        assert_eq!(
            parse_salary("We raised $50M. The salary is $130,000 - $160,000."),
            sal(130_000.0, Some(160_000.0), "USD", Year)
        );
    }

    proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,200}") {
            let _ = parse_salary(&text);
            let _ = parse_salary_in_prose(&text);
        }

        #[test]
        fn never_panics_on_salary_like_text(text in "[$€£ 0-9kK.,'/–-]{0,40}(per|/|a)? ?(year|hr|day|week|month)?") {
            if let Some(s) = parse_salary(&text) {
                prop_assert!(s.min.is_some_and(f64::is_finite));
                prop_assert!(s.max.is_none_or(|m| m >= s.min.unwrap_or(0.0)));
            }
        }

        #[test]
        fn k_ranges_round_trip(a in 20u32..400, d in 0u32..200, sym in "[$€£]", dash in "(-|–|—| to )") {
            let b = a + d;
            let s = parse_salary(&format!("{sym}{a}k{dash}{sym}{b}k")).unwrap();
            prop_assert_eq!(s.min, Some(f64::from(a) * 1000.0));
            prop_assert_eq!(s.max, Some(f64::from(b) * 1000.0));
            prop_assert_eq!(s.period, Year);
        }

        #[test]
        fn min_never_exceeds_max(a in 0u32..1_000_000, b in 0u32..1_000_000, ka: bool, kb: bool) {
            let k = |on: bool| if on { "k" } else { "" };
            if let Some(s) = parse_salary(&format!("${a}{} - ${b}{}", k(ka), k(kb))) {
                if let (Some(lo), Some(hi)) = (s.min, s.max) {
                    prop_assert!(lo <= hi, "{lo} > {hi}");
                }
            }
        }
    }
}
