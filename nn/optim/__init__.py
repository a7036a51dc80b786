"""Optimizers (`SGD`, `Adam`, `AdamW`, `RMSprop`) with PyTorch's parameter
groups, and learning-rate schedulers in `nn.optim.lr_scheduler`."""
from . import lr_scheduler
from .algorithms import SGD, Adam, AdamW, RMSprop
from .optimizer import Optimizer

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "lr_scheduler"]
