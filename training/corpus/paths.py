"""Where the corpus pipeline reads and writes (all outputs under training/data/, which git ignores)."""

import os
from pathlib import Path

TRAINING = Path(__file__).resolve().parent.parent
REPO = TRAINING.parent
MANIFEST_PATH = TRAINING / "corpus" / "manifest.json"
# LONGVIEW_DATA (also read by training/data.py) moves the outputs, e.g. to check a rebuild is identical
DATA = Path(os.environ.get("LONGVIEW_DATA", TRAINING / "data"))
# Fetched inputs (npm tarballs, .deb packages, Debian source tarballs), kept out of training/data/ (the
# folder carried to the GPU); LONGVIEW_DOWNLOADS moves them (several GB)
DOWNLOADS = Path(os.environ.get("LONGVIEW_DOWNLOADS", TRAINING / "corpus" / "downloads"))
NPM_DIR = DOWNLOADS / "npm"
TOKENIZER_PATH = REPO / "media" / "model" / "tokenizer.json"
RESERVED_PATH = REPO.parent / "shared" / "eval" / "reserved.txt"
ASK_REPOS_PATH = REPO / "bench" / "questions" / "repos.json"
