"""The feedgen extension that writes what feedgen 1.0 gets wrong (feeds.render_feed)."""

from __future__ import annotations

import datetime as dt

from feedgen.ext.base import BaseEntryExtension  # type: ignore[import-untyped]
from feedgen.util import xml_elem  # type: ignore[import-untyped]

from .feeds import ATOM_NS, Enclosure


class EntryExtras(BaseEntryExtension):  # type: ignore[misc]
    """What feedgen 1.0 does not write right: `atom:updated` in an RSS item (RSS 2.0 has no
    element for a later edit), and enclosures (feedgen drops the rel, type and length of an
    Atom entry's links). RSS carries one enclosure, the lead image; Atom carries them all."""

    def __init__(self) -> None:
        self.updated: dt.datetime | None = None
        self.enclosures: tuple[Enclosure, ...] = ()

    def extend_rss(self, item):  # type: ignore[no-untyped-def]
        for e in self.enclosures[:1]:
            xml_elem("enclosure", item, url=e.url, length=str(e.length), type=e.type)
        if self.updated is not None:
            xml_elem(f"{{{ATOM_NS}}}updated", item).text = self.updated.isoformat()
        return item

    def extend_atom(self, entry):  # type: ignore[no-untyped-def]
        for e in self.enclosures:
            xml_elem("link", entry, rel="enclosure", href=e.url, type=e.type, length=str(e.length))
        return entry
