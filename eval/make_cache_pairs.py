#!/usr/bin/env python3
"""Build labelled pairs for the semantic-cache eval set (RULES.md section 3).

Every pair is (a, b): `a` is a real pool posting rendered as TEXT (title line, optional
"Location: ..." line, blank line, description exactly as published); `b` is a variant made by
the rule-driven transformations below. The label follows from which transformation was applied:

  duplicate = true   only formatting / ordering / ids / footer / typos / boilerplate changed
  duplicate = false  one analysis-relevant fact changed (technology, level+years, office,
                     work model, employment type, pay, one bullet, required->nice-to-have),
                     or two different real postings (same employer template, or unrelated).

Deterministic: seeded RNG, pool read in file order.  No project code is used.
Usage: python3 eval/make_cache_pairs.py   (writes eval/{holdout,tune}/cache.jsonl and
eval/cache_pairs_log.jsonl with the kind/detail of every pair for review)
"""
import hashlib
import html
import json
import os
import random
import re
import textwrap
from collections import Counter, defaultdict
from html.parser import HTMLParser

ROOT = os.path.dirname(os.path.abspath(__file__))
POOL = os.path.join(ROOT, "pool", "postings.jsonl")
SEED = 20240611

TARGET = {  # per split
    "dup": 88,
    "neg": {
        "tech": 11, "level_years": 11, "location": 8, "work_model": 8, "employment_type": 7,
        "pay": 8, "bullet_change": 10, "required_to_nice": 6, "combo_format": 10,
        "same_employer_other_job": 8, "unrelated": 4,
    },
}


def split_of(company):
    h = hashlib.md5(company.strip().lower().encode("utf-8")).hexdigest()
    return "holdout" if h[0] in "01234567" else "tune"


# ----------------------------------------------------------------------------- parsing
BULLET_RE = re.compile(r"^(\s*(?:[-•*·▪◦●–]|\d{1,2}[.)])\s+)(.*)$")
HEAD_KW = re.compile(
    r"^(about|what|who|why|how|key|basic|preferred|minimum|required|requirements|qualifications|"
    r"responsibilities|benefits|perks|compensation|pay|the role|the team|your|you|our|job|role|"
    r"position|nice|bonus|skills|education|experience|overview|summary|duties|equal|eeo|"
    r"major|total|work you|a day|where|location|additional|desired|must|bonus points|we offer)\b",
    re.I)


def is_heading_line(s):
    t = s.strip()
    if not t or len(t) > 70 or BULLET_RE.match(t):
        return False
    if t[-1] in ".,;!?)" or t.count(" ") > 8:
        return False
    if ":" in t[:-1]:
        return False
    if t.endswith(":"):
        return True
    return bool(HEAD_KW.match(t)) and t[0].isupper()


def text_blocks(desc):
    blocks = []
    for line in desc.split("\n"):
        core = line.strip()
        lead = line[: len(line) - len(line.lstrip())]
        trail = line[len(line.rstrip()):]
        if not core:
            blocks.append(dict(kind="blank", text="", prefix="", suffix=line))
            continue
        m = BULLET_RE.match(line)
        if m:
            blocks.append(dict(kind="bullet", text=m.group(2).rstrip(), prefix=m.group(1),
                               suffix=trail))
        elif is_heading_line(core):
            blocks.append(dict(kind="heading", text=core, prefix=lead, suffix=trail))
        else:
            blocks.append(dict(kind="para", text=core, prefix=lead, suffix=trail))
    return blocks


