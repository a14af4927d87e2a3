//! The pages in a real browser: headless Chromium, driven over WebDriver
//! (see `libres_testkit::browser`).
//!
//! The other tests read the HTML; these check what only a browser knows:
//! that Arabic pages are laid out right to left, that a page asks for
//! nothing outside the site, and how the pages look (screenshots in
//! `target/screenshots/`, for a person to review).

use crate::fixtures::{seed, CU1};
use libres_core::EventKind;
use libres_testkit::browser::{screenshots_dir, Browser, Viewport, ENTER, TAB};
use libres_testkit::{spawn_app, PersonBuilder, TestApp};
use libres_web::Lang;
use serde_json::Value;
use std::path::Path;

/// A person whose name is written in Arabic script, searched for in Arabic.
const ARABIC_ID: &str = "VE-0002";
const ARABIC_NAME: &str = "ليلى حداد";
const ARABIC_QUERY: &str = "حداد";

/// How far (CSS px) text may sit from the edge it should start at.
const EDGE: f64 = 2.0;

/// A page to look at, and text it must show.
struct Page {
    /// Screenshot name: `{lang}-{name}.png`.
    name: &'static str,
    path: String,
    expect: &'static str,
}

fn pages(lang: Lang) -> Vec<Page> {
    let l = lang.code();
    let mut pages = vec![
        Page {
            name: "home",
            path: format!("/{l}/"),
            expect: "Libres",
        },
        Page {
            name: "search",
            path: format!("/{l}/persons?q=gonzalez+garcia"),
            expect: "Yoandri González García",
        },
        Page {
            name: "person",
            path: format!("/{l}/persons/{CU1}"),
            expect: "Excarcelaciones condicionales en La Habana",
        },
    ];
    if lang == Lang::Ar {
        pages.push(Page {
            name: "search-arabic",
            path: format!("/{l}/persons?q={ARABIC_QUERY}"),
            expect: ARABIC_NAME,
        });
    }
    pages
}

/// What the page looks like to the browser, measured in one script.
const MEASURE: &str = r#"
const box = el => {
  if (!el) return null;
  const r = el.getBoundingClientRect();
  return { left: r.left, right: r.right };
};
const h1 = document.querySelector("main h1");
let firstLine = null;
if (h1) {
  // The heading's text, not its block: the first line's first piece.
  const range = document.createRange();
  range.selectNodeContents(h1);
  firstLine = Array.from(range.getClientRects()).find(r => r.width > 0) || null;
}
const entries = performance.getEntriesByType("navigation")
  .concat(performance.getEntriesByType("resource"));
return {
  dir: document.documentElement.dir,
  bodyDirection: getComputedStyle(document.body).direction,
  heading: h1 ? h1.textContent.trim() : null,
  headingLine: firstLine && { left: firstLine.left, right: firstLine.right },
  main: box(document.querySelector("main")),
  header: box(document.querySelector("header")),
  siteName: box(document.querySelector("header .site")),
  clientWidth: document.documentElement.clientWidth,
  scrollWidth: document.documentElement.scrollWidth,
  scripts: document.getElementsByTagName("script").length,
  requests: entries.map(e => e.name),
  stylesheets: Array.from(document.styleSheets).map(s => {
    let rules = null; // another origin's rules are not ours to read
    try { rules = s.cssRules.length; } catch (e) {}
    return { href: s.href, rules };
  }),
  text: document.body.innerText,
};
"#;

#[tokio::test]
async fn arabic_pages_lay_out_right_to_left_and_load_nothing_from_elsewhere_in_chromium() {
    let Some(browser) = Browser::launch(Viewport::DESKTOP).await else {
        return;
    };
    let app = spawn_app().await;
    seed(&app).await;
    app.insert([PersonBuilder::new(ARABIC_ID, "ليلى", "حداد")
        .country("VE")
        .province("Caracas")
        .case()
        .event(EventKind::Arrest, "2024-11")
        .build()])
        .await;

    let dir = screenshots_dir();
    let mut problems = Vec::new();
    for (viewport, suffix) in [(Viewport::DESKTOP, ""), (Viewport::PHONE, "-phone")] {
        browser.set_viewport(viewport).await;
        for lang in [Lang::Es, Lang::Ar] {
            for page in pages(lang) {
                let shot = dir.join(format!("{}-{}{suffix}.png", lang.code(), page.name));
                let found = look_at(&browser, &app, lang, &page, &shot).await;
                problems.extend(
                    found
                        .into_iter()
                        .map(|p| format!("{} at {}px: {p}", page.path, viewport.width)),
                );
            }
        }
    }
    browser.close().await;
    assert!(
        problems.is_empty(),
        "{} problem(s) in the browser (screenshots in {}):\n{}",
        problems.len(),
        dir.display(),
        problems.join("\n")
    );
}

