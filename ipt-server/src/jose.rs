//! JSON Web Signatures in compact form, JSON Web Keys, and signing (RFC 7515, 7517, 7518).
//!
//! Only asymmetric algorithms exist here: [`Alg`] has no `none` and no HMAC member, so no
//! configuration and no token can select them. A key from a key set is bound to the algorithms
//! it may verify (its `kty` and `crv`, its `alg` when the key set gives one), so an RSA key never
//! checks an ECDSA signature nor the reverse. The signature itself is checked by aws-lc-rs.

use std::fmt;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, EcdsaKeyPair, KeyPair, ParsedPublicKey, RsaPublicKeyComponents};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Map, Value};

/// The longest token read (bytes of the compact form); a longer one is refused unread.
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// A signature algorithm this service can check. There is deliberately no `none` and no `HS*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Alg {
    /// ECDSA on P-256 with SHA-256.
    Es256,
    /// ECDSA on P-384 with SHA-384 (recommended by CDS Hooks).
    Es384,
    /// ECDSA on P-521 with SHA-512.
    Es512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    Rs256,
    /// RSASSA-PKCS1-v1_5 with SHA-384 (recommended by CDS Hooks).
    Rs384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    Rs512,
    /// RSASSA-PSS with SHA-256.
    Ps256,
    /// RSASSA-PSS with SHA-384.
    Ps384,
    /// RSASSA-PSS with SHA-512.
    Ps512,
    /// Ed25519.
    EdDsa,
}

/// Why an `alg` cannot be used at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlgRefusal {
    /// `none`: an unsigned token.
    None,
    /// An HMAC (`HS256`, ...): a shared secret, which CDS Hooks forbids.
    Symmetric,
    /// A name this service does not know.
    Unknown,
}

impl Alg {
    /// Every algorithm, in the order of their names.
    pub const ALL: [Alg; 10] = [
        Alg::Es256,
        Alg::Es384,
        Alg::Es512,
        Alg::Rs256,
        Alg::Rs384,
        Alg::Rs512,
        Alg::Ps256,
        Alg::Ps384,
        Alg::Ps512,
        Alg::EdDsa,
    ];

    /// The JOSE name (`ES384`).
    pub const fn name(self) -> &'static str {
        match self {
            Alg::Es256 => "ES256",
            Alg::Es384 => "ES384",
            Alg::Es512 => "ES512",
            Alg::Rs256 => "RS256",
            Alg::Rs384 => "RS384",
            Alg::Rs512 => "RS512",
            Alg::Ps256 => "PS256",
            Alg::Ps384 => "PS384",
            Alg::Ps512 => "PS512",
            Alg::EdDsa => "EdDSA",
        }
    }

    /// Reads a JOSE `alg` name; `none` and the HMAC names are refused whatever the
    /// configuration says.
    pub fn parse(name: &str) -> Result<Alg, AlgRefusal> {
        if name.eq_ignore_ascii_case("none") {
            return Err(AlgRefusal::None);
        }
        if name.len() >= 2 && name[..2].eq_ignore_ascii_case("HS") {
            return Err(AlgRefusal::Symmetric);
        }
        Alg::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or(AlgRefusal::Unknown)
    }

    /// The key type (`kty`) a key must have to verify this algorithm.
    const fn kty(self) -> &'static str {
        match self {
            Alg::Es256 | Alg::Es384 | Alg::Es512 => "EC",
            Alg::EdDsa => "OKP",
            _ => "RSA",
        }
    }

    /// The curve (`crv`) an EC or OKP key must have.
    const fn crv(self) -> Option<&'static str> {
        match self {
            Alg::Es256 => Some("P-256"),
            Alg::Es384 => Some("P-384"),
            Alg::Es512 => Some("P-521"),
            Alg::EdDsa => Some("Ed25519"),
            _ => None,
        }
    }

    fn ec_verification(self) -> Option<&'static signature::EcdsaVerificationAlgorithm> {
        match self {
            Alg::Es256 => Some(&signature::ECDSA_P256_SHA256_FIXED),
            Alg::Es384 => Some(&signature::ECDSA_P384_SHA384_FIXED),
            Alg::Es512 => Some(&signature::ECDSA_P521_SHA512_FIXED),
            _ => None,
        }
    }

    fn rsa_verification(self) -> Option<&'static signature::RsaParameters> {
        match self {
            Alg::Rs256 => Some(&signature::RSA_PKCS1_2048_8192_SHA256),
            Alg::Rs384 => Some(&signature::RSA_PKCS1_2048_8192_SHA384),
            Alg::Rs512 => Some(&signature::RSA_PKCS1_2048_8192_SHA512),
            Alg::Ps256 => Some(&signature::RSA_PSS_2048_8192_SHA256),
            Alg::Ps384 => Some(&signature::RSA_PSS_2048_8192_SHA384),
            Alg::Ps512 => Some(&signature::RSA_PSS_2048_8192_SHA512),
            _ => None,
        }
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a token's form was refused (before any key is looked at).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// Over [`MAX_TOKEN_BYTES`].
    #[error("the token is longer than {MAX_TOKEN_BYTES} bytes")]
    TooLong,
    /// Not three base64url parts, or a part that does not decode.
    #[error("the token is not a JWS in compact form: {0}")]
    Malformed(&'static str),
}

