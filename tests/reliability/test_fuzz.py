"""Schemathesis against the service's own OpenAPI document: every operation, with a valid token
and without one. No answer may be a 5xx, and every answer must match the document (status code
documented, body of the documented shape, content type)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis import checks

from frenchnovel.api.app import create_app
from frenchnovel.config import Settings
from tests.support.people import Person

EXAMPLES = 25
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same cases on every run: a failure here is reproducible
    suppress_health_check=list(HealthCheck),
)


class CurrentApp:
    """An ASGI app that passes each request to the app of the running test: the schema is
    loaded once at import, the app under test is built per test on the suite's database."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


CURRENT = CurrentApp(
    create_app(Settings(database_url="sqlite://", storage_dir=Path("/nonexistent")), upgrade=False)
)
schema = schemathesis.openapi.from_asgi("/openapi.json", CURRENT)
# What "matches the document" means here. Schemathesis' stricter opinions (that any negative
# input be refused, that every positive input be accepted) do not fit an API whose settings
# fields arrive as multipart text.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


def _other_method(case: schemathesis.Case) -> bool:
    """Schemathesis also tries methods that the operation does not have: they answer 405."""
    return case.method.upper() != case.operation.method.upper()


@pytest.fixture(autouse=True)
def app_under_test(make_settings: Callable[..., Settings]) -> Iterator[FastAPI]:
    app = create_app(make_settings(), upgrade=False)
    previous, CURRENT.app = CURRENT.app, app
    yield app
    CURRENT.app = previous


@schema.parametrize()
@FUZZ
def test_with_a_valid_token_no_operation_fails_or_leaves_its_document(
    case: schemathesis.Case, owner: Person
) -> None:
    response = case.call(headers=owner.headers)
    assert response.status_code < 500, response.text[:500]
    if _other_method(case):
        assert response.status_code == 405, (case.method, case.path, response.text[:200])
        return
    case.validate_response(response, checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_without_a_token_every_operation_answers_401_as_documented(
    case: schemathesis.Case,
) -> None:
    response = case.call()
    assert response.status_code < 500, response.text[:500]
    if case.path in ("/health", "/metrics", "/openapi.json"):
        return
    if _other_method(case):
        assert response.status_code in (401, 405), (
            case.method,
            case.path,
            response.text[:200],
        )
        return
    assert response.status_code == 401, (case.method, case.path, response.text[:300])
    case.validate_response(response, checks=CHECKS)
