"""Insight: what a consultation's input adds up to (statistics, search, languages, themes)."""