class _HP(HTMLParser):
    BLOCK = {"p", "div", "br", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
             "table", "section", "blockquote", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.cur = None
        self.kind = "para"
        self.strong_depth = 0
        self.cur_all_strong = True

    def flush(self):
        if self.cur is not None:
            t = re.sub(r"\s+", " ", "".join(self.cur)).strip()
            # truncated source html: a cut-off tag ends up as data
            t = re.sub(r"<[a-zA-Z]+\s[^<>]*=[^<>]*(<[^>]*>)*$", "", t).strip()
            if t:
                k = self.kind
                if k == "para" and self.cur_all_strong and len(t) <= 80 and not t.endswith("."):
                    k = "heading"
                if k == "para" and is_heading_line(t) and len(t) <= 60:
                    k = "heading"
                self.blocks.append(dict(kind=k, text=t, prefix="", suffix=""))
        self.cur = None
        self.cur_all_strong = True

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCK:
            self.flush()
            self.kind = ("bullet" if tag == "li" else "heading" if tag[0] == "h" and tag[1:].isdigit()
                         else ("para" if tag not in ("p", "div") or self.kind != "bullet" else "bullet"))
        if tag in ("strong", "b"):
            self.strong_depth += 1

    def handle_endtag(self, tag):
        if tag in self.BLOCK:
            self.flush()
            if tag in ("li", "ul", "ol") or tag[0] == "h":
                self.kind = "para"
        if tag in ("strong", "b"):
            self.strong_depth = max(0, self.strong_depth - 1)

    def handle_data(self, data):
        if self.cur is None:
            if not data.strip():
                return
            self.cur = []
        if data.strip() and self.strong_depth == 0:
            self.cur_all_strong = False
        self.cur.append(data)

    def close(self):
        super().close()
        self.flush()


def html_blocks(desc):
    p = _HP()
    p.feed(desc)
    p.close()
    return p.blocks


def words(s):
    return re.findall(r"\w+", s.lower())


def blocks_of(post):
    if post["format"] == "html":
        b = html_blocks(post["description"])
        raw = html.unescape(re.sub(r"<[^>]+>", " ", post["description"]))
        assert "".join(words(raw)) == "".join(words(" ".join(x["text"] for x in b))), post["id"]
        return b
    return text_blocks(post["description"])


# ----------------------------------------------------------------------------- rendering
def sentence_case(t):
    out = []
    for i, w in enumerate(t.split(" ")):
        if i == 0:
            out.append(w[:1].upper() + w[1:])
        elif w.isupper() or any(c.isdigit() for c in w) or (w[:1].isupper() and i > 0 and
                                                            sum(ch.isupper() for ch in w) > 1):
            out.append(w)
        else:
            out.append(w.lower())
    return " ".join(out)


def title_case(t):
    small = {"and", "or", "of", "the", "a", "an", "to", "in", "for", "on", "at", "with"}
    out = []
    for i, w in enumerate(t.split(" ")):
        if w.lower() in small and i > 0:
            out.append(w.lower())
        else:
            out.append(w[:1].upper() + w[1:])
    return " ".join(out)


def case_heading(t, mode):
    if mode == "upper":
        return t.upper()
    if mode == "sentence":
        return sentence_case(t)
    if mode == "title":
        return title_case(t)
    return t


def render_text(blocks, opts):
    """opts: keep (bool: reproduce raw lines), bullet (None|'-'|'•'|'*'|'num'),
    heading (None|'upper'|'sentence'|'title'), wrap (None|int), gap (1|2)."""
    if opts.get("keep"):
        lines = []
        num = 0
        for b in blocks:
            if b["kind"] == "bullet" and opts.get("bullet"):
                num += 1
                mk = f"{num}. " if opts["bullet"] == "num" else opts["bullet"] + " "
                lines.append(mk + b["text"])
                continue
            if b["kind"] != "bullet":
                num = 0
            t = b["text"]
            if b["kind"] == "heading" and opts.get("heading"):
                t = case_heading(t, opts["heading"])
            if b["kind"] == "para" and opts.get("wrap"):
                lines.append(textwrap.fill(t, width=opts["wrap"]))
                continue
            lines.append(b["prefix"] + t + b["suffix"])
        s = "\n".join(lines)
        if opts.get("gap", 1) == 2:
            s = re.sub(r"\n(?=\S)", "\n\n", s)
        return s
    out = []
    num = 0
    gap = "\n" * (opts.get("gap", 1) + 1)
    prev = None
    for b in blocks:
        if b["kind"] == "blank":
            continue
        t = b["text"]
        if b["kind"] == "bullet":
            num += 1
            style = opts.get("bullet") or "-"
            mk = f"{num}. " if style == "num" else style + " "
            piece = mk + t
            sep = "\n" if prev == "bullet" else gap
        else:
            num = 0
            if b["kind"] == "heading":
                piece = case_heading(t, opts.get("heading"))
            else:
                piece = textwrap.fill(t, width=opts["wrap"]) if opts.get("wrap") else t
            sep = gap
        out.append((sep if out else "") + piece)
        prev = b["kind"]
    return "".join(out)


def render_html(blocks, opts):
    out = []
    in_list = False
    for b in blocks:
        if b["kind"] == "blank":
            continue
        t = html.escape(b["text"], quote=False)
        if b["kind"] == "bullet":
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{t}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if b["kind"] == "heading":
            out.append(f"<h3>{html.escape(case_heading(b['text'], opts.get('heading')), quote=False)}</h3>")
        else:
            out.append(f"<p>{t}</p>")
    if in_list:
        out.append("</ul>")
    return ("\n\n" if opts.get("gap", 1) == 2 else "\n").join(out)


def as_text(title, loc, desc):
    head = title + (f"\nLocation: {loc}" if loc else "")
    return head + "\n\n" + desc


# ----------------------------------------------------------------------------- sections
ABOUT_H = re.compile(r"^(about (us|the company|our company)\b|who we are\b|company description|our company\b|"
                     r"our story|our mission|our purpose)", re.I)
BENEF_H = re.compile(r"(benefits|perks|what we offer|why join|why you('|’)ll love|total rewards|"
                     r"what('|’)s in it for you|we offer)", re.I)
EEO_H = re.compile(r"(equal (employment )?opportunit|\beeo\b|\beoe\b|diversity|inclusion|diverse teams|"
                   r"accommodation|know your rights)", re.I)
REQ_H = re.compile(r"(requirement|qualification|you have|you('|’)ll bring|you bring|looking for|must have|"
                   r"about you|who you are|skills|what we need|your profile|your experience|"
                   r"education and experience|what you need|you should have|you('|’)re a fit)", re.I)
NICE_H = re.compile(r"(nice to have|nice-to-have|preferred|bonus|\bplus\b|ideally|desired)", re.I)
RESP_H = re.compile(r"(responsibilit|what you('|’)ll do|you will|the role|duties|day to day|day-to-day|"
                    r"key job|in this role|your impact|work you|a day in the life|what you('|’)ll be doing|"
                    r"your mission|the job)", re.I)

EEO_P = re.compile(r"(equal (employment )?opportunity|without regard to|protected veteran|"
                   r"does not discriminate|do not discriminate|affirmative action|eeo\b)", re.I)
AGENCY_P = re.compile(r"(agenc(y|ies)|recruiters?).{0,120}(unsolicited|résumés?|resumes?|cvs?\b|fees?)", re.I)
PROTECT = re.compile(
    r"([$€£]\s?\d|\d\s?(usd|eur|gbp)\b|salary|pay range|base pay|compensation range|per hour|hourly|"
    r"\bremote\b|hybrid|on-?site|in-office|in the office|days (per|a) week|relocat|telework|"
    r"full[- ]time|part[- ]time|contract|temporary|permanent|\d+\+?\s*(years|yrs)|visa|sponsor|travel|"
    r"required|must\b|clearance)", re.I)


def sections(blocks):
    """list of (start, end, heading_text) with start = heading index; blocks before the first
    heading are not a section."""
    hs = [i for i, b in enumerate(blocks) if b["kind"] == "heading"]
    out = []
    for j, i in enumerate(hs):
        end = hs[j + 1] if j + 1 < len(hs) else len(blocks)
        out.append((i, end, blocks[i]["text"]))
    return out


def sec_class(h, company):
    hl = h.strip().rstrip(":").strip()
    if EEO_H.search(hl):
        return "eeo"
    if BENEF_H.search(hl) and not REQ_H.search(hl):
        return "benefits"
    first = re.split(r"[\s,]+", company.strip())[0].lower()
    if ABOUT_H.match(hl) or hl.lower() == f"about {company.lower()}" or (
            hl.lower().startswith(f"about {first}") and len(hl.split()) <= 4):
        return "about"
    if NICE_H.search(hl):
        return "nice"
    if REQ_H.search(hl):
        return "req"
    if RESP_H.search(hl):
        return "resp"
    return "other"


def sec_text(blocks, s, e):
    return " ".join(b["text"] for b in blocks[s:e])


# ----------------------------------------------------------------------------- constants
TYPOS = [("experience", "experiance"), ("environment", "enviroment"), ("opportunity", "oppurtunity"),
         ("across", "accross"), ("their", "thier"), ("receive", "recieve"),
         ("including", "includng"), ("working", "workign"), ("which", "wich"), ("with", "wtih"), ("ability", "abilty"), ("successful", "succesful"), ("responsible", "responsable"),
         ("together", "togehter"), ("believe", "beleive"), ("committed", "commited"),
         ("independently", "independantly"), ("collaborate", "colaborate"), ("develop", "develope"),
         ("their", "there"), ("strong", "stong"), ("people", "poeple"),
         ("growth", "grwoth"), ("other", "ohter"), ("about", "abuot")]

EEO_REWORD = ("{c} is an equal opportunity employer. All qualified applicants are considered for "
              "employment regardless of race, colour, religion, sex, sexual orientation, gender identity, "
              "national origin, age, disability, veteran status or any other legally protected status.")
EEO_TRANS = {
    "fr": ("Égalité des chances", "{c} est un employeur garantissant l'égalité des chances. Toutes les "
           "candidatures qualifiées sont examinées sans distinction d'origine, de sexe, d'orientation "
           "sexuelle, d'identité de genre, d'âge, de religion, de handicap ou de tout autre statut protégé "
           "par la loi."),
    "de": ("Chancengleichheit", "{c} ist ein Arbeitgeber, der Chancengleichheit fördert. Alle qualifizierten "
           "Bewerbungen werden unabhängig von Herkunft, Geschlecht, sexueller Orientierung, "
           "Geschlechtsidentität, Alter, Religion, Behinderung oder einem anderen gesetzlich geschützten "
           "Merkmal berücksichtigt."),
    "es": ("Igualdad de oportunidades", "{c} es un empleador que ofrece igualdad de oportunidades. Todas las "
           "candidaturas cualificadas se consideran sin distinción de raza, color, religión, sexo, "
           "orientación sexual, identidad de género, origen nacional, edad, discapacidad o cualquier otra "
           "condición protegida por la ley."),
}
ABOUT_GENERIC = {
    "en": ("About {c}", "{c} is growing and we are building a team of people who care about doing great "
           "work together. Learn more about our story, our values and our culture on our website."),
    "fr": ("À propos de {c}", "{c} est en pleine croissance et nous construisons une équipe de personnes "
           "qui aiment bien travailler ensemble. Découvrez notre histoire, nos valeurs et notre culture sur "
           "notre site web."),
    "de": ("Über {c}", "{c} wächst, und wir bauen ein Team aus Menschen auf, die gemeinsam großartige Arbeit "
           "leisten wollen. Mehr über unsere Geschichte, unsere Werte und unsere Kultur erfährst du auf "
           "unserer Website."),
    "es": ("Sobre {c}", "{c} está creciendo y estamos formando un equipo de personas a las que les importa "
           "hacer un gran trabajo juntas. Conoce nuestra historia, nuestros valores y nuestra cultura en "
           "nuestra web."),
}
BENEFITS_REWORD = ("Benefits", ["Health, dental and vision cover", "Paid time off and holidays",
                                "Retirement savings plan", "Learning and development budget"])
AGENCY_NOTICE = {
    "en": "{c} does not accept unsolicited resumes from recruitment agencies and will not pay fees for "
          "candidates submitted without a signed agreement.",
    "de": "{c} akzeptiert keine unaufgeforderten Lebensläufe von Personalvermittlungen und zahlt keine "
          "Vermittlungsgebühren ohne unterzeichnete Vereinbarung.",
    "fr": "{c} n'accepte pas les CV non sollicités envoyés par des agences de recrutement et ne versera "
          "aucun honoraire sans accord signé.",
}
REMOTEOK_FOOTER = re.compile(r"(<br/>)*\s*Please mention the word \*\*\w+\*\* and tag .*?they're human\.\s*$",
                             re.S)
APPLY_FOOTER_P = re.compile(r"^(please mention the word|to apply|how to apply|apply now|apply today|"
                            r"love this job and want to apply|click the .apply|interested\?|"
                            r"if you('|’)re passionate about this role)", re.I)
META_LINE = re.compile(r"^(requisition id|job id|req(uisition)? ?(#|id|number)|job requisition|posted on|"
                       r"date posted|posting date|job number|anticipated posting close date)\b", re.I)

# technology swaps: term -> alternatives (first one not already in the posting is used)
TECH = [
    ("Python", ["Go", "Scala"]), ("Ruby on Rails", ["Django"]), ("Rails", ["Django"]),
    ("Ruby", ["Python"]), ("Java", ["C#", "Kotlin"]), ("Kotlin", ["Swift"]), ("Swift", ["Kotlin"]),
    ("React", ["Vue.js", "Angular"]), ("Vue.js", ["React"]), ("Angular", ["React"]),
    ("Node.js", ["Java"]), ("C++", ["Rust"]), ("Rust", ["C++"]), ("Django", ["FastAPI"]),
    ("PostgreSQL", ["MySQL"]), ("Postgres", ["MySQL"]), ("MySQL", ["PostgreSQL"]),
    ("MongoDB", ["Cassandra"]), ("AWS", ["GCP", "Azure"]), ("GCP", ["AWS"]), ("Azure", ["AWS"]),
    ("Kubernetes", ["Nomad"]), ("Terraform", ["Pulumi"]), ("Docker", ["Podman"]),
    ("Snowflake", ["BigQuery"]), ("BigQuery", ["Snowflake"]), ("Spark", ["Flink"]),
    ("Kafka", ["RabbitMQ"]), ("Airflow", ["Dagster"]), ("dbt", ["Dataform"]),
    ("Tableau", ["Power BI", "Looker"]), ("Power BI", ["Tableau"]), ("Looker", ["Tableau"]),
    ("Excel", ["Tableau", "Google Sheets"]), ("Salesforce", ["HubSpot"]), ("HubSpot", ["Salesforce"]),
    ("SAP", ["Oracle", "NetSuite"]), ("NetSuite", ["SAP"]), ("Anaplan", ["Adaptive Insights"]),
    ("Hyperion", ["Anaplan"]), ("Essbase", ["Anaplan"]), ("Primavera P6", ["Microsoft Project"]),
    ("P6", ["MS Project"]), ("Procore", ["Autodesk Construction Cloud"]), ("EcoSys", ["Cobra"]),
    ("Figma", ["Sketch"]), ("Unreal Engine", ["Unity"]), ("Unreal", ["Unity"]), ("Unity", ["Unreal Engine"]),
    ("Maya", ["Blender"]), ("Houdini", ["Blender"]), ("Jira", ["Asana"]), ("GraphQL", ["gRPC"]),
    ("Redis", ["Memcached"]), ("Elasticsearch", ["OpenSearch"]), ("PyTorch", ["TensorFlow"]),
    ("TensorFlow", ["PyTorch"]), ("Ansible", ["Chef"]), ("Jenkins", ["GitHub Actions"]),
    ("Zendesk", ["Intercom"]), ("Intercom", ["Zendesk"]), ("Marketo", ["HubSpot"]),
    ("Google Analytics", ["Adobe Analytics"]), ("ADP", ["Paychex"]), ("QuickBooks", ["Xero"]),
    ("VBA", ["Python"]), ("Alteryx", ["KNIME"]), ("BlackLine", ["FloQast"]), ("Coupa", ["Ariba"]),
    ("SQL", ["Python", "NoSQL"]), ("Linux", ["Windows Server"]), ("Splunk", ["Datadog"]), ("Datadog", ["Splunk"]),
    ("TypeScript", ["Dart"]), ("Vue", ["React"]), ("Flutter", ["React Native"]),
    ("React Native", ["Flutter"]), ("Workday Adaptive", ["Anaplan"]), ("Power Apps", ["Retool"]),
    ("Bluebeam", ["PlanGrid"]), ("Revit", ["ArchiCAD"]), ("AutoCAD", ["MicroStation"]),
]

CITIES = [  # (city, state abbrev, state/region full, siblings)
    ("New York City", "NY", "New York", ["Chicago", "Boston"]),
    ("New York", "NY", "New York", ["Chicago", "Boston", "Philadelphia"]),
    ("San Francisco", "CA", "California", ["Los Angeles", "San Diego", "Seattle"]),
    ("Seattle", "WA", "Washington", ["Portland", "Denver"]),
    ("Chicago", "IL", "Illinois", ["Detroit", "Minneapolis"]),
    ("Boston", "MA", "Massachusetts", ["Philadelphia", "Pittsburgh"]),
    ("Houston", "TX", "Texas", ["Denver", "Phoenix"]),
    ("Dallas", "TX", "Texas", ["Atlanta", "Phoenix"]),
    ("Austin", "TX", "Texas", ["Denver", "Raleigh"]),
    ("Los Angeles", "CA", "California", ["San Diego", "Phoenix"]),
    ("Washington", "DC", "District of Columbia", ["Baltimore", "Richmond"]),
    ("Philadelphia", "PA", "Pennsylvania", ["Pittsburgh", "Baltimore"]),
    ("Tampa", "FL", "Florida", ["Orlando", "Miami"]),
    ("Miami", "FL", "Florida", ["Orlando", "Tampa"]),
    ("Atlanta", "GA", "Georgia", ["Charlotte", "Nashville"]),
    ("Denver", "CO", "Colorado", ["Salt Lake City", "Phoenix"]),
    ("Nashville", "TN", "Tennessee", ["Atlanta", "Charlotte"]),
    ("Jersey City", "NJ", "New Jersey", ["Newark", "Hoboken"]),
    ("Morristown", "NJ", "New Jersey", ["Princeton", "Newark"]),
    ("Princeton", "NJ", "New Jersey", ["Morristown", "Newark"]),
    ("Purchase", "NY", "New York", ["Stamford", "White Plains"]),
    ("Lake Charles", "LA", "Louisiana", ["Baton Rouge", "Beaumont"]),
    ("Clay", "NY", "New York", ["Syracuse", "Albany"]),
    ("San Jose", "CA", "California", ["Sacramento", "Oakland"]),
    ("Mountain View", "CA", "California", ["Sunnyvale", "Palo Alto"]),
    ("Boulder", "CO", "Colorado", ["Denver", "Fort Collins"]),
    ("Battle Creek", "MI", "Michigan", ["Grand Rapids", "Detroit"]),
    ("Huntsville", "AL", "Alabama", ["Birmingham", "Montgomery"]),
    ("Indianapolis", "IN", "Indiana", ["Columbus", "Louisville"]),
    ("Brooklyn", "NY", "New York", ["Jersey City", "Hoboken"]),
    ("Queens", "NY", "New York", ["Newark", "Stamford"]),
    ("London", "", "England", ["Manchester", "Edinburgh"]),
    ("Lisbon", "", "Portugal", ["Porto", "Madrid"]),
    ("Amsterdam", "", "Netherlands", ["Rotterdam", "Berlin"]),
    ("Berlin", "", "Germany", ["Munich", "Hamburg"]),
    ("Paris", "", "France", ["Lyon", "Brussels"]),
    ("Madrid", "", "Spain", ["Barcelona", "Lisbon"]),
    ("Milan", "", "Italy", ["Rome", "Turin"]),
    ("Toronto", "ON", "Ontario", ["Vancouver", "Montreal"]),
    ("Dublin", "", "Ireland", ["Cork", "London"]),
    ("Bangalore", "", "India", ["Hyderabad", "Pune"]),
    ("Singapore", "", "Singapore", ["Hong Kong", "Sydney"]),
    ("Sydney", "", "Australia", ["Melbourne", "Brisbane"]),
    ("Warsaw", "", "Poland", ["Krakow", "Gdańsk"]),
    ("Tokyo", "", "Japan", ["Osaka", "Seoul"]),
    ("Barcelona", "", "Spain", ["Madrid", "Valencia"]),
]
STATE_NAMES = {"NY": "New York", "CA": "California", "WA": "Washington", "IL": "Illinois",
               "MA": "Massachusetts", "TX": "Texas", "DC": "District of Columbia", "PA": "Pennsylvania",
               "FL": "Florida", "GA": "Georgia", "CO": "Colorado", "TN": "Tennessee", "NJ": "New Jersey",
               "LA": "Louisiana", "MI": "Michigan", "AL": "Alabama", "IN": "Indiana", "ON": "Ontario",
               "OR": "Oregon", "AZ": "Arizona", "NC": "North Carolina", "UT": "Utah", "MN": "Minnesota",
               "MD": "Maryland", "VA": "Virginia", "CT": "Connecticut", "OH": "Ohio", "KY": "Kentucky",
               "BC": "British Columbia", "QC": "Quebec"}
CITY_STATE = {"Chicago": "IL", "Boston": "MA", "Philadelphia": "PA", "Los Angeles": "CA", "San Diego": "CA",
              "Seattle": "WA", "Portland": "OR", "Denver": "CO", "Detroit": "MI", "Minneapolis": "MN",
              "Pittsburgh": "PA", "Phoenix": "AZ", "Atlanta": "GA", "Raleigh": "NC", "Baltimore": "MD",
              "Richmond": "VA", "Orlando": "FL", "Miami": "FL", "Tampa": "FL", "Charlotte": "NC",
              "Nashville": "TN", "Salt Lake City": "UT", "Newark": "NJ", "Hoboken": "NJ", "Princeton": "NJ",
              "Morristown": "NJ", "Stamford": "CT", "White Plains": "NY", "Baton Rouge": "LA",
              "Beaumont": "TX", "Syracuse": "NY", "Albany": "NY", "Sacramento": "CA", "Oakland": "CA",
              "Sunnyvale": "CA", "Palo Alto": "CA", "Fort Collins": "CO", "Grand Rapids": "MI",
              "Birmingham": "AL", "Montgomery": "AL", "Columbus": "OH", "Louisville": "KY",
              "Jersey City": "NJ", "Vancouver": "BC", "Montreal": "QC"}

ADD_BULLETS = {
    "software": ["Experience running Kafka-based event streaming systems in production",
                 "Participate in a weekly on-call rotation for the services you own",
                 "Hands-on experience with Terraform for infrastructure as code",
                 "Own the CI/CD pipeline and release process for your team"],
    "finance": ["CPA certification required",
                "Own the monthly close and variance reporting for the EMEA region",
                "Hands-on experience administering NetSuite",
                "Lead the annual transfer-pricing documentation process"],
    "construction": ["PMP certification required",
                     "Manage subcontractor change orders and claims end to end",
                     "Travel to project sites up to 50% of the time",
                     "Experience with Procore document control"],
    "design": ["Ship playable prototypes in Unreal Engine Blueprints",
               "Experience with Houdini procedural workflows",
               "Mentor two junior team members"],
    "other": ["Travel up to 40% of the time",
              "Manage a team of three direct reports",
              "Experience with Salesforce reporting and dashboards",
              "Fluent Spanish required"],
}


def family(title):
    t = title.lower()
    if re.search(r"financ|fp&a|account|payroll|revenue|controller|treasur|tax|audit|pricing", t):
        return "finance"
    if re.search(r"project|controls|cost|schedul|construction|program|unifier|capital|field engineer|"
                 r"superintendent|welding|resident engineer", t):
        return "construction"
    if re.search(r"(?<!business )developer|engineer|devops|software|data scien|architect|security|sre|\bml\b|\bai\b", t):
        return "software"
    if re.search(r"project|controls|cost|schedul|construction|program|unifier|capital", t):
        return "construction"
    if re.search(r"design|artist|animator|game", t):
        return "design"
    return "other"


# ----------------------------------------------------------------------------- helpers
def slug(company):
    return re.sub(r"[^a-z0-9]+", "", company.lower())[:20] or "company"


def guard(term):
    return re.compile(r"(?<![\w/.#@-])" + re.escape(term) + r"(?![\w-]|\.\w)")


def replace_text_nodes(desc, fmt, fn):
    """apply fn to the text outside tags (html) or to the whole string (text)."""
    if fmt != "html":
        return fn(desc)
    parts = re.split(r"(<[^>]+>)", desc)
    return "".join(p if p.startswith("<") else fn(p) for p in parts)


# ============================================================================ DUPLICATE OPS
# each op works on a "state": dict(blocks, title, loc, fmt, raw_ok, raw, notes)

def op_meta_lines(st, rng):
    bl = st["blocks"]
    existing = [i for i, b in enumerate(bl) if b["kind"] != "blank" and META_LINE.match(b["text"])]
    li_tags = [i for i, b in enumerate(bl) if re.fullmatch(r"#LI-[A-Z]{1,3}\d+", b["text"].strip())]
    choice = rng.random()
    if (existing or li_tags) and choice < 0.5:
        idx = existing + li_tags
        if rng.random() < 0.5 and existing:
            i = rng.choice(existing)
            newnum = str(rng.randint(100000, 999999))
            bl[i] = dict(bl[i], text=re.sub(r"\d[\d-]*", newnum, bl[i]["text"], count=1))
            if bl[i]["text"] == st["blocks"][i]["text"] and not re.search(r"\d", bl[i]["text"]):
                return None
            st["raw_ok"] = False
            return "meta:changed-id"
        for i in sorted(idx, reverse=True):
            del bl[i]
        st["raw_ok"] = False
        return "meta:removed-id/date"
    jid = rng.choice([f"Job ID: R-{rng.randint(10000, 99999)}", f"Requisition ID: {rng.randint(100000, 999999)}",
                      f"Req #{rng.randint(1000, 9999)}", f"Job ID: {rng.randint(4000000, 8999999)}"])
    date = f"Posted: 2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    lines = rng.choice([[jid], [date], [jid, date]])
    new = [dict(kind="para", text=l, prefix="", suffix="") for l in lines]
    if rng.random() < 0.5:
        st["blocks"] = new + [dict(kind="blank", text="", prefix="", suffix="")] + bl
        st["raw_fn"].append(("prepend", lines))
    else:
        st["blocks"] = bl + [dict(kind="blank", text="", prefix="", suffix="")] + new
        st["raw_fn"].append(("append", lines))
    return "meta:added-id/date"


def op_footer(st, rng, company):
    bl = st["blocks"]
    idx = [i for i, b in enumerate(bl) if b["kind"] != "blank" and APPLY_FOOTER_P.match(b["text"])]
    if idx and rng.random() < 0.6:
        # remove the apply block; if it is a "how to apply" heading, also the following para lines
        was_raw_ok = st["raw_ok"]
        i = idx[-1]
        drop = [i]
        if bl[i]["kind"] == "heading":
            j = i + 1
            while j < len(bl) and bl[j]["kind"] != "heading":
                if bl[j]["kind"] != "blank" and PROTECT.search(bl[j]["text"]):
                    return None
                drop.append(j)
                j += 1
        is_rok = bool(re.match(r"please mention the word", bl[i]["text"], re.I))
        for k in sorted(drop, reverse=True):
            del bl[k]
        st["raw_ok"] = False
        if st["fmt"] == "html" and is_rok and REMOTEOK_FOOTER.search(st["orig_desc"]):
            st["raw_ok"] = was_raw_ok
            st["raw_fn"].append(("remoteok_footer", None))
        return "footer:removed"
    s = slug(company)
    line = rng.choice([f"Apply at https://careers.{s}.com/jobs/{rng.randint(1000, 99999)}",
                       f"To apply, send your CV and a short cover note to jobs@{s}.com.",
                       f"Interested? Apply through our careers page: https://jobs.{s}.com",
                       "Ready to apply? Click the Apply button and upload your resume."])
    st["blocks"] = bl + [dict(kind="blank", text="", prefix="", suffix=""),
                         dict(kind="para", text=line, prefix="", suffix="")]
    st["raw_fn"].append(("append", [line]))
    return "footer:added"


def op_typos(st, rng):
    bl = st["blocks"]
    n = rng.randint(1, 3)
    cands = list(TYPOS)
    rng.shuffle(cands)
    done = []
    for w, t in cands:
        if len(done) >= n:
            break
        pat = re.compile(r"\b" + w + r"\b")
        hits = [i for i, b in enumerate(bl) if b["kind"] in ("para", "bullet") and pat.search(b["text"])
                and not re.search(r"(skill|experience with|proficien|knowledge of)", b["text"][:0])]
        if not hits:
            continue
        i = rng.choice(hits)
        bl[i] = dict(bl[i], text=pat.sub(t, bl[i]["text"], count=1))
        done.append((w, t))
    if not done:
        return None
    st["raw_fn"].append(("typos", done))
    return "typos:" + ",".join(t for _, t in done)


def _boiler_sections(st, company):
    bl = st["blocks"]
    out = []
    for s, e, h in sections(bl):
        c = sec_class(h, company)
        if c in ("about", "benefits", "eeo"):
            out.append((s, e, c))
    return out


def op_boilerplate(st, rng, company):
    bl = st["blocks"]
    secs = _boiler_sections(st, company)
    eeo_paras = [i for i, b in enumerate(bl) if b["kind"] in ("para", "bullet") and EEO_P.search(b["text"])
                 and not PROTECT.search(re.sub(r"(veteran status|protected veteran|disabled veteran)", "",
                                               b["text"]))]
    agency = [i for i, b in enumerate(bl) if b["kind"] in ("para",) and AGENCY_P.search(b["text"])
              and not PROTECT.search(b["text"])]
    lang = rng.choice(["fr", "de", "es"])
    actions = []
    removable = [(s, e, c) for s, e, c in secs if not PROTECT.search(sec_text(bl, s + 1, e))]
    if removable:
        actions += ["remove_section", "replace_section"]
    if eeo_paras:
        actions += ["eeo_remove", "eeo_reword", "eeo_translate"]
    if agency:
        actions.append("agency_remove")
    actions += ["add_about_translated", "add_agency"]
    if not eeo_paras:
        actions.append("eeo_add")
    act = rng.choice(actions)
    st["raw_ok"] = False
    if act in ("remove_section", "replace_section"):
        s, e, c = rng.choice(removable)
        if act == "remove_section":
            del bl[s:e]
            return f"boiler:removed-{c}-section"
        if c == "eeo":
            lg = rng.choice(["en", lang])
            h, t = ("Equal Opportunity", EEO_REWORD) if lg == "en" else EEO_TRANS[lg]
        elif c == "about":
            lg = rng.choice(["en", lang])
            h, t = ABOUT_GENERIC[lg]
        else:
            lg = "en"
            h, items = BENEFITS_REWORD
            new = [dict(kind="heading", text=h, prefix="", suffix="")] + \
                  [dict(kind="bullet", text=x, prefix="- ", suffix="") for x in items]
            bl[s:e] = new
            return "boiler:benefits-reworded"
        bl[s:e] = [dict(kind="heading", text=h.format(c=company), prefix="", suffix=""),
                   dict(kind="para", text=t.format(c=company), prefix="", suffix="")]
        return f"boiler:{c}-reworded-{lg}"
    if act.startswith("eeo_") and act != "eeo_add":
        if act == "eeo_remove":
            for i in sorted(eeo_paras, reverse=True):
                del bl[i]
            return "boiler:eeo-removed"
        first = eeo_paras[0]
        for i in sorted(eeo_paras[1:], reverse=True):
            del bl[i]
        if act == "eeo_reword":
            bl[first] = dict(kind="para", text=EEO_REWORD.format(c=company), prefix="", suffix="")
            return "boiler:eeo-reworded"
        bl[first] = dict(kind="para", text=EEO_TRANS[lang][1].format(c=company), prefix="", suffix="")
        return f"boiler:eeo-translated-{lang}"
    if act == "agency_remove":
        for i in sorted(agency, reverse=True):
            del bl[i]
        return "boiler:agency-notice-removed"
    if act == "add_agency":
        lg = rng.choice(["en", "en", "de", "fr"])
        bl.append(dict(kind="blank", text="", prefix="", suffix=""))
        bl.append(dict(kind="para", text=AGENCY_NOTICE[lg].format(c=company), prefix="", suffix=""))
        return f"boiler:agency-notice-added-{lg}"
    if act == "eeo_add":
        bl.append(dict(kind="blank", text="", prefix="", suffix=""))
        bl.append(dict(kind="para", text=EEO_REWORD.format(c=company), prefix="", suffix=""))
        return "boiler:eeo-added"
    # add translated about blurb at the end
    h, t = ABOUT_GENERIC[lang]
    bl += [dict(kind="blank", text="", prefix="", suffix=""),
           dict(kind="heading", text=h.format(c=company), prefix="", suffix=""),
           dict(kind="para", text=t.format(c=company), prefix="", suffix="")]
    return f"boiler:about-added-{lang}"


def op_reorder(st, rng, company):
    bl = st["blocks"]
    secs = sections(bl)
    if len(secs) < 2:
        return None
    classes = [sec_class(h, company) for _, _, h in secs]
    boiler = [k for k, c in enumerate(classes) if c in ("about", "benefits", "eeo")]
    st["raw_ok"] = False
    first_h = secs[0][0]
    pre = bl[:first_h]
    chunks = [bl[s:e] for s, e, _ in secs]
    if boiler and rng.random() < 0.7:
        k = rng.choice(boiler)
        ch = chunks.pop(k)
        if k == 0 or rng.random() < 0.5 and k != len(chunks):
            chunks.append(ch)
            where = "end"
        else:
            chunks.insert(0, ch)
            where = "start"
        if where == "end" and k == len(chunks) - 1:
            return None
        st["blocks"] = pre + [b for c in chunks for b in c]
        return f"reorder:{classes[k]}-section-to-{where}"
    # swap two adjacent content sections (each keeps its own heading)
    pairs = [k for k in range(len(secs) - 1) if classes[k] in ("resp", "req", "nice", "other")
             and classes[k + 1] in ("resp", "req", "nice", "other")]
    if not pairs:
        return None
    k = rng.choice(pairs)
    chunks[k], chunks[k + 1] = chunks[k + 1], chunks[k]
    st["blocks"] = pre + [b for c in chunks for b in c]
    return f"reorder:swapped-{classes[k]}-{classes[k + 1]}"


# ============================================================================ NEGATIVE OPS
# each works on a variant dict v = {title, loc, desc, fmt} and returns a detail string or None

def outside_boiler_text(post):
    bl = blocks_of(post)
    keep = []
    secs = sections(bl)
    bad = set()
    for s, e, h in secs:
        if sec_class(h, post["company"]) in ("about", "benefits", "eeo"):
            bad.update(range(s, e))
    for i, b in enumerate(bl):
        if i not in bad and not EEO_P.search(b["text"]):
            keep.append(b["text"])
    return "\n".join(keep)


def neg_tech(v, rng, post):
    core = outside_boiler_text(post)
    full = v["title"] + "\n" + v["desc"]
    cands = []
    for term, alts in TECH:
        if term.lower() in post["company"].lower():
            continue
        if term == "AWS" and re.search(r"weld", full, re.I):  # American Welding Society
            continue
        g = guard(term)
        if not g.search(core):
            continue
        # skip terms that are substrings of a longer term also matched (e.g. Unreal in Unreal Engine)
        alt = next((a for a in alts if not re.search(r"(?<!\w)" + re.escape(a) + r"(?!\w)", full)), None)
        if alt:
            cands.append((term, alt))
    # prefer longer names (Ruby on Rails before Ruby)
    cands = [c for c in cands if not any(c[0] != d[0] and c[0] in d[0] for d in cands)]
    if not cands:
        return None
    term, alt = rng.choice(cands)
    g = guard(term)
    v["title"] = g.sub(alt, v["title"])
    v["desc"] = replace_text_nodes(v["desc"], v["fmt"], lambda s: g.sub(alt, s))
    return f"{term} -> {alt}"


MGMT = re.compile(r"\b(manager|director|vice president|vp|head of|president|chief|officer|svp|evp|avp)\b", re.I)
# (level word, replacements for non-management titles, replacements for management titles)
LEVELS = [("Associate Director", ["Director"], ["Director", "Senior Director"]),
          ("Associate Vice President", ["Vice President"], ["Vice President", "Director"]),
          ("Senior Director", ["Director"], ["Director"]),
          ("Senior Manager", ["Manager"], ["Manager", "Director"]),
          ("Sr. Manager", ["Manager"], ["Manager", "Director"]),
          ("Sr Manager", ["Manager"], ["Manager"]),
          ("Vice President", ["Director"], ["Director", "Senior Vice President"]),
          ("Senior", ["Staff", "Junior", "Principal"], ["Principal", "Associate"]),
          ("Sr.", ["Staff", "Junior"], ["Principal", "Associate"]),
          ("Staff", ["Senior", "Principal"], ["Senior"]),
          ("Principal", ["Senior", "Staff"], ["Senior"]),
          ("Lead", ["Senior", "Junior"], ["Senior"]),
          ("Junior", ["Senior"], ["Senior"]), ("Jr.", ["Senior"], ["Senior"]),
          ("Intern", ["Junior"], ["Junior"]), ("Director", ["Senior Director"], ["Senior Director", "Associate Director"]),
          ("Head of", ["Director of"], ["Director of"])]
UP_WORDS = {"Staff", "Principal", "Senior", "Director", "Senior Director", "Senior Vice President", "Senior Manager",
            "Director of"}
ROMAN = {"I": "II", "II": "III", "III": "II", "IV": "III"}
YEARS_RE = re.compile(r"(?<![\d.,$])(\b\d{1,2})(\s*\+\s*|\s*(?:-|–|to)\s*\d{1,2}\+?\s*|\s+or more\s+|\s+)"
                      r"(?=(?:years?|yrs)\b(?!\s+(?:of\s+age|old)))", re.I)


def change_years(text, up, rng, fmt):
    changed = []
    delta = rng.choice([2, 3])

    def fn(s):
        def sub(m):
            n = int(m.group(1))
            if n > 25 or n == 0:
                return m.group(0)
            nn = n + delta if up else max(1, n - delta)
            if nn == n:
                nn = n + delta
            rest = m.group(2)
            m2 = re.match(r"(\s*(?:-|–|to)\s*)(\d{1,2})(.*)", rest, re.S)
            if m2:
                d = int(m2.group(2)) - n
                rest = m2.group(1) + str(nn + d) + m2.group(3)
            changed.append(f"{n}->{nn}")
            return str(nn) + rest
        return YEARS_RE.sub(sub, s)
    out = replace_text_nodes(text, fmt, fn)
    return out, changed


def neg_level_years(v, rng, post, years_only=False):
    t = v["title"]
    detail = []
    up = rng.random() < 0.5
    has_years = bool(YEARS_RE.search(re.sub(r"<[^>]+>", " ", v["desc"])))
    if not years_only:
        done = False
        mgmt = bool(MGMT.search(t))
        for lv, alts, malts in LEVELS:
            m = re.search(r"(?<![\w])" + re.escape(lv) + r"(?![\w])", t)
            if not m:
                continue
            new = rng.choice(malts if mgmt else alts)
            nt = re.sub(r"\s{2,}", " ", t[:m.start()] + new + t[m.end():]).strip(" ,-")
            up = new in UP_WORDS
            # rewrite in-text mentions of the title phrase (level word + next words)
            tail = t[m.end():].split(",")[0].split("(")[0].split(" - ")[0].split(" – ")[0].split("|")[0].strip()
            if tail:
                old_phrase, new_phrase = f"{lv} {tail}", f"{new} {tail}"
                v["desc"] = replace_text_nodes(v["desc"], v["fmt"], lambda s: s.replace(old_phrase, new_phrase))
            v["title"] = nt
            detail.append(f"title '{t}' -> '{nt}'")
            done = True
            break
        if not done:
            m = re.search(r"\b(I|II|III|IV)\b\s*$", t)
            if m:
                nt = t[:m.start()] + ROMAN[m.group(1)]
                up = len(ROMAN[m.group(1)]) > len(m.group(1))
                v["title"] = nt
                detail.append(f"title '{t}' -> '{nt}'")
            elif has_years:
                nt = "Senior " + t
                up = True
                v["title"] = nt
                detail.append(f"title '{t}' -> '{nt}'")
            else:
                return None
    nd, ch = change_years(v["desc"], up, rng, v["fmt"])
    if ch:
        v["desc"] = nd
        detail.append("years " + ",".join(ch))
    elif years_only:
        return None
    return "; ".join(detail)


def _city_patterns(city, st, full):
    pats = []
    if st:
        pats.append((st + ", " + city, "{st}, {c}"))
        pats.append((city + ", " + st, "{c}, {st}"))
        pats.append((city + " " + st, "{c} {st}"))
    if full:
        pats.append((city + ", " + full, "{c}, {full}"))
        pats.append((city + " " + full, "{c} {full}"))
    pats.append((city, "{c}"))
    return pats


def neg_location(v, rng, post):
    hay = v["title"] + " " + (v["loc"] or "")
    for city, st, full, sibs in CITIES:
        if not re.search(r"(?<!\w)" + re.escape(city) + r"(?!\w)", hay):
            continue
        if city == "New York" and re.search(r"New York City", hay):
            continue
        if city == "Washington" and "D.C" not in hay and "District" not in hay and "DC" not in hay:
            continue
        if city == "Purchase" and "Purchase, New York" not in hay:
            continue
        sib = next((s for s in sibs if s not in v["title"] + v["desc"] + (v["loc"] or "")), None)
        if not sib:
            continue
        nst = CITY_STATE.get(sib, st)
        nfull = STATE_NAMES.get(nst, full) if st else full
        if sib in ("Manchester", "Edinburgh"):
            nfull = "England" if sib == "Manchester" else "Scotland"
        if sib == "Madrid" and full == "Portugal":
            nfull = "Spain"
        if sib in ("Berlin",) and full == "Netherlands":
            nfull = "Germany"
        if sib == "Brussels":
            nfull = "Belgium"
        if sib == "Seoul":
            nfull = "South Korea"
        if sib == "Hong Kong":
            nfull = "Hong Kong"

        def fn(s):
            for pat, tmpl in _city_patterns(city, st, full):
                rep = tmpl.format(c=sib, st=nst, full=nfull)
                s = re.sub(r"(?<![\w/.-])" + re.escape(pat) + r"(?![\w-])", rep, s)
            # "New York, New York" already handled; also NYC style
            return s
        old = (v["title"], v["loc"], v["desc"])
        v["title"] = fn(v["title"])
        v["loc"] = fn(v["loc"]) if v["loc"] else v["loc"]
        if city.startswith("New York"):
            v["loc"] = v["loc"].replace("NYC", sib) if v["loc"] else v["loc"]
        v["desc"] = replace_text_nodes(v["desc"], v["fmt"], fn)
        if (v["title"], v["loc"], v["desc"]) == old:
            continue
        return f"{city} -> {sib}"
    return None


WM_RULES = {
    # from remote
    "remote": [(r"\bfully remote\b", "hybrid (3 days a week in the office)"), (r"\bFully remote\b", "Hybrid"),
               (r"\bRemote-first\b", "Office-first"), (r"\bremote-first\b", "office-first"),
               (r"\b100% remote\b", "on-site"), (r"\(Remote\)", "(Hybrid)"), (r"#LI-Remote", "#LI-Hybrid"),
               (r"\bRemote\b", "Hybrid"), (r"\bremote\b", "hybrid")],
    "onsite": [(r"\bOn-Site\b", "Remote"), (r"\bOn-site\b", "Remote"), (r"\bon-site\b", "remote"),
               (r"\bOnsite\b", "Remote"), (r"\bonsite\b", "remote"), (r"#LI-Onsite", "#LI-Remote"),
               (r"minimum of 4 days per week in the office", "fully remote schedule with no in-office days"),
               (r"Full-Time Office/Project", "Full-Time Remote"), (r"\bin-office\b", "remote")],
    "hybrid": [(r"\ba hybrid\b", "an on-site"), (r"\bA hybrid\b", "An on-site"), (r"\bHybrid\b", "On-site"),
               (r"\bhybrid\b", "on-site"), (r"#LI-Hybrid", "#LI-Onsite"),
               (r"\b[1-4] days (per|a|each) week\b", "5 days \\1 week"),
               (r"\b(two|three|four) days (per|a|each) week\b", "five days \\2 week")],
}


def neg_work_model(v, rng, post):
    full = " ".join([v["title"], v["loc"] or "", v["desc"]])
    order = [k for k in ("hybrid", "onsite", "remote") if any(re.search(p, full) for p, _ in WM_RULES[k])]
    if order:
        k = order[0]
        applied = []
        for p, r in WM_RULES[k]:
            for fld in ("title", "loc"):
                if v[fld] and re.search(p, v[fld]):
                    v[fld] = re.sub(p, r, v[fld])
                    applied.append(p)
            nd = replace_text_nodes(v["desc"], v["fmt"], lambda s: re.sub(p, r, s))
            if nd != v["desc"]:
                applied.append(p)
                v["desc"] = nd
        if [x for x in applied if not x.startswith("#LI")]:
            return f"{k} -> changed ({len(applied)} spots)"
        return None
    # no explicit work model: state one
    line = rng.choice(["This role is fully remote.", "This is an on-site role, five days a week in the office.",
                       "This is a hybrid role with three days per week in the office."])
    add_line(v, line, rng, top=True)
    return f"work model stated: {line}"


def add_line(v, line, rng, top=True):
    if v["fmt"] == "html":
        piece = f"<p>{html.escape(line, quote=False)}</p>"
        v["desc"] = piece + "\n" + v["desc"] if top else v["desc"] + "\n" + piece
    else:
        v["desc"] = line + "\n\n" + v["desc"] if top else v["desc"] + "\n\n" + line


EMP_ALT = {"full": ["part-time", "contract"], "part": ["full-time"], "contract": ["full-time"],
           "freelance": ["full-time"], "permanent": ["fixed-term (12-month)"], "temporary": ["permanent"]}
EMP_RE = re.compile(r"\b(full[- ]?time|part[- ]?time|freelance|permanent|temporary|contract)\b", re.I)
EMP_BAD_AFTER = re.compile(r"^\W{0,3}(employees?|staff|team members?|equivalent|hires|workers|positions? (are|is) "
                           r"eligible|basis employees|agreement|terms|negotiat|manufactur|value)", re.I)
EMP_GOOD_AFTER = re.compile(r"^\W{0,3}(position|role|opportunity|assignment|job|basis|engagement|contract|"
                            r"employment|hire|schedule|,|\||$|\)|/|<)", re.I)


def _match_case(src, rep):
    if src.isupper():
        return rep.upper()
    if src[:1].isupper():
        return rep[:1].upper() + rep[1:]
    return rep


def neg_employment(v, rng, post):
    which = rng.randrange(2)
    applied = []

    def fn(seg):
        out = []
        for line in seg.split("\n"):
            def sub(m):
                key = m.group(1).lower().replace(" ", "-")
                k = key.split("-")[0]
                after = line[m.end():m.end() + 40]
                before = line[max(0, m.start() - 30):m.start()].lower()
                if k == "contract" and not re.match(r"^\W{0,3}(role|position|basis|engagement|\||$|,|\))", after,
                                                     re.I) and "type" not in before:
                    return m.group(0)
                if EMP_BAD_AFTER.match(after):
                    return m.group(0)
                short = len(line.strip()) <= 60
                if not (short or EMP_GOOD_AFTER.match(after) or "type" in before):
                    return m.group(0)
                alts = EMP_ALT[k]
                r = alts[min(which, len(alts) - 1)]
                applied.append(f"{m.group(1)}->{r}")
                return _match_case(m.group(1), r)
            out.append(EMP_RE.sub(sub, line))
        return "\n".join(out)
    nt = fn(v["title"])
    nd = replace_text_nodes(v["desc"], v["fmt"], fn)
    if applied:
        v["title"], v["desc"] = nt, nd
        return "; ".join(applied)
    line = rng.choice(["Employment type: Contract (6 months, with possible extension)",
                       "Employment type: Part-time (20 hours per week)"])
    add_line(v, line, rng, top=rng.random() < 0.5)
    return f"employment stated: {line}"


MONEY_RE = re.compile(r"([$€£])\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s?[kK]\b)?")
PAY_CTX = re.compile(r"(salary|pay|compensation|base|annual|per hour|hourly|/hr|ote|range|wage|\bk\b|usd)", re.I)


def neg_pay(v, rng, post):
    mode = rng.choice(["scale", "scale", "currency"])
    factor = rng.choice([0.8, 0.85, 1.15, 1.2, 1.25])
    cur_map = {"$": rng.choice(["£", "€"]), "£": "€", "€": "$"}
    touched = []
    code_swap = []

    def seg_fn(seg):
        # only touch amounts in pay-like sentences / ranges
        def line_fn(line):
            if not MONEY_RE.search(line):
                return line
            is_range = re.search(r"[$€£]\s?[\d,.]+\s?[kK]?\s*(-|–|to)\s*[$€£]?\s?[\d,.]+", line)
            if not (PAY_CTX.search(line) or is_range):
                return line
            if re.search(r"\d\s?[BM]\b|billion|million", line) and not PAY_CTX.search(line):
                return line

            def sub(m):
                sym, num, k = m.group(1), m.group(2), m.group(3) or ""
                val = float(num.replace(",", ""))
                if mode == "currency":
                    touched.append(f"{sym}->{cur_map[sym]}")
                    code_swap.append(cur_map[sym])
                    return cur_map[sym] + m.group(0)[1:]
                nv = val * factor
                if "," in num:
                    nv = round(nv / 1000) * 1000
                    s = f"{int(nv):,}"
                elif "." in num:
                    s = f"{nv:.2f}"
                else:
                    s = str(int(round(nv)))
                touched.append(f"{num}->{s}")
                return sym + (" " if m.group(0)[1] == " " else "") + s + k
            line = MONEY_RE.sub(sub, line)
            if code_swap:
                line = re.sub(r"\bUSD\b", {"£": "GBP", "€": "EUR", "$": "USD"}[code_swap[-1]], line)
            # also bare upper bound of a range like $170-225K
            if mode == "scale":
                line = re.sub(r"(?<=\d)(-|–)(\d{2,3})([kK])\b",
                              lambda m: m.group(1) + str(int(round(int(m.group(2)) * factor))) + m.group(3), line)
            return line
        return "\n".join(line_fn(l) for l in re.split(r"\n", seg))
    nd = replace_text_nodes(v["desc"], v["fmt"], seg_fn)
    nt = seg_fn(v["title"])
    if touched and (nd != v["desc"] or nt != v["title"]):
        v["desc"], v["title"] = nd, nt
        return f"pay {mode}: " + ", ".join(touched[:6])
    lo = rng.choice([60, 75, 90, 110, 130, 150])
    line = f"Salary range: ${lo},000 – ${lo + rng.choice([20, 30, 40])},000 per year"
    add_line(v, line, rng, top=rng.random() < 0.3)
    return f"pay stated: {line}"


SKILLISH = re.compile(r"(experience|years|degree|certif|proficien|knowledge|familiar|expert|fluent|skills? in|"
                      r"understanding of|background in|modell?ing|accounting|analysis|" +
                      "|".join(re.escape(t) for t, _ in TECH) + r")", re.I)
NICE_WORDS = re.compile(r"(nice to have|nice-to-have|preferred|\bplus\b|bonus|ideally|helpful|not required|desired|"
                        r"advantage|a big plus)", re.I)
TRAIT = re.compile(r"^(strong |excellent |positive |good )?(attitude|passion|passionate|self-motivated|reliable|"
                   r"willingness|curious|team player|interest in|energ|enthusias|hungry|humble|growth mindset)", re.I)


def _ok_item(text, cls):
    t = text.strip()
    if len(t.split()) < 5 or TRAIT.search(t):
        return False
    if cls == "req" and NICE_WORDS.search(t):
        return False
    if cls in ("req", "nice"):
        return bool(SKILLISH.search(t))
    return True


def _content_bullets(post, classes=("req", "resp")):
    """indices of blocks (text) or (start,end) spans of <li> (html) inside req/resp sections."""
    bl = blocks_of(post)
    res = []
    for s, e, h in sections(bl):
        c = sec_class(h, post["company"])
        if c in classes:
            items = [i for i in range(s + 1, e) if bl[i]["kind"] in ("bullet", "para")
                     and 12 <= len(bl[i]["text"]) <= 300 and _ok_item(bl[i]["text"], c)]
            if len(items) >= 2:
                res.append((c, h, items))
    return bl, res


def _html_li_spans(desc):
    spans = []
    for m in re.finditer(r"<li\b[^>]*>", desc):
        end = desc.find("</li>", m.end())
        nxt = desc.find("<li", m.end())
        if end == -1 or (nxt != -1 and nxt < end):
            continue
        inner = desc[m.end():end]
        txt = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inner))).strip()
        spans.append((m.start(), end + 5, txt))
    return spans


