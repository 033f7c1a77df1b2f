"""``--database``: one key space per check in a shared hypothesis database."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis.database import InMemoryExampleDatabase

from eventproof.errors import ConfigError
from eventproof.project.database import Namespaced, open_database


def test_two_checks_sharing_a_database_do_not_see_each_others_examples() -> None:
    shared = InMemoryExampleDatabase()
    payments, receipts = Namespaced(shared, "PaymentsFunction::idempotent"), Namespaced(
        shared, "ReceiptsFunction::idempotent")
    payments.save(b"key", b"counterexample")
    assert list(payments.fetch(b"key")) == [b"counterexample"]
    assert list(receipts.fetch(b"key")) == []
    receipts.delete(b"key", b"counterexample")  # a passing check cannot delete another's
    payments.move(b"key", b"secondary", b"counterexample")
    assert list(payments.fetch(b"secondary")) == [b"counterexample"]
    assert list(payments.fetch(b"key")) == []


def test_a_folder_is_created_and_a_file_is_refused(tmp_path: Path) -> None:
    open_database(str(tmp_path / "db" / "nested"))
    assert (tmp_path / "db" / "nested").is_dir()
    (tmp_path / "file").write_text("")
    with pytest.raises(ConfigError, match="not a folder"):
        open_database(str(tmp_path / "file"))
