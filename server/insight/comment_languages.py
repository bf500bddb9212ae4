"""Detecting a posted or edited comment's languages without holding up the event loop."""

import asyncio
from collections.abc import Sequence

from server.insight.languages import UNDETERMINED, detect_languages


async def detect_comment_languages(body: str, space_languages: Sequence[str]) -> list[str]:
    """The comment's languages among the space's, primary first; ["und"] when too short.

    py3langid takes about a millisecond per paragraph, but its model takes seconds to load
    on first use: a worker thread keeps both off the event loop.
    """
    try:
        detected = await asyncio.to_thread(detect_languages, body, list(space_languages))
    except ValueError:
        # A space language the model does not know ("pt-BR"): undetermined, never a refused post.
        return [UNDETERMINED]
    return list(detected.languages)
