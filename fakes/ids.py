"""Seeded identifiers: a run of the fakes is reproducible from its seed."""

from __future__ import annotations

import random
import string
import uuid


class IdGenerator:
    """Every id, receipt handle and sequence number of one ``FakeAWS`` comes from here."""

    def __init__(self, seed: int = 0) -> None:
        self._random = random.Random(seed)
        self._sequence = 10**20  # DynamoDB-like: 21 digits, strictly increasing

    def uuid(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def hex(self, length: int) -> str:
        return f"{self._random.getrandbits(length * 4):0{length}x}"

    def token(self, length: int) -> str:
        alphabet = string.ascii_letters + string.digits
        return "".join(self._random.choice(alphabet) for _ in range(length))

    def sequence_number(self) -> str:
        self._sequence += self._random.randint(1, 1000)
        return str(self._sequence)

    def random(self) -> random.Random:
        """The generator itself, for fakes that shuffle or sample (fault injection)."""
        return self._random
