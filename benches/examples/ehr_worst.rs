//! Times `fhir_assess` on the worst record shapes once each (release build), for a quick
//! before-and-after; the criterion bench `ehr` gives the figures with their spread.
use std::time::Instant;

fn main() {
    for (name, request) in ipt_benches::records::worst_shapes() {
        let t = Instant::now();
        let answer = ipt_core::api::call("fhir_assess", &request);
        let took = t.elapsed();
        let ok = answer.contains("\"ok\":true");
        println!(
            "{name}: {:.3} s ({} bytes in, ok {ok})",
            took.as_secs_f64(),
            request.len()
        );
    }
}
