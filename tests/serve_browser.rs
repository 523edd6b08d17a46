//! `rurume serve` end to end in headless Chromium, driven through chromedriver's WebDriver
//! HTTP API (a few commands, spoken over a plain socket).
//!
//! A facility manager opens samples/F0002-higashi-clinic.json with the file picker, sees
//! the screen-lock finding next to device d1's screen lock, fixes it in the form, sees the
//! finding go, checks a password for account a2, and saves; the saved file passes
//! `rurume check` for those rules and keeps everything else as it was.
//!
//! Needs `chromium` and `chromedriver` (Debian: `apt-get install chromium chromium-driver
//! fonts-noto-cjk`; `.ci/run` installs them). When the browser cannot start, the test fails:
//! it does not skip. `CHROMEDRIVER` and `CHROME` override the programs' paths.
//!
//! Artifacts: target/serve-e2e.png (the page after the fixes), serve-e2e-start.png (the
//! start screen), serve-e2e-device.png (device d1 with its finding, before the fix),
//! serve-e2e-password.png (account a2 after the password check), serve-e2e-print.pdf (the
//! printed summary), serve-e2e-checklist.png / -en.png / .pdf (the MHLW checklist tab of
//! F0003, and its printout), serve-e2e-not-ready.png / -en.png (no device in use), all in
//! target/. docs/screenshots/ holds copies for the README.
//!
//! Saving over the opened file: headless Chromium cannot click a native file picker, so
//! `Session::pick` replaces `showOpenFilePicker` / `showSaveFilePicker` with functions that
//! answer real handles of the origin-private file system, read back after saving.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rurume::lang::Lang;
use rurume::rules::RuleSet;
use serde_json::{Value, json};

mod page_words;
use page_words::{assert_no_slips, page_slip, schema_keys};

const SAMPLE: &str = "samples/F0002-higashi-clinic.json";
const PASSWORD: &str = "Tsukimi-Dango-Kawara-47";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target folder")
        .to_path_buf()
}

fn find_program(env: &str, names: &[&str]) -> PathBuf {
    if let Some(p) = std::env::var_os(env) {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "{} not found (set {env}, or `apt-get install chromium chromium-driver fonts-noto-cjk`)",
        names.join(" / ")
    );
}

// ---------------------------------------------------------------------------------------
// A minimal HTTP/1.1 client for chromedriver (JSON in, JSON out).

fn http(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut stream = TcpStream::connect(addr).expect("connect to chromedriver");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        addr.port(),
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    // chromedriver may keep the connection open: read the headers, then Content-Length bytes.
    let mut buf = Vec::new();
    let mut chunk = [0u8; 65536];
    let (head, mut payload) = loop {
        let n = stream.read(&mut chunk).expect("chromedriver's answer");
        assert!(n > 0, "chromedriver closed the connection");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break (
                String::from_utf8_lossy(&buf[..end]).to_string(),
                buf[end + 4..].to_vec(),
            );
        }
    };
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let lower = head.to_ascii_lowercase();
    let length = lower
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    match length {
        Some(length) => {
            while payload.len() < length {
                let n = stream.read(&mut chunk).expect("chromedriver's answer");
                assert!(n > 0, "chromedriver closed the connection");
                payload.extend_from_slice(&chunk[..n]);
            }
        }
        None => {
            let _ = stream.read_to_end(&mut payload);
            if lower.contains("transfer-encoding: chunked") {
                payload = dechunk(&payload);
            }
        }
    }
    let value = serde_json::from_slice(&payload).unwrap_or(Value::Null);
    (status, value)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let text = String::from_utf8_lossy(&data[..eol]).to_string();
        let size =
            usize::from_str_radix(text.split(';').next().unwrap_or("0").trim(), 16).unwrap_or(0);
        if size == 0 || data.len() < eol + 2 + size {
            break;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[(eol + 4 + size).min(data.len())..];
    }
    out
}

fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// chromedriver and a browser session, both ended when dropped.