/// Opens `page` in `lang`, saves its screenshot at `shot`, and returns
/// what is wrong with it.
async fn look_at(
    browser: &Browser,
    app: &TestApp,
    lang: Lang,
    page: &Page,
    shot: &Path,
) -> Vec<String> {
    browser.goto(&app.url(&page.path)).await;
    let m = browser.eval(MEASURE).await;
    let mut problems = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            problems.push(what);
        }
    };

    // What it shows.
    let text = m["text"].as_str().unwrap_or("");
    check(
        text.contains(page.expect),
        format!("does not show {:?}", page.expect),
    );

    // Direction, as declared and as the browser computes it.
    let dir = lang.dir();
    check(
        m["dir"] == dir,
        format!("<html dir> is {}, expected {dir}", m["dir"]),
    );
    check(
        m["bodyDirection"] == dir,
        format!("the body's computed direction is {}", m["bodyDirection"]),
    );

    // Layout: the heading starts at the right edge of the content in
    // Arabic and at the left edge otherwise; so does the site's name in
    // the header (the flex row is mirrored).
    let rtl = dir == "rtl";
    let side = if rtl { "right" } else { "left" };
    match (rect(&m["headingLine"]), rect(&m["main"])) {
        (Some(line), Some(main)) => check(
            starts_at_its_side(line, main, rtl),
            format!(
                "the heading {:?} should start at the {side}: its first line spans \
                 {:.0}..{:.0}px in content {:.0}..{:.0}px",
                m["heading"], line.0, line.1, main.0, main.1
            ),
        ),
        _ => check(false, "no <main> with an <h1>".to_owned()),
    }
    match (rect(&m["siteName"]), rect(&m["header"])) {
        (Some(site), Some(header)) => check(
            starts_at_its_side(site, header, rtl),
            format!(
                "the site's name should be at the {side} of the header: \
                 {:.0}..{:.0}px in {:.0}..{:.0}px",
                site.0, site.1, header.0, header.1
            ),
        ),
        _ => check(false, "no site name in a <header>".to_owned()),
    }
    let (scroll, client) = (m["scrollWidth"].as_f64(), m["clientWidth"].as_f64());
    check(
        matches!((scroll, client), (Some(s), Some(c)) if s <= c),
        format!(
            "scrolls sideways: {}px wide in a {}px window",
            m["scrollWidth"], m["clientWidth"]
        ),
    );

    // Nothing from elsewhere: every request the page made (the page
    // itself included) went to the site, and nothing ran.
    let origin = app.origin();
    let requests: Vec<&str> = strings(&m["requests"]);
    check(
        !requests.is_empty(),
        "the browser recorded no request at all".to_owned(),
    );
    let outside: Vec<&str> = requests
        .iter()
        .copied()
        .filter(|u| !is_on(u, &origin))
        .collect();
    check(
        outside.is_empty(),
        format!("requested outside {origin}: {outside:?}"),
    );
    let sheets = m["stylesheets"].as_array().cloned().unwrap_or_default();
    check(
        sheets.len() == 1
            && sheets.iter().all(|s| {
                s["href"].as_str().is_some_and(|h| is_on(h, &origin))
                    && s["rules"].as_u64().unwrap_or(0) > 0
            }),
        format!("expected our one stylesheet, applied; found {sheets:?}"),
    );
    check(
        m["scripts"] == 0,
        format!("has {} <script> element(s)", m["scripts"]),
    );
    // A blocked attempt leaves no request behind, only a console message
    // (a Content-Security-Policy violation, a failed load). The site
    // answers /favicon.ico with an empty 204, so no message is expected.
    let console: Vec<String> = browser
        .console()
        .await
        .into_iter()
        .filter(|e| e.level == "SEVERE" || e.level == "WARNING")
        .map(|e| format!("{}: {}", e.level, e.message))
        .collect();
    check(
        console.is_empty(),
        format!("the console has errors: {console:?}"),
    );

    browser.save_screenshot(shot).await;
    let png = std::fs::read(shot).unwrap_or_default();
    check(
        png.len() > 1_000 && png.starts_with(b"\x89PNG\r\n\x1a\n"),
        format!("{} is not a PNG", shot.display()),
    );
    problems
}

/// `(left, right)` of a measured box.
fn rect(v: &Value) -> Option<(f64, f64)> {
    Some((v["left"].as_f64()?, v["right"].as_f64()?))
}

/// Whether `inner` starts at the start edge of `outer`: the right edge in
/// a right-to-left page, the left otherwise; and sits nearer that edge
/// than the other.
fn starts_at_its_side(inner: (f64, f64), outer: (f64, f64), rtl: bool) -> bool {
    let gap_left = inner.0 - outer.0;
    let gap_right = outer.1 - inner.1;
    let (start, end) = if rtl {
        (gap_right, gap_left)
    } else {
        (gap_left, gap_right)
    };
    start.abs() <= EDGE && start <= end
}

