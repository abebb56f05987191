from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .logins import login_normalize


class IdentifiantOrEmailBackend(ModelBackend):
    """One login field for everyone: an e-mail (contains @) or a student's identifiant."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        User = get_user_model()
        login = login_normalize(username)
        lookup = {"email__iexact": login} if "@" in login else {"username": login}
        user = User.objects.filter(**lookup).first()
        if user is None:
            # Same cost as a real check, so timing does not tell which logins exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not user.one_time_password_expired
