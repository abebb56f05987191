"""The one way names are folded: for search, for sort, for identifiants and for matching
column labels. Accents, capitals, ligatures, hyphens and apostrophes are ignored, so LEFÈVRE,
"lefevre" and "Lefèvre" are one name to every page.

`SearchKey(expression)` is the SQL twin of `name_fold`: translate() on PostgreSQL, a Python
function registered on each SQLite connection (SQLite has no translate() and its lower() only
knows ASCII). Python folds what the user types with the same table, so both sides agree, and
Python sorts (`name_sort_key`) in the order the database sorts (`SearchKey`).
"""

import re
import unicodedata
from typing import Any, NoReturn, overload

from django.db import NotSupportedError
from django.db.models import CharField, Func, Value
from django.db.models.functions import Lower, Replace

_ACCENTED = "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿ"
_PLAIN = "aaaaaaceeeeiiiinoooooouuuuyy"
_FROM = _ACCENTED + _ACCENTED.upper() + "-'’"
_TO = _PLAIN + _PLAIN + "   "
_LIGATURES = [("œ", "oe"), ("Œ", "oe"), ("æ", "ae"), ("Æ", "ae")]
_PYTHON_TABLE = str.maketrans(_FROM, _TO)
# Letters that Unicode decomposition does not turn into ASCII (for identifiants).
_NOT_DECOMPOSED = str.maketrans(
    {"ß": "ss", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "ð": "d", "ı": "i"}
)
_NOT_A_LETTER = re.compile(r"[^a-z]")
# Named in the SQL of the generated column Student.search_name on SQLite: never rename.
SQLITE_FUNCTION = "pix_search_key"


@overload
def name_fold(text: str) -> str: ...
@overload
def name_fold(text: None) -> None: ...
def name_fold(text: str | None) -> str | None:
    """'Lefèvre-Cœur' -> 'lefevre coeur'."""
    if text is None:
        return None
    for ligature, plain in _LIGATURES:
        text = text.replace(ligature, plain)
    return text.lower().translate(_PYTHON_TABLE)


def name_sort_key(last_name: str, first_name: str) -> tuple[str, str]:
    """Alphabetical order as a French reader expects it (É sorts with E, case ignored), the
    same as the database's `SearchKey` order."""
    return name_fold(last_name), name_fold(first_name)


def name_ascii_letters(text: str) -> str:
    """'Jean-Baptiste' -> 'jeanbaptiste', 'Bœuf' -> 'boeuf', 'Łukasz' -> 'lukasz': the folded
    name, any other accent decomposed away, letters a-z only."""
    decomposed = unicodedata.normalize("NFKD", name_fold(text).translate(_NOT_DECOMPOSED))
    return _NOT_A_LETTER.sub("", decomposed.encode("ascii", "ignore").decode())


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: gives SQLite connections the normaliser."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, name_fold, deterministic=True)


class SearchKey(Func):
    arity = 1
    output_field = CharField()

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra_context: Any) -> NoReturn:
        raise NotSupportedError("SearchKey needs PostgreSQL or SQLite.")

    def as_sqlite(self, compiler, connection, **extra_context):
        return Func.as_sql(self, compiler, connection, function=SQLITE_FUNCTION, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        expression = self.source_expressions[0]
        for ligature, plain in _LIGATURES:
            expression = Replace(expression, Value(ligature), Value(plain))
        translated = Func(Lower(expression), Value(_FROM), Value(_TO), function="translate")
        return compiler.compile(translated)
