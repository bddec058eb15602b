"""The semantic channel measured: every eval set with and without it, start-up time and peak memory.

Each setting (SEMANTIC_SEARCH=off, then on) runs in fresh processes: one with an
empty vector cache (a first start), one with the cache filled (every later start). A run loads the
knowledge base, builds the index (embedding the phrasings when the channel is on), answers one question
and then every eval set; it reports its start-up seconds (until the first answer), peak RSS and per set
top-1, wrong answers, unknown on out-of-scope and p95 per question. Blind sets are only scored here,
in aggregate; their questions are never printed.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge_base.semantic import CACHE_SETTING, SETTING  # noqa: E402

EVAL = ROOT / "tests" / "eval"
SETS = ("questions", "dev", "dev2", "holdout", "holdout2", "holdout3", "holdout4")
BLIND = {"holdout2", "holdout3", "holdout4"}


def run_once() -> int:
    """In this fresh process: start up under the environment's setting, score every set, print JSON."""
    start = time.perf_counter()
    from knowledge_base.evaluation import evaluate, load_questions
    from knowledge_base.kb import build_index
    from knowledge_base.loader import DEFAULT_KB_PATH

    index = build_index(DEFAULT_KB_PATH)
    index.decide("hoe werkt de check-in")
    startup = time.perf_counter() - start
    out: dict[str, object] = {"startup": startup}
    for name in SETS:
        path = EVAL / f"{name}.yaml"
        if path.exists():
            report = evaluate(index.decide, load_questions(path))
            out[name] = {
                "n": report.answerable + report.out_of_scope,
                "top1": report.top1_rate,
                "wrong": report.answered_wrong / report.answerable if report.answerable else 0.0,
                "unknown": report.unknown_rate,
                "p95": report.latency(0.95),
            }
    out["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux -> MiB
    print(json.dumps(out))
    return 0


def measure(setting: str, cache: str) -> dict:
    """One fresh run under a setting and vector cache folder."""
    env = {**os.environ, SETTING: setting, CACHE_SETTING: cache}
    done = subprocess.run([sys.executable, __file__, "--once"], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def main() -> int:
    """Print the comparison table."""
    settings = ["off", "on"]
    results = {}
    for setting in settings:
        with tempfile.TemporaryDirectory() as cache:
            first = measure(setting, cache)
            results[setting] = measure(setting, cache) if setting != "off" else first
            results[setting]["first_startup"] = first["startup"]
    print(
        "semantic channel: SEMANTIC_SEARCH=" + "|".join(settings) + " (top-1 / wrong answers / unknown on "
        "out-of-scope / p95 ms per question)"
    )
    print(f"{'set':<22}" + "".join(f"{s:>30}" for s in settings))
    for name in SETS:
        if name not in results["off"]:
            continue
        label = f"{name}{' (BLIND)' if name in BLIND else ''} n={results['off'][name]['n']}"
        cells = []
        for s in settings:
            r = results[s][name]
            cells.append(f"{r['top1']:.1%}/{r['wrong']:.1%}/{r['unknown']:.0%}/{r['p95']:.1f}")
        print(f"{label:<22}" + "".join(f"{c:>30}" for c in cells))
    print(f"{'start-up s (first)':<22}" + "".join(f"{results[s]['first_startup']:>30.2f}" for s in settings))
    print(f"{'start-up s (cached)':<22}" + "".join(f"{results[s]['startup']:>30.2f}" for s in settings))
    print(f"{'peak RSS MiB':<22}" + "".join(f"{results[s]['rss']:>30.0f}" for s in settings))
    return 0


if __name__ == "__main__":
    sys.exit(run_once() if sys.argv[1:] == ["--once"] else main())
