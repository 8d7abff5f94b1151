#!/usr/bin/env python3
"""Build labelled cross-board dedup pairs from the eval posting pool.

Labels follow eval/RULES.md section 2 only (never the code's output). Every pair is built from
real postings in eval/pool/postings.jsonl; the only text that is not a posting's own is the
re-spelling of company / title / location named in the brief (legal suffixes, abbreviations,
tags, location spellings) and, for the non-duplicate kinds, the one field that makes the pair a
different requisition (another real city, another seniority word and its years, another real
team name taken from another pool title).

Deterministic: seeded RNG, inputs read in file order.

Outputs
  eval/holdout/dedup.jsonl, eval/tune/dedup.jsonl   {"a": POSTING, "b": POSTING, "duplicate": bool}
  eval/dedup_pairs_meta.jsonl                        one line per pair: split, line, kind, source ids, variations
Usage: python3 eval/make_dedup_pairs.py
"""
import collections
import difflib
import hashlib
import html
import itertools
import json
import os
import random
import re
from html.parser import HTMLParser

ROOT = os.path.dirname(os.path.abspath(__file__))
POOL = os.path.join(ROOT, "pool", "postings.jsonl")
SEED = 20240611

# --------------------------------------------------------------------------------------------
# splits (RULES.md "Splits")


def split_of(company):
    h = hashlib.md5(company.strip().lower().encode("utf-8")).hexdigest()[0]
    return "holdout" if h in "01234567" else "tune"


# Pool employers that are one company (or parent/subsidiary) under two pool names: never used
# as "different employer" negatives.
SAME_GROUP = [{"Temporal", "Temporal Technologies"}, {"Accenture", "Accenture Federal Services"},
              {"Galaxy", "Galaxy (getgalaxy.io)"}, {"Scale AI", "Scale LLP"}]


def same_group(c1, c2):
    return c1 == c2 or any(c1 in g and c2 in g for g in SAME_GROUP)


# Same-employer pool postings that must not be used as "different role" negatives:
#  - Deloitte 361869: same requisition (same URL and req id, identical text), title differs
#    only "(Procore)" / "(Tech - Procore)" -> used as a natural duplicate instead.
#  - STV Digital Solutions Specialist / PMIS Implementation Specialist: same URL (JR5986) and
#    identical text under two unrelated titles -> ambiguous, not used as a pair.
#  - Catawiki Category Manager (Art) / Category Manager - eCommerce (Art): identical text and
#    locations, two job ids -> ambiguous (repost vs eCommerce team), not used as a pair.
NATURAL_DUP = [("deloitte-us-e-consulting-services-consultant-s-t-",
                "deloitte-us-e-consulting-services-consultant-s-t--2")]
AMBIGUOUS = [("stv-digital-solutions-specialist", "stv-pmis-implementation-specialist"),
             ("catawiki-category-manager-art", "catawiki-category-manager-ecommerce-art")]

# --------------------------------------------------------------------------------------------
# description helpers


