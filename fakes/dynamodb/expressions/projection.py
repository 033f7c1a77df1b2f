"""ProjectionExpression: the parts of an item a read returns.

Selected list elements come back compacted, in index order, as on DynamoDB:
``a[1], a[3]`` yields a two-element list.
"""

from __future__ import annotations

from collections.abc import Iterable

from eventproof_fakes.dynamodb.attributes import AttributeValue, Item, copy_value
from eventproof_fakes.dynamodb.expressions.evaluate import ResolvedPath, get_path


class _Node:
    __slots__ = ("children", "whole")

    def __init__(self) -> None:
        self.children: dict[str | int, _Node] = {}
        self.whole: AttributeValue | None = None

    def build(self) -> AttributeValue:
        if self.whole is not None:
            return copy_value(self.whole)
        if all(isinstance(key, int) for key in self.children):
            return {"L": [self.children[i].build() for i in sorted(self.children)]}
        return {"M": {str(key): child.build() for key, child in self.children.items()}}


def project(item: Item, paths: Iterable[ResolvedPath]) -> Item:
    root = _Node()
    for path in paths:
        value = get_path(item, path)
        if value is None:
            continue
        node = root
        for element in path:
            if node.whole is not None:
                break  # a shorter path already selected this whole value
            node = node.children.setdefault(element, _Node())
        else:
            node.whole = value
            node.children.clear()
    return {str(name): child.build() for name, child in root.children.items()}
