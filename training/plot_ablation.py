"""Ablation figure and table for docs/model.md from the GPU run's outputs (training/gpu_runs/run.sh with ablation.txt).

    .venv/bin/python training/plot_ablation.py training/runs/ablation docs/model-ablation.png docs/model-ablation.json
Reads <run>/evals.json and <run>/log.jsonl of each run folder; writes the PNG (training LM loss by
tokens; held-out bits per byte and retrieval MRR per variant) and the figures as JSON."""

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(run_dir, png, table):
    runs = []
    for d in sorted(Path(run_dir).iterdir()):
        if (d / "evals.json").exists():
            ev = json.loads((d / "evals.json").read_text())
            log = [json.loads(line) for line in (d / "log.jsonl").read_text().splitlines() if line.strip()]
            runs.append((f"{ev['variant']} lr {ev['lr']:g}", ev, log))
    if not runs:
        sys.exit(f"no evals.json under {run_dir}")
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    for name, _, log in runs:
        a1.plot([r["tokens"] / 1e6 for r in log], [r["lm"] for r in log], label=name)
    a1.set_xlabel("training tokens (M)"), a1.set_ylabel("LM loss (nats/token)"), a1.legend()
    a1.set_title("next-token loss while training")
    names = [n for n, _, _ in runs]
    x = range(len(runs))
    a2.bar([i - 0.2 for i in x], [ev["held_out"]["bpb"] for _, ev, _ in runs], 0.4, label="bits per byte")
    a2.bar([i + 0.2 for i in x], [ev["retrieval"]["mrr"] for _, ev, _ in runs], 0.4, label="retrieval MRR")
    a2.set_xticks(list(x), names, rotation=20, fontsize=8), a2.legend()
    a2.set_title("held-out packages (equal params and tokens)")
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    rows = [
        {
            "run": n,
            "params": ev["params"],
            "train_tokens": ev["train_tokens"],
            "bpb": round(ev["held_out"]["bpb"], 3),
            "mrr": round(ev["retrieval"]["mrr"], 3),
            "needle": ev["needle"],
        }
        for n, ev, _ in runs
    ]
    Path(table).write_text(json.dumps(rows, indent=1) + "\n")
    for r in rows:
        print(r)


if __name__ == "__main__":
    main(*sys.argv[1:4])
