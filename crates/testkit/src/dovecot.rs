//! A throwaway Dovecot IMAP server on 127.0.0.1 for the IMAP tests: its own config, users file,
//! Maildir, sockets and logs in a temp dir, stopped (process group and all) on drop. Works as a
//! normal user (every Dovecot user is the current one, no chroots) and as root (Dovecot refuses
//! root for login processes and for mail access, so those run as `nobody`).

// Test harness code: a failure to set the server up is a test failure, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const USER: &str = "alice";
pub const PASSWORD: &str = "s3cret-pass";

/// A running Dovecot; dropped, it is stopped.
pub struct Dovecot {
    dir: tempfile::TempDir,
    conf: PathBuf,
    port: u16,
    child: Child,
    doveadm: PathBuf,
}

fn find_binary(name: &str, usual: &[&str]) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join(name)).collect::<Vec<_>>())
        .unwrap_or_default();
    usual.iter().map(PathBuf::from).chain(on_path).find(|p| p.is_file())
}

fn id(args: &[&str]) -> String {
    let out = Command::new("id").args(args).output().expect("run `id`");
    assert!(out.status.success(), "`id {args:?}` failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local addr").port()
}

impl Dovecot {
    /// Starts Dovecot and waits until it greets. Fails (never skips) when Dovecot is missing.
    pub fn start() -> Self {
        let dovecot = find_binary("dovecot", &["/usr/sbin/dovecot"]).unwrap_or_else(|| {
            panic!(
                "the IMAP tests need a real Dovecot server, and `dovecot` was not found (looked in /usr/sbin and \
                 on PATH): install it with `apt-get install dovecot-imapd`"
            )
        });
        let doveadm = find_binary("doveadm", &["/usr/bin/doveadm"])
            .unwrap_or_else(|| panic!("`doveadm` was not found: install it with `apt-get install dovecot-imapd`"));

        let dir = tempfile::Builder::new().prefix("track-dovecot-").tempdir().expect("temp dir");
        let root = dir.path().to_path_buf();
        let uid: u32 = id(&["-u"]).parse().expect("numeric uid");
        let (internal_user, internal_group, login_user, mail_user) = if uid == 0 {
            // Dovecot refuses to run login processes as root and to give mail access to UID 0.
            let nobody = (id(&["-u", "nobody"]).parse().expect("uid"), id(&["-g", "nobody"]).parse().expect("gid"));
            ("root".to_owned(), "root".to_owned(), "nobody".to_owned(), nobody)
        } else {
            let me = (uid, id(&["-g"]).parse().expect("gid"));
            (id(&["-un"]), id(&["-gn"]), id(&["-un"]), me)
        };
        let home = root.join("home");
        std::fs::create_dir(&home).expect("home dir");
        if uid == 0 {
            // `nobody` must reach its home inside the (0700) temp dir.
            std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).expect("chmod temp dir");
            std::os::unix::fs::chown(&home, Some(mail_user.0), Some(mail_user.1)).expect("chown home");
        }
        std::fs::write(root.join("passwd"), format!("{USER}:{{PLAIN}}{PASSWORD}::::::\n")).expect("passwd file");

        let port = free_port();
        let r = root.display();
        let conf = root.join("dovecot.conf");
        let config = format!(
            "protocols = imap\n\
             listen = 127.0.0.1\n\
             base_dir = {r}/run\n\
             state_dir = {r}/state\n\
             log_path = {r}/dovecot.log\n\
             info_log_path = {r}/dovecot.log\n\
             ssl = no\n\
             disable_plaintext_auth = no\n\
             auth_mechanisms = plain login\n\
             auth_failure_delay = 0\n\
             default_internal_user = {internal_user}\n\
             default_internal_group = {internal_group}\n\
             default_login_user = {login_user}\n\
             passdb {{\n  driver = passwd-file\n  args = {r}/passwd\n}}\n\
             userdb {{\n  driver = static\n  args = uid={} gid={} home={r}/home\n}}\n\
             mail_location = maildir:~/Maildir\n\
             service anvil {{\n  chroot =\n}}\n\
             service imap-login {{\n  chroot =\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  \
             inet_listener imaps {{\n    port = 0\n  }}\n}}\n",
            mail_user.0, mail_user.1
        );
        std::fs::write(&conf, config).expect("dovecot.conf");

        let child = Command::new(&dovecot)
            .arg("-F")
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(root.join("stderr.log")).expect("stderr log"))
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", dovecot.display()));
        let mut server = Self { dir, conf, port, child, doveadm };
        server.wait_ready();
        server
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if self.master_exited() {
                panic!("dovecot exited before accepting connections:\n{}", self.logs());
            }
            if let Ok(stream) = TcpStream::connect(("127.0.0.1", self.port)) {
                stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
                let mut greeting = String::new();
                if BufReader::new(&stream).read_line(&mut greeting).is_ok() && greeting.starts_with("* OK") {
                    let _ = (&stream).write_all(b"a LOGOUT\r\n");
                    return;
                }
            }
            assert!(Instant::now() < deadline, "dovecot did not greet on port {} in 20 s:\n{}", self.port, self.logs());
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The server's log and stderr, for failure messages.
    pub fn logs(&self) -> String {
        let read = |name: &str| std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default();
        format!("--- dovecot.log ---\n{}--- stderr ---\n{}", read("dovecot.log"), read("stderr.log"))
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn url(&self) -> String {
        format!("imap://127.0.0.1:{}", self.port)
    }

    fn doveadm(&self, args: &[&str], stdin: Option<&[u8]>) {
        let mut child = Command::new(&self.doveadm)
            .arg("-c")
            .arg(&self.conf)
            .args(args)
            .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run doveadm");
        if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
            pipe.write_all(bytes).expect("write to doveadm");
        }
        let out = child.wait_with_output().expect("doveadm output");
        assert!(
            out.status.success(),
            "doveadm {args:?} failed: {}{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            self.logs()
        );
    }

    /// Delivers one raw message into INBOX (`doveadm save`, byte for byte).
    pub fn deliver(&self, raw: &[u8]) {
        self.doveadm(&["save", "-u", USER, "-m", "INBOX"], Some(raw));
    }

    /// Gives INBOX a new UIDVALIDITY, as when a mailbox is recreated.
    pub fn set_uid_validity(&self, value: u32) {
        self.doveadm(&["mailbox", "update", "-u", USER, "--uid-validity", &value.to_string(), "INBOX"], None);
    }

    /// Whether the master has exited, without reaping it: while it is a zombie its PID, and so its
    /// process group id, cannot be reused, so killing the group below cannot hit a stranger.
    fn master_exited(&self) -> bool {
        match std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())) {
            Ok(stat) => stat.rsplit_once(')').is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
            Err(_) => true,
        }
    }

    /// Removes the message with this UID from INBOX.
    pub fn expunge(&self, uid: u32) {
        self.doveadm(&["expunge", "-u", USER, "mailbox", "INBOX", "uid", &uid.to_string()], None);
    }

    fn stop(&mut self) {
        // SIGTERM to the master: it stops its children and exits (what `doveadm stop` does).
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).stderr(Stdio::null()).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.master_exited() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Whatever is left of the process group (the master and its children) goes now.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.stop();
    }
}
