"""The draft's sentences in English, French and Spanish: the same facts in each (counts,
languages, supports), never a word of agreement, with each language's plurals, lists and
quotation marks."""

from dataclasses import dataclass

DRAFT_LANGUAGES = ("en", "fr", "es")


@dataclass(frozen=True, slots=True)
class Wording:
    language_names: dict[str, str]
    # (one, many) for each counted thing.
    participants: tuple[str, str]
    comments: tuple[str, str]
    # {comments}, {participants}, {languages}; ends a sentence, before its markers.
    overview: str
    # {quote}, {marker}, {language}, {supports}; the quotation marks are the language's own.
    quoted: str
    unsupported: str
    # {participants}, by count: one, many.
    supported: tuple[str, str]
    conjunction: str

    def count(self, number: int, forms: tuple[str, str]) -> str:
        return f"{number} {forms[0] if number == 1 else forms[1]}"

    def listed(self, items: list[str]) -> str:
        if len(items) == 1:
            return items[0]
        last = items[-1]
        # Spanish "y" becomes "e" before an /i/ sound: "francés e inglés".
        conjunction = (
            "e" if self.conjunction == "y" and last.lower().startswith(("i", "hi")) else self.conjunction
        )
        return ", ".join(items[:-1]) + f" {conjunction} " + last

    def supports(self, number: int) -> str:
        if number == 0:
            return self.unsupported
        return (self.supported[0] if number == 1 else self.supported[1]).format(
            participants=self.count(number, self.participants)
        )


WORDINGS = {
    "en": Wording(
        language_names={"en": "English", "fr": "French", "es": "Spanish", "und": "an undetermined language"},
        participants=("participant", "participants"),
        comments=("comment or reply", "comments and replies"),
        overview="{participants}, writing in {languages}, contributed {comments} to this question; "
        "the most supported are quoted below.",
        quoted="“{quote}”{marker}, wrote one participant in {language}; {supports}.",
        unsupported="no participant has supported it yet",
        supported=("{participants} supported it", "{participants} supported it"),
        conjunction="and",
    ),
    "fr": Wording(
        language_names={
            "en": "anglais",
            "fr": "français",
            "es": "espagnol",
            "und": "une langue indéterminée",
        },
        participants=("participant", "participants"),
        comments=("commentaire ou réponse", "commentaires et réponses"),
        overview="Cette question a reçu {comments} de {participants}, en {languages} ; "
        "les plus soutenus sont cités ci-dessous.",
        quoted="« {quote} »{marker}, a écrit un participant en {language} ; {supports}.",
        unsupported="aucun participant ne l'a encore soutenu",
        supported=("{participants} l'a soutenu", "{participants} l'ont soutenu"),
        conjunction="et",
    ),
    "es": Wording(
        language_names={"en": "inglés", "fr": "francés", "es": "español", "und": "una lengua indeterminada"},
        participants=("participante", "participantes"),
        comments=("comentario o respuesta", "comentarios y respuestas"),
        overview="Esta pregunta recibió {comments} de {participants}, en {languages}; "
        "a continuación se citan los más apoyados.",
        quoted="«{quote}»{marker}, escribió un participante en {language}; {supports}.",
        unsupported="ningún participante lo ha apoyado todavía",
        supported=("{participants} lo apoyó", "{participants} lo apoyaron"),
        conjunction="y",
    ),
}


def language_name(code: str, in_language: str = "en") -> str:
    """A language's name in one of the draft's languages (English otherwise); unknown codes as they are."""
    names = WORDINGS.get(in_language, WORDINGS["en"]).language_names
    return names.get(code.split("-", maxsplit=1)[0], code)
