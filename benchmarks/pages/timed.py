"""Run a page script and append how long the run took, in ms, to $BENCH_TIMING_LOG, with the
milliseconds the process has spent in the garbage collector so far (benchmarks/served.py).

The benchmark copies this file and the page under test into one folder and serves this one, so
Streamlit serves that folder's static/ (where the page publishes its map files) and every run's
script time is measured on the server, where the budget applies.
"""

import os
import sys
import time
from pathlib import Path

from benchmarks import served

started = time.perf_counter()
try:
    served.run(Path(__file__).with_name(sys.argv[1]))
finally:
    elapsed_ms = (time.perf_counter() - started) * 1000
    with open(os.environ["BENCH_TIMING_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{elapsed_ms:.2f} {served.spent_ms:.2f}\n")
