"""Tiny T5 models built from a config, with ByT5's byte tokenizer (no download), for offline tests."""

from __future__ import annotations

from pathlib import Path


def build_tiny_t5(out_dir: Path, seed: int = 0, d_model: int = 32, layers: int = 2) -> Path:
    """Save a randomly initialised tiny T5 and a ByT5 tokenizer to `out_dir`; returns the dir."""
    import torch
    from transformers import ByT5Tokenizer, GenerationConfig, T5Config, T5ForConditionalGeneration

    torch.manual_seed(seed)
    tokenizer = ByT5Tokenizer()
    config = T5Config(
        vocab_size=len(tokenizer),
        d_model=d_model,
        d_kv=d_model // 4,
        d_ff=d_model * 2,
        num_layers=layers,
        num_decoder_layers=layers,
        num_heads=4,
        feed_forward_proj="gated-gelu",
        tie_word_embeddings=False,
        dropout_rate=0.0,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.pad_token_id,
    )
    model = T5ForConditionalGeneration(config)
    model.generation_config = GenerationConfig(
        decoder_start_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    out_dir = Path(out_dir)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir
