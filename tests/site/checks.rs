//! The sample site as its readers and their tools see it: links, budget, calendars and feeds on
//! every run; a real browser (headless Chromium), the W3C Nu HTML checker and axe-core when the
//! tools are installed. Those three are `#[ignore]`d so `cargo test` passes on a machine without
//! Chromium or Java; `.ci/run` installs the tools and runs them with `--include-ignored`.
//!
//! Environment: `BERDAYA_BROWSER` (default /usr/bin/chromium), `BERDAYA_VNU_JAR`,
//! `BERDAYA_AXE_JS`, `BERDAYA_LIGHTHOUSE` (Lighthouse's `cli/index.js`, run with Node.js on that
//! Chromium), and `BERDAYA_CHECK_OUTPUT` to check an existing build (CI checks the release
//! build of `output/`; otherwise the sample site is built into a temporary folder).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use headless_chrome::protocol::cdp::{Emulation, Network, Page as CdpPage};
use headless_chrome::{Browser, LaunchOptions, Tab};

use crate::support::*;

const BUDGET: u64 = 14 * 1024;

/// The built sample site to check.
fn sample_output() -> &'static Path {
    static OUT: OnceLock<(Option<tempfile::TempDir>, PathBuf)> = OnceLock::new();
    let (_, path) = OUT.get_or_init(|| {
        if let Ok(dir) = std::env::var("BERDAYA_CHECK_OUTPUT") {
            return (None, PathBuf::from(dir));
        }
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        let opts = berdaya::build::BuildOptions {
            output: Some(out.clone()),
            ..options(&repo())
        };
        berdaya::build::build(&opts).unwrap_or_else(|d| panic!("{d}"));
        (Some(tmp), out)
    });
    path
}

fn base_url() -> String {
    let config = berdaya::config::Config::load(&repo()).unwrap();
    format!("{}/", config.base_url)
}

#[test]
fn sample_output_links_budget_calendars_and_feeds() {
    let out = sample_output();
    assert_links_resolve(out);
    let all = files(out);
    let mut over = Vec::new();
    for f in all.iter().filter(|f| f.ends_with(".html")) {
        let gz =
            berdaya::output::encode::gzip(&std::fs::read(out.join(f)).unwrap(), 9).len() as u64;
        if gz > BUDGET {
            over.push(format!("{f}: {gz} B gzip"));
        }
    }
    assert!(
        over.is_empty(),
        "pages over 14 KB gzip:\n{}",
        over.join("\n")
    );
    let calendars: Vec<&String> = all.iter().filter(|f| f.ends_with(".ics")).collect();
    assert!(
        calendars.len() >= 8 * 2,
        "every workshop in both languages has a calendar"
    );
    for f in calendars {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        let cals = std::panic::catch_unwind(|| parse_ics(&text))
            .unwrap_or_else(|_| panic!("{f} is not valid iCalendar"));
        assert_eq!(cals.len(), 1, "{f}");
    }
    let base = base_url();
    for f in all
        .iter()
        .filter(|f| f.ends_with("atom.xml") || f.as_str() == "sitemap.xml")
    {
        assert_xml_lists_existing_pages(out, f, &base);
    }
}

/// Serves a folder on 127.0.0.1 as a web server would (directory → index.html, 404.html for a
/// missing path), until the test process ends.
fn serve(root: &Path) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || respond(stream, &root));
        }
    });
    format!("http://{addr}")
}

