"""Where the corpus pipeline reads and writes (all outputs under training/data/, which git ignores)."""
from pathlib import Path

TRAINING = Path(__file__).resolve().parent.parent
REPO = TRAINING.parent
MANIFEST_PATH = TRAINING / "corpus" / "manifest.json"
DATA = TRAINING / "data"
# npm pack tarballs: fetched inputs, kept out of training/data/ (the folder carried to the GPU)
NPM_DIR = TRAINING / "corpus" / "downloads" / "npm"
TOKENIZER_PATH = REPO / "media" / "model" / "tokenizer.json"
