//! ES384 (P-384) and RS384 (RSA-2048) verifications a second on one core, in aws-lc-rs, ring
//! and OpenSSL (through the `openssl` crate, the system's libssl). Best of three batches after a
//! warm-up; prints one JSON object.

use std::time::Instant;

fn rate(n: usize, mut f: impl FnMut() -> bool) -> f64 {
    for _ in 0..n / 10 {
        assert!(f());
    }
    (0..3)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                assert!(f());
            }
            n as f64 / t.elapsed().as_secs_f64()
        })
        .fold(0.0, f64::max)
}

fn main() {
    let msg = b"eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2Voci5leGFtcGxlLm9yZyJ9";
    let mut out = serde_json::Map::new();
    {
        use aws_lc_rs::rand::SystemRandom;
        use aws_lc_rs::signature::{self, EcdsaKeyPair, KeyPair, ParsedPublicKey, RsaKeyPair};
        let rng = SystemRandom::new();
        let ec = EcdsaKeyPair::generate(&signature::ECDSA_P384_SHA384_FIXED_SIGNING).unwrap();
        let sig = ec.sign(&rng, msg).unwrap();
        let pk = ParsedPublicKey::new(&signature::ECDSA_P384_SHA384_FIXED, ec.public_key().as_ref()).unwrap();
        let es = rate(5_000, || pk.verify_sig(msg, sig.as_ref()).is_ok());
        let rsa = RsaKeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
        let mut s = vec![0; rsa.public_modulus_len()];
        rsa.sign(&signature::RSA_PKCS1_SHA384, &rng, msg, &mut s).unwrap();
        let rpk = ParsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA384, rsa.public_key().as_ref()).unwrap();
        let rs = rate(50_000, || rpk.verify_sig(msg, &s).is_ok());
        out.insert("aws-lc-rs".into(), serde_json::json!({"ES384": es, "RS384": rs}));
    }
    {
        use ring::rand::SystemRandom;
        use ring::signature::{self, EcdsaKeyPair, KeyPair, RsaKeyPair};
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P384_SHA384_FIXED_SIGNING, &rng).unwrap();
        let ec = EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P384_SHA384_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap();
        let sig = ec.sign(&rng, msg).unwrap();
        let pk = signature::UnparsedPublicKey::new(&signature::ECDSA_P384_SHA384_FIXED, ec.public_key().as_ref().to_vec());
        let es = rate(2_000, || pk.verify(msg, sig.as_ref()).is_ok());
        // ring does not generate RSA keys: one from OpenSSL, in PKCS#8.
        let der = openssl::pkey::PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap())
            .unwrap()
            .private_key_to_pkcs8()
            .unwrap();
        let rsa = RsaKeyPair::from_pkcs8(&der).unwrap();
        let mut s = vec![0; rsa.public().modulus_len()];
        rsa.sign(&signature::RSA_PKCS1_SHA384, &rng, msg, &mut s).unwrap();
        let rpk = signature::UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA384, rsa.public_key().as_ref().to_vec());
        let rs = rate(50_000, || rpk.verify(msg, &s).is_ok());
        out.insert("ring".into(), serde_json::json!({"ES384": es, "RS384": rs}));
    }
    {
        use openssl::ec::{EcGroup, EcKey};
        use openssl::hash::MessageDigest;
        use openssl::nid::Nid;
        use openssl::pkey::PKey;
        use openssl::sign::{Signer, Verifier};
        let group = EcGroup::from_curve_name(Nid::SECP384R1).unwrap();
        let ec = PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap();
        let mut signer = Signer::new(MessageDigest::sha384(), &ec).unwrap();
        signer.update(msg).unwrap();
        let sig = signer.sign_to_vec().unwrap();
        let es = rate(2_000, || {
            let mut v = Verifier::new(MessageDigest::sha384(), &ec).unwrap();
            v.update(msg).unwrap();
            v.verify(&sig).unwrap()
        });
        let rsa = PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap();
        let mut signer = Signer::new(MessageDigest::sha384(), &rsa).unwrap();
        signer.update(msg).unwrap();
        let sig = signer.sign_to_vec().unwrap();
        let rs = rate(50_000, || {
            let mut v = Verifier::new(MessageDigest::sha384(), &rsa).unwrap();
            v.update(msg).unwrap();
            v.verify(&sig).unwrap()
        });
        out.insert(
            format!("openssl ({})", openssl::version::version()),
            serde_json::json!({"ES384": es, "RS384": rs}),
        );
    }
    println!("{}", serde_json::Value::Object(out));
}
