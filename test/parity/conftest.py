"""The parity suite (pytest, CPU): training/ is importable as it is for its own scripts."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training"))