/// A token split into its parts, its header and claims decoded but nothing verified.
#[derive(Debug, Clone)]
pub struct Jws<'a> {
    /// The protected header.
    pub header: Map<String, Value>,
    /// The claims (the payload as a JSON object).
    pub claims: Map<String, Value>,
    /// The bytes the signature covers: `header.payload` as sent.
    pub signing_input: &'a str,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

fn b64_json(part: &str, what: &'static str) -> Result<Map<String, Value>, FormError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| FormError::Malformed(what))?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(FormError::Malformed(what)),
    }
}

/// Splits and decodes a compact JWS. Nothing is trusted yet.
pub fn parse(token: &str) -> Result<Jws<'_>, FormError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(FormError::TooLong);
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(FormError::Malformed("not three parts"));
    };
    let header = b64_json(h, "header")?;
    let claims = b64_json(p, "payload")?;
    let signature = URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| FormError::Malformed("signature"))?;
    let signing_input = token
        .get(..h.len() + 1 + p.len())
        .ok_or(FormError::Malformed("not three parts"))?;
    Ok(Jws {
        header,
        claims,
        signing_input,
        signature,
    })
}

/// A public key from a key set, bound to the algorithms it may verify.
pub struct PublicKey {
    /// Its `kid`.
    pub kid: String,
    verifiers: Vec<(Alg, ParsedPublicKey)>,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let algs: Vec<&str> = self.verifiers.iter().map(|(a, _)| a.name()).collect();
        f.debug_struct("PublicKey")
            .field("kid", &self.kid)
            .field("algs", &algs)
            .finish()
    }
}

impl PublicKey {
    /// Whether this key may verify `alg`.
    pub fn allows(&self, alg: Alg) -> bool {
        self.verifiers.iter().any(|(a, _)| *a == alg)
    }

    /// Checks `signature` over `message` with `alg`; false when the key may not verify
    /// `alg` or the signature is wrong.
    pub fn verify(&self, alg: Alg, message: &[u8], signature: &[u8]) -> bool {
        self.verifiers
            .iter()
            .find(|(a, _)| *a == alg)
            .is_some_and(|(_, k)| k.verify_sig(message, signature).is_ok())
    }
}

fn field<'a>(jwk: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    jwk.get(name).and_then(Value::as_str)
}

fn b64_field(jwk: &Map<String, Value>, name: &str) -> Result<Vec<u8>, String> {
    let s = field(jwk, name).ok_or_else(|| format!("no `{name}`"))?;
    URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| format!("`{name}` is not base64url"))
}

