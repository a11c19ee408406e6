"""An EHR calling ipt-server, written independently of the server's Rust code.

It signs its own tokens with PyJWT (ES384 and RS384 keys made here with `cryptography`),
serves its own JWK Set on loopback, and calls discovery, the service and the feedback endpoint
as CDS Hooks 2.0 describes them; then checks a few refusals the way an attacker would try them.
Run by scripts/test-server.sh, on SQLite and, when IPT_TEST_POSTGRES_URL is set, on PostgreSQL.

Environment: IPT_SERVER_BIN (the ipt-server binary), IPT_TEST_WORK (a scratch directory),
IPT_TEST_POSTGRES_URL (optional).
"""

import base64
import hashlib
import hmac
import http.server
import json
import os
import pathlib
import secrets
import subprocess
import threading
import time
import unittest
import urllib.error
import urllib.request

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ROOT = pathlib.Path(__file__).resolve().parents[3]
BIN = os.environ.get("IPT_SERVER_BIN", str(ROOT / "target/debug/ipt-server"))
WORK = pathlib.Path(os.environ.get("IPT_TEST_WORK", "/tmp")) / f"python-{secrets.token_hex(4)}"


def readme_example():
    """The README's CDS Hooks request, read from the README itself."""
    text = (ROOT / "README.md").read_text()
    marker = "<!-- example:cds-hooks:request -->\n```json\n"
    start = text.index(marker) + len(marker)
    return json.loads(text[start:text.index("\n```", start)])


class KeySetServer:
    """Serves JWK Sets on loopback and counts each fetch by path."""

    def __init__(self, sets):
        self.sets = sets
        self.hits = {}
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.hits[self.path] = outer.hits.get(self.path, 0) + 1
                body = outer.sets.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"


