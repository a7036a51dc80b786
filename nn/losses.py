"""Losses as Modules, each a thin wrapper of its `nn.functional` twin."""
from . import functional as F
from .module import Module


class _Loss(Module):
    function = None

    def __init__(self, reduction="mean"):
        super().__init__()
        if reduction not in ("mean", "sum", "none"):
            raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
        self.reduction = reduction

    def forward(self, input, target):
        return type(self).function(input, target, reduction=self.reduction)

    def extra_repr(self):
        return f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    function = staticmethod(F.mse_loss)


class CrossEntropyLoss(_Loss):
    """Logits (N, C) against integer targets (N,) or class probabilities (N, C);
    (N, C, d1, ...) against (N, d1, ...) or probabilities of that shape, as PyTorch."""
    function = staticmethod(F.cross_entropy)


class NLLLoss(_Loss):
    """Log-probabilities (N, C) against integer targets (N,); (N, C, d1, ...)
    against (N, d1, ...), as PyTorch."""
    function = staticmethod(F.nll_loss)


class BCELoss(_Loss):
    function = staticmethod(F.binary_cross_entropy)


class BCEWithLogitsLoss(_Loss):
    function = staticmethod(F.binary_cross_entropy_with_logits)
