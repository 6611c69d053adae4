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

import math  # noqa: E402
import lexical  # noqa: E402  BM25 hard negatives: the sparse scorer against a plain loop over the formula
docs = ["def parse_json(text): return json.loads(text)", "def parseYaml(text): return yaml.load(text)",
        "function readFile(path) { return fs.readFileSync(path) }", "def write_file(path, data): open(path)",
        "class JsonParser: parse json tokens", "fn parse_args() -> Args { Args::parse() }"]
queries = ["Parse JSON text.", "Parse YAML text.", "Read a file.", "Write data to a file.", "A JSON parser.",
           "Parse command line arguments."]
tokenised = [lexical.words(d) for d in docs]
avg = sum(map(len, tokenised)) / len(docs)
def bm25(q, d):
    total = 0.0
    for w in set(lexical.words(q)):
        n = sum(w in t for t in tokenised)
        tf = tokenised[d].count(w)
        if tf:
            idf = math.log(1 + (len(docs) - n + 0.5) / (n + 0.5))
            total += idf * tf * 2.5 / (tf + 1.5 * (0.25 + 0.75 * len(tokenised[d]) / avg))
    return total
got = lexical.bm25_neighbours(queries, docs, k=2, chunk=4)
for i, q in enumerate(queries):
    scores = sorted(((bm25(q, d), -d) for d in range(len(docs)) if d != i), reverse=True)
    want = [-d for score, d in scores[:2] if score > 0]   # zero-score docs tie: any order is right
    if not want or got[i][:len(want)].tolist() != want:
        failures += 1
        print("bm25_neighbours mismatch:", q, got[i].tolist(), scores[:3])
import train  # noqa: E402  a pair batch drawn as BM25 neighbour groups holds each anchor's neighbours
pairs = [{"query_ids": [i]} for i in range(100)]
neighbours = np.array([[(i + j) % 100 for j in range(1, 8)] for i in range(100)])
idx = train.pair_indices(pairs, {}, np.random.default_rng(0), 32, 0.0, neighbours=neighbours, bm25_frac=0.5)
if len(set(idx)) != 32 or not all((idx[0] + j) % 100 in idx for j in range(1, 8)):
    failures += 1
    print("pair_indices with BM25 neighbours:", idx)

from onnx_model import shown_recall  # noqa: E402  the contract's window rule, as the engine applies it
got = shown_recall(np.array([[0.5, 1.0]] * 3), after=[20, 80, 71], length=[30, 30, 30], weights=[[0.5, 0.5]],
                   floor=0.2, window=100)
if not np.allclose(got, [1.0, 0.8, 0.8]):
    failures += 1
    print("shown_recall:", got, "want [1, 0.8, 0.8] (test/unit/region-math.test.ts has the same cases)")

# the overlap term (sixth session): same hash as the engine (test/unit has the same vectors), bottom-k sketch
from onnx_model import bigram_hashes, region_sketch, window_overlap  # noqa: E402
ids = [1, 523, 17, 8191, 0, 17, 8191, 42, 42, 42, 7000, 3]
want = [3994332289, 3153590234, 4010093112, 273159489, 41655503, 4010093112, 4195535061, 2902782494, 2902782494,
        2475528041, 3050456899]
if bigram_hashes(ids).tolist() != want or region_sketch(ids, 3).tolist() != [41655503, 273159489, 2475528041]:
    failures += 1
    print("bigram hashes / sketch:", bigram_hashes(ids).tolist(), region_sketch(ids, 3).tolist())
if window_overlap(region_sketch(ids, 3), [5, 17, 8191, 0, 9]) != 1 / 3 or window_overlap(region_sketch([4], 3), ids) != 0:
    failures += 1
    print("window_overlap:", window_overlap(region_sketch(ids, 3), [5, 17, 8191, 0, 9]))
got = shown_recall(np.array([[0.5, 1.0]] * 3), after=[20, 80, 71], length=[30, 30, 30], weights=[[0.5, 0.5]],
                   floor=-0.1, window=100, overlap=[0.9, 0.5, 0.0], overlap_coef=0.4, decay_coef=0.2)
if not np.allclose(got, [1.0, 0.25, 0.05]):
    failures += 1
    print("shown_recall with overlap:", got, "want [1, 0.25, 0.05]")

from eval_recall import choose_recall, fit_coefficients  # noqa: E402  --fit keeps the number that ranks best
after = np.arange(40) * 50 + 600                     # all beyond a window of 100
length = np.full(40, 30)
measured = np.random.default_rng(3).random(40)
feats = np.stack([np.random.default_rng(4).random(40), np.random.default_rng(5).random(40),
                  measured ** 2, np.random.default_rng(6).random(40)], 1)   # head 2 orders like measured
noise = np.random.default_rng(7).random(40)
fit, chosen = choose_recall(feats, noise, measured, after, length, 100, 2)
if (not chosen["candidate"].startswith("layer 1 head 0 alone") or not np.array_equal(fit["weights"], [0, 0, 1, 0])
        or chosen["rho"] < 0.999):
    failures += 1
    print("choose_recall (decay ranks):", chosen, fit["weights"])
fit, chosen = choose_recall(np.random.default_rng(8).random((40, 4)), measured ** 3, measured, after, length, 100, 2)
if not chosen["candidate"].endswith("window overlap") or chosen["rho"] < 0.999 or fit["overlap"] <= 0:
    failures += 1
    print("choose_recall (overlap ranks):", chosen, fit)