def _html_section_of(desc, pos, company):
    """class of the nearest heading-like element before pos in raw html."""
    best = None
    for m in re.finditer(r"<(h\d)[^>]*>(.*?)</\1>|<p[^>]*>\s*<(strong|b)>(.*?)</\3>\s*(</p>|<br)|"
                         r"<p[^>]*>([^<]{3,60})</p>|(?:^|>)\s*<(strong|b)>([^<]{3,60})</\7>", desc[:pos], re.S):
        h = next(g for g in (m.group(2), m.group(4), m.group(6), m.group(8)) if g is not None)
        h = html.unescape(re.sub(r"<[^>]+>", "", h)).strip()
        if h and len(h) <= 80:
            best = h
    return sec_class(best, company) if best else None


def neg_bullet(v, rng, post, mode=None):
    fam = family(post["title"])
    mode = mode or rng.choice(["remove", "add", "change"])
    addition = rng.choice([x for x in ADD_BULLETS[fam] if x.lower()[:25] not in v["desc"].lower()])
    if v["fmt"] == "html":
        spans = [sp for sp in _html_li_spans(v["desc"])
                 if _html_section_of(v["desc"], sp[0], post["company"]) in ("req", "resp")
                 and 12 <= len(sp[2]) <= 300
                 and _ok_item(sp[2], _html_section_of(v["desc"], sp[0], post["company"]))]
        if len(spans) < 3:
            return None
        s, e, txt = rng.choice(spans)
        raw_li = v["desc"][s:e]
        if mode == "remove":
            v["desc"] = v["desc"][:s] + v["desc"][e:]
            return f"removed bullet: {txt[:90]}"
        inner_txt = None
        # build a new li with the same wrapper markup
        m = re.match(r"(<li\b[^>]*>(?:\s*<(?:p|span)[^>]*>)*)(.*?)((?:</(?:p|span)>\s*)*</li>)$", raw_li, re.S)
        new_li = (m.group(1) + html.escape(addition, quote=False) + m.group(3)) if m else \
            f"<li>{html.escape(addition, quote=False)}</li>"
        if mode == "add":
            v["desc"] = v["desc"][:e] + new_li + v["desc"][e:]
            return f"added bullet: {addition}"
        v["desc"] = v["desc"][:s] + new_li + v["desc"][e:]
        return f"changed bullet: {txt[:70]} => {addition}"
    bl, secs = _content_bullets(post)
    if not secs:
        return None
    c, h, items = rng.choice(secs)
    lines = v["desc"].split("\n")
    # text blocks are 1:1 with lines
    i = rng.choice(items)
    old = lines[i]
    if mode == "remove":
        del lines[i]
        v["desc"] = "\n".join(lines)
        return f"removed {c} line: {old.strip()[:90]}"
    pref = bl[i]["prefix"] if bl[i]["kind"] == "bullet" else bl[i]["prefix"]
    new = pref + addition
    if mode == "add":
        lines.insert(i + 1, new)
        # keep blank-line spacing style
        if i + 2 < len(lines) and lines[i + 2].strip() == "" and i + 1 < len(lines):
            lines.insert(i + 1, "")
        v["desc"] = "\n".join(lines)
        return f"added {c} line: {addition}"
    lines[i] = new
    v["desc"] = "\n".join(lines)
    return f"changed {c} line: {old.strip()[:70]} => {addition}"


