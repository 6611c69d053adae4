"""Shown-recall forms compared on the same regions (window+overlap is the contract since the sixth session).

The ground truth re-reads a region at the end of the scan: each of its tokens comes back after + len
tokens after its first reading, so attention still holds it exactly when after + len <= W. Candidate
numbers, compared on the dumps of eval_recall.py --dump (val first: the floor is fitted there):
  decay       sum recall_weights * retention (the shown number until the fourth session)
  window      1 inside the window, else a floor (the median measured recall beyond it, on val)
  window+ssm  1 inside the window, else floor + (1 - floor) * decay (the contract in the fourth and
              fifth sessions)
  window+overlap  1 inside the window, else clip(floor' + a * overlap + b * decay, 0, 1), overlap the
              share of the region's bigram sketch found in the last W tokens read, floor', a and b
              from --previous (the sixth session's fit: the contract then)
  contract    what the fit file gives (eval_recall.py --fit), probe term included since the seventh
              session: clip(floor + a * overlap + p * probe + b * decay, 0, 1) beyond the window
  ceiling     not a number anyone can show: inside the window the measured recall itself, beyond it
              all tied; how far any number that cannot rank the regions beyond the window can go
Prints Spearman's rho (with a 95 % interval from resampling packages, since regions of one package
are not independent) and the mean absolute error against measured recall (clipped to [0, 1]).

    .venv/bin/python training/recall_window.py --weights W.json [--previous W6.json] VAL_DUMP EVAL_DUMP [MORE...]
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_recall import spearman  # noqa: E402
from onnx_model import read_recall_fit, shown_recall  # noqa: E402


def load(path, weights):
    rows = [json.loads(line) for line in open(path)]
    a, b, c = np.array([r["nll"] for r in rows]).T
    measured = (a - c) / (a - b)
    decay = np.array([r["ret"] for r in rows]) @ weights
    after = np.array([r["after"] for r in rows])
    length = np.array([r["len"] for r in rows])
    package = np.array([r["package"] for r in rows])
    overlap = np.array([r["overlap"] for r in rows])
    probe = np.array([r.get("probe", 0.0) for r in rows])
    return measured, decay, after, length, package, overlap, probe


def package_bootstrap(shown, measured, package, n_boot=1000, seed=0):
    """95 % interval of rho over packages drawn with replacement (all regions of a drawn package)."""
    rng = np.random.default_rng(seed)
    names = np.unique(package)
    rows = {n: np.flatnonzero(package == n) for n in names}
    rhos = []
    for _ in range(n_boot):
        idx = np.concatenate([rows[n] for n in rng.choice(names, len(names))])
        rhos.append(spearman(shown[idx], measured[idx]))
    return [round(float(np.nanpercentile(rhos, 2.5)), 3), round(float(np.nanpercentile(rhos, 97.5)), 3)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", required=True, help="eval_recall.py --fit's JSON for the dumps' model")
    ap.add_argument("--previous", help="an earlier fit file (the window+overlap form), for comparison")
    ap.add_argument("--window", type=int, default=512)
    ap.add_argument("dumps", nargs="+", help="val dump first (the floor is fitted on it), then others")
    args = ap.parse_args()
    fit = read_recall_fit(args.weights)
    weights = np.asarray(fit["weights"], dtype=np.float64).reshape(-1)
    prev = read_recall_fit(args.previous) if args.previous else None
    measured, _, after, length, _, _, _ = load(args.dumps[0], weights)
    floor = float(np.median(measured[after + length > args.window]))
    result = {"floor_fitted_on": args.dumps[0], "floor": round(floor, 4)}
    for path in args.dumps:
        measured, decay, after, length, package, overlap, probe = load(path, weights)
        inside = after + length <= args.window
        contract = lambda d, after=after, length=length: shown_recall(
            d[:, None], after, length, [1.0], floor, args.window
        )
        shown = {
            "decay": decay,
            "window": contract(np.zeros_like(decay)),
            "window+ssm": contract(decay),
            "contract": shown_recall(
                decay[:, None],
                after,
                length,
                [1.0],
                fit["floor"],
                args.window,
                overlap,
                fit["overlap"],
                fit["decay"],
                probe,
                fit["probe"],
            ),
            "ceiling": np.where(inside, 2 + measured, 0.0),
        }
        if prev is not None:
            prev_decay = np.array([json.loads(line)["ret"] for line in open(path)]) @ np.asarray(
                prev["weights"]
            ).reshape(-1)
            shown["window+overlap"] = shown_recall(
                prev_decay[:, None],
                after,
                length,
                [1.0],
                prev["floor"],
                args.window,
                overlap,
                prev["overlap"],
                prev["decay"],
            )
        target = np.clip(measured, 0, 1)
        result[path] = {
            "regions": len(measured),
            "inside_window": int(inside.sum()),
            **{
                k: {
                    "rho": round(spearman(v, measured), 4),
                    "rho_ci95": package_bootstrap(v, measured, package),
                    "mae": round(float(np.abs(v - target).mean()), 4),
                }
                for k, v in shown.items()
            },
        }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
