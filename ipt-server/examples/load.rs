//! A load generator for `scripts/bench-server.sh`: `POST`s a CDS Hooks request over HTTP/1.1
//! keep-alive connections on loopback, each call with a fresh token (a pool minted before the
//! run, each with its own `jti`, so the server checks a signature and records a `jti` every
//! time, as it would for an EHR).
//!
//! Two modes: closed loop (`--connections C`: C connections each sending as soon as the last
//! answer came, for the most the server gives) and open loop (`--rate R`: R calls a second on a
//! fixed schedule; a call's latency counts from when it was due, so a server that falls behind
//! shows it instead of slowing the schedule down). It prints one JSON object.
//!
//! Why not oha or wrk: oha sends the same headers with every request, and wrk has no fixed
//! rate; a fresh token per call at a fixed rate needs both.
//!
//! Usage: load --url URL --body FILE --key PEM --kid KID --iss ISS
//!        (--connections C --tokens N | --rate R) [--seconds S] [--warmup S] [--tenant T]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use ipt_server::jose::SigningKey;
use serde_json::json;

struct Args {
    url: String,
    body: String,
    key: String,
    kid: String,
    iss: String,
    connections: Option<usize>,
    rate: Option<f64>,
    tokens: Option<usize>,
    seconds: f64,
    warmup: f64,
    tenant: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        url: String::new(),
        body: String::new(),
        key: String::new(),
        kid: String::new(),
        iss: String::new(),
        connections: None,
        rate: None,
        tokens: None,
        seconds: 10.0,
        warmup: 2.0,
        tenant: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let v = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => a.url = v,
            "--body" => a.body = std::fs::read_to_string(v).expect("the body file"),
            "--key" => a.key = v,
            "--kid" => a.kid = v,
            "--iss" => a.iss = v,
            "--connections" => a.connections = Some(v.parse().expect("a number")),
            "--rate" => a.rate = Some(v.parse().expect("a number")),
            "--tokens" => a.tokens = Some(v.parse().expect("a number")),
            "--seconds" => a.seconds = v.parse().expect("a number"),
            "--warmup" => a.warmup = v.parse().expect("a number"),
            "--tenant" => a.tenant = Some(v),
            other => panic!("unknown flag {other}"),
        }
    }
    a
}

/// Mints `n` tokens on every core (before the run, so signing does not compete with it).
fn mint(
    key: &Arc<SigningKey>,
    iss: &str,
    kid: &str,
    aud: &str,
    tenant: Option<&str>,
    n: usize,
) -> Vec<String> {
    let threads = std::thread::available_parallelism().map_or(2, |p| p.get());
    let per = n.div_ceil(threads);
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (key, iss, kid, aud) = (
                Arc::clone(key),
                iss.to_owned(),
                kid.to_owned(),
                aud.to_owned(),
            );
            let tenant = tenant.map(str::to_owned);
            std::thread::spawn(move || {
                (0..per)
                    .map(|_| {
                        ipt_server::dev::mint(
                            &key,
                            &iss,
                            &kid,
                            &aud,
                            tenant.as_deref(),
                            None,
                            None,
                            280,
                        )
                        .unwrap()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .take(n)
        .collect()
}

struct Shared {
    tokens: Vec<String>,
    next: AtomicUsize,
    host: String,
    path: String,
    body: Bytes,
    /// (latency µs, status) of calls finished after the warm-up.
    samples: Mutex<Vec<(u64, u16)>>,
    measure_from: Instant,
    stop_at: Instant,
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

/// One call; `None` when the token pool ran out.
async fn one(s: &Shared, sender: &mut Sender) -> Option<u16> {
    let i = s.next.fetch_add(1, Ordering::Relaxed);
    let token = s.tokens.get(i)?;
    let req = hyper::Request::post(&s.path)
        .header("host", &s.host)
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(Full::new(s.body.clone()))
        .unwrap();
    let resp = match sender.send_request(req).await {
        Ok(r) => r,
        Err(_) => return Some(0),
    };
    let status = resp.status().as_u16();
    let _ = resp.into_body().collect().await;
    Some(status)
}

fn record(s: &Shared, due: Instant, status: u16) {
    let now = Instant::now();
    if due >= s.measure_from && now <= s.stop_at {
        let us = now.duration_since(due).as_micros() as u64;
        s.samples.lock().unwrap().push((us, status));
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() {
    let a = args();
    let pem = std::fs::read(&a.key).expect("the key");
    let key = Arc::new(SigningKey::from_pem(&pem).expect("a P-384 or RSA key"));
    let rest = a.url.strip_prefix("http://").expect("an http:// URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let expected = match (a.tokens, a.rate, a.connections) {
        (Some(n), _, _) => n,
        (None, Some(r), _) => (r * (a.seconds + a.warmup) * 1.05) as usize + 100,
        (None, None, Some(_)) => panic!("--tokens: how many calls a closed loop may make"),
        (None, None, None) => panic!("--rate or --connections"),
    };
    let started_minting = Instant::now();
    let tokens = mint(&key, &a.iss, &a.kid, &a.url, a.tenant.as_deref(), expected);
    eprintln!(
        "{} tokens minted in {:.1} s",
        tokens.len(),
        started_minting.elapsed().as_secs_f64()
    );
    let start = Instant::now();
    let shared = Arc::new(Shared {
        tokens,
        next: AtomicUsize::new(0),
        host: host.to_owned(),
        path: path.to_owned(),
        body: Bytes::from(a.body.clone()),
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
            let (s, rx) = (Arc::clone(&shared), Arc::clone(&rx));
            let host = host.to_owned();
            tasks.push(tokio::spawn(async move {
                let mut sender = connect(&host).await;
                loop {
                    let due = { rx.lock().await.recv().await };
                    let Some(due) = due else { break };
                    match one(&s, &mut sender).await {
                        Some(status) => record(&s, due, status),
                        None => break,
                    }
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
    } else if let Some(c) = a.connections {
        for _ in 0..c {
            let s = Arc::clone(&shared);
            let host = host.to_owned();
            tasks.push(tokio::spawn(async move {
                let mut sender = connect(&host).await;
                while Instant::now() < s.stop_at {
                    let due = Instant::now();
                    match one(&s, &mut sender).await {
                        Some(status) => record(&s, due, status),
                        None => break,
                    }
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
    println!(
        "{}",
        json!({
            "mode": if a.rate.is_some() { "rate" } else { "connections" },
            "rate": a.rate, "connections": a.connections, "seconds": a.seconds,
            "calls": samples.len(), "ok": ok,
            "statuses": by_status.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
            "throughput": ok as f64 / a.seconds,
            "p50_ms": pct(0.50), "p90_ms": pct(0.90), "p99_ms": pct(0.99),
            "max_ms": samples.last().map_or(0.0, |(us, _)| *us as f64 / 1000.0),
            "tokens_left": shared.tokens.len().saturating_sub(shared.next.load(Ordering::Relaxed)),
            "sent": shared.next.load(Ordering::Relaxed).min(shared.tokens.len()),
        })
    );
}
