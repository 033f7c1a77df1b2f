"""``eventproof export asyncapi|eventbridge-registry|jsonschema [DIR]``: the catalog for other tools.

- ``asyncapi``: one AsyncAPI 3.0 (or ``--version 2.6``) document, checked
  against the official schema,
  to ``--output FILE`` (YAML for .yaml/.yml, else JSON) or stdout;
- ``eventbridge-registry``: one registry schema per JSON Schema contract into
  ``--output DIR`` (``--format openapi3`` or ``jsonschema-draft4``);
- ``jsonschema``: one bundled file per contract into ``--output DIR``, every
  ``$ref`` inlined (a recursive one stays, into the file's own definitions),
  Avro named types written out, examples beside; the folder is a catalog
  eventproof reads back.

DIR is what ``contracts check`` takes (a folder, or an AsyncAPI / registry
file). A contract that cannot be exported is named on stderr, and the exit
code is 1.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

NAME = "export"
HELP = "write the catalog as AsyncAPI 3.0, EventBridge Schema Registry schemas or bundled JSON Schema"
DEFAULT_DIR = "contracts"


def configure(parser: argparse.ArgumentParser) -> None:
    targets = parser.add_subparsers(dest="export_target", metavar="TARGET", required=True)
    asyncapi = targets.add_parser("asyncapi", help="one AsyncAPI document")
    asyncapi.add_argument("--version", dest="asyncapi_version", choices=["3.0", "2.6"], default="3.0",
                          help="the AsyncAPI version to write (default: 3.0)")
    asyncapi.add_argument("--title", default="eventproof catalog", help="info.title of the document")
    asyncapi.add_argument("--output", type=Path, default=None, metavar="FILE",
                          help="where to write (default: stdout, JSON)")
    registry = targets.add_parser("eventbridge-registry", help="EventBridge Schema Registry schemas")
    registry.add_argument("--format", dest="registry_format", choices=["openapi3", "jsonschema-draft4"],
                          default="openapi3")
    registry.add_argument("--source", default=None,
                          help="event source for contracts without an eventbridge trigger "
                          "(detail-type: the contract's name)")
    plain = targets.add_parser("jsonschema", help="bundled JSON Schema files, every $ref inlined")
    for sub in (registry, plain):
        sub.add_argument("--output", type=Path, required=True, metavar="DIR",
                         help="the folder to write the files into (created if missing)")
    for sub in (asyncapi, registry, plain):
        sub.add_argument("directory", nargs="?", default=DEFAULT_DIR, metavar="DIR",
                         help=f"the contracts (default: {DEFAULT_DIR}/)")


def _folder(path: Path) -> Path:
    from eventproof.errors import ConfigError

    if path.exists() and not path.is_dir():
        raise ConfigError(f"--output must be a folder, found a file: {path}", file=path)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _dump(document: Any, path: Path | None) -> str:
    if path is not None and path.suffix in (".yaml", ".yml"):
        import yaml

        return str(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _examples(contract: Any) -> str:
    import yaml

    document: dict[str, list[dict[str, Any]]] = {"valid": [], "invalid": []}
    for example in contract.examples:
        entry = {"name": example.name, "message": example.message}
        if example.violation is not None:
            entry["violation"] = example.violation
        document["valid" if example.valid else "invalid"].append(entry)
    return str(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))


def execute(args: argparse.Namespace, output: Any) -> int:
    from eventproof.catalog import AvroContract, Catalog, JsonSchemaContract
    from eventproof.errors import EventproofError
    from eventproof.export import bundle_json_schema, inline_avro, to_asyncapi, to_registry

    catalog = Catalog.load(args.directory)
    if args.export_target == "asyncapi":
        document = to_asyncapi(catalog, title=args.title, asyncapi=args.asyncapi_version)
        text = _dump(document, args.output)
        if args.output is None:
            output.stdout.write(text)
        else:
            args.output.write_text(text, encoding="utf-8")
            output.print(f"{len(catalog)} contracts written to {args.output} "
                         f"(AsyncAPI {document['asyncapi']})")
        return 0

    folder = _folder(args.output)
    failed = 0
    written = 0
    for contract in catalog:
        try:
            if args.export_target == "eventbridge-registry":
                name = f"{contract.name}.json"
                document = to_registry(contract, args.registry_format, source=args.source)
            elif isinstance(contract, JsonSchemaContract):
                name, document = f"{contract.name}.schema.json", bundle_json_schema(contract, inline=True)
            elif isinstance(contract, AvroContract):
                name, document = f"{contract.name}.avsc", inline_avro(contract)
            else:
                raise TypeError(type(contract).__name__)
        except EventproofError as error:
            output.error(f"not exported: {contract.name}: {error.headline}")
            failed += 1
            continue
        (folder / name).write_text(_dump(document, None), encoding="utf-8")
        if args.export_target == "jsonschema" and contract.examples:
            (folder / f"{contract.name}.examples.yaml").write_text(_examples(contract), encoding="utf-8")
        written += 1
    output.print(f"{written} contracts written to {folder}" + (f", {failed} not exported" if failed else ""))
    return 1 if failed else 0
