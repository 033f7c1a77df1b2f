"""Hypothesis strategies compiled from contracts: valid messages and near-misses.

``from_contract`` yields messages a contract accepts; ``invalid_from_contract``
yields ``Mutation`` records whose message breaks the contract in exactly one
place, named by ``Mutation.pointer``.
"""

from eventproof.strategies.avro import compile_avro
from eventproof.strategies.contracts import from_contract
from eventproof.strategies.errors import StrategyError
from eventproof.strategies.invalid import Mutation, invalid_from_contract
from eventproof.strategies.jsonschema import compile_json_schema

__all__ = [
    "Mutation",
    "StrategyError",
    "compile_avro",
    "compile_json_schema",
    "from_contract",
    "invalid_from_contract",
]
