"""``eventproof contracts check --aws`` checks the AWS record contracts eventproof ships."""

from __future__ import annotations

import io

from eventproof.catalog.builtin import aws_contracts_dir
from eventproof.cli import run


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_the_shipped_aws_contracts_load_and_their_examples_hold() -> None:
    code, out, _ = cli("contracts", "check", "--aws")
    assert code == 0
    assert "SqsRecord" in out and "EventBridgeEvent" in out
    assert out.rstrip().endswith("0 failed")


def test_the_aws_contracts_are_found_in_the_checkout_or_the_installed_package() -> None:
    folder = aws_contracts_dir()
    assert (folder / "SqsRecord.schema.json").is_file()
    assert folder.name in ("aws", "aws_contracts")


def test_a_folder_and_aws_together_are_a_usage_error() -> None:
    code, _, err = cli("contracts", "list", "contracts", "--aws")
    assert code == 2
    assert "either DIR" in err
