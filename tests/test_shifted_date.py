"""The shifted-date pass really shifts the machine's date (and only when asked)."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime

from tests.shifted_date import ENV, shifted_by


def test_the_system_date_is_shifted_only_in_the_shifted_pass():
    days = shifted_by()
    real = datetime.fromtimestamp(float(subprocess.check_output(
        [sys.executable, "-c", "import time; print(time.time())"], env={k: v for k, v in os.environ.items()
                                                                       if k != "ZHIBANG_TODAY"})))
    assert abs((date.today() - real.date()).days - days) <= 1
    if days:
        assert os.environ[ENV] and os.environ["ZHIBANG_TODAY"] == date.today().isoformat()
