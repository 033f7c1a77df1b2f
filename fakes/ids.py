"""Seeded identifiers: a run of the fakes is reproducible from its seed."""

from __future__ import annotations

import random
import string

# Version 4 and the RFC 4122 variant, as uuid.UUID(version=4) sets them.
_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)


class IdGenerator:
    """Every id, receipt handle and sequence number of one ``FakeAWS`` comes from here."""

    def __init__(self, seed: int = 0) -> None:
        self._random = random.Random(seed)
        self._sequence = 10**20  # DynamoDB-like: 21 digits, strictly increasing

    def uuid(self) -> str:
        # Same value as str(uuid.UUID(int=bits, version=4)), without the object.
        bits = (self._random.getrandbits(128) & _UUID4_CLEAR) | _UUID4_SET
        text = f"{bits:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

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
