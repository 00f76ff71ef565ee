"""One fixed colour (and head symbol) per optimizer, the same on every figure of the app.

The classroom set takes Okabe & Ito's colour-blind-safe palette (Okabe & Ito 2008, "Color
Universal Design"); the other optimizers take Paul Tol's "muted" scheme (personal.sron.nl/~pault),
darkened where a colour is too light to read on the pale contour map. Head symbols differ too,
so no pair of optimizers is told apart by colour alone.
"""
from optim_core.catalogue import OPTIMIZERS

COLOURS = {
    "sgd": "#000000",        # Okabe–Ito black
    "momentum": "#0072B2",   # blue
    "nag": "#56B4E9",        # sky blue
    "adagrad": "#009E73",    # bluish green
    "rmsprop": "#E69F00",    # orange
    "adam": "#D55E00",       # vermillion
    "amsgrad": "#CC79A7",    # reddish purple
    "asgd": "#882255",       # Tol wine
    "rprop": "#999933",      # Tol olive
    "adadelta": "#44AA99",   # Tol teal
    "adamw": "#AA4499",      # Tol purple
    "nadam": "#CC6677",      # Tol rose
    "radam": "#332288",      # Tol indigo
    "newton": "#117733",     # Tol green
    "diag_newton": "#6FA8C8",  # Tol cyan, darkened
    "bfgs": "#8C7A2E",       # Tol sand, darkened
}
SYMBOLS = {
    "sgd": "circle", "momentum": "square", "nag": "diamond", "adagrad": "triangle-up",
    "rmsprop": "pentagon", "adam": "star", "amsgrad": "hexagon", "asgd": "circle-open-dot",
    "rprop": "triangle-down", "adadelta": "cross", "adamw": "star-square", "nadam": "hourglass",
    "radam": "bowtie", "newton": "square-x", "diag_newton": "diamond-wide", "bfgs": "hexagram",
}
assert set(COLOURS) == set(OPTIMIZERS) == set(SYMBOLS), "every optimizer needs a colour and a symbol"


def rgb(hex_colour: str) -> tuple:
    """"#RRGGBB" as (r, g, b), 0–255."""
    h = hex_colour.lstrip("#")
    return tuple(int(h[k:k + 2], 16) for k in (0, 2, 4))


def colour(optimizer: str) -> str:
    return COLOURS[optimizer]


def symbol(optimizer: str) -> str:
    return SYMBOLS[optimizer]
