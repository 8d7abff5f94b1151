//! Employment types ("FullTime", "full_time", "FULL_TIME", "Full-time", "Permanent") and
//! workplace words ("remote", "TELECOMMUTE", "hybrid", "On-site", an is-remote "true").

use domain::WorkplaceType;

/// One of `full_time`, `part_time`, `contract`, `temporary`, `internship`, `volunteer`, or
/// `None` for anything else (`PER_DIEM`, `OTHER`, blank). For a list ("FULL_TIME, CONTRACTOR")
/// the first recognized entry wins.
pub fn employment_type(raw: &str) -> Option<&'static str> {
    raw.split([',', ';', '/', '|', '&']).flat_map(|p| p.split(" or ")).find_map(one_type)
}

fn one_type(s: &str) -> Option<&'static str> {
    let k: String = s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    Some(match k.as_str() {
        "fulltime" | "full" | "permanent" | "regular" | "fte" | "permanentfulltime" | "fulltimepermanent" => {
            "full_time"
        }
        "parttime" | "part" | "permanentparttime" => "part_time",
        "contract" | "contractor" | "contracttohire" | "freelance" | "freelancer" | "consultant" | "consulting" => {
            "contract"
        }
        "temporary" | "temp" | "seasonal" | "fixedterm" | "fixedtermcontract" => "temporary",
        "intern" | "internship" | "trainee" | "traineeship" | "apprenticeship" | "workingstudent" => "internship",
        "volunteer" | "volunteering" => "volunteer",
        _ => return None,
    })
}

/// The workplace a board's own word names, or `None` when it names none (`unspecified`, an
/// is-remote `false`, which says only that the job is not fully remote).
pub fn workplace_from_hint(hint: &str) -> Option<WorkplaceType> {
    let k: String = hint.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    match k.as_str() {
        "remote" | "telecommute" | "true" | "yes" | "fullyremote" | "remoteonly" | "distributed" | "wfh"
        | "workfromhome" | "anywhere" | "100remote" => Some(WorkplaceType::Remote),
        "hybrid" | "partiallyremote" => Some(WorkplaceType::Hybrid),
        "onsite" | "inoffice" | "office" | "inperson" | "officebased" | "onpremise" | "onpremises" => {
            Some(WorkplaceType::Onsite)
        }
        _ if k.contains("hybrid") => Some(WorkplaceType::Hybrid),
        _ if k.contains("remote") || k.contains("telecommute") => Some(WorkplaceType::Remote),
        _ if k.contains("onsite") || k.contains("inoffice") => Some(WorkplaceType::Onsite),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn employment_types() {
        let cases = [
            ("FullTime", Some("full_time")),
            ("full_time", Some("full_time")),
            ("FULL_TIME", Some("full_time")),
            ("Full-time", Some("full_time")),
            ("Permanent", Some("full_time")),
            ("PartTime", Some("part_time")),
            ("part-time", Some("part_time")),
            ("CONTRACTOR", Some("contract")),
            ("Contract", Some("contract")),
            ("freelance", Some("contract")),
            ("Temporary", Some("temporary")),
            ("INTERN", Some("internship")),
            ("Intern", Some("internship")),
            ("VOLUNTEER", Some("volunteer")),
            ("PER_DIEM", None),
            ("OTHER", None),
            ("", None),
            ("OTHER, FULL_TIME", Some("full_time")),
        ];
        for (raw, want) in cases {
            assert_eq!(employment_type(raw), want, "{raw}");
        }
    }

    #[test]
    fn workplace_hints() {
        use WorkplaceType::*;
        let cases = [
            ("remote", Some(Remote)),
            ("TELECOMMUTE", Some(Remote)),
            ("true", Some(Remote)),
            ("Remote", Some(Remote)),
            ("hybrid", Some(Hybrid)),
            ("Hybrid", Some(Hybrid)),
            ("On-site", Some(Onsite)),
            ("onsite", Some(Onsite)),
            ("OnSite", Some(Onsite)),
            ("in office", Some(Onsite)),
            ("unspecified", None),
            ("false", None),
            ("", None),
        ];
        for (hint, want) in cases {
            assert_eq!(workplace_from_hint(hint), want, "{hint}");
        }
    }
}
