"""Settings for the test suite: the production settings with test conveniences switched on."""

import os

os.environ.setdefault("QM_TESTING", "1")

from qualitymonth.settings import *  # noqa: E402, F403
