"""gunicorn settings read from the working directory (`gunicorn ravabet.wsgi`): the application and every
view module are imported once in the master before the workers fork (issue 11 §5), so no visitor's
request waits for the imports (about 2 s a worker otherwise); workers share those pages of memory."""

import gc
import os

preload_app = True
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))


def when_ready(server):
    """Import the URLconf, and with it every view, form and template-tag module, before forking."""
    from django.urls import get_resolver

    server.log.info("preloaded %d URL patterns", len(get_resolver().url_patterns))
    # What the master loaded lives as long as the workers: out of the garbage collector's reach, a full
    # collection in a worker walks only what its requests made (a full walk of everything cost 110-170 ms
    # once every ~100 requests; issue 18 §5), and the forked workers keep those pages shared.
    gc.collect()
    gc.freeze()
