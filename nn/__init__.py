"""nn: layers, losses, optimizers and training, built on autograd_core's
public API alone (so it is also a worked example of writing your own layers)."""
from . import data, datasets, functional, init, optim, viz
from .layers import Dense, Flatten, Identity, Linear, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .layerwise import layer_jacobians, layerwise_step
from .losses import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss
from .module import Module, Parameter, Sequential
from .serialization import load, save
from .training import fit

__all__ = [
    "Module", "Parameter", "Sequential", "Linear", "Dense", "Sigmoid", "Tanh", "ReLU", "Softmax",
    "LogSoftmax", "Identity", "Flatten", "MSELoss", "CrossEntropyLoss", "NLLLoss", "BCELoss",
    "BCEWithLogitsLoss", "functional", "optim", "init", "data", "datasets", "save", "load", "fit",
    "layerwise_step", "layer_jacobians", "viz",
]
