"""Which packages the wheel holds; everything else is in pyproject.toml.

``eventproof`` and ``fakes`` from the tree, and AWS's record contracts
(``contracts/aws/``, kept at the repository's top level) as package data in
``eventproof/aws_contracts/``, the VerificationReport contract (``contracts/eventproof/``, the
JSON report's schema the documentation site checks reports against) in
``eventproof/report_contract/``, the documentation site's templates and static files (with the
vendored Mermaid and its licence), and the official AsyncAPI JSON Schemas (with
their licence) in ``eventproof/catalog/sources/specs/``. The reference implementation and the other
contracts stay in the repository: they are examples, not part of the tool.
pyproject.toml cannot express the mapping together with package discovery.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["eventproof", "eventproof.*", "fakes", "fakes.*"]),
              "eventproof.aws_contracts", "eventproof.report_contract"],
    package_dir={"eventproof.aws_contracts": "contracts/aws",
                 "eventproof.report_contract": "contracts/eventproof"},
    package_data={"eventproof.aws_contracts": ["*.json", "*.yaml"],
                  "eventproof.report_contract": ["*.json", "*.yaml"],
                  "eventproof.docs": ["templates/*.html", "static/*.css", "static/*.js",
                                      "static/vendor/*"],
                  "eventproof.catalog.sources": ["specs/*.json", "specs/LICENSE", "specs/NOTICE"]},
)
