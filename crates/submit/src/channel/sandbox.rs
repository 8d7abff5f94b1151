//! The sandbox channel: delivers nothing, so the whole pipeline can run without touching a real
//! employer. Its confirmation is derived from the idempotency key, so a resend gets the same one.

use super::{fallback_confirmation, Audit, Channel, Outgoing, Receipt, SendError};
use async_trait::async_trait;

/// The audit target of every sandbox "send".
pub const SANDBOX_TARGET: &str = "sandbox (nothing left this machine)";

/// Accepts any [`Outgoing`] and sends nothing. Confirmation: `sandbox-` and the first 12 hex
/// digits of SHA-256(idempotency key). The audit lists the fields a real channel would send.
#[derive(Debug, Clone, Copy, Default)]
pub struct SandboxChannel;

impl SandboxChannel {
    pub fn new() -> Self {
        Self
    }
}

#[async_trait]
impl Channel for SandboxChannel {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn accepts_idempotency_key(&self) -> bool {
        true
    }

    async fn send(&self, msg: &Outgoing) -> Result<Receipt, SendError> {
        let applicant = &msg.applicant;
        let mut fields = vec![
            ("first_name".to_owned(), applicant.first_name.clone()),
            ("last_name".to_owned(), applicant.last_name.clone()),
            ("email".to_owned(), applicant.email.clone()),
        ];
        if let Some(phone) = &applicant.phone {
            fields.push(("phone".to_owned(), phone.clone()));
        }
        fields.push(("cover_note".to_owned(), msg.cover_note.clone()));
        fields.extend(msg.answers.iter().map(|a| (a.field.clone(), a.value.clone())));
        Ok(Receipt {
            confirmation: fallback_confirmation("sandbox", &msg.idempotency_key),
            audit: Audit { target: SANDBOX_TARGET.to_owned(), headers: Vec::new(), fields, body: Vec::new() },
        })
    }
}
