//! `rurume serve`: a local web page on which a facility manager edits an inventory in
//! forms and sees the findings of `rurume check` live, next to the fields they concern.
//!
//! The server listens on 127.0.0.1 only (another address needs `--listen`, with a
//! warning), answers only requests addressed to it by that address or `localhost`
//! (DNS rebinding), refuses cross-origin POSTs, and sends a strict Content-Security-Policy.
//! The page, its script and its style are embedded in the binary: it works offline.
//! Nothing is stored: inventories and passwords live only for the request that checks them.

pub mod api;
pub mod repair;
pub mod security;

use std::future::Future;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};

use crate::checklist::Checklist;
use crate::cli::{Failure, Profiles, ServeArgs, load_configured_each};
use crate::lang::{Lang, Text};
use crate::rules::RuleSet;
use api::{Api, Page};
use security::Access;

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");
const FAVICON_SVG: &str = include_str!("assets/favicon.svg");

/// `rurume serve` could not start: exit 2.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{0}")]
#[diagnostic(code(serve))]
struct ServeError(String);

/// `rurume` double-clicked: the page on the usual port, opened in the browser. If rurume is
/// already open there, the browser is sent to it. The window stays until the user reads
/// what went wrong: a console opened by a double-click closes with the program.
pub fn run_double_clicked() -> Result<ExitCode, Failure> {
    let lang = Lang::from_env();
    let port = DEFAULT_PORT;
    if already_serving(port) {
        let url = format!("http://127.0.0.1:{port}/");
        println!(
            "{}",
            lang.pick(
                &format!("rurume はすでに開いています: {url} をブラウザで開きます。"),
                &format!("rurume is already open: opening {url} in the browser."),
            )
        );
        open_in_browser(&url, lang);
        std::thread::sleep(std::time::Duration::from_secs(3));
        return Ok(ExitCode::SUCCESS);
    }
    let args = ServeArgs {
        port,
        open: true,
        listen: None,
        rules: None,
        config: None,
    };
    let result = run(args);
    if let Err(Failure(report)) = &result {
        eprintln!("{report:?}");
        eprintln!(
            "{}",
            lang.pick(
                "Enter キーを押すと閉じます。",
                "Press Enter to close this window."
            )
        );
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
        return Ok(ExitCode::from(2));
    }
    result
}

/// The port `rurume serve` listens on by default.
pub const DEFAULT_PORT: u16 = 8417;

/// Whether a rurume page answers on this port already (a second double-click).
fn already_serving(port: u16) -> bool {
    use std::io::{Read, Write};
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) =
        std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_millis(300))
    else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(1)));
    let request =
        format!("GET /api/schema HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = Vec::new();
    let _ = stream.take(64 * 1024).read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).contains("るるめネット 機器・アカウント台帳")
}

pub fn run(args: ServeArgs) -> Result<ExitCode, Failure> {
    let lang = Lang::from_env();
    let setup = Setup::load(&args, lang)?;
    let wanted = args
        .listen
        .unwrap_or_else(|| SocketAddr::from((Ipv4Addr::LOCALHOST, args.port)));
    let listener = TcpListener::bind(wanted).map_err(|e| {
        ServeError(match (lang, e.kind()) {
            (Lang::Ja, std::io::ErrorKind::AddrInUse) => format!(
                "{wanted} は他のプログラムが使っています。`--port` で別の番号を指定してください（例: --port 8418）"
            ),
            (Lang::En, std::io::ErrorKind::AddrInUse) => format!(
                "{wanted} is already in use; choose another port with `--port` (e.g. --port 8418)"
            ),
            (Lang::Ja, _) => format!("{wanted} で待ち受けられません（{e}）"),
            (Lang::En, _) => format!("cannot listen on {wanted} ({e})"),
        })
    })?;
    let bound = listener
        .local_addr()
        .map_err(|e| ServeError(e.to_string()))?;
    let url = page_url(bound);
    if let Some(warning) = listen_warning(bound, lang) {
        eprintln!("{warning}");
    }
    // The first line is the address alone after the prefix, for scripts and tests
    // (`--port 0` picks a free port).
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "rurume serve: {url}");
    let _ = writeln!(
        out,
        "{}",
        lang.pick(
            "  ブラウザでこのアドレスを開いてください。台帳はこのパソコンの中だけで検査され、どこにも送られません。\n  終了するには Ctrl+C を押してください。",
            "  Open this address in your browser. Inventories are checked on this computer only and sent nowhere.\n  Press Ctrl+C to stop."
        )
    );
    let _ = out.flush();
    drop(out);
    if args.open {
        open_in_browser(&url, lang);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ServeError(e.to_string()))?;
    let result = runtime.block_on(async move {
        let server = serve(listener, setup, lang, true, std::future::pending());
        tokio::select! {
            result = server => result,
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    });
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    match result {
        Ok(()) => {
            eprintln!(
                "{}",
                lang.pick("rurume serve: 終了しました", "rurume serve: stopped")
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Err(ServeError(e.to_string()).into()),
    }
}

/// The address to open in a browser: the listening one, or loopback when it listens on
/// every address.
pub fn page_url(bound: SocketAddr) -> String {
    let ip = match bound.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, bound.port()))
}

