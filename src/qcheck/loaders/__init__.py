"""Loaders: read targets and measurement files from disk into validated models."""
