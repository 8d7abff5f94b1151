-- The AI spend journal: write-ahead holds of billed provider attempts, and spend alerts until
-- they are delivered.
--
-- A hold is written (and committed) before a billed request is sent, and deleted in the same
-- transaction that writes the attempt's ai_spend row. A hold still open after a crash counts as
-- spent at its reserved amount when the budget ledger is restored; once past stale_at (no live
-- call can still close it) it is turned into an ai_spend row of that amount. Money in integer
-- nano-dollars; timestamps are fixed-width RFC 3339 text, so they compare as text.

CREATE TABLE ai_spend_holds (
    id              TEXT PRIMARY KEY,
    day             TEXT NOT NULL,
    at              TEXT COLLATE "C" NOT NULL,
    stale_at        TEXT COLLATE "C" NOT NULL,
    user_id         TEXT NOT NULL,
    cell            TEXT NOT NULL,
    task            TEXT NOT NULL,
    provider        TEXT NOT NULL,
    model           TEXT NOT NULL,
    reserved_nanos  BIGINT NOT NULL
);

CREATE INDEX ai_spend_holds_day ON ai_spend_holds (day);
CREATE INDEX ai_spend_holds_stale ON ai_spend_holds (stale_at);

-- One row per alert (key: day, scope, id, threshold); sent_at is set once the alert's event is
-- in the log and its webhook answered 2xx. Rows without it are resent, also after a restart.
CREATE TABLE ai_spend_alerts (
    key         TEXT PRIMARY KEY,
    day         TEXT NOT NULL,
    created_at  TEXT COLLATE "C" NOT NULL,
    alert_json  TEXT NOT NULL,
    sent_at     TEXT COLLATE "C"
);

CREATE INDEX ai_spend_alerts_day ON ai_spend_alerts (day);
