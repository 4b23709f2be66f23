"""Persistence: Tortoise models (the one owner of the schema), configuration and queries."""
