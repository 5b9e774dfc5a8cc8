"""Generation backends behind one interface (`coach.backends.base.Generator`).

`load_generator` is the one place that picks and builds a backend; chat, `generate` and `evaluate` all use it.
"""
