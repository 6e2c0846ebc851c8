"""No studio pages: what people write here is confidential (docs/permissions.md)."""
