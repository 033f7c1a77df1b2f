"""Compare versions of one contract under a mode: structural rules, then generated evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from eventproof.catalog import AvroContract, Contract, JsonSchemaContract
from eventproof.compat.avro_evidence import AvroPair
from eventproof.compat.avro_rules import avro_incompatibilities
from eventproof.compat.evidence import (
    first_rejected,
    generated_batches,
    generated_messages,
    json_witness,
)
from eventproof.compat.findings import DirectionResult, Incompatibility, Witness
from eventproof.compat.jsonschema_rules import UNDECIDED, jsonschema_incompatibilities
from eventproof.compat.modes import Direction, Mode, ModeChoice, choose_mode

__all__ = ["ContractComparison", "Version", "compare_versions"]


@dataclass(frozen=True)
class Version:
    """One version of a contract and where it came from (``working tree``, a commit, a file)."""

    contract: Contract
    label: str


@dataclass
class ContractComparison:
    """The verdict on a contract's newest version against the earlier ones its mode asks for."""

    name: str
    choice: ModeChoice
    results: list[DirectionResult] = field(default_factory=list)
    producers: tuple[str, ...] = ()
    consumers: tuple[str, ...] = ()

    @property
    def compatible(self) -> bool:
        return all(result.compatible for result in self.results)

    def affected(self, direction: Direction) -> str:
        readers = ", ".join(self.consumers) or "its consumers"
        writers = ", ".join(self.producers) or "its producers"
        if direction is Direction.BACKWARD:
            return f"consumers ({readers}) cannot upgrade before producers ({writers})"
        return f"producers ({writers}) cannot upgrade before consumers ({readers})"


_sample_cache: dict[tuple[int, int, int], tuple[Contract, list[Any], str]] = {}


def evidence_messages(contract: Contract, examples: int, seed: int) -> tuple[list[Any], str]:
    """The writer-valid messages evidence starts from (valid examples, then generated), and a note.

    The note says why no messages were generated, when the strategies
    cannot generate for the schema: then only the examples are tried.
    """
    key = (id(contract), examples, seed)
    cached = _sample_cache.get(key)
    if cached is not None and cached[0] is contract:
        return cached[1], cached[2]
    bases = [e.message for e in contract.examples if e.valid]
    note = ""
    if examples:
        from eventproof.strategies import StrategyError, from_contract

        try:
            bases += generated_messages(from_contract(contract), examples, seed)
        except StrategyError as error:
            note = f"no messages generated for {contract.name} ({error}); its examples were tried"
    if len(_sample_cache) > 8192:  # bounded: a long-lived process compares many catalogs
        _sample_cache.clear()
    _sample_cache[key] = (contract, bases, note)
    return bases, note


def prefetch(contracts: Sequence[Contract], examples: int, seed: int) -> None:
    """Generate the evidence messages of many versions at once (see ``generated_batches``)."""
    from eventproof.strategies import StrategyError, from_contract

    wanted: list[tuple[Contract, Any]] = []
    for contract in contracts:
        if (id(contract), examples, seed) in _sample_cache or not examples:
            continue
        try:
            wanted.append((contract, from_contract(contract)))
        except StrategyError:
            continue  # evidence_messages says why, when the contract is compared
    drawn = generated_batches([strategy for _, strategy in wanted], examples, seed)
    for (contract, _), messages in zip(wanted, drawn, strict=True):
        bases = [e.message for e in contract.examples if e.valid] + messages
        _sample_cache[(id(contract), examples, seed)] = (contract, bases, "")


def compare_versions(
    versions: Sequence[Version],
    *,
    mode: Mode | None = None,
    examples: int = 10,
    seed: int = 0,
) -> ContractComparison:
    """Compare the last of ``versions`` (oldest first) with the earlier ones its mode needs."""
    newest = versions[-1]
    contract = newest.contract
    declared = getattr(contract, "compatibility", None)
    choice = choose_mode(contract.kind, declared, mode)
    comparison = ContractComparison(contract.name, choice, producers=contract.producers,
                                    consumers=contract.consumers)
    earlier = list(versions[:-1]) if choice.mode.transitive else list(versions[-2:-1])
    for old in earlier:
        for direction in choice.mode.directions:
            writer, reader = (old, newest) if direction is Direction.BACKWARD else (newest, old)
            comparison.results.append(check_direction(writer, reader, direction, examples=examples, seed=seed))
    return comparison


def check_direction(writer: Version, reader: Version, direction: Direction, *, examples: int = 10,
                    seed: int = 0) -> DirectionResult:
    """Can ``reader`` read every message ``writer`` admits? Findings, each with its witness."""
    bases, note = evidence_messages(writer.contract, examples, seed)
    w, r = writer.contract, reader.contract
    if isinstance(w, AvroContract) and isinstance(r, AvroContract):
        findings = _avro(w, r, bases)
    elif isinstance(w, JsonSchemaContract) and isinstance(r, JsonSchemaContract):
        findings = _json(w, r, bases)
    else:
        findings = _across_formats(w, r, bases)
    evidence = next((f.witness for f in findings if f.witness is not None), None)
    return DirectionResult(direction, writer.label, reader.label, tuple(findings), evidence, len(bases),
                           note)


