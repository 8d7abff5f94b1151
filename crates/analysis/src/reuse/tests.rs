//! The reuse rule on every kind of difference the module docs name: the dressing that must
//! still hit, and the near-copies that must miss.

use super::*;

const POSTING: &str = "Senior Backend Engineer
Location: Berlin, Germany (Hybrid)

About Tidewater
Tidewater builds payment rails for small logistics companies across Europe. We are 80 people.

What you'll do
- Design and run the settlement service that moves money for our customers
- Own our PostgreSQL schemas, migrations and query performance
- Mentor two mid-level engineers and review their designs

Requirements
- 6+ years building backend services, 2+ of them in Rust
- Deep experience with PostgreSQL and Kafka
- Excellent written communication in English

Nice to have
- Terraform

Compensation
The salary range for this full-time role is €85,000 – €105,000.

Benefits
- 30 days of holiday
- A learning budget

Tidewater is an equal opportunity employer. We do not discriminate on the basis of race, religion, color, national origin, gender, age or disability.";

fn same(a: &str, b: &str) -> bool {
    let rule = PostingReuse;
    rule.same_answer(&rule.digest(a).facts, &rule.digest(b).facts)
}

fn edit(from: &str, to: &str) -> String {
    assert!(POSTING.contains(from), "{from}");
    POSTING.replacen(from, to, 1)
}

#[test]
fn dressing_does_not_matter() {
    let html = format!(
        "<h2>{}</h2>{}",
        "Senior Backend Engineer",
        POSTING
            .lines()
            .skip(1)
            .map(|l| match l.strip_prefix("- ") {
                Some(item) => format!("<ul><li>{}</li></ul>", item.replace('&', "&amp;")),
                None if l.is_empty() => String::new(),
                None => format!("<p>{}</p>", l.replace('&', "&amp;")),
            })
            .collect::<String>()
    );
    let cases: Vec<(&str, String)> = vec![
        ("identical", POSTING.to_owned()),
        ("html", html),
        ("entity-escaped text", POSTING.replace("– ", "&ndash; ").replace("What you'll", "What you&#39;ll")),
        ("bullet style", POSTING.replace("\n- ", "\n• ")),
        ("numbered", POSTING.replacen("\n- Design", "\n1. Design", 1).replacen("\n- Own", "\n2. Own", 1)),
        ("heading case", POSTING.replace("Requirements", "REQUIREMENTS").replace("What you'll do", "WHAT YOU'LL DO")),
        ("blank lines", POSTING.replace("\n\n", "\n\n\n\n")),
        (
            "paragraph order",
            edit("- Mentor two mid-level engineers and review their designs", "")
                .replacen("- Design and run", "- Mentor two mid-level engineers and review their designs\n- Design and run", 1),
        ),
        ("posting date", format!("{POSTING}\n\nPosted on March 3, 2025")),
        ("requisition id", POSTING.replacen("Senior Backend Engineer", "Senior Backend Engineer (Req ID: R-20417)", 1)),
        ("date line", POSTING.replacen("\n", "\nDate posted: 2025-03-03\n", 1)),
        ("apply footer", format!("{POSTING}\n\nApply now at https://jobs.example.com/tidewater/20417")),
        ("typo fix", edit("review their designs", "reveiw their designs")),
        ("blurb reworded", edit("Tidewater builds payment rails for small logistics companies across Europe. We are 80 people.", "We build the payment rails that small logistics firms across Europe run on. Our team is 80 strong.")),
        ("blurb removed", edit("About Tidewater\nTidewater builds payment rails for small logistics companies across Europe. We are 80 people.\n", "")),
        ("benefits removed", edit("Benefits\n- 30 days of holiday\n- A learning budget\n", "")),
        ("benefits reworded", edit("- 30 days of holiday\n- A learning budget", "- Thirty days off every year\n- Budget for courses and books")),
        ("eeo translated", edit("Tidewater is an equal opportunity employer. We do not discriminate on the basis of race, religion, color, national origin, gender, age or disability.", "Tidewater ist ein Arbeitgeber, der Chancengleichheit bietet. Wir diskriminieren nicht aufgrund von Herkunft, Religion, Geschlecht, Alter oder einer Behinderung.")),
        ("agency notice added", format!("{POSTING}\n\nWe do not accept unsolicited resumes from recruitment agencies.")),
        ("wrapped in the task's delimiters", format!("<posting>\n{POSTING}\n</posting>")),
    ];
    for (why, other) in cases {
        assert!(same(POSTING, &other), "{why} must hit");
        assert!(same(&other, POSTING), "{why} must hit (reversed)");
    }
}

#[test]
fn what_decides_the_answer_does() {
    let cases: Vec<(&str, String)> = vec![
        ("one technology", edit("PostgreSQL and Kafka", "PostgreSQL and RabbitMQ")),
        ("one language", edit("2+ of them in Rust", "2+ of them in Go")),
        ("years", edit("6+ years", "8+ years")),
        ("level", edit("Senior Backend Engineer", "Staff Backend Engineer")),
        ("level and years", edit("Senior Backend Engineer", "Backend Engineer").replacen("6+ years", "3+ years", 1)),
        ("office", edit("Berlin, Germany", "Munich, Germany")),
        ("work model", edit("(Hybrid)", "(Remote)")),
        ("employment type", edit("full-time role", "contract role")),
        ("pay", edit("€85,000 – €105,000", "€95,000 – €115,000")),
        ("currency", edit("€85,000 – €105,000", "£85,000 – £105,000")),
        ("a responsibility added", edit("- Mentor two", "- Lead incident reviews\n- Mentor two")),
        ("a responsibility removed", edit("- Mentor two mid-level engineers and review their designs\n", "")),
        (
            "a requirement moved to nice-to-have",
            edit("- Deep experience with PostgreSQL and Kafka\n", "").replacen(
                "- Terraform",
                "- Terraform\n- Deep experience with PostgreSQL and Kafka",
                1,
            ),
        ),
        ("a nice-to-have dropped", edit("- Terraform\n", "")),
        ("a skill typo-like swap", edit("Kafka", "Kafka Streams")),
        ("pay inside the benefits", edit("- A learning budget", "- A learning budget\n- Salary: €85,000 – €105,000")),
        (
            "html and another technology",
            format!("<p>{}</p>", edit("PostgreSQL and Kafka", "MySQL and Kafka").replace("\n", "</p><p>")),
        ),
    ];
    for (why, other) in cases {
        assert!(!same(POSTING, &other), "{why} must miss");
        assert!(!same(&other, POSTING), "{why} must miss (reversed)");
    }
}

#[test]
fn words_keep_names_and_amounts() {
    assert_eq!(words("C++, C#, Node.js and $120,000/yr"), ["c++", "c#", "node.js", "and", "$120000", "yr"]);
    assert_eq!(words("We’re hiring."), ["we're", "hiring"]);
    assert!(
        one_edit_apart("reveiw", "review")
            && one_edit_apart("recieve", "receive")
            && !one_edit_apart("python", "pithon2")
    );
}
