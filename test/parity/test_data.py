"""Training data and eval helpers (CPU, no corpus needed), one counted test per check: planted facts
and the needle eval agree on how a value is written (a needle eval that expected a token the training
never puts there once made every needle figure read 0), BM25 neighbours follow the formula, the
shown recall's form and fitting, and weight averages."""

import math
import re

import data
import lexical
import numpy as np
import pytest
import soup
import torch
import train
from data import utf16_to_index
from eval_recall import choose_recall, fit_coefficients, spearman, within_package_rho
from onnx_model import bigram_hashes, probe_from_token_nll, region_sketch, shown_recall, window_overlap
from safetensors.torch import load_file, save_file


@pytest.fixture(scope="module")
def tok():
    return data.load_tokenizer()


FILLER = (np.arange(20000) % 7000 + 300).astype(np.int64)


def test_planted_needles_spell_their_facts(tok):
    rng = np.random.default_rng(7)
    for _ in range(30):
        row, spans = data.plant_needles(tok, FILLER[:4097].copy(), rng, 8)
        assert len(row) == 4097 and len(spans) == 8
        for vs, vn in spans:
            before = tok.decode(row[:vs].tolist())
            key = re.findall(r'SECRET_(\w+) is "$', before)
            value = tok.decode(row[vs : vs + vn].tolist())[:6]
            assert key and f'SECRET_{key[0]} = "{value}";' in before, (key, value)


@pytest.mark.parametrize("distance", [64, 1024])
def test_needle_example_scores_the_value(tok, distance):
    rng = np.random.default_rng(7 + distance)
    for _ in range(20):
        seq, (vs, vn) = data.needle_example(tok, FILLER, distance, rng)
        text = tok.decode(seq.tolist())
        value = tok.decode(seq[vs : vs + vn].tolist())
        fact = re.search(r'SECRET_(\w+) = "(\w+)";', text)
        assert fact and value.strip() == fact.group(2), (value, fact and fact.group(2))
        assert text.endswith(f'is "{fact.group(2)}";\n')


def test_planted_repeat_is_exact_and_past_the_window():
    rng = np.random.default_rng(11)
    for _ in range(30):
        row = FILLER[:4097].copy()
        out, (dst, n) = data.plant_repeat(row, rng, min_gap=576)
        src = next(s for s in range(dst - 576 - n + 1) if np.array_equal(row[s : s + n], out[dst : dst + n]))
        assert len(out) == len(row) and 64 <= n <= 256 and dst - (src + n) >= 576, (dst, n, src)
        assert np.array_equal(out[:dst], row[:dst]) and np.array_equal(out[dst + n :], row[dst : len(row) - n])


@pytest.mark.parametrize("text,utf16,want", [("abc", 2, 2), ("a😀b", 3, 2), ("😀😀x", 4, 2), ("é😀", 1, 1)])
def test_utf16_offsets_map_to_code_points(text, utf16, want):
    assert utf16_to_index(text, utf16) == want


def test_bm25_neighbours_match_the_formula():
    docs = [
        "def parse_json(text): return json.loads(text)",
        "def parseYaml(text): return yaml.load(text)",
        "function readFile(path) { return fs.readFileSync(path) }",
        "def write_file(path, data): open(path)",
        "class JsonParser: parse json tokens",
        "fn parse_args() -> Args { Args::parse() }",
    ]
    queries = [
        "Parse JSON text.",
        "Parse YAML text.",
        "Read a file.",
        "Write data to a file.",
        "A JSON parser.",
        "Parse command line arguments.",
    ]
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
        want = [-d for score, d in scores[:2] if score > 0]  # zero-score docs tie: any order is right
        assert want and got[i][: len(want)].tolist() == want, (q, got[i].tolist(), scores[:3])


