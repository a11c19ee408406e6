//! A load generator for `scripts/bench-courses.sh`: course events appended and course statuses
//! read over HTTP/1.1 keep-alive connections on loopback, each call with a fresh token (minted
//! before the run, one `jti` each, its `aud` the URL called).
//!
//! Modes:
//!
//! * `template`: starts one course for a patient and records its first events (one call
//!   each); prints the course's id.
//! * `appends`: takes courses from `--ids` (after `--skip`), and to each appends `--events` in
//!   order, each with `If-Match` its version (`--from` plus the events before it). Closed loop
//!   (`--connections C`: C connections, each sending as soon as its last answer came) or open
//!   loop (`--rate R`: R appends a second on a schedule, each to a course not waiting for an
//!   answer; latency counts from when the call was due).
//! * `status`: `GET /courses/{id}` of courses drawn from `--ids`, closed or open loop.
//!
//! It prints one JSON object: calls measured, answers by status, throughput (200s a second),
//! p50, p90, p99 and max in milliseconds, and every call sent (the warm-up's too).
//!
//! Usage: course_load MODE --base URL --key PEM --kid KID --iss ISS [--ids FILE] [--events FILE]
//!        [--from N] [--skip N] [--courses N] (--connections C | --rate R) [--seconds S]
//!        [--warmup S] [--patient ID]

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use ipt_server::jose::SigningKey;
use serde_json::{json, Value};

#[derive(Default)]
struct Args {
    mode: String,
    base: String,
    key: String,
    kid: String,
    iss: String,
    ids: Option<String>,
    events: Option<String>,
    from: i64,
    skip: usize,
    courses: usize,
    connections: Option<usize>,
    rate: Option<f64>,
    seconds: f64,
    warmup: f64,
    patient: String,
}

fn args() -> Args {
    let mut it = std::env::args().skip(1);
    let mut a = Args {
        mode: it.next().expect("a mode: template, appends or status"),
        seconds: 10.0,
        warmup: 2.0,
        courses: 2_000,
        patient: "example".into(),
        ..Args::default()
    };
    while let Some(flag) = it.next() {
        let v = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        let n = || v.parse::<f64>().expect("a number");
        match flag.as_str() {
            "--base" => a.base = v.trim_end_matches('/').to_owned(),
            "--key" => a.key = v,
            "--kid" => a.kid = v,
            "--iss" => a.iss = v,
            "--ids" => a.ids = Some(v),
            "--events" => a.events = Some(v),
            "--from" => a.from = n() as i64,
            "--skip" => a.skip = n() as usize,
            "--courses" => a.courses = n() as usize,
            "--connections" => a.connections = Some(n() as usize),
            "--rate" => a.rate = Some(n()),
            "--seconds" => a.seconds = n(),
            "--warmup" => a.warmup = n(),
            "--patient" => a.patient = v,
            other => panic!("unknown flag {other}"),
        }
    }
    a
}

