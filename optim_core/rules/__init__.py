"""Every optimizer's update rule, one module per rule family, gathered by catalogue id.

To add an optimizer: a module here with its ``Hyper`` and ``State`` NamedTuples and its rule
(the shape is in ``common``), its ``RULES`` entry imported below, and its ``OptimizerSpec`` in
``optim_core.catalogue``. Its two kernels (``optim_core.kernels``) then exist by themselves.
"""
from . import adadelta, adagrad, adam, asgd, bfgs, momentum, nadam, nag, newton, radam, rmsprop, rprop, sgd
from .common import Report, Rule

RULES: dict = {}
for _module in (sgd, momentum, nag, asgd, rprop, adagrad, adadelta, rmsprop, adam, nadam, radam, newton, bfgs):
    RULES.update(_module.RULES)

__all__ = ["RULES", "Report", "Rule"]
