"""What a clerk must never read on screen or on paper: the program's internal words.

`findings(texts, logins)` returns, for each text, the internal words found in it: snake_case
or dotted keys (quarterly, household_year_caps, emergency.subcases.illness_surgery), English
words of the UI's vocabulary, source paths (seeds/….txt), database ids (公示编号 5), ISO/UTC
times, quarter codes (2026-Q4), format patterns ({seq:05d}) and login names standing where a
person's name belongs (经办人 clerk). File-system paths the clerk chose, archive numbers and
ASCII codes such as ZC2026000001 or Ctrl+N are not findings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# A path the user chose or the app's data folder: shown on purpose, skipped before checking.
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\s\\/，。；：、“”（）()]+){2,}[\\/]?|[\w.-]+\.(?:sqlite3|xlsx|pdf|json|zip|csv)\b")
_EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+")

_SNAKE = re.compile(r"(?<![\w.])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w])")
_DOTTED = re.compile(r"(?<![\w.])[a-z][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+(?:\[\d+\])?(?![\w])")
_SOURCE = re.compile(r"seeds?/|[\w-]+\.(?:txt|py|md)\b")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})|\bUTC\b|\+00:00")
_QUARTER_CODE = re.compile(r"\b\d{4}-?Q[1-4]\b(?!-\d)")
_FORMAT_PATTERN = re.compile(r"\{[a-z_]+(?::[^}]*)?\}")
# 编号/ID followed by a bare small integer: a database id, not a document number.
_DB_ID = re.compile(r"(?:编号|序号ID|\bID|\bid)\s*[:：#]?\s*\d{1,5}(?![\d\-/年])")
_WORD = re.compile(r"(?<![\w.@/\\-])[A-Za-z]{2,}(?![\w@/\\-])")

# Words a Chinese office reads as Chinese text (acronyms, file types, key names).
ALLOWED_WORDS = {
    "PDF", "Excel", "JSON", "ID", "SHA", "Ctrl", "Enter", "Esc", "Tab", "Shift", "Alt", "Del",
    "Delete", "PageUp", "PageDown", "Home", "End", "OK", "Windows", "PostgreSQL", "SQLite", "CSV",
    "xlsx", "pdf", "json", "csv", "zip", "Luhn", "GB", "MOD", "ISO", "PIPL", "QQ", "WiFi", "USB",
    "SM", "No", "A4", "sqlite", "backups", "zhibang", "demo", "Page", "Up", "Down",
}
# A login name in brackets after the person's name (陈晓（clerk）) is the account, shown on purpose.
_LOGIN_AFTER_NAME = re.compile(r"(?<=[\u4e00-\u9fff])[（(]([A-Za-z0-9_.-]+)[）)]")


@dataclass(frozen=True)
class Finding:
    where: str
    kind: str
    word: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.kind} “{self.word}” in “{self.text[:160]}”"


def _strip(text: str) -> str:
    text = _EMAIL_OR_URL.sub(" ", text)
    return _PATH.sub(" ", text)


def findings(where: str, text: str, logins: set[str] = frozenset(), *,
             login_allowed: bool = False) -> list[Finding]:
    """Internal words in one text shown at `where` (a page, a dialog, a PDF page, a command)."""
    if not text or not text.strip():
        return []
    out: list[Finding] = []
    clean = _LOGIN_AFTER_NAME.sub(lambda m: "（）" if m.group(1) in logins else m.group(0), _strip(text))

    def add(kind: str, match: str) -> None:
        out.append(Finding(where, kind, match, text))

    for m in _SOURCE.finditer(clean):
        add("source path", m.group(0))
    for m in _ISO_TIME.finditer(clean):
        add("ISO/UTC time", m.group(0))
    for m in _QUARTER_CODE.finditer(clean):
        add("quarter code", m.group(0))
    for m in _FORMAT_PATTERN.finditer(clean):
        add("format pattern", m.group(0))
    for m in _DB_ID.finditer(clean):
        add("database id", m.group(0))
    keys = set()
    for m in list(_SNAKE.finditer(clean)) + list(_DOTTED.finditer(clean)):
        keys.add(m.group(0))
        add("internal key", m.group(0))
    for m in _WORD.finditer(clean):
        word = m.group(0)
        if any(word in k for k in keys):
            continue
        if word in logins or (login_allowed and word.islower()):  # account pages: logins and their examples
            if not login_allowed:
                add("login name", word)
        elif word not in ALLOWED_WORDS and not word.isupper():
            add("English word", word)
    return out
