//! What keeps the local page local: the `Host` check (DNS rebinding), the refusal of
//! cross-origin POSTs, strict response headers, and a log line for refused requests only
//! (method, path and status — never a body or a query).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The Content-Security-Policy of every response: the page runs only its own script and
/// style, talks only to this server, and cannot be framed.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
    form-action 'none'";

/// Which `Host` (and `Origin`) values name this server.
#[derive(Debug, Clone)]
pub struct Access {
    bound: SocketAddr,
    /// Whether refused requests are logged on stderr.
    pub log: bool,
}

impl Access {
    pub fn new(bound: SocketAddr) -> Access {
        Access { bound, log: true }
    }

    /// `localhost:PORT`, or an IP literal with the server's port that is the address it
    /// listens on (any loopback address when it listens on one; any address when it listens
    /// on all of them). A DNS name other than `localhost` is refused: that is what a DNS
    /// rebinding attack sends.
    pub fn host_allowed(&self, host: &str) -> bool {
        let Some((name, port)) = split_host_port(host) else {
            return false;
        };
        if port != self.bound.port() {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let Ok(ip) = name.parse::<IpAddr>() else {
            return false;
        };
        let bound = self.bound.ip();
        ip == bound || (bound.is_loopback() && ip.is_loopback()) || bound.is_unspecified()
    }

    /// An `Origin` header of this server's own page: `http://` and an allowed host.
    pub fn origin_allowed(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|host| self.host_allowed(host))
    }

    /// Why a request is refused, if it is.
    pub fn refusal(
        &self,
        method: &Method,
        uri_authority: Option<&str>,
        headers: &HeaderMap,
    ) -> Option<Refusal> {
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let host_ok = match (host, uri_authority) {
            (Some(h), Some(a)) => self.host_allowed(h) && self.host_allowed(a),
            (Some(h), None) => self.host_allowed(h),
            (None, Some(a)) => self.host_allowed(a),
            (None, None) => false,
        };
        if !host_ok {
            return Some(Refusal::Host);
        }
        if method == Method::GET || method == Method::HEAD || method == Method::OPTIONS {
            return None;
        }
        if let Some(origin) = headers.get(header::ORIGIN)
            && !origin.to_str().is_ok_and(|o| self.origin_allowed(o))
        {
            return Some(Refusal::CrossOrigin);
        }
        if let Some(site) = headers.get("sec-fetch-site")
            && !matches!(site.to_str(), Ok("same-origin" | "none"))
        {
            return Some(Refusal::CrossOrigin);
        }
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            // Types a cross-site form cannot send without a preflight: JSON, and the bytes
            // of a workbook.
            .is_some_and(|mime| {
                ["application/json", "application/octet-stream", XLSX_MIME]
                    .iter()
                    .any(|m| mime.trim().eq_ignore_ascii_case(m))
            });
        if !json {
            return Some(Refusal::NotJson);
        }
        None
    }

    fn page(&self) -> String {
        format!("http://localhost:{}/", self.bound.port())
    }
}

/// `host:port`, `[v6]:port`, or a host alone (port 80).
fn split_host_port(host: &str) -> Option<(&str, u16)> {
    if let Some(rest) = host.strip_prefix('[') {
        let (name, after) = rest.split_once(']')?;
        return match after {
            "" => Some((name, 80)),
            _ => Some((name, after.strip_prefix(':')?.parse().ok()?)),
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') => Some((name, port.parse().ok()?)),
        Some(_) => None,
        None => Some((host, 80)),
    }
}

/// The media type of an `.xlsx` workbook.
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A refused request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The `Host` does not name this server (DNS rebinding).
    Host,
    /// A POST from another site's page.
    CrossOrigin,
    /// A POST whose body is not declared `application/json` (or, for a workbook,
    /// `application/octet-stream` or the xlsx type).
    NotJson,
}

impl Refusal {
    fn response(self, page: &str) -> Response {
        let (status, text) = match self {
            Refusal::Host => (
                StatusCode::MISDIRECTED_REQUEST,
                format!(
                    "rurume serve は {page} （または http://127.0.0.1 と同じポート）で開いてください。\
                     他の名前でのアクセスは、安全のため受け付けません。\n\
                     Open rurume serve at {page} (or http://127.0.0.1 with the same port): \
                     other host names are refused for safety.\n"
                ),
            ),
            Refusal::CrossOrigin => (
                StatusCode::FORBIDDEN,
                "他のサイトのページからの送信は受け付けません。\n\
                 Requests from another site's page are refused.\n"
                    .to_owned(),
            ),
            Refusal::NotJson => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "本文は JSON で送り、Content-Type: application/json を付けてください。\n\
                 Send a JSON body with Content-Type: application/json.\n"
                    .to_owned(),
            ),
        };
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            text,
        )
            .into_response()
    }
}

