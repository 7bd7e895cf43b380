"""The one error type a user's mistake raises: the CLI prints it on one line, no traceback."""


class InputError(Exception):
    """Bad input: names the file (and line) and what is wrong with it."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem
