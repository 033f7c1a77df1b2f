"""What the template says of a handler's trigger: inferred handlers, and configured ones checked.

A template function needs no ``[tool.eventproof.handlers]`` entry when its
contracts and its template say it all: exactly one contract lists the
function (its logical id) among its ``consumers``, and the template gives it
exactly one trigger of a delivery that can find its own (every registered
``DeliveryKind`` with a ``find``: an SQS queue, an EventBridge rule with an
event pattern, an API route taking a body, an SNS subscription, a DynamoDB
stream, an S3 bucket's object-created notification, a Kinesis stream). It is
verified as if configured with ``consumes`` = that contract, ``via`` = that
delivery, ``emits`` = the contracts listing it among their ``producers``,
and the default promise (``accepts-valid``). A configured entry always wins.

Nothing is picked silently: a function listed by several contracts, or with
triggers of several kinds, or with several triggers of its one kind (API
routes the contract's ``x-eventproof.trigger.api`` does not narrow to one)
is a ``ConfigError`` naming the function and the candidates. A function
without a trigger of its own (invoked directly, e.g. asynchronously) is not
inferred: give it an entry with ``via = "async"``.

A configured handler whose delivery finds its own trigger must have exactly
one of that kind in the template (``via = "sqs"`` on a function with only an
``HttpApi`` event is a ``ConfigError`` naming the handler, the via and the
triggers the template gives it), found here rather than inside a property.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventproof.errors import ConfigError
from eventproof.project.config import HandlerConfig, ProjectConfig

if TYPE_CHECKING:
    from eventproof.catalog import Catalog
    from eventproof.properties.deliveries.registry import Find
    from eventproof.properties.system import Delivery
    from eventproof.properties.triggers import Deployed, Found
    from eventproof_fakes import FakeAWS

__all__ = ["check_configured_triggers", "inferred_handlers"]


def inferred_handlers(aws: FakeAWS, stack: Any, catalog: Catalog,
                      config: ProjectConfig) -> dict[str, HandlerConfig]:
    """Logical id -> the handler its contracts and trigger describe, for functions not configured."""
    found: dict[str, HandlerConfig] = {}
    for logical, built in stack.resources.items():
        if logical in config.handlers or built.physical_id not in aws.lambda_.functions:
            continue
        consumed = [c.name for c in catalog if logical in c.consumers]
        if not consumed:
            continue
        deployed = _deployed(aws, built.physical_id)
        present = _triggers(deployed)
        if not present:
            continue  # invoked directly (asynchronously, by another function): nothing to infer from
        where = f"the template's function {logical}"
        hint = (f"add [{config.table(f'handlers.{logical}')}] with the contract it consumes "
                f"and its via")
        if len(consumed) > 1:
            raise ConfigError(f"{where} is listed among the consumers of {len(consumed)} contracts "
                              f"({', '.join(consumed)}): which one it is verified with is not "
                              f"inferred", file=config.file, hint=hint)
        if len(present) > 1:
            raise ConfigError(f"{where} has triggers of {len(present)} kinds "
                              f"({_listed(present)}): its via is not inferred",
                              file=config.file, hint=hint)
        via = next(iter(present))
        candidates = _find(via)(deployed, _delivery(catalog, consumed[0], via))
        if len(candidates) != 1:
            raise ConfigError(f"{where} has {len(candidates)} triggers of kind {via!r} for contract "
                              f"{consumed[0]} ({_listed({via: candidates or present[via]})}): "
                              f"via={via!r} needs exactly one", file=config.file,
                              hint=_one_trigger_hint(via))
        emitted = tuple(c.name for c in catalog if logical in c.producers)
        found[logical] = HandlerConfig(logical, consumed[0], emitted, via)
    return found


def check_configured_triggers(aws: FakeAWS, functions: dict[str, str], catalog: Catalog,
                              config: ProjectConfig, configured: dict[str, HandlerConfig]) -> None:
    """Each configured handler's ``via`` finds exactly one trigger of its kind in the template."""
    from eventproof.properties.deliveries import delivery_kind

    for name, handler in configured.items():
        find = delivery_kind(handler.via).find
        if find is None:  # a delivery that always wires its own (async): nothing to match
            continue
        deployed = _deployed(aws, functions[name])
        candidates = find(deployed, _delivery(catalog, handler.consumes, handler.via))
        if len(candidates) == 1:
            continue
        where = f"{config.table(f'handlers.{name}.via')}: {handler.via!r}"
        if candidates:
            raise ConfigError(
                f"{where}, but the template gives {name} {len(candidates)} triggers of that kind "
                f"({_listed({handler.via: candidates})}): via={handler.via!r} needs exactly one",
                file=config.file, hint=_one_trigger_hint(handler.via))
        raise ConfigError(
            f"{where}, but the template gives {name} no trigger of that kind (its triggers: "
            f"{_listed(_triggers(deployed)) or 'none'})", file=config.file,
            hint="set via to the function's trigger (async: invoked directly), or give the "
                 "function such an event in the template")


def _one_trigger_hint(via: str) -> str:
    if via == "api":
        return ("name the route in the contract's x-eventproof.trigger.api (method, path), or "
                "give the function one Api/HttpApi event with a body method")
    return "give the function one event of that kind in the template"


def _deployed(aws: FakeAWS, function: str) -> Deployed:
    from eventproof.properties.triggers import Deployed

    return Deployed(function, aws.lambda_.function(function).arn, aws.client)


def _triggers(deployed: Deployed) -> dict[str, list[Found]]:
    """via -> the function's triggers of that kind, for every delivery that finds its own."""
    from eventproof.properties.deliveries import delivery_kind, delivery_names
    from eventproof.properties.system import Delivery

    present: dict[str, list[Found]] = {}
    for via in delivery_names():
        find = delivery_kind(via).find
        found = find(deployed, Delivery(via)) if find is not None else []
        if found:
            present[via] = found
    return present


def _find(via: str) -> Find:
    from eventproof.properties.deliveries import delivery_kind

    find = delivery_kind(via).find
    assert find is not None, via  # only kinds with a finder are present
    return find


def _delivery(catalog: Catalog, contract: str, via: str) -> Delivery:
    """The delivery with what the contract says of its trigger (e.g. the API route to use)."""
    from eventproof.properties.system import Delivery

    return Delivery(via, trigger=catalog[contract].metadata.trigger or {})


def _listed(present: dict[str, list[Found]]) -> str:
    return "; ".join(f"{via}: {found.description}" for via, founds in present.items()
                     for found in founds)
