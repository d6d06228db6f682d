"""MiniLM for the topic tagger: in bfloat16 where the CPU computes it natively.

Tagging is all embedding (the classifier takes 1 % of the time), and the
demo seeder tags thousands of comments. Measured on the development and
held-out comments on one core: 190 comments a CPU-second with the shared
float32 model, 340 with a bfloat16 copy, the same tags batched and one
at a time (scores within 0.005 of each other) and the same development
micro-F1. int8 dynamic quantisation was faster still (500) but scales each
batch by its own largest value: 13 of 320 comments got other tags in a
batch than alone, so it was dropped.

The copy is the tagger's own (~45 MB): the knowledge base keeps the
float32 model its thresholds were tuned with. A CPU without bfloat16
instructions (AVX512-BF16 or AMX) would emulate them slowly, so there the
tagger shares the knowledge base's float32 model instead.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from crm.knowledge.encoder import Encoder, Vectors, load_encoder, model_dir

__all__ = ["BFloat16Encoder", "bfloat16_is_native", "load_topic_encoder"]


class BFloat16Encoder:
    """A sentence-transformers model in bfloat16 on the CPU, normalised output."""

    def __init__(self, path: Path) -> None:
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        # One thread, as the shared encoder: the action server's worker
        # threads already share two cores with Rasa.
        torch.set_num_threads(1)
        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        # local_files_only: a missing file must fail here, not start a download.
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._model = model.to(torch.bfloat16)

    def __call__(self, texts: Sequence[str]) -> Vectors:
        """Embed a batch; float32 rows, L2-normalised."""
        vectors = self._model.encode(
            list(texts),
            batch_size=64,
            normalize_embeddings=True,
            convert_to_tensor=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors.float().numpy(), dtype=np.float32)


def bfloat16_is_native() -> bool:
    """Whether this CPU multiplies bfloat16 matrices in hardware."""
    import torch

    # Private to torch.cpu, hence looked up: absent, the answer is no.
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(bool(getattr(torch.cpu, name, lambda: False)()) for name in checks)


_lock = threading.Lock()
_encoder: Encoder | None = None


def load_topic_encoder() -> Encoder:
    """The tagger's encoder, loaded once a process (a second or two).

    Guarded by a lock: two first comments tagged at once from worker
    threads must not load the model twice.
    """
    global _encoder
    with _lock:
        if _encoder is None:
            _encoder = (
                BFloat16Encoder(model_dir()) if bfloat16_is_native() else load_encoder()
            )
        return _encoder
