"""Paired change statistics for the dashboards' capability card, from additive sums only.

A group's change from one assessment round to a later one is described by the *changes* of its
paired people alone: each person's later score minus their baseline score (`d`, on the 1-5
scale, so -4 to 4). Everything here is built from three sums over the group — the number of
people `n`, the sum of their changes `Σd` and the sum of their squares `Σd²` — so that the
dashboard's small-group rule for sums (`analytics.suppression.protect_sums`) covers every figure
shown: a figure is hidden exactly when those sums are.

- **Mean change** `Σd / n`.
- **95% confidence interval** of the mean change: the paired t interval,
  mean ± t(0.975, n - 1) · s_d / √n, with s_d the standard deviation of the changes (n - 1 in
  the denominator) and the t quantile from `scipy.stats.t` (no table of our own).
- **Effect size: Cohen's d_z** = mean change / s_d (Lakens, D. (2013). "Calculating and
  reporting effect sizes to facilitate cumulative science: a practical primer for t-tests and
  ANOVAs". *Frontiers in Psychology* 4:863, equation 6). Lakens recommends d_av (the mean
  change over the average of the two rounds' standard deviations) for comparing a pre-post
  result with between-groups studies; we report d_z because it needs nothing but the changes.
  d_av would need each round's spread over the paired set, and the two comparisons of a group
  (baseline → end, baseline → a year later) pair nested-but-different sets of people: their
  baseline statistics could be subtracted one from the other to learn about the people in one
  set and not the other. d_z, the t statistic over √n, tells how consistent the change is
  across people; it runs larger than d_av when people's two scores are strongly correlated.
- **Plain words** for d_z: Cohen's (1988) rough conventions — under 0.2 negligible, from 0.2
  small, from 0.5 medium, from 0.8 large — a guide only (Lakens, section "Interpreting effect
  sizes", warns they were set for between-groups d).
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

CONFIDENCE = 0.95
# Cohen's (1988) conventions, from the largest down: (lower bound of |d|, label key).
SIZE_BANDS = ((0.8, "large"), (0.5, "medium"), (0.2, "small"), (0.0, "negligible"))


@dataclass(frozen=True)
class Change:
    """A paired change over `n` people: `mean` change (scale points), its confidence interval
    `low`-`high` (None for fewer than 2 people) and Cohen's `d_z` (None for fewer than 2 people
    or when everyone changed by exactly the same amount, so there is no spread to divide by)."""

    n: int
    mean: float
    low: float | None
    high: float | None
    d_z: float | None


def paired_change(
    n: int, total: float, squares: float, *, confidence: float = CONFIDENCE
) -> Change:
    """The change statistics of `n` paired people whose changes sum to `total` and whose
    squared changes sum to `squares`. Raises ValueError for n < 1 or a confidence outside
    (0, 1)."""
    if n < 1:
        raise ValueError(f"A change needs at least one person, not {n}.")
    if not 0 < confidence < 1:
        raise ValueError(f"The confidence is a share between 0 and 1, not {confidence}.")
    mean = total / n
    if n < 2:
        return Change(n, mean, None, None, None)
    # Σ(d - mean)² = Σd² - (Σd)²/n; rounding can make a zero spread slightly negative.
    variance = max(0.0, (squares - total * total / n) / (n - 1))
    sd = math.sqrt(variance)
    # Imported here: scipy.stats takes 1 to 4 s to import, and every process that loads the
    # URLconf (web workers, the task worker, `review_text`) would pay it at its first request.
    from scipy import stats as scipy_stats

    quantile = float(scipy_stats.t.ppf((1 + confidence) / 2, n - 1))
    half = quantile * sd / math.sqrt(n)
    d_z = mean / sd if sd > 1e-12 else None
    return Change(n, mean, mean - half, mean + half, d_z)


def size_key(d: float | None) -> str:
    """The size band of an effect size: "negligible", "small", "medium", "large", or "" when
    there is none."""
    if d is None:
        return ""
    for bound, key in SIZE_BANDS:
        if abs(d) >= bound:
            return key
    return "negligible"


def size_label(d: float | None) -> str:
    """The size band of an effect size in plain words (translated), "" when there is none."""
    labels = {
        "large": _("large"),
        "medium": _("medium"),
        "small": _("small"),
        "negligible": _("negligible"),
    }
    return labels.get(size_key(d), "")
