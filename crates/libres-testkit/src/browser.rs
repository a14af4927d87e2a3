//! A real browser for tests: headless Chromium, driven over WebDriver.
//!
//! [`Browser::launch`] starts `chromedriver` as a child process on a free
//! local port, waits until its `/status` says it is ready, and opens one
//! Chromium session with a fresh profile, a fixed viewport and nothing
//! that talks to the network on its own (no sync, no component updates).
//! The test then drives the session: [`Browser::goto`], [`Browser::eval`],
//! [`Browser::save_screenshot`], [`Browser::console`].
//!
//! Chromium and chromedriver are Debian's `chromium` and `chromium-driver`
//! (`scripts/test.sh` installs them). A machine without them fails the
//! test with instructions; only `LIBRES_SKIP_BROWSER_TESTS=1` skips it,
//! and says so on the terminal.
//!
//! Cleaning up does not depend on the test succeeding: dropping the
//! [`Browser`], also while a failed test unwinds, asks chromedriver to
//! shut down (which quits Chromium), waits for it to exit and kills it if
//! it does not. Killing chromedriver first would leave Chromium running.

use axum::http::Method;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use std::future::Future;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Set to `1` to skip the browser tests on purpose (they print that they
/// were skipped). Unset, a missing browser fails them.
pub const SKIP_VAR: &str = "LIBRES_SKIP_BROWSER_TESTS";
/// The chromedriver to run (default: `chromedriver` on `PATH`, then
/// `/usr/bin/chromedriver`).
pub const CHROMEDRIVER_VAR: &str = "LIBRES_CHROMEDRIVER";
/// The Chromium binary chromedriver starts (default: `chromium` on
/// `PATH`, then `/usr/bin/chromium`).
pub const CHROMIUM_VAR: &str = "LIBRES_CHROMIUM";

const HOW_TO_INSTALL: &str = "The browser tests need Debian's `chromium` and `chromium-driver`: \
     install them with `sudo apt-get install chromium chromium-driver`, or run the tests with \
     `bash scripts/test.sh`, which installs them. To skip the browser tests on purpose, set \
     LIBRES_SKIP_BROWSER_TESTS=1.";

/// The WebDriver key code of Tab.
pub const TAB: &str = "\u{E004}";
/// The WebDriver key code of Enter.
pub const ENTER: &str = "\u{E007}";

/// Where axe-core's `axe.min.js` is.
pub const AXE_VAR: &str = "LIBRES_AXE";

const HOW_TO_INSTALL_AXE: &str = "The accessibility test needs axe-core's `axe.min.js`: \
     `bash scripts/test.sh` installs it from npm (into target/tools/axe) and sets LIBRES_AXE; \
     or run `npm install --prefix target/tools/axe axe-core@4.14.1` and set \
     LIBRES_AXE=$PWD/target/tools/axe/node_modules/axe-core/axe.min.js.";

// Generous, for a loaded two-core machine: they bound a hang, they are not
// how long things take (chromedriver starts in ~0.1 s, Chromium in ~1 s).
const DRIVER_READY: Duration = Duration::from_secs(30);
const SESSION_START: Duration = Duration::from_secs(60);
const PAGE_LOAD: Duration = Duration::from_secs(30);
const COMMAND: Duration = Duration::from_secs(30);
const DRIVER_EXIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(25);

// chromedriver's files, in its temporary directory.
const OUTPUT: &str = "output.txt";
const LOG: &str = "chromedriver.log";
const LOG_LINES: usize = 30;

/// A size in CSS pixels (Chromium runs at a device scale factor of 1, so
/// screenshots have exactly this many pixels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

impl Viewport {
    /// A laptop screen.
    pub const DESKTOP: Viewport = Viewport {
        width: 1024,
        height: 900,
    };
    /// A common phone, held upright.
    pub const PHONE: Viewport = Viewport {
        width: 390,
        height: 844,
    };
}

/// A message of the browser's console (page errors, CSP violations, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleEntry {
    /// `SEVERE`, `WARNING`, `INFO` or `DEBUG`.
    pub level: String,
    /// What the browser said.
    pub message: String,
}

