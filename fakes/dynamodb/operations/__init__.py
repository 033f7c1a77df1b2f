"""DynamoDB operations, one module per family (tables, items, reads, batch, transactions)."""

__all__: list[str] = []  # the backend imports the modules it needs