def _json(writer: JsonSchemaContract, reader: JsonSchemaContract, bases: list[Any]) -> list[Incompatibility]:
    structural = jsonschema_incompatibilities(
        writer.schema, reader.schema, writer_deref=_dereferencer(writer),
        reader_deref=_dereferencer(reader))
    decided: list[Incompatibility] = []
    undecided = [f for f in structural if f.rule == UNDECIDED]
    for finding in structural:
        if finding.rule == UNDECIDED:
            continue
        found = json_witness(finding, bases, writer.is_valid, reader.violations)
        decided.append(finding if found is None else
                       replace(finding, witness=Witness(found[0], found[1].render())))
    if undecided or not decided:
        # What no rule names is decided by the generated messages themselves.
        rejected = first_rejected(bases, writer.is_valid, reader.is_valid)
        if rejected is not None and not any(f.witness for f in decided):
            anchor = undecided[0] if undecided else Incompatibility(
                "", "generated-message-rejected", "no structural rule names this difference")
            decided.append(replace(anchor, witness=_json_reason(reader, rejected)))
    return decided


def _json_reason(reader: Contract, message: Any) -> Witness:
    violations = reader.violations(message)
    return Witness(message, violations[0].render() if violations else "rejected")


def _dereferencer(contract: JsonSchemaContract) -> Any:
    def deref(schema: Any, resolver: Any) -> tuple[Any, Any]:
        resolver = resolver if resolver is not None else contract.resolver()
        hops = 0
        while isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str) and hops < 64:
            resolved = resolver.lookup(schema["$ref"])
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            resolver = resolved.resolver
            target = resolved.contents
            schema = {**target, **rest} if rest and isinstance(target, Mapping) else target
            hops += 1
        return schema, resolver

    return deref


def _avro(writer: AvroContract, reader: AvroContract, bases: list[Any]) -> list[Incompatibility]:
    structural = avro_incompatibilities(writer.parsed, reader.parsed, writer_names=writer.named_types,
                                        reader_names=reader.named_types)
    pair = AvroPair(writer.parsed, writer.named_types, reader.parsed, reader.named_types,
                    reader_accepts=reader.is_valid)
    witnessed: list[Incompatibility] = []
    for finding in structural:
        for message in _avro_candidates(finding, bases, writer):
            problem = pair.problem(message)
            if problem is not None:
                finding = replace(finding, witness=Witness(message, problem))
                break
        witnessed.append(finding)
    if not structural:
        for message in bases:
            problem = pair.problem(message)
            if problem is not None:
                witnessed.append(Incompatibility("", "fastavro-resolution-failed",
                                                 "fastavro disagrees with the resolution rules",
                                                 witness=Witness(message, problem)))
                break
    return witnessed


def _avro_candidates(finding: Incompatibility, bases: list[Any], writer: AvroContract) -> list[Any]:
    """The bases, and copies of them with the value at the finding's field set to what breaks it."""
    import copy

    candidates = list(bases)
    names = [t for t in finding.path.split("/") if t]
    field_path = [names[i + 1] for i, t in enumerate(names[:-1]) if t == "fields"]
    if not field_path:
        return candidates
    for value in _avro_values(finding, writer):
        for base in bases[:20]:
            message = copy.deepcopy(base)
            node = message
            for key in field_path[:-1]:
                node = node.get(key) if isinstance(node, dict) else None
            if isinstance(node, dict):
                node[field_path[-1]] = value
                candidates.append(message)
    return candidates


def _avro_values(finding: Incompatibility, writer: AvroContract) -> list[Any]:
    if finding.rule.startswith("decimal-"):
        return [float(f"{'9' * max(p - s, 1)}.{'9' * s}") if s else int("9" * max(p, 1))
                for p, s in _decimal_shapes(writer)]
    if finding.rule == "enum-symbol-unknown-to-reader":
        quoted = finding.detail.split("lacks ", 1)[-1].split(" and has", 1)[0]
        return [s.strip().strip("'") for s in quoted.split(",")]
    return [None, "x", 0, 1, 1.5, True, {}, []]


def _across_formats(writer: Contract, reader: Contract, bases: list[Any]) -> list[Incompatibility]:
    rejected = first_rejected(bases, writer.is_valid, reader.is_valid)
    if rejected is None:
        return []
    return [Incompatibility("", "format-changed",
                            f"the contract moved from {writer.format} to {reader.format}",
                            witness=_json_reason(reader, rejected))]


def _decimal_shapes(contract: AvroContract) -> list[tuple[int, int]]:
    """(precision, scale) of every decimal in the writer's schema, for witness values."""
    shapes: list[tuple[int, int]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if node.get("logicalType") == "decimal":
                shapes.append((int(node.get("precision", 1)), int(node.get("scale", 0))))
            for value in node.values():
                walk(value)

    walk(contract.parsed)
    walk(list(contract.named_types.values()))
    return shapes or [(1, 0)]
