"""The one exception for "refused as a whole, here is every problem"."""

from collections.abc import Iterable


class Rejected(Exception):
    """What the user sent is refused and nothing was written; `errors` lists every problem, in
    French, for the page or the API to show. Each app names its own subclass."""

    def __init__(self, errors: str | Iterable[str]):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("\n".join(self.errors))