/// Reads one JWK into a key usable for those of `algs` its type allows; `Err` says why the key
/// was skipped.
pub fn public_key(jwk: &Map<String, Value>, algs: &[Alg]) -> Result<PublicKey, String> {
    let kid = field(jwk, "kid").ok_or("no `kid`")?.to_owned();
    if let Some(u) = jwk.get("use") {
        if u.as_str() != Some("sig") {
            return Err("`use` is not `sig`".into());
        }
    }
    if let Some(ops) = jwk.get("key_ops") {
        let verify = ops
            .as_array()
            .is_some_and(|a| a.iter().any(|o| o.as_str() == Some("verify")));
        if !verify {
            return Err("`key_ops` does not allow `verify`".into());
        }
    }
    let bound = match jwk.get("alg") {
        None => None,
        Some(Value::String(a)) => Some(Alg::parse(a).map_err(|_| format!("`alg` {a} refused"))?),
        Some(_) => return Err("`alg` is not a string".into()),
    };
    let kty = field(jwk, "kty").ok_or("no `kty`")?;
    let mut verifiers = Vec::new();
    for alg in algs {
        if bound.is_some_and(|b| b != *alg) || alg.kty() != kty {
            continue;
        }
        if alg.crv().is_some() && field(jwk, "crv") != alg.crv() {
            continue;
        }
        let parsed = if let Some(v) = alg.ec_verification() {
            let (x, y) = (b64_field(jwk, "x")?, b64_field(jwk, "y")?);
            let mut point = Vec::with_capacity(1 + x.len() + y.len());
            point.push(4);
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            ParsedPublicKey::new(v, point).map_err(|e| format!("EC key rejected: {e}"))?
        } else if let Some(p) = alg.rsa_verification() {
            let (n, e) = (b64_field(jwk, "n")?, b64_field(jwk, "e")?);
            if n.len() < 256 {
                return Err("RSA modulus under 2048 bits".into());
            }
            RsaPublicKeyComponents { n: &n, e: &e }
                .to_parsed_public_key(p)
                .map_err(|e| format!("RSA key rejected: {e}"))?
        } else {
            let x = b64_field(jwk, "x")?;
            ParsedPublicKey::new(&signature::ED25519, x)
                .map_err(|e| format!("Ed25519 key rejected: {e}"))?
        };
        verifiers.push((*alg, parsed));
    }
    if verifiers.is_empty() {
        return Err(format!(
            "a `{kty}` key verifies none of the algorithms allowed"
        ));
    }
    Ok(PublicKey { kid, verifiers })
}

/// A key set read: the keys usable, and why the others were skipped.
#[derive(Debug, Default)]
pub struct KeySet {
    /// The usable keys.
    pub keys: Vec<PublicKey>,
    /// `(kid or index, reason)` for each key skipped.
    pub skipped: Vec<(String, String)>,
}

/// Reads a JWK Set (`{"keys": [...]}`) for the algorithms `algs`.
pub fn key_set(text: &[u8], algs: &[Alg]) -> Result<KeySet, String> {
    let v: Value = serde_json::from_slice(text).map_err(|e| format!("not JSON: {e}"))?;
    let keys = v
        .get("keys")
        .and_then(Value::as_array)
        .ok_or("a JWK Set is an object with a `keys` array")?;
    let mut set = KeySet::default();
    for (i, k) in keys.iter().enumerate() {
        let Some(m) = k.as_object() else {
            set.skipped.push((i.to_string(), "not an object".into()));
            continue;
        };
        match public_key(m, algs) {
            Ok(key) => set.keys.push(key),
            Err(why) => set
                .skipped
                .push((field(m, "kid").unwrap_or("?").to_owned(), why)),
        }
    }
    Ok(set)
}

