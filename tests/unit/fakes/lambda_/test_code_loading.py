"""Code loading: each function runs the code of its own zip, in isolation."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from eventproof_fakes import FakeAWS
from eventproof_fakes.lambda_.code import FunctionCode, package
from tests.unit.fakes.lambda_.code_folders import deploy, invoke, write_folder

APP = """
    from utils import greeting

    def lambda_handler(event, context):
        return {"greeting": greeting(), "module": __name__, "file": __file__}
"""


@pytest.fixture
def aws() -> FakeAWS:
    return FakeAWS()


def two_functions(aws: FakeAWS, tmp_path: Path) -> tuple[Path, Path]:
    first = write_folder(tmp_path / "first", {"app.py": APP, "utils.py": """
        def greeting():
            return "hello from first"
    """})
    second = write_folder(tmp_path / "second", {"app.py": APP, "utils.py": """
        def greeting():
            return "hello from second"
    """})
    deploy(aws, "first", first)
    deploy(aws, "second", second)
    return first, second


def test_two_functions_with_an_app_py_each_run_their_own_module_and_sibling_imports(
    aws: FakeAWS, tmp_path: Path
) -> None:
    first, second = two_functions(aws, tmp_path)
    client = aws.client("lambda")
    for _ in range(2):  # warm invocations too
        one, _ = invoke(client, "first")
        two, _ = invoke(client, "second")
        assert one["greeting"] == "hello from first"
        assert two["greeting"] == "hello from second"
    # The ORIGINAL folders run: tracebacks and coverage point at the team's files.
    assert one["file"] == str(first.resolve() / "app.py")
    assert two["file"] == str(second.resolve() / "app.py")
    assert one["module"] == "app"


def test_a_functions_modules_do_not_stay_in_the_callers_sys_modules(
    aws: FakeAWS, tmp_path: Path
) -> None:
    two_functions(aws, tmp_path)
    invoke(aws.client("lambda"), "first")
    assert "app" not in sys.modules and "utils" not in sys.modules


def test_a_module_of_the_test_process_with_the_same_name_is_hidden_then_restored(
    aws: FakeAWS, tmp_path: Path
) -> None:
    two_functions(aws, tmp_path)
    imposter = type(sys)("utils")
    imposter.greeting = lambda: "the process's utils"  # type: ignore[attr-defined]
    sys.modules["utils"] = imposter
    try:
        result, _ = invoke(aws.client("lambda"), "first")
        assert result["greeting"] == "hello from first"
        assert sys.modules["utils"] is imposter
    finally:
        del sys.modules["utils"]


def test_a_package_in_a_subfolder_and_a_slash_handler_path(aws: FakeAWS, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "code", {
        "src/__init__.py": "",
        "src/orders/__init__.py": "",
        "src/orders/handler.py": """
            from src.orders.rules import limit
            def main(event, context):
                return limit()
        """,
        "src/orders/rules.py": "def limit():\n    return 42\n",
    })
    client = deploy(aws, "orders", folder, handler="src/orders/handler.main")
    assert invoke(client, "orders") == (42, None)


def test_init_runs_once_per_execution_environment(aws: FakeAWS, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "code", {"app.py": """
        COLD_STARTS = []
        COLD_STARTS.append(1)

        def lambda_handler(event, context):
            return len(COLD_STARTS)
    """})
    client = deploy(aws, "counter", folder)
    assert [invoke(client, "counter")[0] for _ in range(3)] == [1, 1, 1]
    # A configuration change starts a new execution environment: a new init.
    client.update_function_configuration(FunctionName="counter", MemorySize=256)
    assert invoke(client, "counter")[0] == 1
    assert len({i.log_stream for i in aws.invocations("counter")}) == 2


@pytest.mark.parametrize(
    ("files", "handler", "error_type", "message"),
    [
        ({"other.py": ""}, "app.lambda_handler", "Runtime.ImportModuleError",
         "Unable to import module 'app': No module named 'app'"),
        ({"app.py": "def handler(event, context):\n    return 1\n"}, "app.lambda_handler",
         "Runtime.HandlerNotFound", "Handler 'lambda_handler' missing on module 'app'"),
        ({"app.py": "def lambda_handler(event, context)\n    return 1\n"}, "app.lambda_handler",
         "Runtime.UserCodeSyntaxError", "Syntax error in module 'app': "),
        ({"app.py": "import os\nTABLE = os.environ['TABLE']\n"}, "app.lambda_handler",
         "KeyError", "'TABLE'"),
        ({"app.py": "import no_such_dependency\n"}, "app.lambda_handler",
         "Runtime.ImportModuleError",
         "Unable to import module 'app': No module named 'no_such_dependency'"),
        ({"app.py": ""}, "lambda_handler", "Runtime.MalformedHandlerName", "Bad handler"),
    ],
)
def test_broken_code_is_a_failed_invocation_with_the_aws_runtime_error(
    aws: FakeAWS, tmp_path: Path, files: dict[str, str], handler: str, error_type: str,
    message: str,
) -> None:
    client = deploy(aws, "broken", write_folder(tmp_path / "code", files), handler=handler)
    payload, function_error = invoke(client, "broken")
    assert function_error == "Unhandled"
    assert payload["errorType"] == error_type
    assert payload["errorMessage"].startswith(message)
    # A failed init is tried again by the next invocation, and fails the same way.
    assert invoke(client, "broken")[0]["errorType"] == error_type
    assert [i.error for i in aws.invocations("broken")] == [error_type, error_type]


def test_a_fixed_module_is_picked_up_by_update_function_code(aws: FakeAWS, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "v1", {"app.py": "def lambda_handler(e, c):\n    return 1\n"})
    client = deploy(aws, "versioned", folder)
    assert invoke(client, "versioned")[0] == 1
    fixed = write_folder(tmp_path / "v2", {"app.py": "def lambda_handler(e, c):\n    return 2\n"})
    client.update_function_code(FunctionName="versioned", ZipFile=package(fixed))
    assert invoke(client, "versioned")[0] == 2


def test_a_zip_not_built_by_package_is_extracted_into_its_own_folder(aws: FakeAWS) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def lambda_handler(e, c):\n    return __file__\n")
    client = aws.client("lambda")
    client.create_function(FunctionName="zipped", Runtime="python3.12", Role="r" * 20,
                           Handler="app.lambda_handler", Code={"ZipFile": buffer.getvalue()})
    path = Path(invoke(client, "zipped")[0])
    assert path.name == "app.py" and path.exists()
    client.delete_function(FunctionName="zipped")
    assert not path.exists()  # the extracted copy goes with the function


def test_package_is_deterministic_and_skips_bytecode(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "code", {"app.py": "x = 1\n", "lib/a.py": "y = 2\n"})
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "app.cpython-311.pyc").write_bytes(b"\0")
    first = package(folder)
    (folder / "app.py").touch()  # a new mtime changes nothing
    assert package(folder) == first
    assert zipfile.ZipFile(io.BytesIO(first)).namelist() == ["app.py", "lib/a.py"]
    code = FunctionCode.from_zip(first)
    assert code.original and code.folder == folder.resolve()


def test_code_other_than_a_zip_file_is_refused_naming_it(aws: FakeAWS) -> None:
    client = aws.client("lambda")
    with pytest.raises(client.exceptions.InvalidParameterValueException) as caught:
        client.create_function(FunctionName="s3code", Runtime="python3.12", Role="r" * 20,
                               Handler="app.h", Code={"S3Bucket": "bucket", "S3Key": "k"})
    assert "Code.S3Bucket" in caught.value.response["Error"]["Message"]


def test_a_file_named_like_a_standard_library_module_does_not_replace_it(
    aws: FakeAWS, tmp_path: Path
) -> None:
    folder = write_folder(tmp_path / "code", {
        "json.py": "raise RuntimeError('the team shadowed json')\n",
        "app.py": "import json\n\ndef lambda_handler(event, context):\n    return json.dumps(1)\n",
    })
    client = deploy(aws, "shadow", folder)
    assert invoke(client, "shadow") == ("1", None)


def test_a_timed_out_invocation_resets_the_execution_environment(
    aws: FakeAWS, tmp_path: Path
) -> None:
    folder = write_folder(tmp_path / "code", {"app.py": """
        STARTS = []
        STARTS.append(1)

        def lambda_handler(event, context):
            if event.get("slow"):
                event_clock.advance(10)
            return len(STARTS)
    """})
    client = deploy(aws, "slow", folder, Timeout=3)
    invoke(client, "slow")
    module = aws.lambda_.functions["slow"].sandbox.namespace.module("app")  # type: ignore[union-attr]
    assert module is not None
    module.event_clock = aws.clock  # type: ignore[attr-defined]
    payload, _ = invoke(client, "slow", {"slow": True})
    assert payload["errorType"] == "Sandbox.Timedout"
    assert aws.lambda_.functions["slow"].sandbox is None
    assert invoke(client, "slow")[0] == 1  # a cold start after the reset


def test_a_code_folder_removed_after_deployment_is_an_import_error(
    aws: FakeAWS, tmp_path: Path
) -> None:
    import shutil

    folder = write_folder(tmp_path / "gone", {"app.py": "def lambda_handler(e, c):\n    pass\n"})
    client = deploy(aws, "gone", folder)
    shutil.rmtree(folder)
    payload, _ = invoke(client, "gone")
    assert payload["errorType"] == "Runtime.ImportModuleError"


def test_package_builds_a_folder_once_and_again_when_a_file_changes(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("VALUE = 1\n")
    first = package(tmp_path)
    assert package(tmp_path) is first  # unchanged: the package built before
    (tmp_path / "app.py").write_text("VALUE = 2\n")  # same size, maybe the same mtime tick
    changed = package(tmp_path)
    assert changed != first
    assert zipfile.ZipFile(io.BytesIO(changed)).read("app.py") == b"VALUE = 2\n"
