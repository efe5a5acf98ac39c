"""Reading a page back as a browser's parser would: its elements as a tree, and its text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements with no end tag; every other element must be closed, in order.
VOID = {"meta", "link", "br", "hr", "img", "input", "col", "wbr", "source", "area", "base"}
# Elements whose text is no content a reader sees (an SVG's title and desc: its alt text).
UNSEEN = {"style", "script", "title", "desc", "head"}
# Elements that start a line of their own in the text.
BLOCKS = {
    "p", "div", "section", "header", "main", "footer", "h1", "h2", "h3", "h4", "li", "tr",
    "dt", "dd", "table", "caption", "figure", "figcaption", "details", "summary", "ul", "ol",
    "dl", "blockquote", "svg", "title", "desc", "text", "html", "body",
}  # fmt: skip


@dataclass
class Element:
    """An element of the page: its tag, attributes, children and text, in order."""

    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def elements(self) -> list[Element]:
        """Return the child elements, without the text between them."""
        return [child for child in self.children if isinstance(child, Element)]

    def iter(self) -> Iterator[Element]:
        """Yield this element and every element inside it, in document order."""
        yield self
        for child in self.elements():
            yield from child.iter()

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        """Return every element of ``tag`` with the attributes given (class_ for class)."""
        wanted = {key.rstrip("_").replace("_", "-"): value for key, value in attrs.items()}
        return [
            element
            for element in self.iter()
            if element.tag == tag
            and all(
                value in element.attrs.get(key, "").split()
                if key == "class"
                else element.attrs.get(key) == value
                for key, value in wanted.items()
            )
        ]

    def text(self) -> str:
        """Return the element's text, whitespace collapsed."""
        parts: list[str] = []
        _collect(self, parts, seen_only=False)
        return " ".join("".join(parts).split())


def _collect(element: Element, parts: list[str], *, seen_only: bool) -> None:
    if seen_only and element.tag in UNSEEN:
        return
    block = element.tag in BLOCKS
    if block:
        parts.append("\n")
    for child in element.children:
        if isinstance(child, str):
            parts.append(re.sub(r"\s+", " ", child))
        else:
            _collect(child, parts, seen_only=seen_only)
    if block:
        parts.append("\n")
    elif element.tag in ("td", "th"):
        parts.append(" | ")


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {key: value or "" for key, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {key: value or "" for key, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        open_tag = self.stack[-1].tag
        if open_tag != tag:
            raise ValueError(f"</{tag}> closes <{open_tag}>")
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str | bytes) -> Element:
    """Return the page's tree; ValueError where an element is closed out of order or left open."""
    assert isinstance(page, str), "an HTML page is text"
    builder = _TreeBuilder()
    builder.feed(page)
    builder.close()
    if len(builder.stack) != 1:
        raise ValueError(f"<{builder.stack[-1].tag}> is never closed")
    if builder.doctype.lower() != "doctype html":
        raise ValueError(f"the page starts with <!{builder.doctype}>, not <!DOCTYPE html>")
    return builder.root


def page_text(page: str) -> str:
    """Return what a reader sees of the page: its text, a line per block, spaces collapsed.

    The time of the run is left out, so that the text of two runs is the same.
    """
    root = parse(page)
    for time in root.find_all("time"):
        time.children = ["<time>"]
    parts: list[str] = []
    _collect(root, parts, seen_only=True)
    lines = (re.sub(r"\s+", " ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line) + "\n"
