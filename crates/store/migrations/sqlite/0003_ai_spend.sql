-- AI spend: one row per answered (paid or free) LLM call, for `applyflow ai spend` and for
-- restoring today's budget ledger after a restart. Money in integer nano-dollars.

CREATE TABLE ai_spend (
    day            TEXT NOT NULL,
    at             TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    cell           TEXT NOT NULL,
    task           TEXT NOT NULL,
    provider       TEXT NOT NULL,
    model          TEXT NOT NULL,
    input_tokens   BIGINT NOT NULL,
    output_tokens  BIGINT NOT NULL,
    cost_nanos     BIGINT NOT NULL
);

CREATE INDEX ai_spend_day ON ai_spend (day, user_id);
