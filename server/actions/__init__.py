"""The only code that changes state: check, write in one transaction (with its
event row), commit, then publish."""
