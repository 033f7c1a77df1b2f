"""Contracts where teams already keep them: AsyncAPI documents, registry exports, plain files.

Each reader produces the catalog's own Contract objects (metadata, schema,
examples, producers/consumers, trigger metadata); ``Catalog.load`` uses them
for a file it is given and for the AsyncAPI / registry files of a folder.
"""

from __future__ import annotations

from eventproof.catalog.sources.detect import SOURCE_SUFFIXES, Documents, read_source, sniff

__all__ = ["SOURCE_SUFFIXES", "Documents", "read_source", "sniff"]
