"""What the 关于 dialog tells: the version, when this copy was built, and the licences of the
parts it carries — read from the installed packages' metadata, never typed by hand.

From source the parts are the packages `zhibang-desktop` needs to run (its requirements
without extras, followed down); in the built program they are the distributions whose
metadata the PyInstaller spec copied into it (that same list, see installer/zhibang.spec).
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from importlib import metadata, resources

from . import __version__

DISTRIBUTION = "zhibang-desktop"
BUILD_FILE = "build.json"  # written into the bundle by installer/zhibang.spec
FONTS_FOLDER = "data/fonts"
FONT_SUFFIXES = (".ttc", ".ttf", ".otf")
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_SHORT_LICENCE = 60  # a `License` field longer than this is the licence's full text


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str
    licence_files: tuple[str, ...]  # names inside the distribution (or the fonts folder)
    font: bool = False

    def licence_text(self) -> str:
        """The licence files' text, one after the other ("" when the part ships none)."""
        texts = [_read_licence_file(self, name) for name in self.licence_files]
        return "\n\n".join(t for t in texts if t)


def version() -> str:
    return __version__


def is_bundled() -> bool:
    """True in the program built by PyInstaller (the installer's copy)."""
    return bool(getattr(sys, "frozen", False))


def build_date() -> str:
    """The day the bundle was built (YYYY-MM-DD); "" when running from source."""
    try:
        data = json.loads(resources.files("zhibang_desktop").joinpath(BUILD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(data.get("built", ""))


def requirement_name(requirement: str) -> str | None:
    """The distribution a requirement line names, or None for one that belongs to an extra."""
    name, _, marker = requirement.partition(";")
    if "extra" in marker:
        return None
    match = _NAME.match(name)
    return match.group(1) if match else None


def runtime_distributions(roots: list[str]) -> list[str]:
    """`roots` and everything they require to run (no extras), as installed here, sorted by name.
    A requirement that is not installed (its marker excludes this platform) is left out."""
    seen: dict[str, str] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        key = metadata_key(name)
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = dist.metadata["Name"]
        todo.extend(n for r in dist.requires or [] if (n := requirement_name(r)))
    return sorted(seen.values(), key=str.lower)


def metadata_key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _own_requirements() -> list[str]:
    try:
        requires = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return []
    return [n for r in requires if (n := requirement_name(r))]


def _licence_of(meta) -> str:
    expression = meta.get("License-Expression")
    if expression:
        return expression
    classified = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or []
                  if c.startswith("License ::") and c.count("::") >= 2]
    if classified:
        return "、".join(classified)
    field = (meta.get("License") or "").strip()
    if field and len(field) <= _SHORT_LICENCE and "\n" not in field:
        return field
    return "见许可证全文" if field else "未注明"


def _licence_files(dist: metadata.Distribution) -> tuple[str, ...]:
    named = dist.metadata.get_all("License-File") or []
    out = []
    for name in named:
        for candidate in (f"licenses/{name}", name):
            if _read_dist_file(dist, candidate) is not None:
                out.append(candidate)
                break
    return tuple(out)


def _read_licence_file(component: Component, name: str) -> str:
    if component.font:
        try:
            return resources.files("zhibang_desktop").joinpath(FONTS_FOLDER, name).read_text(encoding="utf-8")
        except OSError:
            return ""
    try:
        return _read_dist_file(metadata.distribution(component.name), name) or ""
    except metadata.PackageNotFoundError:
        return ""


def _read_dist_file(dist: metadata.Distribution, name: str) -> str | None:
    """A file of the distribution's metadata folder; a licence in Latin-1 (some are) is read as such."""
    try:
        return dist.read_text(name)
    except UnicodeDecodeError:
        for path in dist.files or []:
            if path.as_posix().endswith(f".dist-info/{name}"):
                return path.read_binary().decode("latin-1")
        return None


def package_components() -> list[Component]:
    """The Python packages this copy runs on, with their licences."""
    if is_bundled():
        names = sorted({d.metadata["Name"] for d in metadata.distributions() if d.metadata["Name"]}, key=str.lower)
        names = [n for n in names if metadata_key(n) != DISTRIBUTION]
    else:
        names = runtime_distributions(_own_requirements())
    out = []
    for name in names:
        dist = metadata.distribution(name)
        out.append(Component(name=dist.metadata["Name"], version=dist.version, licence=_licence_of(dist.metadata),
                             licence_files=_licence_files(dist)))
    return out


def font_components() -> list[Component]:
    """The bundled fonts, each with the licence files beside it that carry its name."""
    folder = resources.files("zhibang_desktop").joinpath(FONTS_FOLDER)
    entries = sorted(p.name for p in folder.iterdir())
    fonts = [n for n in entries if n.lower().endswith(FONT_SUFFIXES)]
    texts = [n for n in entries if n.lower().endswith(".txt")]
    out = []
    for font in fonts:
        stem = font.rsplit(".", 1)[0].lower()
        files = tuple(t for t in texts if stem in t.lower())
        texts_of = [folder.joinpath(name).read_text(encoding="utf-8") for name in files]
        licence = next((n for t in texts_of if (n := _named_licence(t))), "见许可证全文" if files else "未注明")
        out.append(Component(name=font, version="", licence=licence, licence_files=files, font=True))
    return out


def _named_licence(text: str) -> str:
    """The licence a font's copyright file names: a Debian `License:` line or an upper-case title."""
    for line in text.splitlines():
        if line.startswith("License:"):
            return line.partition(":")[2].strip()
    return next((line.strip() for line in text.splitlines()
                 if "LICENSE" in line and line.strip() == line.strip().upper()), "")


def components() -> list[Component]:
    return [*package_components(), *font_components()]
