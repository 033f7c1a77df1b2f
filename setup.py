"""Which packages the wheel holds; everything else is in pyproject.toml.

``eventproof`` and ``fakes`` from the tree, and AWS's record contracts
(``contracts/aws/``, kept at the repository's top level) as package data in
``eventproof/aws_contracts/``. The reference implementation and the other
contracts stay in the repository: they are examples, not part of the tool.
pyproject.toml cannot express the mapping together with package discovery.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["eventproof", "eventproof.*", "fakes", "fakes.*"]),
              "eventproof.aws_contracts"],
    package_dir={"eventproof.aws_contracts": "contracts/aws"},
    package_data={"eventproof.aws_contracts": ["*.json", "*.yaml"]},
)
