//! `orgsim serve`'s JSON API, in process: the command line's errors as 400s, the bounds, runs
//! that match `orgsim run`, cancelling, paired comparisons and the exports.
//! (The page itself is tested in a real browser: tests/browser/, run by .ci/run.)

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use orgsim::serve::{Limits, Server};
use serde_json::{Value, json};

use crate::util::orgsim;

/// One server for every test of this file.
static BASE: LazyLock<String> = LazyLock::new(|| {
    let limits = Limits {
        running: 64,
        ..Limits::default()
    };
    let url = Server::bind("127.0.0.1", 0, limits)
        .expect("binds a free port")
        .spawn();
    url.trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
});

/// Sends one request; returns the status, the headers and the body.
fn request(method: &str, path: &str, body: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(BASE.as_str()).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        *BASE,
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head[9..12].parse().unwrap();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, head, body)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..line]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[line + 2..line + 2 + size]);
        data = &data[line + 4 + size..];
    }
}

fn json_of(method: &str, path: &str, body: Value) -> (u16, Value) {
    let (status, _, bytes) = request(method, path, &body.to_string());
    (
        status,
        serde_json::from_slice(&bytes).expect("a JSON answer"),
    )
}

/// Starts a run and waits for it; returns its id and result.
fn run(what_if: Value) -> (u64, Value) {
    let (status, started) = json_of("POST", "/api/run", what_if);
    assert_eq!(status, 200, "{started}");
    let id = started["id"].as_u64().unwrap();
    let t0 = Instant::now();
    loop {
        let (_, s) = json_of("GET", &format!("/api/run/{id}"), Value::Null);
        match s["state"].as_str().unwrap() {
            "done" => return (id, s["result"].clone()),
            "running" => assert!(t0.elapsed() < Duration::from_secs(120), "run {id} hangs"),
            other => panic!("run {id} ended {other}: {s}"),
        }
        std::thread::sleep(Duration::from_millis(30));
    }
}

fn error_of(what_if: Value) -> (u16, String) {
    let (status, answer) = json_of("POST", "/api/run", what_if);
    (
        status,
        answer["error"].as_str().unwrap_or_default().to_string(),
    )
}

