//! `applyflow track sync`: reads new mail from the user's IMAP mailbox, ties each reply to the
//! application it answers (thread headers, sender domain, company and role), classifies it
//! (the AI layer, the offline rules as fallback), and records it: the timeline, the stage, a notification when the user has
//! something to do, and `response.received` — one unit per email, each email once (by its
//! Message-ID), then the mailbox cursor.

use super::ActionError;
use crate::agents::{fresh_event, workflow_ctx};
use crate::config::ImapSettings;
use crate::Cell;
use domain::event::{EventPayload, ResponseReceived};
use domain::{ApplicationState, Outcome, Stage, UserId};
use serde::Serialize;
use std::collections::BTreeMap;
use store::{MailboxCursor, Notification, Page, TimelineEntry, UnitOfWork, Write};
use track::ReplyKind;

/// What a sync did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    pub fetched: usize,
    /// Messages the server sent that could not be parsed (skipped, counted).
    pub unreadable: usize,
    pub already_seen: usize,
    pub matched: usize,
    pub unmatched: usize,
    /// Matched replies by kind.
    pub by_kind: BTreeMap<String, usize>,
    pub last_uid: u32,
}

/// The stage a reply puts an application at, and the outcome it decides.
fn effect(kind: ReplyKind) -> (Option<Stage>, Option<Outcome>) {
    match kind {
        ReplyKind::Interview => (Some(Stage::Interview), Some(Outcome::Interview)),
        ReplyKind::Offer => (Some(Stage::Offer), Some(Outcome::Offer)),
        ReplyKind::Rejection => (Some(Stage::Rejected), Some(Outcome::Rejection)),
        ReplyKind::InfoRequest => (Some(Stage::Screening), None),
        ReplyKind::Acknowledgement | ReplyKind::Other => (None, None),
    }
}

impl Cell {
    /// Reads the mailbox `imap` names since the last sync and records every reply (see the
    /// module docs).
    pub async fn sync_mailbox(&self, user: UserId, imap: &ImapSettings) -> Result<SyncReport, ActionError> {
        let (Some(url), Some(username), Some(password)) = (&imap.url, &imap.username, &imap.password) else {
            return Err(ActionError::Refused(
                "no mailbox configured: set track.imap.url, .username and .password (or APPLYFLOW_TRACK__IMAP__URL, …)"
                    .into(),
            ));
        };
        let store = &self.inner.store;
        let ctx = &self.inner.ctx;
        let mut cfg = track::ImapConfig::new(url.clone(), username.clone(), password.clone());
        cfg.mailbox = imap.mailbox.clone();
        let cursor = store.mailbox_cursor(user).await?;
        let fetched = track::fetch_since(&cfg, cursor.map_or(0, |c| c.last_uid), cursor.map(|c| c.uid_validity))
            .await
            .map_err(|e| ActionError::Unavailable(format!("cannot read the mailbox: {e}")))?;
        let mut report = SyncReport {
            fetched: fetched.emails.len(),
            unreadable: fetched.skipped,
            last_uid: fetched.last_uid,
            ..SyncReport::default()
        };
        let candidates = self.reply_candidates(user).await?;
        let cell = domain::CellId::new(ctx.config.cell_id.clone());
        for email in &fetched.emails {
            let key = email.message_id.clone().unwrap_or_else(|| format!("uid:{}:{}", fetched.uid_validity, email.uid));
            if store.inbound_seen(user, &key).await? {
                report.already_seen += 1;
                continue;
            }
            let (kind, decided_by) =
                super::classify::classify(ctx, user, &email.subject, &email.from, &email.body).await;
            let at = ctx.clock.now();
            let received_at = email.date.unwrap_or(at);
            let matched = track::match_reply(email, &candidates);
            let app_id = matched.as_ref().and_then(|m| m.application_id.parse().ok().map(domain::ApplicationId));
            let mut unit = UnitOfWork { user_id: user, inbox: None, writes: Vec::new(), events: Vec::new(), at };
            unit.writes.push(Write::RecordInbound {
                message_key: key.clone(),
                application_id: app_id,
                kind: kind.as_str().into(),
                subject: email.subject.chars().take(300).collect(),
                sender: email.from.chars().take(300).collect(),
                received_at,
            });
            match app_id {
                None => report.unmatched += 1,
                Some(app_id) => {
                    report.matched += 1;
                    *report.by_kind.entry(kind.as_str().into()).or_default() += 1;
                    if let Some(app) = store.get_application(user, app_id).await? {
                        let (stage, outcome) = effect(kind);
                        unit.writes.push(Write::Track(TimelineEntry {
                            id: ctx.clock.new_id(),
                            application_id: app_id,
                            stage,
                            note: Some(format!(
                                "{} email from {}: {} (classified by {decided_by})",
                                kind.as_str(),
                                email.from,
                                email.subject
                            )),
                            source: "email".into(),
                            at: received_at,
                        }));
                        if let (Some(outcome), ApplicationState::Submitted) = (outcome, app.state) {
                            unit.writes.push(Write::Transition {
                                application_id: app_id,
                                from: ApplicationState::Submitted,
                                to: ApplicationState::Responded,
                                outcome: Some(outcome),
                                variant_id: None,
                                reason: None,
                                at,
                            });
                        }
                        if matches!(kind, ReplyKind::Interview | ReplyKind::Offer | ReplyKind::InfoRequest) {
                            unit.writes.push(Write::Notify(Notification {
                                id: ctx.clock.new_id(),
                                user_id: user,
                                application_id: Some(app_id),
                                message: format!("{}: {} replied: {}", kind.as_str(), email.from, email.subject),
                                created_at: at,
                            }));
                        }
                        let payload = EventPayload::ResponseReceived(ResponseReceived {
                            job_id: app.job_id,
                            application_id: app_id,
                            outcome,
                            source: "email".into(),
                            reply: Some(kind.as_str().into()),
                        });
                        let ectx = workflow_ctx(&cell, user, app.correlation_id, at);
                        unit.events.push(fresh_event(ctx.clock.as_ref(), ectx, &payload));
                    }
                }
            }
            self.commit_user_unit(&unit).await?;
        }
        let cursor = MailboxCursor { uid_validity: fetched.uid_validity, last_uid: fetched.last_uid };
        let at = ctx.clock.now();
        let unit = UnitOfWork {
            user_id: user,
            inbox: None,
            writes: vec![Write::MailboxCursor { cursor, at }],
            events: vec![],
            at,
        };
        self.commit_user_unit(&unit).await?;
        Ok(report)
    }

    /// The user's sent applications as reply candidates.
    async fn reply_candidates(&self, user: UserId) -> Result<Vec<track::Candidate>, ActionError> {
        let store = &self.inner.store;
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let page = store.list_applications(user, &Page { after, limit: 500 }).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id.0);
            for app in &page {
                let Some(sub) = store.get_submission(user, app.id).await? else { continue };
                let Some(job) = store.get_job(user, app.job_id).await? else { continue };
                let attempts = store.attempts_for(user, app.id).await?;
                let mut domains = vec![job.apply_url.clone()];
                let mut message_ids = Vec::new();
                for a in attempts.iter().filter(|a| a.channel == "email") {
                    message_ids.push(submit::channel::email::message_id(&a.idempotency_key));
                    domains.push(a.recipient.clone());
                }
                out.push(track::Candidate {
                    application_id: app.id.to_string(),
                    message_ids,
                    company: job.company.clone(),
                    title: job.title.clone(),
                    company_domains: domains,
                    applied_at: sub.submitted_at,
                });
            }
        }
        Ok(out)
    }
}
