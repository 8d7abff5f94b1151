//! The SSRF guard. Names are checked where they become addresses — in a custom DNS resolver —
//! so redirects and DNS rebinding cannot slip past; IP-literal hosts never reach the resolver,
//! so they are checked before sending and again by the redirect policy on every hop.

use crate::ip::is_forbidden;
use discovery::sources::FetchError;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::redirect::Policy;
use std::collections::HashSet;
use std::error::Error as StdError;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use url::{Host, Url};

/// Why the guard stopped a request. Travels inside reqwest's error chain (from the resolver or
/// the redirect policy) and is fished out again by [`find_guard_error`].
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum GuardError {
    #[error("{0} is a private, loopback or otherwise non-public address")]
    Blocked(String),
    #[error("unsupported URL scheme {0:?}: only http and https are fetched")]
    Scheme(String),
    #[error("URL has no host: {0}")]
    NoHost(String),
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
}

impl From<GuardError> for FetchError {
    fn from(e: GuardError) -> Self {
        match e {
            GuardError::Blocked(host) => FetchError::Blocked(host),
            GuardError::Scheme(_) | GuardError::NoHost(_) => FetchError::InvalidUrl(e.to_string()),
            GuardError::TooManyRedirects(_) => FetchError::Network(e.to_string()),
        }
    }
}

/// The guard's configuration, shared by the client, the resolver and the redirect policy.
#[derive(Debug, Clone, Default)]
pub(crate) struct Guard {
    allow_private: bool,
    names: HashSet<String>,
    ips: HashSet<IpAddr>,
}

impl Guard {
    pub(crate) fn new(allow_private: bool, allow_hosts: &[String]) -> Self {
        let mut guard = Self { allow_private, ..Self::default() };
        for entry in allow_hosts {
            let host = normalize(entry.trim().trim_start_matches('[').trim_end_matches(']'));
            match host.parse::<IpAddr>() {
                Ok(ip) => {
                    guard.ips.insert(ip);
                }
                Err(_) => {
                    guard.names.insert(host);
                }
            }
        }
        guard
    }

    /// Scheme and IP-literal check of a URL about to be requested or redirected to.
    pub(crate) fn check_url(&self, url: &Url) -> Result<(), GuardError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(GuardError::Scheme(url.scheme().to_owned()));
        }
        let ip = match url.host() {
            None => return Err(GuardError::NoHost(url.to_string())),
            Some(Host::Domain(_)) => return Ok(()),
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
        };
        if self.allow_private || self.ips.contains(&ip) || !is_forbidden(ip) {
            Ok(())
        } else {
            Err(GuardError::Blocked(ip.to_string()))
        }
    }

    fn name_exempt(&self, name: &str) -> bool {
        self.allow_private || self.names.contains(&normalize(name))
    }

    /// Keeps the resolved addresses a connection may use; refuses when none remain.
    fn filter(&self, name: &str, addrs: Vec<SocketAddr>) -> Result<Vec<SocketAddr>, GuardError> {
        if self.name_exempt(name) {
            return Ok(addrs);
        }
        let allowed: Vec<SocketAddr> = addrs.iter().copied().filter(|a| !is_forbidden(a.ip())).collect();
        if allowed.is_empty() && !addrs.is_empty() {
            let listed: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
            return Err(GuardError::Blocked(format!("{name} ({})", listed.join(", "))));
        }
        Ok(allowed)
    }
}

/// Host names compare case-insensitively and with or without the root's trailing dot.
fn normalize(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// The DNS resolver reqwest connects through: the system resolver, filtered by the guard.
pub(crate) struct GuardedResolver {
    guard: Arc<Guard>,
}

impl GuardedResolver {
    pub(crate) fn new(guard: Arc<Guard>) -> Self {
        Self { guard }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = Arc::clone(&self.guard);
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed = guard.filter(&host, addrs)?;
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

/// Follows up to `max` redirects, each target re-checked by the guard (its name, if any, is
/// checked by the resolver when the next connection is made).
pub(crate) fn redirect_policy(guard: Arc<Guard>, max: usize) -> Policy {
    Policy::custom(move |attempt| {
        // `previous` starts with the original URL, so it holds one more entry than hops made.
        if attempt.previous().len() > max {
            return attempt.error(GuardError::TooManyRedirects(max));
        }
        match guard.check_url(attempt.url()) {
            Ok(()) => attempt.follow(),
            Err(e) => attempt.error(e),
        }
    })
}

/// The guard's verdict buried somewhere in an error's source chain, if that is why it failed.
pub(crate) fn find_guard_error<'a>(err: &'a (dyn StdError + 'static)) -> Option<&'a GuardError> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<GuardError>() {
            return Some(found);
        }
        current = e.source();
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn ip_literals_are_checked_and_names_left_to_the_resolver() {
        let guard = Guard::new(false, &[]);
        assert!(matches!(guard.check_url(&url("http://127.0.0.1:8080/")), Err(GuardError::Blocked(_))));
        assert!(matches!(guard.check_url(&url("http://[::ffff:10.0.0.1]/")), Err(GuardError::Blocked(_))));
        // The url crate normalizes odd IPv4 spellings, so they are caught as literals too.
        assert!(matches!(guard.check_url(&url("http://2130706433/")), Err(GuardError::Blocked(_))));
        assert!(matches!(guard.check_url(&url("http://0x7f.1/")), Err(GuardError::Blocked(_))));
        assert!(guard.check_url(&url("https://8.8.8.8/")).is_ok());
        assert!(guard.check_url(&url("https://localhost/")).is_ok());
        assert!(matches!(guard.check_url(&url("ftp://example.com/")), Err(GuardError::Scheme(_))));
        assert!(matches!(guard.check_url(&url("file:///etc/passwd")), Err(GuardError::Scheme(_))));
    }

    #[test]
    fn allow_list_and_allow_private_exempt() {
        let guard = Guard::new(false, &["127.0.0.1".into(), "[::1]".into(), "Internal.Example.".into()]);
        assert!(guard.check_url(&url("http://127.0.0.1:9/")).is_ok());
        assert!(guard.check_url(&url("http://[::1]:9/")).is_ok());
        assert!(guard.check_url(&url("http://127.0.0.2/")).is_err());
        assert!(guard.name_exempt("internal.example"));
        assert!(!guard.name_exempt("localhost"));
        assert!(Guard::new(true, &[]).check_url(&url("http://10.0.0.1/")).is_ok());
    }

    #[test]
    fn resolver_filter_drops_private_addresses_and_refuses_when_none_remain() {
        let guard = Guard::new(false, &["127.0.0.1".into()]);
        let loopback: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let public: SocketAddr = "93.184.216.34:0".parse().unwrap();
        assert_eq!(guard.filter("mixed.example", vec![loopback, public]).unwrap(), vec![public]);
        // An allow-listed IP does not exempt other names that resolve to it.
        assert!(matches!(guard.filter("localhost", vec![loopback]), Err(GuardError::Blocked(_))));
        let relaxed = Guard::new(false, &["localhost".into()]);
        assert_eq!(relaxed.filter("localhost", vec![loopback]).unwrap(), vec![loopback]);
    }

    #[test]
    fn guard_errors_are_found_in_a_chain() {
        #[derive(Debug, thiserror::Error)]
        #[error("outer")]
        struct Outer(#[source] GuardError);
        let err = Outer(GuardError::Blocked("10.0.0.1".into()));
        assert!(matches!(find_guard_error(&err), Some(GuardError::Blocked(_))));
    }
}
