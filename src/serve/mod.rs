//! `orgsim serve`: a local web server with one page for live what-if runs.
//!
//! The page (HTML, CSS and JavaScript in `assets/`, compiled into the binary) asks the JSON
//! API below for runs. A request names a bundled scenario (or carries a scenario file's text)
//! and `--set`-style overrides; it is loaded and checked by [`crate::scenario::load`], so it
//! gets the command line's errors (file, JSON path, value, what is allowed) as a 400.
//! Only the page the server serves may use it ([`guard`]: the Host, Origin and JSON checks
//! against other sites' pages). Requests are bounded ([`Limits`]), a client's new run cancels its stale one, and nothing is
//! written outside the server's temporary directory, removed when it stops.
//!
//! Past 600 lines because it is the whole JSON API (one handler per route, with its request
//! type and bounds) plus the server loop; the simulation is in `sim.rs` and the page in
//! `assets/`. Splitting the routes into files is the next step when one more is added.
//!
//! | request | what it does |
//! |---|---|
//! | `GET /` | the page |
//! | `GET /api/meta` | scenarios, parameter declarations, output columns, limits |
//! | `POST /api/run` | checks a what-if and starts it (or returns the same run, cached) |
//! | `GET /api/run/ID` | progress, then the result (bands, phases, markers, outcomes) |
//! | `POST /api/run/ID/cancel` | stops it |
//! | `GET /api/run/ID/series.csv` | the shown series as CSV |
//! | `GET /api/compare?reference=ID&run=ID` | paired differences of the main outcomes |
//! | `POST /api/scenario` | the what-if as a scenario file `orgsim run` accepts |
//! | `POST /api/chart` | a chart drawn by `orgsim plot`'s code, PNG or SVG |

pub mod guard;
pub mod sim;

use std::collections::VecDeque;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use serde_json::{Value, json};
use tiny_http::{Header, Method, Request, Response};

use crate::chart::{Format, Theme};
use crate::model::Stop;
use crate::scenario::{
    BUNDLED, MAX_INPUT_BYTES, ModelKind, Override, Scenario, find_bundled, load, parse_json,
};
use sim::SimResult;

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const STYLE_CSS: &str = include_str!("assets/style.css");

/// What one request may ask for, so that no request can exhaust memory or hold the machine
/// for long.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Limits {
    /// Most replicates of one run.
    pub replicates: u32,
    /// Most years simulated.
    pub years: f64,
    /// Most employees: founders and the capacity the market supports.
    pub headcount: f64,
    /// Most overrides in one request.
    pub overrides: usize,
    /// Most runs in progress at once (others get a 503).
    pub running: usize,
    /// Most finished runs kept for comparisons and downloads.
    pub kept: usize,
    /// Most scenarios drawn in one exported chart.
    pub chart_scenarios: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            replicates: 200,
            years: 60.0,
            headcount: 20_000.0,
            overrides: 100,
            running: 4,
            kept: 64,
            chart_scenarios: 4,
        }
    }
}

/// Replicates of a run the page asks for without saying (the target: under a second
/// on 2 cores for the default scenario; see `benches/serve.rs`).
pub const DEFAULT_REPLICATES: u32 = 20;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {message}")]
    Bind {
        /// host:port.
        addr: String,
        /// Why.
        message: String,
    },
    /// The temporary directory could not be made.
    #[error("cannot create a temporary directory: {0}")]
    Temp(std::io::Error),
}

/// A what-if as the page sends it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatIf {
    /// A bundled scenario's name (ignored when `file` is given).
    #[serde(default)]
    pub scenario: Option<String>,
    /// A scenario file's name and text, loaded instead of a bundled scenario.
    #[serde(default)]
    pub file: Option<UploadedFile>,
    /// Overrides, `PATH=VALUE` as `--set` takes them, applied in order.
    #[serde(default)]
    pub set: Vec<String>,
    /// Replicates (default [`DEFAULT_REPLICATES`]).
    #[serde(default)]
    pub replicates: Option<u32>,
    /// Seed (default: the scenario's).
    #[serde(default)]
    pub seed: Option<u64>,
    /// The page that asks (its new run cancels its previous one).
    #[serde(default)]
    pub client: Option<String>,
    /// A display title for exported charts' legends.
    #[serde(default)]
    pub title: Option<String>,
}

