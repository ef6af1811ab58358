import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onconav.config.settings")
application = get_wsgi_application()

# The knowledge base and the engine are built here, at process start (in the gunicorn master
# when preload_app is on), never on a user's request. WARM_UP=false turns it off (tests).
if os.environ.get("WARM_UP", "true").lower() not in {"0", "false", "no"}:
    from onconav.foundation.warmup import warm_up

    warm_up()
