"""Benchmark: a fresh clone to a serving service, with `make run` as the README says.

    python bench/fresh_clone.py [--cold] [--repo .]

Clones the repository (its committed HEAD) into a temporary directory, runs `make run`
there on a free port and times until `/health` answers 200, then stops it. By default
the package caches (pip's, which installs uv, and uv's, which installs the rest) are the
user's: warm, what a rebuilt venv or a second host sees. `--cold` gives both empty caches
of their own and none of the machine's pip settings (local wheel directories, extra
indexes), so every package is downloaded from PyPI. The
system packages (fonts) are taken as installed. Prints the seconds of each step.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.checkin import free_port, wait_for_health


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cold", action="store_true", help="an empty pip cache")
    parser.add_argument("--repo", default=str(Path(__file__).resolve().parent.parent))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="officer-cert-clone-") as work:
        env = {**os.environ, "PORT": str(free_port())}
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        if args.cold:
            # No cache, and none of the machine's local wheel directories or indexes
            # (pip's configuration files and PIP_* settings): every package from PyPI.
            for variable in [v for v in env if v.startswith("PIP_")]:
                del env[variable]
            env["PIP_CONFIG_FILE"] = os.devnull
            env["PIP_CACHE_DIR"] = str(Path(work) / "pip-cache")
            env["UV_CACHE_DIR"] = str(Path(work) / "uv-cache")
        started = time.monotonic()
        clone = Path(work) / "officer-cert"
        subprocess.run(["git", "clone", "-q", args.repo, str(clone)], check=True)  # noqa: S603,S607
        cloned = time.monotonic()
        log = (Path(work) / "make-run.log").open("w")
        server = subprocess.Popen(
            ["make", "run"],  # noqa: S607
            cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{env['PORT']}"
        try:
            try:
                wait_for_health(base, server, seconds=900)  # a slow download is a figure too
            except SystemExit:
                sys.exit(f"make run failed:\n{(Path(work) / 'make-run.log').read_text()}")
            serving = time.monotonic()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        cache = "cold (empty package caches)" if args.cold else "warm (package caches)"
        print(f"fresh clone to serving, {cache}:")
        print(f"  git clone            {cloned - started:6.1f} s")
        print(f"  make run to /health  {serving - cloned:6.1f} s")
        print(f"  total                {serving - started:6.1f} s")


if __name__ == "__main__":
    main()