fn respond(mut stream: TcpStream, root: &Path) {
    let mut line = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let path = line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .split(['?', '#'])
        .next()
        .unwrap_or("/");
    let safe = !path.split('/').any(|seg| seg == "..");
    let file = root.join(file_of(path));
    let (status, body, file) = match std::fs::read(&file) {
        Ok(b) if safe => ("200 OK", b, file),
        _ => (
            "404 Not Found",
            std::fs::read(root.join("404.html")).unwrap_or_default(),
            root.join("404.html"),
        ),
    };
    let mime = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("xml") => "application/xml",
        Some("ics") => "text/calendar; charset=utf-8",
        Some("csv") => "text/csv; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("webp") => "image/webp",
        Some("jpg") => "image/jpeg",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

fn browser() -> Browser {
    let path = std::env::var("BERDAYA_BROWSER").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let profile = tempfile::tempdir().unwrap().keep();
    let args: Vec<&std::ffi::OsStr> = [
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--hide-scrollbars",
    ]
    .iter()
    .map(std::ffi::OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(PathBuf::from(path)))
        .headless(true)
        .sandbox(false)
        .enable_gpu(false)
        .window_size(Some((360, 740)))
        .user_data_dir(Some(profile))
        .idle_browser_timeout(Duration::from_secs(300))
        .args(args)
        .build()
        .unwrap();
    Browser::new(options)
        .expect("Chromium starts (BERDAYA_BROWSER names it; Debian: apt-get install chromium)")
}

fn phone(tab: &Tab) {
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width: 360,
        height: 740,
        device_scale_factor: 1.0,
        mobile: true,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .unwrap();
}

/// Saves what the tab shows as a PNG.
fn screenshot(tab: &Tab, to: &Path) {
    let png = tab
        .capture_screenshot(
            CdpPage::CaptureScreenshotFormatOption::Png,
            None,
            None,
            true,
        )
        .unwrap();
    std::fs::write(to, png).unwrap();
}

fn eval_bool(tab: &Tab, js: &str) -> bool {
    tab.evaluate(js, false)
        .unwrap()
        .value
        .and_then(|v| v.as_bool())
        .unwrap_or_else(|| panic!("{js} gave no boolean"))
}

fn eval_string(tab: &Tab, js: &str) -> String {
    tab.evaluate(js, false)
        .unwrap()
        .value
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Problems a reader would meet: console errors, failed requests, error responses.
type Problems = Arc<Mutex<Vec<String>>>;

fn watch(tab: &Tab) -> Problems {
    let problems: Problems = Arc::default();
    tab.enable_log().unwrap();
    tab.enable_runtime().unwrap();
    tab.call_method(Network::Enable {
        max_total_buffer_size: None,
        max_resource_buffer_size: None,
        max_post_data_size: None,
        report_direct_socket_traffic: None,
        enable_durable_messages: None,
    })
    .unwrap();
    let sink = problems.clone();
    tab.add_event_listener(Arc::new(
        move |event: &headless_chrome::protocol::cdp::types::Event| {
            use headless_chrome::protocol::cdp::types::Event;
            let problem = match event {
                Event::LogEntryAdded(e) if format!("{:?}", e.params.entry.level) == "Error" => {
                    Some(format!("console: {}", e.params.entry.text))
                }
                Event::RuntimeConsoleAPICalled(e) if format!("{:?}", e.params.Type) == "Error" => {
                    Some("console.error".to_string())
                }
                Event::RuntimeExceptionThrown(e) => {
                    Some(format!("exception: {}", e.params.exception_details.text))
                }
                Event::NetworkLoadingFailed(e) => {
                    Some(format!("request failed: {}", e.params.error_text))
                }
                Event::NetworkResponseReceived(e) if e.params.response.status >= 400 => {
                    Some(format!(
                        "HTTP {} for {}",
                        e.params.response.status, e.params.response.url
                    ))
                }
                _ => None,
            };
            if let Some(p) = problem {
                sink.lock().unwrap().push(p);
            }
        },
    ))
    .unwrap();
    problems
}

/// (name, Indonesian path, English path) of the pages every reader meets.
fn key_pages(out: &Path) -> Vec<(&'static str, String, String)> {
    let first = |dir: &str| -> String {
        let mut pages: Vec<String> = files(&out.join(dir))
            .into_iter()
            .filter(|f| {
                f.ends_with("/index.html") && f.matches('/').count() == 1 && !f.starts_with("page/")
            })
            .collect();
        pages.sort();
        format!("/{dir}/{}", pages[0].trim_end_matches("index.html"))
    };
    let html = |path: &str| std::fs::read_to_string(out.join(file_of(path))).unwrap();
    let english = |path: &str| -> String {
        let page = html(path);
        let marker = "hreflang=en lang=en";
        let end = page
            .find(marker)
            .unwrap_or_else(|| panic!("{path} has no English link"));
        let start = page[..end].rfind("href=").unwrap() + 5;
        page[start..end].trim().trim_matches('"').to_string()
    };
    let mut pages = vec![("home", "/".to_string())];
    pages.push(("tip", first("tips")));
    pages.push(("workshop", first("pelatihan")));
    pages.push(("schedule", "/pelatihan/".to_string()));
    pages.push(("story", first("kisah")));
    if out.join("dampak/index.html").is_file() {
        pages.push(("impact", "/dampak/".to_string()));
        // An outcome page: its data tables sit in <details>.
        pages.push(("impact-outcome", first("dampak")));
        pages.push(("impact-method", "/dampak/metode/".to_string()));
        pages.push(("impact-quality", "/dampak/kualitas-data/".to_string()));
    }
    pages.push((
        "tip-with-photo",
        "/tips/memotret-produk-dengan-ponsel/".to_string(),
    ));
    pages.push(("search", "/cari/".to_string()));
    pages.push(("404", "/404.html".to_string()));
    pages
        .into_iter()
        .map(|(name, id)| (name, english(&id), id))
        .map(|(n, en, id)| (n, id, en))
        .collect()
}

#[test]
#[ignore = "needs Chromium: BERDAYA_BROWSER=/usr/bin/chromium cargo test -- --ignored (.ci/run does this)"]
fn browser_pages_work_on_a_phone_without_javascript_and_in_print() {
    let out = sample_output();
    let base = serve(out);
    let browser = browser();
    let shots = repo().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let mut failures = Vec::new();
    for (name, id_path, en_path) in key_pages(out) {
        for (lang, path, other_lang, other_path) in [
            ("id", &id_path, "en", &en_path),
            ("en", &en_path, "id", &id_path),
        ] {
            let page = format!("{name} ({lang}) {path}");
            let tab = browser.new_tab().unwrap();
            phone(&tab);
            let problems = watch(&tab);
            tab.navigate_to(&format!("{base}{path}"))
                .unwrap()
                .wait_until_navigated()
                .unwrap();
            std::thread::sleep(Duration::from_millis(100));
            let mut fail = |what: String| failures.push(format!("{page}: {what}"));
            for p in problems.lock().unwrap().iter() {
                fail(p.clone());
            }
            if eval_string(&tab, "document.documentElement.lang") != lang {
                fail(format!("lang is not {lang}"));
            }
            if !eval_bool(
                &tab,
                "document.documentElement.scrollWidth <= window.innerWidth",
            ) {
                fail(format!(
                    "scrolls sideways at 360 px: {} px wide",
                    eval_string(&tab, "String(document.documentElement.scrollWidth)")
                ));
            }
            let smallest = eval_string(
                &tab,
                r#"(() => { let min = 99, where = ''; const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                   while (w.nextNode()) { const n = w.currentNode; if (!n.textContent.trim()) continue;
                     const el = n.parentElement; const s = getComputedStyle(el);
                     if (s.display === 'none' || s.visibility === 'hidden' || el.closest('.skip')) continue;
                     const px = parseFloat(s.fontSize); if (px < min) { min = px; where = el.tagName + ': ' + n.textContent.trim().slice(0, 30); } }
                   return min + ' ' + where; })()"#,
            );
            let px: f64 = smallest
                .split(' ')
                .next()
                .unwrap_or("0")
                .parse()
                .unwrap_or(0.0);
            if px < 12.0 {
                fail(format!("text smaller than 12 px: {smallest}"));
            }
            // The language switch leads to this page's translation.
            let switch = eval_string(
                &tab,
                &format!(
                    "(document.querySelector('header a[hreflang={other_lang}]')||{{}}).getAttribute?.('href') || ''"
                ),
            );
            if switch != *other_path {
                fail(format!(
                    "language switch goes to {switch:?}, not {other_path}"
                ));
            }
            screenshot(&tab, &shots.join(format!("{name}-{lang}.png")));
            // Print: navigation hidden, content kept.
            tab.call_method(Emulation::SetEmulatedMedia {
                media: Some("print".into()),
                features: None,
            })
            .unwrap();
            if !eval_bool(
                &tab,
                "getComputedStyle(document.querySelector('header nav')).display === 'none'",
            ) {
                fail("print shows the navigation".into());
            }
            if !eval_bool(
                &tab,
                "document.querySelector('main').innerText.trim().length > 20 && getComputedStyle(document.querySelector('main')).display !== 'none'",
            ) {
                fail("print hides the content".into());
            }
            if !eval_bool(
                &tab,
                "[...document.querySelectorAll('main svg')].every(s => getComputedStyle(s).display !== 'none')",
            ) {
                fail("print hides a chart".into());
            }
            if !eval_bool(
                &tab,
                "[...document.querySelectorAll('main details table')].every(t => t.checkVisibility())",
            ) {
                fail("print hides a data table".into());
            }
            tab.call_method(Emulation::SetEmulatedMedia {
                media: Some(String::new()),
                features: None,
            })
            .unwrap();
            let _ = tab.close(false);
            // Without JavaScript (in a fresh tab, scripts off before the page loads): all content
            // and navigation are in the HTML.
            let tab = browser.new_tab().unwrap();
            phone(&tab);
            tab.call_method(Emulation::SetScriptExecutionDisabled { value: true })
                .unwrap();
            tab.navigate_to(&format!("{base}{path}"))
                .unwrap()
                .wait_until_navigated()
                .unwrap();
            let nav: Vec<String> = tab
                .wait_for_elements("header nav a")
                .map(|els| {
                    els.iter()
                        .filter_map(|e| e.get_attribute_value("href").ok().flatten())
                        .collect()
                })
                .unwrap_or_default();
            let mut fail = |what: String| failures.push(format!("{page}: {what}"));
            if nav.len() < 3 {
                fail(format!(
                    "without JavaScript the menu has {} links",
                    nav.len()
                ));
            }
            // The only script: the search page's own progressive enhancement.
            if !eval_bool(
                &tab,
                "[...document.scripts].every(s => s.getAttribute('src') && s.getAttribute('src').endsWith('/cari.js') && location.pathname.endsWith('/cari/'))",
            ) {
                fail("the page has a <script>".into());
            }
            if let Some(target) = nav.first() {
                tab.navigate_to(&format!("{base}{target}"))
                    .unwrap()
                    .wait_until_navigated()
                    .unwrap();
                if tab.wait_for_element("main h1").is_err() {
                    fail(format!(
                        "without JavaScript the menu link {target} shows no heading"
                    ));
                }
            }
            let _ = tab.close(false);
        }
    }
    assert!(
        failures.is_empty(),
        "{} browser problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
#[ignore = "needs Chromium and axe-core: BERDAYA_AXE_JS=path/to/axe.min.js cargo test -- --ignored (.ci/run does this)"]
fn axe_finds_no_wcag_a_or_aa_violations_on_any_page() {
    let axe = std::fs::read_to_string(
        std::env::var("BERDAYA_AXE_JS").expect("BERDAYA_AXE_JS names axe.min.js"),
    )
    .expect("axe.min.js is readable");
    let out = sample_output();
    let base = serve(out);
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    phone(&tab);
    let mut failures = Vec::new();
    let pages: Vec<String> = files(out)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    for f in &pages {
        let url = format!("{base}/{}", f.trim_end_matches("index.html"));
        tab.navigate_to(&url)
            .unwrap()
            .wait_until_navigated()
            .unwrap();
        tab.evaluate(&axe, false).unwrap();
        let result = tab
            .evaluate(
                "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })
                   .then(r => JSON.stringify(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))))",
                true,
            )
            .unwrap();
        let text = result
            .value
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| "[\"axe did not run\"]".into());
        let violations: Vec<String> = serde_json::from_str(&text).unwrap();
        for v in violations {
            failures.push(format!("{f}: {v}"));
        }
    }
    assert!(pages.len() > 100, "checked {} pages", pages.len());
    assert!(
        failures.is_empty(),
        "{} axe violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The number of pages of a PDF written by Chromium (its page objects; Chromium writes no
/// object streams), and the size of its first page in points.
fn pdf_pages(pdf: &[u8]) -> (usize, String) {
    let text = String::from_utf8_lossy(pdf);
    let pages = text
        .match_indices("/Type /Page")
        .filter(|(i, m)| !text[i + m.len()..].starts_with('s'))
        .count();
    let media = text
        .find("/MediaBox [")
        .map(|i| text[i + 11..].split(']').next().unwrap_or("").to_string())
        .unwrap_or_default();
    (pages, media)
}

#[test]
#[ignore = "needs Chromium: BERDAYA_BROWSER=/usr/bin/chromium cargo test -- --ignored (.ci/run does this)"]
fn the_report_prints_on_a4_and_an_outcome_page_on_at_most_three_pages() {
    let out = sample_output();
    let base = serve(out);
    let browser = browser();
    let mut pages = vec!["/dampak/".to_string(), "/en/impact/".to_string()];
    for dir in ["dampak", "en/impact"] {
        let config = berdaya::impact::config::ImpactConfig::load(&repo())
            .unwrap()
            .unwrap();
        for o in &config.outcomes {
            pages.push(format!("/{dir}/{}/", o.id));
        }
    }
    let mut failures = Vec::new();
    for path in &pages {
        let tab = browser.new_tab().unwrap();
        tab.navigate_to(&format!("{base}{path}"))
            .unwrap()
            .wait_until_navigated()
            .unwrap();
        let pdf = tab
            .print_to_pdf(Some(headless_chrome::types::PrintToPdfOptions {
                prefer_css_page_size: Some(true),
                display_header_footer: Some(false),
                ..Default::default()
            }))
            .unwrap();
        let (count, media) = pdf_pages(&pdf);
        let size: Vec<f64> = media
            .split_whitespace()
            .filter_map(|v| v.parse().ok())
            .collect();
        // A4 is 595 × 842 points.
        if size.len() != 4 || (size[2] - 595.0).abs() > 2.0 || (size[3] - 842.0).abs() > 2.0 {
            failures.push(format!("{path}: page size {media}, not A4"));
        }
        if count == 0 || count > 3 {
            failures.push(format!("{path}: {count} A4 pages"));
        }
        // Each chart's title, chart and data table print as one block.
        let kept = tab
            .evaluate(
                "(() => { return [...document.querySelectorAll('main figure')].every(f => f.querySelector('.chart-title') && f.querySelector('svg') && (!f.querySelector('details') || f.querySelector('table'))); })()",
                false,
            )
            .unwrap()
            .value
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if !kept {
            failures.push(format!("{path}: a figure lacks its title, chart or table"));
        }
        let _ = tab.close(false);
    }
    assert!(
        failures.is_empty(),
        "{} print problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
#[ignore = "needs Chromium, Node.js and Lighthouse: BERDAYA_LIGHTHOUSE=path/to/lighthouse/cli/index.js cargo test -- --ignored (.ci/run does this)"]
fn lighthouse_mobile_accessibility_is_100_on_every_page_type() {
    let cli = std::env::var("BERDAYA_LIGHTHOUSE").expect("BERDAYA_LIGHTHOUSE names cli/index.js");
    let chromium =
        std::env::var("BERDAYA_BROWSER").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    let out = sample_output();
    let base = serve(out);
    let report = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, id_path, en_path) in key_pages(out) {
        for path in [id_path, en_path] {
            let json = report.path().join("lighthouse.json");
            let status = std::process::Command::new("node")
                .arg(&cli)
                .arg(format!("{base}{path}"))
                .args([
                    "--only-categories=accessibility",
                    "--form-factor=mobile",
                    "--output=json",
                    "--quiet",
                    "--chrome-flags=--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync",
                ])
                .arg(format!("--output-path={}", json.display()))
                .env("CHROME_PATH", &chromium)
                .status()
                .expect("node runs Lighthouse");
            assert!(status.success(), "Lighthouse failed on {path}");
            let result: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
            let score = result["categories"]["accessibility"]["score"]
                .as_f64()
                .unwrap_or(0.0);
            checked += 1;
            if score < 1.0 {
                let failed: Vec<String> = result["audits"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .filter(|(_, a)| a["score"].as_f64().is_some_and(|s| s < 1.0))
                    .map(|(k, a)| format!("{k}: {}", a["title"].as_str().unwrap_or("")))
                    .collect();
                failures.push(format!(
                    "{name} {path}: {:.0} ({})",
                    score * 100.0,
                    failed.join("; ")
                ));
            }
        }
    }
    assert!(checked >= 18, "checked {checked} pages");
    assert!(
        failures.is_empty(),
        "Lighthouse mobile accessibility below 100:\n{}",
        failures.join("\n")
    );
}

#[test]
#[ignore = "needs Java and the Nu HTML checker: BERDAYA_VNU_JAR=path/to/vnu.jar cargo test -- --ignored (.ci/run does this)"]
fn w3c_html_checker_finds_no_errors_on_any_page() {
    let jar = std::env::var("BERDAYA_VNU_JAR").expect("BERDAYA_VNU_JAR names vnu.jar");
    let out = sample_output();
    let pages: Vec<PathBuf> = files(out)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| out.join(f))
        .collect();
    let result = std::process::Command::new("java")
        .args(["-jar", &jar, "--errors-only", "--format", "json"])
        .args(&pages)
        .output()
        .expect("java runs (Debian: apt-get install default-jre-headless)");
    let report: serde_json::Value = serde_json::from_slice(&result.stderr).unwrap_or_else(|_| {
        panic!(
            "vnu printed no JSON: {}",
            String::from_utf8_lossy(&result.stderr)
        )
    });
    let errors: Vec<String> = report["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| {
            let file = m["url"].as_str().unwrap_or("").trim_start_matches("file:");
            let file = file.strip_prefix(out.to_str().unwrap()).unwrap_or(file);
            format!(
                "{file}:{}: {}",
                m["lastLine"],
                m["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(pages.len() > 100);
    assert!(
        errors.is_empty(),
        "{} HTML errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

/// Opens `url` in `tab` and waits until it has loaded.
fn go(tab: &Tab, url: &str) {
    tab.navigate_to(url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
}

/// Evaluates `js` until it is true, for up to 20 s.
fn wait_for(tab: &Tab, js: &str) {
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if tab
            .evaluate(js, false)
            .ok()
            .and_then(|r| r.value)
            .and_then(|v| v.as_bool())
            == Some(true)
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("not true within 20 s: {js}");
}

#[test]
#[ignore = "needs Chromium: BERDAYA_BROWSER=/usr/bin/chromium cargo test -- --ignored (.ci/run does this)"]
fn browser_reloads_on_save_and_shows_errors_in_a_box() {
    let site = fixture("valid");
    let root = site.path();
    let server = berdaya::serve::Server::start(berdaya::serve::ServeOptions {
        build: options(root),
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        verbose: false,
    })
    .unwrap();
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    phone(&tab);
    let problems = watch(&tab);
    tab.navigate_to(&format!("http://{}/tips/cuaca/", server.addr))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    tab.wait_for_element("main").unwrap();
    // Gone after a reload.
    tab.evaluate("window.stayed = true", false).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    // Another page's change leaves this one alone.
    let other = root.join("content/tentang.md");
    let text = std::fs::read_to_string(&other).unwrap();
    std::fs::write(&other, format!("{text}\nTambahan.\n")).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        eval_bool(&tab, "window.stayed === true"),
        "an unrelated save reloaded the page"
    );

    // Saving this page reloads it with the change.
    let page = root.join("content/tips/cuaca.md");
    let original = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        original.replacen("\n\n", "\n\nDari peramban.\n\n", 1),
    )
    .unwrap();
    wait_for(&tab, "document.body.innerText.includes('Dari peramban.')");
    assert!(eval_bool(&tab, "window.stayed === undefined"));

    // A mistake shows in a box on the open page, with file and line; the page stays.
    std::fs::write(&page, original.replacen("title = \"", "title = ", 1)).unwrap();
    wait_for(
        &tab,
        "!!document.getElementById('berdaya-error') && document.getElementById('berdaya-error').innerText.includes('content/tips/cuaca.md:2')",
    );
    assert!(eval_bool(&tab, "document.querySelector('main') !== null"));
    let dir = repo().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    screenshot(&tab, &dir.join("serve-error-box.png"));

    // Saving the fix clears it.
    std::fs::write(&page, &original).unwrap();
    wait_for(
        &tab,
        "document.getElementById('berdaya-error') === null && !document.body.innerText.includes('Dari peramban.')",
    );
    let problems = problems.lock().unwrap().clone();
    assert!(problems.is_empty(), "{problems:?}");
    drop(tab);
    server.stop();
}

/// A word (at least 7 letters, not a stop word) that only one Indonesian page holds, counting
/// every word that starts with it or shares a stem with it, and that page's site path.
fn word_of_one_page() -> (String, String) {
    let content = repo().join("content");
    let mut pages: Vec<(String, Vec<String>)> = Vec::new();
    for e in walkdir::WalkDir::new(&content).into_iter().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if !name.ends_with(".md") || name.starts_with("_index") || name.contains(".en.") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        let words: Vec<String> = berdaya::search::words(&text).collect();
        pages.push((e.path().to_string_lossy().into_owned(), words));
    }
    pages.sort();
    let matches = |w: &str, other: &str| {
        other.starts_with(w)
            || berdaya::search::stems(other, "id")
                .iter()
                .any(|s| berdaya::search::stems(w, "id").contains(s))
    };
    for (path, words) in &pages {
        if !path.contains("/tips/") {
            continue;
        }
        let mut candidates: Vec<&String> = words
            .iter()
            .filter(|w| w.chars().count() >= 7 && w.chars().all(char::is_alphabetic))
            .collect();
        candidates.sort();
        candidates.dedup();
        for w in candidates {
            let elsewhere = pages
                .iter()
                .filter(|(p, _)| p != path)
                .any(|(_, ws)| ws.iter().any(|o| matches(w, o)));
            if !elsewhere {
                let rel = path.split("/content/").nth(1).unwrap();
                let slug = rel.trim_end_matches(".md").trim_end_matches("/index");
                return (w.clone(), format!("/{slug}/"));
            }
        }
    }
    panic!("no word of one tip only");
}

#[test]
#[ignore = "needs Chromium: BERDAYA_BROWSER=/usr/bin/chromium cargo test -- --ignored (.ci/run does this)"]
fn search_finds_the_one_tip_with_a_word_and_affixed_forms_and_loads_nothing_before_typing() {
    let out = sample_output();
    let base = serve(out);
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    phone(&tab);
    let problems = watch(&tab);
    go(&tab, &format!("{base}/cari/"));
    wait_for(&tab, "!document.getElementById('cari-form').hidden");
    // Nothing of the index is fetched until the reader types.
    assert!(eval_bool(
        &tab,
        "!performance.getEntriesByType('resource').some(e => e.name.includes('/indeks/'))"
    ));
    let (word, url) = word_of_one_page();
    let type_in = |text: &str| {
        tab.evaluate(
            &format!(
                "(() => {{ const q = document.getElementById('q'); q.value = {text:?}; q.dispatchEvent(new Event('input')); }})()"
            ),
            false,
        )
        .unwrap();
    };
    type_in(&word);
    wait_for(
        &tab,
        "document.querySelectorAll('#cari-hasil li').length > 0",
    );
    let links = eval_string(
        &tab,
        "[...document.querySelectorAll('#cari-hasil li a')].map(a => a.getAttribute('href')).join(' ')",
    );
    assert_eq!(links, url, "searching {word}");
    assert!(eval_bool(
        &tab,
        "document.querySelector('#cari-hasil li p').textContent.length > 20"
    ));
    // Indonesian affixes: the root finds the page that writes `menjemur`.
    type_in("jemur");
    wait_for(
        &tab,
        "document.querySelector('#cari-hasil a[href=\"/tips/menjemur-rumput-laut/\"]') !== null",
    );
    // A word no page has says so.
    type_in("zzzqqq");
    wait_for(
        &tab,
        "document.querySelectorAll('#cari-hasil li').length === 0 && document.getElementById('cari-hasil').textContent.length > 10",
    );
    // Index files stay small; the script too.
    let js = std::fs::read(out.join("cari.js")).unwrap();
    assert!(
        gzip_len(&js) <= 5 * 1024,
        "cari.js is {} bytes gzip",
        gzip_len(&js)
    );
    for e in std::fs::read_dir(out.join("cari/indeks"))
        .unwrap()
        .flatten()
    {
        let name = e.file_name().to_string_lossy().to_string();
        if name.ends_with(".json") {
            let bytes = std::fs::read(e.path()).unwrap();
            assert!(gzip_len(&bytes) <= 20 * 1024, "{name}");
        }
    }
    let problems = problems.lock().unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

fn gzip_len(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(9));
    e.write_all(bytes).unwrap();
    e.finish().unwrap().len()
}

/// The sample site built into a temporary folder with `opts` changed by `change`.
fn sample_built(
    change: impl FnOnce(&mut berdaya::build::BuildOptions),
    extra_config: &str,
) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    for part in ["content", "themes", "data"] {
        copy_dir(&repo().join(part), &root.join(part));
    }
    let config = std::fs::read_to_string(repo().join("berdaya.toml")).unwrap();
    std::fs::write(
        root.join("berdaya.toml"),
        format!("{config}\n{extra_config}"),
    )
    .unwrap();
    let mut opts = berdaya::build::BuildOptions {
        output: Some(tmp.path().join("out")),
        ..options(&root)
    };
    change(&mut opts);
    berdaya::build::build(&opts).unwrap_or_else(|d| panic!("{d}"));
    tmp
}

#[test]
#[ignore = "needs Chromium: BERDAYA_BROWSER=/usr/bin/chromium cargo test -- --ignored (.ci/run does this)"]
fn a_portable_copy_opens_from_files_and_its_links_and_photos_work() {
    let built = sample_built(|o| o.portable = true, "");
    let out = built.path().join("out");
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    phone(&tab);
    let file = |rel: &str| format!("file://{}/{rel}", out.display());
    go(&tab, &file("index.html"));
    assert!(eval_bool(&tab, "document.querySelector('h1') !== null"));
    // Following the menu: the tips listing, then a tip, then the A–Z list of the search page.
    tab.evaluate("document.querySelector('header nav a').click()", false)
        .unwrap();
    wait_for(
        &tab,
        "location.href.endsWith('/tips/index.html') && document.querySelectorAll('main a').length > 3",
    );
    tab.evaluate(
        "document.querySelector('main a[href*=\"memotret-produk\"]').click()",
        false,
    )
    .unwrap();
    wait_for(
        &tab,
        "location.href.endsWith('/tips/memotret-produk-dengan-ponsel/index.html')",
    );
    // Every photo loads (lazy ones once scrolled to).
    tab.evaluate("window.scrollTo(0, document.body.scrollHeight)", false)
        .unwrap();
    wait_for(
        &tab,
        "document.images.length > 0 && [...document.images].every(i => i.complete && i.naturalWidth > 0)",
    );
    tab.evaluate(
        "document.querySelector('a[href$=\"cari/index.html\"]').click()",
        false,
    )
    .unwrap();
    wait_for(&tab, "location.href.endsWith('/cari/index.html')");
    // No server, no search box: the A–Z list is the way in.
    assert!(eval_bool(
        &tab,
        "document.getElementById('cari-form').hidden"
    ));
    tab.evaluate("document.querySelector('ul.az a').click()", false)
        .unwrap();
    wait_for(
        &tab,
        "/\\/cari\\/[^/]+\\/index\\.html$/.test(location.href) && document.querySelectorAll('ul.az-list a').length > 0",
    );
}

/// A server of `root` that can be switched off: then every connection is closed unanswered, as
/// with no signal.
fn switchable_server(root: &Path) -> (String, Arc<std::sync::atomic::AtomicBool>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let root = root.to_path_buf();
    let down = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = down.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if flag.load(std::sync::atomic::Ordering::SeqCst) {
                drop(stream);
                continue;
            }
            let root = root.clone();
            std::thread::spawn(move || respond(stream, &root));
        }
    });
    (format!("http://{addr}"), down)
}

#[test]
#[ignore = "needs Chromium: BERDAYA_BROWSER=/usr/bin/chromium cargo test -- --ignored (.ci/run does this)"]
fn a_visited_page_reopens_without_signal_through_the_service_worker() {
    let built = sample_built(|_| {}, "[offline]\nservice_worker = true\n");
    let out = built.path().join("out");
    let (base, down) = switchable_server(&out);
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    phone(&tab);
    go(&tab, &format!("{base}/"));
    wait_for(&tab, "navigator.serviceWorker.controller !== null");
    let tip = "/tips/memotret-produk-dengan-ponsel/";
    go(&tab, &format!("{base}{tip}"));
    let title = eval_string(&tab, "document.querySelector('h1').textContent");
    assert!(!title.is_empty());
    // The reader searches once, so the search page and index shards it used are kept too.
    go(&tab, &format!("{base}/cari/?q=jemur"));
    wait_for(
        &tab,
        "document.querySelectorAll('#cari-hasil li').length > 0",
    );
    std::thread::sleep(Duration::from_millis(500));
    down.store(true, std::sync::atomic::Ordering::SeqCst);
    go(&tab, &format!("{base}{tip}"));
    wait_for(
        &tab,
        &format!(
            "document.querySelector('h1') && document.querySelector('h1').textContent === {title:?}"
        ),
    );
    go(&tab, &format!("{base}/cari/?q=jemur"));
    wait_for(
        &tab,
        "document.querySelectorAll('#cari-hasil li').length > 0",
    );
}
