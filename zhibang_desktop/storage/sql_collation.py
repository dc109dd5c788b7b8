"""Text ordered by its bytes inside a query, written once per engine: what Python's `sorted` of
str gives (code-point order), whatever the database's own collation. SQLite's default BINARY
collation already compares the UTF-8 bytes with memcmp, and UTF-8 byte order is code-point
order; on PostgreSQL the database's collation follows its locale, and "C" compares bytes."""
from __future__ import annotations

from sqlalchemy.exc import CompileError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import String


class _CodePointOrder(FunctionElement):
    type = String()
    inherit_cache = True
    name = "code_point_order"


def code_point_order(text_expression):
    """`text_expression`, compared (in ORDER BY, <, =) by code point on every engine."""
    return _CodePointOrder(text_expression)


@compiles(_CodePointOrder, "sqlite")
def _sqlite(element, compiler, **kw):
    return compiler.process(list(element.clauses)[0], **kw)


@compiles(_CodePointOrder, "postgresql")
def _postgresql(element, compiler, **kw):
    return f'({compiler.process(list(element.clauses)[0], **kw)}) COLLATE "C"'


@compiles(_CodePointOrder)
def _other(element, compiler, **kw):
    raise CompileError(f"code_point_order is not written for {compiler.dialect.name}")
