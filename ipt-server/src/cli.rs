//! The `ipt-server` command: serve (the default), `dev` (or `--dev`), `token`, `keygen`,
//! `feedback-summary`, `openapi`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{Config, Overrides};
use crate::jose::{Alg, SigningKey};

/// The IPT rules engine as a CDS Hooks 2.0 service.
#[derive(Debug, Parser)]
#[command(name = "ipt-server", version, about, long_about = None)]
pub struct Cli {
    /// What to do (serve when omitted).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Start a development server (as the `dev` command).
    #[arg(long)]
    pub dev: bool,
    /// Server options.
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// Options of the server (each also an environment variable).
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The configuration file (TOML).
    #[arg(long, env = "IPT_SERVER_CONFIG")]
    pub config: Option<PathBuf>,
    /// Where to listen (`127.0.0.1:8080`; port 0 picks one).
    #[arg(long, env = "IPT_SERVER_LISTEN")]
    pub listen: Option<String>,
    /// The URL clients call (every token's `aud` starts with it).
    #[arg(long, env = "IPT_SERVER_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The store: `sqlite:PATH` or `postgres://...`.
    #[arg(long, env = "IPT_SERVER_STORE")]
    pub store: Option<String>,
    /// The operations listener (health and metrics without a token).
    #[arg(long, env = "IPT_SERVER_OPS_LISTEN")]
    pub ops_listen: Option<String>,
    /// Log filter (`info`, `debug`, `ipt_server=debug`).
    #[arg(long, env = "IPT_SERVER_LOG_LEVEL")]
    pub log_level: Option<String>,
    /// Log format: `json` or `text`.
    #[arg(long, env = "IPT_SERVER_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// Write where the server listens, as JSON, to this file once it does (for scripts).
    #[arg(long, env = "IPT_SERVER_READY_FILE")]
    pub ready_file: Option<PathBuf>,
    /// The development directory (`--dev`).
    #[arg(long, default_value = ".ipt-server-dev")]
    pub dev_dir: PathBuf,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve (the default).
    Serve,
    /// A development server: SQLite and an issuer key in `--dev-dir`, and a curl line to try.
    Dev,
    /// Mint tokens (one per line) for calling a server.
    Token(TokenArgs),
    /// Generate an ES384 or RS384 key pair: the private key (PKCS#8 PEM) and its JWK Set.
    Keygen(KeygenArgs),
    /// Feedback by rule, read from the store.
    FeedbackSummary(SummaryArgs),
    /// Print the OpenAPI document.
    Openapi {
        /// The server URL to put in it.
        #[arg(long)]
        public_url: Option<String>,
    },
}

/// `token`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Use the development server's key, issuer and URL (from `--dir`).
    #[arg(long)]
    pub dev: bool,
    /// The development directory.
    #[arg(long, default_value = ".ipt-server-dev")]
    pub dir: PathBuf,
    /// The private key (PKCS#8 PEM, P-384 or RSA).
    #[arg(long)]
    pub key: Option<PathBuf>,
    /// `iss`.
    #[arg(long)]
    pub iss: Option<String>,
    /// `kid`.
    #[arg(long)]
    pub kid: Option<String>,
    /// `aud`: the full URL to be called.
    #[arg(long)]
    pub aud: Option<String>,
    /// The server's URL, with `--path` (instead of `--aud`).
    #[arg(long)]
    pub base: Option<String>,
    /// The path to be called, after `--base` or the development URL.
    #[arg(long, default_value = "/cds-services/ipt-suitability")]
    pub path: String,
    /// `tenant`.
    #[arg(long)]
    pub tenant: Option<String>,
    /// `jku` header.
    #[arg(long)]
    pub jku: Option<String>,
    /// `sub`.
    #[arg(long)]
    pub sub: Option<String>,
    /// Seconds from now to `exp`.
    #[arg(long, default_value_t = 300)]
    pub lifetime: i64,
    /// How many tokens (each with its own `jti`).
    #[arg(long, default_value_t = 1)]
    pub count: usize,
}

/// `keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// `ES384` or `RS384`.
    #[arg(long, default_value = "ES384")]
    pub alg: String,
    /// The key id.
    #[arg(long)]
    pub kid: String,
    /// Where to write the private key.
    #[arg(long)]
    pub key_out: PathBuf,
    /// Where to write the JWK Set (public).
    #[arg(long)]
    pub jwks_out: PathBuf,
}

/// `feedback-summary`.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// The configuration file (for its store).
    #[arg(long, env = "IPT_SERVER_CONFIG")]
    pub config: Option<PathBuf>,
    /// The store (over the configuration's).
    #[arg(long, env = "IPT_SERVER_STORE")]
    pub store: Option<String>,
    /// Only this issuer.
    #[arg(long)]
    pub issuer: Option<String>,
    /// Only this tenant (`""` for tokens without one).
    #[arg(long)]
    pub tenant: Option<String>,
    /// `table` or `json`.
    #[arg(long, default_value = "table")]
    pub format: String,
}

fn init_logs(level: &str, format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "text" {
        builder.with_ansi(false).init();
    } else {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .init();
    }
}

