//! Running the service: the store opened and migrated, the listeners bound (TLS directly with
//! certificate and key files, or plain HTTP behind a proxy), expired token ids and old cards
//! pruned every minute, and a graceful shutdown on SIGTERM or SIGINT (no new connection;
//! requests in flight finish within `shutdown_grace_ms`).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::app::{self, App};
use crate::auth::Authenticator;
use crate::config::Config;
use crate::engine::Engine;
use crate::metrics::Metrics;
use crate::prefetch::Prefetcher;

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The configuration.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The store.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// A listener, a file.
    #[error("{0}")]
    Io(String),
}

/// What a started service tells whoever started it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Started {
    /// The address of the main listener.
    pub listen: SocketAddr,
    /// The URL clients call.
    pub public_url: String,
    /// The address of the operations listener, if any.
    pub ops_listen: Option<SocketAddr>,
    /// `sqlite` or `postgres`.
    pub store: &'static str,
    /// Whether the main listener serves TLS.
    pub tls: bool,
}

fn tls_acceptor(tls: &crate::config::Tls) -> Result<tokio_rustls::TlsAcceptor, StartError> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let io = |what: &str, e: &dyn std::fmt::Display| StartError::Io(format!("TLS {what}: {e}"));
    let certs = CertificateDer::pem_file_iter(&tls.cert_file)
        .map_err(|e| io("certificate", &e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| io("certificate", &e))?;
    let key = PrivateKeyDer::from_pem_file(&tls.key_file).map_err(|e| io("key", &e))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| io("versions", &e))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| io("certificate and key", &e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

/// The HTTP client for key sets and prefetch: no redirects, rustls on aws-lc-rs with the
/// system's trust store.
pub fn http_client() -> Result<reqwest::Client, StartError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("ipt-server/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_secs(3))
        .build()
        .map_err(|e| StartError::Io(format!("HTTP client: {e}")))
}

/// Starts the service and runs it until SIGTERM or SIGINT. `started` is told where it
/// listens once it does.
pub async fn run(config: Config, started: impl FnOnce(&Started)) -> Result<(), StartError> {
    config.validate()?;
    let store = crate::store::open(&config.store).await?;
    let metrics = Arc::new(Metrics::new());
    let http = http_client()?;
    let engine = Engine::load().map_err(StartError::Io)?;
    for key in &config.prefetch.required {
        if !engine
            .services
            .values()
            .any(|s| s.templates.contains_key(key))
        {
            return Err(StartError::Io(format!(
                "prefetch.required names `{key}`, which no service's prefetch has"
            )));
        }
    }
    let tls = config.tls.as_ref().map(tls_acceptor).transpose()?;
    let listener = TcpListener::bind(&config.listen)
        .await
        .map_err(|e| StartError::Io(format!("cannot listen on {}: {e}", config.listen)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| StartError::Io(e.to_string()))?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("{scheme}://{addr}"));
    let metrics_token = match &config.metrics.token_file {
        Some(f) => Some(
            std::fs::read_to_string(f)
                .map_err(|e| StartError::Io(format!("metrics.token_file: {e}")))?
                .trim()
                .to_owned(),
        )
        .filter(|t| !t.is_empty()),
        None => None,
    };
    let offset = crate::clock::parse_offset(&config.clock.utc_offset).map_err(StartError::Io)?;
    let fhir_servers: HashMap<String, Vec<String>> = config
        .auth
        .issuers
        .iter()
        .map(|i| (i.iss.clone(), i.fhir_servers.clone()))
        .collect();
    let app = Arc::new(App {
        auth: Authenticator::new(
            &config,
            Arc::clone(&store),
            Arc::clone(&metrics),
            http.clone(),
        ),
        prefetch: Prefetcher::new(config.prefetch.clone(), http, Arc::clone(&metrics)),
        limiter: Semaphore::new(config.limits.concurrency),
        public_url: public_url.clone(),
        store: Arc::clone(&store),
        engine,
        metrics,
        offset,
        metrics_token,
        fhir_servers,
        config: config.clone(),
    });
    let ops = match &config.operations.listen {
        Some(a) => Some(
            TcpListener::bind(a)
                .await
                .map_err(|e| StartError::Io(format!("cannot listen on {a}: {e}")))?,
        ),
        None => None,
    };
    let ops_addr = ops.as_ref().and_then(|l| l.local_addr().ok());
    let info = Started {
        listen: addr,
        public_url,
        ops_listen: ops_addr,
        store: store.kind(),
        tls: tls.is_some(),
    };
    tracing::info!(listen = %addr, public_url = %info.public_url, store = info.store,
        tls = tls.is_some(), ops_listen = ?ops_addr, "listening");
    started(&info);

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let pruner = tokio::spawn(prune_every_minute(Arc::clone(&app), stop_rx.clone()));
    let ops_task = ops.map(|l| {
        let router = app::ops_router(Arc::clone(&app));
        tokio::spawn(accept_loop(
            l,
            router,
            None,
            stop_rx.clone(),
            Duration::from_secs(1),
        ))
    });
    let router = app::router(Arc::clone(&app));
    let grace = Duration::from_millis(config.limits.shutdown_grace_ms);
    let main = tokio::spawn(accept_loop(listener, router, tls, stop_rx, grace));
    shutdown_signal().await;
    tracing::info!(
        grace_ms = grace.as_millis() as u64,
        "shutting down: no new connections"
    );
    let _ = stop_tx.send(true);
    let _ = main.await;
    if let Some(t) = ops_task {
        let _ = t.await;
    }
    pruner.abort();
    app.limiter.close();
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn prune_every_minute(app: Arc<App>, mut stop: tokio::sync::watch::Receiver<bool>) {
    let days = app.config.retention.cards_days as i64;
    loop {
        let now = crate::clock::now();
        match app.store.prune(now, now - days * 86_400).await {
            Ok(p) => tracing::debug!(jtis = p.jtis, cards = p.cards, "pruned"),
            Err(e) => tracing::warn!(error = %e, "prune failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
            _ = stop.changed() => return,
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    router: Router,
    tls: Option<tokio_rustls::TlsAcceptor>,
    mut stop: tokio::sync::watch::Receiver<bool>,
    grace: Duration,
) {
    let graceful = GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(10))
        .keep_alive(true);
    let builder = Arc::new(builder);
    loop {
        let (stream, _peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stop.changed() => break,
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone());
        let watcher = graceful.watcher();
        let builder = Arc::clone(&builder);
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                Some(acceptor) => {
                    let handshake =
                        tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream))
                            .await;
                    match handshake {
                        Ok(Ok(s)) => {
                            let conn = builder.serve_connection(TokioIo::new(s), service);
                            let _ = watcher.watch(conn).await;
                        }
                        Ok(Err(e)) => tracing::debug!(error = %e, "TLS handshake failed"),
                        Err(_) => tracing::debug!("TLS handshake timed out"),
                    }
                }
                None => {
                    let conn = builder.serve_connection(TokioIo::new(stream), service);
                    let _ = watcher.watch(conn).await;
                }
            }
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(grace) => {
            tracing::warn!("requests still in flight after the grace period: closing");
        }
    }
}
