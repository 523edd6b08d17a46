//! `rurume serve`: the HTTP API and its security, over real sockets on 127.0.0.1.
//!
//! The server runs in-process on an ephemeral port (`rurume::serve::spawn`); requests are
//! written by hand so that every header (Host, Origin, Content-Length) is the test's choice.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rurume::lang::Lang;
use rurume::rules::RuleSet;
use rurume::serve::{self, Server};
use serde_json::{Value, json};

mod common;
mod page_words;
use page_words::{assert_no_slips, page_slip, schema_keys};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

fn server() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    serve::spawn(listener, RuleSet::builtin().unwrap(), Lang::En).unwrap()
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_rurume")
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// Sends one request (`Connection: close`) and reads the whole response.
fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    let has = |name: &str| headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
    let mut head = format!("{method} {path} HTTP/1.1\r\n");
    if !has("host") {
        head.push_str(&format!("Host: 127.0.0.1:{}\r\n", addr.port()));
    }
    if !has("content-length") && !has("transfer-encoding") {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("Connection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    raw(addr, head.as_bytes(), body)
}

fn raw(addr: SocketAddr, head: &[u8], body: &[u8]) -> Resp {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(head).unwrap();
    // The server may answer (413) before the body is sent, and close: that is fine.
    let _ = stream.write_all(body);
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(_) if !buf.is_empty() => break,
            Err(e) => panic!("no response: {e}"),
        }
    }
    parse(&buf)
}