/// A private key that signs tokens: the `token` command, the development issuer, the tests and
/// the benchmark's token pools.
pub enum SigningKey {
    /// ES384 (P-384).
    Es384(EcdsaKeyPair),
    /// RS384 (RSA, 2048 bits when generated).
    Rs384(signature::RsaKeyPair),
}

/// Why a key could not be made or read.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct KeyError(String);

impl SigningKey {
    /// A fresh key for `alg` (ES384 or RS384).
    pub fn generate(alg: Alg) -> Result<SigningKey, KeyError> {
        match alg {
            Alg::Es384 => EcdsaKeyPair::generate(&signature::ECDSA_P384_SHA384_FIXED_SIGNING)
                .map(SigningKey::Es384)
                .map_err(|_| KeyError("could not generate a P-384 key".into())),
            Alg::Rs384 => signature::RsaKeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048)
                .map(SigningKey::Rs384)
                .map_err(|_| KeyError("could not generate an RSA key".into())),
            other => Err(KeyError(format!(
                "keys are generated for ES384 and RS384, not {other}"
            ))),
        }
    }

    /// Reads a PKCS#8 private key in PEM (`-----BEGIN PRIVATE KEY-----`): a P-384 key signs
    /// ES384, an RSA key RS384.
    pub fn from_pem(pem: &[u8]) -> Result<SigningKey, KeyError> {
        use rustls_pki_types::pem::PemObject;
        let der = rustls_pki_types::PrivatePkcs8KeyDer::from_pem_slice(pem)
            .map_err(|e| KeyError(format!("not a PKCS#8 private key in PEM: {e}")))?;
        let der = der.secret_pkcs8_der();
        if let Ok(k) = EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P384_SHA384_FIXED_SIGNING, der) {
            return Ok(SigningKey::Es384(k));
        }
        signature::RsaKeyPair::from_pkcs8(der)
            .map(SigningKey::Rs384)
            .map_err(|_| KeyError("the key is neither a P-384 nor an RSA key".into()))
    }

    /// The key as PKCS#8 PEM.
    pub fn to_pem(&self) -> Result<String, KeyError> {
        use aws_lc_rs::encoding::AsDer;
        let der = match self {
            SigningKey::Es384(k) => k
                .to_pkcs8v1()
                .map(|d| d.as_ref().to_vec())
                .map_err(|_| KeyError("could not encode the key".into()))?,
            SigningKey::Rs384(k) => k
                .as_der()
                .map(|d| d.as_ref().to_vec())
                .map_err(|_| KeyError("could not encode the key".into()))?,
        };
        let b64 = STANDARD.encode(der);
        let mut pem = String::from("-----BEGIN PRIVATE KEY-----\n");
        for chunk in b64.as_bytes().chunks(64) {
            pem.push_str(&String::from_utf8_lossy(chunk));
            pem.push('\n');
        }
        pem.push_str("-----END PRIVATE KEY-----\n");
        Ok(pem)
    }

    /// The algorithm it signs with.
    pub fn alg(&self) -> Alg {
        match self {
            SigningKey::Es384(_) => Alg::Es384,
            SigningKey::Rs384(_) => Alg::Rs384,
        }
    }

    /// The public JWK, with `kid`, `alg` and `use`.
    pub fn public_jwk(&self, kid: &str) -> Value {
        match self {
            SigningKey::Es384(k) => {
                let point = k.public_key().as_ref();
                // The uncompressed point: 0x04, then x and y of equal length.
                let coords = point.get(1..).unwrap_or_default();
                let (x, y) = coords.split_at(coords.len() / 2);
                json!({"kty": "EC", "crv": "P-384", "kid": kid, "use": "sig", "alg": "ES384",
                       "x": URL_SAFE_NO_PAD.encode(x), "y": URL_SAFE_NO_PAD.encode(y)})
            }
            SigningKey::Rs384(k) => {
                let p = k.public_key();
                json!({"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS384",
                       "n": URL_SAFE_NO_PAD.encode(p.modulus().big_endian_without_leading_zero()),
                       "e": URL_SAFE_NO_PAD.encode(p.exponent().big_endian_without_leading_zero())})
            }
        }
    }

    /// Signs `signing_input` (`header.payload`).
    pub fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>, KeyError> {
        let rng = SystemRandom::new();
        match self {
            SigningKey::Es384(k) => k
                .sign(&rng, signing_input)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| KeyError("signing failed".into())),
            SigningKey::Rs384(k) => {
                let mut sig = vec![0; k.public_modulus_len()];
                k.sign(&signature::RSA_PKCS1_SHA384, &rng, signing_input, &mut sig)
                    .map_err(|_| KeyError("signing failed".into()))?;
                Ok(sig)
            }
        }
    }

    /// A compact JWS of `claims` with `header` (its `alg` is set to this key's).
    pub fn sign_jwt(&self, header: &Value, claims: &Value) -> Result<String, KeyError> {
        let mut header = header.clone();
        if let Some(h) = header.as_object_mut() {
            h.insert("alg".into(), Value::String(self.alg().name().into()));
        }
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let sig = self.sign(input.as_bytes())?;
        Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig)))
    }
}

