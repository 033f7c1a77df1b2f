"""Reading a template (YAML with CloudFormation's short-form tags, or JSON), keeping line numbers.

Every mapping of the document is a ``Node`` (a ``dict``) that remembers the
line of each of its keys, so errors and the not-modelled report can point at
the template's own lines. Short forms (``!Ref X``, ``!GetAtt A.B``, ``!Sub``,
...) become their long forms (``{"Ref": "X"}``, ``{"Fn::GetAtt": ["A", "B"]}``)
exactly as CloudFormation reads them. Duplicate keys are an error, as they are
for CloudFormation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from eventproof_fakes.cloudformation.errors import TemplateError

__all__ = ["Node", "line_of", "load_template_text"]

# Short-form tag -> the long form's key. ``!GetAtt`` and ``!Condition`` are special.
_FUNCTIONS = {
    "Ref": "Ref",
    "Condition": "Condition",
    **{
        name: f"Fn::{name}"
        for name in (
            "Base64", "Cidr", "FindInMap", "GetAZs", "ImportValue", "Join", "Select", "Split",
            "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "GetAtt", "Length",
            "ToJsonString", "ForEach",
        )
    },
}


class Node(dict[str, Any]):
    """A template mapping that remembers the line (1-based) of each of its keys."""

    lines: dict[str, int]
    line: int

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = {}
        self.line = 0


def line_of(mapping: Any, key: str | None = None) -> int | None:
    """The line of ``key`` in ``mapping`` (or of the mapping itself), if the template said."""
    if not isinstance(mapping, Node):
        return None
    if key is None:
        return mapping.line or None
    return mapping.lines.get(key) or mapping.line or None


# libyaml's parser when PyYAML was built with it: ~6x faster on large templates.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    """PyYAML's safe loader with line-keeping mappings and CloudFormation's tags."""


class _Builder:
    """Python values from the composed YAML nodes: one direct walk.

    PyYAML's generic constructor costs ~15x the (C) parse on a template; CloudFormation
    templates need only mappings, sequences, scalars and the short-form tags, so those
    are built here and anything else (``!!set``, ``!!binary``) goes to PyYAML's own.
    Aliases share their node, and so their value, as PyYAML's constructor does.
    """

    def __init__(self, loader: _Loader) -> None:
        self.loader = loader
        self.scalars = loader.yaml_constructors
        self.built: dict[int, Any] = {}

    def build(self, node: yaml.Node) -> Any:
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if tag == _STR:
                return node.value
            if tag.startswith("!"):
                return self.function(tag[1:], node)
            constructor = self.scalars.get(tag)
            if constructor is None:
                return self.loader.construct_object(node, deep=True)
            return constructor(self.loader, node)
        done = self.built.get(id(node))
        if done is not None:
            return done
        if tag.startswith("!"):
            return self.function(tag[1:], node)
        if isinstance(node, yaml.SequenceNode) and tag == _SEQ:
            items: list[Any] = []
            self.built[id(node)] = items
            items.extend(self.build(child) for child in node.value)
            return items
        if isinstance(node, yaml.MappingNode) and tag == _MAP:
            return self.mapping(node)
        return self.loader.construct_object(node, deep=True)

    def mapping(self, node: yaml.MappingNode) -> Node:
        if any(key.tag in _MERGE_TAGS for key, _ in node.value):  # ``<<`` merges, ``=`` values
            self.loader.flatten_mapping(node)
        mapping = Node()
        self.built[id(node)] = mapping
        mapping.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = self.build(key_node)
            if not isinstance(key, str | int | float | bool):
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a string", key_node.start_mark
                )
            key = str(key) if not isinstance(key, str) else key
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            mapping[key] = self.build(value_node)
            mapping.lines[key] = key_node.start_mark.line + 1
        return mapping

    def function(self, tag_suffix: str, node: yaml.Node) -> Node:
        name = _FUNCTIONS.get(tag_suffix)
        if name is None:
            raise yaml.constructor.ConstructorError(
                None, None, f"unknown tag !{tag_suffix} (expected one of CloudFormation's "
                f"short forms: {', '.join('!' + t for t in sorted(_FUNCTIONS))})", node.start_mark,
            )
        value: Any
        if isinstance(node, yaml.ScalarNode):
            value = node.value
            if tag_suffix == "GetAtt":
                resource, _, attribute = str(value).partition(".")
                value = [resource, attribute]
        elif isinstance(node, yaml.SequenceNode):
            value = [self.build(child) for child in node.value]
        else:
            value = self.mapping(node)  # type: ignore[arg-type]
        result = Node({name: value})
        result.line = result.lines[name] = node.start_mark.line + 1
        return result


_STR = "tag:yaml.org,2002:str"
_MERGE_TAGS = frozenset({"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"})
_SEQ = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
_MAP = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    return _Builder(loader).mapping(node)


def _construct_function(loader: _Loader, tag_suffix: str, node: yaml.Node) -> Node:
    return _Builder(loader).function(tag_suffix, node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_multi_constructor("!", _construct_function)
# CloudFormation reads YAML 1.1 timestamps as strings (e.g. a policy's Version: 2012-10-17).
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_template_text(text: str, source: str | Path = "<template>") -> Node:
    """Parse a template's text (YAML or JSON); ``TemplateError`` with file:line if malformed."""
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            document = _Builder(loader).build(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or error.context or "malformed YAML"
        raise TemplateError(str(source), line, f"{problem} (the template is not valid YAML/JSON)") from None
    except yaml.YAMLError as error:
        raise TemplateError(str(source), None, f"not valid YAML/JSON: {error}") from None
    if document is None:
        raise TemplateError(str(source), 1, "the template is empty (expected a mapping with Resources)")
    if not isinstance(document, Node):
        if text.lstrip().startswith(("{", "[")):
            try:
                json.loads(text)
            except ValueError as error:
                raise TemplateError(str(source), getattr(error, "lineno", None), str(error)) from None
        raise TemplateError(str(source), 1, "expected a mapping at the top of the template")
    return document
