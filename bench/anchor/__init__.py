"""The bench's anchor: a bare Django project whose page lists 20 of 100,000 rows through an index, served
by gunicorn exactly as the application is, so that every page's throughput and latency are read as a ratio
to it (issue 11 §7). `/ok/` is the plain "ok" page the cached public newsroom is compared with."""