struct Driver {
    addr: SocketAddr,
    child: std::process::Child,
    session: Option<String>,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(id) = self.session.take() {
            let _ = http(self.addr, "DELETE", &format!("/session/{id}"), None);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(downloads: &Path) -> Driver {
        let chromedriver = find_program("CHROMEDRIVER", &["chromedriver"]);
        let chrome = find_program(
            "CHROME",
            &["chromium", "chromium-browser", "google-chrome", "chrome"],
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = std::fs::File::create(target_dir().join("serve-e2e-chromedriver.log")).unwrap();
        let child = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "ja_JP.UTF-8")
            .env("LC_ALL", "ja_JP.UTF-8")
            .env("LANGUAGE", "ja")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let profile = tempfile::tempdir().unwrap();
        let mut driver = Driver {
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            child,
            session: None,
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = TcpStream::connect(driver.addr).is_ok()
                && http(driver.addr, "GET", "/status", None).1["value"]["ready"] == json!(true);
            if ready {
                break;
            }
            if let Some(status) = driver.child.try_wait().unwrap() {
                panic!("chromedriver exited ({status}); see target/serve-e2e-chromedriver.log");
            }
            assert!(Instant::now() < deadline, "chromedriver did not get ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            "--lang=ja-JP",
            "--window-size=1280,1400",
            &format!("--user-data-dir={}", driver._profile.path().display()),
        ];
        let caps = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": chrome,
                    "args": args,
                    "prefs": {
                        "download.default_directory": downloads,
                        "download.prompt_for_download": false,
                        "intl.accept_languages": "ja-JP,ja"
                    }
                }
            }}
        });
        let (status, answer) = http(driver.addr, "POST", "/session", Some(&caps));
        let id = answer["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("the browser did not start ({status}): {answer:#}"));
        driver.session = Some(id.to_owned());
        driver
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let id = self.session.as_deref().unwrap();
        let (status, answer) = http(
            self.addr,
            method,
            &format!("/session/{id}{path}"),
            body.as_ref(),
        );
        assert_eq!(status, 200, "{method} {path}: {answer:#}");
        answer["value"].clone()
    }

    fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn js(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Runs an async script: it ends by calling `done(value)`, the last argument.
    fn js_async(&self, script: &str, args: Value) -> Value {
        let script = format!(
            "const done = arguments[arguments.length - 1]; (async () => {{ {script} }})().then(done, (e) => done('error: ' + e));"
        );
        self.cmd(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        );
        v[ELEMENT].as_str().expect("an element id").to_owned()
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn clear(&self, css: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/clear"), Some(json!({})));
    }

    /// Waits until the script returns true.
    fn wait_for(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if self.js(script, json!([])) == json!(true) {
                return;
            }
            if Instant::now() > deadline {
                self.screenshot(&target_dir().join("serve-e2e-failure.png"));
                panic!("timed out waiting for {what} (see target/serve-e2e-failure.png)");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The page printed on A4, as the browser's Print would.
    fn print_pdf(&self, path: &Path) {
        let pdf = self.cmd(
            "POST",
            "/print",
            Some(json!({"background": true, "page": {"width": 21.0, "height": 29.7}})),
        );
        std::fs::write(path, base64_decode(pdf.as_str().unwrap())).unwrap();
    }

    fn screenshot(&self, path: &Path) {
        let png = self.cmd("GET", "/screenshot", None);
        std::fs::write(path, base64_decode(png.as_str().unwrap())).unwrap();
    }
}

/// The findings the page shows for a rule at a pointer (its data-pointer), as a JS test.
fn shown(rule: &str, pointer: &str) -> String {
    format!(
        "return document.querySelectorAll('#editor .finding[data-rule=\"{rule}\"][data-pointer=\"{pointer}\"]').length"
    )
}

fn summary_is(errors: u64) -> String {
    format!(
        "return document.body.dataset.check === 'ok' && document.getElementById('summary').dataset.errors === '{errors}'"
    )
}

fn check_file(path: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_rurume"))
        .args(["check", "--format", "json", "--as-of", "2026-11-26"])
        .arg(path)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_manager_fixes_a_screen_lock_and_a_password_in_the_browser_and_saves() {
    let session = Session::start();
    let (driver, downloads) = (&session.driver, &session.downloads);
    session.page("ja");
    driver.screenshot(&target_dir().join("serve-e2e-start.png"));
    open_file(driver, Path::new(SAMPLE));
    driver.wait_for("the first check", &summary_is(21));

    // The finding is next to device d1's screen lock, with its article and fix.
    let in_group = driver.js(
        "const g = document.querySelector('[data-ptr=\"/devices/0/screen_lock\"]');
         const f = g && g.querySelector(':scope > .slot > .finding[data-rule=\"screen-lock\"]');
         return f ? [g.classList.contains('flag-error'), f.querySelector('.article').textContent,
                     f.querySelector('.message').textContent, f.querySelector('.fix').textContent] : null;",
        json!([]),
    );
    assert_eq!(in_group[0], json!(true), "{in_group}");
    assert_eq!(in_group[1], json!("第9条"));
    assert!(in_group[2].as_str().unwrap().contains("d1"), "{in_group}");
    assert!(
        in_group[3].as_str().unwrap().starts_with("直し方"),
        "{in_group}"
    );
    // Findings on fields sit next to those fields; a finding on a row is on its row.
    assert_eq!(
        driver.js(&shown("password-length", "/accounts/1/password"), json!([])),
        json!(1)
    );
    assert_eq!(
        driver.js(&shown("file-sharing-app", "/devices/5/apps/2"), json!([])),
        json!(1)
    );
    let app_row = driver.js(
        "const f = document.querySelector('#editor .finding[data-pointer=\"/devices/5/apps/2\"]');
         return f.closest('.list-row').querySelector('input').value",
        json!([]),
    );
    assert_eq!(app_row, json!("Winny"));
    assert_eq!(
        driver.js(
            "return document.getElementById('summary').dataset.warnings",
            json!([])
        ),
        json!("5")
    );
    driver.js(
        "document.querySelector('[data-ptr=\"/devices/0\"]').scrollIntoView({block: 'start'}); window.scrollBy(0, -90);",
        json!([]),
    );
    driver.screenshot(&target_dir().join("serve-e2e-device.png"));

    // Fix it: enable the lock, PIN, 5 minutes.
    driver.click("input[data-ptr=\"/devices/0/screen_lock/enabled\"]");
    driver.click("select[data-ptr=\"/devices/0/screen_lock/method\"] option[value=\"pin\"]");
    driver.clear("input[data-ptr=\"/devices/0/screen_lock/auto_lock_minutes\"]");
    driver.type_into(
        "input[data-ptr=\"/devices/0/screen_lock/auto_lock_minutes\"]",
        "5",
    );
    driver.wait_for("the screen-lock finding to go", &summary_is(20));
    assert_eq!(
        driver.js(&shown("screen-lock", "/devices/0/screen_lock"), json!([])),
        json!(0)
    );
    assert_eq!(
        driver.js(
            &shown("screen-lock-timeout", "/devices/0/screen_lock"),
            json!([])
        ),
        json!(0)
    );

    // Check a password for a2 (岡田 真由美): the field is cleared, only properties stay.
    driver.type_into("#pw-1", PASSWORD);
    driver.click("[data-focus=\"pwb/1\"]");
    driver.wait_for(
        "the password verdict",
        "return !!document.querySelector('[data-ptr=\"/accounts/1/password\"] .pw-verdict.pass')",
    );
    driver.wait_for("the password findings to go", &summary_is(18));
    driver.js(
        "document.querySelector('[data-ptr=\"/accounts/1\"]').scrollIntoView({block: 'start'}); window.scrollBy(0, -90);",
        json!([]),
    );
    driver.screenshot(&target_dir().join("serve-e2e-password.png"));
    let leftovers = driver.js(
        "return [...document.querySelectorAll('input')].map(i => i.value).join('\\n') + document.body.innerText",
        json!([PASSWORD]),
    );
    assert!(
        !leftovers.as_str().unwrap().contains(PASSWORD),
        "the password stayed on the page"
    );

    // What Save downloads: the sample, with exactly these changes.
    let exported = driver.js("return window.rurumeExport()", json!([]));
    let exported = exported.as_str().unwrap().to_owned();
    assert!(!exported.contains(PASSWORD) && !exported.contains("Tsukimi"));
    assert!(exported.starts_with(
        "{\n  \"$schema\": \"../schemas/inventory.schema.json\",\n  \"schema_version\": 1,\n"
    ));
    assert!(exported.contains("\"name\": \"ひがし内科クリニック\"") && exported.ends_with("}\n"));
    let mut expected: Value =
        serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap();
    expected["devices"][0]["screen_lock"] =
        json!({"enabled": true, "method": "pin", "auto_lock_minutes": 5});
    let saved: Value = serde_json::from_str(&exported).unwrap();
    let recorded = saved["accounts"][1]["password"].clone();
    assert_eq!(recorded["length"], 23);
    assert!(recorded["strength"].as_u64().unwrap() >= 3, "{recorded}");
    expected["accounts"][1]["password"] = json!({
        "length": 23, "letters": true, "digits": true, "symbols": true,
        "strength": recorded["strength"], "shared": false,
        "changed": jiff::ZonedDateTime::now().date().to_string()
    });
    assert_eq!(saved, expected);

    // The Save button downloads that very text.
    driver.click("#save");
    let file = downloads.path().join("F0002-higashi-clinic.json");
    let deadline = Instant::now() + Duration::from_secs(15);
    while !file.exists() {
        assert!(
            Instant::now() < deadline,
            "no download in {}",
            downloads.path().display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut text = String::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while text != exported && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        text = std::fs::read_to_string(&file).unwrap_or_default();
    }
    assert_eq!(text, exported);

    // The saved file passes `rurume check` for what was fixed.
    let report = check_file(&file);
    let findings = report["findings"].as_array().unwrap();
    assert!(
        !findings
            .iter()
            .any(|f| f["pointer"].as_str().unwrap().starts_with("/devices/0"))
    );
    assert!(
        !findings
            .iter()
            .any(|f| f["pointer"] == "/accounts/1/password")
    );
    assert_eq!(report["summary"]["errors"], 18);

    // The printed summary, and the page as the manager sees it.
    assert_eq!(
        driver.js(
            "return document.querySelectorAll('#print-summary tbody tr').length",
            json!([])
        ),
        json!(23)
    );
    driver.print_pdf(&target_dir().join("serve-e2e-print.pdf"));
    driver.js(
        "window.scrollTo(0, 0); document.getElementById('all-findings').open = true;
         document.getElementById('toast').hidden = true;",
        json!([]),
    );
    driver.screenshot(&target_dir().join("serve-e2e.png"));

    // Dropping a file on the page opens it too: a compliant inventory.
    let compliant = std::fs::read_to_string("samples/F0001-midori-houmon-kango.json").unwrap();
    driver.js(
        "const dt = new DataTransfer();
         dt.items.add(new File([arguments[0]], 'F0001.json', {type: 'application/json'}));
         for (const type of ['dragenter', 'dragover', 'drop']) {
           window.dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true, cancelable: true}));
         }",
        json!([compliant]),
    );
    driver.wait_for(
        "the dropped file",
        "return document.body.dataset.check === 'ok'
            && document.querySelector('input[data-ptr=\"/facility/id\"]').value === 'F0001'
            && document.getElementById('summary').classList.contains('clean')",
    );

    // Passwords written in clear never reach the page, and the finding's button removes them.
    let mut leaky: Value = serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap();
    let secrets = ["Kinmokusei-88!", "Hanamizuki-42x", "Ajisai-Tsuyu-7"];
    leaky["accounts"][2]["password"] = json!(secrets[0]);
    leaky["devices"][3]["mcs_password"] = json!(secrets[1]);
    leaky["devices"][9]["take_out"][0]["パスワード"] = json!(secrets[2]);
    leaky["devices"][4]["screen_lok"] = json!({"enabled": true});
    let leaky_file = downloads.path().join("leaky.json");
    std::fs::write(&leaky_file, serde_json::to_string_pretty(&leaky).unwrap()).unwrap();
    driver.type_into("#file-input", leaky_file.to_str().unwrap());
    driver.wait_for(
        "the file with passwords",
        "return document.body.dataset.check === 'ok'
            && document.querySelectorAll('#editor .finding[data-rule=\"plaintext-password\"]').length === 3",
    );
    let page = driver.js(
        "return document.documentElement.outerHTML + [...document.querySelectorAll('input, select')].map(i => i.value).join('\\n')",
        json!([]),
    );
    for secret in secrets {
        assert!(
            !page.as_str().unwrap().contains(secret),
            "{secret} is on the page"
        );
    }
    driver.click(".finding[data-pointer=\"/devices/3/mcs_password\"] button");
    driver.wait_for(
        "the written password to be removed",
        "return document.body.dataset.check === 'ok' && !document.querySelector('.finding[data-pointer=\"/devices/3/mcs_password\"]')",
    );
    // A key the format does not know: removed the same way, and the rules run again.
    assert!(driver.js("return !!document.querySelector('.paused')", json!([])) == json!(true));
    driver.click(
        ".finding[data-rule=\"inventory-schema\"][data-pointer=\"/devices/4/screen_lok\"] button",
    );
    driver.wait_for(
        "the unknown key to be removed",
        "return document.body.dataset.check === 'ok' && !document.querySelector('.paused')
            && !!document.querySelector('.finding[data-rule=\"screen-lock\"][data-pointer=\"/devices/0/screen_lock\"]')",
    );
    let exported = driver.js("return window.rurumeExport()", json!([]));
    assert!(!exported.as_str().unwrap().contains(secrets[1]));
    assert!(!exported.as_str().unwrap().contains("screen_lok"));
    assert!(
        exported.as_str().unwrap().contains(secrets[0]),
        "only the one removed is gone"
    );
}

/// Never make the record worse: "check only" leaves the inventory alone, "Check and record"
/// refuses a failing password, and "Record anyway" (the password typed again) records it.
#[test]
fn a_failing_password_is_recorded_only_after_a_second_confirmation() {
    const WEAK: &str = "Kq7Kq7Kq7";
    let session = Session::start();
    let driver = &session.driver;
    session.open("ja", Path::new(SAMPLE));
    driver.wait_for("the first check", &summary_is(21));
    let original: Value = serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap();
    let recorded = || {
        let exported = driver.js("return window.rurumeExport()", json!([]));
        let saved: Value = serde_json::from_str(exported.as_str().unwrap()).unwrap();
        saved["accounts"][1]["password"].clone()
    };
    let outcome = |o: &str| {
        format!(
            "return document.querySelector('[data-ptr=\"/accounts/1/password\"] .pw-verdict.fail')?.dataset.outcome === '{o}'"
        )
    };
    let no_leak = || {
        let page = driver.js(
            "return document.documentElement.outerHTML + [...document.querySelectorAll('input')].map(i => i.value).join('\\n')",
            json!([]),
        );
        for piece in ["Kq7K", "q7Kq", "7Kq7"] {
            assert!(
                !page.as_str().unwrap().contains(piece),
                "the password stayed on the page"
            );
        }
    };

    // Check only: the verdict, nothing recorded.
    driver.type_into("#pw-1", WEAK);
    driver.click("[data-focus=\"pwc/1\"]");
    driver.wait_for("the check-only verdict", &outcome("checked"));
    assert_eq!(recorded(), original["accounts"][1]["password"]);
    assert!(
        driver
            .js("return document.querySelector('[data-ptr=\"/accounts/1/password\"] .pw-result').textContent", json!([]))
            .as_str()
            .unwrap()
            .contains("確認のみです。台帳は変更していません")
    );
    no_leak();

    // Check and record: refused, with the reason and a second confirmation.
    driver.type_into("#pw-1", WEAK);
    driver.click("[data-focus=\"pwb/1\"]");
    driver.wait_for("the refusal", &outcome("refused"));
    let text = driver.js(
        "return document.querySelector('[data-ptr=\"/accounts/1/password\"] .pw-result').textContent",
        json!([]),
    );
    let text = text.as_str().unwrap();
    assert!(
        text.contains("記録しませんでした") && text.contains("不合格のまま記録"),
        "{text}"
    );
    assert_eq!(recorded(), original["accounts"][1]["password"]);
    assert_eq!(driver.js(&summary_is(21), json!([])), json!(true));
    no_leak();
    driver.js(
        "document.querySelector('[data-ptr=\"/accounts/1/password\"]').scrollIntoView({block: 'start'}); window.scrollBy(0, -90);",
        json!([]),
    );
    driver.screenshot(&target_dir().join("serve-e2e-password-refused.png"));

    // "Record anyway" without the password typed again: nothing happens but a reminder.
    driver.click(".pw-anyway");
    driver.wait_for(
        "the reminder",
        "return !!document.querySelector('[data-ptr=\"/accounts/1/password\"] .pw-result .alert')",
    );
    assert_eq!(recorded(), original["accounts"][1]["password"]);

    // Typed again and confirmed: recorded, and said so.
    driver.type_into("#pw-1", WEAK);
    driver.click(".pw-anyway");
    driver.wait_for("the record", &outcome("anyway"));
    let now = recorded();
    assert_eq!(now["length"], 9, "{now}");
    assert_eq!(now["symbols"], false, "{now}");
    assert!(now["strength"].as_u64().unwrap() < 3, "{now}");
    let text = driver.js(
        "return document.querySelector('[data-ptr=\"/accounts/1/password\"] .pw-result').textContent",
        json!([]),
    );
    assert!(
        text.as_str()
            .unwrap()
            .contains("不合格のまま性質を台帳に記録しました")
    );
    no_leak();
}

/// A clerk opens the workbook they filled in, sees the findings of its JSON, and saves:
/// the download is a workbook again, holding the same inventory.
#[test]
fn a_workbook_is_opened_checked_and_saved_as_a_workbook() {
    let session = Session::start();
    let (driver, downloads) = (&session.driver, &session.downloads);
    let work = tempfile::tempdir().unwrap();
    let xlsx = sample_workbook(work.path());
    session.open("ja", &xlsx);
    // The same findings as the JSON file.
    driver.wait_for("the first check", &summary_is(21));
    driver.screenshot(&target_dir().join("serve-e2e-workbook.png"));
    let exported = driver.js("return window.rurumeExport()", json!([]));
    let original: Value = serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(exported.as_str().unwrap()).unwrap(),
        original
    );
    driver.click("#save");
    let file = downloads.path().join("F0002.xlsx");
    let deadline = Instant::now() + Duration::from_secs(15);
    while !file.exists() || std::fs::metadata(&file).map_or(0, |m| m.len()) == 0 {
        assert!(
            Instant::now() < deadline,
            "no download in {}",
            downloads.path().display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(read_back(&file, work.path()), original);
}

/// The sample as a workbook (`rurume convert`), `F0002.xlsx` in `work`.
fn sample_workbook(work: &Path) -> PathBuf {
    let xlsx = work.join("F0002.xlsx");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_rurume"))
        .args(["convert", SAMPLE, "--lang", "ja", "-o"])
        .arg(&xlsx)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(status.success());
    xlsx
}

/// The inventory a saved workbook holds, read back by `rurume convert` into `work`.
fn read_back(workbook: &Path, work: &Path) -> Value {
    let back = work.join("back.json");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_rurume"))
        .arg("convert")
        .arg(workbook)
        .arg("-o")
        .arg(&back)
        .status()
        .unwrap();
    assert!(status.success());
    serde_json::from_str(&std::fs::read_to_string(&back).unwrap()).unwrap()
}

/// A new inventory is saved under the facility's id and name (spaces and characters a file
/// name cannot hold become `_`), as a download where the browser cannot save elsewhere.
/// The name is ASCII here: headless Chromium on this machine
/// saved a download whose name had Japanese characters as `download`.
#[test]
fn a_new_inventory_is_saved_as_id_and_name() {
    let session = Session::start();
    let (driver, downloads) = (&session.driver, &session.downloads);
    session.page("ja");
    create(driver, "F0123", "Hibari Pharmacy");
    // A browser without the File System Access API (Firefox, Safari): Save downloads.
    // (Where there is one, the user chooses where: see saving_writes_back_to_the_opened_file.)
    driver.js("window.showSaveFilePicker = undefined;", json!([]));
    driver.click("#save");
    let file = downloads.path().join("F0123-Hibari_Pharmacy.json");
    let deadline = Instant::now() + Duration::from_secs(15);
    while !file.exists() {
        assert!(
            Instant::now() < deadline,
            "no download in {}: {:?}",
            downloads.path().display(),
            std::fs::read_dir(downloads.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved["facility"]["id"], "F0123");
    assert_eq!(saved["facility"]["name"], "Hibari Pharmacy");
}

/// Opens the page on a fresh server in `lang`, then `file` with the file picker, and waits
/// for the first check.
fn open_page(driver: &Driver, server: &rurume::serve::Server, lang: &str) {
    driver.goto(&format!("{}?as_of=2026-11-26&lang={lang}", server.url()));
    driver.wait_for(
        "the page",
        "return document.body.dataset.ready === 'true' && !!document.getElementById('file-input')",
    );
}

fn open_file(driver: &Driver, file: &Path) {
    let path = std::fs::canonicalize(file).unwrap();
    driver.type_into("#file-input", path.to_str().unwrap());
}

/// Everything the page shows: its visible text, the values of its fields, the chosen
/// option of each list, the placeholders, and every hover hint (`title`: each field's,
/// group's and section's, from the schema's page texts). The checklist view is shown too.
/// Rule ids (shown on purpose, as in every output) are left out.
const VISIBLE: &str = "
    const app = document.getElementById('app');
    const list = document.getElementById('checklist');
    if (list) list.hidden = false;
    const parts = [app.innerText];
    for (const el of app.querySelectorAll('input:not([type=password]), textarea')) parts.push(el.value);
    for (const el of app.querySelectorAll('select')) if (el.selectedOptions[0]) parts.push(el.selectedOptions[0].textContent);
    for (const el of app.querySelectorAll('[placeholder]')) parts.push(el.placeholder);
    for (const el of app.querySelectorAll('[title]')) parts.push(el.title);
    if (list) list.hidden = true;
    return parts.join('\\n');";

/// How many fields, groups and sections of the page have a hover hint, and the controls
/// of the form (inputs and lists) that have none.
const HINTS: &str = "
    const app = document.getElementById('app');
    const bare = [...app.querySelectorAll('#editor [data-ptr]:is(input, select)')]
      .filter(el => !el.title && !(el.closest('.field')?.querySelector('label[title]')))
      .map(el => el.dataset.ptr.replace(/\\/[0-9]+/g, '/N'));
    return [app.querySelectorAll('[title]').length, [...new Set(bare)]];";

/// Issue #12 §3: after opening each sample, in both languages, no field name of the file,
/// pointer or command line is visible anywhere on the page.
#[test]
fn the_page_speaks_the_form_for_every_sample_in_both_languages() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let rules = RuleSet::builtin().unwrap();
    let ids: Vec<String> = rules.rules.iter().map(|r| r.id.clone()).collect();
    let server = rurume::serve::spawn(listener, rules, Lang::Ja).unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let driver = Driver::start(downloads.path());
    let keys = schema_keys();
    let mut samples: Vec<PathBuf> = std::fs::read_dir("samples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    samples.sort();
    assert_eq!(samples.len(), 7);
    let mut slips = Vec::new();
    for lang in ["ja", "en"] {
        for sample in &samples {
            open_page(&driver, &server, lang);
            open_file(&driver, sample);
            driver.wait_for(
                "the first check",
                "return document.body.dataset.check === 'ok' && !!document.getElementById('editor')",
            );
            driver.wait_for(
                "the checklist",
                "return !!document.querySelector('#checklist .checklist-item')",
            );
            let hints = driver.js(HINTS, json!([]));
            assert!(hints[0].as_u64().unwrap() > 50, "{hints}");
            // Every field of the form has a hint (list rows and the password field are
            // labelled by their group).
            let bare: Vec<String> = serde_json::from_value(hints[1].clone()).unwrap();
            let bare: Vec<&String> = bare
                .iter()
                .filter(|p| !p.ends_with("/N") || p.contains("/users"))
                .collect();
            assert!(
                bare.is_empty(),
                "{} ({lang}): no hint on {bare:?}",
                sample.display()
            );
            let mut text = driver.js(VISIBLE, json!([])).as_str().unwrap().to_owned();
            for id in &ids {
                text = text.replace(id.as_str(), "RULE");
            }
            for line in text.lines() {
                if let Some(slip) = page_slip(line, lang == "ja", &keys, false) {
                    slips.push(format!("{} ({lang}): {slip}: {line}", sample.display()));
                }
            }
        }
    }
    assert_no_slips(slips);
}

/// A file typed with the Japanese input on: the page shows each slip's line with a marker,
/// says what it is, and repairs it; a missing quote is explained but not repaired.
#[test]
fn a_broken_file_is_explained_and_repaired() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server = rurume::serve::spawn(listener, RuleSet::builtin().unwrap(), Lang::Ja).unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let driver = Driver::start(downloads.path());
    let original = std::fs::read_to_string("samples/F0001-midori-houmon-kango.json").unwrap();
    // A full-width colon after "name", a full-width comma, and a comma before a `]`.
    let broken = original
        .replacen("\"name\": ", "\"name\"： ", 1)
        .replacen(
            "\"kind\": \"visiting_nursing\",",
            "\"kind\": \"visiting_nursing\"，",
            1,
        )
        .replacen("\"LINE WORKS\"\n", "\"LINE WORKS\",\n", 1);
    assert_ne!(broken, original);
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("F0001-midori.json");
    std::fs::write(&file, &broken).unwrap();
    open_page(&driver, &server, "ja");
    open_file(&driver, &file);
    driver.wait_for(
        "the slips",
        "return document.querySelectorAll('.slip').length >= 3",
    );
    let slips = driver.js(
        "return [...document.querySelectorAll('.slip')].map(s => [s.querySelector('.excerpt').textContent, s.querySelector('.slip-text').textContent])",
        json!([]),
    );
    let slips = slips.as_array().unwrap();
    assert!(
        slips[0][0].as_str().unwrap().contains("\"name\"："),
        "{slips:?}"
    );
    assert!(slips[0][0].as_str().unwrap().contains('^'), "{slips:?}");
    assert!(
        slips[0][1].as_str().unwrap().contains("全角の「：」"),
        "{slips:?}"
    );
    assert!(
        slips
            .iter()
            .any(|s| s[1].as_str().unwrap().contains("閉じかっこ")),
        "{slips:?}"
    );
    driver.screenshot(&target_dir().join("serve-e2e-broken.png"));
    driver.click("#repair");
    driver.wait_for(
        "the repaired inventory",
        "return document.body.dataset.check === 'ok' && !!document.getElementById('editor')",
    );
    let exported = driver.js("return window.rurumeExport()", json!([]));
    let saved: Value = serde_json::from_str(exported.as_str().unwrap()).unwrap();
    let expected: Value = serde_json::from_str(&original).unwrap();
    assert_eq!(saved, expected);
    assert_eq!(driver.js(&summary_is(0), json!([])), json!(true));

    // A missing quote: explained, no repair offered.
    let unquoted = original.replacen("\"name\": \"", "\"name\": ", 1);
    std::fs::write(&file, &unquoted).unwrap();
    // A fresh browser: the repaired inventory is unsaved, and the page would ask.
    drop(driver);
    let driver = Driver::start(downloads.path());
    open_page(&driver, &server, "en");
    open_file(&driver, &file);
    driver.wait_for(
        "the slip",
        "return document.querySelectorAll('.slip').length >= 1",
    );
    let text = driver.js(
        "return document.querySelector('.load-problem').innerText",
        json!([]),
    );
    assert!(text.as_str().unwrap().contains("quote"), "{text}");
    assert_eq!(
        driver.js("return !!document.getElementById('repair')", json!([])),
        json!(false)
    );
}

/// 第10条 exceptions: the target is chosen from the facility's devices and accounts (and
/// the places where the chosen rule has findings), approvers from the active
/// administrators; a new row shows no finding before it is touched.
#[test]
fn exception_targets_and_approvers_are_chosen_from_lists() {
    let session = Session::start();
    let driver = &session.driver;
    session.open("ja", Path::new(SAMPLE));
    driver.wait_for("the first check", &summary_is(21));

    // A new exception: no finding on it until it is touched, and the counts stay.
    driver.click("#add-exception");
    driver.wait_for("the check of the new row", &summary_is(21));
    assert_eq!(
        driver.js(
            "return document.querySelectorAll('[data-ptr=\"/exceptions/0\"] .finding').length",
            json!([])
        ),
        json!(0)
    );
    let approvers = driver.js(
        "return [...document.querySelectorAll('select[data-ptr=\"/exceptions/0/approved_by\"] option')].map(o => o.textContent)",
        json!([]),
    );
    assert_eq!(
        approvers,
        json!(["（未選択）", "東 正人（a1）", "長谷川 修（a12）"])
    );
    let note = driver.js(
        "return document.querySelector('select[data-ptr=\"/exceptions/0/approved_by\"]').closest('.field').querySelector('.note').textContent",
        json!([]),
    );
    assert!(
        note.as_str().unwrap().contains("有効な MCS管理者"),
        "{note}"
    );
    // The rule first; the targets then include the app its finding is about.
    driver.click("select[data-ptr=\"/exceptions/0/rule\"] option[value=\"unapproved-app\"]");
    driver.wait_for(
        "the targets of the rule",
        "return !!document.querySelector('select[data-ptr=\"/exceptions/0/target\"] option[value=\"/devices/6/apps/2\"]')",
    );
    let options = driver.js(
        "return [...document.querySelectorAll('select[data-ptr=\"/exceptions/0/target\"] option')].map(o => [o.value, o.textContent])",
        json!([]),
    );
    let options = options.as_array().unwrap();
    let label = |value: &str| {
        options
            .iter()
            .find(|o| o[0] == value)
            .map(|o| o[1].as_str().unwrap().to_owned())
    };
    assert_eq!(
        label("/devices/6/apps/2").as_deref(),
        Some("機器 d7 › インストール済みアプリ › 3 件目")
    );
    assert_eq!(label("/devices/0").as_deref(), Some("機器 d1"));
    assert_eq!(
        label("/accounts/1").as_deref(),
        Some("アカウント a2（岡田 真由美）")
    );
    assert!(
        options
            .iter()
            .all(|o| !o[1].as_str().unwrap().contains('/')),
        "{options:?}"
    );
    driver.click("select[data-ptr=\"/exceptions/0/target\"] option[value=\"/devices/6/apps/2\"]");
    driver.click("select[data-ptr=\"/exceptions/0/approved_by\"] option[value=\"a1\"]");
    driver.js(
        "const i = document.querySelector('input[data-ptr=\"/exceptions/0/expires\"]');
         i.value = '2026-12-31'; i.dispatchEvent(new Event('change', {bubbles: true}));",
        json!([]),
    );
    driver.wait_for(
        "the app to be waived",
        "return document.body.dataset.check === 'ok' && document.getElementById('summary').dataset.waived === '1'",
    );
    let exported = driver.js("return window.rurumeExport()", json!([]));
    let saved: Value = serde_json::from_str(exported.as_str().unwrap()).unwrap();
    assert_eq!(saved["exceptions"][0]["target"], "/devices/6/apps/2");
    assert_eq!(saved["exceptions"][0]["approved_by"], "a1");
    driver.js(
        "document.querySelector('[data-ptr=\"/exceptions/0\"]').scrollIntoView({block: 'start'}); window.scrollBy(0, -90);",
        json!([]),
    );
    driver.screenshot(&target_dir().join("serve-e2e-exception.png"));

    // A new account: nothing said about it before its name is typed.
    driver.js("document.getElementById('add-account').click()", json!([]));
    driver.wait_for("the check after adding", &summary_is(21));
    assert_eq!(
        driver.js(
            "return document.querySelectorAll('[data-ptr=\"/accounts/15\"] .finding').length",
            json!([])
        ),
        json!(0)
    );
}

/// Issue #15's fields in the forms: the facility's security officer and review dates, an
/// account's two-factor authentication, a device's OS support and updates, encryption and
/// USB storage, and the tables of network devices and backups.
#[test]
fn the_mhlw_fields_have_forms() {
    let session = Session::start();
    let driver = &session.driver;
    session.open("ja", Path::new("samples/F0001-midori-houmon-kango.json"));
    driver.wait_for("the first check", &summary_is(0));
    for p in [
        "/facility/security_officer",
        "/facility/incident_contacts",
        "/facility/cyber_bcp",
        "/accounts/0/mfa",
        "/devices/0/os/supported",
        "/devices/0/os/updated",
        "/devices/0/encryption",
        "/devices/0/usb_storage",
    ] {
        let found = driver.js(
            &format!("return !!document.querySelector('[data-ptr=\"{p}\"]')"),
            json!([]),
        );
        assert_eq!(found, json!(true), "no control for {p}");
    }
    driver.clear("input[data-ptr=\"/facility/security_officer\"]");
    driver.type_into("input[data-ptr=\"/facility/security_officer\"]", "東 正人");
    driver.click("select[data-ptr=\"/devices/0/os/supported\"] option[value=\"true\"]");
    driver.js(
        "document.getElementById('add-network_devices').click()",
        json!([]),
    );
    driver.wait_for(
        "the new network device",
        "return !!document.querySelector('select[data-ptr=\"/network_devices/3/kind\"]')",
    );
    driver.click("select[data-ptr=\"/network_devices/3/kind\"] option[value=\"wifi\"]");
    driver.wait_for(
        "the Wi-Fi security list",
        "return !!document.querySelector('select[data-ptr=\"/network_devices/3/wifi_security\"]')",
    );
    driver.click("select[data-ptr=\"/network_devices/3/wifi_security\"] option[value=\"wpa3\"]");
    driver.js("document.getElementById('add-backups').click()", json!([]));
    driver.wait_for(
        "the new backup",
        "return !!document.querySelector('input[data-ptr=\"/backups/1/system\"]')",
    );
    driver.type_into("input[data-ptr=\"/backups/1/system\"]", "電子カルテ");
    driver.wait_for("the check", "return document.body.dataset.check === 'ok'");
    let exported = driver.js("return window.rurumeExport()", json!([]));
    let saved: Value = serde_json::from_str(exported.as_str().unwrap()).unwrap();
    assert_eq!(saved["facility"]["security_officer"], "東 正人");
    assert_eq!(saved["devices"][0]["os"]["supported"], true);
    // F0001 has three network devices and one backup: the new rows come after them, with
    // ids of their own.
    let added = &saved["network_devices"][3];
    assert_eq!(
        (&added["kind"], &added["status"], &added["wifi_security"]),
        (&json!("wifi"), &json!("in_use"), &json!("wpa3"))
    );
    let ids: Vec<&str> = saved["network_devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(!["nw1", "nw2", "nw3"].contains(&ids[3]), "{ids:?}");
    assert_eq!(saved["backups"][1]["system"], "電子カルテ");
    assert_ne!(saved["backups"][1]["id"], "b1");
    // The format accepts what the forms wrote.
    assert_eq!(
        driver.js(
            "return document.querySelectorAll('.finding[data-rule=\"inventory-schema\"]').length",
            json!([])
        ),
        json!(0)
    );
    driver.js(
        "document.getElementById('network_devices').scrollIntoView({block: 'start'}); window.scrollBy(0, -90);",
        json!([]),
    );
    driver.screenshot(&target_dir().join("serve-e2e-network.png"));
}

// ---------------------------------------------------------------------------------------
// What most tests start with: a server, a browser, a download folder, and a file opened
// on the page (`Session`).

/// A server, a browser and a folder for downloads. The driver is declared first: the
/// browser ends before the server.
struct Session {
    driver: Driver,
    server: rurume::serve::Server,
    downloads: tempfile::TempDir,
}

/// The page has checked the inventory it shows.
const CHECKED: &str =
    "return document.body.dataset.check === 'ok' && !!document.getElementById('editor')";

/// The files the pickers answer with live in the browser's origin-private file system.
/// Chromium 148's renderer crashes on a file there whose name is not ASCII (seen
/// 2026-12-06 with `ひばり薬局.json`), so each is stored under its name's UTF-8 in hex
/// (`stored`), and the page is given a handle that answers with the name the user
/// chose, and its file by that name, everything else the file's (`handleOf`; `opfsFile`
/// writes one, `opfsOpen` opens one written before).
const OPFS: &str = "
    const stored = (name) => [...new TextEncoder().encode(name)].map((b) => b.toString(16).padStart(2, '0')).join('');
    const handleOf = (file, name) => new Proxy(file, {
      get: (target, key) => {
        if (key === 'name') return name;
        if (key === 'getFile') {
          return async () => {
            const got = await target.getFile();
            return new File([got], name, { type: got.type, lastModified: got.lastModified });
          };
        }
        const value = target[key];
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const opfsOpen = async (name) =>
      handleOf(await (await navigator.storage.getDirectory()).getFileHandle(stored(name)), name);
    const opfsFile = async (name, b64) => {
      const root = await navigator.storage.getDirectory();
      const file = await root.getFileHandle(stored(name), { create: true });
      const w = await file.createWritable();
      await w.write(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
      await w.close();
      return handleOf(file, name);
    };";

impl Session {
    /// The built-in rules, the page in Japanese.
    fn start() -> Session {
        Session::with(rurume::serve::Setup::plain(RuleSet::builtin().unwrap()))
    }

    fn with(setup: rurume::serve::Setup) -> Session {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let server = rurume::serve::spawn_with(listener, setup, Lang::Ja).unwrap();
        let downloads = tempfile::tempdir().unwrap();
        let driver = Driver::start(downloads.path());
        Session {
            driver,
            server,
            downloads,
        }
    }

    /// The page in `lang`, freshly loaded.
    fn page(&self, lang: &str) {
        open_page(&self.driver, &self.server, lang);
    }

    /// The page in `lang` with `file` opened with the file input, checked.
    fn open(&self, lang: &str, file: &Path) {
        self.page(lang);
        open_file(&self.driver, file);
        self.driver.wait_for("the first check", CHECKED);
    }

    /// Puts `bytes` into the origin-private file system as `name` (see [`OPFS`]), and
    /// makes the page's file pickers (which headless Chromium cannot click) answer with its
    /// handle: a real `FileSystemFileHandle` behind a proxy that only gives its name, which
    /// the page reads and writes as it would a file the user chose. `showSaveFilePicker` records what the page suggested and how often it asked.
    fn pick(&self, name: &str, bytes: &[u8]) {
        let answer = self.driver.js_async(
            &format!(
                "{OPFS}
                 const [name, b64] = arguments;
                 const handle = await opfsFile(name, b64);
                 window.showOpenFilePicker = async () => [handle];
                 window.pickerAsked = [];
                 window.showSaveFilePicker = async (options) => {{ window.pickerAsked.push(options.suggestedName); return handle; }};
                 return 'ok';"
            ),
            json!([name, base64_encode(bytes)]),
        );
        assert_eq!(answer, json!("ok"), "{answer}");
    }

    /// Makes `window.confirm` answer `answer` and record what it was asked in
    /// `window.confirmAsked`.
    fn stub_confirm(&self, answer: bool) {
        self.driver.js(
            "const answer = arguments[0];
             window.confirmAsked = [];
             window.confirm = (m) => { window.confirmAsked.push(m); return answer; };",
            json!([answer]),
        );
    }

    /// What `window.confirm` was asked since `stub_confirm`.
    fn confirm_asked(&self) -> Vec<String> {
        serde_json::from_value(self.driver.js("return window.confirmAsked", json!([]))).unwrap()
    }

    /// Puts `bytes` into the origin-private file system as `name` (see [`OPFS`]), its
    /// handle kept as `window[var]` (the pickers are left as they are).
    fn put(&self, name: &str, bytes: &[u8], var: &str) {
        let answer = self.driver.js_async(
            &format!(
                "{OPFS}
                 const [name, b64, v] = arguments;
                 window[v] = await opfsFile(name, b64);
                 return 'ok';"
            ),
            json!([name, base64_encode(bytes), var]),
        );
        assert_eq!(answer, json!("ok"), "{answer}");
    }

    /// Makes every file write wait until `window.releaseWrite()`; `window.writeStarted`
    /// tells that one has begun.
    fn hold_writes(&self) {
        self.driver.js(
            "window.writeStarted = false;
             const gate = new Promise((r) => { window.releaseWrite = r; });
             const proto = FileSystemFileHandle.prototype;
             window.realCreateWritable = window.realCreateWritable || proto.createWritable;
             proto.createWritable = async function (...a) {
               window.writeStarted = true;
               await gate;
               return window.realCreateWritable.apply(this, a);
             };",
            json!([]),
        );
    }

    /// Undoes `hold_writes`.
    fn release_writes(&self) {
        self.driver.js(
            "FileSystemFileHandle.prototype.createWritable = window.realCreateWritable;
             window.releaseWrite();",
            json!([]),
        );
    }

    /// The bytes of a file of the origin-private file system (by its name: see [`OPFS`]).
    fn picked(&self, name: &str) -> Vec<u8> {
        let answer = self.driver.js_async(
            &format!(
                "{OPFS}
                 const root = await navigator.storage.getDirectory();
                 const file = await (await root.getFileHandle(stored(arguments[0]))).getFile();
                 const bytes = new Uint8Array(await file.arrayBuffer());
                 let text = '';
                 for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
                 return btoa(text);"
            ),
            json!([name]),
        );
        base64_decode(answer.as_str().expect("the file's bytes"))
    }

    fn text(&self, css: &str) -> String {
        let v = self.driver.js(
            "const el = document.querySelector(arguments[0]); return el ? el.innerText : null;",
            json!([css]),
        );
        v.as_str().unwrap_or_default().to_owned()
    }

    /// The files in the download folder.
    fn downloaded(&self) -> Vec<String> {
        std::fs::read_dir(self.downloads.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }

    /// The sample opened through the (stubbed) file picker as `name`, and device d1's
    /// screen lock fixed in the form: 21 errors, then 20.
    fn open_picked_and_fix(&self, name: &str) {
        self.pick(name, &std::fs::read(SAMPLE).unwrap());
        self.driver.click("#choose-file");
        self.driver.wait_for("the opened file", &summary_is(21));
        self.fix_screen_lock();
        self.driver.wait_for("the fix", &summary_is(20));
    }

    /// Device d1's screen lock fixed in the form (on, PIN, 5 minutes): one error less.
    fn fix_screen_lock(&self) {
        let driver = &self.driver;
        driver.click("input[data-ptr=\"/devices/0/screen_lock/enabled\"]");
        driver.click("select[data-ptr=\"/devices/0/screen_lock/method\"] option[value=\"pin\"]");
        driver.clear("input[data-ptr=\"/devices/0/screen_lock/auto_lock_minutes\"]");
        driver.type_into(
            "input[data-ptr=\"/devices/0/screen_lock/auto_lock_minutes\"]",
            "5",
        );
    }
}

/// The sample with device d1's screen lock fixed as `Session::fix_screen_lock` does.
fn sample_with_screen_lock() -> Value {
    let mut expected: Value =
        serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap();
    expected["devices"][0]["screen_lock"] =
        json!({"enabled": true, "method": "pin", "auto_lock_minutes": 5});
    expected
}

/// A new inventory started from the start view, for facility `id` named `name`.
fn create(driver: &Driver, id: &str, name: &str) {
    driver.wait_for(
        "the start view",
        "return document.body.dataset.ready === 'true' && !!document.getElementById('new-id')",
    );
    driver.type_into("#new-id", id);
    driver.type_into("#new-name", name);
    driver.click("#create");
    driver.wait_for("the form", "return !!document.getElementById('save')");
}

const SAVE_NOTE: &str = "return document.getElementById('save-note').textContent !== ''";

/// Issue #12 §3, saving: a file opened with the browser's file picker is saved over
/// itself (no `(1)` copy in Downloads), and the page says where it went; a new inventory
/// is saved where the user chooses, under `<id>-<name>.json`, once: later saves write there.
#[test]
fn saving_writes_back_to_the_opened_file() {
    let session = Session::start();
    let driver = &session.driver;
    session.page("ja");
    let name = "F0002-higashi-clinic.json";
    session.open_picked_and_fix(name);
    driver.click("#save");
    driver.wait_for("the save", SAVE_NOTE);
    let note = session.text("#save-note");
    assert!(
        note.contains(&format!("「{name}」に上書き保存しました")),
        "{note}"
    );
    assert!(note.contains("エラーが 20 件残っています"), "{note}");
    assert!(!note.contains("ダウンロード"), "{note}");
    assert_eq!(driver.js("return window.pickerAsked", json!([])), json!([]));
    let saved = String::from_utf8(session.picked(name)).unwrap();
    assert_eq!(
        saved,
        driver
            .js("return window.rurumeExport()", json!([]))
            .as_str()
            .unwrap()
    );
    assert_eq!(
        serde_json::from_str::<Value>(&saved).unwrap(),
        sample_with_screen_lock()
    );
    // `rurume check` accepts what was written, as the page said.
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join(name);
    std::fs::write(&file, &saved).unwrap();
    let report = check_file(&file);
    assert_eq!(report["summary"]["errors"], 20);
    assert!(!report["findings"].as_array().unwrap().iter().any(|f| {
        f["pointer"]
            .as_str()
            .unwrap()
            .starts_with("/devices/0/screen_lock")
    }));

    // A new inventory: the page suggests `<id>-<name>.json` and writes where the user chose.
    driver.js(
        "[...document.querySelectorAll('.topbar button')].find(b => b.textContent === '新しく作る').click()",
        json!([]),
    );
    create(driver, "F0123", "ひばり薬局 駅前店");
    let chosen = "ひばり薬局.json";
    session.pick(chosen, b"");
    driver.click("#save");
    driver.wait_for("the save", SAVE_NOTE);
    assert_eq!(
        driver.js("return window.pickerAsked", json!([])),
        json!(["F0123-ひばり薬局_駅前店.json"])
    );
    let note = session.text("#save-note");
    assert!(
        note.contains(&format!("「{chosen}」として、選んだ場所に保存しました")),
        "{note}"
    );
    let saved: Value = serde_json::from_slice(&session.picked(chosen)).unwrap();
    assert_eq!(saved["facility"]["id"], "F0123");
    assert_eq!(saved["facility"]["name"], "ひばり薬局 駅前店");
    // Saved again: over the same file, without asking.
    driver.type_into(
        "input[data-ptr=\"/facility/security_officer\"]",
        "田中 一郎",
    );
    driver.wait_for("the check", "return document.body.dataset.check === 'ok'");
    driver.js(
        "document.getElementById('save-note').textContent = ''",
        json!([]),
    );
    driver.click("#save");
    driver.wait_for("the second save", SAVE_NOTE);
    assert!(
        session
            .text("#save-note")
            .contains(&format!("「{chosen}」に上書き保存しました"))
    );
    assert_eq!(
        driver.js("return window.pickerAsked.length", json!([])),
        json!(1)
    );
    let saved: Value = serde_json::from_slice(&session.picked(chosen)).unwrap();
    assert_eq!(saved["facility"]["security_officer"], "田中 一郎");
    // Nothing went to the download folder.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(session.downloaded(), Vec::<String>::new());
}

/// A workbook opened with the file picker is saved back over itself as a workbook, which
/// `rurume convert` reads back into the inventory the page shows.
#[test]
fn a_workbook_opened_with_the_picker_is_saved_back_as_a_workbook() {
    let session = Session::start();
    let driver = &session.driver;
    let work = tempfile::tempdir().unwrap();
    let xlsx = sample_workbook(work.path());
    session.page("ja");
    session.pick("F0002.xlsx", &std::fs::read(&xlsx).unwrap());
    driver.click("#choose-file");
    driver.wait_for("the opened workbook", &summary_is(21));
    session.fix_screen_lock();
    driver.wait_for("the fix", &summary_is(20));
    // Writing over the workbook loses what Excel alone keeps: the page asks first, once.
    session.stub_confirm(true);
    driver.click("#save");
    driver.wait_for("the save", SAVE_NOTE);
    assert!(
        session
            .text("#save-note")
            .contains("「F0002.xlsx」に上書き保存しました")
    );
    let asked = session.confirm_asked();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert!(
        asked[0].contains("Excel のブックに上書きします"),
        "{asked:?}"
    );
    let bytes = session.picked("F0002.xlsx");
    assert!(bytes.starts_with(b"PK\x03\x04"), "not a workbook");
    let saved = work.path().join("saved.xlsx");
    std::fs::write(&saved, &bytes).unwrap();
    assert_eq!(read_back(&saved, work.path()), sample_with_screen_lock());
    assert_eq!(check_file(&saved)["summary"]["errors"], 20);
    // Saved again: without asking.
    driver.js(
        "document.getElementById('save-note').textContent = ''",
        json!([]),
    );
    driver.click("#save");
    driver.wait_for("the second save", SAVE_NOTE);
    assert_eq!(session.confirm_asked().len(), 1);
    assert_eq!(driver.js("return window.pickerAsked", json!([])), json!([]));
    assert_eq!(session.downloaded(), Vec::<String>::new());

    // Another workbook; the user declines to write over it: it stays as it was, and the
    // inventory is saved where the user chooses instead.
    let original = std::fs::read(&xlsx).unwrap();
    session.pick("F0003.xlsx", &original);
    session.put("copy.xlsx", b"", "copyHandle");
    driver.js(
        "window.showSaveFilePicker = async (o) => { window.pickerAsked.push(o.suggestedName); return window.copyHandle; };",
        json!([]),
    );
    driver.click("#open-button");
    driver.wait_for(
        "the other workbook",
        "return document.getElementById('save-note').textContent === '' && document.body.dataset.check === 'ok'",
    );
    driver.wait_for("its check", &summary_is(21));
    session.stub_confirm(false);
    driver.click("#save");
    driver.wait_for("the save", SAVE_NOTE);
    assert_eq!(session.confirm_asked().len(), 1);
    assert_eq!(
        driver.js("return window.pickerAsked", json!([])),
        json!(["F0003.xlsx"])
    );
    assert!(
        session
            .text("#save-note")
            .contains("「copy.xlsx」として、選んだ場所に保存しました"),
        "{}",
        session.text("#save-note")
    );
    assert_eq!(
        session.picked("F0003.xlsx"),
        original,
        "the opened workbook was written"
    );
    let copy = work.path().join("copy.xlsx");
    std::fs::write(&copy, session.picked("copy.xlsx")).unwrap();
    let sample: Value = serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap();
    assert_eq!(read_back(&copy, work.path()), sample);
    assert_eq!(session.downloaded(), Vec::<String>::new());
}

/// A file that cannot be written is downloaded instead, and the page says both why and
/// where it went.
#[test]
fn a_file_that_cannot_be_written_is_downloaded_and_the_page_says_why() {
    let session = Session::start();
    let driver = &session.driver;
    session.page("ja");
    let name = "F0002-higashi-clinic.json";
    session.open_picked_and_fix(name);
    driver.js(
        "FileSystemFileHandle.prototype.createWritable = async () => { throw new DOMException('no', 'NotAllowedError'); };",
        json!([]),
    );
    driver.click("#save");
    driver.wait_for("the save", SAVE_NOTE);
    let note = session.text("#save-note");
    assert!(
        note.contains(&format!(
            "開いたファイルに上書きできなかったため、「{name}」として「ダウンロード」フォルダに保存しました"
        )),
        "{note}"
    );
    let toast = session.text("#toast");
    assert!(toast.contains("上書きできなかったため"), "{toast}");
    let file = session.downloads.path().join(name);
    let deadline = Instant::now() + Duration::from_secs(15);
    while !file.exists() || std::fs::metadata(&file).map_or(0, |m| m.len()) == 0 {
        assert!(Instant::now() < deadline, "no download");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    let saved: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(saved, sample_with_screen_lock());
    // In English, the note is said again in English.
    driver.click("#lang-switch");
    driver.wait_for(
        "the English page",
        "return document.getElementById('save-note').textContent.includes('could not be written')",
    );
}

/// A save that is still writing when the user edits, or opens another file, finishes for
/// the file it began with: edits made meanwhile stay unsaved, and the other file keeps its
/// own handle (the next Save writes there, not over the first file).
#[test]
fn a_save_still_running_does_not_spill_into_the_next_file() {
    let session = Session::start();
    let driver = &session.driver;
    session.page("ja");
    let sample: Value = serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap();
    let mut other = sample.clone();
    other["facility"]["name"] = json!("B クリニック");
    session.pick("A.json", &std::fs::read(SAMPLE).unwrap());
    session.put(
        "B.json",
        serde_json::to_string_pretty(&other).unwrap().as_bytes(),
        "handleB",
    );
    driver.click("#choose-file");
    driver.wait_for("file A", &summary_is(21));
    session.fix_screen_lock();
    driver.wait_for("the fix", &summary_is(20));

    // A save held in its write; an edit meanwhile.
    session.hold_writes();
    driver.click("#save");
    driver.wait_for("the write", "return window.writeStarted === true");
    assert_eq!(
        driver.js("return document.getElementById('save').disabled", json!([])),
        json!(true)
    );
    driver.type_into("input[data-ptr=\"/facility/security_officer\"]", "田中");
    driver.wait_for("the check", "return document.body.dataset.check === 'ok'");
    session.release_writes();
    driver.wait_for("the save", SAVE_NOTE);
    assert!(
        session
            .text("#save-note")
            .contains("「A.json」に上書き保存しました")
    );
    assert_eq!(
        driver.js("return document.getElementById('save').disabled", json!([])),
        json!(false)
    );
    let a: Value = serde_json::from_slice(&session.picked("A.json")).unwrap();
    assert_eq!(a, sample_with_screen_lock());
    // The edit is still unsaved: opening another file asks first.
    session.stub_confirm(false);
    driver.js(
        "window.showOpenFilePicker = async () => [window.handleB];",
        json!([]),
    );
    driver.click("#open-button");
    driver.wait_for("the question", "return window.confirmAsked.length === 1");

    // A save held in its write; file B opened meanwhile.
    session.hold_writes();
    driver.js(
        "document.getElementById('save-note').textContent = ''",
        json!([]),
    );
    driver.click("#save");
    driver.wait_for("the write", "return window.writeStarted === true");
    session.stub_confirm(true);
    driver.click("#open-button");
    driver.wait_for(
        "file B",
        "return (window.rurumeExport() || '').includes('B クリニック') && document.body.dataset.check === 'ok'",
    );
    session.release_writes();
    driver.wait_for(
        "the save of A",
        "return document.getElementById('toast').textContent.includes('A.json')",
    );
    assert_eq!(session.text("#save-note"), "");
    let a: Value = serde_json::from_slice(&session.picked("A.json")).unwrap();
    assert_eq!(
        a["facility"]["security_officer"]
            .as_str()
            .map(|s| s.ends_with("田中")),
        Some(true)
    );
    assert_eq!(a["facility"]["name"], sample["facility"]["name"]);
    // B, edited and saved: written over B, not A.
    session.stub_confirm(true);
    session.fix_screen_lock();
    driver.wait_for("the fix", &summary_is(20));
    driver.click("#save");
    driver.wait_for("the save of B", SAVE_NOTE);
    assert!(
        session
            .text("#save-note")
            .contains("「B.json」に上書き保存しました"),
        "{}",
        session.text("#save-note")
    );
    let b: Value = serde_json::from_slice(&session.picked("B.json")).unwrap();
    assert_eq!(b["facility"]["name"], "B クリニック");
    assert_eq!(
        b["devices"][0]["screen_lock"],
        sample_with_screen_lock()["devices"][0]["screen_lock"]
    );
    let a2: Value = serde_json::from_slice(&session.picked("A.json")).unwrap();
    assert_eq!(a2, a);
    // Nothing unsaved in B: opening A again does not ask.
    session.stub_confirm(false);
    driver.js(
        &format!("{OPFS} window.showOpenFilePicker = async () => [await opfsOpen('A.json')];"),
        json!([]),
    );
    driver.click("#open-button");
    driver.wait_for(
        "file A again",
        "return !(window.rurumeExport() || '').includes('B クリニック')",
    );
    assert_eq!(session.confirm_asked(), Vec::<String>::new());
    assert_eq!(session.downloaded(), Vec::<String>::new());
}

/// `rurume checklist --format json` for one file: each item's id and answer, in order.
fn cli_checklist(file: &Path) -> Vec<(String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_rurume"))
        .args(["checklist", "--format", "json", "--as-of", "2026-11-26"])
        .arg(file)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["files"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_owned(),
                i["answer"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The checklist view's items: id and answer, in the page's order.
const CHECKLIST_ITEMS: &str = "return [...document.querySelectorAll('#checklist .checklist-item')].map(i => [i.dataset.item, i.dataset.answer])";

fn answer_is(item: &str, answer: &str) -> String {
    format!(
        "return document.body.dataset.check === 'ok' && document.querySelector('#checklist .checklist-item[data-item=\"{item}\"]')?.dataset.answer === '{answer}'"
    )
}

/// Issue #15 §5: the clerk's view of the MHLW checklist, answered live from the inventory
/// being edited, by the same code as `rurume checklist` (both profiles' rules, though the
/// page checks with the default profile); いいえ lists its findings with their fixes and
/// goes to the field; 要確認 says what to check by hand; a pharmacy reads its wording.
#[test]
fn the_checklist_view_answers_for_the_inventory_being_edited() {
    let session = Session::start();
    let driver = &session.driver;
    let sample = Path::new("samples/F0003-sakura-pharmacy.json");
    session.open("ja", sample);
    driver.wait_for(
        "the checklist",
        "return !!document.querySelector('#checklist .checklist-item')",
    );
    assert_eq!(
        driver.js(
            "return document.getElementById('checklist').hidden",
            json!([])
        ),
        json!(true)
    );
    driver.click("#tab-checklist");
    assert_eq!(
        driver.js(
            "return [document.getElementById('checklist').hidden, document.getElementById('editor').hidden]",
            json!([])
        ),
        json!([false, true])
    );
    let items: Vec<(String, String)> =
        serde_json::from_value(driver.js(CHECKLIST_ITEMS, json!([]))).unwrap();
    assert_eq!(items, cli_checklist(sample));
    let answer = |id: &str| items.iter().find(|(i, _)| i == id).unwrap().1.clone();
    for id in ["backup", "bcp", "patches", "usb"] {
        assert_eq!(answer(id), "no", "{id}");
    }
    // The pharmacy's wording, the answers in the form's words, and the tab's count.
    let text = session.text("#checklist");
    assert!(
        text.contains("薬局におけるサイバーセキュリティ対策チェックリスト"),
        "{text}"
    );
    assert!(text.contains("リモートメンテナンスを利用している機器の有無を確認した"));
    assert!(text.contains("いいえ") && text.contains("要確認") && text.contains("はい"));
    let no = items.iter().filter(|(_, a)| a == "no").count();
    assert_eq!(session.text("#tab-checklist-count"), format!("いいえ {no}"));
    // いいえ: each finding with its fix; 要確認: what to check by hand.
    let bcp = "#checklist .checklist-item[data-item=\"bcp\"]";
    assert!(
        session.text(bcp).contains("直し方"),
        "{}",
        session.text(bcp)
    );
    let manual =
        session.text("#checklist .checklist-item[data-item=\"vendor-disclosure\"] .item-manual");
    assert!(manual.contains("MDS/SDS"), "{manual}");
    // Nothing of the file's words.
    let keys = schema_keys();
    let ids: Vec<String> = RuleSet::builtin_all()
        .unwrap()
        .rules
        .iter()
        .map(|r| r.id.clone())
        .collect();
    let mut slips = Vec::new();
    for line in text.lines() {
        let mut line = line.to_owned();
        for id in &ids {
            line = line.replace(id.as_str(), "RULE");
        }
        if let Some(slip) = page_slip(&line, true, &keys, false) {
            slips.push(format!("{slip}: {line}"));
        }
    }
    assert_no_slips(slips);
    driver.js("window.scrollTo(0, 0)", json!([]));
    driver.screenshot(&target_dir().join("serve-e2e-checklist.png"));

    // A finding goes to its field, in the form.
    driver.click(&format!("{bcp} .item-findings button"));
    driver.wait_for(
        "the field of the finding",
        "return !document.getElementById('editor').hidden && document.activeElement?.dataset.ptr === '/facility/cyber_bcp'",
    );
    // Filled in: the answer changes, live.
    driver.js(
        "const i = document.querySelector('input[data-ptr=\"/facility/cyber_bcp\"]');
         i.value = '2026-10-01'; i.dispatchEvent(new Event('change', {bubbles: true}));",
        json!([]),
    );
    driver.wait_for("the BCP to be answered はい", &answer_is("bcp", "yes"));
    assert_eq!(
        session.text("#tab-checklist-count"),
        format!("いいえ {}", no - 1)
    );
    // The printout has the answers too, on a page of their own.
    let rows = driver.js(
        "return document.querySelectorAll('#print-checklist tbody tr:not(.print-section)').length",
        json!([]),
    );
    assert_eq!(rows, json!(items.len()));
    driver.print_pdf(&target_dir().join("serve-e2e-checklist.pdf"));

    // In English.
    driver.click("#lang-switch");
    driver.wait_for("the English answers", "return document.body.dataset.check === 'ok' && document.getElementById('checklist').innerText.includes('MHLW cybersecurity checklist for pharmacies')");
    driver.click("#tab-checklist");
    let text = session.text("#checklist");
    assert!(text.contains("To check") && text.contains("No"), "{text}");
    driver.js("window.scrollTo(0, 0)", json!([]));
    driver.screenshot(&target_dir().join("serve-e2e-checklist-en.png"));

    // The checklist cannot be answered (the server fails it): the last answers stay,
    // marked as such, while the findings are checked again.
    driver.js(
        "const real = window.fetch;
         window.fetch = (url, ...rest) => String(url).includes('/api/checklist')
           ? Promise.resolve(new Response('{}', { status: 500 }))
           : real(url, ...rest);
         const i = document.querySelector('input[data-ptr=\"/facility/cyber_bcp\"]');
         i.value = ''; i.dispatchEvent(new Event('change', {bubbles: true}));",
        json!([]),
    );
    driver.wait_for(
        "the answers marked as the last ones",
        "return document.body.dataset.check === 'ok' && document.getElementById('checklist').innerText.includes('the checklist could not be answered this time')",
    );
    assert_eq!(
        driver.js(
            "return document.querySelectorAll('#checklist .checklist-item.stale').length",
            json!([])
        ),
        json!(items.len())
    );
}

/// Issue #12 §3: "ready to submit" only without errors and with an account and a device in
/// use (else what is missing, in the form's words); then how to submit, as rurume.toml's
/// `[serve] submit` says.
#[test]
fn ready_to_submit_needs_an_account_and_a_device_and_says_how_to_submit() {
    let submit = rurume::lang::Text::new(
        "事務局（jimu@example.jp）へメールで送ってください",
        "Email it to the office (jimu@example.jp)",
    );
    let setup = rurume::serve::Setup::with(
        RuleSet::builtin().unwrap(),
        RuleSet::builtin_all().unwrap(),
        rurume::checklist::Checklist::builtin().unwrap(),
        Some(submit),
    );
    let session = Session::with(setup);
    let driver = &session.driver;
    session.open("ja", Path::new("samples/F0001-midori-houmon-kango.json"));
    driver.wait_for(
        "the verdict",
        "return document.getElementById('summary').dataset.ready === 'true'",
    );
    let verdict = session.text("#verdict");
    assert!(
        verdict.ends_with("エラーはありません。このまま提出できます"),
        "{verdict}"
    );
    let how = session.text("#readiness");
    assert!(
        how.contains("提出のしかた") && how.contains("jimu@example.jp"),
        "{how}"
    );
    // Every device no longer used: no error, but nothing to submit.
    let devices = driver.js(
        "return document.querySelectorAll('select[data-ptr$=\"/status\"][data-ptr^=\"/devices/\"]').length",
        json!([]),
    );
    for i in 0..devices.as_u64().unwrap() {
        driver.click(&format!(
            "select[data-ptr=\"/devices/{i}/status\"] option[value=\"retired\"]"
        ));
    }
    driver.wait_for(
        "not ready",
        "return document.body.dataset.check === 'ok' && document.getElementById('summary').dataset.ready === 'false'",
    );
    assert_eq!(
        driver.js(
            "return document.getElementById('summary').dataset.errors",
            json!([])
        ),
        json!("0")
    );
    let verdict = session.text("#verdict");
    assert!(verdict.contains("まだ提出できません"), "{verdict}");
    let missing = session.text("#readiness");
    assert!(
        missing.contains("「機器」に、使用中の機器が 1 台もありません"),
        "{missing}"
    );
    assert!(
        !missing.contains("アカウント") && !missing.contains("jimu@example.jp"),
        "{missing}"
    );
    let printed = driver.js(
        "return document.querySelector('#print-summary .print-verdict').textContent",
        json!([]),
    );
    assert!(
        printed.as_str().unwrap().contains("まだ提出できません"),
        "{printed}"
    );
    driver.js("window.scrollTo(0, 0)", json!([]));
    driver.screenshot(&target_dir().join("serve-e2e-not-ready.png"));

    // In English.
    driver.click("#lang-switch");
    driver.wait_for(
        "English",
        "return document.documentElement.lang === 'en' && document.body.dataset.check === 'ok'",
    );
    let missing = session.text("#readiness");
    assert!(missing.contains("no device in use is listed"), "{missing}");
    assert!(session.text("#verdict").contains("not ready to submit yet"));
    driver.js("window.scrollTo(0, 0)", json!([]));
    driver.screenshot(&target_dir().join("serve-e2e-not-ready-en.png"));
}
