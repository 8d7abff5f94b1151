-- Applyflow schema, PostgreSQL flavour. Mirrors migrations/sqlite/0001_init.sql table for table.
-- Ids are UUID strings; timestamps are RFC 3339 UTC text with nine fractional digits
-- (fixed width, so they sort as text); JSON documents are text. Columns that are ordered or
-- compared by range use the "C" collation, so text order is byte order whatever the locale.

CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    email       TEXT NOT NULL UNIQUE,
    cell_id     TEXT NOT NULL,
    created_at  TEXT COLLATE "C" NOT NULL
);

CREATE TABLE api_keys (
    key_hash    TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE profiles (
    user_id           TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    resume_json       TEXT NOT NULL,
    preferences_json  TEXT NOT NULL,
    updated_at        TEXT COLLATE "C" NOT NULL
);

CREATE TABLE jobs (
    id             TEXT COLLATE "C" PRIMARY KEY,
    user_id        TEXT NOT NULL,
    source         TEXT NOT NULL,
    source_id      TEXT NOT NULL,
    company        TEXT NOT NULL,
    title          TEXT NOT NULL,
    discovered_at  TEXT COLLATE "C" NOT NULL,
    job_json       TEXT NOT NULL,
    UNIQUE (user_id, source, source_id)
);
CREATE INDEX jobs_user_id ON jobs (user_id, id);

CREATE TABLE applications (
    id              TEXT COLLATE "C" PRIMARY KEY,
    user_id         TEXT NOT NULL,
    job_id          TEXT NOT NULL,
    correlation_id  TEXT NOT NULL,
    state           TEXT NOT NULL,
    outcome         TEXT,
    variant_id      TEXT,
    reason          TEXT,
    created_at      TEXT COLLATE "C" NOT NULL,
    updated_at      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX applications_user_id ON applications (user_id, id);
CREATE INDEX applications_user_state ON applications (user_id, state);

CREATE TABLE analyses (
    user_id        TEXT NOT NULL,
    job_id         TEXT NOT NULL,
    provider       TEXT NOT NULL,
    analysis_json  TEXT NOT NULL,
    updated_at     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (user_id, job_id)
);
CREATE INDEX analyses_user_recent ON analyses (user_id, updated_at);

CREATE TABLE resumes (
    application_id  TEXT NOT NULL,
    variant_id      TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    job_id          TEXT NOT NULL,
    selected        BOOLEAN NOT NULL DEFAULT FALSE,
    resume_json     TEXT NOT NULL,
    PRIMARY KEY (application_id, variant_id)
);
CREATE INDEX resumes_user ON resumes (user_id, application_id);

CREATE TABLE documents (
    application_id  TEXT NOT NULL,
    variant_id      TEXT NOT NULL,
    format          TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    content         TEXT NOT NULL,
    PRIMARY KEY (application_id, variant_id, format)
);

-- The primary key is what guarantees at most one submission per application.
CREATE TABLE submissions (
    application_id  TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL,
    method          TEXT NOT NULL,
    variant_id      TEXT NOT NULL,
    confirmation    TEXT NOT NULL,
    submitted_at    TEXT COLLATE "C" NOT NULL
);

-- The event log and outbox: `seq` is the log order, `published` the relay's mark.
CREATE TABLE events (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        TEXT NOT NULL UNIQUE,
    user_id         TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    correlation_id  TEXT NOT NULL,
    application_id  TEXT,
    occurred_at     TEXT COLLATE "C" NOT NULL,
    envelope_json   TEXT NOT NULL,
    published       BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX events_user_seq ON events (user_id, seq);
CREATE INDEX events_application_seq ON events (application_id, seq);
CREATE INDEX events_type_seq ON events (event_type, seq);
CREATE INDEX events_unpublished ON events (seq) WHERE published = FALSE;

-- Which consumer has processed which event (or natural key): the inbox.
CREATE TABLE inbox (
    consumer      TEXT NOT NULL,
    key           TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    processed_at  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (consumer, key)
);

CREATE TABLE timers (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL,
    application_id  TEXT NOT NULL,
    due_at          TEXT COLLATE "C" NOT NULL,
    event_json      TEXT NOT NULL
);
CREATE INDEX timers_due ON timers (due_at);

CREATE TABLE dead_letters (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL,
    consumer      TEXT NOT NULL,
    event_id      TEXT,
    step          TEXT NOT NULL,
    attempts      BIGINT NOT NULL,
    error         TEXT NOT NULL,
    payload_json  TEXT NOT NULL,
    created_at    TEXT COLLATE "C" NOT NULL
);
CREATE INDEX dead_letters_user ON dead_letters (user_id, created_at);

CREATE TABLE notifications (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL,
    application_id  TEXT,
    message         TEXT NOT NULL,
    created_at      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
