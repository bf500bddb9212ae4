"""The reason codes moderators give for decisions and participants give for flags.

They are codes, not free text, so that they can be counted, filtered in the
audit log, and shown to participants in their own language; a note can add
detail. docs/protocol.md lists them with these descriptions.
"""

from typing import Literal, get_args

DecisionReason = Literal[
    "approved",
    "off_topic",
    "duplicate",
    "spam",
    "offensive",
    "personal_attack",
    "personal_data",
    "misinformation",
    "legal",
    "clarity",
    "other",
]

DECISION_REASONS: dict[DecisionReason, str] = {
    "approved": "Meets the space's rules.",
    "off_topic": "Not about the question being discussed.",
    "duplicate": "Repeats an earlier contribution.",
    "spam": "Advertising or repeated unsolicited content.",
    "offensive": "Abusive, hateful or obscene language.",
    "personal_attack": "Attacks a person rather than an argument.",
    "personal_data": "Reveals someone's personal data.",
    "misinformation": "States as fact something known to be false.",
    "legal": "Could be unlawful to publish.",
    "clarity": "Edited or held for clarity, formatting or a typo.",
    "other": "Another reason, explained in the note.",
}

FlagReason = Literal["spam", "offensive", "off_topic", "other"]

FLAG_REASONS: dict[FlagReason, str] = {
    "spam": "Advertising or repeated unsolicited content.",
    "offensive": "Abusive, hateful or obscene language.",
    "off_topic": "Not about the question being discussed.",
    "other": "Another reason, which the flag's text explains.",
}

assert set(DECISION_REASONS) == set(get_args(DecisionReason))
assert set(FLAG_REASONS) == set(get_args(FlagReason))
