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

# ---- Stewarding a space: why a person was muted, banned or suspended, and why
# a space was locked or slowed down.

RestrictionReason = Literal[
    "spam",
    "offensive",
    "personal_attack",
    "off_topic",
    "disruption",
    "repeated_violations",
    "impersonation",
    "other",
]

RESTRICTION_REASONS: dict[RestrictionReason, str] = {
    "spam": "Posts advertising or repeated unsolicited content.",
    "offensive": "Posts abusive, hateful or obscene language.",
    "personal_attack": "Attacks people rather than arguments.",
    "off_topic": "Keeps posting off the questions being discussed.",
    "disruption": "Disrupts the discussion (flooding, provocation).",
    "repeated_violations": "Keeps breaking the space's rules after warnings.",
    "impersonation": "Pretends to be another person or organisation.",
    "other": "Another reason, explained in the note.",
}

ControlReason = Literal["volume", "disruption", "spam", "pause", "other"]

CONTROL_REASONS: dict[ControlReason, str] = {
    "volume": "Too many contributions at once for the moderators to follow.",
    "disruption": "The discussion is disrupted (flooding, provocation).",
    "spam": "A wave of spam.",
    "pause": "A planned pause (a break, a session change).",
    "other": "Another reason, explained in the note.",
}

assert set(RESTRICTION_REASONS) == set(get_args(RestrictionReason))
assert set(CONTROL_REASONS) == set(get_args(ControlReason))
