"""Insight: languages, multilingual embeddings and themes of a question's comments.

Pure computation, no database and no event loop: callers run it in a worker thread or process.
"""
