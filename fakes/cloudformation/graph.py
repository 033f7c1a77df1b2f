"""The order resources are created in: dependencies first, template order otherwise, cycles refused."""

from __future__ import annotations

__all__ = ["CircularDependency", "creation_order"]


class CircularDependency(Exception):
    def __init__(self, cycle: list[str]) -> None:
        super().__init__(" -> ".join(cycle))
        self.cycle = cycle


def creation_order(dependencies: dict[str, list[str]]) -> list[str]:
    """Each resource after everything it depends on; ``dependencies`` is in template order."""
    order: list[str] = []
    state: dict[str, str] = {}  # "visiting" or "done"

    def visit(name: str, path: list[str]) -> None:
        mark = state.get(name)
        if mark == "done":
            return
        if mark == "visiting":
            raise CircularDependency([*path[path.index(name):], name])
        state[name] = "visiting"
        for dependency in dependencies.get(name, []):
            visit(dependency, [*path, name])
        state[name] = "done"
        order.append(name)

    for name in dependencies:
        visit(name, [])
    return order
