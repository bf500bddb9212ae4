"""Detecting a posted or edited comment's languages without holding up the event loop."""

import asyncio
from collections.abc import Sequence

from server.insight.languages import detect_languages


async def detect_comment_languages(body: str, space_languages: Sequence[str]) -> list[str]:
    """The comment's languages among the space's, primary first; ["und"] when too short.

    py3langid takes about a millisecond per paragraph, but its model takes seconds to load
    on first use: a worker thread keeps both off the event loop.
    """
    detected = await asyncio.to_thread(detect_languages, body, list(space_languages))
    return list(detected.languages)