fn parse(buf: &[u8]) -> Resp {
    let end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(buf)));
    let head = std::str::from_utf8(&buf[..end]).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = buf[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Resp {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size_text = std::str::from_utf8(&data[..eol]).unwrap();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
}

const JSON_CT: (&str, &str) = ("Content-Type", "application/json");

fn post_check(server: &Server, query: &str, body: &[u8]) -> Resp {
    request(
        server.addr(),
        "POST",
        &format!("/api/check{query}"),
        &[JSON_CT],
        body,
    )
}

fn cli(args: &[&str]) -> String {
    let out = Command::new(bin())
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn samples() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir("samples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 7);
    files
}

#[test]
fn check_answers_what_check_format_json_prints_in_the_pages_words() {
    let server = server();
    for file in samples() {
        let display = file.to_str().unwrap();
        let body = std::fs::read(&file).unwrap();
        for lang in ["ja", "en"] {
            let resp = post_check(&server, &format!("?as_of=2026-11-26&lang={lang}"), &body);
            assert_eq!(resp.status, 200, "{display}: {}", resp.text());
            assert!(
                resp.header("content-type")
                    .is_some_and(|c| c.starts_with("application/json"))
            );
            let expected = cli(&[
                "check",
                "--format",
                "json",
                "--as-of",
                "2026-11-26",
                "--lang",
                lang,
                display,
            ])
            .replace(
                &format!("\"file\": {}", serde_json::to_string(display).unwrap()),
                "\"file\": \"inventory.json\"",
            );
            // The same document, findings and order; only the words are the page's
            // (its messages and fixes name the form's labels, see below).
            let words = |mut v: Value| {
                for f in v["findings"].as_array_mut().unwrap() {
                    let f = f.as_object_mut().unwrap();
                    assert!(f.remove("message").is_some_and(|m| m.is_string()));
                    assert!(f.remove("fix").is_some_and(|m| m.is_string()));
                }
                v
            };
            assert_eq!(
                words(resp.json()),
                words(serde_json::from_str(&expected).unwrap()),
                "{display} {lang}"
            );
        }
    }
}

#[test]
fn the_date_defaults_to_today_and_the_language_to_the_servers() {
    let server = server();
    let body = std::fs::read("samples/F0001-midori-houmon-kango.json").unwrap();
    let doc = post_check(&server, "", &body).json();
    let today = jiff::ZonedDateTime::now().date().to_string();
    assert_eq!(doc["as_of"], json!(today));
    assert_eq!(doc["version"], json!(1));
}

#[test]
fn a_body_that_is_not_json_is_an_inventory_syntax_finding() {
    let server = server();
    for body in [
        &b"{\n  \"schema_version\": 1,\n"[..],
        b"",
        b"{\"a\": \"\x93\x8c\"}",
        b"{\"schema_version\": 1, \"schema_version\": 1}",
        b"[1, 2",
    ] {
        let resp = post_check(&server, "?as_of=2026-11-26&lang=en", body);
        assert_eq!(resp.status, 200, "{}", resp.text());
        let doc = resp.json();
        let findings = doc["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 1, "{doc:#}");
        assert_eq!(findings[0]["rule"], "inventory-syntax");
        assert_eq!(findings[0]["file"], "inventory.json");
        assert_eq!(doc["summary"]["errors"], 1);
    }
}

#[test]
fn bad_query_values_are_400_with_a_message() {
    let server = server();
    let body = br#"{"schema_version": 1}"#;
    for (query, words) in [
        ("?as_of=2026-02-30", "as_of"),
        ("?as_of=20261126", "YYYY-MM-DD"),
        ("?as_of=2026-1-26", "YYYY-MM-DD"),
        ("?lang=fr", "ja or en"),
        ("?format=sarif", "unknown parameter `format`"),
        ("?lang=ja&lang=en", "twice"),
    ] {
        let resp = post_check(&server, query, body);
        assert_eq!(resp.status, 400, "{query}");
        let error = resp.json()["error"].as_str().unwrap().to_owned();
        assert!(error.contains(words), "{query}: {error}");
        assert_eq!(resp.header("cache-control"), Some("no-store"));
    }
    let ja = post_check(&server, "?lang=ja&as_of=tomorrow", body);
    assert_eq!(ja.status, 400);
    assert!(
        ja.json()["error"]
            .as_str()
            .unwrap()
            .contains("日付ではありません")
    );
}

#[test]
fn requests_for_another_host_are_refused() {
    let server = server();
    let port = server.addr().port();
    let ok = |host: &str| request(server.addr(), "GET", "/", &[("Host", host)], b"").status;
    assert_eq!(ok(&format!("127.0.0.1:{port}")), 200);
    assert_eq!(ok(&format!("localhost:{port}")), 200);
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "127.0.0.1".to_owned(),
        format!("192.168.1.10:{port}"),
    ] {
        assert_eq!(ok(&host), 421, "{host}");
    }
    let resp = request(
        server.addr(),
        "POST",
        "/api/check",
        &[("Host", &format!("rebind.example:{port}")), JSON_CT],
        b"{}",
    );
    assert_eq!(resp.status, 421);
    assert_eq!(resp.header("content-security-policy"), Some(CSP));
    // HTTP/1.0 without a Host header.
    let old = raw(server.addr(), b"GET / HTTP/1.0\r\n\r\n", b"");
    assert_eq!(old.status, 421);
}

#[test]
fn cross_origin_posts_and_non_json_posts_are_refused() {
    let server = server();
    let port = server.addr().port();
    let body = std::fs::read("samples/F0001-midori-houmon-kango.json").unwrap();
    let same = format!("http://127.0.0.1:{port}");
    let local = format!("http://localhost:{port}");
    let post = |headers: &[(&str, &str)]| {
        request(server.addr(), "POST", "/api/check", headers, &body).status
    };
    assert_eq!(
        post(&[
            JSON_CT,
            ("Origin", &same),
            ("Sec-Fetch-Site", "same-origin")
        ]),
        200
    );
    assert_eq!(post(&[JSON_CT, ("Origin", &local)]), 200);
    assert_eq!(post(&[JSON_CT, ("Origin", "http://evil.example")]), 403);
    assert_eq!(post(&[JSON_CT, ("Origin", "null")]), 403);
    assert_eq!(
        post(&[JSON_CT, ("Origin", &format!("https://127.0.0.1:{port}"))]),
        403
    );
    assert_eq!(post(&[JSON_CT, ("Sec-Fetch-Site", "cross-site")]), 403);
    assert_eq!(post(&[JSON_CT, ("Sec-Fetch-Site", "same-site")]), 403);
    // A cross-site form or `fetch` in no-cors mode can only send these types.
    assert_eq!(post(&[("Content-Type", "text/plain")]), 415);
    assert_eq!(
        post(&[("Content-Type", "application/x-www-form-urlencoded")]),
        415
    );
    assert_eq!(post(&[]), 415);
    assert_eq!(
        post(&[("Content-Type", "application/json; charset=utf-8")]),
        200
    );
    let password = request(
        server.addr(),
        "POST",
        "/api/password",
        &[
            ("Content-Type", "text/plain"),
            ("Origin", "http://evil.example"),
        ],
        br#"{"password": "abc"}"#,
    );
    assert_eq!(password.status, 403);
}

#[test]
fn bodies_over_the_limit_are_413() {
    let server = server();
    let port = server.addr().port();
    // Declared too large: refused before any of it is read.
    for (path, size) in [
        ("/api/check", 10 * 1024 * 1024 + 1),
        ("/api/password", 64 * 1024 + 1),
    ] {
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
             Content-Length: {size}\r\nConnection: close\r\n\r\n"
        );
        let resp = raw(server.addr(), head.as_bytes(), b"");
        assert_eq!(resp.status, 413, "{path}");
        assert!(resp.json()["error"].as_str().unwrap().contains("too large"));
        assert_eq!(resp.header("content-security-policy"), Some(CSP));
    }
    // Sent in chunks without a declared length: refused once the limit is passed.
    let mut body = Vec::new();
    let piece = vec![b' '; 16 * 1024];
    for _ in 0..5 {
        body.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        body.extend_from_slice(&piece);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"0\r\n\r\n");
    let head = format!(
        "POST /api/password HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    let resp = raw(server.addr(), head.as_bytes(), &body);
    assert_eq!(resp.status, 413);
    // Just under the limit is read.
    let big = format!(
        "{{\"password\": \"correct horse battery 9\", \"lang\": \"en\"}}{}",
        " ".repeat(60 * 1024)
    );
    let resp = request(
        server.addr(),
        "POST",
        "/api/password",
        &[JSON_CT],
        big.as_bytes(),
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
}

#[test]
fn every_response_carries_the_security_headers() {
    let server = server();
    let body = std::fs::read("samples/F0003-sakura-pharmacy.json").unwrap();
    let responses = [
        request(server.addr(), "GET", "/", &[], b""),
        request(server.addr(), "GET", "/app.js", &[], b""),
        request(server.addr(), "GET", "/app.css", &[], b""),
        request(server.addr(), "GET", "/api/rules", &[], b""),
        request(server.addr(), "GET", "/api/schema", &[], b""),
        request(server.addr(), "GET", "/nothing-here", &[], b""),
        request(server.addr(), "POST", "/api/check", &[JSON_CT], &body),
    ];
    for resp in &responses {
        assert_eq!(resp.header("content-security-policy"), Some(CSP));
        assert_eq!(resp.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(resp.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(resp.header("cache-control"), Some("no-store"));
        assert_eq!(resp.header("x-frame-options"), Some("DENY"));
    }
    assert_eq!(responses[5].status, 404);
    let wrong_method = request(server.addr(), "GET", "/api/check", &[], b"");
    assert_eq!(wrong_method.status, 405);
}

#[test]
fn the_page_is_self_contained() {
    let server = server();
    let html = request(server.addr(), "GET", "/", &[], b"");
    assert_eq!(html.status, 200);
    assert!(
        html.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let html = html.text();
    assert!(html.contains(r#"<script src="/app.js" defer></script>"#));
    assert!(html.contains(r#"<link rel="stylesheet" href="/app.css">"#));
    // No inline script or style (the CSP forbids them), no external resource.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(!html.contains("style=") && !html.contains("<style") && !html.contains(" on"));
    assert!(!html.contains("http://") && !html.contains("https://"));
    let js = request(server.addr(), "GET", "/app.js", &[], b"");
    assert!(
        js.header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    let js = js.text();
    assert!(js.contains("window.rurumeExport"));
    assert!(!js.contains("innerHTML") && !js.contains("eval("));
    assert!(!js.contains("fetch('http") && !js.contains("fetch(`http"));
    let css = request(server.addr(), "GET", "/app.css", &[], b"").text();
    assert!(!css.contains("@import") && !css.contains("url("));
    let icon = request(server.addr(), "GET", "/favicon.svg", &[], b"");
    assert_eq!(icon.header("content-type"), Some("image/svg+xml"));
}

fn assert_no_echo(password: &str, text: &str) {
    let chars: Vec<char> = password.chars().collect();
    for w in chars.windows(4) {
        let piece: String = w.iter().collect();
        assert!(
            !text.contains(&piece),
            "the answer contains {piece:?} of the password: {text}"
        );
    }
}

fn post_password(server: &Server, body: &Value) -> Resp {
    request(
        server.addr(),
        "POST",
        "/api/password",
        &[JSON_CT],
        body.to_string().as_bytes(),
    )
}

#[test]
fn password_gives_the_verdict_and_the_properties_never_the_password() {
    let server = server();
    let inventory: Value = serde_json::from_str(
        &std::fs::read_to_string("samples/F0001-midori-houmon-kango.json").unwrap(),
    )
    .unwrap();
    let ishida = inventory["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"].as_str().unwrap().starts_with("ishida"))
        .expect("F0001 has 石田")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The person's own words make it guessable: the check is user-aware.
    let password = "Ishida2026!";
    let resp = post_password(
        &server,
        &json!({"password": password, "inventory": inventory, "account": ishida, "lang": "en"}),
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.header("cache-control"), Some("no-store"));
    let text = resp.text();
    // Her own word is named (「…（ishida）…」), nothing else of the password.
    assert_no_echo("2026!", &text);
    assert_no_echo(password, &text.replace("ishida", ""));
    let doc = resp.json();
    assert_eq!(doc["verdict"], "fail");
    assert_eq!(
        doc["notes"][0],
        "it contains the person's own email address and MCS id (ishida)."
    );
    assert_eq!(doc["record"], Value::Null, "a check only");
    assert!(doc["properties"]["strength"].as_u64().unwrap() < 3);
    assert_eq!(doc["properties"]["length"], 11);
    assert!(
        doc["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["rule"] == "password-guessable")
    );
    // The same password for nobody in particular scores higher.
    let anonymous = post_password(&server, &json!({"password": password, "lang": "en"})).json();
    assert!(anonymous["properties"]["strength"].as_u64() > doc["properties"]["strength"].as_u64());

    let good = "Tsukimi-Dango-Kawara-47";
    let resp = post_password(
        &server,
        &json!({"password": good, "inventory": inventory, "account": ishida, "lang": "ja"}),
    );
    let text = resp.text();
    assert_no_echo(good, &text);
    let doc = resp.json();
    assert_eq!(doc["verdict"], "pass", "{doc:#}");
    assert_eq!(
        doc["properties"],
        json!({"length": 23, "letters": true, "digits": true, "symbols": true, "strength": doc["properties"]["strength"], "shared": false})
    );
    assert!(doc["properties"]["strength"].as_u64().unwrap() >= 3);
}

#[test]
fn recording_a_failing_password_is_refused_without_record_anyway() {
    let server = server();
    let inventory = json!({"facility": {"id": "F1", "name": "x"}, "accounts": [{"id": "a1", "name": "山田 太郎"}]});
    let body = |password: &str, extra: Value| {
        let mut b =
            json!({"password": password, "inventory": inventory, "account": "a1", "lang": "ja"});
        b.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        b
    };
    let weak = "Kagi99";
    // Record: refused with 409, the verdict and why, never the password.
    let resp = post_password(&server, &body(weak, json!({"record": true})));
    assert_eq!(resp.status, 409, "{}", resp.text());
    assert_eq!(resp.header("cache-control"), Some("no-store"));
    assert_no_echo(weak, &resp.text());
    let doc = resp.json();
    assert_eq!(doc["verdict"], "fail");
    assert_eq!(doc["record"], "refused");
    let refusal = doc["refusal"].as_str().unwrap();
    assert!(
        refusal.contains("記録しませんでした") && refusal.contains("不合格のまま記録"),
        "{refusal}"
    );
    assert!(!doc["problems"].as_array().unwrap().is_empty());
    // In English too.
    let mut en = body(weak, json!({"record": true}));
    en["lang"] = json!("en");
    let doc = post_password(&server, &en).json();
    assert!(doc["refusal"].as_str().unwrap().contains("Record anyway"));
    // The explicit override: allowed.
    for extra in [
        json!({"record": true, "record_anyway": true}),
        json!({"record_anyway": true}),
    ] {
        let resp = post_password(&server, &body(weak, extra));
        assert_eq!(resp.status, 200, "{}", resp.text());
        let doc = resp.json();
        assert_eq!(
            (&doc["verdict"], &doc["record"]),
            (&json!("fail"), &json!("allowed"))
        );
        assert!(doc.get("refusal").is_none());
    }
    // A passing password is allowed; a check only says nothing about recording.
    let good = "Tsukimi-Dango-Kawara-47";
    let doc = post_password(&server, &body(good, json!({"record": true}))).json();
    assert_eq!(
        (&doc["verdict"], &doc["record"]),
        (&json!("pass"), &json!("allowed"))
    );
    let resp = post_password(&server, &body(weak, json!({"record": false})));
    assert_eq!(resp.status, 200);
    assert_eq!(resp.json()["record"], Value::Null);
    // The flags are booleans.
    let resp = post_password(&server, &body(weak, json!({"record_anyway": "yes"})));
    assert_eq!(resp.status, 400);
    assert_no_echo(weak, &resp.text());
}

#[test]
fn password_errors_never_quote_the_request() {
    let server = server();
    let secret = "Himitsu-Kagi-2026";
    let inventory = json!({"facility": {"id": "F1", "name": "x"}, "accounts": [{"id": "a1", "name": "山田 太郎"}]});
    for (body, status) in [
        (
            json!({"password": secret, "inventory": inventory, "account": "a9", "lang": "en"}),
            400,
        ),
        (
            json!({"password": secret, "inventory": inventory, "lang": "en"}),
            400,
        ),
        (json!({"password": secret, "extra": secret}), 400),
        (json!({"password": [secret]}), 400),
        (json!({"password": format!("{secret}\n{secret}")}), 400),
        (json!({"password": secret, "lang": secret}), 400),
        (json!({"password": ""}), 400),
    ] {
        let resp = post_password(&server, &body);
        assert_eq!(resp.status, status, "{}", resp.text());
        assert_no_echo(secret, &resp.text());
        assert!(resp.json()["error"].is_string());
    }
    let resp = request(
        server.addr(),
        "POST",
        "/api/password",
        &[JSON_CT],
        format!("{{\"password\": \"{secret}\", ").as_bytes(),
    );
    assert_eq!(resp.status, 400);
    assert_no_echo(secret, &resp.text());
    let unknown = post_password(
        &server,
        &json!({"password": secret, "inventory": inventory, "account": "a9", "lang": "en"}),
    );
    assert!(unknown.json()["error"].as_str().unwrap().contains("a9"));
}

#[test]
fn rules_and_schema_are_those_of_the_command_line() {
    let server = server();
    for lang in ["ja", "en"] {
        let resp = request(
            server.addr(),
            "GET",
            &format!("/api/rules?lang={lang}"),
            &[],
            b"",
        );
        assert_eq!(resp.status, 200);
        assert_eq!(
            resp.text(),
            cli(&["rules", "--format", "json", "--lang", lang])
        );
    }
    let rules = request(server.addr(), "GET", "/api/rules", &[], b"").json();
    assert!(
        rules
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "screen-lock")
    );
    assert_eq!(
        request(server.addr(), "GET", "/api/rules?lang=de", &[], b"").status,
        400
    );
    let schema = request(server.addr(), "GET", "/api/schema", &[], b"");
    assert_eq!(schema.status, 200);
    assert!(schema.header("content-type").unwrap().contains("json"));
    assert_eq!(schema.text(), cli(&["schema"]));
    assert_eq!(schema.json()["$defs"]["device"]["type"], "object");
}

/// A child process killed when the test ends, however it ends.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_cli(args: &[&str], env: &[(&str, &str)]) -> (Child, String, std::process::ChildStderr) {
    start_cli_in(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), args, env)
}

/// `rurume serve ARGS` started in `dir`: the child, its address, its stderr.
fn start_cli_in(
    dir: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Child, String, std::process::ChildStderr) {
    let mut command = Command::new(bin());
    command
        .current_dir(dir)
        .arg("serve")
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let child = Child(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("rurume serve: ")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .to_owned();
    (child, url, stderr)
}

fn addr_of(url: &str) -> SocketAddr {
    url.trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap()
}

#[test]
fn the_command_prints_its_address_and_serves() {
    let (_child, url, _stderr) = start_cli(&["--port", "0"], &[]);
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with('/'),
        "{url}"
    );
    let addr = addr_of(&url);
    assert_ne!(addr.port(), 0);
    let page = request(addr, "GET", "/", &[], b"");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("/app.js"));
    let body = std::fs::read("samples/F0002-higashi-clinic.json").unwrap();
    let resp = request(
        addr,
        "POST",
        "/api/check?as_of=2026-11-26",
        &[JSON_CT],
        &body,
    );
    assert_eq!(resp.json()["summary"]["errors"], 21);
}

#[test]
fn failing_to_open_a_browser_is_a_hint_not_an_error() {
    let (mut child, url, stderr) =
        start_cli(&["--port", "0", "--open"], &[("PATH", "/nonexistent")]);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    let hint = loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("a hint on stderr");
        if line.contains("could not open a browser") {
            break line;
        }
    };
    assert!(hint.contains(&url), "{hint}");
    assert!(
        child.0.try_wait().unwrap().is_none(),
        "the server still runs"
    );
    assert_eq!(request(addr_of(&url), "GET", "/", &[], b"").status, 200);
}

/// `rurume serve ARGS` that cannot start: its exit status and stderr.
fn serve_refused(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(bin())
        .arg("serve")
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_port_in_use_is_an_error_with_a_way_out() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let (status, stderr) = serve_refused(&["--port", &port]);
    assert_eq!(status, Some(2));
    assert!(
        stderr.contains("already in use") && stderr.contains("--port"),
        "{stderr}"
    );
}

#[test]
fn listening_on_loopback_with_listen_gives_no_warning() {
    let (child, url, stderr) = start_cli(&["--listen", "127.0.0.1:0"], &[]);
    let addr = addr_of(&url);
    assert_eq!(request(addr, "GET", "/api/schema", &[], b"").status, 200);
    drop(child);
    let mut err = String::new();
    BufReader::new(stderr).read_to_string(&mut err).unwrap();
    assert!(!err.contains("warning"), "{err}");
}

const OCTETS: (&str, &str) = ("Content-Type", "application/octet-stream");

fn sample_value(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn a_workbook_is_exported_imported_and_checked_with_its_cells() {
    let server = server();
    let value = sample_value("F0002-higashi-clinic.json");
    let body = serde_json::to_vec(&value).unwrap();
    let xlsx = request(
        server.addr(),
        "POST",
        "/api/export?lang=ja",
        &[JSON_CT],
        &body,
    );
    assert_eq!(xlsx.status, 200);
    assert_eq!(
        xlsx.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    assert!(xlsx.body.starts_with(b"PK\x03\x04"));

    // Imported back: the same inventory, no notes.
    let back = request(
        server.addr(),
        "POST",
        "/api/import?lang=ja",
        &[OCTETS],
        &xlsx.body,
    );
    assert_eq!(back.status, 200, "{}", back.text());
    let back = back.json();
    assert_eq!(back["inventory"], value);
    assert_eq!(back["notes"], json!([]));

    // Checked as a workbook: the findings of the JSON, each with its cell.
    let from_xlsx = request(
        server.addr(),
        "POST",
        "/api/check?as_of=2026-11-26",
        &[OCTETS],
        &xlsx.body,
    )
    .json();
    let from_json = post_check(&server, "?as_of=2026-11-26", &body).json();
    assert_eq!(from_xlsx["summary"], from_json["summary"]);
    let first = &from_xlsx["findings"][0];
    assert_eq!(first["file"], "inventory.xlsx");
    assert!(
        first["cell"].as_str().unwrap().starts_with("アカウント!"),
        "{first}"
    );

    // A file that is no workbook: no inventory, the reason in the notes.
    let bad = request(
        server.addr(),
        "POST",
        "/api/import?lang=ja",
        &[OCTETS],
        b"PK\x03\x04 broken",
    );
    let bad = bad.json();
    assert_eq!(bad["inventory"], Value::Null);
    assert!(
        bad["notes"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Excel"),
        "{bad}"
    );

    // A field the workbook has no column for is kept (in its hidden shape cell) …
    let mut odd = value.clone();
    odd["facility"]["電話"] = json!("042-000-0000");
    let kept = request(
        server.addr(),
        "POST",
        "/api/export",
        &[JSON_CT],
        &serde_json::to_vec(&odd).unwrap(),
    );
    assert_eq!(kept.status, 200);
    let again = request(server.addr(), "POST", "/api/import", &[OCTETS], &kept.body).json();
    assert_eq!(again["inventory"], odd);
    // … but a password is never written into a workbook.
    let mut leaky = value.clone();
    leaky["accounts"][0]["パスワード"] = json!("Zr8#kumoQw");
    let refused = request(
        server.addr(),
        "POST",
        "/api/export",
        &[JSON_CT],
        &serde_json::to_vec(&leaky).unwrap(),
    );
    assert_eq!(refused.status, 422);
    assert!(
        refused.json()["error"]
            .as_str()
            .unwrap()
            .contains("password")
    );
    assert!(!String::from_utf8_lossy(&refused.body).contains("Zr8#"));
    // A form post from another site still cannot reach the API.
    let form = request(
        server.addr(),
        "POST",
        "/api/import",
        &[("Content-Type", "text/plain")],
        &xlsx.body,
    );
    assert_eq!(form.status, 415, "{}", form.text());
}

// ---------------------------------------------------------------------------------------
// The page speaks the form: its messages and fixes name the form's labels, never a field
// name of the file, a JSON Pointer or a command line.

#[test]
fn every_rule_speaks_the_form_on_the_page() {
    let keys = schema_keys();
    // Every profile's rules: the page checks with any of them (`serve --profile`).
    let rules = RuleSet::builtin_all().unwrap();
    let placeholder = regex::Regex::new(r"<[^>]*>").unwrap();
    let mut slips = Vec::new();
    for rule in &rules.rules {
        for (i, m) in rule.matchers.iter().enumerate() {
            let message = m
                .page
                .message
                .as_ref()
                .or(m.message.as_ref())
                .unwrap_or(&rule.message);
            let fix = m.page.fix.as_ref().or(m.fix.as_ref()).unwrap_or(&rule.fix);
            for (what, text) in [("message", message), ("fix", fix)] {
                for (lang, t) in [("ja", &text.ja), ("en", &text.en)] {
                    let described = rurume::engine::template::describe(t, &rule.params);
                    let bare = placeholder.replace_all(&described, "X");
                    if let Some(slip) = page_slip(&bare, lang == "ja", &keys, true) {
                        slips.push(format!(
                            "{} match {i} page {what} ({lang}): {slip}: {t}",
                            rule.id
                        ));
                    }
                }
            }
        }
    }
    assert!(
        slips.is_empty(),
        "page texts that show the file's words:\n{}",
        slips.join("\n")
    );
}

/// What the page shows for a document: every message and fix of /api/check, both languages.
fn page_texts(server: &Server, body: &[u8]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for lang in ["ja", "en"] {
        let r = post_check(server, &format!("?as_of=2026-11-26&lang={lang}"), body);
        assert_eq!(r.status, 200, "{}", r.text());
        for f in r.json()["findings"].as_array().unwrap() {
            for key in ["message", "fix"] {
                out.push((
                    f["rule"].as_str().unwrap().to_owned(),
                    lang.to_owned(),
                    f[key].as_str().unwrap().to_owned(),
                ));
            }
        }
    }
    out
}

#[test]
fn the_page_never_shows_field_names_pointers_or_commands() {
    let keys = schema_keys();
    // Every profile in force, so that every rule's findings are seen on the page.
    let rules = RuleSet::builtin_all().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server = serve::spawn(listener, rules.clone(), Lang::En).unwrap();
    let base = rules.example_base.clone().unwrap();
    let mut docs: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in std::fs::read_dir("samples").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            docs.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    // Every failing example of every rule: each match's findings, rendered.
    for rule in &rules.rules {
        for e in rule
            .examples
            .iter()
            .filter(|e| e.expect == rurume::rules::Expect::Fail)
        {
            let doc = rurume::rules::examples::build(&base, &e.patch).unwrap();
            docs.push((
                format!("{} / {}", rule.id, e.title.en),
                doc.to_string().into_bytes(),
            ));
        }
    }
    // The format's own findings: an unknown key, a missing field, a wrong type, a value
    // that is not a choice, an impossible date, another format version.
    let mut broken = base.clone();
    broken["devices"][0]["screen_lok"] = json!({ "enabled": true });
    broken["accounts"][0]
        .as_object_mut()
        .unwrap()
        .remove("email");
    broken["devices"][1]["screen_lock"]["auto_lock_minutes"] = json!("five");
    broken["devices"][0]["kind"] = json!("laptop");
    broken["accounts"][1]["pledges"]["retention"] = json!("2026-02-30");
    broken["facility"]["frobnicate"] = json!(1);
    docs.push(("format errors".into(), broken.to_string().into_bytes()));
    let mut version = base.clone();
    version["schema_version"] = json!(2);
    docs.push(("schema_version 2".into(), version.to_string().into_bytes()));
    let mut slips = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (name, body) in &docs {
        for (rule, lang, text) in page_texts(&server, body) {
            seen.insert(rule.clone());
            if let Some(slip) = page_slip(&text, lang == "ja", &keys, false) {
                slips.push(format!("{name}: {rule} ({lang}): {slip}: {text}"));
            }
        }
    }
    assert_no_slips(slips);
    for rule in &rules.rules {
        assert!(
            seen.contains(&rule.id),
            "no page text of {} was seen",
            rule.id
        );
    }
    assert!(seen.contains("inventory-schema"));
    // The command line keeps its precise field names.
    let cli = Command::new(bin())
        .args([
            "check",
            "--format",
            "json",
            "--as-of",
            "2026-11-26",
            "--lang",
            "en",
            "samples/F0002-higashi-clinic.json",
        ])
        .output()
        .unwrap();
    let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
    let screen_lock = cli["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "screen-lock")
        .unwrap();
    assert!(
        screen_lock["fix"]
            .as_str()
            .unwrap()
            .contains("screen_lock with enabled: true")
    );
}

// ---------------------------------------------------------------------------------------
// The MHLW checklist for the page, and how to submit.

fn post_checklist(server: &Server, query: &str, body: &[u8]) -> Resp {
    request(
        server.addr(),
        "POST",
        &format!("/api/checklist{query}"),
        &[JSON_CT],
        body,
    )
}

/// Issue #15 §5: the page's checklist is `rurume checklist --format json`'s, answered by
/// the same code with both profiles' rules, though the server checks with the default
/// profile only; its `sheet` says it in the page's words, in the checklist's order.
#[test]
fn checklist_answers_what_the_checklist_command_answers() {
    let server = server();
    let checklist = RuleSet::builtin_all().unwrap();
    let keys = schema_keys();
    let placeholder_ids: Vec<String> = checklist.rules.iter().map(|r| r.id.clone()).collect();
    let mut slips = Vec::new();
    for file in samples() {
        let display = file.to_str().unwrap();
        let body = std::fs::read(&file).unwrap();
        let expected: Value = serde_json::from_str(&cli(&[
            "checklist",
            "--format",
            "json",
            "--as-of",
            "2026-11-26",
            display,
        ]))
        .unwrap();
        for lang in ["ja", "en"] {
            let resp = post_checklist(&server, &format!("?as_of=2026-11-26&lang={lang}"), &body);
            assert_eq!(resp.status, 200, "{display}: {}", resp.text());
            let doc = resp.json();
            assert_eq!(
                doc["files"][0]["items"], expected["files"][0]["items"],
                "{display}"
            );
            assert_eq!(doc["summary"], expected["summary"], "{display}");
            assert_eq!(doc["as_of"], "2026-11-26");
            assert_eq!(doc["files"][0]["file"], "inventory.json");
            // The sheet: the same items and answers, in order, with what the clerk reads.
            let sheet: Vec<&Value> = doc["sheet"]["sections"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|s| s["items"].as_array().unwrap())
                .collect();
            let answers: Vec<(&Value, &Value)> =
                sheet.iter().map(|i| (&i["id"], &i["answer"])).collect();
            let want: Vec<(&Value, &Value)> = expected["files"][0]["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| (&i["id"], &i["answer"]))
                .collect();
            assert_eq!(answers, want, "{display}");
            for item in &sheet {
                let findings = item["findings"].as_array().unwrap();
                assert_eq!(item["answer"] == "no", !findings.is_empty(), "{item}");
                // 要確認 in a readable file: what to check by hand (no rule is turned off
                // here); in a file that cannot be read, nothing can be told.
                let readable = doc["sheet"]["unreadable"] == false;
                assert_eq!(
                    item["manual"].is_string(),
                    item["answer"] == "unknown" && readable,
                    "{display}: {item}"
                );
                let mut texts = vec![item["text"].as_str().unwrap().to_owned()];
                texts.extend(item["manual"].as_str().map(str::to_owned));
                for f in findings.iter().chain(item["waived"].as_array().unwrap()) {
                    texts.push(f["message"].as_str().unwrap().to_owned());
                    texts.push(f["fix"].as_str().unwrap().to_owned());
                }
                for text in texts {
                    let mut text = text;
                    for id in &placeholder_ids {
                        text = text.replace(id.as_str(), "RULE");
                    }
                    if let Some(slip) = page_slip(&text, lang == "ja", &keys, false) {
                        slips.push(format!("{display} ({lang}) {}: {slip}: {text}", item["id"]));
                    }
                }
            }
        }
    }
    assert_no_slips(slips);
    // A pharmacy reads the pharmacy checklist's title and wording.
    let body = std::fs::read("samples/F0003-sakura-pharmacy.json").unwrap();
    let doc = post_checklist(&server, "?as_of=2026-11-26&lang=ja", &body).json();
    assert!(
        doc["sheet"]["title"]
            .as_str()
            .unwrap()
            .contains("薬局確認用")
    );
    let item = |id: &str| {
        doc["sheet"]["sections"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["items"].as_array().unwrap())
            .find(|i| i["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        item("remote-maintenance")["text"],
        "リモートメンテナンスを利用している機器の有無を確認した"
    );
    assert_eq!(item("backup")["answer"], "no");
    assert_eq!(item("bcp")["findings"][0]["pointer"], "/facility");
    // A file that is not JSON: every item 要確認, and said so.
    let doc = post_checklist(&server, "?as_of=2026-11-26", b"{ not json").json();
    assert_eq!(doc["sheet"]["unreadable"], true);
    assert_eq!(doc["summary"]["unknown"], 17);
    // Bad parameters are refused as for /api/check.
    assert_eq!(
        post_checklist(&server, "?as_of=tomorrow", &body).status,
        400
    );
}

#[test]
fn settings_say_how_to_submit_as_rurume_toml_says_or_a_default() {
    let server = server();
    let ja = request(server.addr(), "GET", "/api/settings?lang=ja", &[], b"").json();
    assert_eq!(ja["submit_configured"], false);
    assert!(
        ja["submit"].as_str().unwrap().contains("医師会事務局"),
        "{ja}"
    );
    let en = request(server.addr(), "GET", "/api/settings?lang=en", &[], b"").json();
    assert!(en["submit"].as_str().unwrap().contains("office"), "{en}");
    assert_eq!(
        request(server.addr(), "GET", "/api/settings?lang=fr", &[], b"").status,
        400
    );

    // `rurume serve` reads the nearest rurume.toml, or --config, as `check` does.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rurume.toml"),
        "[serve]\nsubmit = { ja = \"事務局の共有フォルダに置いてください\", en = \"Put it in the office's shared folder\" }\n",
    )
    .unwrap();
    let (child, url, _stderr) = start_cli_in(dir.path(), &["--port", "0"], &[]);
    let settings = request(addr_of(&url), "GET", "/api/settings?lang=ja", &[], b"").json();
    assert_eq!(settings["submit"], "事務局の共有フォルダに置いてください");
    assert_eq!(settings["submit_configured"], true);
    drop(child);
    let other = tempfile::tempdir().unwrap();
    let config = other.path().join("office.toml");
    std::fs::write(
        &config,
        "[serve]\nsubmit = { ja = \"窓口へ持参してください\", en = \"Bring it to the desk\" }\n",
    )
    .unwrap();
    let (child, url, _stderr) = start_cli_in(
        dir.path(),
        &["--port", "0", "--config", config.to_str().unwrap()],
        &[],
    );
    let settings = request(addr_of(&url), "GET", "/api/settings?lang=en", &[], b"").json();
    assert_eq!(settings["submit"], "Bring it to the desk");
    drop(child);

    // An unknown key is an error at its place, and serve does not start (exit 2).
    std::fs::write(&config, "[serve]\nsubmit_ja = \"x\"\n").unwrap();
    let (status, stderr) = serve_refused(&["--port", "0", "--config", config.to_str().unwrap()]);
    assert_eq!(status, Some(2));
    assert!(stderr.contains("submit_ja"), "{stderr}");
}

/// `rurume serve --rules DIR` answers the checklist as `rurume checklist --rules DIR` does:
/// with every profile of that folder and its own `checklist.toml` (here a copy of `rules/`
/// whose first item is worded otherwise).
#[test]
fn serve_answers_the_checklist_of_its_rules_folder() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    common::copy_tree(std::path::Path::new("rules"), &rules);
    let mapping = rules.join("checklist.toml");
    let text = std::fs::read_to_string(&mapping).unwrap();
    let own = text.replacen(
        "医療情報システム安全管理責任者を設置している",
        "情報管理の責任者を決めている（当会の様式）",
        1,
    );
    assert_ne!(own, text);
    std::fs::write(&mapping, own).unwrap();
    let (child, url, _stderr) = start_cli_in(
        dir.path(),
        &["--port", "0", "--rules", rules.to_str().unwrap()],
        &[],
    );
    let body = std::fs::read("samples/F0003-sakura-pharmacy.json").unwrap();
    let doc = request(
        addr_of(&url),
        "POST",
        "/api/checklist?as_of=2026-11-26&lang=ja",
        &[JSON_CT],
        &body,
    )
    .json();
    drop(child);
    let first = &doc["sheet"]["sections"][0]["items"][0];
    assert_eq!(first["id"], "officer", "{doc}");
    assert_eq!(first["text"], "情報管理の責任者を決めている（当会の様式）");
    // Answered by the folder's mhlw rules though its default profile is rurume alone.
    assert_eq!(first["answer"], "no", "{first}");
    let expected: Value = serde_json::from_str(&cli(&[
        "checklist",
        "--format",
        "json",
        "--as-of",
        "2026-11-26",
        "--rules",
        rules.to_str().unwrap(),
        "samples/F0003-sakura-pharmacy.json",
    ]))
    .unwrap();
    assert_eq!(doc["files"][0]["items"], expected["files"][0]["items"]);
}

/// Issue #12 §3: the form's hover hints are the schema's page texts (`x-page-help`, "ja /
/// en" like its titles): every field of the form has one, in both languages, and none
/// names a field, a JSON value, a pointer or a command (the `description`s, written for
/// JSON editors, may).
#[test]
fn every_field_has_a_hover_hint_in_the_forms_words() {
    let keys = schema_keys();
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string("schemas/inventory.schema.json").unwrap())
            .unwrap();
    let mut fields = vec![("inventory".to_owned(), &schema["properties"])];
    for (name, def) in schema["$defs"].as_object().unwrap() {
        if def["properties"].is_object() {
            fields.push((name.clone(), &def["properties"]));
        }
    }
    let mut slips = Vec::new();
    let mut seen = 0;
    for (def, properties) in fields {
        for (key, property) in properties.as_object().unwrap() {
            if def == "inventory" && (key == "$schema" || key == "schema_version") {
                continue; // not shown on the page
            }
            seen += 1;
            let Some(hint) = property["x-page-help"].as_str() else {
                slips.push(format!("{def}.{key}: no hover hint"));
                continue;
            };
            let Some((ja, en)) = hint.split_once(" / ") else {
                slips.push(format!("{def}.{key}: not \"ja / en\": {hint}"));
                continue;
            };
            for (lang, text) in [("ja", ja), ("en", en)] {
                if text.trim().is_empty() {
                    slips.push(format!("{def}.{key} ({lang}): empty"));
                }
                if let Some(slip) = page_slip(text, lang == "ja", &keys, true) {
                    slips.push(format!("{def}.{key} ({lang}): {slip}: {text}"));
                }
            }
        }
    }
    assert!(seen > 80, "{seen}");
    assert_no_slips(slips);
    // The descriptions for editors keep their field names: the two are different texts.
    let lock = &schema["$defs"]["screenLock"]["properties"]["enabled"];
    assert_ne!(lock["description"], lock["x-page-help"]);
}
