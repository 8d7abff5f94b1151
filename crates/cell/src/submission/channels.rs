//! The configured channels and the choice of one per application: the posting's own ATS when
//! its key is configured, else email when the posting names an address, else the webhook; the
//! sandbox only when no real channel is configured at all.

use crate::config::SubmitConfig;
use domain::Job;
use regex::Regex;
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use submit::channel::{self as ch, Channel, Recipient};

/// The channels this cell can send through.
#[derive(Clone)]
pub struct Channels {
    email: Option<Arc<dyn Channel>>,
    greenhouse: Option<Arc<dyn Channel>>,
    lever: Option<Arc<dyn Channel>>,
    webhook: Option<Arc<dyn Channel>>,
    sandbox: Arc<dyn Channel>,
    /// Set when the configuration could not be turned into channels: every application then
    /// waits for the user with this reason (never a silent fall-back to the sandbox).
    broken: Option<String>,
}

impl Default for Channels {
    /// The sandbox alone.
    fn default() -> Self {
        Self {
            email: None,
            greenhouse: None,
            lever: None,
            webhook: None,
            sandbox: Arc::new(ch::SandboxChannel::new()),
            broken: None,
        }
    }
}

fn config_err(e: ch::SendError) -> String {
    e.to_string()
}

impl Channels {
    /// Builds every channel `cfg` configures; `now_unix` stamps webhook signatures and mail.
    pub fn from_config(cfg: &SubmitConfig, now_unix: ch::UnixClock) -> Result<Self, String> {
        let timeout = Duration::from_secs(cfg.timeout_secs.max(1));
        let c = &cfg.channels;
        let mut out = Self::default();
        if let (Some(url), Some(from)) = (&c.email.smtp_url, &c.email.from) {
            let mut e = ch::EmailConfig::new(url.clone(), from.clone());
            e.timeout = timeout;
            e.clock = now_unix.clone();
            out.email = Some(Arc::new(ch::EmailChannel::new(e).map_err(config_err)?));
        }
        if let Some(key) = &c.greenhouse.api_key {
            let mut g = ch::GreenhouseConfig::new(key.clone());
            if !c.greenhouse.base_url.is_empty() {
                g.base_url = c.greenhouse.base_url.clone();
            }
            g.timeout = timeout;
            out.greenhouse = Some(Arc::new(ch::GreenhouseChannel::new(g).map_err(config_err)?));
        }
        if let Some(key) = &c.lever.api_key {
            let mut l = ch::LeverConfig::new(key.clone());
            if !c.lever.base_url.is_empty() {
                l.base_url = c.lever.base_url.clone();
            }
            l.timeout = timeout;
            out.lever = Some(Arc::new(ch::LeverChannel::new(l).map_err(config_err)?));
        }
        if let (Some(url), Some(secret)) = (&c.webhook.url, &c.webhook.secret) {
            let mut w = ch::WebhookConfig::new(url.clone(), secret.clone());
            w.timeout = timeout;
            w.clock = now_unix;
            out.webhook = Some(Arc::new(ch::WebhookChannel::new(w).map_err(config_err)?));
        }
        Ok(out)
    }

    /// Channels that refuse every application with `reason` (a configuration error).
    pub fn broken(reason: String) -> Self {
        Self { broken: Some(reason), ..Self::default() }
    }

    /// Replaces (or adds) a channel by its name: for tests and drills.
    pub fn with(mut self, channel: Arc<dyn Channel>) -> Self {
        match channel.name() {
            "email" => self.email = Some(channel),
            "greenhouse" => self.greenhouse = Some(channel),
            "lever" => self.lever = Some(channel),
            "webhook" => self.webhook = Some(channel),
            _ => self.sandbox = channel,
        }
        self
    }

    fn any_real(&self) -> bool {
        self.email.is_some() || self.greenhouse.is_some() || self.lever.is_some() || self.webhook.is_some()
    }

    /// The channel named `name`, when configured.
    pub fn by_name(&self, name: &str) -> Option<Arc<dyn Channel>> {
        match name {
            "email" => self.email.clone(),
            "greenhouse" => self.greenhouse.clone(),
            "lever" => self.lever.clone(),
            "webhook" => self.webhook.clone(),
            "sandbox" => Some(self.sandbox.clone()),
            _ => None,
        }
    }

    /// The channel and recipient for `job`, or why the application must wait for the user.
    pub fn choose(&self, job: &Job) -> Result<(Arc<dyn Channel>, Recipient), String> {
        if let Some(reason) = &self.broken {
            return Err(format!("the submit channels are misconfigured: {reason}"));
        }
        if !self.any_real() {
            return Ok((self.sandbox.clone(), Recipient::Sandbox));
        }
        if let (Some(c), Some(r)) = (&self.greenhouse, greenhouse_recipient(job)) {
            return Ok((c.clone(), r));
        }
        if let (Some(c), Some(r)) = (&self.lever, lever_recipient(job)) {
            return Ok((c.clone(), r));
        }
        let address = posting_email(&job.description);
        if let (Some(c), Some(address)) = (&self.email, address.clone()) {
            return Ok((c.clone(), Recipient::Email { address }));
        }
        if let Some(c) = &self.webhook {
            return Ok((c.clone(), Recipient::Webhook));
        }
        let mut why = match job.source.as_str() {
            s @ ("greenhouse" | "lever") => {
                format!("this posting is on {s}, and submit.channels.{s}.api_key is not set")
            }
            s => format!("no configured channel reaches {s} postings"),
        };
        match address {
            Some(a) => why.push_str(&format!("; it names {a}, but submit.channels.email is not set")),
            None if self.email.is_some() => why.push_str("; it names no email address"),
            None => {}
        }
        Err(format!("{why}. Apply at {} yourself, then `applyflow track set ID applied`", job.apply_url))
    }
}

