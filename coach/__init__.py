"""Coach: an open mental-health support chat app (flan-t5 behind a safety layer)."""

__version__ = "0.1.0"