/// A scenario file sent by the page.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadedFile {
    /// Its name, as the user's disk has it (for messages).
    pub name: String,
    /// Its text.
    pub text: String,
}

/// An answer other than 200: the status and the message shown to the user.
#[derive(Debug)]
pub struct ApiError(pub u16, pub String);

fn bad(message: impl Into<String>) -> ApiError {
    ApiError(400, message.into())
}

enum Status {
    Running,
    Done(Arc<SimResult>),
    Cancelled,
    Failed(String),
}

struct Slot {
    id: u64,
    key: String,
    client: String,
    stop: Stop,
    done: AtomicU64,
    total: u64,
    status: Mutex<Status>,
}

/// The server's state, shared by its request threads.
pub struct State {
    tmp: tempfile::TempDir,
    limits: Limits,
    slots: Mutex<VecDeque<Arc<Slot>>>,
    bound: guard::Bound,
    next: AtomicU64,
}

/// A bound server, ready to answer.
pub struct Server {
    http: Arc<tiny_http::Server>,
    state: Arc<State>,
    /// The address it listens on (`http://host:port/`).
    pub url: String,
}

impl Server {
    /// Binds `host:port` (port 0: any free port).
    pub fn bind(host: &str, port: u16, limits: Limits) -> Result<Server, ServeError> {
        let addr = format!("{host}:{port}");
        let http = tiny_http::Server::http(&addr).map_err(|e| ServeError::Bind {
            addr: addr.clone(),
            message: e.to_string(),
        })?;
        let ip = http.server_addr().to_ip();
        let port = ip.map_or(port, |a| a.port());
        let bound = ip.map(|a| a.to_string()).unwrap_or(addr);
        let tmp = tempfile::Builder::new()
            .prefix("orgsim-serve-")
            .tempdir()
            .map_err(ServeError::Temp)?;
        Ok(Server {
            http: Arc::new(http),
            state: Arc::new(State {
                tmp,
                limits,
                slots: Mutex::new(VecDeque::new()),
                next: AtomicU64::new(1),
                bound: guard::Bound::new(host, port),
            }),
            url: format!("http://{bound}/"),
        })
    }

    /// The temporary directory the server writes into (removed when the server is dropped).
    pub fn temp_dir(&self) -> PathBuf {
        self.state.tmp.path().to_path_buf()
    }

    /// Answers requests until the process ends, each on a thread of its own.
    pub fn run(self) {
        for request in self.http.incoming_requests() {
            let state = Arc::clone(&self.state);
            let spawned = std::thread::Builder::new()
                .name("orgsim-serve".into())
                .spawn(move || handle(&state, request));
            if let Err(e) = spawned {
                eprintln!("orgsim serve: cannot start a thread for a request: {e}");
            }
        }
    }

    /// Answers requests on a background thread (for tests); the server stops with the process.
    pub fn spawn(self) -> String {
        let url = self.url.clone();
        std::thread::spawn(move || self.run());
        url
    }
}

