"""The background note as a Word document, with its quotations as real footnotes.

python-docx writes headings and paragraphs but has no footnote API, so the footnotes
part (`word/footnotes.xml`) is written here, as WordprocessingML defines it.
Building a document is CPU work: callers run `note_docx` in a thread.
"""

import io
from xml.sax.saxutils import escape

from docx import Document
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph

from server.exports.note_document import Footnote, NoteDocument

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def note_docx(document: NoteDocument) -> bytes:
    word = Document()
    word.core_properties.title = document.title
    word.core_properties.language = document.lang
    word.add_heading(document.title, level=0)
    for block in document.blocks:
        if block.heading_level:
            word.add_heading(str(block.parts[0]), level=min(block.heading_level, 9))
            continue
        paragraph = word.add_paragraph()
        for part in block.parts:
            if isinstance(part, str):
                paragraph.add_run(part)
            else:
                _reference(paragraph, part)
    footnotes = Part(
        PackURI("/word/footnotes.xml"),
        CONTENT_TYPE.WML_FOOTNOTES,
        _footnotes_xml(document.footnotes),
        word.part.package,
    )
    word.part.relate_to(footnotes, RELATIONSHIP_TYPE.FOOTNOTES)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _superscript() -> BaseOxmlElement:
    properties = OxmlElement("w:rPr")
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    properties.append(align)
    return properties


def _reference(paragraph: Paragraph, number: int) -> None:
    run = paragraph.add_run()
    run._r.append(_superscript())
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), str(number))
    run._r.append(reference)


def _footnotes_xml(footnotes: list[Footnote]) -> bytes:
    # Word expects the two separator footnotes, ids -1 and 0, before the document's own.
    notes = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0">'
        "<w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>",
    ]
    notes += [
        f'<w:footnote w:id="{f.number}"><w:p>'
        '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {escape(f.text)}</w:t></w:r>'
        "</w:p></w:footnote>"
        for f in footnotes
    ]
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:footnotes xmlns:w="{W_NS}">{"".join(notes)}</w:footnotes>'
    )
    return xml.encode()


def read_footnotes(docx_bytes: bytes) -> dict[int, str]:
    """The footnotes of a .docx by number, read back (for checking an export)."""
    word = Document(io.BytesIO(docx_bytes))
    part = next(
        rel.target_part for rel in word.part.rels.values() if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES
    )
    found = {}
    for note in parse_xml(part.blob).iter(qn("w:footnote")):
        number = int(note.get(qn("w:id"), "0"))
        if number > 0:
            found[number] = "".join(t.text or "" for t in note.iter(qn("w:t"))).strip()
    return found
