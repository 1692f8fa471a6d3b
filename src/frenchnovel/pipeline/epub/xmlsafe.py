"""Parsing an EPUB's XML without expanding entities or loading anything from outside.

``defusedxml`` refuses any entity declaration (the billion laughs, quadratic blow-ups) and any
external entity or DTD reference that would be resolved (``EPUB_XML_ENTITIES``); a document that
is not well-formed is ``MALFORMED_EPUB``. HTML's named entities (``&nbsp;``, ``&eacute;``), which
XHTML books use without declaring them, are turned into character references first: they name
characters, never files.
"""

from __future__ import annotations

import html.entities
import re
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from frenchnovel.errors import ErrorCode, InputError

_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_NAMED = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")


def _character_reference(match: re.Match[bytes]) -> bytes:
    name = match.group(1).decode("ascii")
    if name in _XML_ENTITIES or name not in html.entities.name2codepoint:
        return match.group(0)
    return b"&#%d;" % html.entities.name2codepoint[name]


def parse_xml(data: bytes, name: str) -> Element:
    """The root element of the XML document ``data`` (``name`` is for messages)."""
    if b"<!ENTITY" not in data:
        data = _NAMED.sub(_character_reference, data)
    try:
        root: Element = fromstring(
            data, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
        return root
    except DefusedXmlException:
        raise InputError(
            f"{name[:80]} in the EPUB declares XML entities (entity expansion or external "
            "files), which are refused",
            code=ErrorCode.EPUB_XML_ENTITIES,
        ) from None
    except (ParseError, ValueError, RecursionError) as exc:
        raise InputError(
            f"{name[:80]} in the EPUB is not well-formed XML ({str(exc)[:120]})",
            code=ErrorCode.MALFORMED_EPUB,
        ) from None
