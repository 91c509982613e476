"""The login backend: Django's ModelBackend, with the signed-in user of each request read from the per-process
copy kept under the people stamp (offices.kept) instead of one query a request (issue 11)."""

from django.contrib.auth.backends import ModelBackend

from . import kept


class KeptUserBackend(ModelBackend):
    """ModelBackend (password check, permissions) whose `get_user` — called by AuthenticationMiddleware on every
    request with the session's user id — reads offices.kept. A user changed or deactivated by any write is read
    afresh on the next request, since the write changes the people stamp (offices migration 0004)."""

    def get_user(self, user_id):
        """The active User with primary key `user_id` (int), or None (none, or not allowed to log in)."""
        user = kept.user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
