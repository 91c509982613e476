from django.core.files.storage import Storage, storages
from whitenoise.storage import CompressedManifestStaticFilesStorage


class PrivateStorage(Storage):
    """storages["private"] looked up on every use. A FileField evaluates its storage callable
    once, at import; this proxy lets a changed STORAGES setting (tests, late configuration)
    take effect instead of the storage seen at import time."""

    def __getattribute__(self, name):
        if name.startswith("__"):
            return object.__getattribute__(self, name)
        return getattr(storages["private"], name)


def private_storage() -> Storage:
    """For FileField(storage=private_storage): originals, certificates, attachments."""
    return PrivateStorage()


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Production's static files (WhiteNoise's compressed manifest storage) with each file's URL kept once
    found: the manifest does not change while the process runs, yet Django looks the hashed name up and joins
    and quotes the URL again on every `{% static %}` (eight on every page, about 0.3 ms; issue 11)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str, force: bool = False) -> str:
        """The URL (str) of the static file `name`, as the manifest storage gives it; raises ValueError as it
        does for a file missing from the manifest (manifest_strict)."""
        if force:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            found = self._urls[name] = super().url(name)
            return found
