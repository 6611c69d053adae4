"""Write media/model/{scan.onnx, query.onnx, token_nll.onnx, card.json} from a trained checkpoint (or
random weights).

    python training/export.py --ckpt runs/hybrid/model.safetensors --out media/model \
        [--evals runs/hybrid/evals.json] [--recall-weights runs/hybrid/recall_weights.json]
    python training/export.py --random --out media/model      # shapes only, for engine work
    python training/export.py --ckpt ... --int8 --out DIR     # scan.onnx with int8 projections
    python training/export.py --int8-only --out DIR           # the same step on an exported folder
    python training/export.py --from-graphs [--int8] --out DIR   # DIR's graphs again, from their own weights

--int8 quantises scan.onnx's projections (onnx_graphs.quantize_projections: int8 weights, activations
quantised per token; docs/model.md, "int8 projections"); --int8-only applies that step to a folder an
earlier export wrote with fp32 projections, and refreshes its card. --from-graphs writes a folder's
graphs anew with the current export code (a changed graph structure) from the weights they hold
(weights_from_onnx: the same fp16 values), keeping its card's evals, shown-recall parameters and
hashes of tokenizer and corpus, and refreshing the model hash, sizes and scan_int8.

The checkpoint is a safetensors file whose metadata holds the Config as JSON ("config").
"""

import argparse
import hashlib
import json
import sys
from pathlib import Path

import torch
from safetensors.torch import load_file, safe_open

sys.path.insert(0, str(Path(__file__).resolve().parent))
from model import Config, Longview  # noqa: E402
from onnx_graphs import (  # noqa: E402
    WTE_INITIALIZER,
    export_query,
    export_scan,
    export_token_nll,
    flops_per_token,
    quantize_projections,
    round_weights_to_fp16,
    weights_from_onnx,
)
from onnx_model import PROBE_TOKENS, SKETCH_SIZE, read_recall_fit  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CARD_VERSION = 1
MAX_QUERY = 64  # query tokens kept, <|query|> included
REREAD_BELOW = 0.5  # shown recall under which the engine re-reads a memory hit


def sha256(path):
    p = Path(path)
    return hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else None


def load_checkpoint(path):
    with safe_open(str(path), framework="pt") as f:
        cfg = Config(**json.loads(f.metadata()["config"]))
    model = Longview(cfg)
    model.load_state_dict(load_file(str(path)))
    return model


def model_hash(out_dir, tokenizer):
    """(sha256, file names) over the three files the engine loads, in this order: identity for caches."""
    files = [out_dir / "scan.onnx", out_dir / "query.onnx", tokenizer]
    h = hashlib.sha256()
    for f in files:
        if Path(f).exists():
            h.update(Path(f).read_bytes())
    return h.hexdigest(), [Path(f).name for f in files if Path(f).exists()]


def build_card(cfg, out_dir, tokenizer, manifest, evals, recall, params):
    """recall: read_recall_fit's dict, or None before any fit (uniform weights, floor 0, no overlap)."""
    digest, covers = model_hash(out_dir, tokenizer)
    if recall is None:  # no fit yet: every (layer, head) counts the same
        recall = {
            "weights": [[1.0 / (cfg.n_ssd * cfg.n_head)] * cfg.n_head for _ in range(cfg.n_ssd)],
            "floor": 0.0,
            "overlap": 0.0,
            "decay": 1.0,
            "probe": 0.0,
            "probe_tokens": PROBE_TOKENS,
            "sketch_size": SKETCH_SIZE,
        }
    return {
        "version": CARD_VERSION,
        "model_hash": digest,
        "model_hash_covers": covers,
        "chunk": cfg.chunk,
        "NS": cfg.n_ssd,
        "H": cfg.n_head,
        "DK": cfg.d_key,
        "DV": cfg.d_value,
        "NA": cfg.n_attn,
        "HA": cfg.n_head_attn,
        "W": cfg.window,
        "HD": cfg.d_head_attn,
        "R": cfg.readout_dim,
        "recall_weights": recall["weights"],
        "recall_floor": round(recall["floor"], 6),
        "recall_overlap": round(recall["overlap"], 6),
        "recall_decay": round(recall["decay"], 6),
        "recall_sketch_size": recall["sketch_size"],
        "recall_probe": round(recall["probe"], 6),
        "recall_probe_tokens": recall["probe_tokens"],
        "token_nll": {"graph": "token_nll.onnx", "wte": WTE_INITIALIZER},
        "reread_below": REREAD_BELOW,
        "max_query": MAX_QUERY,
        "flops_per_token": flops_per_token(cfg),
        "vocab_size": cfg.vocab_size,
        "special_tokens": {"<|pad|>": 0, "<|file|>": 1, "<|query|>": 2, "<|eos|>": 3},
        "scan_outputs": ["ssm_state_out", "kv_state_out", "kv_len_out", "log_decay", "readout", "hidden"],
        "query_outputs": ["embedding"],
        "params_scan": params,
        "config": cfg.to_dict(),
        "tokenizer_sha256": sha256(tokenizer),
        "corpus_manifest_sha256": sha256(manifest),
        "evals": evals,
        "files": files_note(out_dir),
    }