fn handle(state: &State, mut request: Request) {
    let method = request.method().clone();
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let path = path.to_string();
    let query = query.to_string();
    let mut body = String::new();
    let limit = MAX_INPUT_BYTES * 2;
    let read = request
        .as_reader()
        .take(limit + 1)
        .read_to_string(&mut body);
    let field = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().to_string())
    };
    let (host, origin, content_type) = (field("Host"), field("Origin"), field("Content-Type"));
    let headers = guard::Headers {
        host: host.as_deref(),
        origin: origin.as_deref(),
        content_type: content_type.as_deref(),
    };
    let allowed = guard::check(&state.bound, method == Method::Post, &headers);
    let answer = if let Err(refused) = allowed {
        Err(refused)
    } else if read.is_err() {
        Err(bad("the request's body is not UTF-8 text"))
    } else if body.len() as u64 > limit {
        Err(ApiError(
            413,
            format!("the request is larger than {} MB", limit >> 20),
        ))
    } else {
        route(state, &method, &path, &query, &body)
    };
    let response = match answer {
        Ok(r) => r,
        Err(ApiError(code, message)) => {
            json_response(code, &json!({ "error": message }).to_string())
        }
    };
    let _ = request.respond(response);
}

type Answer = Response<std::io::Cursor<Vec<u8>>>;

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

fn bytes_response(code: u16, content_type: &str, bytes: Vec<u8>) -> Answer {
    Response::from_data(bytes)
        .with_status_code(code)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

fn json_response(code: u16, text: &str) -> Answer {
    bytes_response(
        code,
        "application/json; charset=utf-8",
        text.as_bytes().to_vec(),
    )
}

fn download(content_type: &str, name: &str, bytes: Vec<u8>) -> Answer {
    bytes_response(200, content_type, bytes).with_header(header(
        "Content-Disposition",
        &format!("attachment; filename=\"{name}\""),
    ))
}

fn route(
    state: &State,
    method: &Method,
    path: &str,
    query: &str,
    body: &str,
) -> Result<Answer, ApiError> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method, parts.as_slice()) {
        (Method::Get, [""]) | (Method::Get, ["index.html"]) => Ok(bytes_response(
            200,
            "text/html; charset=utf-8",
            INDEX_HTML.as_bytes().to_vec(),
        )),
        (Method::Get, ["app.js"]) => Ok(bytes_response(
            200,
            "text/javascript; charset=utf-8",
            APP_JS.as_bytes().to_vec(),
        )),
        (Method::Get, ["style.css"]) => Ok(bytes_response(
            200,
            "text/css; charset=utf-8",
            STYLE_CSS.as_bytes().to_vec(),
        )),
        (Method::Get, ["favicon.ico"]) => Ok(bytes_response(204, "image/x-icon", Vec::new())),
        (Method::Get, ["api", "meta"]) => Ok(json_response(200, &meta(&state.limits).to_string())),
        (Method::Post, ["api", "run"]) => start_run(state, &parse_what_if(body)?),
        (Method::Get, ["api", "run", id]) => run_status(state, id),
        (Method::Post, ["api", "run", id, "cancel"]) => {
            let slot = find(state, id)?;
            slot.stop.request();
            Ok(json_response(
                200,
                &json!({ "cancelled": true }).to_string(),
            ))
        }
        (Method::Get, ["api", "run", id, "series.csv"]) => series_csv(state, id),
        (Method::Get, ["api", "compare"]) => compare(state, query),
        (Method::Post, ["api", "scenario"]) => export_scenario(state, &parse_what_if(body)?),
        (Method::Post, ["api", "chart"]) => export_chart(state, body),
        (Method::Get | Method::Post, _) => Err(ApiError(404, format!("no such page: {path}"))),
        _ => Err(ApiError(405, format!("{method} is not answered here"))),
    }
}

fn parse_what_if(body: &str) -> Result<WhatIf, ApiError> {
    serde_json::from_str(body).map_err(|e| bad(format!("the request is not a what-if: {e}")))
}

