//! Who may use the server: requests from the page it serves, never from another site.
//!
//! A page on any other site, open in the same browser, can send requests to
//! `http://127.0.0.1:PORT/`; it could start runs that hold the machine, or, through DNS
//! rebinding (its own host name pointed at 127.0.0.1), read the answers. Three checks stop
//! both, before any route is answered:
//!
//! 1. **Host.** A rebinding site's requests carry its own host name, so host names are refused:
//!    on a loopback address (the default) the `Host` header must name a loopback address
//!    (`127.0.0.1`, `localhost`, `[::1]`, any port, so a forwarded port works); on a network
//!    address (`--host 0.0.0.0`) it must be an IP address or `localhost` (reach the page by the
//!    machine's address, not a name).
//! 2. **Origin.** A request that carries an `Origin` header (browsers send one with every
//!    script's cross-site request and with every POST; not with `<img>` or `<script>` loads,
//!    which cannot read the answer) must come from the server's own origin, `http://` + its
//!    `Host`.
//! 3. **JSON bodies.** Every POST must be sent as `application/json`. A form on another site
//!    cannot send that type, and a script on another site cannot send it without asking first
//!    (a CORS preflight, which this server never grants).

use super::ApiError;

/// Where the server listens, as the checks need it.
#[derive(Clone, Debug)]
pub struct Bound {
    /// The port it listens on (for messages).
    pub port: u16,
    /// Whether it listens on a loopback address only (then `Host` must name loopback).
    pub loopback: bool,
}

/// The host part of a `Host` header value: `name:port`, `[v6]:port`, `name` or `[v6]`.
fn host_name(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((name, port)) if !port.ends_with(']') && !name.is_empty() => name,
        _ => host,
    }
}

/// Whether `name` is an IP address (v6 in brackets or bare).
fn is_ip(name: &str) -> bool {
    name.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
        .is_ok()
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
    let host = h.host.unwrap_or("");
    let name = host_name(host);
    if bound.loopback && !is_loopback(name) {
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
    let reachable = is_ip(name) || name.eq_ignore_ascii_case("localhost");
    if !bound.loopback && !reachable {
        return Err(ApiError(
            403,
            format!(
                "this server answers only requests addressed to an IP address, such as \
                 http://192.168.1.20:{port}/ (the request was addressed to `{host}`): a host \
                 name could be another site's, pointed at this machine",
                port = bound.port
            ),
        ));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The headers of the page's own JSON request to `host`, from `origin`.
    fn own_page<'a>(host: &'a str, origin: &'a str) -> Headers<'a> {
        Headers {
            host: Some(host),
            origin: Some(origin),
            content_type: Some("application/json"),
        }
    }

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
            let h = own_page(host, &origin);
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
    fn a_rebound_host_name_is_refused_and_a_forwarded_port_is_not() {
        for host in [
            "evil.example:8123",
            "localhost.:8123",
            "127.0.0.1.nip.io",
            "",
        ] {
            let e = check(&local(), false, &asked(host, None, None)).unwrap_err();
            assert_eq!(e.0, 403, "{host}");
            assert!(e.1.contains("127.0.0.1:8123"), "{}", e.1);
        }
        let e = check(&local(), false, &Headers::default()).unwrap_err();
        assert_eq!(e.0, 403);
        // ssh -L 9000:127.0.0.1:8123, or an editor's port forwarding.
        for host in ["localhost:9000", "127.0.0.1", "[::1]", "[::1]:9000"] {
            assert!(
                check(&local(), false, &asked(host, None, None)).is_ok(),
                "{host}"
            );
        }
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
    fn a_server_opened_to_the_network_answers_ip_addresses_only() {
        let open = Bound::new("0.0.0.0", 8123);
        assert!(!open.loopback);
        for host in [
            "192.168.1.20:8123",
            "[fe80::1]:8123",
            "localhost:8123",
            "10.0.0.5",
        ] {
            let origin = format!("http://{host}");
            let h = own_page(host, &origin);
            assert!(check(&open, true, &h).is_ok(), "{host}");
        }
        // A rebinding site sends its own name, with a matching Origin.
        let h = asked(
            "evil.example:8123",
            Some("http://evil.example:8123"),
            Some("application/json"),
        );
        let e = check(&open, true, &h).unwrap_err();
        assert_eq!(e.0, 403);
        assert!(e.1.contains("IP address"), "{}", e.1);
        let h = asked("192.168.1.20:8123", Some("http://elsewhere:80"), None);
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