/// `boards.greenhouse.io/{token}/jobs/{id}`, `job-boards.greenhouse.io/{token}/jobs/{id}`, or
/// an embed URL with `for={token}` and `token={id}`.
pub fn greenhouse_recipient(job: &Job) -> Option<Recipient> {
    let url = url::Url::parse(&job.apply_url).ok()?;
    if !url.host_str()?.ends_with("greenhouse.io") {
        return None;
    }
    let q = |k: &str| url.query_pairs().find(|(n, _)| n == k).map(|(_, v)| v.into_owned());
    if let (Some(board_token), Some(job_id)) = (q("for"), q("token")) {
        return Some(Recipient::Greenhouse { board_token, job_id });
    }
    let parts: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    match parts.as_slice() {
        [token, "jobs", id, ..] => Some(Recipient::Greenhouse { board_token: (*token).into(), job_id: (*id).into() }),
        _ => None,
    }
}

/// `jobs.lever.co/{site}/{posting id}[/apply]`.
pub fn lever_recipient(job: &Job) -> Option<Recipient> {
    let url = url::Url::parse(&job.apply_url).ok()?;
    if !url.host_str()?.ends_with("lever.co") {
        return None;
    }
    let parts: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    match parts.as_slice() {
        [site, id, ..] => Some(Recipient::Lever { site: (*site).into(), posting_id: (*id).into() }),
        _ => None,
    }
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b[a-z0-9][a-z0-9._%+-]{0,63}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9-]{1,63})*\.[a-z]{2,24}\b",
    )
    .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});

/// The address a posting asks applications to go to: the first address near "apply", "send",
/// "CV" or "resume"; else the only address it names. Privacy, abuse and no-reply addresses are
/// never chosen.
pub fn posting_email(description: &str) -> Option<String> {
    let found: Vec<(usize, String)> = EMAIL
        .find_iter(description)
        .map(|m| (m.start(), m.as_str().trim_end_matches('.').to_ascii_lowercase()))
        .filter(|(_, a)| {
            let local = a.split('@').next().unwrap_or("");
            ![
                "privacy",
                "abuse",
                "noreply",
                "no-reply",
                "donotreply",
                "gdpr",
                "legal",
                "accommodation",
                "accessibility",
            ]
            .iter()
            .any(|w| local.contains(w))
        })
        .collect();
    let near = found.iter().find(|(at, _)| {
        let from = description.floor_char_boundary(at.saturating_sub(120));
        let before = description[from..*at].to_lowercase();
        ["apply", "send", "cv", "resume", "résumé", "application", "bewerb", "candidat"]
            .iter()
            .any(|w| before.contains(w))
    });
    match (near, found.as_slice()) {
        (Some((_, a)), _) => Some(a.clone()),
        (None, [(_, only)]) => Some(only.clone()),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn job(url: &str, description: &str) -> Job {
        let mut j = Job::from_text("greenhouse", "Engineer", description);
        j.apply_url = url.into();
        j
    }

    #[test]
    fn ats_recipients_come_from_the_apply_url() {
        let gh = job("https://boards.greenhouse.io/acme/jobs/4012345?gh_src=x", "");
        assert_eq!(
            greenhouse_recipient(&gh),
            Some(Recipient::Greenhouse { board_token: "acme".into(), job_id: "4012345".into() })
        );
        let embed = job("https://boards.greenhouse.io/embed/job_app?for=acme&token=77", "");
        assert_eq!(
            greenhouse_recipient(&embed),
            Some(Recipient::Greenhouse { board_token: "acme".into(), job_id: "77".into() })
        );
        let lever = job("https://jobs.lever.co/globex/0b5e-11/apply", "");
        assert_eq!(
            lever_recipient(&lever),
            Some(Recipient::Lever { site: "globex".into(), posting_id: "0b5e-11".into() })
        );
        assert_eq!(greenhouse_recipient(&lever), None);
        assert_eq!(lever_recipient(&job("https://evil.example/acme/jobs/1", "")), None);
    }

    #[test]
    fn the_posting_email_is_the_one_to_apply_to() {
        let d =
            "Questions? privacy@acme.example. To apply, send your CV to Jobs@Acme.example. Press: press@acme.example";
        assert_eq!(posting_email(d).as_deref(), Some("jobs@acme.example"));
        assert_eq!(posting_email("Contact hr@globex.example").as_deref(), Some("hr@globex.example"));
        assert_eq!(posting_email("a@x.example or b@y.example"), None, "two addresses, neither about applying");
        assert_eq!(posting_email("no address here"), None);
        assert_eq!(posting_email("write to noreply@x.example"), None);
    }

    #[test]
    fn no_real_channel_means_the_sandbox_and_a_missing_one_waits() {
        let j = job("https://boards.greenhouse.io/acme/jobs/1", "Send your resume to jobs@acme.example");
        let (c, r) = Channels::default().choose(&j).unwrap();
        assert_eq!((c.name(), r), ("sandbox", Recipient::Sandbox));
        let email = Channels::default().with(Arc::new(
            ch::EmailChannel::new(ch::EmailConfig::new("smtp://127.0.0.1:2525", "a@b.example")).unwrap(),
        ));
        let (c, r) = email.choose(&j).unwrap();
        assert_eq!((c.name(), r), ("email", Recipient::Email { address: "jobs@acme.example".into() }));
        let Err(why) = email.choose(&job("https://boards.greenhouse.io/acme/jobs/1", "Apply online.")) else {
            panic!("should wait")
        };
        assert!(why.contains("submit.channels.greenhouse.api_key") && why.contains("names no email"), "{why}");
    }
}
