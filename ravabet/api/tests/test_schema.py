"""The OpenAPI 3 schema validates and the documentation page is self-hosted (issue 18, point 1)."""

import re

from django.contrib.staticfiles import finders
from openapi_spec_validator import validate


def test_the_schema_is_valid_openapi_3(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)
    paths = set(schema["paths"])
    for path in ("/api/v1/public/news", "/api/v1/public/units", "/api/v1/public/surveys",
                 "/api/v1/public/surveys/{token}/responses", "/api/v1/public/complaints",
                 "/api/v1/public/complaints/track", "/api/v1/public/invitations/{token}/rsvp",
                 "/api/v1/staff/news", "/api/v1/staff/complaints", "/api/v1/staff/hqtasks", "/api/v1/staff/scores"):
        assert path in paths, path
    # The one error shape is documented and used by every operation's error answers.
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"detail", "code", "errors"}
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/Error"), (path, status)


def test_the_docs_page_loads_only_local_assets(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", html), "the docs page links outside the site"
    for asset in re.findall(r"""(?:src|href)\s*=\s*["']/static/([^"']+)""", html):
        assert finders.find(asset), asset
    assert "swagger-ui-bundle.js" in html


def test_a_wrong_method_and_an_unknown_address_answer_in_the_error_shape(client):
    wrong = client.get("/api/v1/public/complaints")
    assert wrong.status_code == 405 and wrong["Allow"] == "POST"
    assert wrong.json() == {"detail": "این روش درخواست برای این نشانی پذیرفته نیست.", "code": "method_not_allowed",
                            "errors": []}
    for path in ("/api/v1/", "/api/v1/nothing/here"):
        missing = client.get(path)
        assert missing.status_code == 404 and missing.json()["code"] == "not_found"
