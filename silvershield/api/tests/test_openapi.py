"""The schema is generated; a snapshot of its operations notices any change.

After an intended change, copy the "generated" list from the failure message into
openapi_operations.json (and describe the change in docs/api.md).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import Client

from silvershield.api.api import api

SNAPSHOT = Path(__file__).with_name("openapi_operations.json")
METHODS = {"get", "post", "put", "patch", "delete"}


def _operations() -> list[list[str]]:
    schema = api.get_openapi_schema()
    return sorted(
        [method.upper(), path, op["operationId"]]
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if method in METHODS
    )


def test_operations_match_the_snapshot() -> None:
    generated = _operations()
    stored = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert generated == stored, "generated:\n" + json.dumps(generated, ensure_ascii=False, indent=1)


def test_every_operation_has_schemas_and_bearer_auth() -> None:
    schema = api.get_openapi_schema()
    assert schema["components"]["securitySchemes"]["BearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            assert op["security"] == [{"BearerAuth": []}], (method, path)
            codes = {int(code) for code in op["responses"]}
            assert codes & {200, 201, 204}, (method, path)
            assert 401 in codes, (method, path)
            assert op["operationId"], (method, path)
            if method in {"post", "put", "patch"}:
                assert "requestBody" in op, (method, path)
                assert 400 in codes, (method, path)


def test_money_is_a_string_in_responses() -> None:
    schema = api.get_openapi_schema()
    money = schema["components"]["schemas"]["TipListItem"]["properties"]["money_amount"]
    assert {"type": "string"} in money["anyOf"]
    assert {"type": "number"} not in money["anyOf"]


@pytest.mark.django_db
def test_openapi_json_is_served() -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "SilverShield 银盾 API"


@pytest.mark.django_db
def test_docs_page_uses_only_local_assets_and_no_inline_code() -> None:
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"(?:src|href)=\"([^\"]+)\"", html)
    assert "/static/ninja/swagger-ui-bundle.js" in urls
    assert "/static/api/swagger-init.js" in urls
    assert "/static/ninja/swagger-ui.css" in urls
    assert all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    assert not re.search(r"https?://", html)
    # Every <script> either loads a local file or is a JSON data block (never executed).
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
        assert "src=" not in attrs or not body.strip()
    assert "style=" not in html
    assert "<style" not in html
    block = re.search(r'id="swagger-settings"[^>]*>(.*?)</script>', html, flags=re.S)
    assert block is not None
    settings = json.loads(block.group(1))
    assert settings["url"] == "/api/openapi.json"
    assert settings["validatorUrl"] is None
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui.css",
        "/static/api/swagger-init.js",
    ],
)
def test_docs_assets_are_served_locally(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    assert len(body) > 100