/// The middleware: refuse what is not from this server's own page, then add the security
/// headers to every response.
pub async fn guard(State(access): State<Arc<Access>>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let authority = request.uri().authority().map(|a| a.as_str().to_owned());
    let refusal = access.refusal(&method, authority.as_deref(), request.headers());
    let mut response = match refusal {
        Some(refusal) => refusal.response(&access.page()),
        None => next.run(request).await,
    };
    add_headers(response.headers_mut());
    let status = response.status();
    if access.log && (status.is_client_error() || status.is_server_error()) {
        eprintln!("rurume serve: {method} {path} {}", status.as_u16());
    }
    response
}

fn add_headers(headers: &mut HeaderMap) {
    let set = |headers: &mut HeaderMap, name: &'static str, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, "content-security-policy", CSP);
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "referrer-policy", "no-referrer");
    set(headers, "cache-control", "no-store");
    set(headers, "x-frame-options", "DENY");
    set(headers, "cross-origin-opener-policy", "same-origin");
    set(headers, "cross-origin-resource-policy", "same-origin");
    set(
        headers,
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(port: u16) -> Access {
        Access::new(SocketAddr::from(([127, 0, 0, 1], port)))
    }

    #[test]
    fn hosts_naming_this_server_are_allowed() {
        let a = local(8417);
        for host in [
            "127.0.0.1:8417",
            "localhost:8417",
            "LOCALHOST:8417",
            "[::1]:8417",
        ] {
            assert!(a.host_allowed(host), "{host}");
        }
        for host in [
            "127.0.0.1:8418",
            "evil.example:8417",
            "127.0.0.1",
            "localhost",
            "192.168.1.5:8417",
            "localhost.evil.example:8417",
            "",
            "[::1",
            "::1:8417",
        ] {
            assert!(!a.host_allowed(host), "{host}");
        }
        let port80 = local(80);
        assert!(port80.host_allowed("localhost") && port80.host_allowed("127.0.0.1"));
    }

    #[test]
    fn listening_on_all_addresses_allows_ip_literals_but_no_other_name() {
        let a = Access::new(SocketAddr::from(([0, 0, 0, 0], 8417)));
        assert!(a.host_allowed("192.168.1.5:8417") && a.host_allowed("localhost:8417"));
        assert!(!a.host_allowed("evil.example:8417"));
        let lan = Access::new(SocketAddr::from(([192, 168, 1, 5], 8417)));
        assert!(lan.host_allowed("192.168.1.5:8417"));
        assert!(!lan.host_allowed("192.168.1.6:8417"));
    }

    #[test]
    fn posts_must_be_same_origin_json() {
        let a = local(8417);
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, HeaderValue::from_static(v));
            }
            h
        };
        let post = Method::POST;
        let ok = headers(&[
            ("host", "127.0.0.1:8417"),
            ("origin", "http://127.0.0.1:8417"),
            ("sec-fetch-site", "same-origin"),
            ("content-type", "application/json; charset=utf-8"),
        ]);
        assert_eq!(a.refusal(&post, None, &ok), None);
        let cross = headers(&[
            ("host", "127.0.0.1:8417"),
            ("origin", "http://evil.example"),
            ("content-type", "application/json"),
        ]);
        assert_eq!(a.refusal(&post, None, &cross), Some(Refusal::CrossOrigin));
        let site = headers(&[
            ("host", "127.0.0.1:8417"),
            ("sec-fetch-site", "cross-site"),
            ("content-type", "application/json"),
        ]);
        assert_eq!(a.refusal(&post, None, &site), Some(Refusal::CrossOrigin));
        let form = headers(&[("host", "127.0.0.1:8417"), ("content-type", "text/plain")]);
        assert_eq!(a.refusal(&post, None, &form), Some(Refusal::NotJson));
        let get = headers(&[("host", "evil.example:8417")]);
        assert_eq!(a.refusal(&Method::GET, None, &get), Some(Refusal::Host));
    }
}
