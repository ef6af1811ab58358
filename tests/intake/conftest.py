from tests.cases.conftest import (  # noqa: F401
    admin_user,
    clinician,
    other_partner,
    partner,
    private_storage,
)
