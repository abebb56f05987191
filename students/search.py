"""Accent- and case-insensitive search and sort on names.

`SearchKey(expression)` is the SQL twin of `search_normalize`: translate() on PostgreSQL, a
Python function registered on each SQLite connection (SQLite has no translate() and its lower()
only knows ASCII). Python normalises what the user types with the same table, so both sides agree.
"""

from django.db import NotSupportedError
from django.db.models import CharField, Func, Value
from django.db.models.functions import Lower, Replace

_ACCENTED = "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿ"
_PLAIN = "aaaaaaceeeeiiiinoooooouuuuyy"
_FROM = _ACCENTED + _ACCENTED.upper() + "-'’"
_TO = _PLAIN + _PLAIN + "   "
_LIGATURES = [("œ", "oe"), ("Œ", "oe"), ("æ", "ae"), ("Æ", "ae")]
_PYTHON_TABLE = str.maketrans(_FROM, _TO)
SQLITE_FUNCTION = "pix_search_key"


def search_normalize(text: str | None) -> str | None:
    """'Lefèvre-Cœur' -> 'lefevre coeur'."""
    if text is None:
        return None
    for ligature, plain in _LIGATURES:
        text = text.replace(ligature, plain)
    return text.lower().translate(_PYTHON_TABLE)


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: gives SQLite connections the normaliser."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FUNCTION, 1, search_normalize, deterministic=True
        )


class SearchKey(Func):
    arity = 1
    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("SearchKey needs PostgreSQL or SQLite.")

    def as_sqlite(self, compiler, connection, **extra_context):
        return Func.as_sql(self, compiler, connection, function=SQLITE_FUNCTION, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        expression = self.source_expressions[0]
        for ligature, plain in _LIGATURES:
            expression = Replace(expression, Value(ligature), Value(plain))
        translated = Func(Lower(expression), Value(_FROM), Value(_TO), function="translate")
        return compiler.compile(translated)