from eval_recall import within_package_rho  # noqa: E402  per workspace, not pooled
x = np.arange(8.0)
got = within_package_rho(np.concatenate([x, x, np.ones(8)]), np.concatenate([x, -x, x]), np.repeat(["a", "b", "c"], 8))
if got != (0.0, 2):   # a ranks perfectly, b backwards, c shows one value (left out)
    failures += 1
    print("within_package_rho:", got, "want (0.0, 2)")
c = fit_coefficients(1 - measured, measured, measured, np.ones(40, bool))   # decay would count against
if c["decay"] != 0 or abs(c["overlap"] - 1) > 1e-9 or abs(c["floor"]) > 1e-9 or c["probe"] != 0:
    failures += 1
    print("fit_coefficients kept a negative term:", c)
c = fit_coefficients(noise, noise, measured, np.ones(40, bool), probe=2 * measured - 0.5)   # the probe explains it
if abs(c["probe"] - 0.5) > 1e-9 or abs(c["floor"] - 0.25) > 1e-9 or c["overlap"] != 0 and abs(c["overlap"]) > 1e-9:
    failures += 1
    print("fit_coefficients with the probe:", c, "want probe 0.5, floor 0.25")
# the probe form (seventh session) is chosen when the probe ranks best, and only then
fit, chosen = choose_recall(np.random.default_rng(8).random((40, 4)), noise, measured, after, length, 100, 2,
                            probe=measured * 3)
if not chosen["candidate"].endswith("+ probe") or chosen["rho"] < 0.999 or fit["probe"] <= 0:
    failures += 1
    print("choose_recall (probe ranks):", chosen, fit)
fit, chosen = choose_recall(np.random.default_rng(8).random((40, 4)), measured ** 3, measured, after, length, 100, 2,
                            probe=noise)
if fit["probe"] > 0.0 and chosen["rho"] < 0.999:
    failures += 1
    print("choose_recall (overlap ranks, probe noise):", chosen, fit)
# parsimony: a term that adds less than eval_recall.PARSIMONY of rho is left out, a bigger gain keeps it
for noise_scale, want_probe in ((0.05, False), (0.2, True)):   # decay rho 0.9992 and 0.968; probe 1
    feats_p = np.stack([measured + noise_scale * np.random.default_rng(9).random(40)] * 4, 1)
    fit, chosen = choose_recall(feats_p, noise, measured, after, length, 100, 2, probe=measured)
    if (fit["probe"] > 0) != want_probe:
        failures += 1
        print(f"choose_recall parsimony (decay noise {noise_scale}):", chosen, fit)
got = shown_recall(np.array([[0.5, 1.0]] * 3), after=[20, 80, 71], length=[30, 30, 30], weights=[[0.5, 0.5]],
                   floor=-0.1, window=100, overlap=[0.9, 0.5, 0.0], overlap_coef=0.4, decay_coef=0.2,
                   probe=[3.0, 0.5, 2.0], probe_coef=0.3)
if not np.allclose(got, [1.0, 0.4, 0.65]):
    failures += 1
    print("shown_recall with the probe:", got, "want [1, 0.4, 0.65] (test/unit/region-math.test.ts has the same cases)")
from onnx_model import probe_from_token_nll  # noqa: E402  first k predicted tokens, per token of the region
if (probe_from_token_nll([3.0, 2.0, 1.0, 5.0], [1.0, 1.5, 0.0, 0.0], k=2) != 2.5 / 4
        or probe_from_token_nll([3.0, 2.0], [1.0, 1.5], k=16) != 2.5 / 2 or probe_from_token_nll([], [], 4) != 0):
    failures += 1
    print("probe_from_token_nll:", probe_from_token_nll([3.0, 2.0, 1.0, 5.0], [1.0, 1.5, 0.0, 0.0], k=2))

import tempfile  # noqa: E402
import torch  # noqa: E402
from safetensors.torch import save_file, load_file  # noqa: E402
import soup  # noqa: E402  a weight average is the element-wise mean and refuses a different config
with tempfile.TemporaryDirectory() as tmp:
    a, b = (Path(tmp) / "a.safetensors", Path(tmp) / "b.safetensors")
    save_file({"x": torch.tensor([1.0, 2.0], dtype=torch.float16)}, str(a), metadata={"config": "c", "tokens": "5"})
    save_file({"x": torch.tensor([3.0, 6.0], dtype=torch.float16)}, str(b), metadata={"config": "c", "tokens": "9"})
    sys.argv = ["soup.py", "--out", f"{tmp}/m.safetensors", str(a), str(b)]
    soup.main()
    if load_file(f"{tmp}/m.safetensors")["x"].tolist() != [2.0, 4.0]:
        failures += 1
        print("soup mean:", load_file(f"{tmp}/m.safetensors")["x"])
    save_file({"x": torch.tensor([3.0, 6.0], dtype=torch.float16)}, str(b), metadata={"config": "other", "tokens": "9"})
    try:
        soup.main()
        failures += 1
        print("soup accepted checkpoints of different configs")
    except SystemExit:
        pass

if failures:
    sys.exit(f"check_data: {failures} failures")
print("check_data: planted needles and the needle eval agree (30 rows x 8 facts, 40 eval examples); "
      "planted copies are exact and past the window (30 rows); "
      "UTF-16 offsets map to code points; BM25 neighbours match the formula; pair batches keep them; shown recall's window rule; "
      "bigram sketch and window overlap; recall number chosen by rho, no negative terms; weight averages")
