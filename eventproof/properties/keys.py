"""Messages about the same entity: keys drawn from a small shared pool.

Independently generated uuids never repeat, so a property over several
messages would never see two of them concern one order, and a
last-writer-wins consumer would pass. An entity key (the contract's
``x-eventproof.key``, else one of the top-level fields named ``id`` or
ending in ``Id``/``_id``) of the later messages of a batch is copied from
one of its first one or two messages: the messages stay valid (the values come from
valid messages, at the same place), and hypothesis shrinks toward leaving
the keys alone, else toward every message concerning one entity.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from eventproof.catalog.refinements import values_at

__all__ = ["batch_of", "collide", "key_groups", "reordering"]


def key_groups(contract: Any, sample: Any) -> tuple[tuple[str, ...], ...]:
    """The entity keys a batch may share: the declared one, else each inferred id field alone.

    A declared ``x-eventproof.key`` is one entity's (possibly composite)
    key. Without one, every top-level ``id``/``*Id``/``*_id`` field is a
    candidate on its own: copying all of them would also copy the message's
    own id, and two messages with one ``paymentId`` are one payment twice.
    """
    declared = getattr(getattr(contract, "metadata", None), "key", None)
    if declared:
        return (tuple(declared),)
    if not isinstance(sample, dict):
        return ()
    return tuple((f"/{name}",) for name in sorted(sample)
                 if name == "id" or name.endswith(("Id", "_id")))


Element = tuple[Any, int, int]  # (message, entity choice, place in the second order)


def batch_of(messages: st.SearchStrategy[Any], *, min_size: int, max_size: int
             ) -> st.SearchStrategy[list[Element]]:
    """A batch whose every element carries its own draws: its entity choice and its place.

    Hypothesis then deletes a message together with what was drawn for it,
    so batches shrink as plain lists do (a permutation drawn for the whole
    batch would change meaning whenever the batch gets shorter).
    """
    return st.lists(st.tuples(messages, st.integers(0, 1), st.integers(0, max_size)),
                    min_size=min_size, max_size=max_size)


def reordering(batch: list[Element]) -> list[int]:
    """The second delivery order: by each element's drawn place, ties in batch order."""
    return sorted(range(len(batch)), key=lambda index: (batch[index][2], index))


def collide(data: st.DataObject, batch: list[Element],
            groups: tuple[tuple[str, ...], ...]) -> list[Any]:
    """The messages, as generated or with later ones about the entities of the first one or two.

    Two draws after the batch, always both: how many entities it concerns
    (0: leave the keys as generated) and which key names the entity.
    """
    messages = [element[0] for element in batch]
    if not groups or len(messages) < 2:
        return messages
    size = min(data.draw(st.integers(0, 2), label="entities in the batch"), len(messages) - 1)
    pointers = data.draw(st.sampled_from(groups), label="the entity key")
    if size == 0:
        return messages
    result = copy.deepcopy(messages)
    for message, (_, choice, _) in zip(result[size:], batch[size:], strict=True):
        source = messages[min(choice, size - 1)]
        for pointer in pointers:
            for _, value in values_at(source, pointer):
                _set(message, pointer, copy.deepcopy(value))
    return result


def _set(message: Any, pointer: str, value: Any) -> None:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    node = message
    for part in parts[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return
    if isinstance(node, dict) and parts and parts[-1] in node:
        node[parts[-1]] = value