/// One headless Chromium session and the chromedriver that runs it.
pub struct Browser {
    // Fields drop in order: the client, then chromedriver (which quits
    // Chromium), then the profile directory Chromium was writing to.
    client: Client,
    driver: Chromedriver,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a Chromium session showing `viewport`.
    ///
    /// Returns `None` only when [`SKIP_VAR`] is `1`, after printing that
    /// the browser tests were skipped. Panics, saying how to install them,
    /// when chromedriver or Chromium cannot be found.
    pub async fn launch(viewport: Viewport) -> Option<Browser> {
        if std::env::var(SKIP_VAR).is_ok_and(|v| v == "1") {
            // Straight to the terminal: the test harness captures
            // `eprintln!`, and a skip nobody sees is a silent pass.
            let _ = writeln!(
                std::io::stderr().lock(),
                "\n*** SKIPPED browser tests: {SKIP_VAR}=1 ***\n"
            );
            return None;
        }
        let chromedriver = find_program(CHROMEDRIVER_VAR, "chromedriver");
        let chromium = find_program(CHROMIUM_VAR, "chromium");
        let driver = Chromedriver::start(&chromedriver).await;
        let profile = tempfile::Builder::new()
            .prefix("libres-chromium-")
            .tempdir()
            .expect("create a temporary Chromium profile directory");
        let caps = capabilities(&chromium, profile.path(), viewport);
        let client = tokio::time::timeout(
            SESSION_START,
            ClientBuilder::new(HttpConnector::new())
                .capabilities(caps)
                .connect(&driver.url()),
        )
        .await
        .unwrap_or_else(|_| {
            panic!(
                "Chromium did not start within {SESSION_START:?}.\n{}",
                driver.log_tail()
            )
        })
        .unwrap_or_else(|e| {
            panic!(
                "cannot start Chromium ({}) through chromedriver: {e}\n{}",
                chromium.display(),
                driver.log_tail()
            )
        });
        let browser = Browser {
            client,
            driver,
            _profile: profile,
        };
        browser.set_viewport(viewport).await;
        Some(browser)
    }