/// The warning printed when the page is reachable from other machines.
pub fn listen_warning(bound: SocketAddr, lang: Lang) -> Option<String> {
    if bound.ip().is_loopback() {
        return None;
    }
    Some(match lang {
        Lang::Ja => format!(
            "警告: {bound} で待ち受けています。このパソコン以外からもページを開けます。\
             台帳には職員の氏名やメールアドレスが含まれます。信頼できるネットワークでだけ使い、\
             普段は --listen を付けずに起動してください（127.0.0.1 だけで待ち受けます）。"
        ),
        Lang::En => format!(
            "warning: listening on {bound}: the page can be opened from other machines. \
             Inventories hold staff names and emails: use this only on a trusted network, \
             and start without --listen otherwise (127.0.0.1 only)."
        ),
    })
}

/// Opens the page with the system's browser; failing to is a hint, not an error.
fn open_in_browser(url: &str, lang: Lang) {
    let mut command = if cfg!(target_os = "windows") {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", "", url]);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = Command::new("xdg-open");
        c.arg(url);
        c
    };
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let hint = match lang {
        Lang::Ja => format!(
            "rurume serve: ブラウザを自動で開けませんでした。ブラウザで {url} を開いてください"
        ),
        Lang::En => format!("rurume serve: could not open a browser; open {url} yourself"),
    };
    match command.spawn() {
        Ok(mut child) => {
            std::thread::spawn(move || {
                if !child.wait().is_ok_and(|s| s.success()) {
                    eprintln!("{hint}");
                }
            });
        }
        Err(_) => eprintln!("{hint}"),
    }
}

/// What the server checks with: the rules in force, and what the page knows besides.
pub struct Setup {
    pub rules: RuleSet,
    pub page: Page,
}

impl Setup {
    /// `rules` (built-in or `--rules DIR`, tuned by rurume.toml), the built-in checklist
    /// answered by every built-in profile's rules untuned, and no submission text: what
    /// [`spawn`] serves (tests; `rurume serve` starts with [`Setup::load`]).
    pub fn plain(rules: RuleSet) -> Setup {
        let checklist_rules = RuleSet::builtin_all().expect("the built-in rules load");
        let checklist = Checklist::builtin().expect("the built-in checklist loads");
        Setup::with(rules, checklist_rules, checklist, None)
    }

    /// As `rurume serve` starts: the rules of `--rules` and the profiles of the
    /// configuration (`--config`, else the nearest rurume.toml) tuned by it; the checklist
    /// answered exactly as `rurume checklist` answers it (every profile of the same rule
    /// set, tuned by the same configuration, and that set's mapping: a `--rules DIR`'s own
    /// `checklist.toml`, else the built-in one); and the configuration's `[serve] submit`.
    /// The configuration is read once for both rule sets.
    pub fn load(args: &ServeArgs, lang: Lang) -> Result<Setup, Failure> {
        let (sets, config) = load_configured_each(
            args.rules.as_ref(),
            args.config.as_ref(),
            &[Profiles::Named(&[]), Profiles::Every(&[])],
            lang,
        )?;
        let [rules, checklist_rules] = <[RuleSet; 2]>::try_from(sets).expect("two choices");
        let checklist = Checklist::of(&checklist_rules).map_err(ServeError)?;
        Ok(Setup::with(
            rules,
            checklist_rules,
            checklist,
            config.serve.submit,
        ))
    }

