"""Run the BUILT program (not the source) and fail on anything a missing file or hidden import
would break: --version, init, demo, every `print …` and `export …`, check, and the GUI started
and closed offscreen (ZHIBANG_SMOKE, see zhibang_desktop/ui/smoke.py). Also looks into the
bundle: fonts with their licence files, policy presets, every migration, the Chinese Qt
translations, and none of the Qt modules the app does not use.

    python installer/check_bundle.py dist/zhibang

Prints the start times it measured; exit 0 only when every check passed. Needs only the
standard library (and pdffonts/pdftotext from poppler-utils when they are installed).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent
PASSWORD = "demo1234"  # the demo office's users (zhibang_desktop/demo)
OFFICE_PASSWORD = "初始密码Pass1"
# Every sub-command of `zhibang print` and `zhibang export` (tests/test_bundle_checker.py keeps
# this list equal to the CLI's): arguments given the demo's ids, the output file's suffix, the user.
PRINT_COMMANDS = {
    "approval": (lambda ids, out: ["print", "approval", ids["request"], "--out", out], ".pdf", "clerk"),
    "roster": (lambda ids, out: ["print", "roster", ids["notice"], "--out", out], ".pdf", "clerk"),
    "receipts": (lambda ids, out: ["print", "receipts", ids["batch"], "--out", out], ".pdf", "clerk"),
    "archive": (lambda ids, out: ["print", "archive", "--all", "--out", out], ".pdf", "clerk"),
    "visits": (lambda ids, out: ["print", "visits", "--due", "--out", out], ".pdf", "clerk"),
}
EXPORT_COMMANDS = {
    "households": (lambda ids, out: ["export", "households", out], ".xlsx", "clerk"),
    "bank": (lambda ids, out: ["export", "bank", ids["batch"], "--out", out], ".xlsx", "clerk"),
    "annual": (lambda ids, out: ["export", "annual", "--year", ids["year"], "--out", out], ".xlsx", "admin"),
}
# Other commands that write files, through the same document code.
OTHER_FILE_COMMANDS = {
    "audit export": (lambda ids, out: ["audit", "export", out], ".xlsx", "admin"),
    "policy export": (lambda ids, out: ["policy", "export", out], ".json", "admin"),
    "template households": (lambda ids, out: ["template", "households", out], ".xlsx", "clerk"),
    "budget plan": (lambda ids, out: ["budget", "plan", "--year", ids["year"], "--out", out], ".pdf", "admin"),
    "report annual": (lambda ids, out: ["report", "annual", "--year", ids["year"], "--out", out], ".pdf", "head"),
}
UNUSED_QT_LIBS = ("Qt6Qml", "Qt6Quick", "Qt6Network", "Qt6Pdf", "Qt6WebEngine", "Qt6Sql", "Qt6Test", "Qt6Svg")


def _children_cpu() -> float:
    """CPU seconds used by finished child processes (0 where the platform does not say)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


class Failed(Exception):
    pass