/// What the page needs to build itself: the scenarios, the parameters' declarations, the
/// output columns and the limits.
pub fn meta(limits: &Limits) -> Value {
    let scenarios: Vec<Value> = BUNDLED
        .iter()
        .filter_map(|b| {
            let s = load(b.name, &[]).ok()?.scenario;
            (s.model == ModelKind::Lifecycle).then(|| {
                json!({
                    "name": b.name,
                    "title": s.title,
                    "description": s.description,
                    "interventions": s.resolved_json().get("interventions").cloned(),
                })
            })
        })
        .collect();
    let outputs = sim::outputs();
    json!({
        "version": crate::engine::VERSION,
        "scenarios": scenarios,
        "params": crate::params::declarations(),
        "series": outputs.series.iter().map(sim::column_json).collect::<Vec<_>>(),
        "outcomes": outputs.outcomes.iter().map(sim::column_json).collect::<Vec<_>>(),
        "headline": outputs.headline,
        "shown": sim::SHOWN,
        "limits": limits,
        "default_replicates": DEFAULT_REPLICATES,
    })
}

/// Loads and checks a what-if: the scenario with its overrides, replicates and seed, within
/// the limits. Errors read as the command line's.
pub fn resolve(state: &State, w: &WhatIf) -> Result<Scenario, ApiError> {
    let limits = &state.limits;
    if w.set.len() > limits.overrides {
        return Err(bad(format!(
            "{} overrides: at most {} are taken in one request",
            w.set.len(),
            limits.overrides
        )));
    }
    let overrides = w
        .set
        .iter()
        .map(|s| Override::parse(s).map_err(|e| bad(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    let (spec, dir) = match &w.file {
        Some(file) => {
            let (path, dir) = upload(state, file)?;
            (path.display().to_string(), Some(dir))
        }
        None => {
            let name = w.scenario.as_deref().unwrap_or("baseline");
            if find_bundled(name).is_none() {
                let names: Vec<&str> = BUNDLED.iter().map(|b| b.name).collect();
                return Err(bad(format!(
                    "'{name}' is not a bundled scenario (bundled: {}); send a scenario file's text to use another",
                    names.join(", ")
                )));
            }
            (name.to_string(), None)
        }
    };
    let loaded = load(&spec, &overrides);
    if let Some(dir) = &dir {
        let _ = std::fs::remove_dir_all(dir);
    }
    let mut scenario = loaded
        .map_err(|e| {
            let text = e.to_string();
            // The uploaded file is named as the user's disk names it, not by its copy.
            match (&dir, &w.file) {
                (Some(dir), Some(f)) => {
                    bad(text.replace(&dir.join(&f.name).display().to_string(), &f.name))
                }
                _ => bad(text),
            }
        })?
        .scenario;
    let source = w
        .file
        .as_ref()
        .map(|f| f.name.clone())
        .unwrap_or_else(|| format!("bundled scenario '{spec}'"));
    if scenario.model != ModelKind::Lifecycle {
        return Err(bad(format!(
            "{source}: model = \"{}\": the page runs the life-cycle model; run March (1991) with `orgsim run`",
            scenario.model.name()
        )));
    }
    let replicates = w.replicates.unwrap_or(DEFAULT_REPLICATES);
    let over = |path: &str, value: String, allowed: String| {
        bad(format!("{source}: {path} = {value}: {allowed}"))
    };
    if !(1..=limits.replicates).contains(&replicates) {
        return Err(over(
            "replicates",
            replicates.to_string(),
            format!(
                "the page runs 1 to {} replicates (use `orgsim run` for more)",
                limits.replicates
            ),
        ));
    }
    scenario.replicates = replicates;
    if let Some(seed) = w.seed {
        scenario.seed = seed;
    }
    if scenario.years > limits.years {
        return Err(over(
            "years",
            crate::scenario::show_number(scenario.years),
            format!(
                "the page simulates at most {} years (use `orgsim run` for more)",
                limits.years
            ),
        ));
    }
    let org = &scenario.organization;
    for (path, v) in [
        ("organization.founders", f64::from(org.founders)),
        ("organization.capacity", f64::from(org.capacity)),
    ] {
        if v > limits.headcount {
            return Err(over(
                path,
                crate::scenario::show_number(v),
                format!(
                    "the page simulates at most {} employees (use `orgsim run` for more)",
                    limits.headcount
                ),
            ));
        }
    }
    if let Some(title) = &w.title {
        let title: String = title.chars().filter(|c| !c.is_control()).take(80).collect();
        if !title.trim().is_empty() {
            scenario.title = Some(title);
        }
    }
    Ok(scenario)
}

/// Writes an uploaded scenario into a fresh directory of the server's temporary directory,
/// after checking that it inherits only from bundled scenarios (a file elsewhere on this
/// machine is not the page's to read).
fn upload(state: &State, file: &UploadedFile) -> Result<(PathBuf, PathBuf), ApiError> {
    let name: String = Path::new(&file.name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = if name.ends_with(".json") && name.len() > 5 {
        name
    } else {
        format!(
            "{}.json",
            name.trim_end_matches(".json").trim_start_matches('.')
        )
    };
    if file.text.len() as u64 > MAX_INPUT_BYTES {
        return Err(bad(format!(
            "{name}: the file is larger than {} MB",
            MAX_INPUT_BYTES >> 20
        )));
    }
    if let Ok(Value::Object(map)) = parse_json(&file.text)
        && let Some(parent) = map.get("extends")
        && parent.as_str().is_none_or(|p| find_bundled(p).is_none())
    {
        return Err(bad(format!(
            "{name}: extends = {parent}: a file sent to the page may extend only a bundled scenario (`orgsim scenarios`); inline the parent's fields instead"
        )));
    }
    let n = state.next.fetch_add(1, Ordering::Relaxed);
    let dir = state.tmp.path().join(format!("upload-{n}"));
    std::fs::create_dir_all(&dir).map_err(|e| ApiError(500, e.to_string()))?;
    let path = dir.join(&name);
    std::fs::write(&path, &file.text).map_err(|e| ApiError(500, e.to_string()))?;
    Ok((path, dir))
}

fn find(state: &State, id: &str) -> Result<Arc<Slot>, ApiError> {
    let id: u64 = id
        .parse()
        .map_err(|_| ApiError(404, format!("no run {id}")))?;
    state
        .slots
        .lock()
        .expect("not poisoned")
        .iter()
        .find(|s| s.id == id)
        .cloned()
        .ok_or_else(|| ApiError(410, format!("run {id} is no longer kept; run it again")))
}

fn start_run(state: &State, w: &WhatIf) -> Result<Answer, ApiError> {
    let scenario = resolve(state, w)?;
    let replicates = scenario.replicates;
    let seed = scenario.seed;
    let mut resolved = scenario.resolved_json();
    let key = json!([resolved, replicates, seed]).to_string();
    let client = w.client.clone().unwrap_or_default();
    let slot = {
        let mut slots = state.slots.lock().expect("not poisoned");
        // The same what-if again (a pinned run, a reload): its run, finished or not.
        let same = slots.iter().find(|s| {
            s.key == key
                && matches!(
                    *s.status.lock().expect("not poisoned"),
                    Status::Running | Status::Done(_)
                )
        });
        if let Some(s) = same {
            Arc::clone(s)
        } else {
            // A client's new run makes its previous one stale.
            if !client.is_empty() {
                for s in slots.iter().filter(|s| s.client == client) {
                    if matches!(*s.status.lock().expect("not poisoned"), Status::Running) {
                        s.stop.request();
                    }
                }
            }
            let running = slots
                .iter()
                .filter(|s| {
                    !s.stop.requested()
                        && matches!(*s.status.lock().expect("not poisoned"), Status::Running)
                })
                .count();
            if running >= state.limits.running {
                return Err(ApiError(
                    503,
                    format!("busy: {running} runs in progress; try again in a moment"),
                ));
            }
            let slot = Arc::new(Slot {
                id: state.next.fetch_add(1, Ordering::Relaxed),
                key,
                client,
                stop: Stop::new(),
                done: AtomicU64::new(0),
                total: u64::from(replicates),
                status: Mutex::new(Status::Running),
            });
            slots.push_back(Arc::clone(&slot));
            while slots.len() > state.limits.kept {
                let Some(i) = slots.iter().position(|s| {
                    !matches!(*s.status.lock().expect("not poisoned"), Status::Running)
                }) else {
                    break;
                };
                slots.remove(i);
            }
            let worker = Arc::clone(&slot);
            std::thread::Builder::new()
                .name("orgsim-run".into())
                .spawn(move || {
                    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        sim::simulate(&scenario, replicates, seed, &worker.stop, &worker.done)
                    }));
                    *worker.status.lock().expect("not poisoned") = match out {
                        Ok(Some(r)) => Status::Done(Arc::new(r)),
                        Ok(None) => Status::Cancelled,
                        Err(_) => Status::Failed("the run failed (a bug: please report it)".into()),
                    };
                })
                .map_err(|e| ApiError(500, format!("cannot start the run: {e}")))?;
            slot
        }
    };
    if let Some(map) = resolved.as_object_mut() {
        map.remove("extends");
    }
    Ok(json_response(
        200,
        &json!({ "id": slot.id, "total": slot.total, "scenario": resolved }).to_string(),
    ))
}

fn run_status(state: &State, id: &str) -> Result<Answer, ApiError> {
    let slot = find(state, id)?;
    let status = slot.status.lock().expect("not poisoned");
    let body = match &*status {
        Status::Running => json!({
            "state": "running",
            "done": slot.done.load(Ordering::Relaxed),
            "total": slot.total,
        }),
        Status::Done(r) => json!({ "state": "done", "id": slot.id, "result": **r }),
        Status::Cancelled => json!({ "state": "cancelled" }),
        Status::Failed(e) => json!({ "state": "failed", "error": e }),
    };
    Ok(json_response(200, &body.to_string()))
}

fn result_of(state: &State, id: &str) -> Result<Arc<SimResult>, ApiError> {
    let slot = find(state, id)?;
    let status = slot.status.lock().expect("not poisoned");
    match &*status {
        Status::Done(r) => Ok(Arc::clone(r)),
        _ => Err(ApiError(409, format!("run {id} has not finished"))),
    }
}

fn series_csv(state: &State, id: &str) -> Result<Answer, ApiError> {
    let r = result_of(state, id)?;
    let mut out = String::from("year");
    for b in &r.bands {
        out.push_str(&format!(",{0}_mean,{0}_ci_low,{0}_ci_high", b.name));
    }
    out.push('\n');
    for (i, year) in r.years.iter().enumerate() {
        out.push_str(&crate::output::fmt_num(*year));
        for b in &r.bands {
            for v in [b.mean[i], b.low[i], b.high[i]] {
                out.push(',');
                out.push_str(&crate::output::fmt_num(v));
            }
        }
        out.push('\n');
    }
    Ok(download(
        "text/csv; charset=utf-8",
        "orgsim-series.csv",
        out.into_bytes(),
    ))
}

fn query_value<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

fn compare(state: &State, query: &str) -> Result<Answer, ApiError> {
    let id = |k: &str| query_value(query, k).ok_or_else(|| bad(format!("`{k}=ID` is missing")));
    let reference = result_of(state, id("reference")?)?;
    let this = result_of(state, id("run")?)?;
    if (reference.seed, reference.replicates) != (this.seed, this.replicates) {
        return Err(ApiError(
            409,
            format!(
                "runs are paired only on the same seeds: seed {} with {} replicates against seed {} with {}",
                reference.seed, reference.replicates, this.seed, this.replicates
            ),
        ));
    }
    let outputs = sim::outputs();
    let rows = sim::compare(&reference, &this, outputs.headline);
    Ok(json_response(200, &json!({ "rows": rows }).to_string()))
}

fn export_scenario(state: &State, w: &WhatIf) -> Result<Answer, ApiError> {
    let scenario = resolve(state, w)?;
    let mut doc = scenario.resolved_json();
    let base = scenario.name.clone();
    if let Some(map) = doc.as_object_mut() {
        map.remove("extends");
        if !w.set.is_empty() {
            let name = format!("{base}-what-if");
            map.insert("name".into(), Value::String(name));
            let changes = w.set.join(", ");
            let described = format!("{base} with {changes} (from orgsim serve).");
            map.insert("description".into(), Value::String(described));
        }
    }
    let name = doc
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("what-if")
        .replace('/', "-");
    let mut text = serde_json::to_string_pretty(&doc).map_err(|e| ApiError(500, e.to_string()))?;
    text.push('\n');
    Ok(download(
        "application/json; charset=utf-8",
        &format!("{name}.json"),
        text.into_bytes(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChartRequest {
    /// The what-ifs drawn, the first as the reference.
    runs: Vec<WhatIf>,
    chart: String,
    format: String,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    width: Option<u32>,
    #[serde(default)]
    height: Option<u32>,
}

/// The charts a page may ask for.
pub const CHARTS: &[&str] = &[
    "innovation_capacity",
    "innovation_capacity_per_100",
    "two_systems",
    "dashboard",
    "comparison",
];

fn export_chart(state: &State, body: &str) -> Result<Answer, ApiError> {
    let req: ChartRequest =
        serde_json::from_str(body).map_err(|e| bad(format!("not a chart request: {e}")))?;
    if req.runs.is_empty() || req.runs.len() > state.limits.chart_scenarios {
        return Err(bad(format!(
            "a chart draws 1 to {} runs",
            state.limits.chart_scenarios
        )));
    }
    if !CHARTS.contains(&req.chart.as_str()) {
        return Err(bad(format!(
            "chart = {}: one of {}",
            req.chart,
            CHARTS.join(", ")
        )));
    }
    let format = Format::parse(&req.format)
        .ok_or_else(|| bad(format!("format = {}: png or svg", req.format)))?;
    let theme = Theme::parse(req.theme.as_deref().unwrap_or("light"))
        .ok_or_else(|| bad("theme: light, dark or print"))?;
    let size = (req.width.unwrap_or(1600), req.height.unwrap_or(900));
    let (lo, hi) = crate::chart::SIZE_RANGE;
    if !(lo..=hi.min(4000)).contains(&size.0) || !(lo..=hi.min(4000)).contains(&size.1) {
        return Err(bad(format!("width and height: {lo} to 4000 pixels")));
    }
    let mut scenarios = Vec::new();
    for (i, w) in req.runs.iter().enumerate() {
        let mut s = resolve(state, w)?;
        s.name = format!("run-{}", i + 1);
        scenarios.push(s);
    }
    let n = state.next.fetch_add(1, Ordering::Relaxed);
    let dir = state.tmp.path().join(format!("chart-{n}"));
    let drawn = sim::draw_chart(scenarios, &req.chart, format, theme, size, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    let bytes = drawn.map_err(|e| ApiError(500, e))?;
    let content_type = match format {
        Format::Png => "image/png",
        Format::Svg => "image/svg+xml",
    };
    Ok(download(
        content_type,
        &format!("{}.{}", req.chart, format.extension()),
        bytes,
    ))
}

/// Opens `url` in the default browser; says so if none can be started.
pub fn open_browser(url: &str) {
    let tried = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(target_os = "windows") {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(e) = tried {
        eprintln!("orgsim serve: could not open a browser ({e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_lists_lifecycle_scenarios_only() {
        let m = meta(&Limits::default());
        let names: Vec<&str> = m["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert!(names.contains(&"dual-system"));
        assert!(!names.contains(&"classic/march1991"));
    }
}
