//! What the C boundary costs: `ipt_assess_suitability` (the C function, called here as C
//! would, with a NUL-terminated request and `ipt_result_free`) against the Rust JSON path
//! (`ipt_core::api::assess_suitability`) on the same request, in one process, alternating
//! batches so that drift in machine load hits both alike. Both detail levels.
//!
//! Run: `cargo run --release -p ipt-ffi --example ffi_overhead [-- BATCHES PER]`. Prints one
//! JSON object per detail level: medians per call in µs, interquartile ranges, and the ratio.
//! Part of `scripts/bench.sh`.

use std::ffi::CString;
use std::hint::black_box;
use std::time::Instant;

use ipt::{ipt_assess_suitability, ipt_result_free, IptStatus};

const TYPICAL: &str = include_str!("../../benches/fixtures/typical_assessment.json");

fn quartiles(mut xs: Vec<f64>) -> (f64, f64, f64) {
    xs.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let i = ((xs.len() as f64) * p) as usize;
        xs.get(i.min(xs.len().saturating_sub(1)))
            .copied()
            .unwrap_or(f64::NAN)
    };
    (q(0.25), q(0.5), q(0.75))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let batches: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(101);
    let per: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let mut value: serde_json::Value = serde_json::from_str(TYPICAL).unwrap_or_default();
    let explained = value.to_string();
    value["detail"] = "decision".into();
    let decision = value.to_string();
    for (name, request) in [("decision", decision), ("explained", explained)] {
        let c_request = CString::new(request.clone()).unwrap_or_default();
        let (mut rust, mut c) = (Vec::new(), Vec::new());
        for b in 0..batches + 3 {
            let t = Instant::now();
            for _ in 0..per {
                black_box(ipt_core::api::assess_suitability(black_box(&request)));
            }
            let rust_t = t.elapsed().as_secs_f64() * 1e6 / per as f64;
            let t = Instant::now();
            for _ in 0..per {
                // SAFETY: the request is a NUL-terminated string alive for the call, and the
                // result is released once, with the library's own function.
                unsafe {
                    let mut r = ipt_assess_suitability(black_box(c_request.as_ptr()));
                    assert_eq!(r.status, IptStatus::Ok);
                    ipt_result_free(&mut r);
                }
            }
            let c_t = t.elapsed().as_secs_f64() * 1e6 / per as f64;
            if b >= 3 {
                rust.push(rust_t);
                c.push(c_t);
            }
        }
        let (r1, r, r3) = quartiles(rust);
        let (c1, cm, c3) = quartiles(c);
        println!(
            "{}",
            serde_json::json!({
                "detail": name, "batches": batches, "per_batch": per,
                "rust_us": {"median": r, "q1": r1, "q3": r3},
                "c_us": {"median": cm, "q1": c1, "q3": c3},
                "c_over_rust": cm / r,
            })
        );
    }
}