def neg_req_to_nice(v, rng, post):
    if v["fmt"] == "html":
        spans = [sp for sp in _html_li_spans(v["desc"])
                 if _html_section_of(v["desc"], sp[0], post["company"]) == "req" and 12 <= len(sp[2]) <= 250
                 and _ok_item(sp[2], "req")]
        if len(spans) < 3:
            return None
        s, e, txt = rng.choice(spans)
        # end of the list containing it
        lst_end = v["desc"].find("</ul>", e)
        if lst_end == -1:
            return None
        lst_end += 5
        raw_li = v["desc"][s:e]
        d = v["desc"]
        block = f"<p><strong>Nice to have</strong></p><ul>{raw_li}</ul>"
        v["desc"] = d[:s] + d[e:lst_end] + block + d[lst_end:]
        return f"moved to nice-to-have: {txt[:90]}"
    bl, secs = _content_bullets(post, classes=("req",))
    if not secs:
        return None
    c, h, items = rng.choice(secs)
    lines = v["desc"].split("\n")
    i = rng.choice(items)
    # end of the section = last non-blank line before the next heading
    j = i
    while j + 1 < len(bl) and bl[j + 1]["kind"] != "heading":
        j += 1
    while bl[j]["kind"] == "blank":
        j -= 1
    items = items + [j]
    moved = lines[i]
    last = items[-1]
    new_lines = lines[:last + 1] + ["", "Nice to have:", moved] + lines[last + 1:]
    del new_lines[i]
    v["desc"] = "\n".join(new_lines)
    return f"moved to nice-to-have: {moved.strip()[:90]}"


