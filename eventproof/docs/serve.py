"""``eventproof docs serve``: the site on 127.0.0.1, rebuilt when a source changes (watchfiles).

Sources are the project's folder (or the ``--contracts``/``--features``
folders) and the report; the site's own folder is never watched, so a
rebuild does not trigger another. A build that fails while serving prints
its error and keeps the last good site; the first build must succeed.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from typing import Any

from eventproof.docs.collect import SiteOptions
from eventproof.errors import ConfigError, EventproofError

__all__ = ["serve", "watched_paths"]

_IGNORED_PARTS = {".git", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".tox"}


def watched_paths(options: SiteOptions) -> list[Path]:
    """The folders whose changes rebuild the site."""
    paths: list[Path] = []
    if options.config is not None or options.contracts is None:
        from eventproof.project.config import find_config

        for config in (options.config, *options.more_configs):
            file = find_config(config) if config is None or config.is_dir() else config
            paths.append(file.resolve().parent)
    for extra in (options.contracts, options.features):
        if extra is not None:
            paths.append(extra.resolve() if extra.is_dir() else extra.resolve().parent)
    if options.report is not None:
        paths.append(options.report.resolve().parent)
    return list(dict.fromkeys(paths))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(options: SiteOptions, out: Path, *, port: int, output: Any) -> int:
    """Build, serve on 127.0.0.1:``port``, rebuild on change until interrupted; the exit code."""
    import watchfiles

    from eventproof.docs import build_site

    out = out.resolve()
    build_site(options, out)
    handler = functools.partial(_Quiet, directory=str(out))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as error:
        raise ConfigError(f"cannot serve on 127.0.0.1:{port}: {error.strerror or error} "
                          "(choose another --port, or 0 for any free one)") from None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    output.print(f"serving {out} on http://127.0.0.1:{server.server_address[1]}/index.html "
                 "(Ctrl-C stops)")
    output.stdout.flush()

    def relevant(change: Any, path: str) -> bool:
        resolved = Path(path).resolve()
        return not (resolved.is_relative_to(out) or _IGNORED_PARTS & set(resolved.parts))

    try:
        for changes in watchfiles.watch(*watched_paths(options), watch_filter=relevant,
                                        raise_interrupt=False):
            try:
                build_site(options, out)
                output.print(f"rebuilt after {len(changes)} change(s)")
            except EventproofError as error:
                output.error(error)
            output.stdout.flush()
    finally:
        server.shutdown()
        server.server_close()
    return 0
