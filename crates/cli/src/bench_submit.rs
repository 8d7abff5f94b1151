//! `applyflow bench submit`: each real channel adapter against an in-process loopback receiver
//! that answers the way the real one does (Greenhouse and Lever JSON, a webhook that
//! deduplicates by `Idempotency-Key`, an SMTP sink), with a 40 KiB PDF attached; prints
//! submissions per second and p50/p99 latency per channel as JSON. It measures the adapters
//! (encoding, HTTP or SMTP, TLS off on loopback), not an employer's server.

use anyhow::{Context, Result};
use axum::routing::post;
use clap::Args;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;
use submit::channel::{self as ch, Answer, Applicant, Attachment, Channel, Outgoing, Recipient};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

#[derive(Debug, Args)]
pub struct BenchSubmitArgs {
    /// Submissions per channel
    #[arg(long, default_value_t = 400)]
    submissions: usize,
    /// Submissions in flight at once
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
}

/// Loopback Greenhouse, Lever and webhook receivers; counts requests and distinct keys.
async fn http_receiver(requests: Arc<AtomicUsize>) -> Result<String> {
    let count = |c: Arc<AtomicUsize>| {
        move || {
            c.fetch_add(1, Ordering::Relaxed);
            async {}
        }
    };
    let (a, b, c) = (requests.clone(), requests.clone(), requests);
    let app = axum::Router::new()
        .route(
            "/v1/boards/{token}/jobs/{id}",
            post(move |body: axum::body::Bytes| {
                let f = count(a.clone());
                async move {
                    // Read the whole request, as a real receiver does.
                    let _ = body.len();
                    f().await;
                    axum::Json(serde_json::json!({"success": "Candidate saved successfully"}))
                }
            }),
        )
        .route(
            "/v0/postings/{site}/{id}",
            post(move |body: axum::body::Bytes| {
                let f = count(b.clone());
                async move {
                    // Read the whole request, as a real receiver does.
                    let _ = body.len();
                    f().await;
                    axum::Json(serde_json::json!({"ok": true, "applicationId": "bench"}))
                }
            }),
        )
        .route(
            "/hook",
            post(move |body: axum::body::Bytes| {
                let f = count(c.clone());
                async move {
                    // Read the whole request, as a real receiver does.
                    let _ = body.len();
                    f().await;
                    axum::Json(serde_json::json!({"id": "bench"}))
                }
            }),
        )
        .layer(axum::extract::DefaultBodyLimit::max(8 << 20));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(format!("http://{addr}"))
}

/// A loopback SMTP sink: accepts every message (RFC 5321 replies, no storage).
async fn smtp_sink(messages: Arc<AtomicUsize>) -> Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let messages = messages.clone();
            tokio::spawn(async move {
                let (r, mut w) = stream.into_split();
                let mut lines = BufReader::new(r).lines();
                let _ = w.write_all(b"220 bench ESMTP\r\n").await;
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            messages.fetch_add(1, Ordering::Relaxed);
                            let _ = w.write_all(b"250 2.0.0 queued\r\n").await;
                        }
                        continue;
                    }
                    let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 bench\r\n",
                        "DATA" => {
                            in_data = true;
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 2.0.0 ok\r\n",
                    };
                    let _ = w.write_all(reply).await;
                }
            });
        }
    });
    Ok(format!("smtp://{addr}"))
}

fn outgoing(i: usize, channel: &str, recipient: Recipient, pdf: &[u8]) -> Outgoing {
    Outgoing {
        idempotency_key: ch::idempotency_key("bench-user", &format!("job-{i}"), channel),
        user_id: "bench-user".into(),
        application_id: format!("app-{i}"),
        job_id: format!("job-{i}"),
        company: "Bench Co".into(),
        title: "Backend Engineer".into(),
        recipient,
        applicant: Applicant {
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            email: "ada@example.com".into(),
            phone: Some("+44 20 1234".into()),
        },
        cover_note: "Dear Bench Co hiring team,\n\nPlease find attached my resume.\n".into(),
        attachments: vec![Attachment {
            name: "Ada_Lovelace_resume.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: pdf.to_vec(),
        }],
        answers: vec![Answer {
            field: "question_1".into(),
            label: "LinkedIn".into(),
            value: "https://x.example".into(),
        }],
    }
}

