"""A fresh one-machine install gets a first account, so the page works right after `make serve`."""

from __future__ import annotations

from frenchnovel.config import Settings
from frenchnovel.storage.accounts import LOCAL_READER, create_first_user, create_user


def test_a_fresh_install_gets_one_first_account_whose_token_works(settings: Settings) -> None:
    from fastapi.testclient import TestClient

    from frenchnovel.api.app import create_app

    token = create_first_user(settings)

    assert token is not None
    with TestClient(create_app(settings)) as client:
        answer = client.get("/api/v1/me/credits", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    assert answer.json()["balance"] > 0
    assert create_first_user(settings) is None  # only once


def test_an_install_with_accounts_gets_no_extra_one(settings: Settings) -> None:
    create_user("owner@example.org", credits=0, settings=settings)

    assert create_first_user(settings) is None
    create_user(LOCAL_READER, credits=0, settings=settings)  # the name is still free
