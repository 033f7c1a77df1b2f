from __future__ import annotations

from eventproof.cli import main

main()