NEG_FUNCS = {"tech": neg_tech, "level_years": neg_level_years, "location": neg_location,
             "work_model": neg_work_model, "employment_type": neg_employment, "pay": neg_pay,
             "bullet_change": neg_bullet, "required_to_nice": neg_req_to_nice}


# ============================================================================ builders
def make_state(post):
    bl = blocks_of(post)
    return dict(blocks=[dict(b) for b in bl], orig_blocks=bl, orig_desc=post["description"], fmt=post["format"],
                raw_ok=True, raw_fn=[])


def apply_raw(desc, fmt, raw_fn):
    for kind, arg in raw_fn:
        if kind == "prepend":
            desc = ("".join(f"<p>{l}</p>" for l in arg) + "\n" + desc) if fmt == "html" else \
                "\n".join(arg) + "\n\n" + desc
        elif kind == "append":
            desc = (desc + "\n" + "".join(f"<p>{html.escape(l, quote=False)}</p>" for l in arg)) \
                if fmt == "html" else desc + "\n\n" + "\n".join(arg)
        elif kind == "typos":
            for w, t in arg:
                desc = replace_text_nodes(desc, fmt, lambda s, w=w, t=t: re.sub(r"\b" + w + r"\b", t, s, count=1)) \
                    if fmt != "html" else _sub_first_text(desc, w, t)
        elif kind == "remoteok_footer":
            desc = REMOTEOK_FOOTER.sub("", desc)
    return desc