#[test]
fn meta_carries_the_declarations_and_the_scenarios() {
    let (status, meta) = json_of("GET", "/api/meta", Value::Null);
    assert_eq!(status, 200);
    let params = meta["params"].as_array().unwrap();
    let seats = params
        .iter()
        .find(|p| p["path"] == "interventions[kind=guiding_coalition].seats")
        .expect("the coalition's seats are declared");
    assert_eq!(seats["default"], json!(40));
    assert_eq!(seats["unit"], "people");
    let names: Vec<&str> = meta["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"dual-system-early"), "{names:?}");
    assert!(
        meta["series"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "innovation_capacity")
    );
    let (status, page, html) = request("GET", "/", "");
    assert_eq!(status, 200);
    assert!(page.contains("text/html"));
    assert!(String::from_utf8_lossy(&html).contains("data-chart=\"innovation_capacity\""));
}

#[test]
fn bad_values_get_the_command_lines_errors() {
    let (status, e) = error_of(json!({"scenario": "baseline", "set": ["leadership.fear=3"]}));
    assert_eq!(status, 400);
    assert!(
        e.contains("bundled scenario 'baseline'")
            && e.contains("leadership.fear = 3")
            && e.contains("must be a probability in [0, 1]"),
        "{e}"
    );
    let (status, e) = error_of(json!({"scenario": "baseline", "set": ["leadership.feer=0.3"]}));
    assert_eq!(status, 400);
    assert!(e.contains("fear"), "suggests the key: {e}");
    let (status, e) = error_of(json!({"scenario": "no-such"}));
    assert_eq!(status, 400);
    assert!(e.contains("'no-such' is not a bundled scenario"), "{e}");
    // A file the page sends: named as the user's disk names it, never by the server's copy.
    let file = json!({"name": "client.json", "text": "{\"extends\": \"baseline\", \"organization\": {\"growth_rate\": 7}}"});
    let (status, e) = error_of(json!({"file": file}));
    assert_eq!(status, 400);
    assert!(
        e.starts_with("client.json: organization.growth_rate = 7: must be a number from 0 to 5"),
        "{e}"
    );
    let (status, e) =
        error_of(json!({"file": {"name": "x.json", "text": "{\"extends\": \"/etc/passwd\"}"}}));
    assert_eq!(status, 400);
    assert!(e.contains("may extend only a bundled scenario"), "{e}");
    let (status, e) = error_of(json!({"scenario": "classic/march1991"}));
    assert_eq!(status, 400);
    assert!(e.contains("life-cycle model"), "{e}");
    let (status, _) = error_of(json!({"scenario": "baseline", "unknown": 1}));
    assert_eq!(status, 400);
}

#[test]
fn requests_are_bounded() {
    for (what_if, needle) in [
        (json!({"replicates": 201}), "replicates = 201"),
        (json!({"replicates": 0}), "replicates = 0"),
        (json!({"set": ["years=100"]}), "years = 100"),
        (
            json!({"set": ["organization.founders=50000"]}),
            "organization.founders = 50000",
        ),
        (
            json!({"set": ["organization.capacity=1000000"]}),
            "organization.capacity = 1000000",
        ),
    ] {
        let (status, e) = error_of(what_if);
        assert_eq!(status, 400, "{e}");
        assert!(e.contains(needle) && e.contains("the page"), "{e}");
    }
    let many: Vec<String> = (0..101)
        .map(|_| "leadership.fear=0.2".to_string())
        .collect();
    let (status, e) = error_of(json!({"set": many}));
    assert_eq!(status, 400);
    assert!(e.contains("101 overrides"), "{e}");
    let big = "x".repeat(9 << 20);
    let (status, _, _) = request("POST", "/api/run", &big);
    assert_eq!(status, 413);
    let (status, _, _) = request("GET", "/etc/passwd", "");
    assert_eq!(status, 404);
}

#[test]
fn a_run_gives_what_orgsim_run_gives() {
    let (id, result) =
        run(json!({"scenario": "baseline", "set": ["years=3"], "replicates": 3, "seed": 11}));
    // The same what-if again is the same run.
    let (status, again) = json_of(
        "POST",
        "/api/run",
        json!({"scenario": "baseline", "set": ["years=3"], "replicates": 3, "seed": 11}),
    );
    assert_eq!(status, 200);
    assert_eq!(again["id"].as_u64(), Some(id));
    let dir = tempfile::tempdir().unwrap();
    orgsim(dir.path())
        .args([
            "run",
            "baseline",
            "--set",
            "years=3",
            "-n",
            "3",
            "--seed",
            "11",
            "--no-charts",
            "-q",
            "--out",
            "out",
        ])
        .assert()
        .success();
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/summary.json")).unwrap(),
    )
    .unwrap();
    for outcome in ["capacity_auc", "cumulative_innovations", "final_headcount"] {
        let page = result["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == outcome)
            .unwrap()["mean"]
            .as_f64()
            .unwrap();
        let cli = summary["scenarios"]["baseline"]["outcomes"][outcome]["mean"]
            .as_f64()
            .unwrap_or_else(|| panic!("{outcome} in {summary}"));
        assert!(
            (page - cli).abs() <= 1e-9 * cli.abs().max(1.0),
            "{outcome}: page {page}, orgsim run {cli}"
        );
    }
    // The page's bands are bands.csv's (3 years: one point a week).
    let bands = std::fs::read_to_string(dir.path().join("out/bands.csv")).unwrap();
    let page_band = result["bands"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == "innovation_capacity")
        .unwrap()["mean"]
        .as_array()
        .unwrap()
        .clone();
    let mut checked = 0;
    for line in bands.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[0] == "baseline" && f[3] == "innovation_capacity" {
            let step: usize = f[1].parse().unwrap();
            let (cli, page) = (
                f[5].parse::<f64>().unwrap(),
                page_band[step].as_f64().unwrap(),
            );
            assert!(
                (cli - page).abs() <= 1e-9 * cli.abs().max(1.0),
                "step {step}: {cli} vs {page}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, page_band.len());
    let years = result["years"].as_array().unwrap();
    assert!(years.len() <= 260 && years.last().unwrap().as_f64().unwrap() > 2.9);
    let (status, head, csv) = request("GET", &format!("/api/run/{id}/series.csv"), "");
    assert_eq!(status, 200);
    assert!(head.contains("attachment"));
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("year,innovation_capacity_mean,innovation_capacity_ci_low"));
    assert_eq!(csv.lines().count(), years.len() + 1);
}

#[test]
fn a_new_run_cancels_the_clients_stale_one() {
    let (_, first) = json_of(
        "POST",
        "/api/run",
        json!({"scenario": "baseline", "replicates": 200, "seed": 5, "client": "c1"}),
    );
    let first = first["id"].as_u64().unwrap();
    let (id, _) =
        run(json!({"scenario": "baseline", "set": ["years=1"], "replicates": 2, "client": "c1"}));
    assert_ne!(id, first);
    let t0 = Instant::now();
    loop {
        let (_, s) = json_of("GET", &format!("/api/run/{first}"), Value::Null);
        if s["state"] == "cancelled" {
            break;
        }
        assert_eq!(s["state"], "running", "{s}");
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "the stale run was not stopped"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // And the Stop button's request.
    let (_, started) = json_of(
        "POST",
        "/api/run",
        json!({"replicates": 200, "seed": 6, "client": "c2"}),
    );
    let id = started["id"].as_u64().unwrap();
    let (status, _) = json_of("POST", &format!("/api/run/{id}/cancel"), json!({}));
    assert_eq!(status, 200);
    let t0 = Instant::now();
    while json_of("GET", &format!("/api/run/{id}"), Value::Null).1["state"] != "cancelled" {
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "Stop did not stop the run"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn pinned_runs_compare_on_the_same_seeds() {
    let base = json!({"scenario": "baseline", "set": ["years=4"], "replicates": 4, "seed": 3});
    let (a, _) = run(base.clone());
    let (b, _) = run(
        json!({"scenario": "baseline", "set": ["years=4", "leadership.fear=0.9"], "replicates": 4, "seed": 3}),
    );
    let (status, cmp) = json_of(
        "GET",
        &format!("/api/compare?reference={a}&run={b}"),
        Value::Null,
    );
    assert_eq!(status, 200, "{cmp}");
    let rows = cmp["rows"].as_array().unwrap();
    let auc = rows.iter().find(|r| r["name"] == "capacity_auc").unwrap();
    assert_eq!(auc["n"], 4);
    let (r, t, d) = (
        auc["reference"].as_f64().unwrap(),
        auc["this"].as_f64().unwrap(),
        auc["difference"].as_f64().unwrap(),
    );
    assert!((t - r - d).abs() < 1e-9 * r.abs().max(1.0));
    assert!(d < 0.0, "fear lowers capacity: {auc}");
    // Against itself, every paired difference is exactly zero.
    let (_, same) = json_of(
        "GET",
        &format!("/api/compare?reference={a}&run={a}"),
        Value::Null,
    );
    assert!(
        same["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["difference"] == 0.0)
    );
    let (c, _) =
        run(json!({"scenario": "baseline", "set": ["years=4"], "replicates": 4, "seed": 4}));
    let (status, e) = json_of(
        "GET",
        &format!("/api/compare?reference={a}&run={c}"),
        Value::Null,
    );
    assert_eq!(status, 409);
    assert!(e["error"].as_str().unwrap().contains("same seeds"));
}

#[test]
fn the_exported_scenario_runs_as_the_page_ran_it() {
    let what_if = json!({"scenario": "dual-system", "set": ["interventions[0].guiding_coalition.seats=25", "years=12"], "replicates": 7, "seed": 9});
    let (status, head, body) = request("POST", "/api/scenario", &what_if.to_string());
    assert_eq!(status, 200);
    assert!(head.contains("dual-system-what-if.json"), "{head}");
    let doc: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(doc["interventions"][0]["guiding_coalition"]["seats"], 25);
    assert_eq!(
        (doc["replicates"].as_u64(), doc["seed"].as_u64()),
        (Some(7), Some(9))
    );
    assert!(doc.get("extends").is_none());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("what-if.json"), &body).unwrap();
    orgsim(dir.path())
        .args(["validate", "what-if.json"])
        .assert()
        .success();
}

#[test]
fn charts_are_drawn_by_the_plot_code() {
    let req = json!({
        "runs": [
            {"scenario": "baseline", "set": ["years=2"], "replicates": 2},
            {"scenario": "baseline", "set": ["years=2", "leadership.fear=0.8"], "replicates": 2, "title": "More fear"}
        ],
        "chart": "innovation_capacity", "format": "png", "width": 800, "height": 450
    });
    let (status, head, png) = request("POST", "/api/chart", &req.to_string());
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&png));
    assert!(head.contains("image/png"));
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let mut req = req;
    req["format"] = json!("svg");
    req["chart"] = json!("two_systems");
    let (status, _, svg) = request("POST", "/api/chart", &req.to_string());
    assert_eq!(status, 200);
    let svg = String::from_utf8(svg).unwrap();
    assert!(svg.contains("<svg") && svg.contains("More fear"));
    req["chart"] = json!("knowledge");
    let (status, _, _) = request("POST", "/api/chart", &req.to_string());
    assert_eq!(status, 400);
}

/// Sends a request with exactly these header lines; returns the status and the body.
fn raw(method: &str, path: &str, headers: &[String], body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(BASE.as_str()).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for h in headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    write!(stream, "{head}Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text[9..12].parse().unwrap();
    (status, text)
}

#[test]
fn other_sites_pages_cannot_use_the_server() {
    let host = format!("Host: {}", *BASE);
    let port = BASE.rsplit(':').next().unwrap();
    let json = "Content-Type: application/json".to_string();
    let run = json!({ "scenario": "baseline", "replicates": 1 }).to_string();
    // DNS rebinding: another site's name pointed at 127.0.0.1.
    let (status, text) = raw(
        "GET",
        "/api/meta",
        &[format!("Host: evil.example:{port}")],
        "",
    );
    assert_eq!(status, 403, "{text}");
    assert!(text.contains("evil.example"), "{text}");
    // A script on another site.
    let (status, text) = raw(
        "POST",
        "/api/run",
        &[
            host.clone(),
            json.clone(),
            "Origin: https://evil.example".into(),
        ],
        &run,
    );
    assert_eq!(status, 403, "{text}");
    // A form on another site cannot send JSON, and a POST without it is refused.
    let (status, text) = raw(
        "POST",
        "/api/run",
        &[host.clone(), "Content-Type: text/plain".into()],
        &run,
    );
    assert_eq!(status, 415, "{text}");
    // The page's own requests pass: same Host, its own Origin, JSON.
    let (status, text) = raw(
        "GET",
        "/api/meta",
        &[host.clone(), format!("Origin: http://{}", *BASE)],
        "",
    );
    assert_eq!(status, 200, "{text}");
    let (status, text) = raw(
        "POST",
        "/api/scenario",
        &[host, json, format!("Origin: http://{}", *BASE)],
        &json!({ "scenario": "baseline" }).to_string(),
    );
    assert_eq!(status, 200, "{text}");
}
