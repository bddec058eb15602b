"""Fit the confidence models on eval sets: `python -m knowledge_base.fit_calibration [EVAL ...] [--kb KB]`.

Prints the fitted `FITTED` for calibration.py, and the eval figures in-sample and under 5-fold
cross-validation (fitted on four fifths, scored on the fifth left out), which is the honest estimate.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from knowledge_base.calibration import Calibration, Features, QueryFeatures, logistic
from knowledge_base.evaluation import DEFAULT_EVAL_PATH, Question, Report, evaluate, load_questions
from knowledge_base.kb import build_index
from knowledge_base.loader import DEFAULT_KB_PATH
from knowledge_base.search import FEATURE_POOL, SearchIndex, choose

# The sets the shipped calibration is fitted on; the blind hold-out sets (holdout2, holdout3) never are.
TRAINING_SETS = ("questions", "dev", "dev2", "holdout")
L2 = 0.1  # ridge penalty on the weights (not the bias): keeps the fit smooth on a few hundred questions
FOLDS = 5


def fit_logistic(rows: list[tuple[float, ...]], labels: list[bool], l2: float = L2) -> tuple[float, ...]:
    """Weights maximising the L2-penalised log-likelihood (Newton's method); rows start with the bias 1."""
    dim = len(rows[0])
    weights = [0.0] * dim
    for _ in range(50):
        grad = [l2 * w if j else 0.0 for j, w in enumerate(weights)]
        hess = [[(l2 if i == j and i else 0.0) for j in range(dim)] for i in range(dim)]
        for x, y in zip(rows, labels, strict=True):
            p = logistic(tuple(weights), x)
            for i in range(dim):
                grad[i] += (p - y) * x[i]
                for j in range(dim):
                    hess[i][j] += p * (1 - p) * x[i] * x[j]
        step = _solve(hess, grad)
        weights = [w - s for w, s in zip(weights, step, strict=True)]
        if max(map(abs, step)) < 1e-8:
            break
    return tuple(round(w, 3) for w in weights)


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """x with a x = b (Gaussian elimination with partial pivoting; a is small and positive definite)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            for c in range(col, n + 1):
                m[r][c] -= f * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


def fit(index: SearchIndex, questions: list[Question]) -> Calibration:
    """Both models fitted on the questions (exact phrasings are answered without them)."""
    scope_rows, scope_labels, pick_rows, pick_labels = [], [], [], []
    for question in questions:
        found = index.candidates(question.q, FEATURE_POOL)
        if not found or found[0].exact:
            continue
        scope_rows.append(found[0].query_features.vector())
        scope_labels.append(question.expect is not None)
        if question.expect in (c.entry_id for c in found):
            for candidate in found:
                pick_rows.append(candidate.features.vector())
                pick_labels.append(candidate.entry_id == question.expect)
    return Calibration(fit_logistic(scope_rows, scope_labels), fit_logistic(pick_rows, pick_labels))


def cross_validate(index: SearchIndex, questions: list[Question], folds: int = FOLDS) -> Report:
    """Eval figures where each question is scored by models fitted without it."""
    total = Report()
    for k in range(folds):
        train = [q for i, q in enumerate(questions) if i % folds != k]
        test = [q for i, q in enumerate(questions) if i % folds == k]
        index.calibration = fit(index, train)
        part = evaluate(index.decide, test)
        for name in (
            "answerable",
            "top1",
            "answered_right",
            "answered_wrong",
            "clarified",
            "out_of_scope",
            "unknown_right",
        ):
            setattr(total, name, getattr(total, name) + getattr(part, name))
        total.failures.extend(part.failures)
    return total


def summary(report: Report) -> str:
    """One line of eval figures."""
    n = report.answerable or 1
    return (
        f"top-1 {report.top1_rate:.1%} (answered right {report.answered_right / n:.1%}, answered wrong "
        f"{report.answered_wrong / n:.1%}, clarify {report.clarified / n:.1%}) | out-of-scope unknown "
        f"{report.unknown_rate:.1%}"
    )


def main(argv: list[str] | None = None) -> int:
    """Fit, print the constants and the in-sample and cross-validated figures."""
    parser = argparse.ArgumentParser(prog="python -m knowledge_base.fit_calibration", description=__doc__)
    parser.add_argument("eval", nargs="*", type=Path, help=f"eval files (default: {', '.join(TRAINING_SETS)})")
    parser.add_argument("--kb", default=DEFAULT_KB_PATH, type=Path, help="knowledge-base folder")
    args = parser.parse_args(argv)
    index = build_index(args.kb)
    paths = args.eval or [DEFAULT_EVAL_PATH.with_name(f"{name}.yaml") for name in TRAINING_SETS]
    questions = [q for path in paths for q in load_questions(path)]
    fitted = fit(index, questions)
    print(f"FITTED = {fitted!r}")
    print(f"scope features: bias, {', '.join(QueryFeatures.__dataclass_fields__)}")
    print(f"pick features: bias, {', '.join(Features.__dataclass_fields__)}")
    print("cross-validated:", summary(cross_validate(index, questions)))
    index.calibration = fitted
    print("in-sample:      ", summary(evaluate(index.decide, questions)))
    ranked = {q.q: index.candidates(q.q) for q in questions}
    for clarify_at in (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85):
        report = evaluate(lambda q, c=clarify_at: choose(ranked[q], clarify_at=c), questions)
        print(f"  in-sample with CLARIFY_THRESHOLD {clarify_at:.2f}: {summary(report)}")
    return 0 if all(map(math.isfinite, fitted.scope_weights + fitted.pick_weights)) else 1


if __name__ == "__main__":
    raise SystemExit(main())
