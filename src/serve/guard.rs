//! Who may use the server: requests from the page it serves, never from another site.
//!
//! A page on any other site, open in the same browser, can send requests to
//! `http://127.0.0.1:PORT/`; it could start runs that hold the machine, or, through DNS
//! rebinding (its own host name pointed at 127.0.0.1), read the answers. Three checks stop
//! both, before any route is answered:
//!
//! 1. **Host.** When the server listens on a loopback address (the default), the `Host` header
//!    must name a loopback address (`127.0.0.1`, `localhost`, `[::1]`) with the server's port:
//!    a rebound host name is refused.
//! 2. **Origin.** A request that carries an `Origin` header (browsers send one with every
//!    cross-site request and with every POST) must come from the server's own origin,
//!    `http://` + its `Host`.
//! 3. **JSON bodies.** Every POST must be sent as `application/json`. A form on another site
//!    cannot send that type, and a script on another site cannot send it without asking first
//!    (a CORS preflight, which this server never grants).

use super::ApiError;

/// Where the server listens, as the checks need it.
#[derive(Clone, Debug)]
pub struct Bound {
    /// The port it listens on.
    pub port: u16,
    /// Whether it listens on a loopback address only (then the `Host` header is checked).
    pub loopback: bool,
}

impl Bound {
    /// The server bound to `host` (as given to `--host`) and `port`.
    pub fn new(host: &str, port: u16) -> Bound {
        Bound {
            port,
            loopback: is_loopback(host),
        }
    }
}

/// Whether `host` (a name or an address, IPv6 with or without brackets) is loopback.
pub fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The request's headers that the checks read.
#[derive(Clone, Debug, Default)]
pub struct Headers<'a> {
    /// `Host`.
    pub host: Option<&'a str>,
    /// `Origin`.
    pub origin: Option<&'a str>,
    /// `Content-Type`.
    pub content_type: Option<&'a str>,
}

/// Refuses a request that does not come from the server's own page (403), or a POST whose body
/// is not declared JSON (415).
pub fn check(bound: &Bound, post: bool, h: &Headers) -> Result<(), ApiError> {
    if bound.loopback {
        let host = h.host.unwrap_or("");
        if !host_is_ours(host, bound.port) {
            return Err(ApiError(
                403,
                format!(
                    "this server answers only requests addressed to 127.0.0.1:{port} or \
                     localhost:{port} (the request was addressed to `{host}`), so that pages of \
                     other sites cannot use it",
                    port = bound.port
                ),
            ));
        }
    }
    if let Some(origin) = h.origin {
        let own = format!("http://{}", h.host.unwrap_or(""));
        if !origin.eq_ignore_ascii_case(&own) {
            return Err(ApiError(
                403,
                format!(
                    "requests from `{origin}` are refused: only the page this server serves \
                     ({own}) may use it"
                ),
            ));
        }
    }
    if post {
        let json = h.content_type.is_some_and(|t| {
            t.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
        if !json {
            return Err(ApiError(
                415,
                format!(
                    "a POST must carry a JSON body sent as `Content-Type: application/json` \
                     (it was sent as `{}`)",
                    h.content_type.unwrap_or("nothing")
                ),
            ));
        }
    }
    Ok(())
}

/// Whether a `Host` header value names a loopback address with `port`.
fn host_is_ours(host: &str, port: u16) -> bool {
    let (name, given) = match host.rsplit_once(':') {
        // "[::1]:8080" or "127.0.0.1:8080"; a bare "[::1]" has its colons inside brackets.
        Some((name, p)) if !p.ends_with(']') => (name, p.parse::<u16>().ok()),
        _ => (host, Some(80)),
    };
    given == Some(port) && is_loopback(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local() -> Bound {
        Bound::new("127.0.0.1", 8123)
    }

    fn asked<'a>(
        host: &'a str,
        origin: Option<&'static str>,
        ty: Option<&'static str>,
    ) -> Headers<'a> {
        Headers {
            host: Some(host),
            origin,
            content_type: ty,
        }
    }

    #[test]
    fn the_pages_own_requests_pass() {
        for host in [
            "127.0.0.1:8123",
            "localhost:8123",
            "LOCALHOST:8123",
            "[::1]:8123",
        ] {
            let origin = format!("http://{host}");
            let h = Headers {
                host: Some(host),
                origin: Some(&origin),
                content_type: Some("application/json"),
            };
            assert!(check(&local(), true, &h).is_ok(), "{host}");
        }
        // A GET typed into the address bar carries no Origin.
        assert!(check(&local(), false, &asked("127.0.0.1:8123", None, None)).is_ok());
        let typed = asked(
            "127.0.0.1:8123",
            None,
            Some("application/json; charset=utf-8"),
        );
        assert!(check(&local(), true, &typed).is_ok());
    }

    #[test]
    fn a_rebound_host_name_or_another_port_is_refused() {
        for host in [
            "evil.example:8123",
            "127.0.0.1:9999",
            "127.0.0.1",
            "",
            "[::1]",
        ] {
            let e = check(&local(), false, &asked(host, None, None)).unwrap_err();
            assert_eq!(e.0, 403, "{host}");
            assert!(e.1.contains("127.0.0.1:8123"), "{}", e.1);
        }
        let e = check(&local(), false, &Headers::default()).unwrap_err();
        assert_eq!(e.0, 403);
    }

    #[test]
    fn another_sites_origin_is_refused() {
        let h = asked(
            "127.0.0.1:8123",
            Some("https://evil.example"),
            Some("application/json"),
        );
        let e = check(&local(), true, &h).unwrap_err();
        assert_eq!(e.0, 403);
        assert!(e.1.contains("https://evil.example"), "{}", e.1);
        // A sandboxed frame or a file sends "null".
        let h = asked("127.0.0.1:8123", Some("null"), None);
        assert_eq!(check(&local(), false, &h).unwrap_err().0, 403);
    }

    #[test]
    fn a_post_must_be_declared_json() {
        for ty in [
            None,
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            Some("multipart/form-data; boundary=x"),
        ] {
            let e = check(&local(), true, &asked("127.0.0.1:8123", None, ty)).unwrap_err();
            assert_eq!(e.0, 415, "{ty:?}");
        }
    }

    #[test]
    fn a_server_opened_to_the_network_checks_origin_but_not_host() {
        let open = Bound::new("0.0.0.0", 8123);
        assert!(!open.loopback);
        let h = asked("classroom-laptop.local:8123", None, None);
        assert!(check(&open, false, &h).is_ok());
        let h = asked(
            "classroom-laptop.local:8123",
            Some("http://classroom-laptop.local:8123"),
            Some("application/json"),
        );
        assert!(check(&open, true, &h).is_ok());
        let h = asked(
            "classroom-laptop.local:8123",
            Some("http://elsewhere:80"),
            None,
        );
        assert_eq!(check(&open, false, &h).unwrap_err().0, 403);
    }

    #[test]
    fn loopback_names() {
        for h in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"] {
            assert!(is_loopback(h), "{h}");
        }
        for h in ["0.0.0.0", "192.168.1.4", "example.com", "::"] {
            assert!(!is_loopback(h), "{h}");
        }
    }
}
