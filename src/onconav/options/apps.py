from django.apps import AppConfig
from django.conf import settings


class OptionsConfig(AppConfig):
    name = "onconav.options"
    label = "options"
    verbose_name = "Treatment options"

    def ready(self) -> None:
        # one engine per process, built at start-up (docs/engine.md, operations.md)
        if getattr(settings, "ENGINE_PRELOAD", False):
            from onconav.options.services import engine_get

            engine_get()
