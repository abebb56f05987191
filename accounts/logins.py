"""One spelling per login, for logging in, the lockout and every rate limit keyed on a login.

Login ignores case and surrounding spaces; if the lockout counted the login as typed,
`LEA.MARTIN0103` would get fresh guesses while `lea.martin0103` is locked. NFKC also folds
look-alike spellings (full-width letters, ligatures) onto the plain one.
"""

import unicodedata


def login_normalize(login: str | None) -> str:
    """'  ＬＥＡ.Martin0103 ' -> 'lea.martin0103'; the same for staff e-mails."""
    return unicodedata.normalize("NFKC", login or "").strip().lower()


def axes_username(request, credentials: dict | None) -> str:
    """django-axes' AXES_USERNAME_CALLABLE: the normalised login, from the form or the backend."""
    if credentials:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "POST", {}).get("username")
    return login_normalize(typed)