def _sub_first_text(desc, w, t):
    parts = re.split(r"(<[^>]+>)", desc)
    pat = re.compile(r"\b" + w + r"\b")
    for k, p in enumerate(parts):
        if not p.startswith("<") and pat.search(p):
            parts[k] = pat.sub(t, p, count=1)
            break
    return "".join(parts)


def render_variant(st, rng, force_fmt=None, style=None):
    """render state blocks; returns (desc, format-ops list)."""
    fmt = st["fmt"]
    style = style or {}
    ops = []
    target = force_fmt or fmt
    if target == "html":
        if fmt == "text":
            ops.append("format:text->html")
        else:
            ops.append("format:html-rerendered")
        return render_html(st["blocks"], style), ops
    if fmt == "html":
        ops.append("format:html->text")
        return render_text(st["blocks"], dict(style, keep=False)), ops
    return render_text(st["blocks"], dict(style, keep=True)), ops


FORMAT_OPS = ["reformat", "bullets", "heading_case", "spacing"]
CONTENT_OPS = ["reorder", "meta", "footer", "typos", "boilerplate"]


def make_duplicate(post, rng, with_loc):
    title, loc = post["title"], (post["location"] or "").strip()
    a = as_text(title, loc if with_loc else "", post["description"])
    for _attempt in range(6):
        st = make_state(post)
        n = rng.choice([1, 2, 2, 3])
        pool_ops = FORMAT_OPS + CONTENT_OPS + ["boilerplate", "reorder"]
        chosen = []
        while len(chosen) < n:
            o = rng.choice(pool_ops)
            if o not in chosen:
                chosen.append(o)
        notes = []
        style = {}
        force = None
        for o in chosen:
            r = None
            if o == "reformat":
                force = "text" if post["format"] == "html" else "html"
                r = "reformat"
            elif o == "bullets":
                if not any(b["kind"] == "bullet" for b in st["blocks"]) and post["format"] == "text":
                    r = None
                else:
                    style["bullet"] = rng.choice(["-", "•", "*", "num"])
                    r = f"bullets:{style['bullet']}"
                    st["raw_ok"] = False
            elif o == "heading_case":
                if any(b["kind"] == "heading" for b in st["blocks"]):
                    style["heading"] = rng.choice(["upper", "sentence", "title"])
                    r = f"heading_case:{style['heading']}"
                    st["raw_ok"] = False
            elif o == "spacing":
                if rng.random() < 0.5:
                    style["gap"] = 2
                    r = "spacing:extra-blank-lines"
                else:
                    style["wrap"] = rng.choice([66, 72, 80])
                    r = f"spacing:rewrapped-{style['wrap']}"
                st["raw_ok"] = False
            elif o == "reorder":
                r = op_reorder(st, rng, post["company"])
            elif o == "meta":
                r = op_meta_lines(st, rng)
            elif o == "footer":
                r = op_footer(st, rng, post["company"])
            elif o == "typos":
                r = op_typos(st, rng)
            elif o == "boilerplate":
                r = op_boilerplate(st, rng, post["company"])
            if r:
                notes.append(r)
        if not notes:
            continue
        if post["format"] == "html" and force is None and st["raw_ok"] and not style:
            desc = apply_raw(post["description"], "html", st["raw_fn"])
            fops = []
        elif post["format"] == "text" and force is None:
            desc, fops = render_variant(st, rng, None, style)
        else:
            if force is None:
                force = rng.choice(["text", "html"])
            desc, fops = render_variant(st, rng, force, style)
        notes = [x for x in notes if x != "reformat"] + fops
        b = as_text(title, loc if with_loc else "", desc)
        if b.strip() == a.strip():
            continue
        return a, b, notes
    return None