    pub fn with(
        rules: RuleSet,
        checklist_rules: RuleSet,
        checklist: Checklist,
        submit: Option<Text>,
    ) -> Setup {
        Setup {
            rules,
            page: Page {
                checklist,
                checklist_rules,
                submit,
            },
        }
    }
}

/// The page and the API, behind the security middleware.
pub fn router(setup: Setup, lang: Lang, access: Access) -> Router {
    let api = Api {
        rules: Arc::new(setup.rules),
        lang,
        page: Arc::new(setup.page),
    };
    Router::new()
        .route("/", get(|| asset(INDEX_HTML, "text/html; charset=utf-8")))
        .route(
            "/index.html",
            get(|| asset(INDEX_HTML, "text/html; charset=utf-8")),
        )
        .route(
            "/app.js",
            get(|| asset(APP_JS, "text/javascript; charset=utf-8")),
        )
        .route(
            "/app.css",
            get(|| asset(APP_CSS, "text/css; charset=utf-8")),
        )
        .route("/favicon.svg", get(|| asset(FAVICON_SVG, "image/svg+xml")))
        .route(
            "/api/check",
            limited(post(api::check), api::CHECK_LIMIT, lang),
        )
        .route(
            "/api/checklist",
            limited(post(api::checklist), api::CHECK_LIMIT, lang),
        )
        .route(
            "/api/import",
            limited(post(api::import), api::CHECK_LIMIT, lang),
        )
        .route(
            "/api/export",
            limited(post(api::export), api::CHECK_LIMIT, lang),
        )
        .route(
            "/api/repair",
            limited(post(api::repair), api::CHECK_LIMIT, lang),
        )
        .route(
            "/api/password",
            limited(post(api::password), api::PASSWORD_LIMIT, lang),
        )
        .route("/api/rules", get(api::rules))
        .route("/api/settings", get(api::settings))
        .route("/api/schema", get(api::schema))
        .fallback(api::not_found)
        .with_state(api)
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(access),
            security::guard,
        ))
}

fn limited(route: MethodRouter<Api>, limit: usize, lang: Lang) -> MethodRouter<Api> {
    route
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(
            (limit, lang),
            api::declared_size,
        ))
}

async fn asset(body: &'static str, content_type: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// Serves the page and the API on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    setup: Setup,
    lang: Lang,
    log: bool,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let bound = listener.local_addr()?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let mut access = Access::new(bound);
    access.log = log;
    let app = router(setup, lang, access);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// A server running on its own thread, stopped when dropped: what the tests use.
pub struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The page's address, e.g. `http://127.0.0.1:43125/`.
    pub fn url(&self) -> String {
        page_url(self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Starts serving on `listener` (e.g. bound to `127.0.0.1:0`) on a thread of its own,
/// with [`Setup::plain`].
pub fn spawn(listener: TcpListener, rules: RuleSet, lang: Lang) -> std::io::Result<Server> {
    spawn_with(listener, Setup::plain(rules), lang)
}

/// [`spawn`] with a setup of the caller's (a configuration's submission text, tuned rules).
pub fn spawn_with(listener: TcpListener, setup: Setup, lang: Lang) -> std::io::Result<Server> {
    let addr = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("rurume-serve".into())
        .spawn(move || {
            let shutdown = async {
                let _ = stopped.await;
            };
            if let Err(e) = runtime.block_on(serve(listener, setup, lang, false, shutdown)) {
                eprintln!("rurume serve: {e}");
            }
        })?;
    Ok(Server {
        addr,
        stop: Some(stop),
        thread: Some(thread),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_warnings() {
        let local = SocketAddr::from(([127, 0, 0, 1], 8417));
        assert_eq!(page_url(local), "http://127.0.0.1:8417/");
        assert_eq!(listen_warning(local, Lang::En), None);
        let all = SocketAddr::from(([0, 0, 0, 0], 8417));
        assert_eq!(page_url(all), "http://127.0.0.1:8417/");
        assert!(listen_warning(all, Lang::Ja).is_some_and(|w| w.starts_with("警告")));
        assert!(listen_warning(all, Lang::En).is_some_and(|w| w.starts_with("warning")));
        let v6 = SocketAddr::from((Ipv6Addr::UNSPECIFIED, 8417));
        assert_eq!(page_url(v6), "http://[::1]:8417/");
    }
}
