"""The language tables of qcheck.words: a module per language, named by its code (zh, en)."""