class _Text(HTMLParser):
    BLOCK = {"p", "div", "br", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
             "table", "section", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self.out.append("\n- ")
        elif tag in self.BLOCK:
            self.out.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCK and tag != "li":
            self.out.append("\n\n")

    def handle_data(self, d):
        self.out.append(d)


def html_to_text(s):
    p = _Text()
    p.feed(s)
    p.close()
    t = "".join(p.out).replace("\xa0", " ")
    t = re.sub(r"[ \t]+\n", "\n", t)
    t = re.sub(r"\n[ \t]+", "\n", t)
    t = re.sub(r"\n{3,}", "\n\n", t)
    t = re.sub(r"(\n- [^\n]*)\n\n(?=- )", r"\1\n", t)
    return t.strip()


def text_to_html(s):
    out = []
    for block in re.split(r"\n\s*\n", s.strip()):
        lines = [l.strip() for l in block.split("\n") if l.strip()]
        if not lines:
            continue
        items, para = [], []
        for l in lines:
            m = re.match(r"^(?:[-•*·▪●]|\d+[.)])\s+(.*)$", l)
            if m:
                if para:
                    out.append("<p>" + "<br>".join(html.escape(x, quote=False) for x in para) + "</p>")
                    para = []
                items.append(m.group(1))
            else:
                if items:
                    out.append("<ul>" + "".join("<li>%s</li>" % html.escape(x, quote=False) for x in items) + "</ul>")
                    items = []
                para.append(l)
        if para:
            out.append("<p>" + "<br>".join(html.escape(x, quote=False) for x in para) + "</p>")
        if items:
            out.append("<ul>" + "".join("<li>%s</li>" % html.escape(x, quote=False) for x in items) + "</ul>")
    return "\n".join(out)


def is_html(s):
    return bool(re.search(r"<(p|div|ul|li|br|h\d|strong|b|span)\b", s, re.I))


def blocks(desc):
    """Split a description into blocks (paragraph / list) keeping its own markup."""
    if is_html(desc):
        parts = re.split(r"(?<=</p>)|(?<=</ul>)|(?<=</ol>)|(?<=</h[1-6]>)|(?<=</div>)|(?:<br\s*/?>\s*){2,}", desc)
    else:
        parts = re.split(r"\n\s*\n", desc)
    return [p for p in parts if p and p.strip()]


def join_blocks(bs, html_mode):
    return ("\n" if html_mode else "\n\n").join(b.strip("\n") for b in bs)


def plain(s):
    return html_to_text(s) if is_html(s) else s


BOILER_RE = re.compile(
    r"equal (employment )?opportunit|\bEEO\b|regardless of (race|their)|reasonable accommodation|"
    r"e-verify|pay transparency|drug[- ]free|protected veteran|affirmative action|"
    r"privacy (notice|policy)|recruitment agenc|agency (fees|resumes)|background check|"
    r"we are an? equal|diversity|applicants? (with|who)|candidate privacy|know your rights|"
    r"please mention the word",  # RemoteOK's own anti-spam footer
    re.I)


def strip_boilerplate(desc, shared):
    """Remove company boilerplate blocks: blocks shared verbatim with another posting of the
    same employer (blurb, benefits, EEO) and EEO/legal blocks. Keeps at least 40% of the text.
    Returns None when nothing would be removed."""
    bs = blocks(desc)
    keep = []
    removed = 0
    for i, b in enumerate(bs):
        t = plain(b).strip()
        if i > 0 and (t in shared or BOILER_RE.search(t)):
            removed += 1
            continue
        keep.append(b)
    if not removed or not keep:
        return None
    out = join_blocks(keep, is_html(desc))
    if len(plain(out)) < 0.4 * len(plain(desc)) or len(plain(out)) < 300:
        return None
    return out


def truncate(desc, rng):
    """First 30-60 % of the description, cut at a word (text) or block (HTML) boundary."""
    frac = rng.uniform(0.30, 0.60)
    if is_html(desc) and rng.random() < 0.5:
        bs = blocks(desc)
        total = sum(len(b) for b in bs)
        acc, keep = 0, []
        for b in bs:
            keep.append(b)
            acc += len(b)
            if acc >= frac * total:
                break
        if len(keep) < len(bs):
            return join_blocks(keep, True)
        desc = html_to_text(desc)
    elif is_html(desc):
        desc = html_to_text(desc)
    cut = int(len(desc) * frac)
    sp = desc.rfind(" ", 0, cut)
    if sp > len(desc) * 0.25:
        cut = sp
    return desc[:cut].rstrip() + rng.choice(["…", "...", ""])


def first_paragraph(desc):
    bs = blocks(desc)
    keep, n = [], 0
    for b in bs:
        keep.append(b)
        n += len(plain(b))
        if n >= 150:
            break
    if len(keep) == len(bs):
        return None
    return join_blocks(keep, is_html(desc))


# --------------------------------------------------------------------------------------------
# company spellings

SUFFIX_RE = re.compile(r"(,?\s+(Inc\.?|Incorporated|LLC|L\.L\.C\.|Ltd\.?|Limited|GmbH|PBC|LLP|"
                       r"S\.R\.L\.?|A/S|Corp\.?|Corporation|B\.V\.))$", re.I)
# brand <-> legal / other real name of the same company (well-known public names)
BRAND = {
    "Meta": ["Meta Platforms, Inc.", "Meta Platforms"],
    "Amazon": ["Amazon.com, Inc.", "Amazon.com Services LLC"],
    "Citi": ["Citigroup Inc.", "Citigroup", "Citibank"],
    "Mastercard": ["Mastercard Incorporated", "MasterCard"],
    "Oracle": ["Oracle Corporation", "Oracle America, Inc."],
    "Eli Lilly": ["Eli Lilly and Company", "Lilly"],
    "Bechtel": ["Bechtel Corporation", "Bechtel Group"],
    "Deloitte": ["Deloitte Consulting LLP", "Deloitte LLP"],
    "Blackstone": ["Blackstone Inc.", "The Blackstone Group"],
    "Apollo Global": ["Apollo Global Management, Inc.", "Apollo"],
    "S&P Global": ["S&P Global Inc."],
    "Warner Music Group": ["Warner Music Group Corp.", "WMG"],
    "Bristol Myers Squibb": ["Bristol-Myers Squibb Company", "BMS"],
    "Palantir Technologies": ["Palantir", "Palantir Technologies Inc."],
    "Temporal": ["Temporal Technologies", "Temporal Technologies, Inc."],
    "Temporal Technologies": ["Temporal", "Temporal Technologies Inc."],
    "Instacart": ["Maplebear Inc.", "Instacart (Maplebear Inc.)"],
    "SoFi": ["SoFi Technologies, Inc.", "SoFi Technologies"],
    "Coinbase": ["Coinbase Global, Inc."],
    "Peloton": ["Peloton Interactive, Inc."],
    "Faire": ["Faire Wholesale, Inc."],
    "Attentive": ["Attentive Mobile Inc."],
    "STV": ["STV Incorporated", "STV Inc."],
    "Catawiki": ["Catawiki B.V."],
    "Turner & Townsend": ["Turner & Townsend Limited", "Turner and Townsend"],
    "Elastic": ["Elastic N.V."],
    "Accenture": ["Accenture LLP", "Accenture plc"],
    "Dentsu": ["dentsu", "Dentsu International"],
    "Grafana Labs": ["Grafana"],
    "Oscar Health": ["Oscar", "Oscar Health, Inc."],
    "Galaxy (getgalaxy.io)": ["Galaxy"],
    "Trackman A/S": ["TrackMan", "Trackman"],
    "Luster National": ["Luster National Inc."],
    "Eleventh Hour Games": ["Eleventh Hour Games Inc."],
}


def company_variants(c, country):
    out = set()
    m = SUFFIX_RE.search(c)
    if m:
        base = c[:m.start()].rstrip(" ,")
        out.add(base)
    else:
        base = c
        if country in ("UK",):
            adds = [" Ltd", " Limited", " Ltd."]
        elif country == "DE":
            adds = [" GmbH"]
        elif country == "NL":
            adds = [" B.V."]
        else:
            adds = [", Inc.", " Inc.", " Inc", ", LLC", " LLC"]
        for a in adds:
            out.add(c + a)
    if c.lower().startswith("the "):
        out.add(c[4:])
    if c.upper() != c:
        out.add(c.upper())
    if c.lower() != c:
        out.add(c.lower())
    for b in BRAND.get(c, []):
        out.add(b)
    out.discard(c)
    return sorted(out)


# --------------------------------------------------------------------------------------------
# title spellings

def title_variants(t, loc_places):
    out = {}
    # abbreviations / expansions
    subs = [(r"\bSenior\b", "Sr."), (r"\bSr\.?(?=\s|$)", "Senior"), (r"\bManager\b", "Mgr"),
            (r"\bEngineer\b", "Eng"), (r"\bVice President\b", "VP"), (r"\bVP\b", "Vice President"),
            (r"\bAssociate\b", "Assoc."), (r" & ", " and "), (r" and ", " & "),
            (r"\bDevelopment\b", "Dev"), (r"\bDirector\b", "Dir.")]
    for pat, rep in subs:
        n = re.sub(pat, rep, t, count=1)
        if n != t:
            out.setdefault("title_abbrev", []).append(n)
    # word order "X, Y" -> "Y X"
    if t.count(",") == 1 and "(" not in t:
        x, y = [s.strip() for s in t.split(",")]
        if 1 <= len(y.split()) <= 3 and len(x.split()) <= 4 and y and x:
            out.setdefault("title_order", []).append("%s %s" % (y, x))
    # punctuation: "X - Y" <-> "X, Y" <-> "X (Y)"
    m = re.match(r"^(.*\S)\s+[-–]\s+(\S.*)$", t)
    if m and t.count(" - ") + t.count(" – ") == 1:
        out.setdefault("title_punct", []).extend(["%s, %s" % m.groups(), "%s (%s)" % m.groups()])
    m = re.match(r"^([^,()]+), ([^,()]+)$", t)
    if m:
        out.setdefault("title_punct", []).extend(["%s - %s" % m.groups(), "%s (%s)" % m.groups()])
    m = re.match(r"^([^()]+) \(([^()]+)\)$", t)
    if m:
        out.setdefault("title_punct", []).extend(["%s - %s" % m.groups(), "%s, %s" % m.groups()])
    # tags
    tags = [" (m/f/d)", " (m/w/d)", " (f/m/d)", " (all genders)"]
    if any(p[0] == "remote" for p in loc_places):
        tags += [" (Remote)", " - Remote", ", Remote"]
    cities = [p[1] for p in loc_places if p[0] == "city"]
    if len(cities) == 1:
        tags += [" - %s" % cities[0], " (%s)" % cities[0]]
    out["title_tag"] = [t + x for x in tags if x.strip(" -(),").lower() not in t.lower()]
    # casing
    cas = [t.upper(), " ".join(w[:1].upper() + w[1:] for w in t.split(" ")), t.lower()]
    out["title_case"] = [c for c in cas if c != t]
    return {k: [x for x in v if x != t] for k, v in out.items() if [x for x in v if x != t]}


# --------------------------------------------------------------------------------------------
# locations: each pool location string parsed by hand into a set of places

STATES = {"NY": "New York", "CA": "California", "WA": "Washington", "MA": "Massachusetts",
          "TX": "Texas", "LA": "Louisiana", "IL": "Illinois", "NJ": "New Jersey", "TN": "Tennessee",
          "CO": "Colorado", "GA": "Georgia", "MI": "Michigan", "FL": "Florida", "AZ": "Arizona",
          "DC": "District of Columbia", "IN": "Indiana", "VA": "Virginia", "WI": "Wisconsin",
          "AL": "Alabama", "MO": "Missouri", "AR": "Arkansas", "PA": "Pennsylvania", "OR": "Oregon",
          "NC": "North Carolina", "OH": "Ohio", "MN": "Minnesota", "UT": "Utah"}
COUNTRY = {"US": "United States", "UK": "United Kingdom", "PT": "Portugal", "NL": "Netherlands",
           "FR": "France", "PL": "Poland", "ES": "Spain", "IE": "Ireland", "DE": "Germany",
           "HT": "Haiti", "BR": "Brazil", "CA": "Canada", "PH": "Philippines", "SE": "Sweden"}
COUNTRY_ALT = {"US": ["United States", "USA", "US", "United States of America"],
               "UK": ["United Kingdom", "UK"], "PL": ["Poland"], "ES": ["Spain"], "FR": ["France"],
               "BR": ["Brazil"]}
REGION = {("London", "UK"): "England", ("Lisbon", "PT"): "Lisbon", ("Amsterdam", "NL"): "North Holland",
          ("Gdańsk", "PL"): "Pomeranian Voivodeship", ("Dublin", "IE"): "County Dublin",
          ("Berlin", "DE"): "Berlin", ("Halifax", "CA"): "Nova Scotia", ("Porto", "PT"): "Porto",
          ("Rotterdam", "NL"): "South Holland", ("Manchester", "UK"): "England",
          ("Warsaw", "PL"): "Masovian Voivodeship", ("Munich", "DE"): "Bavaria", ("Cork", "IE"): "County Cork",
          ("Toronto", "CA"): "Ontario", ("Cebu City", "PH"): "Cebu", ("Metro Manila", "PH"): "National Capital Region",
          ("Cap-Haïtien", "HT"): "Nord", ("Kraków", "PL"): "Lesser Poland Voivodeship",
          ("Edinburgh", "UK"): "Scotland", ("Hamburg", "DE"): "Hamburg", ("Utrecht", "NL"): "Utrecht",
          ("Vancouver", "CA"): "British Columbia", ("Port-au-Prince", "HT"): "Ouest"}
ALIAS = {("New York", "NY"): ["NYC", "New York City", "New York City, NY"],
         ("San Francisco", "CA"): ["SF", "San Francisco"], ("Washington", "DC"): ["Washington, D.C.", "Washington DC"],
         ("Saint Louis", "MO"): ["St. Louis, MO", "St. Louis, Missouri"], ("Seattle", "WA"): ["Seattle"],
         ("Los Angeles", "CA"): ["LA", "Los Angeles"], ("Chicago", "IL"): ["Chicago"], ("Boston", "MA"): ["Boston"],
         ("Austin", "TX"): ["Austin"]}


def C(city, st=None, cc="US"):
    return ("city", city, st, cc)


NYC, SF, SEA, LA_, CHI, BOS = C("New York", "NY"), C("San Francisco", "CA"), C("Seattle", "WA"), \
    C("Los Angeles", "CA"), C("Chicago", "IL"), C("Boston", "MA")
RUS = ("remote", "US")
USA = ("country", "US")


def R(s):
    return ("raw", s)


LOC = {
    "United States": [USA], "United States ": [USA], "USA": [USA], "US": [USA],
    "Remote": [("remote", "")], "REMOTE": [("remote", "")],
    "Remote US": [RUS], "Remote, USA": [RUS], "Remote, United States": [RUS], "Remote - US": [RUS],
    "Remote - United States": [RUS], "Remote - USA": [RUS], "United States, Remote": [RUS],
    "United States - Remote": [RUS], "United States (Remote)": [RUS], "US Remote": [RUS],
    "Remote (US only)": [RUS], "United States - Remote Flexibility": [RUS],
    "US, NY, New York": [NYC], "US, NY, New York City": [NYC], "New York, New York, United States": [NYC],
    "New York, NY": [NYC], "New York": [NYC], "New York New York United States": [NYC],
    "New York, New York": [NYC], "New York City": [NYC], "NYC": [NYC], "NYC, NY": [NYC],
    "USA - New York - 1633 Broadway": [NYC], "Empire State Building, New York, New York": [NYC],
    "New York, One Manhattan West, Corp": [NYC],
    "Purchase, New York": [C("Purchase", "NY")],
    "New York City Office; San Francisco HQ": [NYC, SF], "New York City, NY; San Francisco, CA": [NYC, SF],
    "New York City; San Francisco, CA": [NYC, SF],
    "Clay, New York, United States": [C("Clay", "NY")],
    "Lisbon, Portugal": [C("Lisbon", None, "PT")],
    "San Francisco": [SF], "San Francisco, CA": [SF], "San Francisco, California, United States": [SF],
    "San Francisco, CA, United States": [SF], "San Francisco, California, US": [SF],
    "London": [C("London", None, "UK")],
    "San Francisco, CA • New York, NY • United States": [SF, NYC, USA],
    "New York City; San Francisco; Seattle": [NYC, SF, SEA],
    "Lake Charles, Louisiana, United States": [C("Lake Charles", "LA")],
    "Boston, Massachusetts": [BOS], "Boston, MA": [BOS], "Boston, MA, USA": [BOS],
    "US-WA-Seattle": [SEA], "Seattle, WA": [SEA],
    "Amsterdam, Netherlands; France; Lisbon, Portugal": [C("Amsterdam", None, "NL"), ("country", "FR"), C("Lisbon", None, "PT")],
    "Chicago, San Francisco, Seattle, New York City": [CHI, SF, SEA, NYC],
    "Remote US, SF, SEA, NYC, CHI": [RUS, SF, SEA, NYC, CHI],
    "San Francisco, CA; New York, NY; Los Angeles, CA; Seattle, WA; Chicago, IL; Boston, MA; United States - Remote": [SF, NYC, LA_, SEA, CHI, BOS, RUS],
    "Mountain View, California; New York City, New York; San Francisco, California": [C("Mountain View", "CA"), NYC, SF],
    "Austin; New York City": [C("Austin", "TX"), NYC],
    "Princeton - NJ - US": [C("Princeton", "NJ")],
    "Remote - SF Bay Area": [R("Remote - SF Bay Area")],
    "Brooklyn, NY (Rent the Runway HQ)": [C("Brooklyn", "NY")],
    "San Francisco, CA, US; Remote, US": [SF, RUS],
    "Telecommuter California United States": [R("Telecommuter California United States")],
    "Nashville, TN": [C("Nashville", "TN")],
    "San Francisco, CA, United States ": [SF],
    "Boulder, Colorado, United States; New York, NY, United States": [C("Boulder", "CO"), NYC],
    "Georgia; Illinois; New York; Washington, D.C.": [("state", "GA"), ("state", "IL"), ("state", "NY"), C("Washington", "DC")],
    "New York City Office; San Francisco HQ; Seattle Office": [NYC, SF, SEA],
    "Jersey City New Jersey United States": [C("Jersey City", "NJ")],
    "Queens, New York, United States": [C("Queens", "NY")],
    "San Jose, California, United States": [C("San Jose", "CA")],
    "Battle Creek, Michigan, United States": [C("Battle Creek", "MI")],
    "Austin, TX, United States": [C("Austin", "TX")], "Austin": [C("Austin", "TX")],
    "Orlando, Florida, US": [C("Orlando", "FL")], "Phoenix, Arizona, US": [C("Phoenix", "AZ")],
    "Chandler, Arizona, US": [C("Chandler", "AZ")],
    "Los Angeles, California": [LA_], "Los Angeles": [LA_], "Los Angeles, California, US": [LA_],
    "Vermont Avenue, Washington, District of Columbia": [C("Washington", "DC")],
    "Washington, DC": [C("Washington", "DC")],
    "Houston, Texas, United States": [C("Houston", "TX")], "Houston, Texas, United States of America": [C("Houston", "TX")],
    "Dallas, Texas": [C("Dallas", "TX")], "Pecos, Texas, United States": [C("Pecos", "TX")],
    "Indianapolis, Indiana, US": [C("Indianapolis", "IN")],
    "Indianapolis, Indiana, United States of America": [C("Indianapolis", "IN")],
    "US-CA-San Francisco Bay Area": [R("US-CA-San Francisco Bay Area")],
    "US, WA, Bellevue": [C("Bellevue", "WA")],
    "Oakland, California, United States": [C("Oakland", "CA")],
    "Reston, VA; Menlo Park, CA; San Francisco, CA": [C("Reston", "VA"), C("Menlo Park", "CA"), SF],
    "Menlo Park, CA": [C("Menlo Park", "CA")],
    "Pleasant Prairie, Wisconsin, United States of America": [C("Pleasant Prairie", "WI")],
    "Fresno, California, United States; Los Angeles, California, United States; Sacramento, California, United States; San Francisco Bay Area; Seattle, Washington, United States":
        [C("Fresno", "CA"), LA_, C("Sacramento", "CA"), R("San Francisco Bay Area"), SEA],
    "Sacramento, California, United States": [C("Sacramento", "CA")],
    "Huntsville, Alabama, United States of America": [C("Huntsville", "AL")],
    "Fresno, California, United States": [C("Fresno", "CA")],
    "Amsterdam, Netherlands": [C("Amsterdam", None, "NL")],
    "Poland": [("country", "PL")], "Spain": [("country", "ES")], "France": [("country", "FR")],
    "Brazil": [("country", "BR")], "United Kingdom": [("country", "UK")],
    "SF, Remote (North America)": [SF, ("remote", "NA")],
    "Remote - UK/EU": [("remote", "UKEU")],
    "Stockholm | On-site (Hybrid)": [R("Stockholm | On-site (Hybrid)")],
    "Saint Louis, MO, USA": [C("Saint Louis", "MO")],
    "Pine Bluff": [C("Pine Bluff", "AR")], "Gdańsk": [C("Gdańsk", None, "PL")], "Dublin": [C("Dublin", None, "IE")],
    "Troy, MI": [C("Troy", "MI")], "La Jolla": [C("La Jolla", "CA")],
    "Port-au-Prince": [C("Port-au-Prince", None, "HT")], "Canada (Remote)": [("remote", "CA")],
    "Berlin": [C("Berlin", None, "DE")], "Metro Manila": [C("Metro Manila", None, "PH")],
    "Riverside, CA": [C("Riverside", "CA")], "Halifax": [C("Halifax", None, "CA")],
    "California": [("state", "CA")], "APAC-C1": [R("APAC-C1")], "Remote - Americas": [("remote", "Americas")],
    "Tampa, FL": [C("Tampa", "FL")],
}

REMOTE_FORMS = {
    "US": ["Remote - US", "United States (Remote)", "Remote, USA", "US Remote", "Remote (United States)",
           "Remote - United States", "Remote, US"],
    "": ["Remote", "REMOTE", "remote"],
    "NA": ["Remote (North America)", "North America (Remote)", "Remote - North America"],
    "UKEU": ["Remote - UK/EU", "Remote (UK or EU)", "UK/EU (Remote)"],
    "Americas": ["Remote - Americas", "Americas (Remote)", "Remote (Americas)"],
    "CA": ["Canada (Remote)", "Remote - Canada", "Remote, Canada"],
    "UK": ["Remote - UK", "United Kingdom (Remote)", "Remote, UK"],
}


def render_place(p, style, rng):
    kind = p[0]
    if kind == "raw":
        return p[1]
    if kind == "remote":
        return rng.choice(REMOTE_FORMS[p[1]])
    if kind == "country":
        return rng.choice(COUNTRY_ALT.get(p[1], [COUNTRY[p[1]]]))
    if kind == "state":
        st = p[1]
        return [STATES[st], st, STATES[st] + ", United States", st + ", US"][style % 4]
    _, city, st, cc = p
    if cc == "US":
        full = STATES[st]
        forms = ["%s, %s" % (city, st), "%s, %s, United States" % (city, full), "%s, %s" % (city, full),
                 "US, %s, %s" % (st, city), "%s, %s, USA" % (city, st), "%s, %s, US" % (city, full),
                 "US-%s-%s" % (st, city)]
        if (city, st) in ALIAS and style >= len(forms):
            return rng.choice(ALIAS[(city, st)])
        return forms[style % len(forms)]
    country = COUNTRY[cc]
    short = {"UK": "UK", "US": "US"}.get(cc, country)
    forms = ["%s, %s" % (city, short), "%s, %s, %s" % (city, REGION.get((city, cc), country), country),
             "%s, %s" % (city, country), city]
    return forms[style % len(forms)]


SEPS = ["; ", " | ", " / ", " • "]


def render_loc(places, rng, order=True):
    ps = list(places)
    if order and len(ps) > 1:
        rng.shuffle(ps)
    style = rng.randrange(9)
    parts = [render_place(p, style, rng) for p in ps]
    if len(parts) == 1:
        return parts[0]
    return rng.choice(SEPS).join(parts)


def loc_variant(loc, rng):
    places = LOC.get(loc)
    if not places or all(p[0] == "raw" for p in places) and len(places) == 1:
        return None
    for _ in range(30):
        v = render_loc(places, rng)
        if v.strip() != loc.strip():
            return v
    return None


# another real city (sibling requisition): same country, not already in the set
CITY_POOL = {
    "US": [("Chicago", "IL"), ("Austin", "TX"), ("Seattle", "WA"), ("Boston", "MA"), ("Denver", "CO"),
           ("Atlanta", "GA"), ("Dallas", "TX"), ("Los Angeles", "CA"), ("New York", "NY"),
           ("San Francisco", "CA"), ("Philadelphia", "PA"), ("Portland", "OR"), ("Charlotte", "NC"),
           ("Columbus", "OH"), ("Minneapolis", "MN"), ("Salt Lake City", "UT"), ("Houston", "TX"),
           ("Phoenix", "AZ"), ("Miami", "FL"), ("Washington", "DC")],
    "PT": ["Porto"], "NL": ["Rotterdam", "Utrecht"], "UK": ["Manchester", "Edinburgh"], "PL": ["Warsaw", "Kraków"],
    "IE": ["Cork"], "DE": ["Munich", "Hamburg"], "HT": ["Cap-Haïtien"], "PH": ["Cebu City"], "CA": ["Toronto", "Vancouver"],
}
COUNTRY_SWAP = {"US": ["CA", "UK"], "UK": ["IE", "DE"], "PL": ["ES", "PT"], "ES": ["PT", "FR"],
                "FR": ["ES", "DE"], "BR": ["PT"]}
COUNTRY.update({"IE": "Ireland", "DE": "Germany"})
REMOTE_SWAP = {"US": ["CA", "UK"], "NA": ["UKEU"], "UKEU": ["NA", "US"], "Americas": ["UKEU"], "CA": ["US", "UK"]}


def style_of(loc, places, rng):
    """Index of the render style that reproduces a one-place location string, or None."""
    if len(places) != 1 or places[0][0] != "city":
        return None
    for s in range(7):
        if render_place(places[0], s, rng) == loc:
            return s
    return None


def swap_city(loc, rng):
    """Returns (new_location, old_city, new_city) with one place replaced by another real place."""
    places = LOC.get(loc)
    if not places:
        return None
    idx = [i for i, p in enumerate(places) if p[0] in ("city", "country", "remote", "state")]
    if not idx:
        return None
    i = rng.choice(idx)
    p = places[i]
    if p[0] == "city":
        _, city, st, cc = p
        have = {(q[1], q[2]) for q in places if q[0] == "city"}
        if cc == "US":
            cands = [c for c in CITY_POOL["US"] if c not in have and c[0] != city]
            nc, nst = rng.choice(cands)
            new = C(nc, nst)
        else:
            nc = rng.choice(CITY_POOL[cc])
            new = C(nc, None, cc)
        old_name, new_name = city, new[1]
    elif p[0] == "country":
        cc2 = rng.choice(COUNTRY_SWAP[p[1]])
        new = ("country", cc2)
        old_name, new_name = COUNTRY[p[1]], COUNTRY[cc2]
    elif p[0] == "remote":
        if p[1] not in REMOTE_SWAP:
            return None
        r2 = rng.choice(REMOTE_SWAP[p[1]])
        new = ("remote", r2)
        old_name, new_name = None, None
    else:  # state
        st2 = rng.choice([s for s in ("TX", "CA", "WA", "MA", "IL", "CO") if s != p[1]])
        new = ("state", st2)
        old_name, new_name = STATES[p[1]], STATES[st2]
    nps = list(places)
    nps[i] = new
    st = style_of(loc, places, rng)
    if st is not None:
        newloc = render_place(new, st, rng)
    else:
        newloc = render_loc(nps, rng, order=False)
    if not newloc or newloc == loc:
        return None
    return newloc, old_name, new_name, p[0]


# --------------------------------------------------------------------------------------------
# seniority / team changes (non-duplicates)

YEARS_RE = re.compile(r"\b(\d{1,2})(\s*(?:-|–|to)\s*(\d{1,2}))?(\s*\+)?(\s+(?:or more\s+)?years?)", re.I)


def shift_years(desc, delta):
    def f(m):
        a = int(m.group(1))
        if a > 25:
            return m.group(0)
        na = max(1, a + delta)
        s = str(na)
        if m.group(2):
            b = int(m.group(3))
            s += m.group(2).replace(m.group(3), str(max(na + 1, b + delta)))
        return s + (m.group(4) or "") + m.group(5)
    return YEARS_RE.sub(f, desc)


LEVEL_SUBS = [
    (r"\bSenior Vice President\b", ["Vice President"], -3),
    (r"\bAssociate Vice President\b", ["Vice President", "Senior Vice President"], 3),
    (r"\bAssistant Vice President\b", ["Vice President"], 3),
    (r"\bManaging Director\b", ["Director", "Senior Vice President"], -3),
    (r"\bSenior Lead\b", ["Lead"], -2),
    (r"\bSenior Director\b", ["Director"], -3),
    (r"\bAssociate Director\b", ["Director", "Senior Director"], 3),
    (r"\bSenior Principal\b", ["Principal"], -2),
    (r"\bSenior Manager\b", ["Manager", "Director"], 0),
    (r"\bSr\. Manager\b", ["Manager", "Director"], 0),
    (r"\bSenior\b", ["Staff", "Principal", "Junior", "Lead"], 0),
    (r"\bSr\.(?=\s)", ["Staff", "Principal", "Junior", "Lead"], 0),
    (r"\bStaff\b", ["Senior", "Principal"], 0),
    (r"\bPrincipal\b", ["Senior", "Staff"], 0),
    (r"\bLead\b(?= [A-Z])", ["Senior", "Junior"], -2),
    (r"^Lead\b", ["Senior"], -2),
    (r"\bJunior\b", ["Senior", "Mid-level"], 3),
    (r"\bAssistant Pricing Manager\b", ["Pricing Manager", "Senior Pricing Manager"], 3),
    (r"\bDirector\b", ["Senior Director", "Associate Director"], 0),
    (r"\bVice President\b", ["Senior Vice President", "Assistant Vice President"], 0),
    (r"\bSVP\b", ["VP", "Director"], -3),
    (r"\bIV\b", ["III", "II"], -2), (r"\bIII\b", ["II", "IV"], 0), (r"\bII\b", ["I", "III"], 0),
    (r"\bManager I\b", ["Manager II", "Manager III"], 2),
    (r"\bConsultant\b", ["Sr. Consultant", "Manager"], 3),
    (r"\bSr\. Consultant\b", ["Consultant", "Manager"], 0),
]
RANK = {"Junior": 0, "Mid-level": 1, "I": 1, "II": 2, "III": 3, "IV": 4, "Senior": 2, "Sr.": 2, "Lead": 3,
        "Staff": 3, "Principal": 4, "Manager": 3, "Senior Manager": 4, "Director": 5, "Senior Director": 6,
        "Associate Director": 4, "Vice President": 6, "Senior Vice President": 7, "Assistant Vice President": 5,
        "VP": 6, "SVP": 7, "Consultant": 1, "Sr. Consultant": 2, "Senior Principal": 5, "Sr. Manager": 4,
        "Manager I": 1, "Associate Vice President": 5, "Managing Director": 8, "Senior Lead": 4, "Manager II": 2, "Manager III": 3, "Assistant Pricing Manager": 1,
        "Pricing Manager": 2, "Senior Pricing Manager": 3}
NO_LEVEL = re.compile(r"intern|fellow|entry level|journeyperson|apprentice|program|head of|founding|multiple roles|trainer|ai training|"
                      r"chief|\bhead\b|advisor|specialist\b.*\bspecialist|superintendent", re.I)


def old_is(m, *words):
    return m.group(0) in words


def change_seniority(title, rng):
    """Returns (new_title, delta_years) or None. Titles carrying a requisition number are left
    alone (a sibling at another level would have another number)."""
    if NO_LEVEL.search(title) or re.search(r"\d{5,}", title):
        return None
    for pat, reps, _ in LEVEL_SUBS:
        m = re.search(pat, title)
        if m:
            rep = rng.choice(reps)
            if rep == "Staff" and family(title) != "eng":
                rep = "Principal" if old_is(m, "Senior", "Sr.") else "Senior"
            new = title[:m.start()] + rep + title[m.end():]
            old = m.group(0)
            d = RANK.get(rep, 2) - RANK.get(old, 2)
            words = new.lower().split()
            if any(a == b for a, b in zip(words, words[1:])):
                return None
            return new, (3 if d > 0 else -2) if d else 0
    # no level word: add one (plain role -> Senior, or -> Junior for Analyst/Specialist/Coordinator)
    if re.search(r"\b(Analyst|Specialist|Coordinator|Representative|Associate)\b", title):
        lvl = rng.choice(["Senior ", "Junior "])
        return lvl + title, 3 if lvl == "Senior " else -2
    if re.search(r"\b(Engineer|Developer|Designer|Scientist|Manager|Architect|Artist|Animator|Scheduler|"
                 r"Agent|Electrician|Researcher|Consultant|Partner|Strategist)\b", title):
        return "Senior " + title, 3
    return None


# Team / specialisation names, each taken from a pool title; a team is only swapped for another
# of its own group. (Eli Lilly "GFD" is left out: it abbreviates "Global Facilities Delivery".)
TEAM_GROUPS = [
    ["Hub Delivery Finance", "Central Engineering", "Community Support", "Product & Engineering", "Revenue",
     "Commissions", "Partnerships", "G&A", "Digital Payments", "B2B Strategy & Planning",
     "Compute & Infrastructure Demand", "GTM", "Merch Finance", "Go-To-Market", "Fulfillment", "Value", "Growth",
     "AWS Global Sales Finance", "SCOT Finance", "Retailer", "Corporate Finance", "Pricing & Yield", "AI Innovation",
     "Technology Infrastructure", "Finance Integration", "Sort Center Finance - Middle Mile",
     "WW Ops Finance - CF Support", "Blockchain & Digital Currencies", "SaaS", "Marketing", "R&D", "Credit Products"],
    ["Semiconductor", "Data Centers", "Global Facilities Delivery", "Construction Technologies"],
    ["Art", "Classic Cars"],
]
TEAM_OF = {t.lower(): g for g in TEAM_GROUPS for t in g}


def team_suffix(title):
    """(prefix, team, fmt, group) when the title ends in a known team after ',', ' - ' or in (...)."""
    pats = [(r"^(.*?),\s+([^,]+)$", "%s, %s"), (r"^(.*\S)\s+[-–]\s+([^-–]+)$", "%s - %s"),
            (r"^(.*\S)\s+\(([^()]+)\)$", "%s (%s)"), (r"^(.*\S),\s+(.+)$", "%s, %s")]
    for pat, fmt in pats:
        m = re.match(pat, title)
        if m and m.group(2).strip().lower() in TEAM_OF:
            return m.group(1), m.group(2).strip(), fmt, TEAM_OF[m.group(2).strip().lower()]
    return None


# --------------------------------------------------------------------------------------------

def norm_title_tokens(t):
    t = t.lower().replace("sr.", "senior").replace("&", " and ")
    return {w for w in re.findall(r"[a-z0-9+]+", t) if w not in {"and", "of", "the", "a", "for", "-"}}


def jacc(a, b):
    return len(a & b) / max(1, len(a | b))


FIN = re.compile(r"financ|fp&a|fp and a|strategic|accounting|planning|revenue|payroll|pricing", re.I)
ENG = re.compile(r"engineer|developer|devops|software|data|architect|security", re.I)


def family(t):
    if FIN.search(t):
        return "fin"
    if ENG.search(t):
        return "eng"
    return "other"


def desc_sim(x, y):
    """Similarity of two descriptions: difflib ratio over their words."""
    return difflib.SequenceMatcher(None, plain(x["description"]).split(), plain(y["description"]).split(),
                                   autojunk=False).ratio()


def main():
    rng = random.Random(SEED)
    P = [json.loads(l) for l in open(POOL, encoding="utf-8")]
    byid = {p["id"]: p for p in P}
    for p in P:
        p["split"] = split_of(p["company"])
        assert p["location"] in LOC or p["location"] == "", p["location"]
        p["places"] = LOC.get(p["location"], [])
    byco = collections.defaultdict(list)
    for p in P:
        byco[p["company"]].append(p)
    # blocks shared verbatim with another posting of the same employer (boilerplate)
    shared = {}
    for c, ps in byco.items():
        cnt = collections.Counter()
        for p in ps:
            for b in {plain(x).strip() for x in blocks(p["description"])}:
                cnt[b] += 1
        shared[c] = {b for b, n in cnt.items() if n >= 2 and len(b) > 40}
    ambiguous = {frozenset(x) for x in AMBIGUOUS} | {frozenset(x) for x in NATURAL_DUP}

    def country_of(p):
        for q in p["places"]:
            if q[0] == "city":
                return q[3]
            if q[0] in ("country", "remote") and q[1] in ("US", "UK", "DE", "NL"):
                return q[1]
        return "US"

    def side(p, **kw):
        d = {"company": p["company"], "title": p["title"], "location": p["location"], "description": p["description"]}
        d.update(kw)
        return d

    # ---- variation operators on one side (dict) -------------------------------------------
    def v_company(s, p):
        vs = company_variants(p["company"], country_of(p))
        if not vs:
            return None
        s["company"] = rng.choice(vs)
        return "company"

    def v_title(s, p):
        tv = title_variants(s["title"], p["places"])
        if not tv:
            return None
        k = rng.choice(sorted(tv))
        if "title_order" in tv and rng.random() < 0.5:
            k = "title_order"  # rarer shape, so preferred when the title allows it
        s["title"] = rng.choice(tv[k])
        return k

    def v_location(s, p):
        v = loc_variant(p["location"], rng)
        if v is None:
            return None
        s["location"] = v
        return "location"

    def v_desc(s, p, allow_empty=True):
        d = s["description"]
        ops = ["format", "truncate", "first_paragraph", "boilerplate"] + (["empty"] if allow_empty else [])
        rng.shuffle(ops)
        for op in ops:
            if op == "format":
                s["description"] = html_to_text(d) if is_html(d) else text_to_html(d)
            elif op == "truncate":
                s["description"] = truncate(d, rng)
            elif op == "first_paragraph":
                r = first_paragraph(d)
                if r is None:
                    continue
                s["description"] = r
            elif op == "boilerplate":
                r = strip_boilerplate(d, shared[p["company"]])
                if r is None:
                    continue
                s["description"] = r
            elif op == "empty":
                s["description"] = ""
            return "desc_" + op
        return None

    OPS = {"company": v_company, "title": v_title, "location": v_location, "desc": v_desc}

    pairs = []  # (split, kind, a, b, dup, sources, variations)

    def add(kind, pa, a, b, dup, srcs, vars_):
        if rng.random() < 0.5:
            a, b = b, a
        pairs.append({"split": pa["split"], "kind": kind, "a": a, "b": b, "duplicate": dup,
                      "sources": srcs, "variations": vars_})

    # ---- duplicates: each posting once, 1-3 spelling variations ---------------------------
    for p in P:
        a, b = side(p), side(p)
        n = rng.choices([1, 2, 3], weights=[3, 4, 3])[0]
        fields = ["company", "title", "location", "desc"]
        rng.shuffle(fields)
        done = []
        for f in fields:
            if len(done) >= n:
                break
            tgt = b
            if f == "desc" and rng.random() < 0.25:
                tgt = a  # the other board shows the shorter / converted text
            r = OPS[f](tgt, p)
            if r:
                done.append(r if tgt is b else r + "@a")
        if not done:
            continue
        if a["description"] == "" and b["description"] == "":
            b["description"] = p["description"]
        add("dup_respelled", p, a, b, True, [p["id"]], done)

    # natural duplicate from the pool itself
    for x, y in NATURAL_DUP:
        pa, pb = byid[x], byid[y]
        add("dup_natural", pa, side(pa), side(pb), True, [x, y], ["pool_pair"])

    def noise(s, p):
        """0-1 harmless cross-board variation on a non-duplicate's b side (company or description)."""
        if rng.random() < 0.45:
            r = (v_company if rng.random() < 0.5 else v_desc)(s, p)
            return [r] if r else []
        return []

    # ---- non-duplicates ---------------------------------------------------------------------
    cand = collections.defaultdict(list)

    # Postings whose title or text carries a requisition id are not mutated into "another
    # requisition" (the copy would keep the same id); they still appear in pairs of real postings.
    REQ_ID = re.compile(r"Requisition (?:ID|code|number)|Req(?:uisition)?\s*(?:ID|#)|Job ID|\bJR\d{3,}|"
                        r"\b[A-Z]{3}\d{3}R\d{3}\b|\bR\d{6,}\b")

    def has_req_id(p):
        return bool(re.search(r"\d{5,}", p["title"]) or re.search(r"\d{5,}", plain(p["description"])[:600])
                    or REQ_ID.search(plain(p["description"])))

    # (1) sibling requisition in another city / country
    for p in P:
        if has_req_id(p):
            continue
        r = swap_city(p["location"], rng)
        if not r:
            continue
        newloc, old, new, kind = r
        if kind != "city" and (re.search(r"\b(US|UK|USA|EU)\b", p["title"]) or (old and old in p["title"])):
            continue  # the title names the country / region
        b = side(p, location=newloc)
        vars_ = ["location->" + newloc]
        if kind == "city" and old in p["title"]:
            b["title"] = p["title"].replace(old, new)
            vars_.append("title_city_mention")
        mention = re.compile(r"\b%s\b" % re.escape(old)) if kind == "city" else None
        if mention and old not in ("Purchase", "Clay", "Troy") and mention.search(b["description"]) \
                and rng.random() < 0.6:
            b["description"] = mention.sub(new, b["description"])
            vars_.append("desc_city_mention")
        vars_ += noise(b, p)
        cand["nd_other_city"].append((p, side(p), b, [p["id"]], vars_))

    # (2) seniority changed (years changed accordingly)
    for p in P:
        if has_req_id(p):
            continue
        r = change_seniority(p["title"], rng)
        if not r:
            continue
        nt, delta = r
        d = p["description"]
        if p["title"] in d:
            d = d.replace(p["title"], nt)
        if delta:
            d = shift_years(d, delta)
        b = side(p, title=nt, description=d)
        vars_ = ["title->" + nt, "years%+d" % delta if d != p["description"] else "desc_same"]
        vars_ += noise(b, p)
        cand["nd_seniority"].append((p, side(p), b, [p["id"]], vars_))

    # (3) team / specialisation changed in the title (another real team name from the pool)
    for p in P:
        if has_req_id(p):
            continue
        ts = team_suffix(p["title"])
        if not ts:
            continue
        pre, team, fmt, group = ts
        pool_t = [t for t in group if t.lower() != team.lower() and t.lower() not in p["title"].lower()]
        nteam = rng.choice(pool_t)
        nt = fmt % (pre, nteam)
        d = p["description"].replace(p["title"], nt)  # only where the description repeats the title
        b = side(p, title=nt, description=d)
        vars_ = ["title->" + nt] + (["desc_title_mention"] if d != p["description"] else [])
        vars_ += noise(b, p)
        cand["nd_team"].append((p, side(p), b, [p["id"]], vars_))

    # (4) same title and location copied onto a real posting of another employer (same split)
    for p in P:
        others = [q for q in P if q["split"] == p["split"] and not same_group(q["company"], p["company"])]
        fam = [q for q in others if family(q["title"]) == family(p["title"])]
        q = rng.choice(fam or others)
        b = side(q, title=p["title"], location=p["location"])
        cand["nd_other_employer_same_title"].append((p, side(p), b, [p["id"], q["id"]], ["company=" + q["company"]]))

    # (5) two different real postings of the same employer (natural siblings kept apart)
    for c, ps in byco.items():
        for x, y in itertools.combinations(ps, 2):
            if frozenset((x["id"], y["id"])) in ambiguous:
                continue
            sim = desc_sim(x, y)
            kind = "nd_same_employer_near_copy" if sim >= 0.9 else "nd_same_employer_other_role"
            cand[kind].append((x, side(x), side(y), [x["id"], y["id"]], ["desc_sim=%.2f" % sim]))

    # (6) same / similar title at two different employers (both real, as posted)
    for x, y in itertools.combinations(P, 2):
        if x["split"] != y["split"] or same_group(x["company"], y["company"]):
            continue
        j = jacc(norm_title_tokens(x["title"]), norm_title_tokens(y["title"]))
        if j >= 0.5:
            cand["nd_other_employer_similar_title"].append((x, side(x), side(y), [x["id"], y["id"]], ["title_jaccard=%.2f" % j]))

    # (7) hard: same employer, same title and location, description of another real posting
    for c, ps in byco.items():
        if len(ps) < 2:
            continue
        for x in ps:
            ys = [y for y in ps if y is not x and frozenset((x["id"], y["id"])) not in ambiguous
                  and desc_sim(x, y) < 0.9]
            if not ys:
                continue
            y = rng.choice(ys)
            b = side(x, description=y["description"])
            cand["nd_same_title_other_description"].append((x, side(x), b, [x["id"], y["id"]], ["desc_from=" + y["title"]]))

    # ---- quotas per split ---------------------------------------------------------------------
    QUOTA = {"nd_other_city": 0.24, "nd_seniority": 0.18, "nd_team": 0.10, "nd_other_employer_same_title": 0.12,
             "nd_same_employer_near_copy": 1.0, "nd_same_employer_other_role": 0.10,
             "nd_other_employer_similar_title": 0.12, "nd_same_title_other_description": 0.09}
    for split in ("holdout", "tune"):
        ndup = sum(1 for x in pairs if x["split"] == split and x["duplicate"])
        target_nd = int(round(ndup * 1.5))
        chosen = []
        for kind in sorted(QUOTA):
            cs = [c for c in cand[kind] if c[0]["split"] == split]
            if kind == "nd_other_employer_similar_title":
                cs.sort(key=lambda c: -float(c[4][0].split("=")[1]))
                # at most twice per posting, prefer the most similar titles
                seen, keep = collections.Counter(), []
                for c in cs:
                    if seen[c[3][0]] < 2 and seen[c[3][1]] < 2:
                        keep.append(c)
                        seen[c[3][0]] += 1
                        seen[c[3][1]] += 1
                cs = keep
            else:
                rng.shuffle(cs)
            k = len(cs) if QUOTA[kind] >= 1.0 else min(len(cs), int(round(QUOTA[kind] * target_nd)))
            chosen += [(kind, c) for c in cs[:k]]
        # fill up with more sibling-city / seniority / other-role pairs if short
        fill = [("nd_other_city", c) for c in cand["nd_other_city"] if c[0]["split"] == split] + \
               [("nd_seniority", c) for c in cand["nd_seniority"] if c[0]["split"] == split] + \
               [("nd_same_employer_other_role", c) for c in cand["nd_same_employer_other_role"] if c[0]["split"] == split]
        rng.shuffle(fill)
        used = {id(c) for _, c in chosen}
        for kind, c in fill:
            if len(chosen) >= target_nd:
                break
            if id(c) not in used:
                chosen.append((kind, c))
                used.add(id(c))
        for kind, (p, a, b, srcs, vars_) in chosen:
            add(kind, p, a, b, False, srcs, vars_)

    # ---- write ----------------------------------------------------------------------------------
    order = list(range(len(pairs)))
    rng.shuffle(order)
    meta = []
    for split in ("holdout", "tune"):
        os.makedirs(os.path.join(ROOT, split), exist_ok=True)
        n = 0
        with open(os.path.join(ROOT, split, "dedup.jsonl"), "w", encoding="utf-8") as f:
            for i in order:
                x = pairs[i]
                if x["split"] != split:
                    continue
                # every source posting of the pair is from this split
                assert all(byid[s]["split"] == split for s in x["sources"]), x["sources"]
                f.write(json.dumps({"a": x["a"], "b": x["b"], "duplicate": x["duplicate"]}, ensure_ascii=False) + "\n")
                n += 1
                meta.append({"split": split, "line": n, "kind": x["kind"], "duplicate": x["duplicate"],
                             "sources": x["sources"], "variations": x["variations"]})
    with open(os.path.join(ROOT, "dedup_pairs_meta.jsonl"), "w", encoding="utf-8") as f:
        for m in meta:
            f.write(json.dumps(m, ensure_ascii=False) + "\n")
    cnt = collections.Counter((m["split"], m["kind"]) for m in meta)
    for k in sorted(cnt):
        print(k, cnt[k])
    for split in ("holdout", "tune"):
        ms = [m for m in meta if m["split"] == split]
        print(split, len(ms), "dup", sum(m["duplicate"] for m in ms))


if __name__ == "__main__":
    main()
