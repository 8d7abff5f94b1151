#!/usr/bin/env python3
"""Split eval/track/pool.jsonl into tune.jsonl and holdout.jsonl by company.

Rule (see RULES.md, "Company key and split rule"):
  * company key = registrable domain of the sender address, lowercased;
  * for shared senders (ATS platforms, webmail) the key is the employer named in
    the email, written as that employer's own registrable domain; it is taken
    from the author-assigned `company` field and checked against the text;
  * holdout if the first hex digit of md5(key) is 0-7, else tune.

Deterministic: no randomness, output order = pool order.
Usage:  python3 eval/track/split.py        (run from anywhere)
"""
import hashlib
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = ("acknowledgement", "rejection", "interview", "info_request", "offer", "other")
FIELDS = ("subject", "from", "body", "label", "company")

# Two-label public suffixes that occur (or could plausibly occur) in the pool.
MULTI_PART_SUFFIXES = {
    "co.uk", "org.uk", "ac.uk", "com.au", "co.nz", "com.br", "com.mx",
    "co.jp", "com.sg", "com.co", "co.za", "co.in",
}

# Senders that mail on behalf of many employers: the key is the employer instead.
SHARED_SENDERS = {
    # ATS / recruiting platforms
    "greenhouse.io", "greenhouse-mail.io", "lever.co", "myworkday.com",
    "ashbyhq.com", "smartrecruiters.com", "icims.com", "taleo.net",
    "workablemail.com", "jobvite.com", "bamboohr.com", "teamtailor-mail.com",
    "personio.de", "recruitee.com", "successfactors.eu",
    # webmail
    "gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "gmx.de", "web.de",
    "orange.fr", "proton.me",
}


def registrable_domain(host: str) -> str:
    parts = host.lower().strip(".").split(".")
    if len(parts) >= 3 and ".".join(parts[-2:]) in MULTI_PART_SUFFIXES:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def sender_domain(from_field: str) -> str:
    m = re.search(r"<[^<>@\s]+@([^<>\s]+)>\s*$", from_field)
    if not m:
        raise ValueError(f"cannot parse sender address: {from_field!r}")
    return m.group(1)


def squash(text: str) -> str:
    """lowercase, strip accents, keep only [a-z0-9]."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", text.lower())


def company_key(rec: dict) -> str:
    reg = registrable_domain(sender_domain(rec["from"]))
    given = rec.get("company")
    if reg in SHARED_SENDERS:
        if not given:
            raise ValueError(f"shared sender {reg} needs a company field: {rec['subject']!r}")
        stem = squash(given.split(".")[0])
        text = squash(rec["subject"] + " " + rec["from"] + " " + rec["body"])
        if stem not in text:
            raise ValueError(f"company {given!r} not named in email {rec['subject']!r}")
        if registrable_domain(given) != given.lower():
            raise ValueError(f"company key {given!r} is not a registrable domain")
        return given.lower()
    if given and given.lower() != reg:
        raise ValueError(f"company field {given!r} != sender domain {reg!r} ({rec['subject']!r})")
    return reg


def part_of(key: str) -> str:
    first = hashlib.md5(key.encode("utf-8")).hexdigest()[0]
    return "holdout" if first in "01234567" else "tune"


def main() -> int:
    pool = [json.loads(l) for l in (HERE / "pool.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    out = {"tune": [], "holdout": []}
    seen = set()
    for i, rec in enumerate(pool, 1):
        missing = [f for f in ("subject", "from", "body", "label") if not rec.get(f)]
        if missing:
            raise ValueError(f"line {i}: missing {missing}")
        if rec["label"] not in LABELS:
            raise ValueError(f"line {i}: bad label {rec['label']!r}")
        dup = (rec["subject"], rec["body"])
        if dup in seen:
            raise ValueError(f"line {i}: duplicate email {rec['subject']!r}")
        seen.add(dup)
        rec = dict(rec, company=company_key(rec))
        out[part_of(rec["company"])].append({f: rec[f] for f in FIELDS})

    companies = {p: {r["company"] for r in rows} for p, rows in out.items()}
    assert not (companies["tune"] & companies["holdout"]), "company in both parts"

    for part, rows in out.items():
        with open(HERE / f"{part}.jsonl", "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")

    # summary
    print(f"pool: {len(pool)} emails, {len(companies['tune'] | companies['holdout'])} companies")
    print(f"{'label':<16}{'tune':>6}{'holdout':>9}{'total':>7}")
    counts = {p: Counter(r["label"] for r in rows) for p, rows in out.items()}
    for lab in LABELS:
        t, h = counts["tune"][lab], counts["holdout"][lab]
        print(f"{lab:<16}{t:>6}{h:>9}{t + h:>7}")
    t, h = len(out["tune"]), len(out["holdout"])
    print(f"{'total':<16}{t:>6}{h:>9}{t + h:>7}")
    print(f"companies       {len(companies['tune']):>6}{len(companies['holdout']):>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
