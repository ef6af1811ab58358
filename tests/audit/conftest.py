from tests.cases.conftest import private_storage  # noqa: F401 - fixture
from tests.privacy.conftest import world  # noqa: F401 - fixture
