"""The office key: a secret the admin keeps outside the database (a file, e.g. on a USB stick).

With the key configured (`ZHIBANG_KEY_FILE`, or `--key` on the command line), every audit
entry carries an HMAC of its chain hash, so an entry edited and the chain recomputed after
it no longer verifies; and each commit records the chain head (signed) in a file beside
the key (`<key>.heads`), so the last entries deleted with the head moved back are found.
Without a key the chain still shows an edit, but not a chain recomputed from scratch:
`check` says so.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

ENV = "ZHIBANG_KEY_FILE"
_cache: dict[tuple[str, float], bytes] = {}


class OfficeKeyError(ValueError):
    """The office key file cannot be created or read (message says why)."""


def key_path() -> Path | None:
    value = os.environ.get(ENV, "").strip()
    return Path(value).expanduser() if value else None


def load_key(path: Path | None = None) -> bytes | None:
    """The key bytes, or None when no key is configured or the file is missing/unreadable."""
    path = path or key_path()
    if path is None:
        return None
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return None
    cached = _cache.get((str(path), stamp))
    if cached is not None:
        return cached
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if len(key) < 16:
        return None
    _cache[(str(path), stamp)] = key
    return key


def create_key(path: Path) -> Path:
    """Write a new random key readable by its owner only; never overwrite one."""
    path = Path(path).expanduser()
    if path.exists():
        raise OfficeKeyError(f"密钥文件已存在：{path}（不会覆盖）")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32) + "\n")
    return path


def sign(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def matches(key: bytes, text: str, mac: str | None) -> bool:
    return mac is not None and hmac.compare_digest(sign(key, text), mac)


def _heads_file(path: Path) -> Path:
    return path.with_name(path.name + ".heads")


def record_head(chain_id: str, seq: int, head_hash: str) -> None:
    """Remember (signed) the newest chain head of this database next to the key; best effort."""
    path = key_path()
    key = load_key(path)
    if key is None or path is None:
        return
    heads_file = _heads_file(path)
    try:
        heads = json.loads(heads_file.read_text(encoding="utf-8")) if heads_file.exists() else {}
    except (OSError, ValueError):
        heads = {}
    heads[chain_id] = {"seq": seq, "hash": head_hash, "mac": sign(key, f"{chain_id}:{seq}:{head_hash}")}
    tmp = heads_file.with_name(heads_file.name + ".tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(heads, f)
        os.replace(tmp, heads_file)
    except OSError:
        pass


def recorded_head(chain_id: str) -> tuple[int, str] | None | str:
    """(seq, hash) recorded for this chain; None when nothing is recorded; a message when the
    record is there but its signature fails."""
    path = key_path()
    key = load_key(path)
    if key is None or path is None:
        return None
    try:
        heads = json.loads(_heads_file(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    row = heads.get(chain_id)
    if not isinstance(row, dict):
        return None
    seq, head_hash = row.get("seq"), row.get("hash")
    if not matches(key, f"{chain_id}:{seq}:{head_hash}", row.get("mac")):
        return "密钥旁记录的链头签名不符（记录文件被改动）"
    return int(seq), str(head_hash)