/// Whether `url` is on `origin` (`http://host:port`).
fn is_on(url: &str, origin: &str) -> bool {
    url.strip_prefix(origin)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// A reader's way through the site in Chromium: a search with misspelled
/// names finds the case, the case page reads in words, and the country's
/// monthly report shows the release; and every page on the way, and the
/// others a reader meets, in Spanish and Arabic, passes axe-core's WCAG
/// 2.1 A and AA rules.
#[tokio::test]
async fn a_misspelled_search_leads_to_the_case_and_the_report_and_every_page_passes_axe_in_chromium(
) {
    let Some(browser) = Browser::launch(Viewport::DESKTOP).await else {
        return;
    };
    let app = spawn_app().await;
    seed(&app).await;

    // Spelled as it sounds, typed into the form.
    browser.goto(&app.url("/es/persons")).await;
    browser.fill("input[name=q]", "Yoandry Gonsales").await;
    browser.submit("form.search button[type=submit]").await;
    let found = browser.text().await;
    assert!(found.contains("1 persona"), "{found}");
    browser
        .submit(&format!("a[href='/es/persons/{CU1}']"))
        .await;
    assert!(browser
        .location()
        .await
        .ends_with(&format!("/es/persons/{CU1}")));
    let case = browser.text().await;
    for expected in [
        "Detención — Fecha de arresto: 11 de julio de 2021",
        "Edad en la primera detención",
        "Fin de la condena",
        "11 de julio de 2029",
    ] {
        assert!(case.contains(expected), "missing {expected:?} in\n{case}");
    }
    // A misspelling that changes the sound is offered the right name.
    browser
        .goto(&app.url("/es/persons?q=gonzalez+garica"))
        .await;
    browser.submit("p.suggest a").await;
    assert!(browser.text().await.contains("Yoandri González García"));
    // The month of the release.
    browser.goto(&app.url("/es/countries/CU/2025-01")).await;
    let report = browser.text().await;
    assert!(
        report.contains("Cuba: informe de enero de 2025"),
        "{report}"
    );
    assert!(report.contains("Libertad condicional"), "{report}");

    // axe really runs: an image without a text alternative is caught.
    browser
        .eval(r#"document.querySelector("main").insertAdjacentHTML("beforeend", "<img src='/static/none.png'>"); return 0;"#)
        .await;
    let caught = browser.axe_violations().await;
    assert!(
        caught.iter().any(|v| v.starts_with("image-alt:")),
        "axe did not report a planted violation: {caught:?}"
    );

    let mut problems = Vec::new();
    for lang in [Lang::Es, Lang::Ar] {
        let l = lang.code();
        for path in [
            format!("/{l}/"),
            format!("/{l}/persons"),
            format!("/{l}/persons?q=gonsales+garsia"),
            format!("/{l}/persons?q=gonzalez+garica"),
            format!("/{l}/persons/{CU1}"),
            format!("/{l}/countries/CU"),
            format!("/{l}/countries/CU/2025-01"),
            format!("/{l}/announcements"),
        ] {
            browser.goto(&app.url(&path)).await;
            problems.extend(
                browser
                    .axe_violations()
                    .await
                    .into_iter()
                    .map(|v| format!("{path}: {v}")),
            );
        }
    }
    browser.close().await;
    assert!(
        problems.is_empty(),
        "{} WCAG 2.1 AA violation(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The keyboard alone: from the top of an Arabic page, Tab reaches the
/// search field, Enter searches, and Tab reaches the case found, whose
/// link Enter follows. Every focused element shows an outline.
#[tokio::test]
async fn the_keyboard_alone_searches_and_opens_a_case_in_chromium() {
    let Some(browser) = Browser::launch(Viewport::PHONE).await else {
        return;
    };
    let app = spawn_app().await;
    seed(&app).await;
    browser.goto(&app.url("/ar/persons")).await;
    let focused = r#"const e = document.activeElement;
        return { name: e.getAttribute("name"), href: e.getAttribute("href"),
                 outline: getComputedStyle(e).outlineStyle };"#;
    let mut reached = false;
    for _ in 0..40 {
        browser.press(TAB).await;
        let f = browser.eval(focused).await;
        assert_ne!(
            f["outline"], "none",
            "a focused element shows no outline: {f}"
        );
        if f["name"] == "q" {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab never reached the search field");
    browser.press("yoandry").await;
    browser.press_and_wait(ENTER).await;
    assert!(browser.location().await.contains("q=yoandry"));
    let target = format!("/ar/persons/{CU1}");
    let mut on_case = false;
    for _ in 0..60 {
        browser.press(TAB).await;
        if browser.eval(focused).await["href"] == target.as_str() {
            on_case = true;
            break;
        }
    }
    assert!(on_case, "Tab never reached the case found");
    browser.press_and_wait(ENTER).await;
    assert!(browser.location().await.ends_with(&target));
    assert!(browser.text().await.contains("Yoandri González García"));
    browser.close().await;
}
