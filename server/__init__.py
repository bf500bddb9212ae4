"""Roundtable: a real-time discussion server for online consultations."""
