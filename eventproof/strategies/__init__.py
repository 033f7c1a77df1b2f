"""Hypothesis strategies compiled from contracts: valid messages and near-misses.

``from_contract`` yields messages a contract accepts; ``invalid_from_contract``
yields ``Mutation`` records whose message breaks the contract in exactly one
place, named by ``Mutation.pointer``.
"""

from eventproof.strategies.avro import avro_strategy
from eventproof.strategies.contracts import from_contract
from eventproof.strategies.errors import StrategyError
from eventproof.strategies.invalid import Mutation, invalid_from_contract
from eventproof.strategies.jsonschema import json_schema_strategy

__all__ = [
    "Mutation",
    "StrategyError",
    "avro_strategy",
    "from_contract",
    "invalid_from_contract",
    "json_schema_strategy",
]
