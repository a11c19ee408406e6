"""schemathesis hooks: a fresh CDS Hooks token for every request, its aud the URL invoked.

Loaded by schemathesis_run.py through SCHEMATHESIS_HOOKS; the key, issuer and base URL come
from the environment it sets.
"""

import os
import secrets
import time

import jwt
import schemathesis
from cryptography.hazmat.primitives import serialization

KEY = serialization.load_pem_private_key(os.environ["IPT_ST_KEY"].encode(), password=None)
ISS = os.environ["IPT_ST_ISS"]
BASE = os.environ["IPT_ST_BASE"]


@schemathesis.auth(refresh_interval=None, retry_on=[])
class CdsHooksToken:
    def get(self, case, context):
        return "unused"

    def set(self, case, data, context):
        now = int(time.time())
        claims = {"iss": ISS, "aud": BASE + case.formatted_path, "iat": now, "exp": now + 120,
                  "jti": secrets.token_hex(16), "tenant": "schemathesis"}
        token = jwt.encode(claims, KEY, algorithm="ES384", headers={"kid": "st-es384", "typ": "JWT"})
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {token}"
