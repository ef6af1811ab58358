"""Load everything a request would otherwise load on first use, at process start.

Called by ``onconav.config.wsgi`` (so in the gunicorn master with ``preload_app``, before the
workers fork and share the pages copy-on-write) and by the Celery worker on start. Only
file-based state is loaded here: nothing opens a database connection, which must not be shared
across a fork.
"""

from __future__ import annotations

import logging
import time

logger = logging.getLogger(__name__)

GC_THRESHOLD_0 = 5000  # the garbage collector's first threshold in a warmed-up process (default 700)


def warm_up() -> float:
    """Build the options engine and the file-based caches; return the seconds it took."""
    t0 = time.perf_counter()
    from onconav.api.versions import knowledge_base_version
    from onconav.content.selectors import _articles
    from onconav.kb.labels import _policy_labels
    from onconav.options.services import engine_get
    from onconav.pages.templatetags.site import _records

    engine_get()
    knowledge_base_version()
    _policy_labels()
    _articles()
    _records()
    # The engine and the knowledge base are hundreds of thousands of long-lived objects: move them
    # out of the garbage collector's generations, so that the collections a request's allocations
    # trigger do not walk them again and again (about half the options endpoint's time before),
    # and so that workers forked from a preloading master keep sharing their pages.
    import gc

    gc.collect()
    gc.freeze()
    # A request allocates tens of thousands of short-lived objects, almost all freed by reference
    # counting; with the default first threshold (700) the options endpoint still ran about one
    # young collection a request (0.15-0.35 ms each, in process at 100x data), with 5,000 one in
    # thirty (0.05 ms a request in all). The memory this holds back is a few thousand objects.
    gc.set_threshold(GC_THRESHOLD_0, *gc.get_threshold()[1:])
    seconds = time.perf_counter() - t0
    logger.info("knowledge base and engine loaded at start in %.1f s", seconds)
    return seconds
