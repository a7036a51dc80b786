"""nn: layers, losses, optimizers and training, built on autograd_core's
public API alone (so it is also a worked example of writing your own layers)."""
from . import data, datasets, functional, init, optim, scalar, utils, viz
from .activation import ELU, GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh
from .containers import ModuleDict, ModuleList, Sequential
from .conv import AvgPool2d, Conv2d, MaxPool2d
from .layers import Dense, Dropout, Embedding, Flatten, Identity, Linear
from .layerwise import layer_jacobians, layerwise_step
from .losses import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss
from .module import Buffer, Module, Parameter
from .normalization import BatchNorm1d, LayerNorm
from .serialization import load, save
from .training import History, fit
from . import export  # noqa: E402  (last: it converts the layers above)

__all__ = [
    "Module", "Parameter", "Buffer", "Sequential", "ModuleList", "ModuleDict",
    "Linear", "Dense", "Embedding", "Dropout", "Flatten", "Identity",
    "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "GELU", "Softplus", "Softmax", "LogSoftmax",
    "LayerNorm", "BatchNorm1d", "Conv2d", "MaxPool2d", "AvgPool2d",
    "MSELoss", "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss",
    "functional", "optim", "init", "utils", "scalar", "data", "datasets", "export", "save", "load",
    "fit", "History", "layerwise_step", "layer_jacobians", "viz",
]
