"""DynamoDB operations, one module per family (tables, items, reads, batch, transactions)."""