    /// Runs axe-core (its script at `$LIBRES_AXE`, which `scripts/test.sh`
    /// installs from npm) on the open page against WCAG 2.1 A and AA, and
    /// returns each violation as "rule: what (where)". Panics, saying how
    /// to install it, when the script is not there: an accessibility check
    /// that did not run must never pass.
    pub async fn axe_violations(&self) -> Vec<String> {
        let path = std::env::var_os(AXE_VAR)
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| panic!("{AXE_VAR} is not set.\n{HOW_TO_INSTALL_AXE}"));
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {AXE_VAR}={}: {e}\n{HOW_TO_INSTALL_AXE}",
                path.display()
            )
        });
        // WebDriver scripts run outside the page's content security
        // policy, which forbids every script of the page's own.
        self.eval(&format!("{source}\nreturn typeof window.axe;"))
            .await;
        let found = self
            .run(
                "run axe-core in the page",
                COMMAND,
                self.client.execute_async(
                    r#"const done = arguments[arguments.length - 1];
                    window.axe.run(document, {
                      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
                      resultTypes: ["violations"],
                    }).then(r => done(r.violations.map(v =>
                      v.id + ": " + v.help + " (" +
                      v.nodes.slice(0, 3).map(n => n.target.join(" ")).join("; ") + ")")))
                      .catch(e => done(["axe failed: " + e]));"#,
                    Vec::new(),
                ),
            )
            .await;
        match found {
            Value::Array(v) => v
                .into_iter()
                .map(|s| s.as_str().unwrap_or("?").to_owned())
                .collect(),
            other => vec![format!("axe returned {other}")],
        }
    }

    /// The WebDriver client, for anything the helpers here do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Opens `url` and waits until the page has loaded (its stylesheet
    /// included).
    pub async fn goto(&self, url: &str) {
        // chromedriver gives up after PAGE_LOAD and says why; this only
        // catches a chromedriver that does not answer at all.
        let limit = PAGE_LOAD + Duration::from_secs(10);
        self.run(&format!("open {url}"), limit, self.client.goto(url))
            .await;
    }

    /// Runs `script` (a function body: `return …;`) in the page and
    /// returns its result.
    pub async fn eval(&self, script: &str) -> Value {
        self.run(
            "run a script in the page",
            COMMAND,
            self.client.execute(script, Vec::new()),
        )
        .await
    }

    /// The first element `css` selects; panics, naming it, when there is
    /// none.
    async fn element(&self, css: &str) -> fantoccini::elements::Element {
        self.run(
            &format!("find {css}"),
            COMMAND,
            self.client.find(fantoccini::Locator::Css(css)),
        )
        .await
    }

    /// Types `text` into the field `css` selects, as a person would.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.element(css).await;
        self.run(&format!("type into {css}"), COMMAND, field.send_keys(text))
            .await;
    }

    /// Chooses the file at `path` in the file input `css` selects.
    pub async fn choose_file(&self, css: &str, path: &Path) {
        let input = self.element(css).await;
        let path = path.to_str().expect("a UTF-8 file path");
        self.run(
            &format!("choose a file in {css}"),
            COMMAND,
            input.send_keys(path),
        )
        .await;
    }

    /// Clicks the first element `css` selects, on the page as it is (a
    /// checkbox, say).
    pub async fn click(&self, css: &str) {
        let element = self.element(css).await;
        self.run(&format!("click {css}"), COMMAND, element.click())
            .await;
    }

    /// Clicks the first element `css` selects (a form's button, a link)
    /// and waits until the next page has loaded.
    pub async fn submit(&self, css: &str) {
        self.mark_leaving().await;
        self.click(css).await;
        self.wait_for_new_page(&format!("clicking {css}")).await;
    }

    /// Sends `keys` (text, or WebDriver key codes such as [`TAB`] and
    /// [`ENTER`]) to the element that has the focus, as a keyboard would.
    pub async fn press(&self, keys: &str) {
        let focused = self
            .run(
                "find the focused element",
                COMMAND,
                self.client.active_element(),
            )
            .await;
        self.run("press keys", COMMAND, focused.send_keys(keys))
            .await;
    }

    /// Presses `keys` on the focused element and waits until the next
    /// page has loaded (Enter in a search field, say).
    pub async fn press_and_wait(&self, keys: &str) {
        self.mark_leaving().await;
        self.press(keys).await;
        self.wait_for_new_page("pressing a key").await;
    }

    /// A mark on this page's window: a new page has none.
    async fn mark_leaving(&self) {
        self.eval("window.__libresLeaving = true; return 0;").await;
    }

    /// Waits until a page other than the marked one has loaded; `after`
    /// names what was done, for the message when none comes.
    async fn wait_for_new_page(&self, after: &str) {
        let started = Instant::now();
        loop {
            let loaded = self
                .eval("return !window.__libresLeaving && document.readyState === 'complete';")
                .await;
            if loaded == Value::Bool(true) {
                return;
            }
            if started.elapsed() > PAGE_LOAD {
                panic!(
                    "browser: no new page within {PAGE_LOAD:?} after {after}\n{}",
                    self.driver.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks every element `css` selects (checkboxes, say); returns how
    /// many.
    pub async fn click_all(&self, css: &str) -> usize {
        let all = self
            .run(
                &format!("find {css}"),
                COMMAND,
                self.client.find_all(fantoccini::Locator::Css(css)),
            )
            .await;
        for element in &all {
            self.run(&format!("click {css}"), COMMAND, element.click())
                .await;
        }
        all.len()
    }

    /// The page's text, as the browser renders it.
    pub async fn text(&self) -> String {
        self.eval("return document.body.innerText;")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The path and query of the page shown.
    pub async fn location(&self) -> String {
        self.eval("return location.pathname + location.search;")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Resizes the window so that the page gets exactly `viewport`.
    pub async fn set_viewport(&self, viewport: Viewport) {
        let Viewport { width, height } = viewport;
        let mut window = (width, height);
        // Set the window, measure the viewport, correct by the difference
        // (no browser chrome in headless mode, so usually none).
        for _ in 0..2 {
            self.run(
                "resize the window",
                COMMAND,
                self.client.set_window_size(window.0, window.1),
            )
            .await;
            let inner = self.eval("return [innerWidth, innerHeight];").await;
            let (w, h) = (as_u32(&inner[0]), as_u32(&inner[1]));
            if (w, h) == (width, height) {
                return;
            }
            window = (
                (window.0 + width).saturating_sub(w),
                (window.1 + height).saturating_sub(h),
            );
        }
        let inner = self.eval("return [innerWidth, innerHeight];").await;
        panic!("asked for a {width}x{height} viewport, Chromium gives {inner}");
    }

    /// Saves a PNG of the whole page (not only what the viewport shows)
    /// at `path`, creating its directory. The viewport is unchanged
    /// afterwards.
    pub async fn save_screenshot(&self, path: &Path) {
        let size = self
            .eval(
                "return [innerWidth, innerHeight, \
                 Math.ceil(document.documentElement.scrollHeight)];",
            )
            .await;
        let viewport = Viewport {
            width: as_u32(&size[0]),
            height: as_u32(&size[1]),
        };
        // WebDriver shoots the viewport only: stretch it to the page's
        // height (bounded, in case a page ever grows without end).
        let page_height = as_u32(&size[2]).clamp(viewport.height, 8_000);
        if page_height > viewport.height {
            self.set_viewport(Viewport {
                height: page_height,
                ..viewport
            })
            .await;
        }
        let png = self
            .run("take a screenshot", COMMAND, self.client.screenshot())
            .await;
        if page_height > viewport.height {
            self.set_viewport(viewport).await;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        }
        std::fs::write(path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// What the page said on the console since the last call (reading
    /// empties it): failed loads, Content-Security-Policy violations,
    /// script errors.
    pub async fn console(&self) -> Vec<ConsoleEntry> {
        let log = self
            .run(
                "read the browser console",
                COMMAND,
                self.client.issue_cmd(BrowserLog),
            )
            .await;
        log.as_array()
            .unwrap_or_else(|| panic!("chromedriver's log is not a list: {log}"))
            .iter()
            .map(|e| ConsoleEntry {
                level: e["level"].as_str().unwrap_or("?").to_owned(),
                message: e["message"].as_str().unwrap_or("").to_owned(),
            })
            .collect()
    }

    /// Ends the session (Chromium quits) and stops chromedriver. Dropping
    /// the browser does the same; this only does it while the test can
    /// still report a failure to do so.
    pub async fn close(self) {
        let Browser {
            client,
            driver,
            _profile,
        } = self;
        match tokio::time::timeout(COMMAND, client.close()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => panic!("close the browser session: {e}\n{}", driver.log_tail()),
            Err(_) => panic!(
                "the browser session did not close within {COMMAND:?}\n{}",
                driver.log_tail()
            ),
        }
    }

    /// Awaits one WebDriver command, bounded by `limit`; panics with
    /// chromedriver's last log lines if it fails.
    async fn run<T, E: std::fmt::Display>(
        &self,
        what: &str,
        limit: Duration,
        command: impl Future<Output = Result<T, E>>,
    ) -> T {
        match tokio::time::timeout(limit, command).await {
            Ok(Ok(v)) => v,
            Ok(Err(e)) => panic!("browser: {what}: {e}\n{}", self.driver.log_tail()),
            Err(_) => panic!(
                "browser: {what}: no answer within {limit:?}\n{}",
                self.driver.log_tail()
            ),
        }
    }
}

/// The session we ask for: Chromium at `chromium`, headless, with its
/// profile in `profile` and nothing running in the background that would
/// reach the network or slow a small machine down.
fn capabilities(chromium: &Path, profile: &Path, viewport: Viewport) -> Capabilities {
    let args = [
        "--headless=new".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--no-first-run".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--hide-scrollbars".to_owned(),
        "--force-device-scale-factor=1".to_owned(),
        format!("--window-size={},{}", viewport.width, viewport.height),
        format!("--user-data-dir={}", profile.display()),
    ];
    let caps = json!({
        "browserName": "chrome",
        "pageLoadStrategy": "normal",
        "timeouts": {
            "pageLoad": PAGE_LOAD.as_millis() as u64,
            "script": COMMAND.as_millis() as u64,
            "implicit": 0,
        },
        "goog:chromeOptions": {
            "binary": chromium.display().to_string(),
            "args": args,
        },
        "goog:loggingPrefs": { "browser": "ALL" },
    });
    match caps {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}

fn as_u32(v: &Value) -> u32 {
    v.as_f64()
        .map(|f| f.round() as u32)
        .unwrap_or_else(|| panic!("expected a number from the page, got {v}"))
}

/// chromedriver's console log command (`POST /session/{id}/se/log`), which
/// the W3C protocol lacks and fantoccini therefore does not wrap.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or("")))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (Method, Option<String>) {
        (Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// `$var` if set (it must exist), else `name` on `PATH`, else
/// `/usr/bin/name`. Panics with installation instructions otherwise.
fn find_program(var: &str, name: &str) -> PathBuf {
    if let Some(p) = std::env::var_os(var).filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        if p.is_file() {
            return p;
        }
        panic!("{var}={} does not exist.\n{HOW_TO_INSTALL}", p.display());
    }
    let on_path = std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
        .unwrap_or_default();
    on_path
        .or_else(|| Some(Path::new("/usr/bin").join(name)).filter(|p| p.is_file()))
        .unwrap_or_else(|| {
            panic!("`{name}` not found (not in ${var}, on PATH or in /usr/bin).\n{HOW_TO_INSTALL}")
        })
}

/// Where the browser tests save screenshots: `screenshots/` in the
/// workspace's target directory (`$CARGO_TARGET_DIR`, a relative one taken
/// from the workspace root, or `target/`).
pub fn screenshots_dir() -> PathBuf {
    // This crate sits at <workspace>/crates/libres-testkit.
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .unwrap_or(Path::new("."));
    let target = match std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        Some(d) => workspace.join(d), // an absolute path replaces `workspace`
        None => workspace.join("target"),
    };
    target.join("screenshots")
}

/// A chromedriver child process on a local port.
struct Chromedriver {
    child: Child,
    addr: SocketAddr,
    // Its output and its log, for failure messages.
    dir_path: PathBuf,
    _dir: tempfile::TempDir,
}

impl Chromedriver {
    /// Starts chromedriver on a free port and waits until it is ready.
    async fn start(program: &Path) -> Chromedriver {
        // The port is free when we look and taken by chromedriver a moment
        // later; another process may take it in between, so try again a
        // few times if chromedriver exits at once.
        let mut failures = Vec::new();
        for _ in 0..3 {
            let mut driver = Chromedriver::spawn(program);
            match driver.wait_ready().await {
                Ok(()) => return driver,
                Err(e) => failures.push(format!("{e}\n{}", driver.log_tail())),
            }
        }
        panic!(
            "chromedriver ({}) did not start:\n{}\n{HOW_TO_INSTALL}",
            program.display(),
            failures.join("\n")
        );
    }

    fn spawn(program: &Path) -> Chromedriver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("find a free local port")
            .port();
        let dir = tempfile::Builder::new()
            .prefix("libres-chromedriver-")
            .tempdir()
            .expect("create a temporary directory");
        let out = std::fs::File::create(dir.path().join(OUTPUT))
            .expect("create a file for chromedriver's output");
        let err = out.try_clone().expect("clone a file handle");
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            // Every command and answer, and what Chromium said when it
            // would not start.
            .arg(format!("--log-path={}", dir.path().join(LOG).display()))
            .arg("--log-level=INFO")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run chromedriver ({}): {e}\n{HOW_TO_INSTALL}",
                    program.display()
                )
            });
        Chromedriver {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            dir_path: dir.path().to_owned(),
            _dir: dir,
        }
    }

    /// Polls `/status` until chromedriver says it is ready, it exits, or
    /// [`DRIVER_READY`] passes.
    async fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + DRIVER_READY;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("chromedriver exited ({status})"));
            }
            let status = crate::client::try_get(self.addr, "/status", &[]);
            let last = match tokio::time::timeout(Duration::from_secs(5), status)
                .await
                .unwrap_or_else(|_| Err("/status did not answer".to_owned()))
            {
                Ok(res) if res.status.is_success() => {
                    let body: Value = serde_json::from_slice(&res.body).unwrap_or(Value::Null);
                    if body["value"]["ready"] == Value::Bool(true) {
                        return Ok(());
                    }
                    format!("not ready: {body}")
                }
                Ok(res) => format!("/status answered {}", res.status),
                Err(e) => e,
            };
            if Instant::now() >= deadline {
                return Err(format!(
                    "chromedriver was not ready within {DRIVER_READY:?} ({last})"
                ));
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The WebDriver URL.
    fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// What chromedriver printed and the end of its log, for failure
    /// messages (the files go with the test).
    fn log_tail(&self) -> String {
        let read =
            |name: &str| std::fs::read_to_string(self.dir_path.join(name)).unwrap_or_default();
        let output = read(OUTPUT);
        let log = read(LOG);
        let lines: Vec<&str> = log.lines().collect();
        let tail: Vec<String> = lines[lines.len().saturating_sub(LOG_LINES)..]
            .iter()
            // Answers can carry whole pages or screenshots.
            .map(|l| match l.char_indices().nth(300) {
                Some((i, _)) => format!("{}…", &l[..i]),
                None => (*l).to_owned(),
            })
            .collect();
        format!(
            "--- chromedriver's output ---\n{}\n--- the end of its log ---\n{}",
            output.trim_end(),
            tail.join("\n")
        )
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            // chromedriver's own shutdown quits every browser it started.
            shutdown(self.addr);
            let deadline = Instant::now() + DRIVER_EXIT;
            while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(POLL);
            }
            if let Ok(None) = self.child.try_wait() {
                let _ = self.child.kill();
            }
        }
        let _ = self.child.wait();
    }
}

/// `GET /shutdown`, blocking (this runs in `drop`, maybe while a test
/// unwinds, where nothing can be awaited). Errors are ignored: the caller
/// kills the process if it is still there.
fn shutdown(addr: SocketAddr) {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(DRIVER_EXIT));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET /shutdown HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_ok() {
        let _ = stream.read_to_end(&mut Vec::new());
    }
}
