"""Every user mistake ends in one clear error block naming the place, exit 2, no traceback."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eventproof.cli import run

ORDER = {
    "x-eventproof": {"name": "PlaceOrder", "kind": "command", "version": "1", "summary": "s"},
    "type": "object",
    "required": ["orderId"],
    "properties": {"orderId": {"type": "string"}, "tags": {"type": "array"}},
}


def write(path: Path, content: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def cli(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


def good_catalog(root: Path) -> Path:
    write(root / "contracts" / "PlaceOrder.schema.json", ORDER)
    return root / "contracts"


Case = Callable[[Path], tuple[list[str | Path], list[str]]]


def malformed_json_schema(tmp: Path) -> tuple[list[str | Path], list[str]]:
    bad = write(tmp / "c" / "A.schema.json", '{"type": "object",\n  "properties": {,}}')
    return ["contracts", "check", tmp / "c"], [str(bad), "line 2", "column 18", "malformed JSON"]


def malformed_examples_yaml(tmp: Path) -> tuple[list[str | Path], list[str]]:
    write(tmp / "c" / "PlaceOrder.schema.json", ORDER)
    bad = write(tmp / "c" / "PlaceOrder.examples.yaml", "valid:\n  - name: x\n    message: {a: [1, 2}\n")
    return ["contracts", "check", tmp / "c"], [str(bad), "line 3", "malformed YAML"]


def examples_file_of_wrong_shape(tmp: Path) -> tuple[list[str | Path], list[str]]:
    write(tmp / "c" / "PlaceOrder.schema.json", ORDER)
    bad = write(tmp / "c" / "PlaceOrder.examples.yaml", "valid:\n  - name: no message\n")
    return ["contracts", "check", tmp / "c"], [str(bad), "line 2", "needs a 'message'"]


def invalid_json_schema(tmp: Path) -> tuple[list[str | Path], list[str]]:
    bad = write(tmp / "c" / "A.schema.json", {**ORDER, "required": "orderId"})
    return ["contracts", "check", tmp / "c"], [str(bad), "/required", "not a valid JSON Schema"]


def unsupported_dialect(tmp: Path) -> tuple[list[str | Path], list[str]]:
    bad = write(tmp / "c" / "A.schema.json", {**ORDER, "$schema": "http://json-schema.org/draft-03/schema#"})
    return ["contracts", "check", tmp / "c"], [str(bad), "/$schema", "unsupported"]


def schema_not_an_object(tmp: Path) -> tuple[list[str | Path], list[str]]:
    bad = write(tmp / "c" / "A.schema.json", "[1, 2]")
    return ["contracts", "check", tmp / "c"], [str(bad), "JSON object"]


def bad_metadata_kind(tmp: Path) -> tuple[list[str | Path], list[str]]:
    meta = {**ORDER["x-eventproof"], "kind": "query"}
    bad = write(tmp / "c" / "A.schema.json", {**ORDER, "x-eventproof": meta})
    return ["contracts", "list", tmp / "c"], [str(bad), "/x-eventproof/kind", "one of command"]


def invalid_avro_schema(tmp: Path) -> tuple[list[str | Path], list[str]]:
    bad = write(tmp / "c" / "A.avsc", {"type": "record", "name": "A", "x-eventproof": ORDER["x-eventproof"],
                                        "fields": [{"name": "n", "type": "integer"}]})
    return ["contracts", "check", tmp / "c"], [str(bad), "Avro"]


def avro_decimal_out_of_range(tmp: Path) -> tuple[list[str | Path], list[str]]:
    bad = write(tmp / "c" / "A.avsc", {"type": "record", "name": "A", "fields": [
        {"name": "n", "type": {"type": "bytes", "logicalType": "decimal", "precision": 2, "scale": 4}}]})
    return ["contracts", "check", tmp / "c"], [str(bad), "scale"]


def avro_unknown_named_type(tmp: Path) -> tuple[list[str | Path], list[str]]:
    bad = write(tmp / "c" / "A.avsc", {"type": "record", "name": "A", "fields": [
        {"name": "price", "type": "shop.Money"}]})
    return ["contracts", "check", tmp / "c"], [str(bad), "shop.Money", "not defined"]


def ref_to_a_missing_file(tmp: Path) -> tuple[list[str | Path], list[str]]:
    bad = write(tmp / "c" / "A.schema.json", {**ORDER, "properties": {"m": {"$ref": "common/Money.schema.json"}}})
    return ["contracts", "check", tmp / "c"], [str(bad), "/properties/m/$ref", "points to nothing"]


def ref_to_a_missing_definition(tmp: Path) -> tuple[list[str | Path], list[str]]:
    bad = write(tmp / "c" / "A.schema.json", {**ORDER, "properties": {"m": {"$ref": "#/$defs/money"}}})
    return ["contracts", "check", tmp / "c"], [str(bad), "/properties/m/$ref", "#/$defs/money"]


def cyclic_ref(tmp: Path) -> tuple[list[str | Path], list[str]]:
    write(tmp / "c" / "B.schema.json", {"$ref": "A.schema.json"})
    write(tmp / "c" / "A.schema.json", {**ORDER, "allOf": [{"$ref": "B.schema.json"}]})
    return ["contracts", "check", tmp / "c"], ["cyclic $ref", "A.schema.json"]


def remote_ref(tmp: Path) -> tuple[list[str | Path], list[str]]:
    bad = write(tmp / "c" / "A.schema.json", {**ORDER, "properties": {"m": {"$ref": "https://schemas.example.com/money.json"}}})
    return ["contracts", "check", tmp / "c"], [str(bad), "remote $ref", "never touches the network"]


def duplicate_contract_name(tmp: Path) -> tuple[list[str | Path], list[str]]:
    first = write(tmp / "c" / "a" / "PlaceOrder.schema.json", ORDER)
    second = write(tmp / "c" / "b" / "Other.avsc", {"type": "record", "name": "PlaceOrder",
                                                     "x-eventproof": ORDER["x-eventproof"],
                                                     "fields": []})
    return ["contracts", "check", tmp / "c"], [str(first), str(second), "two contracts are named"]


def missing_contracts_folder(tmp: Path) -> tuple[list[str | Path], list[str]]:
    return ["contracts", "check", tmp / "nowhere"], [str(tmp / "nowhere"), "no such contracts folder"]


def missing_message_file(tmp: Path) -> tuple[list[str | Path], list[str]]:
    return (["validate", "PlaceOrder", tmp / "absent.json", "--contracts", good_catalog(tmp)],
            [str(tmp / "absent.json"), "no such file"])


def message_that_is_not_json(tmp: Path) -> tuple[list[str | Path], list[str]]:
    message = write(tmp / "m.txt", "orderId: 1\nthis is not JSON")
    return (["validate", "PlaceOrder", message, "--contracts", good_catalog(tmp)],
            [str(message), "line 1", "column 1", "malformed JSON"])


def message_that_is_not_utf8(tmp: Path) -> tuple[list[str | Path], list[str]]:
    message = tmp / "m.bin"
    message.write_bytes(b'{"orderId": "\xff\xfe"}')
    return (["validate", "PlaceOrder", message, "--contracts", good_catalog(tmp)],
            [str(message), "not UTF-8"])


def wrong_envelope(tmp: Path) -> tuple[list[str | Path], list[str]]:
    message = write(tmp / "m.json", {"orderId": "1"})
    return (["validate", "PlaceOrder", message, "--contracts", good_catalog(tmp), "--envelope", "eventbridge"],
            [str(message), "not an eventbridge envelope", "detail"])


def sqs_body_that_is_not_json(tmp: Path) -> tuple[list[str | Path], list[str]]:
    message = write(tmp / "m.json", {"Records": [{"body": "{\"orderId\": 1"}]})
    return (["validate", "PlaceOrder", message, "--contracts", good_catalog(tmp), "--envelope", "sqs"],
            [str(message), "/Records/0/body", "not JSON"])


def unknown_envelope_kind(tmp: Path) -> tuple[list[str | Path], list[str]]:
    message = write(tmp / "m.json", {"orderId": "1"})
    return (["validate", "PlaceOrder", message, "--contracts", good_catalog(tmp), "--envelope", "kinesis"],
            [str(message), "unknown envelope kind 'kinesis'", "eventbridge"])


def destination_without_saying_which(tmp: Path) -> tuple[list[str | Path], list[str]]:
    message = write(tmp / "m.json", {"requestContext": {}, "requestPayload": {}})
    return (["validate", "PlaceOrder", message, "--contracts", good_catalog(tmp), "--envelope", "destination"],
            [str(message), "destination-request or destination-response"])


def ten_thousand_deep_message(tmp: Path) -> tuple[list[str | Path], list[str]]:
    message = write(tmp / "deep.json", '{"orderId": "1", "tags": ' + "[" * 10_000 + "]" * 10_000 + "}")
    return (["validate", "PlaceOrder", message, "--contracts", good_catalog(tmp)],
            [str(message), "nested too deeply"])


def ten_thousand_deep_schema(tmp: Path) -> tuple[list[str | Path], list[str]]:
    bad = write(tmp / "c" / "A.schema.json", '{"items": ' * 10_000 + "{}" + "}" * 10_000)
    return ["contracts", "check", tmp / "c"], [str(bad), "too deeply"]


def unknown_contract_name(tmp: Path) -> tuple[list[str | Path], list[str]]:
    message = write(tmp / "m.json", {"orderId": "1"})
    return (["validate", "PlaceOrdr", message, "--contracts", good_catalog(tmp)],
            ["no contract named 'PlaceOrdr'", "did you mean PlaceOrder?"])


def examples_without_a_contract(tmp: Path) -> tuple[list[str | Path], list[str]]:
    bad = write(tmp / "c" / "Lonely.examples.yaml", "valid: []\n")
    return ["contracts", "check", tmp / "c"], [str(bad), "no contract beside it"]


def unknown_command(tmp: Path) -> tuple[list[str | Path], list[str]]:
    return ["verifyy"], ["usage error", "invalid choice"]


CASES: list[Case] = [
    malformed_json_schema, malformed_examples_yaml, examples_file_of_wrong_shape,
    invalid_json_schema, unsupported_dialect, schema_not_an_object, bad_metadata_kind,
    invalid_avro_schema, avro_decimal_out_of_range, avro_unknown_named_type,
    ref_to_a_missing_file, ref_to_a_missing_definition, cyclic_ref, remote_ref,
    duplicate_contract_name, missing_contracts_folder, missing_message_file,
    message_that_is_not_json, message_that_is_not_utf8, wrong_envelope, sqs_body_that_is_not_json,
    unknown_envelope_kind, destination_without_saying_which, ten_thousand_deep_message,
    ten_thousand_deep_schema, unknown_contract_name, examples_without_a_contract, unknown_command,
]


@pytest.mark.parametrize("case", CASES, ids=[case.__name__ for case in CASES])
def test_a_user_mistake_ends_in_one_clear_block_and_exit_2(case: Case, tmp_path: Path) -> None:
    argv, must_mention = case(tmp_path)
    code, out, err = cli(*argv)
    assert code == 2, (out, err)
    assert "Traceback" not in out + err
    for text in must_mention:
        assert text in err, f"{text!r} not in:\n{err}"


def test_a_10_mb_message_is_validated_quickly(tmp_path: Path) -> None:
    contracts = good_catalog(tmp_path)
    message = write(tmp_path / "big.json", {"orderId": "1", "tags": ["x" * 100] * 100_000})
    assert message.stat().st_size > 10_000_000
    started = time.perf_counter()
    code, out, err = cli("validate", "PlaceOrder", message, "--contracts", contracts)
    assert (code, err) == (0, "")
    assert "conforms to PlaceOrder" in out
    assert time.perf_counter() - started < 10


def test_a_10_mb_message_that_violates_prints_a_short_report(tmp_path: Path) -> None:
    contracts = good_catalog(tmp_path)
    message = write(tmp_path / "big.json", {"orderId": "x" * 10_500_000, "tags": 3})
    code, out, _err = cli("validate", "PlaceOrder", message, "--contracts", contracts)
    assert code == 1
    assert f"{message}: /tags: expected type array, found integer 3" in out
    assert len(out) < 2_000
