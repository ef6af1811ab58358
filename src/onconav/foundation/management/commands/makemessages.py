"""makemessages without fuzzy matching: a new string never inherits a wrong guess from a similar one
(the zh-Hans completeness test then lists it as untranslated instead)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