/// Tokens for each path, minted on every core before the run.
fn mint(key: &Arc<SigningKey>, iss: &str, kid: &str, auds: Vec<String>) -> Vec<String> {
    let threads = std::thread::available_parallelism().map_or(2, |p| p.get());
    let per = auds.len().div_ceil(threads).max(1);
    let chunks: Vec<Vec<String>> = auds.chunks(per).map(<[String]>::to_vec).collect();
    let handles: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            let (key, iss, kid) = (Arc::clone(key), iss.to_owned(), kid.to_owned());
            std::thread::spawn(move || {
                chunk
                    .iter()
                    .map(|aud| {
                        ipt_server::dev::mint(&key, &iss, &kid, aud, None, None, None, 280).unwrap()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect()
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(addr: &str) -> Sender {
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).unwrap();
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("handshake");
    tokio::spawn(conn);
    sender
}

/// One call: its status (0 when the connection failed) and its body.
async fn send(
    sender: &mut Sender,
    host: &str,
    method: &str,
    path: &str,
    token: &str,
    if_match: Option<i64>,
    body: Option<Bytes>,
) -> (u16, Bytes) {
    let mut req = hyper::Request::builder()
        .method(method)
        .uri(path)
        .header("host", host)
        .header("authorization", format!("Bearer {token}"));
    if let Some(v) = if_match {
        req = req.header("if-match", format!("\"{v}\""));
    }
    let req = match body {
        Some(b) => req
            .header("content-type", "application/json")
            .body(Full::new(b)),
        None => req.body(Full::new(Bytes::new())),
    }
    .unwrap();
    if sender.ready().await.is_err() {
        return (0, Bytes::new());
    }
    match sender.send_request(req).await {
        Ok(r) => {
            let status = r.status().as_u16();
            let body = r
                .into_body()
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            (status, body)
        }
        Err(_) => (0, Bytes::new()),
    }
}

/// A unit of work: `(course, event)` for appends, `course` for status.
#[derive(Clone, Copy)]
struct Work {
    course: usize,
    event: usize,
}

struct Shared {
    host: String,
    mode: String,
    ids: Vec<String>,
    /// Appends: the events, as bodies. Status: none.
    events: Vec<Bytes>,
    from: i64,
    /// Tokens by course slot and event (appends) or by call (status).
    tokens: Vec<Vec<String>>,
    next_course: AtomicUsize,
    /// Appends: courses waiting for their next event.
    idle: Mutex<VecDeque<Work>>,
    /// Every call made, the warm-up's too.
    sent: AtomicUsize,
    samples: Mutex<Vec<(u64, u16)>>,
    measure_from: Instant,
    stop_at: Instant,
}

impl Shared {
    fn take(&self) -> Option<Work> {
        if self.mode == "appends" {
            if let Some(w) = self.idle.lock().unwrap().pop_front() {
                return Some(w);
            }
        }
        let c = self.next_course.fetch_add(1, Ordering::Relaxed);
        (c < self.tokens.len()).then_some(Work {
            course: c,
            event: 0,
        })
    }

    async fn run(&self, sender: &mut Sender, w: Work) -> u16 {
        self.sent.fetch_add(1, Ordering::Relaxed);
        let id = &self.ids[w.course];
        if self.mode == "appends" {
            let path = format!("/courses/{id}/events");
            let (status, _) = send(
                sender,
                &self.host,
                "POST",
                &path,
                &self.tokens[w.course][w.event],
                Some(self.from + w.event as i64),
                Some(self.events[w.event].clone()),
            )
            .await;
            if status == 200 && w.event + 1 < self.events.len() {
                self.idle.lock().unwrap().push_back(Work {
                    event: w.event + 1,
                    ..w
                });
            }
            status
        } else {
            let path = format!("/courses/{id}");
            send(
                sender,
                &self.host,
                "GET",
                &path,
                &self.tokens[w.course][0],
                None,
                None,
            )
            .await
            .0
        }
    }

    fn record(&self, due: Instant, status: u16) {
        let now = Instant::now();
        if due >= self.measure_from && now <= self.stop_at {
            let us = now.duration_since(due).as_micros() as u64;
            self.samples.lock().unwrap().push((us, status));
        }
    }
}

/// `template`: a course for `--patient` with the events of `--events`; prints its id.
async fn template(a: &Args, key: &Arc<SigningKey>, host: &str) {
    let events: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(a.events.as_ref().unwrap()).unwrap())
            .unwrap();
    let start = events[0].clone();
    let token = |path: &str| {
        ipt_server::dev::mint(
            key,
            &a.iss,
            &a.kid,
            &format!("{}{path}", a.base),
            None,
            None,
            None,
            60,
        )
        .unwrap()
    };
    let mut sender = connect(host).await;
    let body = json!({"patientId": a.patient, "start": start, "userId": "Practitioner/bench"});
    let (status, answer) = send(
        &mut sender,
        host,
        "POST",
        "/courses",
        &token("/courses"),
        None,
        Some(Bytes::from(body.to_string())),
    )
    .await;
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&answer));
    let id = serde_json::from_slice::<Value>(&answer).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/courses/{id}/events");
    for (i, e) in events[1..].iter().enumerate() {
        let body = json!({"event": e, "userId": "Practitioner/bench"});
        let (status, answer) = send(
            &mut sender,
            host,
            "POST",
            &path,
            &token(&path),
            Some(i as i64),
            Some(Bytes::from(body.to_string())),
        )
        .await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    }
    println!("{id}");
}

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() {
    let a = args();
    let pem = std::fs::read(&a.key).expect("the key");
    let key = Arc::new(SigningKey::from_pem(&pem).expect("a P-384 or RSA key"));
    let host = a
        .base
        .strip_prefix("http://")
        .expect("an http:// URL")
        .to_owned();
    if a.mode == "template" {
        template(&a, &key, &host).await;
        return;
    }
    let all: Vec<String> = std::fs::read_to_string(a.ids.as_ref().expect("--ids"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let (ids, events, tokens) = match a.mode.as_str() {
        "appends" => {
            let events: Vec<Value> = serde_json::from_str(
                &std::fs::read_to_string(a.events.as_ref().expect("--events")).unwrap(),
            )
            .unwrap();
            let ids: Vec<String> = all.iter().skip(a.skip).take(a.courses).cloned().collect();
            assert_eq!(ids.len(), a.courses, "not enough courses after --skip");
            let auds: Vec<String> = ids
                .iter()
                .flat_map(|id| {
                    let aud = format!("{}/courses/{id}/events", a.base);
                    std::iter::repeat_n(aud, events.len())
                })
                .collect();
            let started = Instant::now();
            let flat = mint(&key, &a.iss, &a.kid, auds);
            eprintln!(
                "{} tokens minted in {:.1} s",
                flat.len(),
                started.elapsed().as_secs_f64()
            );
            let tokens: Vec<Vec<String>> =
                flat.chunks(events.len()).map(<[String]>::to_vec).collect();
            let bodies = events
                .iter()
                .map(|e| {
                    Bytes::from(json!({"event": e, "userId": "Practitioner/bench"}).to_string())
                })
                .collect();
            (ids, bodies, tokens)
        }
        "status" => {
            // Courses drawn across the whole store, spread by a fixed stride.
            let n = a.courses;
            let stride = (all.len() / n.max(1)).max(1);
            let ids: Vec<String> = (0..n)
                .map(|i| all[(i * stride + 7) % all.len()].clone())
                .collect();
            let auds = ids
                .iter()
                .map(|id| format!("{}/courses/{id}", a.base))
                .collect();
            let tokens = mint(&key, &a.iss, &a.kid, auds)
                .into_iter()
                .map(|t| vec![t])
                .collect();
            (ids, Vec::new(), tokens)
        }
        m => panic!("unknown mode {m}"),
    };
    let start = Instant::now();
    let shared = Arc::new(Shared {
        host: host.clone(),
        mode: a.mode.clone(),
        ids,
        events,
        from: a.from,
        tokens,
        next_course: AtomicUsize::new(0),
        idle: Mutex::new(VecDeque::new()),
        sent: AtomicUsize::new(0),
        samples: Mutex::new(Vec::new()),
        measure_from: start + Duration::from_secs_f64(a.warmup),
        stop_at: start + Duration::from_secs_f64(a.warmup + a.seconds),
    });
    let mut tasks = Vec::new();
    if let Some(rate) = a.rate {
        // Open loop: a schedule of due times, served by a pool of connections.
        let (tx, rx) = tokio::sync::mpsc::channel::<Instant>(1_000_000);
        let rx = Arc::new(tokio::sync::Mutex::new(rx));
        for _ in 0..64 {
            let (s, rx, host) = (Arc::clone(&shared), Arc::clone(&rx), host.clone());
            tasks.push(tokio::spawn(async move {
                let mut sender = connect(&host).await;
                loop {
                    let due = { rx.lock().await.recv().await };
                    let Some(due) = due else { break };
                    let Some(w) = s.take() else { break };
                    let status = s.run(&mut sender, w).await;
                    s.record(due, status);
                    if sender.is_closed() {
                        sender = connect(&host).await;
                    }
                }
            }));
        }
        let interval = Duration::from_secs_f64(1.0 / rate);
        let mut due = start;
        while due < shared.stop_at {
            tokio::time::sleep_until(due.into()).await;
            if tx.send(due).await.is_err() {
                break;
            }
            due += interval;
        }
        drop(tx);
    } else {
        let c = a.connections.expect("--rate or --connections");
        for _ in 0..c {
            let (s, host) = (Arc::clone(&shared), host.clone());
            tasks.push(tokio::spawn(async move {
                let mut sender = connect(&host).await;
                while Instant::now() < s.stop_at {
                    let Some(w) = s.take() else { break };
                    let due = Instant::now();
                    let status = s.run(&mut sender, w).await;
                    s.record(due, status);
                    if sender.is_closed() {
                        sender = connect(&host).await;
                    }
                }
            }));
        }
    }
    for t in tasks {
        let _ = t.await;
    }
    let mut samples = shared.samples.lock().unwrap().clone();
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    for (_, s) in &samples {
        *by_status.entry(*s).or_default() += 1;
    }
    samples.sort_unstable();
    let pct = |p: f64| {
        samples
            .get(((samples.len() as f64 * p) as usize).min(samples.len().saturating_sub(1)))
            .map_or(0.0, |(us, _)| *us as f64 / 1000.0)
    };
    let ok = by_status.get(&200).copied().unwrap_or(0);
    let used = shared.next_course.load(Ordering::Relaxed);
    println!(
        "{}",
        json!({
            "mode": a.mode, "rate": a.rate, "connections": a.connections, "seconds": a.seconds,
            "calls": samples.len(), "ok": ok,
            "statuses": by_status.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
            "throughput": ok as f64 / a.seconds,
            "p50_ms": pct(0.50), "p90_ms": pct(0.90), "p99_ms": pct(0.99),
            "max_ms": samples.last().map_or(0.0, |(us, _)| *us as f64 / 1000.0),
            "sent": shared.sent.load(Ordering::Relaxed),
            "courses_used": used.min(shared.tokens.len()),
            "ran_out": used >= shared.tokens.len(),
        })
    );
}
