"""Calibrated confidence from interpretable match features (logistic models fitted on the eval set).

Two logistic models, fitted by `python -m knowledge_base.fit_calibration` on tests/eval/questions.yaml
against the bundled knowledge base, turn the features of a candidate into probabilities:

- `answer_confidence`: the probability that this candidate is the right answer (label: the top
  candidate is the expected entry; out-of-scope questions are negatives);
- `scope_confidence`: the probability that the question is one the knowledge base answers at all
  (label: the expected entry is among the first three; out-of-scope questions are negatives). It has no
  margin feature, so an ambiguous but in-scope question ("sprint") scores high here and low above.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Features:
    """How well one candidate entry matches a query, each in [0, 1] (margin in [-1, 1])."""

    coverage: float  # IDF-weighted share of the query's content words found in the entry
    dice: float  # IDF-weighted Dice overlap of the query with the entry's best-matching phrasing
    margin: float  # (own score - best other score) / own score on the ranking scores

    def vector(self) -> tuple[float, ...]:
        """The features as model inputs, bias first."""
        return (1.0, self.coverage, self.dice, self.margin)


# Fitted weights: bias, coverage, dice, margin. See fit_calibration.py for how they are made.
ANSWER_WEIGHTS = (-7.0, 5.0, 4.0, 4.0)
SCOPE_WEIGHTS = (-7.0, 6.0, 5.0, 0.0)


def logistic(weights: tuple[float, ...], inputs: tuple[float, ...]) -> float:
    """sigmoid(weights . inputs), safe for large arguments."""
    z = sum(w * x for w, x in zip(weights, inputs, strict=True))
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def answer_confidence(features: Features) -> float:
    """Probability that the candidate is the right answer."""
    return logistic(ANSWER_WEIGHTS, features.vector())


def scope_confidence(features: Features) -> float:
    """Probability that the question is answerable and this candidate is among the right few."""
    return logistic(SCOPE_WEIGHTS, features.vector())
