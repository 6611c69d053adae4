"""Where the corpus pipeline reads and writes (all outputs under training/data/, which git ignores)."""

import os
from pathlib import Path

TRAINING = Path(__file__).resolve().parent.parent
REPO = TRAINING.parent
MANIFEST_PATH = TRAINING / "corpus" / "manifest.json"
# LONGVIEW_DATA (also read by training/data.py) moves the outputs, e.g. to check a rebuild is identical
DATA = Path(os.environ.get("LONGVIEW_DATA", TRAINING / "data"))
# npm pack tarballs: fetched inputs, kept out of training/data/ (the folder carried to the GPU)
NPM_DIR = TRAINING / "corpus" / "downloads" / "npm"
TOKENIZER_PATH = REPO / "media" / "model" / "tokenizer.json"