def files_note(out):
    """Sizes of the shipped files and why they are that size (the extension carries them)."""
    names = ["scan.onnx", "query.onnx", "token_nll.onnx", "tokenizer.json"]
    return {
        "bytes": {n: (out / n).stat().st_size for n in names if (out / n).exists()},
        "why": "Each graph holds the whole trunk (5.6M parameters, 2.1M of them the embedding) stored as "
        "fp16 with a Cast to fp32 at load: half the fp32 size, so both graphs and the tokenizer stay "
        "under the 25 MB budget; computation is fp32, except scan.onnx's projections, int8 when "
        "scan_int8 is true (per-channel weights, activations quantised per token: faster, and smaller). "
        "token_nll.onnx (the recall probe's LM head) holds no weights: the engine passes it scan.onnx's "
        "own embedding.",
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", help="safetensors checkpoint with its config in the metadata")
    ap.add_argument("--random", action="store_true", help="random weights (seed 0), default Config")
    ap.add_argument("--out", default=str(ROOT / "media/model"))
    ap.add_argument("--tokenizer", default=str(ROOT / "media/model/tokenizer.json"))
    ap.add_argument("--manifest", default=str(ROOT / "training/corpus/manifest.json"))
    ap.add_argument(
        "--evals",
        help="JSON file of eval figures to put in the card (with --int8-only or --from-graphs: added to its evals)",
    )
    ap.add_argument("--recall-weights", help="the shown recall's parameters fitted by eval_recall.py --fit")
    ap.add_argument("--int8", action="store_true", help="quantise scan.onnx's projections to int8")
    ap.add_argument(
        "--int8-only",
        action="store_true",
        help="only quantise the projections of --out's scan.onnx (exported without --int8) "
        "and refresh its card's hash, sizes and scan_int8",
    )
    ap.add_argument(
        "--from-graphs",
        action="store_true",
        help="export --out's graphs again from the weights they hold, keeping its card's evals and "
        "recall parameters (with --int8: scan.onnx's projections quantised)",
    )
    args = ap.parse_args()
    if args.int8_only or args.from_graphs:
        out = Path(args.out)
        card = json.loads((out / "card.json").read_text())
        if args.from_graphs:
            model = Longview(Config(**card["config"]))
            model.load_state_dict(weights_from_onnx(out / "scan.onnx", out / "query.onnx"))
            export_scan(model.eval(), out / "scan.onnx", int8=args.int8)
            export_query(model, out / "query.onnx")
            export_token_nll(model.cfg, out / "token_nll.onnx")
            card["scan_int8"] = args.int8
        else:
            quantize_projections(out / "scan.onnx")
            card["scan_int8"] = True
        card["model_hash"], card["model_hash_covers"] = model_hash(out, args.tokenizer)
        card["files"] = files_note(out)
        if args.evals:  # figures measured on these graphs, added to the card's
            card["evals"].update(json.loads(Path(args.evals).read_text()))
        (out / "card.json").write_text(json.dumps(card, indent=1) + "\n")
        print(json.dumps({"model_hash": card["model_hash"], "bytes": card["files"]["bytes"]}))
        return
    if not args.ckpt and not args.random:
        sys.exit("export.py: give --ckpt PATH or --random")
    if args.ckpt:
        model = load_checkpoint(args.ckpt)
    else:
        torch.manual_seed(0)
        model = Longview(Config())
        with torch.no_grad():  # make the ones-initialised vectors distinct: the exporter merges
            for p in model.parameters():  # equal initializers, which would lose their names
                if p.dim() == 1:
                    p.add_(0.01 * torch.randn_like(p))
    model = round_weights_to_fp16(model.eval().float())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    export_scan(model, out / "scan.onnx", int8=args.int8)
    export_query(model, out / "query.onnx")
    export_token_nll(model.cfg, out / "token_nll.onnx")
    evals = json.loads(Path(args.evals).read_text()) if args.evals else {}
    recall = read_recall_fit(args.recall_weights) if args.recall_weights else None
    card = build_card(model.cfg, out, args.tokenizer, args.manifest, evals, recall, model.scan_params())
    card["scan_int8"] = args.int8
    (out / "card.json").write_text(json.dumps(card, indent=1) + "\n")
    sizes = {f.name: f.stat().st_size for f in out.iterdir() if f.is_file()}
    print(
        json.dumps(
            {
                "sizes": sizes,
                "total_mb": round(sum(sizes.values()) / 1e6, 2),
                "flops_per_token": card["flops_per_token"],
            }
        )
    )


if __name__ == "__main__":
    main()
