"""Applying an UpdateExpression (SET, REMOVE, ADD, DELETE) to an item.

As on DynamoDB, every operand is read from the item as it was *before* the
update, then the actions are applied; two actions on overlapping paths are
rejected before anything changes.
"""

from __future__ import annotations

from decimal import Decimal

from eventproof_fakes.dynamodb.attributes import (
    AttributeValue,
    Item,
    canonical,
    copy_value,
    normalise_number,
    type_of,
)
from eventproof_fakes.dynamodb.expressions.evaluate import Bindings, ResolvedPath, get_path
from eventproof_fakes.dynamodb.expressions.tree import (
    Arithmetic,
    IfNotExists,
    ListAppend,
    Path,
    UpdateActions,
    UpdateValue,
    ValueRef,
)
from eventproof_fakes.errors import validation_error

_TYPE_NAMES = {
    "S": "STRING",
    "N": "NUMBER",
    "B": "BINARY",
    "BOOL": "BOOLEAN",
    "NULL": "NULL",
    "M": "MAP",
    "L": "LIST",
    "SS": "SET",
    "NS": "SET",
    "BS": "SET",
}


def _wrong_type() -> Exception:
    return validation_error("An operand in the update expression has an incorrect data type")


def _invalid_path() -> Exception:
    return validation_error(
        "The document path provided in the update expression is invalid for update"
    )


def _show(path: ResolvedPath) -> str:
    return "[" + ", ".join(str(p) for p in path) + "]"


def apply_update(
    actions: UpdateActions, item: Item, bindings: Bindings, key_names: tuple[str, ...]
) -> tuple[Item, list[ResolvedPath]]:
    """The updated copy of ``item`` and the paths the update touched."""
    resolve = bindings.resolve
    set_paths = [(resolve(path), value) for path, value in actions.sets]
    remove_paths = [resolve(path) for path in actions.removes]
    add_paths = [(resolve(path), ref) for path, ref in actions.adds]
    delete_paths = [(resolve(path), ref) for path, ref in actions.deletes]
    touched = (
        [p for p, _ in set_paths]
        + remove_paths
        + [p for p, _ in add_paths]
        + [p for p, _ in delete_paths]
    )
    _check_paths(touched, key_names)
    new_values = [(path, evaluate_value(value, item, bindings)) for path, value in set_paths]
    updated = {name: copy_value(value) for name, value in item.items()}
    for path, value in new_values:
        _assign(updated, path, value)
    for path in sorted(remove_paths, key=_removal_order):
        _remove(updated, path)
    for path, ref in add_paths:
        _add(updated, path, bindings.values[ref.name])
    for path, ref in delete_paths:
        _delete(updated, path, bindings.values[ref.name])
    return updated, touched


def _check_paths(paths: list[ResolvedPath], key_names: tuple[str, ...]) -> None:
    for path in paths:
        if (len(path) == 1 and path[0] in key_names) or path[0] in key_names:
            raise validation_error(
                "One or more parameter values were invalid: Cannot update attribute "
                f"{path[0]}. This attribute is part of the key"
            )
    for index, first in enumerate(paths):
        for second in paths[index + 1 :]:
            shorter = min(len(first), len(second))
            if first[:shorter] == second[:shorter]:
                raise validation_error(
                    "Invalid UpdateExpression: Two document paths overlap with each other; must "
                    "remove or rewrite one of these paths; path one: "
                    f"{_show(first)}, path two: {_show(second)}"
                )


def _removal_order(path: ResolvedPath) -> tuple[int, ...]:
    # Later list indexes first, so removing one does not shift the next.
    return tuple(-p if isinstance(p, int) else 0 for p in path)


def evaluate_value(value: UpdateValue, item: Item, bindings: Bindings) -> AttributeValue:
    if isinstance(value, ValueRef):
        return bindings.values[value.name]
    if isinstance(value, Path):
        found = get_path(item, bindings.resolve(value))
        if found is None:
            raise validation_error(
                "The provided expression refers to an attribute that does not exist in the item"
            )
        return found
    if isinstance(value, IfNotExists):
        found = get_path(item, bindings.resolve(value.path))
        return found if found is not None else evaluate_value(value.default, item, bindings)
    if isinstance(value, ListAppend):
        first = evaluate_value(value.first, item, bindings)
        second = evaluate_value(value.second, item, bindings)
        if type_of(first) != "L" or type_of(second) != "L":
            raise _wrong_type()
        return {"L": [*first["L"], *second["L"]]}
    assert isinstance(value, Arithmetic)
    left = evaluate_value(value.left, item, bindings)
    right = evaluate_value(value.right, item, bindings)
    if type_of(left) != "N" or type_of(right) != "N":
        raise _wrong_type()
    a, b = Decimal(left["N"]), Decimal(right["N"])
    return {"N": normalise_number(str(a + b if value.operator == "+" else a - b))}


def _parent(item: Item, path: ResolvedPath) -> AttributeValue | None:
    if len(path) == 1:
        return {"M": item}
    return get_path(item, path[:-1])


def _assign(item: Item, path: ResolvedPath, value: AttributeValue) -> None:
    parent = _parent(item, path)
    last = path[-1]
    if parent is None:
        raise _invalid_path()
    if isinstance(last, int):
        if "L" not in parent:
            raise _invalid_path()
        elements = parent["L"]
        if last < len(elements):
            elements[last] = copy_value(value)
        else:
            elements.append(copy_value(value))
        return
    if "M" not in parent:
        raise _invalid_path()
    parent["M"][last] = copy_value(value)


def _remove(item: Item, path: ResolvedPath) -> None:
    parent = _parent(item, path)
    last = path[-1]
    if parent is None:
        if len(path) > 1 and get_path(item, path[:1]) is None:
            return
        raise _invalid_path()
    if isinstance(last, int):
        if "L" not in parent:
            raise _invalid_path()
        if last < len(parent["L"]):
            del parent["L"][last]
        return
    if "M" not in parent:
        raise _invalid_path()
    parent["M"].pop(last, None)


def _add(item: Item, path: ResolvedPath, value: AttributeValue) -> None:
    kind = type_of(value)
    if kind != "N" and kind not in ("SS", "NS", "BS"):
        raise validation_error(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; "
            f"operator: ADD, operand type: {_TYPE_NAMES[kind]}"
        )
    current = get_path(item, path)
    if current is None:
        _assign(item, path, value)
        return
    if type_of(current) != kind:
        raise _wrong_type()
    if kind == "N":
        total = Decimal(current["N"]) + Decimal(value["N"])
        _assign(item, path, {"N": normalise_number(str(total))})
        return
    present = {canonical({kind[0]: m}) for m in current[kind]}
    merged = list(current[kind])
    for member in value[kind]:
        if canonical({kind[0]: member}) not in present:
            merged.append(member)
            present.add(canonical({kind[0]: member}))
    _assign(item, path, {kind: merged})


def _delete(item: Item, path: ResolvedPath, value: AttributeValue) -> None:
    kind = type_of(value)
    if kind not in ("SS", "NS", "BS"):
        raise validation_error(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; "
            f"operator: DELETE, operand type: {_TYPE_NAMES[kind]}"
        )
    current = get_path(item, path)
    if current is None:
        return
    if type_of(current) != kind:
        raise _wrong_type()
    removed = {canonical({kind[0]: m}) for m in value[kind]}
    remaining = [m for m in current[kind] if canonical({kind[0]: m}) not in removed]
    if remaining:
        _assign(item, path, {kind: remaining})
    else:
        _remove(item, path)
