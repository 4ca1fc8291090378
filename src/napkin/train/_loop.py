"""One training loop for every objective: the task says what a batch and a loss are, the loop does the rest.

The loop owns what every run needs: AdamW with warm-up and cosine decay, gradient clipping,
a progress bar with the loss and the rate, evaluation at intervals, curves (JSON and PNG),
and checkpoints written atomically every few steps so that a killed run resumes where it
stopped (same config, same data order: the batch RNG is reseeded from the step).
"""

from __future__ import annotations

import json
import math
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from napkin._extras import require
from napkin.errors import ConfigError
from napkin.train._config import TrainConfig

CHECKPOINT = "checkpoint.pt"


class Task(Protocol):
    name: str

    def build(self) -> Any:
        """The model to train (a torch module with `.config`)."""
        ...

    def loss(self, model: Any, step: int) -> tuple[Any, dict[str, float], int]:
        """(loss tensor, numbers to log, samples used) for one batch; the batch is drawn from `step`."""
        ...

    def evaluate(self, model: Any) -> dict[str, float]:
        ...

    def finish(self, model: Any, out: Path, history: dict[str, Any]) -> dict[str, Any]:
        """Save the trained model's artefacts (weights, exports); returns what to report."""
        ...


def _lr_at(cfg: TrainConfig, step: int) -> float:
    if step < cfg.warmup:
        return cfg.lr * (step + 1) / cfg.warmup
    t = (step - cfg.warmup) / max(1, cfg.steps - cfg.warmup)
    return cfg.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, t))))


def _comparable(cfg: dict[str, Any]) -> dict[str, Any]:
    # What may change between a run and its resumption: how long it runs and how it reports.
    return {k: v for k, v in cfg.items() if k not in ("steps", "eval_every", "checkpoint_every", "log_every", "threads")}


def train(task: Task, cfg: TrainConfig, out: str | Path, restart: bool = False, progress: bool = True,
          on_eval: Callable[[int, dict[str, float]], None] | None = None) -> dict[str, Any]:
    """Run (or resume) `task` under `cfg`, writing everything into the folder `out`."""
    torch = require("torch", "train")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    model = task.build()
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2 and "pos" not in n]
    no_decay = [p for n, p in model.named_parameters() if p.ndim < 2 or "pos" in n]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}], lr=cfg.lr)
    history: dict[str, Any] = {"train": [], "eval": []}
    step = 0
    ckpt_path = out / CHECKPOINT
    if ckpt_path.exists() and not restart:
        state = torch.load(ckpt_path, map_location="cpu", weights_only=False)
        if _comparable(state["config"]) != _comparable(cfg.to_dict()):
            diff = sorted(k for k in _comparable(cfg.to_dict()) if state["config"].get(k) != cfg.to_dict().get(k))
            raise ConfigError(f"{out} holds a run with different settings ({', '.join(diff)}); use another -o folder or --restart")
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        step, history = int(state["step"]), state["history"]
    (out / "config.json").write_text(json.dumps(cfg.to_dict(), indent=2) + "\n")

    def save() -> None:
        tmp = ckpt_path.with_name(CHECKPOINT + ".tmp")
        torch.save({"config": cfg.to_dict(), "model": model.state_dict(), "optimizer": opt.state_dict(), "step": step,
                    "history": history}, tmp)
        os.replace(tmp, ckpt_path)
        (out / "history.json").write_text(json.dumps(history, indent=1) + "\n")

    stop: dict[str, int | None] = {"signal": None}

    def on_signal(signum: int, _frame: Any) -> None:
        stop["signal"] = signum

    previous = signal.signal(signal.SIGTERM, on_signal)
    from tqdm import tqdm

    bar = tqdm(total=cfg.steps, initial=step, desc=f"train {task.name}", unit="step", disable=not progress)
    samples, t0, losses = 0, time.perf_counter(), []
    try:
        model.train()
        while step < cfg.steps and stop["signal"] is None:
            for group in opt.param_groups:
                group["lr"] = _lr_at(cfg, step)
            loss, logs, n = task.loss(model, step)
            if not torch.isfinite(loss):
                raise FloatingPointError(f"loss is {float(loss.detach())} at step {step}; lower lr (now {cfg.lr}) or check the data")
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
            opt.step()
            step += 1
            samples += n
            losses.append(float(loss.detach()))
            if step % cfg.log_every == 0 or step == cfg.steps:
                rate = samples / max(time.perf_counter() - t0, 1e-9)
                history["train"].append({"step": step, "loss": sum(losses) / len(losses), "lr": _lr_at(cfg, step - 1),
                                         "samples_per_s": rate, **logs})
                bar.set_postfix(loss=f"{sum(losses) / len(losses):.3f}", rate=f"{rate:.1f}/s")
                samples, t0, losses = 0, time.perf_counter(), []
            bar.update()
            if step % cfg.eval_every == 0 or step == cfg.steps:
                model.eval()
                with torch.no_grad():
                    metrics = task.evaluate(model)
                model.train()
                history["eval"].append({"step": step, **metrics})
                bar.write(f"step {step}: " + ", ".join(f"{k} {v:.3f}" for k, v in metrics.items()))
                if on_eval:
                    on_eval(step, metrics)
                plot_curves(history, out / "curves.png", title=f"{task.name} ({cfg.model})")
                t0 = time.perf_counter()  # evaluation time is not training time
            if step % cfg.checkpoint_every == 0:
                save()
    except KeyboardInterrupt:
        stop["signal"] = signal.SIGINT
    finally:
        bar.close()
        signal.signal(signal.SIGTERM, previous)
        save()
    if stop["signal"] is not None:
        return {"step": step, "stopped": True, "out": str(out)}
    model.eval()
    report = task.finish(model, out, history)
    plot_curves(history, out / "curves.png", title=f"{task.name} ({cfg.model})")
    return {"step": step, "stopped": False, "out": str(out), **report}


def plot_curves(history: dict[str, Any], path: Path, title: str = "") -> None:
    """Training loss and every evaluation metric against the step, as a PNG (JSON is in history.json)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return  # curves stay in history.json; matplotlib comes with the train extra
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    if history["train"]:
        ax1.plot([r["step"] for r in history["train"]], [r["loss"] for r in history["train"]], lw=1)
    ax1.set_xlabel("step")
    ax1.set_ylabel("training loss")
    ax1.grid(alpha=0.3)
    if history["eval"]:
        keys = [k for k in history["eval"][0] if k != "step"]
        for k in keys:
            ax2.plot([r["step"] for r in history["eval"]], [r.get(k, float("nan")) for r in history["eval"]], marker=".", label=k)
        ax2.legend(fontsize=8)
    ax2.set_xlabel("step")
    ax2.set_ylabel("validation (held apart from training pages)")
    ax2.grid(alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    tmp = path.with_name(path.name + ".tmp.png")
    fig.savefig(tmp, dpi=90)
    plt.close(fig)
    os.replace(tmp, path)
