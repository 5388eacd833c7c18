"""Error types the CLI turns into one-line messages instead of tracebacks."""


class SeismoTrainingError(Exception):
    """Base class for problems a user can fix (bad data, bad arguments, bad model dir)."""


class DataError(SeismoTrainingError):
    """Input data is unusable. The message always names the source and the problem."""

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class PrometheusError(SeismoTrainingError):
    """Prometheus refused a query (transient=False) or kept failing after retries (True)."""

    def __init__(self, message: str, transient: bool = False):
        self.transient = transient
        super().__init__(message)


class ManifestError(SeismoTrainingError):
    """A manifest does not satisfy the schema or its semantic rules."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid manifest:\n  " + "\n  ".join(problems))
