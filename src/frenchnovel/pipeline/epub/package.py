"""An EPUB's package: the reading order (spine) and the table of contents (nav or NCX).

EPUB 3 names its navigation document in the manifest (``properties="nav"``); EPUB 2 has an NCX
(the spine's ``toc``). Either gives ``TocEntry`` items in reading order with their depth; the
guide (EPUB 2) and the landmarks (EPUB 3) say which documents are cover, title page, contents,
copyright or colophon.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from frenchnovel.errors import ErrorCode, InputError
from frenchnovel.pipeline.epub.archive import EpubArchive, resolve

_TEXT_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/xml", "text/xml"})
OPS_TYPE = "{http://www.idpf.org/2007/ops}type"


def local(tag: object) -> str:
    """An element's name without its namespace, in lower case."""
    return str(tag).rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def text_of(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


@dataclass(frozen=True, slots=True)
class TocEntry:
    title: str
    path: str  # the archive path of the document
    fragment: str  # an element id in it, or ""
    depth: int  # 0 for the top level
    has_children: bool


@dataclass(frozen=True, slots=True)
class SpineItem:
    path: str
    linear: bool
    properties: frozenset[str] = frozenset()


@dataclass(slots=True)
class Package:
    spine: list[SpineItem]
    toc: list[TocEntry]
    nav_path: str = ""
    roles: dict[str, str] = field(default_factory=dict)  # document path → guide/landmark type


def _invalid(message: str) -> InputError:
    return InputError(message, code=ErrorCode.INVALID_EPUB)


def read_package(archive: EpubArchive) -> Package:
    """The spine and the table of contents of the EPUB in ``archive``."""
    opf_path = _package_path(archive)
    opf = archive.xml(opf_path)
    manifest = _manifest(opf, opf_path)
    spine_element = next((e for e in opf.iter() if local(e.tag) == "spine"), None)
    if spine_element is None:
        raise _invalid("the EPUB's package has no spine (no reading order)")
    spine = []
    for ref in spine_element:
        entry = manifest.get(ref.get("idref", ""))
        if local(ref.tag) == "itemref" and entry and entry[1] in _TEXT_TYPES:
            if entry[0] in archive.names:
                spine.append(SpineItem(entry[0], ref.get("linear", "yes") != "no", entry[2]))
    if not spine:
        raise _invalid("the EPUB's spine lists no text document")
    package = Package(spine, [])
    nav = next((path for path, _, props in manifest.values() if "nav" in props), "")
    if nav and nav in archive.names:
        package.nav_path = nav
        package.toc, landmarks = _nav(archive.xml(nav), nav)
        package.roles.update(landmarks)
    ncx = manifest.get(spine_element.get("toc", ""))
    if not package.toc and ncx and ncx[0] in archive.names:
        package.toc = _ncx(archive.xml(ncx[0]), ncx[0])
    for reference in opf.iter():
        if local(reference.tag) == "reference" and reference.get("href"):
            target = resolve(opf_path, reference.get("href", ""))
            if target is not None:
                package.roles.setdefault(target, reference.get("type", "").lower())
    return package


def _package_path(archive: EpubArchive) -> str:
    if "META-INF/container.xml" not in archive.names:
        raise _invalid("the file is a ZIP archive but not an EPUB (no META-INF/container.xml)")
    container = archive.xml("META-INF/container.xml")
    rootfile = next((e for e in container.iter() if local(e.tag) == "rootfile"), None)
    opf_path = resolve("", rootfile.get("full-path", "")) if rootfile is not None else None
    if not opf_path or opf_path not in archive.names:
        raise _invalid("the EPUB names no package document (content.opf)")
    return opf_path


def _manifest(opf: Element, opf_path: str) -> dict[str, tuple[str, str, frozenset[str]]]:
    """id → (archive path, media type, properties) of every local item."""
    manifest: dict[str, tuple[str, str, frozenset[str]]] = {}
    for item in opf.iter():
        if local(item.tag) == "item" and item.get("id") and item.get("href"):
            target = resolve(opf_path, item.get("href", ""))
            if target is not None:
                props = frozenset(item.get("properties", "").split())
                manifest[item.get("id", "")] = (target, item.get("media-type", ""), props)
    return manifest


def _split(base: str, href: str) -> tuple[str, str] | None:
    path = resolve(base, href)
    if path is None:
        return None
    return path, href.partition("#")[2]


def _nav(root: Element, base: str) -> tuple[list[TocEntry], dict[str, str]]:
    entries: list[TocEntry] = []
    roles: dict[str, str] = {}
    for nav in root.iter():
        if local(nav.tag) != "nav":
            continue
        kind = nav.get(OPS_TYPE, "")
        lists = [child for child in nav.iter() if local(child.tag) == "ol"]  # the first: outer
        if "toc" in kind.split() and not entries and lists:
            _nav_list(lists[0], base, 0, entries)
        elif "landmarks" in kind.split():
            for link in nav.iter():
                target = _split(base, link.get("href", "")) if local(link.tag) == "a" else None
                if target is not None:
                    roles[target[0]] = link.get(OPS_TYPE, "").lower()
    return entries, roles


def _nav_list(ol: Element, base: str, depth: int, entries: list[TocEntry]) -> None:
    for li in (child for child in ol if local(child.tag) == "li"):
        label = next((c for c in li if local(c.tag) in ("a", "span")), None)
        sub = next((c for c in li if local(c.tag) == "ol"), None)
        target = _split(base, label.get("href", "")) if label is not None else None
        if label is not None and target is not None:
            entries.append(TocEntry(text_of(label), *target, depth, sub is not None))
        if sub is not None:
            _nav_list(sub, base, depth + 1, entries)


def _ncx(root: Element, base: str) -> list[TocEntry]:
    entries: list[TocEntry] = []
    nav_map = next((e for e in root.iter() if local(e.tag) == "navmap"), None)
    if nav_map is not None:
        _ncx_points(nav_map, base, 0, entries)
    return entries


def _ncx_points(parent: Element, base: str, depth: int, entries: list[TocEntry]) -> None:
    for point in (child for child in parent if local(child.tag) == "navpoint"):
        label = next((e for e in point.iter() if local(e.tag) == "text"), None)
        content = next((c for c in point if local(c.tag) == "content"), None)
        target = _split(base, content.get("src", "")) if content is not None else None
        children = [child for child in point if local(child.tag) == "navpoint"]
        if target is not None:
            title = text_of(label) if label is not None else ""
            entries.append(TocEntry(title, *target, depth, bool(children)))
        _ncx_points(point, base, depth + 1, entries)
