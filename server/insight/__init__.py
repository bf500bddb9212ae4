"""Insight: what a consultation's input adds up to.

Statistics (`statistics.py`), search (`search.py`) and quoting consent
(`quoting.py`) read PostgreSQL. Languages, multilingual embeddings and themes
(`languages.py`, `embeddings.py`, `themes.py`, `labels.py`) are pure computation,
with no database and no event loop: callers run them in a worker thread or process.
In the running server, `worker.py` is that process (embedding, grouping, labelling),
`keeper.py` the task that feeds it new texts, `placement.py` puts a new comment into
its nearest theme with numpy alone, and `comment_languages.py` detects off the loop.
"""
