"""The ``eventproof`` command: ``main()`` exits with what ``run()`` returns.

Subcommands live one per module in ``eventproof.cli.commands``; adding a
module there (with ``NAME``, ``HELP``, ``configure`` and ``execute``) adds a
subcommand. See ``eventproof.cli.commands`` for the protocol.
"""

from __future__ import annotations

from eventproof.cli.app import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Output, main, run

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "Output", "main", "run"]
