"""The one error Open311 answers with: the spec's list of {code, description}."""


class Open311Error(Exception):
    """One or more problems with a request, all answered with one HTTP status."""

    def __init__(self, status: int, *descriptions: str):
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = list(descriptions)
