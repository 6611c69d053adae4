"""Training data checks (CPU, no corpus needed): planted facts and the needle eval agree on how a
value is written, and every planted value span spells the value its fact states. A needle eval that
expected a token the training never puts there once made every needle figure read 0."""
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))
import data  # noqa: E402

tok = data.load_tokenizer()
rng = np.random.default_rng(7)
filler = (np.arange(20000) % 7000 + 300).astype(np.int64)
failures = 0

for trial in range(30):   # plant_needles: each value span follows its cue and spells its fact's value
    row, spans = data.plant_needles(tok, filler[:4097].copy(), rng, 8)
    assert len(row) == 4097 and len(spans) == 8, (len(row), len(spans))
    for vs, vn in spans:
        before = tok.decode(row[:vs].tolist())
        key = re.findall(r'SECRET_(\w+) is "$', before)
        value = tok.decode(row[vs:vs + vn].tolist())[:6]
        if not key or f'SECRET_{key[0]} = "{value}";' not in before:
            failures += 1

for d in (64, 1024):      # needle_example: the scored span is the value, written as the fact writes it
    for _ in range(20):
        seq, (vs, vn) = data.needle_example(tok, filler, d, rng)
        text = tok.decode(seq.tolist())
        value = tok.decode(seq[vs:vs + vn].tolist())
        fact = re.search(r'SECRET_(\w+) = "(\w+)";', text)
        if not fact or value.strip() != fact.group(2) or not text.endswith(f'is "{fact.group(2)}";\n'):
            failures += 1
            print("needle_example mismatch:", repr(value), fact and fact.group(2))

for _ in range(30):       # plant_repeat: the copy is exact, past the window, and the row keeps its length
    row = filler[:4097].copy()
    out, (dst, n) = data.plant_repeat(row, rng, min_gap=576)
    src = next(s for s in range(dst - 576 - n + 1) if np.array_equal(row[s:s + n], out[dst:dst + n]))
    if len(out) != len(row) or not 64 <= n <= 256 or dst - (src + n) < 576 or \
            not np.array_equal(out[:dst], row[:dst]) or not np.array_equal(out[dst + n:], row[dst:len(row) - n]):
        failures += 1
        print("plant_repeat mismatch:", dst, n)

from eval_recall import utf16_to_index  # noqa: E402  the outline protocol maps the engine's UTF-16 offsets
for text, utf16, want in [("abc", 2, 2), ("a😀b", 3, 2), ("😀😀x", 4, 2), ("é😀", 1, 1)]:
    if utf16_to_index(text, utf16) != want:
        failures += 1
        print(f"utf16_to_index({text!r}, {utf16}) = {utf16_to_index(text, utf16)}, want {want}")

if failures:
    sys.exit(f"check_data: {failures} failures")
print("check_data: planted needles and the needle eval agree (30 rows x 8 facts, 40 eval examples); "
      "planted copies are exact and past the window (30 rows); "
      "UTF-16 offsets map to code points")