class Checker:
    def __init__(self, bundle: Path, work: Path):
        self.bundle = bundle
        self.work = work
        suffix = ".exe" if os.name == "nt" else ""
        self.program = bundle / f"zhibang{suffix}"
        self.cli = bundle / f"zhibang-cli{suffix}"
        self.failures: list[str] = []
        self.timings: dict[str, float] = {}

    # -- running the built program --
    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIBANG_") and k != "PYTHONPATH"}
        env["QT_QPA_PLATFORM"] = "offscreen"
        env.update(extra)
        return env

    def run(self, args: list[str], *, program: Path | None = None, timeout: int = 300,
            **env: str) -> subprocess.CompletedProcess:
        started, cpu_before = time.monotonic(), _children_cpu()
        done = subprocess.run([str(program or self.cli), *args], env=self.env(**env), capture_output=True,
                              text=True, encoding="utf-8", errors="replace", timeout=timeout, cwd=self.work)
        elapsed, cpu = time.monotonic() - started, _children_cpu() - cpu_before
        shown = " ".join(args)
        print(f"  {elapsed:5.1f}s (CPU {cpu:4.1f}s)  zhibang {shown}  → {done.returncode}", flush=True)
        if done.returncode != 0:
            raise Failed(f"`zhibang {shown}` exited {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
        done.elapsed, done.cpu = elapsed, cpu
        return done

    def check(self, what: str, step) -> None:
        try:
            step()
        except Failed as exc:
            self.failures.append(f"{what}: {exc}")
        except (OSError, subprocess.SubprocessError, ValueError, KeyError) as exc:
            self.failures.append(f"{what}: {type(exc).__name__}: {exc}")

    # -- the steps --
    def contents(self) -> None:
        internal = self.bundle / "_internal"
        package = internal / "zhibang_desktop"
        fonts = package / "data" / "fonts"
        for name in ("uming.ttc", "wqy-microhei.ttc", "ARPHIC-UMING-COPYRIGHT.txt", "ARPHIC-UMING-LICENSE-zh_CN.txt",
                     "WQY-MICROHEI-COPYRIGHT.txt"):
            if not (fonts / name).is_file():
                raise Failed(f"the bundle lacks data/fonts/{name}")
        for folder in ("data/policies", "storage/migrations/versions"):
            wanted = {p.name for p in (SOURCE / "zhibang_desktop" / folder).iterdir() if p.suffix in (".json", ".py")}
            have = {p.name for p in (package / folder).iterdir()} if (package / folder).is_dir() else set()
            if wanted - have:
                raise Failed(f"the bundle lacks {folder}/{sorted(wanted - have)}")
        for name in ("storage/migrations/env.py", "storage/migrations/script.py.mako", "build.json",
                     "data/icons/zhibang.png"):
            if not (package / name).is_file():
                raise Failed(f"the bundle lacks zhibang_desktop/{name}")
        if not list(internal.rglob("qtbase_zh_CN.qm")):
            raise Failed("the bundle lacks Qt's Chinese translation qtbase_zh_CN.qm")
        if others := [p.name for p in internal.rglob("*.qm") if "zh_CN" not in p.name]:
            raise Failed(f"translations other than Chinese: {others[:5]}")
        if unused := [p.name for p in internal.rglob("*") if any(lib in p.name for lib in UNUSED_QT_LIBS)]:
            raise Failed(f"Qt modules the app does not use: {unused[:8]}")
        if tests := [str(p) for p in internal.rglob("tests") if p.is_dir() and "zhibang" in str(p)]:
            raise Failed(f"test folders in the bundle: {tests}")

    def version(self) -> None:
        expected = f"zhibang {self.expected_version()}"
        # zhibang.exe is a windowed program on Windows: it has no console to print to
        for program in ((self.cli,) if os.name == "nt" else (self.program, self.cli)):
            done = self.run(["--version"], program=program)
            self.timings.setdefault("version", (done.elapsed, done.cpu))
            if done.stdout.strip() != expected:
                raise Failed(f"{program.name} --version printed {done.stdout.strip()!r}, not {expected!r}")

    @staticmethod
    def expected_version() -> str:
        text = (SOURCE / "zhibang_desktop" / "__init__.py").read_text(encoding="utf-8")
        return text.split("__version__ = ")[1].split("\n")[0].strip().strip("\"'")

    def init(self) -> None:
        office = str(self.work / "office" / "zhibang.sqlite3")
        self.run(["--db", office, "init", "--office", "测试区总工会", "--region", "测试市测试区", "--admin", "admin",
                  "--policy", "增城"], ZHIBANG_PASSWORD=OFFICE_PASSWORD)
        self.run(["--db", office, "--user", "admin", "check"], ZHIBANG_PASSWORD=OFFICE_PASSWORD)

    def demo(self) -> dict[str, str]:
        self.run(["--db", self.demo_db, "demo", "--households", "30"])
        ids = {}
        notices = json.loads(self.as_user("clerk", ["--json", "notice", "list"]).stdout)
        ids["notice"] = str(notices[0]["id"])
        batches = json.loads(self.as_user("clerk", ["--json", "batch", "list"]).stdout)
        ids["batch"] = next(b["number"] for b in batches if b["status"] == "open")
        requests = json.loads(self.as_user("clerk", ["--json", "request", "list"]).stdout)["rows"]
        ids["request"] = requests[0]["number"]
        ids["year"] = str(int(notices[0]["start"][:4]) + 1)
        return ids

    @property
    def demo_db(self) -> str:
        return str(self.work / "demo" / "zhibang-demo.sqlite3")

    def as_user(self, user: str, args: list[str]) -> subprocess.CompletedProcess:
        return self.run(args, ZHIBANG_DB=self.demo_db, ZHIBANG_USER=user, ZHIBANG_PASSWORD=PASSWORD)

    def files(self, ids: dict[str, str]) -> list[Path]:
        written = []
        out_dir = self.work / "out"
        out_dir.mkdir(exist_ok=True)
        table = {**{f"print {k}": v for k, v in PRINT_COMMANDS.items()},
                 **{f"export {k}": v for k, v in EXPORT_COMMANDS.items()}, **OTHER_FILE_COMMANDS}
        for name, (args_of, suffix, user) in table.items():
            out = out_dir / (name.replace(" ", "-") + suffix)
            self.check(name, lambda: (self.as_user(user, args_of(ids, str(out))), self.output_is_sound(out)))
            written.append(out)
        self.check("check", lambda: self.as_user("admin", ["check"]))
        return written

    @staticmethod
    def output_is_sound(path: Path) -> None:
        if not path.is_file() or path.stat().st_size == 0:
            raise Failed(f"no file {path.name}")
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                if "xl/workbook.xml" not in book.namelist():
                    raise Failed(f"{path.name} is not a workbook")
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".pdf":
            if not path.read_bytes().startswith(b"%PDF"):
                raise Failed(f"{path.name} is not a PDF")
            if shutil.which("pdffonts"):
                fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
                rows = fonts.splitlines()[2:]
                if not rows or any(" no " in f" {row.split()[-5]} " for row in rows):
                    raise Failed(f"{path.name}: a font is not embedded\n{fonts}")
            if shutil.which("pdftotext"):
                text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
                if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
                    raise Failed(f"{path.name} has no Chinese text")

    def gui(self, pdf: Path) -> None:
        gui_program = self.cli if os.name == "nt" else self.program  # the result line needs a console
        done = self.run([], program=gui_program, ZHIBANG_DB=self.demo_db, ZHIBANG_USER="clerk",
                        ZHIBANG_PASSWORD=PASSWORD, ZHIBANG_SMOKE="1", ZHIBANG_SMOKE_PDF=str(pdf))
        self.timings["gui"] = (done.elapsed, done.cpu)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"  GUI: {result}", flush=True)
        problems = []
        if not result["painted"]:
            problems.append("the main window never painted")
        if not result["translations"]:
            problems.append("Qt's Chinese translations were not found")
        if result["pages"] < 5:
            problems.append(f"only {result['pages']} pages in the navigation")
        names = {n.lower() for n in result["components"]}
        for part in ("pyside6_essentials", "sqlalchemy", "reportlab", "uming.ttc", "wqy-microhei.ttc"):
            if part not in names:
                problems.append(f"关于 does not list {part}")
        if not result["build_date"][:4].isdigit():
            problems.append(f"no build date in 关于: {result['build_date']}")
        if not result["pdf_page_size"] or min(result["pdf_page_size"]) < 100:
            problems.append(f"the preview did not render the PDF: {result['pdf_page_size']}")
        if problems:
            raise Failed("; ".join(problems))

    def run_all(self) -> int:
        self.check("bundle contents", self.contents)
        self.check("--version", self.version)
        self.check("init", self.init)
        ids: dict[str, str] = {}
        self.check("demo", lambda: ids.update(self.demo()))
        if ids:
            written = self.files(ids)
            pdf = next((p for p in written if p.suffix == ".pdf" and p.is_file()), None)
            if pdf is not None:
                self.check("GUI", lambda: self.gui(pdf))
        for what, (seconds, cpu) in self.timings.items():
            label = {"version": "start time (zhibang --version)",
                     "gui": "GUI start to first painted main window (demo office, signed in)"}[what]
            print(f"{label}: {seconds:.1f} s wall, {cpu:.1f} s CPU; load average {_load()}")
        if self.failures:
            print("\nBUNDLE CHECK FAILED:\n" + "\n\n".join(self.failures), file=sys.stderr)
            return 1
        print("bundle check passed")
        return 0


def main(argv: list[str]) -> int:
    if argv == ["--print-version"]:  # for the build scripts: the version the bundle must report
        print(Checker.expected_version())
        return 0
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    bundle = Path(argv[0]).resolve()
    with tempfile.TemporaryDirectory(prefix="zhibang-bundle-check-") as work:
        return Checker(bundle, Path(work)).run_all()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
