"""Read a project into the site model: catalog, handlers, features, system map, last run.

Two ways in: a ``[tool.eventproof]`` configuration (``eventproof.project``:
its catalog, template and handlers, inferred ones included), or bare folders
(``--contracts``, ``--features``) for a repository without one. Several
configurations that share one contracts folder (a repository of several
stacks, like eventproof's reference implementation) make one site: their
handlers and feature files together, and a system map with one group per
project's template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from eventproof.catalog import Catalog
from eventproof.docs.features import read_features
from eventproof.docs.fields import field_rows
from eventproof.docs.history import History, read_history
from eventproof.docs.model import ContractPage, FeaturePage, HandlerPage, Participant, Site, Slugs
from eventproof.docs.results import NOT_RUN, Run, load_run
from eventproof.docs.scenarios import file_result, read_junit, scenario_results
from eventproof.docs.system import SystemMap, anchor, from_contracts, from_template, merge
from eventproof.errors import ConfigError
from eventproof.project.config import HandlerConfig

__all__ = ["SiteOptions", "collect"]


@dataclass
class SiteOptions:
    config: Path | None = None  # a configuration file or folder; None: found from the cwd
    more_configs: tuple[Path, ...] = ()  # further configurations, over the same contracts: one site
    contracts: Path | None = None  # bare folders instead of a configuration
    features: Path | None = None
    report: Path | None = None  # eventproof verify's JSON report
    junit: Path | None = None  # pytest's JUnit XML of the feature files: the scenarios' results
    history: int = 10  # commits of contract history to read (0: none)
    title: str = ""
    parameters: dict[str, str] = field(default_factory=dict)


@dataclass
class _Project:
    title: str
    origin: str
    catalog: Catalog
    contracts: Path
    features: list[Path]
    templates: dict[str, tuple[Path, dict[str, str], dict[str, str]]]  # project name -> its template,
    # parameters, and configured handler -> the contract it consumes
    handlers: dict[str, HandlerConfig]


def _open(options: SiteOptions) -> _Project:
    if options.contracts is not None and options.config is None and not options.more_configs:
        folder = options.contracts.resolve()
        if not folder.exists():
            raise ConfigError(f"--contracts {options.contracts}: no such folder or file")
        features = [options.features.resolve()] if options.features else []
        return _Project(options.title or folder.parent.name, f"the folders {options.contracts}"
                        + (f" and {options.features}" if options.features else ""),
                        Catalog.load(folder), folder, features, {}, {})
    return _open_configurations(options)


def _open_configurations(options: SiteOptions) -> _Project:
    """One configuration, or several sharing one contracts folder."""
    from eventproof.project import open_project

    paths: list[Path | None] = [options.config, *options.more_configs]
    projects = [open_project(path, parameters=options.parameters or None) for path in paths]
    first = projects[0].config
    names = _project_names([p.config.root for p in projects])
    templates: dict[str, tuple[Path, dict[str, str], dict[str, str]]] = {}
    handlers: dict[str, HandlerConfig] = {}
    features: list[Path] = [options.features.resolve()] if options.features else []
    for project, name in zip(projects, names, strict=True):
        config = project.config
        if config.contracts.resolve() != first.contracts.resolve():
            raise ConfigError(f"--config {config.file}: its contracts {config.contracts} are not those of "
                              f"{first.file} ({first.contracts}); one site shows one catalog",
                              file=config.file, hint="build one site per contracts folder")
        if config.template is not None:
            templates[name] = (config.template, dict(config.parameters),
                               {h.name: h.consumes for h in config.handlers.values()})
        for handler, settings in config.handlers.items():
            handlers.setdefault(handler, settings)
        if not options.features and config.features is not None:
            features.append(config.features.resolve())
    if len(projects) == 1:
        title = first.root.name
    else:
        roots = [p.config.root.resolve() for p in projects]
        title = Path(*_common_parts(roots)).name or first.root.name
    origin = ("the configuration " if len(projects) == 1 else "the configurations ") + ", ".join(
        str(p.config.file) for p in projects)
    return _Project(options.title or title, origin, projects[0].catalog, first.contracts,
                    list(dict.fromkeys(features)), templates, handlers)


def _common_parts(roots: list[Path]) -> list[str]:
    parts: list[str] = []
    for column in zip(*(r.parts for r in roots), strict=False):
        if len(set(column)) != 1:
            break
        parts.append(column[0])
    return parts


def _project_names(roots: list[Path]) -> list[str]:
    """Each project's folder name; the folder's path from the shared parent if two share a name."""
    names = [root.resolve().name for root in roots]
    if len(set(names)) == len(names):
        return names
    common = len(_common_parts([r.resolve() for r in roots]))
    return ["/".join(r.resolve().parts[common:]) or r.resolve().name for r in roots]


def _system(project: _Project) -> SystemMap:
    catalog = project.catalog
    if not project.templates:
        return from_contracts(catalog)
    if len(project.templates) == 1:
        template, parameters, consumes = next(iter(project.templates.values()))
        return from_template(template, parameters, catalog, consumes=consumes)
    return merge({name: from_template(template, parameters, catalog, group=name, consumes=consumes)
                  for name, (template, parameters, consumes) in project.templates.items()})


def collect(options: SiteOptions) -> Site:
    """The site model of the project ``options`` point at."""
    project = _open(options)
    run = load_run(options.report)
    slugs = Slugs()
    catalog = project.catalog
    system = _system(project)
    history = (read_history(project.contracts, catalog, limit=options.history)
               if options.history > 0 else History(False, "version history was not asked for"))
    handlers = _handlers(project, system, run, slugs)
    by_name = {h.name: h for h in handlers}
    contracts = [_contract(contract, project, by_name, run, history, slugs) for contract in catalog]
    cases = read_junit(options.junit)
    features = []
    for feature in (f for folder in project.features for f in read_features(folder)):
        rows = run.for_feature(feature.path, feature.relative)
        features.append(FeaturePage(feature, slugs("feature", feature.relative.removesuffix(".feature")),
                                    scenario_results(feature, cases, rows), file_result(rows)))
    site = Site(title=project.title, origin=project.origin, run=run, contracts=contracts,
                handlers=handlers, features=features, system=system, history=history)
    for page in contracts:
        site.sources[page.schema_file] = page.contract.path
    _link_map(site)
    return site


def _contract(contract: object, project: _Project, handlers: dict[str, HandlerPage], run: Run,
              history: History, slugs: Slugs) -> ContractPage:
    from eventproof.catalog import Contract

    assert isinstance(contract, Contract)
    slug = slugs("contract", contract.name)
    root = project.contracts if project.contracts.is_dir() else project.contracts.parent
    try:
        relative = contract.path.resolve().relative_to(root).as_posix()
    except ValueError:
        relative = contract.path.name
    suffix = "".join(contract.path.suffixes[-2:]) if contract.path.suffixes else ".json"

    def participants(names: tuple[str, ...]) -> list[Participant]:
        found = []
        for name in names:
            page = handlers.get(name)
            found.append(Participant(name, page.href if page else "", page.status if page else NOT_RUN))
        return found

    return ContractPage(
        contract=contract, slug=slug, fields=field_rows(contract),
        schema_file=f"schemas/{slug}{suffix}", relative=relative,
        producers=participants(contract.producers), consumers=participants(contract.consumers),
        examples_status=run.catalog_status(),
        history=history.changes.get(contract.name, []),
        history_note=history.why)


def _handlers(project: _Project, system: SystemMap, run: Run, slugs: Slugs) -> list[HandlerPage]:
    catalog = project.catalog
    names: list[str] = list(project.handlers)
    names += [n.label for n in system.nodes.values() if n.kind == "function"]
    for contract in catalog:
        names += [p for p in contract.producers if not p.startswith("aws:")]
        names += list(contract.consumers)
    names += run.handler_names()
    pages = []
    for name in dict.fromkeys(names):
        config = project.handlers.get(name)
        nodes = system.functions_named(name) or [n for n in (system.nodes.get(f"c:{name}"),) if n]
        node = nodes[0] if nodes else None
        incoming = [system.nodes[e.source] for e in system.edges if e.target in {n.id for n in nodes}]
        trigger = [f"{n.label} ({n.kind}{', ' + n.group if n.group else ''})" for n in incoming]
        consumes = ([config.consumes] if config else []) + [
            c.name for c in catalog if name in c.consumers]
        emits = list(config.emits if config else ()) + [c.name for c in catalog if name in c.producers]
        kind = "function" if config or (node and node.kind == "function") else "component"
        pages.append(HandlerPage(
            name=name, slug=slugs("handler", name), kind=kind, configured=config is not None,
            trigger=trigger, via=config.via if config else "", consumes=list(dict.fromkeys(consumes)),
            emits=list(dict.fromkeys(emits)), promises=list(config.promises if config else ()),
            outcomes=run.for_handler(name)))
    return pages


def _link_map(site: Site) -> None:
    """Each node of the map opens its page: a handler's, a contract's, or its row on the map page."""
    for node in site.system.nodes.values():
        name = node.label if node.kind in ("function", "component", "contract") else node.id
        handler, contract = site.handler(name), site.contract(name)
        if node.kind in ("function", "component") and handler:
            node.href = handler.href
        elif node.kind == "contract" and contract:
            node.href = contract.href
        else:
            node.href = f"map.html#{anchor(node.id)}"
