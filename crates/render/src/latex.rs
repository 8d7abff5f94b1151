//! The LaTeX source rendering: a standalone `article` document using only packages shipped
//! with `texlive-latex-base` (`geometry`, no `hyperref`), so it compiles with a standard
//! `pdflatex`. Every resume string goes through [`esc`]: the ten special characters become
//! their text commands, brackets are braced (`{[}`: text after `\item` or `\\` is never read
//! as an optional argument), typographic punctuation becomes its LaTeX spelling, Latin-1
//! letters pass through (`inputenc`'s UTF-8 support typesets them), invisible format
//! characters (e.g. right-to-left marks) are dropped, and any other character — which
//! `pdflatex` cannot typeset with its standard fonts (CJK, emoji) — becomes `?`.

use crate::view::{Entry, View};
use std::fmt::Write as _;

const PREAMBLE: &str = "\\documentclass[10pt]{article}
\\usepackage[utf8]{inputenc}
\\usepackage[a4paper,margin=1.8cm]{geometry}
\\pagestyle{empty}
\\setlength{\\parindent}{0pt}
\\setlength{\\parskip}{2pt}
\\emergencystretch=3em
\\newcommand{\\resumesection}[1]{\\par\\vspace{8pt}{\\large\\bfseries #1}\\par\\vspace{-4pt}\\rule{\\linewidth}{0.4pt}\\par\\nopagebreak}
";

/// Escapes text for LaTeX body text.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in crate::view::clean(s).chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '$' => out.push_str("\\$"),
            '&' => out.push_str("\\&"),
            '#' => out.push_str("\\#"),
            '%' => out.push_str("\\%"),
            '_' => out.push_str("\\_"),
            '^' => out.push_str("\\^{}"),
            '~' => out.push_str("\\~{}"),
            '<' => out.push_str("\\textless{}"),
            '>' => out.push_str("\\textgreater{}"),
            '|' => out.push_str("\\textbar{}"),
            // Braced, a bracket is never an optional argument: `\item [x]`, `\\[2pt]`.
            '[' => out.push_str("{[}"),
            ']' => out.push_str("{]}"),
            '"' => out.push_str("''{}"),
            '-' => out.push_str("-{}"),
            '`' | '\'' => {
                out.push_str(if c == '`' { "\\textasciigrave{}" } else { "\\textquotesingle{}" });
            }
            '–' => out.push_str("--"),
            '—' => out.push_str("---"),
            '‘' => out.push('`'),
            '’' => out.push('\''),
            '“' => out.push_str("``"),
            '”' => out.push_str("''"),
            '…' => out.push_str("\\ldots{}"),
            '•' => out.push_str("\\textbullet{}"),
            '·' => out.push_str("\\textperiodcentered{}"),
            c if c.is_ascii_graphic() || c == ' ' => out.push(c),
            c if latin1_letter(c) => out.push(c),
            c if is_format_char(c) => {}
            _ => out.push('?'),
        }
    }
    out
}

/// Latin-1 letters that `inputenc` maps to accent commands available in the default (OT1)
/// font encoding.
fn latin1_letter(c: char) -> bool {
    ('\u{C0}'..='\u{FF}').contains(&c) && !matches!(c, '\u{D0}' | '\u{D7}' | '\u{DE}' | '\u{F0}' | '\u{F7}' | '\u{FE}')
}

/// Invisible formatting characters (bidi marks and embeddings, zero-width characters).
fn is_format_char(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{AD}')
}

fn entry(out: &mut String, e: &Entry, ats: bool) {
    out.push_str("\\par\\vspace{4pt}\\nopagebreak\n");
    if ats {
        let head = [esc(&e.title), esc(&e.subtitle)].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>();
        let meta = [esc(&e.location), esc(&e.dates)].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>();
        let _ = write!(out, "\\textbf{{{}}}", head.join(" --- "));
        if !meta.is_empty() {
            let _ = write!(out, "\\\\\n{}", meta.join(" \\textbar{} "));
        }
        out.push_str("\\par\\nopagebreak\n");
    } else {
        let _ = writeln!(out, "\\textbf{{{}}}\\hfill {}\\par\\nopagebreak", esc(&e.title), esc(&e.dates));
        if !e.subtitle.is_empty() || !e.location.is_empty() {
            let _ = writeln!(out, "\\textit{{{}}}\\hfill \\textit{{{}}}\\par", esc(&e.subtitle), esc(&e.location));
        }
    }
    if !e.summary.is_empty() {
        let _ = writeln!(out, "{}\\par", esc(&e.summary));
    }
    if !e.bullets.is_empty() {
        out.push_str("\\begin{itemize}\\setlength{\\itemsep}{0pt}\\setlength{\\parskip}{0pt}\n");
        for b in &e.bullets {
            let _ = writeln!(out, "\\item {}", esc(b));
        }
        out.push_str("\\end{itemize}\n");
    }
}

/// The view as a LaTeX document. `ats` keeps every fact on its own line; the other templates
/// put dates flush right.
pub(crate) fn render(v: &View, template: &str) -> String {
    let ats = template == "ats";
    let mut out = String::from(PREAMBLE);
    out.push_str("\\begin{document}\n");
    let align = if ats { "flushleft" } else { "center" };
    let _ = writeln!(out, "\\begin{{{align}}}\n{{\\LARGE\\bfseries {}}}\\\\[4pt]", esc(&v.name));
    if !v.label.is_empty() {
        let _ = writeln!(out, "{{\\large {}}}\\\\[2pt]", esc(&v.label));
    }
    let contacts = v.contacts.iter().map(|c| esc(&c.text)).collect::<Vec<_>>();
    let _ = writeln!(out, "{}\n\\end{{{align}}}", contacts.join(" \\textbar{} "));
    for s in &v.sections {
        let _ = writeln!(out, "\\resumesection{{{}}}", esc(s.title));
        if !s.text.is_empty() {
            let _ = writeln!(out, "{}\\par", esc(&s.text));
        }
        for e in &s.entries {
            entry(&mut out, e, ats);
        }
        for r in &s.rows {
            let label = if r.label.is_empty() { String::new() } else { format!("\\textbf{{{}:}} ", esc(&r.label)) };
            let _ = writeln!(out, "{label}{}\\par", esc(&r.text));
        }
    }
    out.push_str("\\end{document}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specials_are_escaped() {
        assert_eq!(esc("\\input{/etc/passwd}"), "\\textbackslash{}input\\{/etc/passwd\\}");
        assert_eq!(esc("100% & $5 #1 a_b ^ ~"), "100\\% \\& \\$5 \\#1 a\\_b \\^{} \\~{}");
        assert_eq!(esc("Zoë – café"), "Zoë -- café");
        assert_eq!(esc("a\u{200F}b 漢字 😀"), "ab ?? ?");
        assert_eq!(esc("--"), "-{}-{}");
        assert_eq!(esc("[x] \\\\[2pt]"), "{[}x{]} \\textbackslash{}\\textbackslash{}{[}2pt{]}");
    }
}
