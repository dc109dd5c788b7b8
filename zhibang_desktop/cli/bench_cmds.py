"""`zhibang bench`: the program's speed and memory beside the bare libraries', on a database of
N demo households (built once and kept; see zhibang_desktop/bench)."""
from __future__ import annotations

import sys
from pathlib import Path

from .env import InvalidInput, json_flag, progress_printer


def register(sub) -> None:
    p = sub.add_parser("bench", help="性能测试：在 N 户演示数据上测量各项工作，并与底层库直接完成同样工作相比")
    p.add_argument("--households", type=int, default=100_000, help="演示家庭数（默认 100000）")
    p.add_argument("--rounds", type=int, default=5, help="交替测量的轮数（默认 5）")
    p.add_argument("--only", action="append", default=[], metavar="NAME",
                   help="只测名称以此开头的工作（可重复），如 archive.search")
    p.add_argument("--dir", help="测试数据库的缓存文件夹（默认：用户数据文件夹下的 bench）")
    p.add_argument("--list", action="store_true", help="只列出各项工作")
    json_flag(p)
    p.set_defaults(func=run_bench, own_login=True)  # its own demo database, never the office's


def run_bench(args, env) -> int:
    from ..bench.database import bench_database, default_cache_dir
    from ..bench.report import load_average, machine, result_lines
    from ..bench.runner import run_bench as run, selected

    chosen = selected(args.only)
    if args.list:
        env.out([{"name": w.name, "label": w.label} for w in chosen], "\n".join(f"{w.name}  {w.label}" for w in chosen))
        return 0
    if not 1 <= args.households <= 1_000_000:
        raise InvalidInput("--households 应在 1 到 1000000 之间")
    if args.rounds < 1:
        raise InvalidInput("--rounds 至少为 1")
    if not chosen:
        raise InvalidInput(f"没有名称以 {'、'.join(args.only)} 开头的工作（zhibang bench --list 列出全部）")
    cache = Path(args.dir).expanduser() if args.dir else default_cache_dir()
    path, built = bench_database(cache, args.households, progress=progress_printer(env))
    if not env.json:
        print(f"{machine()}，{load_average() or '负载未知'}\n测试数据库：{path}（{'新建' if built else '沿用'}，{args.households} 户）；"
              f"每项 {args.rounds} 轮，程序与底线交替", flush=True)

    def show(result) -> None:
        if not env.json:
            print("\n".join(result_lines(result)), flush=True)

    results = run(path, args.households, args.rounds, args.only, on_result=show)
    if env.json:
        env.out({"machine": machine(), "load_average": load_average(), "households": args.households, "rounds": args.rounds, "database": str(path),
                 "works": [dict(name=r.name, label=r.label, app=r.app, floor=r.floor, floor_label=r.floor_label,
                                ratio=r.ratio, target=r.target) for r in results]})
    sys.stdout.flush()
    return 0
