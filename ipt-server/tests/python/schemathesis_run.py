"""schemathesis against ipt-server's /openapi.json, with a bounded number of examples.

Starts the server (SQLite, an issuer whose key set is a file made here), fetches the OpenAPI
document with a token, and runs `schemathesis run` on it with every check but
positive_data_acceptance: a request valid by the schema is not always one the engine can read
(a patientId that is not a FHIR id, a card this tenant was never given), and the server is
right to refuse it with a 400 and the path of the field. Every other answer must be documented,
of its documented type and shape, never a 5xx, and a 401 whenever the token is missing.

Environment: IPT_SERVER_BIN, IPT_TEST_WORK.
"""

import json
import os
import pathlib
import secrets
import subprocess
import sys
import time
import urllib.request

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

MAX_EXAMPLES = int(os.environ.get("IPT_ST_MAX_EXAMPLES", "30"))
HERE = pathlib.Path(__file__).resolve().parent
WORK = pathlib.Path(os.environ["IPT_TEST_WORK"]) / f"schemathesis-{secrets.token_hex(4)}"
WORK.mkdir(parents=True)
BIN = os.environ["IPT_SERVER_BIN"]
ISS = "https://ehr.schemathesis.example.org"

key = ec.generate_private_key(ec.SECP384R1())
jwk = json.loads(ECAlgorithm.to_jwk(key.public_key()))
jwk.update({"kid": "st-es384", "alg": "ES384", "use": "sig"})
(WORK / "jwks.json").write_text(json.dumps({"keys": [jwk]}))
# A FHIR server allowlist no generated URL matches: nothing is fetched from the Internet.
(WORK / "config.toml").write_text(
    'listen = "127.0.0.1:0"\n'
    "[[auth.issuers]]\n"
    f'iss = "{ISS}"\n'
    f'jwks_file = "{WORK / "jwks.json"}"\n'
    'fhir_servers = ["https://ehr.invalid/fhir"]\n'
)
ready = WORK / "ready.json"
log = open(WORK / "server.log", "w")
proc = subprocess.Popen([BIN, "--config", str(WORK / "config.toml"),
                         "--store", f"sqlite:{WORK / 'store.sqlite3'}", "--ready-file", str(ready)],
                        stdout=subprocess.DEVNULL, stderr=log)
try:
    deadline = time.time() + 30
    while not ready.exists() or not ready.read_text():
        if proc.poll() is not None or time.time() > deadline:
            sys.exit("ipt-server did not start:\n" + (WORK / "server.log").read_text())
        time.sleep(0.05)
    base = json.loads(ready.read_text())["public_url"]
    now = int(time.time())
    token = jwt.encode({"iss": ISS, "aud": base + "/openapi.json", "iat": now, "exp": now + 60,
                        "jti": secrets.token_hex(16)}, key, algorithm="ES384",
                       headers={"kid": "st-es384", "typ": "JWT"})
    req = urllib.request.Request(base + "/openapi.json", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        (WORK / "openapi.json").write_bytes(r.read())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    env = dict(os.environ, IPT_ST_KEY=pem, IPT_ST_ISS=ISS, IPT_ST_BASE=base,
               SCHEMATHESIS_HOOKS="schemathesis_hooks", PYTHONPATH=str(HERE))
    # A missing If-Match on POST /courses/{id}/events is 428 Precondition Required (RFC 6585:
    # the server requires the request to be conditional, against lost updates), which
    # schemathesis does not list among the answers to a missing required header.
    (WORK / "schemathesis.toml").write_text(
        "[checks.missing_required_header]\n"
        "expected-statuses = [400, 401, 403, 406, 415, 422, 428]\n"
    )
    cmd = [str(pathlib.Path(sys.executable).with_name("schemathesis")),
           "--config-file", str(WORK / "schemathesis.toml"), "run", str(WORK / "openapi.json"),
           "--url", base, "--max-examples", str(MAX_EXAMPLES), "--checks", "all",
           "--exclude-checks", "positive_data_acceptance", "--exclude-path", "/metrics", "--seed", "20261", "--workers", "2",
           "--generation-database", "none", "--no-color", "--request-timeout", "20",
           "--report", "junit", "--report-dir", str(WORK / "report")]
    print(" ".join(cmd[3:5]), "...", flush=True)
    result = subprocess.run(cmd, env=env, cwd=WORK)
    log.flush()
    text = (WORK / "server.log").read_text()
    if "eyJ" in text:
        sys.exit("a token in the server's log")
    if '"level":"ERROR"' in text:
        sys.exit("the server logged an error:\n" + "\n".join(l for l in text.splitlines() if '"ERROR"' in l))
    sys.exit(result.returncode)
finally:
    proc.terminate()
    proc.wait(timeout=30)
    log.close()