def test_pair_batch_keeps_bm25_neighbour_groups():
    pairs = [{"query_ids": [i]} for i in range(100)]
    neighbours = np.array([[(i + j) % 100 for j in range(1, 8)] for i in range(100)])
    idx = train.pair_indices(pairs, {}, np.random.default_rng(0), 32, 0.0, neighbours=neighbours, bm25_frac=0.5)
    assert len(set(idx)) == 32 and all((idx[0] + j) % 100 in idx for j in range(1, 8)), idx


# The contract's window rule, as the engine applies it (test/unit/region-math.test.ts has the same cases).
WINDOW_CASE = dict(after=[20, 80, 71], length=[30, 30, 30], weights=[[0.5, 0.5]], window=100)


def test_shown_recall_window_rule():
    got = shown_recall(np.array([[0.5, 1.0]] * 3), floor=0.2, **WINDOW_CASE)
    assert np.allclose(got, [1.0, 0.8, 0.8]), got


def test_shown_recall_with_overlap():
    got = shown_recall(
        np.array([[0.5, 1.0]] * 3), floor=-0.1, overlap=[0.9, 0.5, 0.0], overlap_coef=0.4, decay_coef=0.2, **WINDOW_CASE
    )
    assert np.allclose(got, [1.0, 0.25, 0.05]), got


def test_shown_recall_with_the_probe():
    got = shown_recall(
        np.array([[0.5, 1.0]] * 3),
        floor=-0.1,
        overlap=[0.9, 0.5, 0.0],
        overlap_coef=0.4,
        decay_coef=0.2,
        probe=[3.0, 0.5, 2.0],
        probe_coef=0.3,
        **WINDOW_CASE,
    )
    assert np.allclose(got, [1.0, 0.4, 0.65]), got


def test_bigram_hashes_sketch_and_window_overlap():
    # the overlap term (sixth session): same hash as the engine (test/unit has the same vectors), bottom-k sketch
    ids = [1, 523, 17, 8191, 0, 17, 8191, 42, 42, 42, 7000, 3]
    assert bigram_hashes(ids).tolist() == [
        3994332289,
        3153590234,
        4010093112,
        273159489,
        41655503,
        4010093112,
        4195535061,
        2902782494,
        2902782494,
        2475528041,
        3050456899,
    ]
    assert region_sketch(ids, 3).tolist() == [41655503, 273159489, 2475528041]
    assert window_overlap(region_sketch(ids, 3), [5, 17, 8191, 0, 9]) == 1 / 3
    assert window_overlap(region_sketch([4], 3), ids) == 0


# choose_recall: --fit keeps the number that ranks best. 40 regions, all beyond a window of 100.
AFTER = np.arange(40) * 50 + 600
LENGTH = np.full(40, 30)
MEASURED = np.random.default_rng(3).random(40)
NOISE = np.random.default_rng(7).random(40)
RANDOM_FEATS = np.random.default_rng(8).random((40, 4))


def test_choose_recall_when_one_head_ranks():
    feats = np.stack(
        [
            np.random.default_rng(4).random(40),
            np.random.default_rng(5).random(40),
            MEASURED**2,
            np.random.default_rng(6).random(40),
        ],
        1,
    )  # head 2 orders like measured
    fit, chosen = choose_recall(feats, NOISE, MEASURED, AFTER, LENGTH, 100, 2)
    assert chosen["candidate"].startswith("layer 1 head 0 alone"), chosen
    assert np.array_equal(fit["weights"], [0, 0, 1, 0]) and chosen["rho"] >= 0.999, (chosen, fit["weights"])


def test_choose_recall_when_overlap_ranks():
    fit, chosen = choose_recall(RANDOM_FEATS, MEASURED**3, MEASURED, AFTER, LENGTH, 100, 2)
    assert chosen["candidate"].endswith("window overlap") and chosen["rho"] >= 0.999 and fit["overlap"] > 0, (
        chosen,
        fit,
    )