def format_noise(v, post, rng):
    """duplicate-style formatting on a negative variant (label stays false)."""
    pseudo = dict(post, description=v["desc"], title=v["title"])
    st = make_state(pseudo)
    style = {}
    notes = []
    choice = rng.choice(["reformat", "bullets+heading", "meta", "footer", "spacing"])
    force = None
    if choice == "reformat":
        force = "text" if post["format"] == "html" else "html"
    elif choice == "bullets+heading":
        style["bullet"] = rng.choice(["-", "•", "*", "num"])
        style["heading"] = rng.choice(["upper", "sentence", "title"])
        if post["format"] == "html":
            force = "text"
    elif choice == "meta":
        op_meta_lines(st, rng)
        if post["format"] == "html":
            force = "text"
    elif choice == "footer":
        op_footer(st, rng, post["company"])
        if post["format"] == "html":
            force = "text"
    else:
        style["gap"] = 2
        style["wrap"] = 76
        if post["format"] == "html":
            force = "text"
    desc, fops = render_variant(st, rng, force, style)
    v["desc"] = desc
    return choice


def make_negative(post, kind, rng, with_loc, noise=False):
    title, loc = post["title"], (post["location"] or "").strip()
    v = dict(title=title, loc=loc, desc=post["description"], fmt=post["format"])
    if kind == "level_years":
        detail = neg_level_years(v, rng, post, years_only=rng.random() < 0.25)
    else:
        detail = NEG_FUNCS[kind](v, rng, post)
    if not detail:
        return None
    if kind == "location":
        with_loc = bool(loc)
    a = as_text(title, loc if with_loc else "", post["description"])
    notes = [detail]
    if noise:
        notes.append("noise:" + format_noise(v, post, rng))
    b = as_text(v["title"], v["loc"] if with_loc else "", v["desc"])
    if kind == "location" and not with_loc and v["title"] == title:
        # office only changed in the description
        pass
    if b.strip() == a.strip():
        return None
    return a, b, notes


