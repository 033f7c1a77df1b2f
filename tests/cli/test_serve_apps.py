"""``eventproof serve`` finds applications where they are declared, and has no default."""

from __future__ import annotations

import io
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import boto3
import pytest

from eventproof.cli import run
from eventproof.cli.commands import serve
from eventproof_fakes.patching import open_patches

HERE = "tests.cli.test_serve_apps"


def build_queue_server(session: Any, *, host: str, port: int, **_: Any) -> HTTPServer:
    """A tiny application: GET / creates a queue through boto3 and answers its URL."""
    sqs = boto3.client("sqs")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = sqs.create_queue(QueueName="served")["QueueUrl"].encode()
            self.send_response(200)
            self.end_headers()
            self.wfile.write(url)

        def log_message(self, *args: Any) -> None:
            pass

    return HTTPServer((host, port), Handler)


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def project(tmp_path: Path, table: str) -> Path:
    config = tmp_path / "pyproject.toml"
    config.write_text(f"[tool.eventproof.serve]\n{table}\n")
    return config


def test_without_an_application_serve_names_what_is_declared_and_exits_2(tmp_path: Path) -> None:
    config = project(tmp_path, f'queues = "{HERE}:build_queue_server"')
    code, _, err = cli("serve", "--config", str(config))
    assert code == 2
    assert "no application given" in err and "queues" in err
    assert "Traceback" not in err


def test_an_application_declared_in_pyproject_serves_on_the_fakes(tmp_path: Path) -> None:
    config = project(tmp_path, f'queues = "{HERE}:build_queue_server"')
    with serve.start("queues", config=config, port=0) as served:
        thread = threading.Thread(target=served.server.serve_forever, daemon=True)
        thread.start()
        host, port = served.server.server_address[:2]
        with urllib.request.urlopen(f"http://{host}:{port}/", timeout=10) as response:
            assert response.read().decode().endswith("/served")
        served.server.shutdown()
        assert served.aws.sqs.queue_arn("served").endswith(":served")
    assert open_patches() == []


def test_an_application_declared_by_an_installed_package_is_found(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    point = EntryPoint("queues", f"{HERE}:build_queue_server", serve.ENTRY_POINT_GROUP)
    asked: list[str] = []

    def points(*, group: str) -> list[EntryPoint]:
        asked.append(group)
        return [point]

    monkeypatch.setattr(serve, "entry_points", points)
    monkeypatch.chdir(tmp_path)  # no pyproject.toml here: only the entry point declares it
    apps = serve.declared_apps()
    assert asked == ["eventproof.serve"]
    assert apps["queues"].factory == f"{HERE}:build_queue_server"
    assert serve.load_factory("queues") is build_queue_server


def test_list_shows_each_application_and_where_it_was_declared(tmp_path: Path) -> None:
    config = project(tmp_path, f'queues = "{HERE}:build_queue_server"')
    code, out, _ = cli("serve", "--list", "--config", str(config))
    assert code == 0
    assert f"queues\t{HERE}:build_queue_server\t({config})" in out


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('queues = "no_colon_here"', "is not of the form module:function"),
        ('queues = "no_such_module_xyz:build"', "cannot import 'no_such_module_xyz'"),
        (f'queues = "{HERE}:missing"', "has no function 'missing'"),
        ("queues = 3", "must be a string"),
        ("queues = [", "cannot read"),
    ],
)
def test_a_bad_declaration_is_a_configuration_error(tmp_path: Path, table: str, expected: str) -> None:
    config = project(tmp_path, table)
    code, _, err = cli("serve", "queues", "--config", str(config))
    assert code == 2
    assert expected in err
    assert "Traceback" not in err


def test_a_missing_config_file_is_named(tmp_path: Path) -> None:
    code, _, err = cli("serve", "queues", "--config", str(tmp_path / "absent.toml"))
    assert code == 2 and "absent.toml" in err


def test_the_engine_declares_no_application_of_its_own() -> None:
    assert not hasattr(serve, "APPS")
    source = Path(serve.__file__).read_text()
    assert "reference_impl" not in source