def test_choose_recall_when_the_probe_ranks():
    fit, chosen = choose_recall(RANDOM_FEATS, NOISE, MEASURED, AFTER, LENGTH, 100, 2, probe=MEASURED * 3)
    assert chosen["candidate"].endswith("+ probe") and chosen["rho"] >= 0.999 and fit["probe"] > 0, (chosen, fit)


def test_choose_recall_leaves_a_noise_probe_out():
    fit, chosen = choose_recall(RANDOM_FEATS, MEASURED**3, MEASURED, AFTER, LENGTH, 100, 2, probe=NOISE)
    assert fit["probe"] == 0.0 or chosen["rho"] >= 0.999, (chosen, fit)


@pytest.mark.parametrize("noise_scale,want_probe", [(0.05, False), (0.2, True)])  # decay rho 0.9992 / 0.968; probe 1
def test_choose_recall_parsimony(noise_scale, want_probe):
    # a term that adds less than eval_recall.PARSIMONY of rho is left out, a bigger gain keeps it
    feats = np.stack([MEASURED + noise_scale * np.random.default_rng(9).random(40)] * 4, 1)
    fit, chosen = choose_recall(feats, NOISE, MEASURED, AFTER, LENGTH, 100, 2, probe=MEASURED)
    assert (fit["probe"] > 0) == want_probe, (chosen, fit)


def test_spearman_of_a_constant_is_zero_not_nan():
    assert spearman(np.ones(5), np.arange(5.0)) == 0.0


def test_within_package_rho_ranks_per_package():
    x = np.arange(8.0)
    got = within_package_rho(
        np.concatenate([x, x, np.ones(8)]), np.concatenate([x, -x, x]), np.repeat(["a", "b", "c"], 8)
    )
    assert got == (0.0, 2), got  # a ranks perfectly, b backwards, c shows one value (left out)


def test_fit_coefficients_drops_a_negative_term():
    c = fit_coefficients(1 - MEASURED, MEASURED, MEASURED, np.ones(40, bool))  # decay would count against
    assert c["decay"] == 0 and abs(c["overlap"] - 1) <= 1e-9 and abs(c["floor"]) <= 1e-9 and c["probe"] == 0, c


def test_fit_coefficients_with_the_probe():
    c = fit_coefficients(NOISE, NOISE, MEASURED, np.ones(40, bool), probe=2 * MEASURED - 0.5)  # the probe explains it
    assert abs(c["probe"] - 0.5) <= 1e-9 and abs(c["floor"] - 0.25) <= 1e-9 and abs(c["overlap"]) <= 1e-9, c


def test_probe_from_token_nll_reads_the_first_k_predicted_tokens():
    assert probe_from_token_nll([3.0, 2.0, 1.0, 5.0], [1.0, 1.5, 0.0, 0.0], k=2) == 2.5 / 4
    assert probe_from_token_nll([3.0, 2.0], [1.0, 1.5], k=16) == 2.5 / 2
    assert probe_from_token_nll([], [], 4) == 0


def test_soup_is_the_elementwise_mean_and_refuses_another_config(tmp_path, monkeypatch):
    a, b = tmp_path / "a.safetensors", tmp_path / "b.safetensors"
    save_file({"x": torch.tensor([1.0, 2.0], dtype=torch.float16)}, str(a), metadata={"config": "c", "tokens": "5"})
    save_file({"x": torch.tensor([3.0, 6.0], dtype=torch.float16)}, str(b), metadata={"config": "c", "tokens": "9"})
    monkeypatch.setattr("sys.argv", ["soup.py", "--out", str(tmp_path / "m.safetensors"), str(a), str(b)])
    soup.main()
    assert load_file(str(tmp_path / "m.safetensors"))["x"].tolist() == [2.0, 4.0]
    save_file({"x": torch.tensor([3.0, 6.0], dtype=torch.float16)}, str(b), metadata={"config": "other", "tokens": "9"})
    with pytest.raises(SystemExit):
        soup.main()
