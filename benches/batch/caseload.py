#!/usr/bin/env python3
"""A synthetic caseload for `ipt batch`: N lines of `{"id": n, "assessment": {...}}`, written
to standard output. Deterministic (seeded): patients vary in age, diagnoses, findings and
setting, so every verdict, several alerts and missing inputs occur, and about one line in 200 has
an invalid value. No real patient data.

Usage: python3 benches/batch/caseload.py [LINES] > caseload.ndjson   (default 1,000,000)
"""
import json
import random
import sys

FINDINGS = ["present", "absent", "unknown"]
CATEGORIES = ["major_depression", "dysthymia", "bipolar", "bulimia_nervosa", "anxiety",
              "substance_use", "other"]


def patient(rng):
    findings = {
        "active_psychosis": rng.choices(FINDINGS, [1, 30, 2])[0],
        "personality_disorder": rng.choices(FINDINGS, [3, 25, 3])[0],
        "motivation": rng.choices(FINDINGS, [25, 3, 3])[0],
        "insight": rng.choices(FINDINGS, [25, 3, 3])[0],
        "self_reflection": rng.choices(FINDINGS, [20, 5, 5])[0],
        "cognitive_impairment": {"severity": rng.choices(["none", "mild", "moderate", "severe"],
                                                         [30, 5, 2, 1])[0]},
        "chronic_severe_illness": rng.choice(FINDINGS),
        "substance_misuse": rng.choices(FINDINGS, [3, 25, 3])[0],
        "suicide_risk": rng.choices(["low", "moderate", "high", "imminent", None],
                                    [20, 6, 2, 1, 3])[0],
    }
    if findings["suicide_risk"] is None:  # not yet assessed: left out, listed as missing
        del findings["suicide_risk"]
    if findings["cognitive_impairment"]["severity"] in ("moderate", "severe"):
        findings["cognitive_impairment"]["cause"] = rng.choice(["substance_abuse", "general_medical_condition", "other"])
    category = rng.choices(CATEGORIES, [20, 3, 2, 2, 3, 1, 1])[0]
    diagnosis = {"category": category}
    if category == "major_depression":
        diagnosis["course"] = rng.choice(["first_episode", "recurrent"])
        diagnosis["phase"] = rng.choices(["acute", "remitted"], [6, 2])[0]
    if rng.random() < 0.005:  # a few lines with an error, as a real export has
        findings["motivation"] = "yes"
    return {
        "age": rng.randint(12, 90),
        "care_setting": rng.choices(["outpatient", "inpatient", "post_inpatient"], [10, 1, 1])[0],
        "diagnoses": [diagnosis],
        "findings": findings,
        "format": rng.choices(["individual", "group"], [5, 1])[0],
    }


def main():
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rng = random.Random(20261123)
    # A pool of distinct patients, cycled: generating a million at random takes a minute.
    pool = [json.dumps(patient(rng), separators=(",", ":")) for _ in range(4096)]
    out = sys.stdout
    for n in range(lines):
        out.write('{"id":%d,"assessment":%s}\n' % (n + 1, pool[n % len(pool)]))


if __name__ == "__main__":
    main()