# ============================================================================ main
def main():
    rng = random.Random(SEED)
    posts = [json.loads(l) for l in open(POOL, encoding="utf-8")]
    by_split = defaultdict(list)
    for p in posts:
        by_split[split_of(p["company"])].append(p)
    log = []
    counts = Counter()
    for split in ("holdout", "tune"):
        ps = by_split[split]
        out = []
        log_start = len(log)
        # ---- duplicates: cycle through postings
        order = ps[:]
        rng.shuffle(order)
        k = 0
        ndup = 0
        while ndup < TARGET["dup"]:
            p = order[k % len(order)]
            k += 1
            r = make_duplicate(p, rng, with_loc=bool(p["location"].strip()) and rng.random() < 0.5)
            if not r:
                continue
            a, b, notes = r
            out.append(dict(a=a, b=b, duplicate=True))
            primary = notes[0].split(":")[0]
            log.append(dict(split=split, kind="dup:" + primary, id=p["id"], notes=notes))
            counts[(split, "dup:" + primary)] += 1
            for nt in notes:
                counts[(split, "dup-op:" + nt.split(":")[0])] += 1
            ndup += 1
        # ---- single-fact negatives
        for kind, n in TARGET["neg"].items():
            if kind in ("same_employer_other_job", "unrelated"):
                continue
            order = ps[:]
            rng.shuffle(order)
            got = 0
            used = set()
            tries = 0
            while got < n and tries < len(order) * 3:
                p = order[tries % len(order)]
                tries += 1
                if p["id"] in used:
                    continue
                if kind == "combo_format":
                    sub = list(NEG_FUNCS)[got % len(NEG_FUNCS)] if tries <= len(order) else rng.choice(list(NEG_FUNCS))
                    r = make_negative(p, sub, rng, bool(p["location"].strip()) and rng.random() < 0.5, noise=True)
                    lab = f"neg:combo({sub})"
                else:
                    r = make_negative(p, kind, rng, bool(p["location"].strip()) and rng.random() < 0.5)
                    lab = "neg:" + kind
                if not r:
                    continue
                used.add(p["id"])
                a, b, notes = r
                out.append(dict(a=a, b=b, duplicate=False))
                log.append(dict(split=split, kind=lab, id=p["id"], notes=notes))
                counts[(split, "neg:" + kind)] += 1
                got += 1
        # ---- same employer, different job
        byc = defaultdict(list)
        for p in ps:
            byc[p["company"]].append(p)
        multi = [c for c in byc if len(byc[c]) > 1]
        rng.shuffle(multi)
        pairs = []
        for c in multi:
            lst = byc[c][:]
            rng.shuffle(lst)
            pairs.append((lst[0], lst[1]))
        extra = []
        for c in multi:
            lst = byc[c]
            if len(lst) > 2:
                extra.append((lst[1], lst[2]))
        pairs += extra
        for p, q in pairs[:TARGET["neg"]["same_employer_other_job"]]:
            wl = bool(p["location"].strip()) and bool(q["location"].strip()) and rng.random() < 0.5
            a = as_text(p["title"], p["location"].strip() if wl else "", p["description"])
            b = as_text(q["title"], q["location"].strip() if wl else "", q["description"])
            out.append(dict(a=a, b=b, duplicate=False))
            log.append(dict(split=split, kind="neg:same_employer_other_job", id=p["id"], notes=[q["id"]]))
            counts[(split, "neg:same_employer_other_job")] += 1
        # ---- unrelated
        for _ in range(TARGET["neg"]["unrelated"]):
            p, q = rng.sample(ps, 2)
            while p["company"] == q["company"]:
                p, q = rng.sample(ps, 2)
            out.append(dict(a=as_text(p["title"], "", p["description"]),
                            b=as_text(q["title"], "", q["description"]), duplicate=False))
            log.append(dict(split=split, kind="neg:unrelated", id=p["id"], notes=[q["id"]]))
            counts[(split, "neg:unrelated")] += 1
        # shuffle pair order deterministically and write
        idx = list(range(len(out)))
        rng.shuffle(idx)
        os.makedirs(os.path.join(ROOT, split), exist_ok=True)
        slog = log[log_start:]
        assert len(slog) == len(out)
        del log[log_start:]
        with open(os.path.join(ROOT, split, "cache.jsonl"), "w", encoding="utf-8") as f:
            for line_no, i in enumerate(idx, 1):
                f.write(json.dumps(out[i], ensure_ascii=False) + "\n")
                log.append(dict(slog[i], line=line_no, duplicate=out[i]["duplicate"]))
    with open(os.path.join(ROOT, "cache_pairs_log.jsonl"), "w", encoding="utf-8") as f:
        for e in log:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    for k in sorted(counts):
        print(k, counts[k])


if __name__ == "__main__":
    main()
