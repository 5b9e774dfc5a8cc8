"""The one exception a user can cause. The CLI prints it as one line (exit 2); the UI as a friendly line."""


class CoachError(Exception):
    """A problem with the user's input or setup, with a plain message that says what to do."""
