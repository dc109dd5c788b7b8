"""A platypus story that is made while it is laid out.

`doc.build(story)` keeps every flowable of the story from the start, and a form's flowables
(tables of Paragraphs in CJK) take about half a megabyte a household before they are drawn:
printing 1,660 档案表 in one PDF peaked at 1.26 GB. The build loop asks `len(story)` before
each flowable and removes each one it has placed, so a list that takes the next part from a
generator whenever it runs empty holds one household's flowables at a time.
"""
from __future__ import annotations

from collections.abc import Iterable

from reportlab.platypus import Flowable


class LazyStory(list):
    def __init__(self, parts: Iterable[list[Flowable]]) -> None:
        super().__init__()
        self._parts = iter(parts)

    def __len__(self) -> int:
        while not super().__len__():
            part = next(self._parts, None)
            if part is None:
                return 0
            self.extend(part)
        return super().__len__()
