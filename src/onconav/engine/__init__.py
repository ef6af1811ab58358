"""OncoNav treatment-options engine (pure Python: never imports Django).

    from onconav.engine import Engine, ProfileError, recommend
    answer = Engine(kb).recommend({"cancer": {"oncotree_code": "LUAD", "stage": "IV"}}, lang="en")

See docs/engine.md for how it reasons.
"""

from onconav.engine.answer import Answer
from onconav.engine.core import Engine, default_engine, recommend
from onconav.engine.profile import Profile, ProfileError, parse_profile

__all__ = ["Answer", "Engine", "Profile", "ProfileError", "default_engine", "parse_profile", "recommend"]
