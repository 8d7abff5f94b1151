-- Discovery: the boards each user follows with their polling state, the postings last seen on
-- each (to notice changes and closures), and every source a deduplicated job was seen on.

CREATE TABLE sources (
    user_id         TEXT NOT NULL,
    spec            TEXT NOT NULL,
    added_at        TEXT NOT NULL,
    etag            TEXT,
    last_modified   TEXT,
    last_polled_at  TEXT,
    -- seconds between polls; NULL means the configured default
    interval_secs   INTEGER,
    PRIMARY KEY (user_id, spec)
);

CREATE TABLE source_postings (
    user_id       TEXT NOT NULL,
    spec          TEXT NOT NULL,
    source_id     TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    job_id        TEXT,
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    closed_at     TEXT,
    PRIMARY KEY (user_id, spec, source_id)
);

CREATE TABLE job_sources (
    user_id    TEXT NOT NULL,
    job_id     TEXT NOT NULL,
    source     TEXT NOT NULL,
    source_id  TEXT NOT NULL,
    url        TEXT,
    PRIMARY KEY (user_id, source, source_id)
);
CREATE INDEX job_sources_job ON job_sources (user_id, job_id);