def call(method, url, token=None, body=None, headers=None):
    """An HTTP call: (status, headers, body text)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if token is not None:
        req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class EhrSuite:
    """The checks; run on a store chosen by the subclass."""

    store_kind = "sqlite"

    @classmethod
    def store_url(cls, work):
        return f"sqlite:{work / 'store.sqlite3'}"

    @classmethod
    def setUpClass(cls):
        cls.work = WORK / cls.store_kind
        cls.work.mkdir(parents=True, exist_ok=True)
        cls.iss = "https://ehr.python.example.org"
        cls.ec_key = ec.generate_private_key(ec.SECP384R1())
        cls.rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ec_jwk = json.loads(ECAlgorithm.to_jwk(cls.ec_key.public_key()))
        ec_jwk.update({"kid": "py-es384", "alg": "ES384", "use": "sig"})
        rsa_jwk = json.loads(RSAAlgorithm.to_jwk(cls.rsa_key.public_key()))
        rsa_jwk.update({"kid": "py-rs384", "alg": "RS384", "use": "sig"})
        cls.ec_jwk = ec_jwk
        attacker = ec.generate_private_key(ec.SECP384R1())
        evil = json.loads(ECAlgorithm.to_jwk(attacker.public_key()))
        evil.update({"kid": "py-es384"})
        cls.attacker = attacker
        cls.keys = KeySetServer({
            "/.well-known/jwks.json": {"keys": [ec_jwk, rsa_jwk]},
            "/evil/jwks.json": {"keys": [evil]},
        })
        config = cls.work / "config.toml"
        config.write_text(
            'listen = "127.0.0.1:0"\n'
            "[[auth.issuers]]\n"
            f'iss = "{cls.iss}"\n'
            f'jwks_url = "{cls.keys.url("/.well-known/jwks.json")}"\n'
        )
        ready = cls.work / "ready.json"
        cls.log = open(cls.work / "server.log", "w")
        cls.proc = subprocess.Popen(
            [BIN, "--config", str(config), "--store", cls.store_url(cls.work),
             "--ready-file", str(ready)],
            stdout=subprocess.DEVNULL, stderr=cls.log)
        deadline = time.time() + 30
        while not ready.exists() or not ready.read_text():
            if cls.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError((cls.work / "server.log").read_text())
            time.sleep(0.05)
        started = json.loads(ready.read_text())
        cls.base = started["public_url"]

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        cls.proc.wait(timeout=30)
        cls.log.close()

    def token(self, path, alg="ES384", tenant=None, **claims):
        now = int(time.time())
        payload = {"iss": self.iss, "aud": self.base + path, "iat": now, "exp": now + 120,
                   "jti": secrets.token_hex(16)}
        if tenant is not None:
            payload["tenant"] = tenant
        payload.update(claims)
        key, kid = (self.ec_key, "py-es384") if alg == "ES384" else (self.rsa_key, "py-rs384")
        return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid, "typ": "JWT"})

    def assert_refused(self, status, headers, body):
        self.assertEqual(status, 401)
        self.assertEqual(body, "")
        self.assertEqual(headers.get("www-authenticate") or headers.get("WWW-Authenticate"), "Bearer")

    # --- as an EHR ---

    def test_discovery_lists_the_services_with_the_required_fields(self):
        status, headers, body = call("GET", self.base + "/cds-services", self.token("/cds-services"))
        self.assertEqual(status, 200, body)
        services = json.loads(body)["services"]
        self.assertEqual({s["hook"] for s in services}, {"patient-view", "encounter-start"})
        for s in services:
            for field in ("hook", "id", "description"):
                self.assertTrue(s[field], field)
            for template in s["prefetch"].values():
                self.assertIn("{{context.patientId}}", template)

    def test_patient_view_cards_and_feedback(self):
        path = "/cds-services/ipt-suitability"
        for alg in ("ES384", "RS384"):
            status, headers, body = call("POST", self.base + path, self.token(path, alg, tenant="clinic-1"),
                                         readme_example())
            self.assertEqual(status, 200, body)
            cards = json.loads(body)["cards"]
            self.assertTrue(cards)
            for c in cards:
                self.assertLess(len(c["summary"]), 140)
                self.assertIn(c["indicator"], ("info", "warning", "critical"))
                self.assertTrue(c["source"]["label"])
                self.assertTrue(c["source"]["url"].startswith(self.base + "/rules/"))
                for reason in c.get("overrideReasons", []):
                    self.assertTrue(reason["display"])
        # The rule page opens in a browser, no token.
        status, _, page = call("GET", cards[0]["source"]["url"])
        self.assertEqual(status, 200)
        self.assertIn("<h1>", page)
        # Feedback: stored once, however often it is sent.
        fb_path = path + "/feedback"
        feedback = {"feedback": [{
            "card": cards[0]["uuid"], "outcome": "overridden",
            "outcomeTimestamp": "2026-01-05T12:00:00Z",
            "overrideReason": {"reason": cards[0]["overrideReasons"][0], "userComment": "Seen today."}}]}
        status, _, body = call("POST", self.base + fb_path, self.token(fb_path, tenant="clinic-1"), feedback)
        self.assertEqual((status, json.loads(body)), (200, {"stored": 1, "duplicates": 0}))
        status, _, body = call("POST", self.base + fb_path, self.token(fb_path, "RS384", tenant="clinic-1"), feedback)
        self.assertEqual((status, json.loads(body)), (200, {"stored": 0, "duplicates": 1}))
        # Another tenant cannot send feedback on this card, nor see it.
        status, _, body = call("POST", self.base + fb_path, self.token(fb_path, tenant="clinic-2"), feedback)
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body)["issue"][0]["details"]["coding"][0]["code"], "unknown_card")
        mine = json.loads(call("GET", self.base + "/feedback/summary",
                               self.token("/feedback/summary", tenant="clinic-1"))[2])
        theirs = json.loads(call("GET", self.base + "/feedback/summary",
                                 self.token("/feedback/summary", tenant="clinic-2"))[2])
        self.assertEqual([r["rule_id"] for r in mine["rules"] if r["feedback"]], [cards[0]["source"]["topic"]["code"]])
        self.assertEqual(theirs["rules"], [])

    def test_a_course_recorded_brings_its_card_at_the_next_visit(self):
        """An app records a course session by session; the EHR's next chart opening shows it."""
        tenant = "clinic-courses"
        status, headers, body = call("POST", self.base + "/courses", self.token("/courses", tenant=tenant),
                                     {"patientId": "example", "start": {"variant": "standard"},
                                      "userId": "Practitioner/py"})
        self.assertEqual(status, 201, body)
        course = json.loads(body)["id"]
        self.assertEqual(headers.get("Location") or headers.get("location"), f"{self.base}/courses/{course}")
        events_path = f"/courses/{course}/events"
        assessment = {"age": 35, "diagnoses": [{"category": "major_depression", "course": "first_episode",
                                                "phase": "acute"}],
                      "findings": {"active_psychosis": "absent", "personality_disorder": "absent",
                                   "motivation": "present", "insight": "present", "suicide_risk": "low",
                                   "cognitive_impairment": {"severity": "none"}}}
        events = [
            {"type": "assessment_recorded", "assessment": assessment},
            {"type": "course_started", "date": "2026-01-05"},
            {"type": "session_held", "number": 1, "date": "2026-01-12",
             "measures": [{"instrument": "phq9", "total": 18, "item9": 2}],
             "tasks_done": ["symptoms_reviewed"]},
        ]
        etag = headers.get("ETag") or headers.get("etag")
        for event in events:
            status, headers, body = call("POST", self.base + events_path, self.token(events_path, tenant=tenant),
                                         {"event": event, "userId": "Practitioner/py"}, {"If-Match": etag})
            self.assertEqual(status, 200, body)
            etag = headers.get("ETag") or headers.get("etag")
        self.assertEqual(etag, '"3"')
        # The same version again: another event got there first.
        status, headers, body = call("POST", self.base + events_path, self.token(events_path, tenant=tenant),
                                     {"event": {"type": "session_missed", "date": "2026-01-19"}}, {"If-Match": '"2"'})
        self.assertEqual(status, 409, body)
        # The next chart opening: the suicide-risk alert of session 1, critical and first.
        path = "/cds-services/ipt-suitability"
        status, _, body = call("POST", self.base + path, self.token(path, tenant=tenant), readme_example())
        self.assertEqual(status, 200, body)
        first = json.loads(body)["cards"][0]
        self.assertEqual((first["indicator"], first["source"]["topic"]["code"]), ("critical", "X-SUICIDE"))
        # Who recorded what, and when the server received it.
        status, _, body = call("GET", self.base + events_path, self.token(events_path, tenant=tenant))
        log = json.loads(body)["events"]
        self.assertEqual([e["type"] for e in log], [e["type"] for e in events])
        self.assertTrue(all(e["recordedBy"]["userId"] == "Practitioner/py" for e in log))
        self.assertTrue(all(e["receivedAt"].endswith("Z") for e in log))
        # Another tenant sees no such course.
        status, _, _ = call("GET", self.base + f"/courses/{course}", self.token(f"/courses/{course}", tenant="other"))
        self.assertEqual(status, 404)

    def test_missing_prefetch_without_a_fhir_server_is_412(self):
        path = "/cds-services/ipt-suitability"
        request = readme_example()
        del request["prefetch"]
        status, headers, body = call("POST", self.base + path, self.token(path), request)
        self.assertEqual(status, 412, body)
        self.assertEqual(json.loads(body)["resourceType"], "OperationOutcome")

    # --- as an attacker ---

    def test_refusals(self):
        url = self.base + "/cds-services"
        now = int(time.time())
        claims = {"iss": self.iss, "aud": url, "iat": now, "exp": now + 60, "jti": secrets.token_hex(8)}
        # No token; expired; wrong audience (the service's URL at discovery).
        self.assert_refused(*call("GET", url))
        self.assert_refused(*call("GET", url, self.token("/cds-services", iat=now - 600, exp=now - 300)))
        self.assert_refused(*call("GET", url, self.token("/cds-services/ipt-suitability")))
        # alg none.
        unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": "py-es384"})
        self.assert_refused(*call("GET", url, unsigned))
        # HS256 keyed with the public JWK (PyJWT refuses to do it, so by hand).
        head = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "py-es384"}).encode())
        body = b64url(json.dumps(claims).encode())
        mac = hmac.new(json.dumps(self.ec_jwk).encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
        self.assert_refused(*call("GET", url, f"{head}.{body}.{b64url(mac)}"))
        # Replay.
        once = self.token("/cds-services")
        self.assertEqual(call("GET", url, once)[0], 200)
        self.assert_refused(*call("GET", url, once))
        # An attacker's key named by a jku the issuer never listed: refused, never fetched.
        forged = jwt.encode(claims, self.attacker, algorithm="ES384",
                            headers={"kid": "py-es384", "jku": self.keys.url("/evil/jwks.json")})
        self.assert_refused(*call("GET", url, forged))
        self.assertEqual(self.keys.hits.get("/evil/jwks.json", 0), 0)
        # The attacker's key with the issuer's kid and no jku: a bad signature.
        forged = jwt.encode(dict(claims, jti=secrets.token_hex(8)), self.attacker, algorithm="ES384",
                            headers={"kid": "py-es384"})
        self.assert_refused(*call("GET", url, forged))
        # The server's log holds none of these tokens.
        log = (self.work / "server.log").read_text()
        self.assertNotIn(once, log)
        self.assertNotIn("eyJ", log)


class OnSqlite(EhrSuite, unittest.TestCase):
    store_kind = "sqlite"


@unittest.skipUnless(os.environ.get("IPT_TEST_POSTGRES_URL"), "IPT_TEST_POSTGRES_URL is not set")
class OnPostgres(EhrSuite, unittest.TestCase):
    store_kind = "postgres"

    @classmethod
    def store_url(cls, work):
        admin = os.environ["IPT_TEST_POSTGRES_URL"]
        db = f"ipt_py_{secrets.token_hex(4)}"
        subprocess.run(["psql", "-q", admin, "-c", f"CREATE DATABASE {db}"], check=True)
        return admin.rsplit("/", 1)[0] + "/" + db


if __name__ == "__main__":
    unittest.main()
