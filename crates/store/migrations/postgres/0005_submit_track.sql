-- Submission and tracking: the idempotency ledger written before every send, the audit copy of
-- what left, per-day quotas (caps), the user-facing stage of each application with its
-- timeline, dismissable notifications, and the inbound mailbox's cursor and messages.

-- One row per (user, job, channel): the key is recorded *before* the send.
-- status: sending (in flight, or a crash left it so), retry (known not delivered), unknown
-- (a timeout: maybe delivered), sent, rejected (the receiver refused).
CREATE TABLE submit_attempts (
    idempotency_key  TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL,
    application_id   TEXT NOT NULL,
    channel          TEXT NOT NULL,
    recipient        TEXT NOT NULL,
    company          TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         BIGINT NOT NULL,
    last_error       TEXT,
    started_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX submit_attempts_app ON submit_attempts (user_id, application_id);
CREATE INDEX submit_attempts_status ON submit_attempts (status, updated_at);

-- Sends per user per UTC day and scope (`all`, `company:<name>`, `channel:<name>`); a send
-- takes one unit of each of its three scopes or none (the caps).
CREATE TABLE submit_quota (
    user_id  TEXT NOT NULL,
    day      TEXT NOT NULL,
    scope    TEXT NOT NULL,
    used     BIGINT NOT NULL,
    PRIMARY KEY (user_id, day, scope)
);

-- The exact bytes that left (documents, answers, headers minus secrets), as JSON.
CREATE TABLE submit_audits (
    application_id  TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL,
    channel         TEXT NOT NULL,
    audit_json      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);

-- The stage a person would name (saved, applied, screening, interview, offer, rejected,
-- withdrawn, no_response); `source` is `user` when the user set it (then automatic updates
-- only add to the timeline).
CREATE TABLE application_stages (
    application_id  TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL,
    stage           TEXT NOT NULL,
    source          TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX application_stages_user ON application_stages (user_id, stage);

CREATE TABLE application_timeline (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL,
    application_id  TEXT NOT NULL,
    stage           TEXT,
    note            TEXT,
    source          TEXT NOT NULL,
    at              TEXT NOT NULL
);
CREATE INDEX application_timeline_app ON application_timeline (user_id, application_id, at);

ALTER TABLE notifications ADD COLUMN dismissed_at TEXT;

CREATE TABLE mailbox_cursors (
    user_id       TEXT PRIMARY KEY,
    uid_validity  BIGINT NOT NULL,
    last_uid      BIGINT NOT NULL,
    synced_at     TEXT NOT NULL
);

-- Each inbound message once (by Message-ID, or validity/uid when it has none).
CREATE TABLE inbound_emails (
    user_id         TEXT NOT NULL,
    message_key     TEXT NOT NULL,
    application_id  TEXT,
    kind            TEXT NOT NULL,
    subject         TEXT NOT NULL,
    sender          TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    PRIMARY KEY (user_id, message_key)
);
