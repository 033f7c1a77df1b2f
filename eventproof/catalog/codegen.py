"""The code writer both validator generators share: fresh names, constants, indented lines.

A generator subclasses ``CodeWriter``, writes one flat Python function per
schema it cannot inline, and ``build`` compiles them once into a check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventproof.catalog.value_tests import Check


class CodeWriter:
    def __init__(self, constants: dict[str, Any]) -> None:
        self.lines: list[str] = []
        self.constants: dict[str, Any] = dict(constants)
        self.counter = 0
        # Schemas keyed by id() must outlive generation, or a new object could reuse an id.
        self.keep_alive: list[Any] = []

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def constant(self, value: Any) -> str:
        name = self.fresh("_c")
        self.constants[name] = value
        return name

    def emit(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text)

    def fail_if(self, indent: int, condition: str) -> None:
        self.emit(indent, f"if {condition}:")
        self.emit(indent + 1, "return False")

    def block(self, indent: int, header: str, fill: Callable[[int], None]) -> None:
        """Emit ``header`` and its body; a body that checks nothing gets ``pass``."""
        self.emit(indent, header)
        before = len(self.lines)
        fill(indent + 1)
        if len(self.lines) == before:
            self.emit(indent + 1, "pass")

    def build(self, entry: str, label: str) -> Check:
        """Compile everything written so far; ``entry`` names the function to return."""
        namespace = dict(self.constants)
        exec(compile("\n".join(self.lines), f"<eventproof generated {label}>", "exec"), namespace)
        check: Check = namespace[entry]
        return check