async fn measure(
    channel: Arc<dyn Channel>,
    recipient: Recipient,
    args: &BenchSubmitArgs,
    pdf: &[u8],
) -> serde_json::Value {
    use futures::StreamExt as _;
    let name = channel.name();
    let started = Instant::now();
    let results: Vec<(f64, Option<String>)> = futures::stream::iter(0..args.submissions)
        .map(|i| {
            let (channel, msg) = (channel.clone(), outgoing(i, name, recipient.clone(), pdf));
            async move {
                let t = Instant::now();
                let err = channel.send(&msg).await.err().map(|e| e.to_string());
                (t.elapsed().as_secs_f64() * 1e3, err)
            }
        })
        .buffer_unordered(args.concurrency.max(1))
        .collect()
        .await;
    let secs = started.elapsed().as_secs_f64();
    let mut lat: Vec<f64> = results.iter().map(|r| r.0).collect();
    lat.sort_by(f64::total_cmp);
    let ok = results.iter().filter(|r| r.1.is_none()).count();
    let first_error = results.iter().find_map(|r| r.1.clone());
    let round = |x: f64| (x * 100.0).round() / 100.0;
    serde_json::json!({
        "channel": name,
        "submissions": args.submissions,
        "succeeded": ok,
        "per_second": round(ok as f64 / secs),
        "p50_ms": round(crate::render_cmd::percentile(&lat, 50.0)),
        "p99_ms": round(crate::render_cmd::percentile(&lat, 99.0)),
        "first_error": first_error,
    })
}

pub async fn run(args: BenchSubmitArgs) -> Result<()> {
    let requests = Arc::new(AtomicUsize::new(0));
    let mails = Arc::new(AtomicUsize::new(0));
    let http = http_receiver(requests.clone()).await?;
    let smtp = smtp_sink(mails.clone()).await?;
    // A stand-in for a two-page resume PDF (the size matters, not the content).
    let pdf: Vec<u8> = b"%PDF-1.7\n".iter().copied().chain((0..40 * 1024).map(|i| (i * 31 % 251) as u8)).collect();
    let mut gh = ch::GreenhouseConfig::new("bench-key");
    gh.base_url = http.clone();
    let mut lever = ch::LeverConfig::new("bench-key");
    lever.base_url = http.clone();
    let channels: Vec<(Arc<dyn Channel>, Recipient)> = vec![
        (Arc::new(ch::SandboxChannel::new()), Recipient::Sandbox),
        (
            Arc::new(ch::GreenhouseChannel::new(gh).context("greenhouse")?),
            Recipient::Greenhouse { board_token: "bench".into(), job_id: "1".into() },
        ),
        (
            Arc::new(ch::LeverChannel::new(lever).context("lever")?),
            Recipient::Lever { site: "bench".into(), posting_id: "1".into() },
        ),
        (
            Arc::new(
                ch::WebhookChannel::new(ch::WebhookConfig::new(format!("{http}/hook"), "bench-secret-0123456789"))
                    .context("webhook")?,
            ),
            Recipient::Webhook,
        ),
        (
            Arc::new(ch::EmailChannel::new(ch::EmailConfig::new(smtp, "bench@applyflow.test")).context("email")?),
            Recipient::Email { address: "jobs@bench.test".into() },
        ),
    ];
    let mut out = Vec::new();
    for (channel, recipient) in channels {
        eprintln!("bench submit: {} ({} submissions)…", channel.name(), args.submissions);
        out.push(measure(channel, recipient, &args, &pdf).await);
    }
    println!(
        "{}",
        serde_json::json!({
            "bench": "submit",
            "pdf_bytes": pdf.len(),
            "concurrency": args.concurrency,
            "http_requests_received": requests.load(Ordering::Relaxed),
            "smtp_messages_received": mails.load(Ordering::Relaxed),
            "channels": out,
        })
    );
    Ok(())
}
