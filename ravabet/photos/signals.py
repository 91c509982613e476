"""Hooks for the parts that show library photos, so the library never imports them."""

from django.dispatch import Signal

# Sent (inside the transaction) when what the public sees of a photo changes, e.g. its caption.
# Receivers refresh whatever caches it: news bumps the Last-Modified of the items showing it.
photo_changed = Signal()
