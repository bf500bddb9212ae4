"""Insight: what a consultation's input adds up to.

Statistics (`statistics.py`), search (`search.py`) and quoting consent
(`quoting.py`) read PostgreSQL. Languages, multilingual embeddings and themes
(`languages.py`, `embeddings.py`, `themes.py`, `labels.py`) are pure computation,
with no database and no event loop: callers run them in a worker thread or process.
"""
