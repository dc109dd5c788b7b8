"""A4 portrait forms printed one household after another in one PDF (the 档案表 and the
入户走访表): each household starts on a new page under its own title."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, PageBreak, Paragraph, Spacer, Table, TableStyle

from .output import CancelFn, Cancelled, ProgressFn, Target
from .pdf_common import markup
from .pdf_form import FormDocument

T = TypeVar("T")


class BatchForm(FormDocument):
    """A :class:`FormDocument` whose title block can be repeated for the next household."""

    def __init__(self, title: str, *, office: str, banner: str | None, footer: str):
        super().__init__(title, [], page_footer_text=footer, banner=banner or None, author=office, font_size=9.5)
        self._first = True
        self._title_text = title

    def next_form(self, subtitle: str, meta_left: str, meta_right: str) -> None:
        if not self._first:
            self._story.append(PageBreak())
            self._story.append(Paragraph(markup(self._title_text), self._style(size=18, align="center", title=True,
                                                                                leading=26)))
        self._first = False
        if subtitle:
            self._story.append(Paragraph(markup(subtitle), self._style(align="center")))
            self._story.append(Spacer(1, 2 * mm))
        meta = Table([[Paragraph(markup(meta_left), self._style()),
                       Paragraph(markup(meta_right), self._style(align="right"))]],
                     colWidths=[self.width / 2] * 2)
        meta.setStyle(TableStyle(self._base_style_cmds(grid=False)
                                 + [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        self._story.append(meta)
        self._story.append(Spacer(1, 1 * mm))

    def keep_space(self, height_mm: float) -> None:
        """Start a new page unless ``height_mm`` is left (a box is never cut from its label)."""
        self._story.append(CondPageBreak(height_mm * mm))


class FormBatch(Generic[T]):
    """Lay out ``items`` with ``one(doc, item)`` and write the PDF; progress counts the forms."""

    def __init__(self, doc: BatchForm, one: Callable[[BatchForm, T], None]):
        self.doc, self.one = doc, one

    def write(self, items: Sequence[T], target: Target, progress: ProgressFn | None = None,
              cancelled: CancelFn | None = None) -> int:
        """Each item's form is made when the one before it has been laid out (see lazy_story):
        memory holds one household's flowables, whatever the count."""
        count = len(items)

        def forms():
            for i, item in enumerate(items):
                if cancelled is not None and cancelled():
                    raise Cancelled()
                if progress:
                    progress(i, count)  # the forms before this one are on their pages
                self.one(self.doc, item)
                yield self.doc.take_story()

        pages = self.doc.write_parts(forms(), target, cancelled)
        if progress:
            progress(count, count)
        return pages
