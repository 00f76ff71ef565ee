"""The optimizer catalogue: every optimizer of the course notes as data.

Each entry names its hyperparameters (torch.optim's names where torch has the knob), their
defaults and teaching ranges, its variants, its update rule in LaTeX, the diagnostics it
produces and its source. The engine, the CLI and the app all read this one table.

To add an optimizer: write its rule in a module of ``optim_core/rules/`` (its ``Hyper`` fields are
the names below, in order) and add an ``OptimizerSpec`` below.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Hyper:
    """One hyperparameter. ``choices`` makes it a variant switch (stored as the index)."""
    name: str
    default: object
    min: float = 0.0
    max: float = 1.0
    log: bool = False
    help: str = ""
    choices: tuple = ()
    integer: bool = False

    @property
    def is_choice(self) -> bool:
        return bool(self.choices)


@dataclass(frozen=True)
class OptimizerSpec:
    id: str
    name: str
    family: str                   # basic | momentum | adaptive | second-order
    hyper: tuple                  # Hyper, in the rule's order: hyper[0] is always lr
    rule: str                     # LaTeX of the update, default variant
    summary: str
    source: str
    diagnostics: tuple = ()       # what it reports besides grad/update/lr/eff_lr: velocity, second_moment, raw_xy
    variant_rules: dict = field(default_factory=dict)   # value of a choice hyperparameter -> LaTeX
    schedulable: bool = True
    paper: str = ""               # the source's full citation, with its arXiv id, DOI or URL
    notes_defaults: dict = field(default_factory=dict)  # hyperparameter -> the course notes' value, where it differs

    def hyper_names(self) -> list:
        return [h.name for h in self.hyper]

    def defaults(self) -> dict:
        return {h.name: h.default for h in self.hyper}


def _lr(default, lo=1e-6, hi=10.0, help="learning rate η"):
    return Hyper("lr", default, lo, hi, log=True, help=help)


def _momentum(default=0.9):
    return Hyper("momentum", default, 0.0, 0.9999, help="momentum coefficient μ")


def _betas():
    return (Hyper("beta1", 0.9, 0.0, 0.9999, help="decay of the first moment β₁"),
            Hyper("beta2", 0.999, 0.0, 0.9999, help="decay of the second moment β₂"))


def _eps(default=1e-8):
    return Hyper("eps", default, 1e-12, 0.1, log=True, help="added to the denominator ε")


def _weight_decay(default):
    return Hyper("weight_decay", default, 0.0, 1.0, help="weight decay λ")


def _eps_placement():
    return Hyper("eps_placement", "outside", choices=("outside", "inside"),
                 help="ε outside the root (torch) or inside it (the course notes)")


def _bias_correction():
    return Hyper("bias_correction", True, choices=(True, False),
                 help="divide the moments by 1 − βᵗ (torch always does)")


def _damping():
    return Hyper("damping", 0.0, 0.0, 100.0, help="λ added to the curvature")


ADAM_RULE = (r"m_t=\beta_1 m_{t-1}+(1-\beta_1)g_t,\;v_t=\beta_2 v_{t-1}+(1-\beta_2)g_t^2,\;"
             r"\theta_t=\theta_{t-1}-\frac{\eta}{1-\beta_1^t}\,\frac{m_t}{\sqrt{v_t}/\sqrt{1-\beta_2^t}+\epsilon}")

ADAM_RULE_UNCORRECTED = (r"m_t=\beta_1 m_{t-1}+(1-\beta_1)g_t,\;v_t=\beta_2 v_{t-1}+(1-\beta_2)g_t^2,\;"
                         r"\theta_t=\theta_{t-1}-\eta\,\frac{m_t}{\sqrt{v_t}+\epsilon}")

OPTIMIZER_LIST = [
    OptimizerSpec(
        "sgd", "SGD", "basic", (_lr(0.01), _weight_decay(0.0)),
        r"\theta_t=\theta_{t-1}-\eta\,(g_t+\lambda\theta_{t-1})",
        "Step against the gradient. GD, SGD and mini-batch GD differ only in the gradient used.",
        "Robbins & Monro 1951; torch.optim.SGD",
        paper="H. Robbins & S. Monro, A Stochastic Approximation Method, Annals of Mathematical "
              "Statistics 22(3):400–407, 1951, doi:10.1214/aoms/1177729586"),
    OptimizerSpec(
        "momentum", "Momentum", "momentum",
        (_lr(0.01), _momentum(),
         Hyper("dampening", 0.0, 0.0, 0.9999, help="dampening of the new gradient (classic form)"),
         Hyper("form", "classic", choices=("classic", "ema", "lr_inside"),
               help="how the velocity is written")),
        r"v_t=\mu v_{t-1}+(1-d)\,g_t\;(v_1=g_1),\;\theta_t=\theta_{t-1}-\eta v_t",
        "A heavy ball: the velocity accumulates past gradients, damping zig-zags.",
        "Polyak 1964; torch.optim.SGD(momentum)", ("velocity",),
        {"ema": r"v_t=\mu v_{t-1}+(1-\mu)g_t,\;\theta_t=\theta_{t-1}-\eta v_t",
         "lr_inside": r"v_t=\mu v_{t-1}+\eta g_t,\;\theta_t=\theta_{t-1}-v_t"},
        paper="B. T. Polyak, Some methods of speeding up the convergence of iteration methods, USSR "
              "Computational Mathematics and Mathematical Physics 4(5):1–17, 1964, "
              "doi:10.1016/0041-5553(64)90137-5"),
    OptimizerSpec(
        "nag", "Nesterov (NAG)", "momentum",
        (_lr(0.01), _momentum(),
         Hyper("variant", "notes", choices=("notes", "pytorch"),
               help="look-ahead form of the notes, or torch.optim.SGD(nesterov=True)")),
        r"v_t=\mu v_{t-1}+\eta\nabla f(\theta_{t-1}-\mu v_{t-1}),\;\theta_t=\theta_{t-1}-v_t",
        "Momentum that looks ahead: the gradient is taken where the velocity is about to carry it.",
        "Nesterov 1983; Sutskever et al. 2013", ("velocity",),
        {"pytorch": r"b_t=\mu b_{t-1}+g_t\;(b_1=g_1),\;\theta_t=\theta_{t-1}-\eta\,(g_t+\mu b_t)"},
        paper="Y. Nesterov, A method for solving the convex programming problem with convergence rate "
              "O(1/k²), Doklady Akademii Nauk SSSR 269(3):543–547, 1983 (no DOI); the look-ahead form: "
              "I. Sutskever, J. Martens, G. Dahl & G. Hinton, On the importance of initialization and "
              "momentum in deep learning, ICML 2013, PMLR 28(3):1139–1147, "
              "https://proceedings.mlr.press/v28/sutskever13.html"),
    OptimizerSpec(
        "asgd", "Averaged SGD", "momentum",
        (_lr(0.01),
         Hyper("alpha", 0.99, 0.0, 0.9999, help="averaging weight α (0: arithmetic mean)"),
         Hyper("t0", 10, 1, 20000, integer=True, help="step at which averaging starts")),
        r"\theta_t=\theta_{t-1}-\eta g_t,\;\bar\theta_t=\alpha\bar\theta_{t-1}+(1-\alpha)\theta_t\;(t\ge t_0)",
        "Plain SGD whose iterates are averaged: the average is calmer than the noisy path.",
        "Polyak & Juditsky 1992; course notes", ("raw_xy",),
        paper="B. T. Polyak & A. B. Juditsky, Acceleration of Stochastic Approximation by Averaging, "
              "SIAM Journal on Control and Optimization 30(4):838–855, 1992, doi:10.1137/0330046"),
    OptimizerSpec(
        "rprop", "Rprop", "adaptive",
        (_lr(0.01, help="initial step size"),
         Hyper("eta_minus", 0.5, 0.01, 0.99, help="shrink factor on a sign change"),
         Hyper("eta_plus", 1.2, 1.01, 5.0, help="growth factor while the sign holds"),
         Hyper("step_min", 1e-6, 1e-12, 1.0, log=True, help="smallest step size"),
         Hyper("step_max", 50.0, 1e-3, 1000.0, log=True, help="largest step size")),
        r"\Delta_t=\mathrm{clip}(\Delta_{t-1}\cdot\{\eta^+,\eta^-,1\}),\;\theta_t=\theta_{t-1}-\Delta_t\,\mathrm{sign}(g_t)",
        "Uses only the sign of the gradient; each coordinate grows or shrinks its own step.",
        "Riedmiller & Braun 1993; torch.optim.Rprop", (), schedulable=False,
        paper="M. Riedmiller & H. Braun, A direct adaptive method for faster backpropagation learning: "
              "the RPROP algorithm, IEEE International Conference on Neural Networks 1993, pp. 586–591, "
              "doi:10.1109/ICNN.1993.298623"),
    OptimizerSpec(
        "adagrad", "AdaGrad", "adaptive",
        (_lr(0.1), Hyper("lr_decay", 0.0, 0.0, 1.0, help="lr decay per step"),
         Hyper("initial_accumulator_value", 0.0, 0.0, 10.0, help="starting value of the sum of squares"),
         _eps(1e-10), _eps_placement()),
        r"G_t=G_{t-1}+g_t^2,\;\theta_t=\theta_{t-1}-\frac{\eta}{\sqrt{G_t}+\epsilon}g_t",
        "Divides by the root of all past squared gradients: steep coordinates slow down for good.",
        "Duchi et al. 2011; torch.optim.Adagrad", ("second_moment",),
        {"inside": r"G_t=G_{t-1}+g_t^2,\;\theta_t=\theta_{t-1}-\frac{\eta}{\sqrt{G_t+\epsilon}}g_t"},
        paper="J. Duchi, E. Hazan & Y. Singer, Adaptive Subgradient Methods for Online Learning and "
              "Stochastic Optimization, Journal of Machine Learning Research 12(61):2121–2159, 2011, "
              "https://jmlr.org/papers/v12/duchi11a.html",
        notes_defaults={"lr": 0.01, "eps": 1e-8, "eps_placement": "inside"}),
    OptimizerSpec(
        "adadelta", "AdaDelta", "adaptive",
        (_lr(1.0, 0.01, 10.0, help="multiplier of the update"),
         Hyper("rho", 0.9, 0.0, 0.9999, help="decay ρ of both averages"),
         _eps(1e-6)),
        r"v_t=\rho v_{t-1}+(1-\rho)g_t^2,\;\Delta_t=\frac{\sqrt{u_{t-1}+\epsilon}}{\sqrt{v_t+\epsilon}}g_t,\;"
        r"u_t=\rho u_{t-1}+(1-\rho)\Delta_t^2,\;\theta_t=\theta_{t-1}-\eta\Delta_t",
        "Needs no learning rate: the step's units come from the average of past steps.",
        "Zeiler 2012; torch.optim.Adadelta", ("second_moment",),
        paper="M. D. Zeiler, ADADELTA: An Adaptive Learning Rate Method, 2012, arXiv:1212.5701"),
    OptimizerSpec(
        "rmsprop", "RMSProp", "adaptive",
        (_lr(0.01), Hyper("alpha", 0.99, 0.0, 0.9999, help="decay α of the squared average"),
         _eps(1e-8), _momentum(0.0),
         Hyper("centered", False, choices=(False, True), help="divide by the variance instead"),
         _eps_placement()),
        r"v_t=\alpha v_{t-1}+(1-\alpha)g_t^2,\;\theta_t=\theta_{t-1}-\frac{\eta}{\sqrt{v_t}+\epsilon}g_t",
        "AdaGrad with a memory that fades: the step size recovers after a steep stretch.",
        "Hinton 2012 (lecture 6e); torch.optim.RMSprop", ("velocity", "second_moment"),
        {"inside": r"v_t=\alpha v_{t-1}+(1-\alpha)g_t^2,\;\theta_t=\theta_{t-1}-\frac{\eta}{\sqrt{v_t+\epsilon}}g_t"},
        paper="G. Hinton, N. Srivastava & K. Swersky, Neural Networks for Machine Learning, lecture 6e "
              "(rmsprop: divide the gradient by a running average of its recent magnitude), Coursera "
              "lecture slides, 2012, not a paper: "
              "https://www.cs.toronto.edu/~tijmen/csc321/slides/lecture_slides_lec6.pdf; the centered "
              "form: A. Graves, Generating Sequences With Recurrent Neural Networks, 2013, arXiv:1308.0850",
        notes_defaults={"lr": 0.001, "alpha": 0.9, "eps_placement": "inside"}),
    OptimizerSpec(
        "adam", "Adam", "adaptive",
        (_lr(0.01), *_betas(), _eps(), _weight_decay(0.0), _bias_correction()),
        ADAM_RULE,
        "Momentum plus RMSProp scaling, both bias-corrected: the default of deep learning.",
        "Kingma & Ba 2015; torch.optim.Adam", ("velocity", "second_moment"),
        {False: ADAM_RULE_UNCORRECTED},
        paper="D. P. Kingma & J. Ba, Adam: A Method for Stochastic Optimization, ICLR 2015, "
              "arXiv:1412.6980",
        notes_defaults={"lr": 0.001}),
    OptimizerSpec(
        "amsgrad", "AMSGrad", "adaptive",
        (_lr(0.01), *_betas(), _eps(), _weight_decay(0.0), _bias_correction()),
        r"\hat v^{\max}_t=\max(\hat v^{\max}_{t-1},v_t),\;\theta_t=\theta_{t-1}-\frac{\eta}{1-\beta_1^t}"
        r"\frac{m_t}{\sqrt{\hat v^{\max}_t}/\sqrt{1-\beta_2^t}+\epsilon}",
        "Adam whose denominator never shrinks, which restores the convergence guarantee.",
        "Reddi et al. 2018; torch.optim.Adam(amsgrad=True)", ("velocity", "second_moment"),
        {False: r"\hat v^{\max}_t=\max(\hat v^{\max}_{t-1},v_t),\;"
                r"\theta_t=\theta_{t-1}-\eta\,\frac{m_t}{\sqrt{\hat v^{\max}_t}+\epsilon}"},
        paper="S. J. Reddi, S. Kale & S. Kumar, On the Convergence of Adam and Beyond, ICLR 2018, "
              "arXiv:1904.09237 (https://openreview.net/forum?id=ryQu7f-RZ)"),
    OptimizerSpec(
        "adamw", "AdamW", "adaptive",
        (_lr(0.01), *_betas(), _eps(), _weight_decay(0.01), _bias_correction()),
        r"\theta\leftarrow\theta(1-\eta\lambda),\;\text{then the Adam step}",
        "Adam with weight decay applied to the weights directly, not through the gradient.",
        "Loshchilov & Hutter 2019; torch.optim.AdamW", ("velocity", "second_moment"),
        {False: r"\theta\leftarrow\theta(1-\eta\lambda),\;\text{then the Adam step without bias correction}"},
        paper="I. Loshchilov & F. Hutter, Decoupled Weight Decay Regularization, ICLR 2019, "
              "arXiv:1711.05101"),
    OptimizerSpec(
        "nadam", "Nadam", "adaptive",
        (_lr(0.01), *_betas(), _eps(),
         Hyper("momentum_decay", 0.004, 0.0, 0.1, help="momentum decay ψ (pytorch variant)"),
         Hyper("variant", "notes", choices=("notes", "pytorch"),
               help="the notes' formula, or torch.optim.NAdam")),
        r"\theta_t=\theta_{t-1}-\eta\,\frac{\beta_1\hat m_t+\frac{(1-\beta_1)g_t}{1-\beta_1^t}}{\sqrt{\hat v_t}+\epsilon}",
        "Adam with Nesterov's look-ahead folded into the first moment.",
        "Dozat 2016; torch.optim.NAdam", ("velocity", "second_moment"),
        {"pytorch": r"\mu_t=\beta_1(1-\tfrac12 0.96^{t\psi}),\;\theta_t=\theta_{t-1}-\eta\Big[\frac{(1-\mu_t)g_t}{1-\prod_{i\le t}\mu_i}"
                    r"+\frac{\mu_{t+1}m_t}{1-\prod_{i\le t+1}\mu_i}\Big]\Big/\Big(\sqrt{v_t/(1-\beta_2^t)}+\epsilon\Big)"},
        paper="T. Dozat, Incorporating Nesterov Momentum into Adam, ICLR 2016 workshop, "
              "https://openreview.net/forum?id=OM0jvwB8jIp57ZJjtNEZ"),
    OptimizerSpec(
        "radam", "RAdam", "adaptive",
        (_lr(0.01), *_betas(), _eps(),
         Hyper("threshold", 5.0, 4.0, 100.0, help="rectify once ρ_t exceeds this (paper 4, torch 5)")),
        r"\rho_t=\rho_\infty-\frac{2t\beta_2^t}{1-\beta_2^t};\;\rho_t>\tau:\ \theta_t=\theta_{t-1}-\eta\,\hat m_t\,r_t\frac{\sqrt{1-\beta_2^t}}{\sqrt{v_t}+\epsilon},"
        r"\ \text{else}\ \theta_t=\theta_{t-1}-\eta\hat m_t",
        "Adam that waits until the variance estimate is trustworthy, then rectifies it.",
        "Liu et al. 2020; torch.optim.RAdam", ("velocity", "second_moment"),
        paper="L. Liu, H. Jiang, P. He, W. Chen, X. Liu, J. Gao & J. Han, On the Variance of the Adaptive "
              "Learning Rate and Beyond, ICLR 2020, arXiv:1908.03265",
        # the notes' RAdam is their Adam (η 0.001) rectified; torch.optim.RAdam's default is 1e-3 too
        notes_defaults={"lr": 0.001}),
    OptimizerSpec(
        "newton", "Newton", "second-order",
        (_lr(1.0, 0.01, 2.0, help="step multiplier"), _damping()),
        r"\theta_t=\theta_{t-1}-\eta\,(H+\lambda I)^{-1}g_t",
        "Uses the exact curvature: one step to the minimum of a bowl, but also drawn to saddles.",
        "Newton–Raphson; course notes", (),
        paper="No single source (Newton–Raphson); see J. Nocedal & S. J. Wright, Numerical Optimization, "
              "2nd ed., Springer 2006, ch. 3, doi:10.1007/978-0-387-40065-5"),
    OptimizerSpec(
        "diag_newton", "Diagonal Newton", "second-order",
        (_lr(1.0, 0.01, 2.0, help="step multiplier"), _damping()),
        r"\theta_{t,i}=\theta_{t-1,i}-\eta\,\frac{g_{t,i}}{H_{ii}+\lambda}",
        "Keeps only the diagonal of the Hessian: exact on axis-aligned bowls, not on rotated ones.",
        "Becker & LeCun 1988; course notes", (),
        paper="S. Becker & Y. LeCun, Improving the Convergence of Back-Propagation Learning with "
              "Second-Order Methods, Proceedings of the 1988 Connectionist Models Summer School, "
              "pp. 29–37, Morgan Kaufmann 1989 (no DOI)"),
    OptimizerSpec(
        "bfgs", "BFGS", "second-order",
        (_lr(1.0, 0.01, 2.0, help="first trial step of the line search"),),
        r"d_t=-B_t g_t,\;\theta_t=\theta_{t-1}+\alpha_t d_t\ (\text{Armijo}),\;"
        r"B_{t+1}=(I-\rho sy^\top)B_t(I-\rho ys^\top)+\rho ss^\top",
        "Builds an inverse-Hessian estimate from gradient differences; a line search sets the step.",
        "Broyden, Fletcher, Goldfarb, Shanno 1970; Nocedal & Wright ch. 6", (),
        paper="C. G. Broyden, IMA Journal of Applied Mathematics 6(1):76–90, 1970, doi:10.1093/imamat/6.1.76; "
              "R. Fletcher, The Computer Journal 13(3):317–322, 1970, doi:10.1093/comjnl/13.3.317; "
              "D. Goldfarb, Mathematics of Computation 24:23–26, 1970, doi:10.1090/S0025-5718-1970-0258249-6; "
              "D. F. Shanno, Mathematics of Computation 24:647–656, 1970, "
              "doi:10.1090/S0025-5718-1970-0274029-X; see J. Nocedal & S. J. Wright, Numerical "
              "Optimization, 2nd ed., Springer 2006, ch. 6, doi:10.1007/978-0-387-40065-5"),
]

OPTIMIZERS = {o.id: o for o in OPTIMIZER_LIST}
MAX_HYPER = max(len(o.hyper) for o in OPTIMIZER_LIST)

SCHEDULE_KINDS = ("constant", "step", "exponential", "polynomial")
