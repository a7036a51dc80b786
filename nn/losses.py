"""Losses as Modules, each a thin wrapper of its `nn.functional` twin."""
from . import functional as F
from .module import Module


class _Loss(Module):
    """A loss with PyTorch's arguments in PyTorch's order (`weight` first where
    PyTorch has it, then the deprecated `size_average` and `reduce`), so that a
    positional argument means what it means there; the options not implemented
    here are refused unless they have their defaults (F._torch_options)."""
    function = None

    def __init__(self, reduction="mean", **options):
        super().__init__()
        F._torch_options(type(self).__name__, **options)
        if reduction not in ("mean", "sum", "none"):
            raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
        self.reduction = reduction

    def forward(self, input, target):
        return type(self).function(input, target, reduction=self.reduction)

    def extra_repr(self):
        return f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    function = staticmethod(F.mse_loss)

    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__(reduction, size_average=size_average, reduce=reduce)


class CrossEntropyLoss(_Loss):
    """Logits (N, C) against integer targets (N,) or class probabilities (N, C);
    (N, C, d1, ...) against (N, d1, ...) or probabilities of that shape, as PyTorch."""
    function = staticmethod(F.cross_entropy)

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean", label_smoothing=0.0):
        super().__init__(reduction, weight=weight, size_average=size_average,
                         ignore_index=ignore_index, reduce=reduce, label_smoothing=label_smoothing)


class NLLLoss(_Loss):
    """Log-probabilities (N, C) against integer targets (N,); (N, C, d1, ...)
    against (N, d1, ...), as PyTorch."""
    function = staticmethod(F.nll_loss)

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean"):
        super().__init__(reduction, weight=weight, size_average=size_average,
                         ignore_index=ignore_index, reduce=reduce)


class BCELoss(_Loss):
    function = staticmethod(F.binary_cross_entropy)

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(reduction, weight=weight, size_average=size_average, reduce=reduce)


class BCEWithLogitsLoss(_Loss):
    function = staticmethod(F.binary_cross_entropy_with_logits)

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean",
                 pos_weight=None):
        super().__init__(reduction, weight=weight, size_average=size_average, reduce=reduce,
                         pos_weight=pos_weight)
