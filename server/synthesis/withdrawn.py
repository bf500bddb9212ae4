"""The published note as its readers see it: a quotation of a comment hidden, rejected or
deleted since publication gives way to a "source withdrawn" marker, the rest stays as written."""

from server.synthesis.markup import MARKER, quotation_span

# What stands in for withdrawn words, in the note's language (English otherwise).
WITHDRAWN_SOURCE = {"en": "[source withdrawn]", "fr": "[source retirée]", "es": "[fuente retirada]"}


def without_withdrawn_quotes(markdown: str, lang: str, withdrawn: set[int]) -> str:
    """`markdown` with each quotation citing a `withdrawn` comment replaced by the withdrawn
    marker, and the citations of withdrawn comments taken out; others' stacked citations stay."""
    if not withdrawn:
        return markdown
    stand_in = WITHDRAWN_SOURCE.get(lang, WITHDRAWN_SOURCE["en"])
    pieces: list[str] = []
    kept_until = 0
    for marker in MARKER.finditer(markdown):
        if int(marker.group(1)) not in withdrawn:
            continue
        quotation = quotation_span(markdown, marker.start())
        if quotation is not None and quotation[0] >= kept_until:
            # Markers of other comments stacked between the quotation and this one stay.
            pieces += [markdown[kept_until : quotation[0]], stand_in, markdown[quotation[1] : marker.start()]]
        else:
            pieces.append(markdown[kept_until : marker.start()])
        kept_until = marker.end()
    pieces.append(markdown[kept_until:])
    return "".join(pieces)
