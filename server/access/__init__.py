"""Access: who is calling, what they may see, and what they may do now.

- `identity`: who is calling (sessions, bearer tokens, screen tokens; the `Viewer`).
- `roles`: their role in a space and what they may read (visible spaces, the moderated space).
- `guards`: whether a write may happen now (suspensions, locks, mutes, windows, slow mode).
- `admission`: what each route declares it requires, checked by the router before the handler runs.
"""
