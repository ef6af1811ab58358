from tests.cases.conftest import (  # noqa: F401
    admin_user,
    clinician,
    private_storage,
)
