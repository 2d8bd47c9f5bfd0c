import pytest

from kendra.notify import outbox


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr(outbox, "queue_send", lambda pks: list(pks))
