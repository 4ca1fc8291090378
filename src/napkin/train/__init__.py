"""Training Napkin's models on the CPU: one loop, one task per objective, typed configs, resumable runs.

    napkin train embedding --config embedding --data datasets/emb-train -o runs/embedding

    from napkin.train import TrainConfig, train, ContrastiveTask
    cfg = TrainConfig.from_file("embedding-tiny", ["steps=50"])
    report = train(ContrastiveTask(cfg, "datasets/emb-train"), cfg, "runs/tiny")
"""

from __future__ import annotations

from typing import Any

from napkin.train._config import TrainConfig, shipped_configs
from napkin.train._loop import Task, plot_curves, train

__all__ = ["ContrastiveTask", "Task", "TrainConfig", "plot_curves", "shipped_configs", "train"]


def __getattr__(name: str) -> Any:
    if name == "ContrastiveTask":  # imports torch: only when asked for
        from napkin.train._contrastive import ContrastiveTask

        return ContrastiveTask
    raise AttributeError(name)
