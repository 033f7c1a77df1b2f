"""Which packages the wheel holds; everything else is in pyproject.toml.

``eventproof`` from the tree; the ``fakes/`` folder as ``eventproof_fakes``
(a team's own ``fakes`` module, a common name in test suites, must never
shadow it or be shadowed by it); AWS's record contracts (``contracts/aws/``,
kept at the repository's top level) as package data in
``eventproof/aws_contracts/``; the VerificationReport contract
(``contracts/eventproof/``, the JSON report's schema the documentation site
checks reports against) in ``eventproof/report_contract/``; the
documentation site's templates and static files (with the vendored Mermaid
and its licence); and the official AsyncAPI JSON Schemas (with their
licence) in ``eventproof/catalog/sources/specs/``. The reference
implementation and the other contracts stay in the repository: they are
examples, not part of the tool. pyproject.toml cannot express the mapping
together with package discovery.
"""

from setuptools import find_packages, setup

FAKES = "eventproof_fakes"

setup(
    packages=[*find_packages(include=["eventproof", "eventproof.*"]),
              FAKES, *(f"{FAKES}.{name}" for name in find_packages(where="fakes")),
              "eventproof.aws_contracts", "eventproof.report_contract"],
    package_dir={FAKES: "fakes", "eventproof.aws_contracts": "contracts/aws",
                 "eventproof.report_contract": "contracts/eventproof"},
    package_data={FAKES: ["py.typed"], "eventproof": ["py.typed"],
                  "eventproof.aws_contracts": ["*.json", "*.yaml"],
                  "eventproof.report_contract": ["*.json", "*.yaml"],
                  "eventproof.docs": ["templates/*.html", "static/*.css", "static/*.js",
                                      "static/vendor/*"],
                  "eventproof.catalog.sources": ["specs/*.json", "specs/LICENSE", "specs/NOTICE"]},
)