/// Base64url without padding, as JOSE writes it.
pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `n` random bytes as lowercase hex (token ids, request ids).
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    if aws_lc_rs::rand::fill(&mut bytes).is_err() {
        // The system's generator failing is not something to continue past silently.
        std::process::abort();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Value {
        json!({"iss": "https://ehr.example", "aud": "https://cds/cds-services", "exp": 2, "iat": 1, "jti": "a"})
    }

    #[test]
    fn none_and_hmac_are_never_algorithms() {
        assert_eq!(Alg::parse("none"), Err(AlgRefusal::None));
        assert_eq!(Alg::parse("NONE"), Err(AlgRefusal::None));
        for hs in ["HS256", "HS384", "HS512", "hs256"] {
            assert_eq!(Alg::parse(hs), Err(AlgRefusal::Symmetric));
        }
        assert_eq!(Alg::parse("ES999"), Err(AlgRefusal::Unknown));
        assert_eq!(Alg::parse("ES384"), Ok(Alg::Es384));
    }

    #[test]
    fn a_signed_token_verifies_with_its_key_and_no_other_way() {
        for alg in [Alg::Es384, Alg::Rs384] {
            let key = SigningKey::generate(alg).unwrap();
            let token = key
                .sign_jwt(&json!({"typ": "JWT", "kid": "k"}), &claims())
                .unwrap();
            let jws = parse(&token).unwrap();
            let jwk = key.public_jwk("k");
            let pk = public_key(jwk.as_object().unwrap(), &Alg::ALL).unwrap();
            assert!(pk.verify(alg, jws.signing_input.as_bytes(), &jws.signature));
            // Tampered payload.
            let mut input = jws.signing_input.to_owned();
            input.push('x');
            assert!(!pk.verify(alg, input.as_bytes(), &jws.signature));
            // The key's algorithm only.
            let other = if alg == Alg::Es384 {
                Alg::Rs384
            } else {
                Alg::Es384
            };
            assert!(!pk.allows(other));
            assert!(!pk.verify(other, jws.signing_input.as_bytes(), &jws.signature));
            // PEM round trip.
            let again = SigningKey::from_pem(key.to_pem().unwrap().as_bytes()).unwrap();
            assert_eq!(again.alg(), alg);
            assert_eq!(again.public_jwk("k"), jwk);
        }
    }

    #[test]
    fn the_specification_example_key_is_read() {
        // The JWK Set of CDS Hooks 2.0, "Trusting CDS Clients".
        let set = br#"{"keys": [{"kty": "EC", "use": "sig", "crv": "P-384", "kid": "example-kid",
            "x": "46SDH7Znh821wblCBglA61sNE9ZrHYKKt3qRtRTmSXyOI_FIGBLWrWa0GPUkDCEk",
            "y": "XMcRuuoGW7CXjQdy-F5i3FeBE0x9hPLdeFdSoDd3ELmx404tLX0VRRcqzAsPhXcI", "alg": "ES384"}]}"#;
        let set = key_set(set, &[Alg::Es384, Alg::Rs384]).unwrap();
        assert_eq!(set.keys.len(), 1, "{:?}", set.skipped);
        // Its token (signed with the private key of the specification).
        let token = "eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCIsImtpZCI6ImV4YW1wbGUta2lkIiwiamt1IjoiaHR0cHM6Ly9maGlyLWVoci5leGFtcGxlLmNvbS9qd2tfdXJpIn0.eyJpc3MiOiJodHRwczovL2ZoaXItZWhyLmV4YW1wbGUuY29tLyIsImF1ZCI6Imh0dHBzOi8vY2RzLmV4YW1wbGUub3JnL2Nkcy1zZXJ2aWNlcy9zb21lLXNlcnZpY2UiLCJleHAiOjE0MjI1Njg4NjAsImlhdCI6MTMxMTI4MDk3MCwianRpIjoiZWUyMmIwMjEtZTFiNy00NjExLWJhNWItOGVlYzZhMzNhYzFlIiwidGVuYW50IjoiMmRkZDZjM2EtOGU5YS00NGM2LWEzMDUtNTIxMTFhZDMwMmEyIn0.d1WfLjGRKlcWB94l9do4cM8REXeYJLL6SGUBO8VHZhfM8mwKYP70EMxJ67War4TQblEpaQrp11wx5p7oPFm2ETYgCicS84vXWEIYTdjooZdooCSDf2L8-i4awdoUwiEb";
        let jws = parse(token).unwrap();
        assert_eq!(jws.header["kid"], "example-kid");
        assert!(set.keys[0].verify(Alg::Es384, jws.signing_input.as_bytes(), &jws.signature));
    }

    #[test]
    fn keys_the_algorithms_do_not_allow_are_skipped_with_a_reason() {
        let rsa = SigningKey::generate(Alg::Rs384).unwrap().public_jwk("r");
        let text =
            json!({"keys": [rsa, {"kty": "oct", "kid": "h", "k": "c2VjcmV0"}, 3]}).to_string();
        let set = key_set(text.as_bytes(), &[Alg::Es384]).unwrap();
        assert!(set.keys.is_empty());
        assert_eq!(set.skipped.len(), 3);
        // An EC key whose JWK says another alg.
        let mut ec = SigningKey::generate(Alg::Es384).unwrap().public_jwk("e");
        ec["alg"] = json!("ES256");
        assert!(public_key(ec.as_object().unwrap(), &Alg::ALL).is_err());
        ec["alg"] = json!("HS256");
        assert!(public_key(ec.as_object().unwrap(), &Alg::ALL).is_err());
    }

    #[test]
    fn malformed_tokens_are_refused_by_form() {
        assert_eq!(
            parse("a.b").unwrap_err(),
            FormError::Malformed("not three parts")
        );
        assert_eq!(
            parse("a.b.c.d").unwrap_err(),
            FormError::Malformed("not three parts")
        );
        assert!(parse("!!.e30.").is_err());
        // Padding is not base64url as JOSE writes it.
        assert!(parse("e30=.e30.").is_err());
        // A payload that is not an object.
        let arr = b64url(b"[1]");
        assert!(parse(&format!("e30.{arr}.")).is_err());
        assert_eq!(
            parse(&"a".repeat(MAX_TOKEN_BYTES + 1)).unwrap_err(),
            FormError::TooLong
        );
        let ok = parse("e30.e30.").unwrap();
        assert!(ok.signature.is_empty());
    }
}
