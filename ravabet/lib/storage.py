from django.core.files.storage import Storage, storages


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
