"""A CPU backend that needs nothing beyond torch: the torch model with int8 dynamic quantization of its Linears.

`torch.ao.quantization.quantize_dynamic` stores every `nn.Linear` weight as int8 and quantizes activations on the
fly; matrix multiplies run through int8 kernels (fbgemm/onednn), roughly halving time per token on a small CPU.
Everything else (prompts, batching, streaming, token counting) is the torch backend's.
"""

from __future__ import annotations

import logging
import time
import warnings

from coach.backends.torch import TorchGenerator
from coach.errors import CoachError

logger = logging.getLogger(__name__)


class TorchInt8Generator(TorchGenerator):
    """`coach.backends.base.Generator`: transformers on CPU with dynamically quantized (int8) Linear layers."""

    name = "torch-int8"

    def __init__(
        self,
        model: str,
        adapter: str | None = None,
        device: str | None = None,
        batch_size: int = 8,
        max_source_tokens: int | None = None,
    ) -> None:
        import torch
        from torch.ao.quantization import quantize_dynamic

        if device not in (None, "cpu"):
            raise CoachError(f"the torch-int8 backend runs on cpu only, not {device!r}; use --backend torch on GPUs")
        began = time.perf_counter()
        super().__init__(
            model, adapter=adapter, device="cpu", batch_size=batch_size, max_source_tokens=max_source_tokens
        )
        # A quantized copy: the fp32 model stays in coach.modeling's cache for anyone asking for --backend torch.
        with warnings.catch_warnings():  # torch announces a future move of these kernels to torchao; they work today
            warnings.filterwarnings("ignore", message=".*quantize_per_tensor.*", category=UserWarning)
            self.model = quantize_dynamic(self.model, {torch.nn.Linear}, dtype=torch.qint8)
        self.load_s = time.perf_counter() - began
        self.description = self.description.replace("(float32)", "(int8 dynamic quantization)")