fn load(args: &ServeArgs) -> Result<Config, String> {
    let mut c = match &args.config {
        Some(p) => Config::from_file(p).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    c.apply(Overrides {
        listen: args.listen.clone(),
        public_url: args.public_url.clone(),
        store: args.store.clone(),
        ops_listen: args.ops_listen.clone(),
        log_level: args.log_level.clone(),
        log_format: args.log_format.clone(),
    });
    c.validate().map_err(|e| e.to_string())?;
    Ok(c)
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}

fn serve(
    config: Config,
    ready_file: Option<PathBuf>,
    dev_dir: Option<PathBuf>,
) -> Result<(), String> {
    init_logs(&config.log.level, &config.log.format);
    runtime()?.block_on(async move {
        crate::serve::run(config, |s| {
            if let Some(f) = &ready_file {
                let text = serde_json::to_string(s).unwrap_or_default();
                if let Err(e) = std::fs::write(f, text) {
                    tracing::error!(error = %e, "ready file not written");
                }
            }
            if let Some(dir) = &dev_dir {
                if let Err(e) = crate::dev::announce(dir, &s.public_url) {
                    tracing::error!(error = %e, "development setup incomplete");
                }
            }
        })
        .await
        .map_err(|e| e.to_string())
    })
}

fn token(a: TokenArgs) -> Result<(), String> {
    let (key, iss, kid, base) = if a.dev {
        let st = crate::dev::state(&a.dir)?;
        (
            crate::dev::key(&a.dir)?,
            st.iss,
            st.kid,
            Some(st.public_url),
        )
    } else {
        let path = a.key.as_ref().ok_or("--key (or --dev)")?;
        let pem = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let key = SigningKey::from_pem(&pem).map_err(|e| e.to_string())?;
        (
            key,
            a.iss.clone().ok_or("--iss")?,
            a.kid.clone().ok_or("--kid")?,
            None,
        )
    };
    let iss = a.iss.clone().unwrap_or(iss);
    let kid = a.kid.clone().unwrap_or(kid);
    let aud = match (&a.aud, a.base.as_ref().or(base.as_ref())) {
        (Some(aud), _) => aud.clone(),
        (None, Some(b)) => format!("{}{}", b.trim_end_matches('/'), a.path),
        (None, None) => return Err("--aud, or --base with --path".into()),
    };
    for _ in 0..a.count {
        let t = crate::dev::mint(
            &key,
            &iss,
            &kid,
            &aud,
            a.tenant.as_deref(),
            a.jku.as_deref(),
            a.sub.as_deref(),
            a.lifetime,
        )?;
        println!("{t}");
    }
    Ok(())
}

fn keygen(a: KeygenArgs) -> Result<(), String> {
    let alg = Alg::parse(&a.alg).map_err(|_| format!("unknown algorithm {}", a.alg))?;
    let key = SigningKey::generate(alg).map_err(|e| e.to_string())?;
    let pem = key.to_pem().map_err(|e| e.to_string())?;
    std::fs::write(&a.key_out, pem).map_err(|e| format!("{}: {e}", a.key_out.display()))?;
    let set = serde_json::json!({"keys": [key.public_jwk(&a.kid)]});
    std::fs::write(&a.jwks_out, format!("{set:#}\n"))
        .map_err(|e| format!("{}: {e}", a.jwks_out.display()))?;
    Ok(())
}

fn summary(a: SummaryArgs) -> Result<(), String> {
    let mut c = match &a.config {
        Some(p) => Config::from_file(p).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    if let Some(s) = a.store {
        c.store = s;
    }
    let filter = crate::store::SummaryFilter {
        issuer: a.issuer.clone(),
        tenant: a.tenant.clone(),
    };
    let engine = crate::engine::Engine::load()?;
    let counts = runtime()?.block_on(async {
        let store = crate::store::open(&c.store)
            .await
            .map_err(|e| e.to_string())?;
        store
            .feedback_summary(&filter)
            .await
            .map_err(|e| e.to_string())
    })?;
    let s = crate::feedback::summary(a.issuer, a.tenant, counts, &engine);
    match a.format.as_str() {
        "json" => println!(
            "{}",
            serde_json::to_string_pretty(&s).map_err(|e| e.to_string())?
        ),
        "table" => print!("{}", crate::feedback::table(&s)),
        other => return Err(format!("--format is table or json, not {other}")),
    }
    Ok(())
}

/// Runs the command line; the error is printed by `main`.
pub fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Some(Command::Dev) => dev(cli.serve),
        None if cli.dev => dev(cli.serve),
        None | Some(Command::Serve) => {
            let c = load(&cli.serve)?;
            serve(c, cli.serve.ready_file, None)
        }
        Some(Command::Token(a)) => token(a),
        Some(Command::Keygen(a)) => keygen(a),
        Some(Command::FeedbackSummary(a)) => summary(a),
        Some(Command::Openapi { public_url }) => {
            let doc = crate::openapi::document(public_url.as_deref());
            println!(
                "{}",
                serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?
            );
            Ok(())
        }
    }
}

fn dev(args: ServeArgs) -> Result<(), String> {
    let dir = args.dev_dir.clone();
    let mut c = crate::dev::config(&dir, args.listen.clone())?;
    c.apply(Overrides {
        listen: None,
        public_url: args.public_url.clone(),
        store: args.store.clone(),
        ops_listen: args.ops_listen.clone(),
        log_level: args.log_level.clone(),
        log_format: args.log_format.clone(),
    });
    serve(c, args.ready_file, Some(dir))
}
