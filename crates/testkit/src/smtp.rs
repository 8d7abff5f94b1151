//! A real SMTP server on loopback for the email tests: `data/smtp_server.py` (Python's aiosmtpd)
//! saves each message it receives (envelope JSON + raw bytes), answers `reject@…` with 550 and
//! `busy@…` with 451. Fails (never skips) when aiosmtpd is missing.

// Test harness code: a failure to set the server up is a test failure, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `python3 crates/testkit/data/smtp_server.py` on a free loopback port, killed on drop.
pub struct SmtpServer {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    /// Starts the server on a free port: the port is found by binding 127.0.0.1:0 and released
    /// for Python to bind, so another process may take it in between; then this tries again.
    pub fn start() -> Self {
        let probe = Command::new("python3").args(["-c", "import aiosmtpd"]).output();
        match probe {
            Ok(out) if out.status.success() => {}
            Ok(out) => panic!(
                "the email tests need Python's aiosmtpd: pip install aiosmtpd ({})",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
            Err(e) => panic!("the email tests need python3 with aiosmtpd (pip install aiosmtpd): {e}"),
        }
        let mut logs = Vec::new();
        for _ in 0..5 {
            match Self::try_start() {
                Ok(server) => return server,
                Err(log) => logs.push(log),
            }
        }
        panic!("the SMTP server did not start: {}", logs.join("\n---\n"));
    }

    fn try_start() -> Result<Self, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let log = std::fs::File::create(dir.path().join("server.log")).unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/smtp_server.py");
        let child = Command::new("python3")
            .arg(script)
            .args(["--port", &port.to_string(), "--dir"])
            .arg(dir.path().join("mail"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("python3 runs");
        let mut server = Self { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                return Err(format!("exited ({status}): {}", server.log()));
            }
            if greets(port, server.child.id()) {
                return Ok(server);
            }
            if Instant::now() > deadline {
                return Err(format!("no greeting in time: {}", server.log()));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// The saved messages: (envelope JSON, raw message bytes), in arrival order.
    pub fn received(&self) -> Vec<(serde_json::Value, Vec<u8>)> {
        let mail_dir = self.dir.path().join("mail");
        let mut envelopes: Vec<PathBuf> = std::fs::read_dir(&mail_dir)
            .map(|entries| entries.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        envelopes.retain(|p| p.extension().is_some_and(|e| e == "json"));
        envelopes.sort();
        envelopes
            .iter()
            .map(|json| {
                let envelope = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
                (envelope, std::fs::read(json.with_extension("eml")).unwrap())
            })
            .collect()
    }
}

/// Whether the server process `pid` answers on `port` (not another test's server that took
/// the port in between).
fn greets(port: u16, pid: u32) -> bool {
    use std::io::Read as _;
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut banner = [0u8; 256];
    let n = stream.read(&mut banner).unwrap_or(0);
    let banner = String::from_utf8_lossy(&banner[..n]);
    banner.starts_with("220 ") && banner.trim_end().ends_with(&format!("applyflow-test-smtp pid={pid}"))
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SmtpServer {
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `smtp://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }
}
