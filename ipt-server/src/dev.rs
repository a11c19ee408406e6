//! The first run in one command (`ipt-server --dev`): SQLite in a local directory, a key
//! generated there and trusted as an issuer, and a `curl` line with a fresh token that calls
//! `patient-view` on the README's example. `ipt-server token --dev` mints more. Not for
//! production: the key sits beside the store and plain HTTP is served on loopback.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::config::{Config, Issuer};
use crate::jose::{Alg, SigningKey};

/// The README's CDS Hooks example (a test holds it to the README).
pub const EXAMPLE_REQUEST: &str = include_str!("dev_example.json");

/// The development issuer.
pub const DEV_ISSUER: &str = "urn:ipt-server:dev-issuer";
/// Its key id.
pub const DEV_KID: &str = "dev-es384";

/// What `--dev` leaves in its directory for `token --dev`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DevState {
    /// The URL the development server was last started at.
    pub public_url: String,
    /// The issuer.
    pub iss: String,
    /// The key id.
    pub kid: String,
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)?.write_all(text.as_bytes())
}

/// The development key of `dir`, made on first use.
pub fn key(dir: &Path) -> Result<SigningKey, String> {
    let path = dir.join("issuer-key.pem");
    if path.exists() {
        let pem = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        return SigningKey::from_pem(&pem).map_err(|e| format!("{}: {e}", path.display()));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let key = SigningKey::generate(Alg::Es384).map_err(|e| e.to_string())?;
    write_private(&path, &key.to_pem().map_err(|e| e.to_string())?)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(key)
}

/// The configuration of a development server in `dir`.
pub fn config(dir: &Path, listen: Option<String>) -> Result<Config, String> {
    let key = key(dir)?;
    let jwks = dir.join("jwks.json");
    let set = json!({"keys": [key.public_jwk(DEV_KID)]});
    std::fs::write(&jwks, format!("{set:#}\n")).map_err(|e| format!("{}: {e}", jwks.display()))?;
    std::fs::write(dir.join("patient-view.json"), EXAMPLE_REQUEST)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut c = Config {
        listen: listen.unwrap_or_else(|| "127.0.0.1:0".into()),
        store: format!("sqlite:{}", dir.join("ipt-server.sqlite3").display()),
        ..Config::default()
    };
    c.log.format = "text".into();
    c.prefetch.allow_http = true;
    c.auth.issuers.push(Issuer {
        iss: DEV_ISSUER.into(),
        jwks_url: None,
        jwks_file: Some(jwks),
        jku: Vec::new(),
        algorithms: vec!["ES384".into(), "RS384".into()],
        fhir_servers: Vec::new(),
    });
    Ok(c)
}

/// Mints a token.
#[allow(clippy::too_many_arguments)]
pub fn mint(
    key: &SigningKey,
    iss: &str,
    kid: &str,
    aud: &str,
    tenant: Option<&str>,
    jku: Option<&str>,
    sub: Option<&str>,
    lifetime: i64,
) -> Result<String, String> {
    let now = crate::clock::now();
    let mut header = json!({"typ": "JWT", "kid": kid});
    if let Some(j) = jku {
        header["jku"] = json!(j);
    }
    let mut claims = json!({"iss": iss, "aud": aud, "iat": now, "exp": now + lifetime,
                            "jti": crate::jose::random_hex(16)});
    if let Some(t) = tenant {
        claims["tenant"] = json!(t);
    }
    if let Some(s) = sub {
        claims["sub"] = json!(s);
    }
    key.sign_jwt(&header, &claims).map_err(|e| e.to_string())
}

/// After the development server started: records its URL and prints the first call.
pub fn announce(dir: &Path, public_url: &str) -> Result<(), String> {
    let state = DevState {
        public_url: public_url.to_owned(),
        iss: DEV_ISSUER.into(),
        kid: DEV_KID.into(),
    };
    let text = serde_json::to_string_pretty(&state).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("dev.json"), text).map_err(|e| e.to_string())?;
    let key = key(dir)?;
    let path = "/cds-services/ipt-suitability";
    let token = mint(
        &key,
        DEV_ISSUER,
        DEV_KID,
        &format!("{public_url}{path}"),
        None,
        None,
        None,
        300,
    )?;
    let example = dir.join("patient-view.json");
    println!(
        "ipt-server (development) at {public_url}: SQLite store and issuer key in {dir}; \
         not for production.\n\n\
         Call patient-view on the README's example (the token is good once, for 5 minutes):\n\n\
         curl -sS {public_url}{path} -H 'Authorization: Bearer {token}' \
         -H 'Content-Type: application/json' --data @{example}\n\n\
         More tokens: ipt-server token --dev --dir {dir} --path {path}\n\
         (with cargo: cargo run -q -p ipt-server -- token --dev --dir {dir} --path {path})\n",
        dir = dir.display(),
        example = example.display(),
    );
    Ok(())
}

/// The development state of `dir`, for `token --dev`.
pub fn state(dir: &Path) -> Result<DevState, String> {
    let p: PathBuf = dir.join("dev.json");
    let text = std::fs::read_to_string(&p).map_err(|e| {
        format!(
            "{}: {e} (start the development server first: ipt-server --dev)",
            p.display()
        )
    })?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_is_the_readmes() {
        let readme = include_str!("../../README.md");
        let marker = "<!-- example:cds-hooks:request -->\n```json\n";
        let start = readme.find(marker).unwrap() + marker.len();
        let end = start + readme[start..].find("\n```").unwrap();
        assert_eq!(EXAMPLE_REQUEST.trim_end(), &readme[start..end]);
    }
}
