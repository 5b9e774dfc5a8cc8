"""The Gradio app, one module per tab: chat.py, dataset.py, evaluation.py, about.py; app.py builds the whole.

`coach.ui.app.build_demo(settings)` returns the Blocks app without launching it, so tests can build and serve it.
"""
