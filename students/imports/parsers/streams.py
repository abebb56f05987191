"""The file-like objects the parsers read: an upload, an open file, a zip member as it inflates,
or the reading module's wrappers (progress, spliced slices)."""

from typing import Protocol


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class BinarySource(Readable, Protocol):
    """A seekable file: its size is checked and its head read before it is parsed."""

    def seek(self, offset: int, whence: int = 0, /) -> int: ...

    def tell(self) -> int: ...
