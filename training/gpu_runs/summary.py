"""One line per evals.json (train.py's evals) with the figures a run is judged by: steps, bits per
byte, code-search MRR alone, question-form MRR, and in place (as the file is, and without the region's
doc), memory by distance (eval_memory), so a device call's log shows them without the per-language detail.

    python3 training/gpu_runs/summary.py A/evals.json B/evals.json
"""

import json
import sys
from pathlib import Path


def main():
    for name in sys.argv[1:]:
        path = Path(name)
        if not path.exists():
            print(f"{name}: missing")
            continue
        d = json.loads(path.read_text())
        r = d.get("retrieval", {})
        row = {
            "steps": d.get("steps"),
            "train_tokens": d.get("train_tokens"),
            "bpb": round(d["held_out"]["bpb"], 4) if "held_out" in d else None,
            "mrr_alone": round(r["mrr"], 4) if r.get("mrr") is not None else None,
            "question_alone": (r.get("question_form") or {}).get("mrr"),
            "mrr_in_place": (r.get("in_place") or {}).get("mrr"),
            "question_in_place": ((r.get("in_place") or {}).get("question_form") or {}).get("mrr"),
            "mrr_in_place_nodoc": (r.get("in_place_nodoc") or {}).get("mrr"),
            "n": r.get("n"),
        }
        for bucket, m in (d.get("memory") or {}).items():  # eval_memory: per distance bucket, and rho
            row[f"memory {bucket}"] = (
                m if not isinstance(m, dict) else {k: m.get(k) for k in ("mrr", "median_measured_recall")}
            )
        print(f"{name}: {json.dumps(row)}")


if __name__ == "__main__":
    main()
