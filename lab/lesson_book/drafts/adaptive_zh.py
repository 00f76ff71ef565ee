"""Draft texts (Chinese) of the chapter "adaptive"; merged into ``text_zh`` later."""

TEXTS = {
    "rprop_scale_free": {
        "title": "Rprop 从不看梯度有多大",
        "text": "Rprop 为每个坐标维护一个步长 Δ，每步移动 Δ·sign(g)。g 的符号不变时 Δ 乘以 η⁺ 变大，符号翻转时乘以 "
                "η⁻ 变小，梯度的大小在哪里都没有出现。把损失换成 100·f，所有梯度都放大 100 倍但符号不变，路径"
                "因此一位不差。SGD 的步子是 η·g：在 f 上合适的 η，到了 100·f 上就长了 100 倍。这里运行的是 torch "
                "版的 Rprop：某个坐标符号翻转后只跳过这一步的移动，并不撤回上一步。",
        "watch": "谷地上的 Rprop 与 SGD；“优化器内部”面板显示 Rprop 的两个步长。在侧栏把曲面的 scale 调到 100："
                 "Rprop 的路径纹丝不动，SGD 第一步就被甩出地图。",
        "measured": "在 f 与 {factor:.0f}·f 上，{sign} 的两条路径在 {sign_common} 步内最大相差 {sign_gap:.1e}"
                    "（第一步长度之比 {sign_ratio:.3g}）；{plain} 在 {factor:.0f}·f 上的第一步长了 {plain_ratio:.3g} "
                    "倍，两条路径在 {plain_common} 步内已相距 {plain_gap:.3g}。",
    },
    "rprop_minibatch": {
        "title": "Rprop 与小批量：随机的符号让它冻住",
        "text": "Rprop 把 g 的符号翻转理解为“跨过了极小点”，于是把该坐标的步长减半（η⁻ = 0.5）。用小批量时，"
                "小梯度的符号会随批次随机变化；只要真实梯度比采样噪声小，步长就被一再减半，直到 step_min，"
                "Rprop 停在它恰好所在的位置。SGD 的步子同样带噪声，但与梯度成正比，它的点云始终以极小点为中心。"
                "用全批量时，每次翻转都是真正的越过，Rprop 会一路逼近极小点。",
        "watch": "带噪碗面，小批量大小为 2：Rprop 的路径在极小点前突然停住（“优化器内部”面板里它的步长骤降），"
                 "SGD 则围绕极小点不停抖动。在侧栏把小批量大小设为 0（全批量），Rprop 便能走到底。",
        "measured": "小批量为 {batch}（共 {n} 个样本）时，Rprop 停在离极小点 {mini_d:.3f} 处：最后 {tail} 个点的"
                    "散布只有 {mini_spread:.1e}，较大的那个步长也已降到 {mini_step:.1e}（step_min = {step_min:g}）。"
                    "用全批量时它最终离极小点 {full_d:.1e}。SGD 最后 {tail} 个点的均值离极小点 {sgd_centre_d:.3f}。",
    },
    "adagrad_stalls": {
        "title": "AdaGrad 的步长只会越来越小",
        "text": "AdaGrad 用 √G + ε 去除 η，G 是到目前为止所有梯度平方之和（与 torch 一样，ε 在根号外）。每一步"
                "都往 G 里加上非负的 g²，所以有效步长 η/(√G + ε) 永远不会回升：开头陡峭的一段把 G 撑大之后，"
                "即使来到平缓的地方，步子也依然很短。RMSProp 改用 g² 的指数移动平均（α = 0.99），旧的平方大约 "
                "1/(1−α) = 100 步后就淡出，梯度变小时步长随之恢复。",
        "watch": "AdaGrad 与 RMSProp 以相同的 η 从 (−5, −2) 出发。“优化器内部”面板（AdaGrad）里有效步长只降不升；"
                 "AdaGrad 在谷底平缓的 x 方向上越爬越慢，RMSProp 则到达中心。",
        "measured": "AdaGrad 在 x 方向的有效步长从 {ada_eff_first:.3g} 降到 {ada_eff_last:.3g}，{steps} 步中回升的"
                    "次数为 {rises}（x 或 y）；最终离极小点 {ada_d:.2f}（起点为 {start_d:.2f}）。RMSProp 在 "
                    "{rms_steps} 步时达到 f − f* < {tol:g}，最终距离 {rms_d:.1e}，它在 x 方向的有效步长升到了 "
                    "{rms_eff_last:.3g}。",
    },
    "adagrad_sparse": {
        "title": "AdaGrad 给稀有特征更大的步子",
        "text": "这个最小二乘问题里，每个样本都带有稠密特征 a（x 的系数），而只有 5% 的样本带有稀有特征 b（y 的"
                "系数）；一个小批量只要没抽到这几个样本，y 方向的梯度就恰好为零。于是 AdaGrad 的平方和 G 在 x 上"
                "每步都在累加，在 y 上却隔很久才加一次，y 的有效步长 η/(√G + ε) 因此始终比 x 长好几倍（此处按 "
                "torch 的做法：ε 在根号外，G 从 0 开始）。SGD 只有一个 η：稀有方向的曲率大约只有稠密方向的“稀有"
                "比例”倍，选一个几十步就能把 x 收敛好的 η，y 的误差每步也只缩小约 1 − ηλ_min 倍。把 η 调大，x 的"
                "步子也会一起变长，而陡的稠密方向把 η 限制在 2/λ_max 以下；逐坐标地做除法，正是文本、点击这类"
                "稀疏数据所需要的。",
        "watch": "从 (−2, −2) 出发，两条轨迹都很快到达 x ≈ 1.5。之后 SGD 沿 y 慢慢往上挪，到最后仍离极小点很远；"
                 "AdaGrad 大约一百步内就爬到了。“优化器内部”面板（AdaGrad）里，y 的有效步长只在抽到稀有样本的"
                 "批次上才下降，一直比 x 的大五倍左右。",
        "measured": "在 {steps} 个大小为 {batch} 的小批量中（共 {n} 个样本，其中比例 {share:g} 带有稀有特征），"
                    "y 方向梯度不为零的有 {hits} 个。AdaGrad 的 G 最终在 x 上为 {g_x:.3g}、在 y 上为 {g_y:.3g}，"
                    "所以在 η = {ada_lr:g} 下，它的有效步长最后在 y 上是 {eff_y:.3g}、在 x 上是 {eff_x:.3g}："
                    "稀有坐标上长 {ratio:.1f} 倍。{steps} 步之后，AdaGrad 在 y 方向离极小点 {ada_dy:.3f}，SGD"
                    "（η = {sgd_lr:g}）还差 {sgd_dy:.2f}（起点相距 {start_dy:.2f}）；x 方向上两者分别差 "
                    "{ada_dx:.3f} 和 {sgd_dx:.3f}。Hessian 的特征值为 {lam_min:.3f} 和 {lam_max:.2f}，SGD 沿平缓"
                    "方向的时间常数 1/(ηλ_min) 约为 {tau:.0f} 步。",
    },
    "rmsprop_canyon": {
        "title": "RMSProp 把峡谷的两种尺度拉平",
        "text": "在谷地 0.1x² + 2y² 上，一个学习率要同时应付曲率 0.2 和 4。对 SGD 来说，陡峭的 y 方向要求 η 小于 "
                "2/4 = 0.5，于是 x 方向的误差每步最多只缩小到原来的 1 − 0.2η ≥ 0.9。RMSProp 用每个坐标自己的 g² "
                "滑动均值的平方根去除该坐标的梯度，两个方向的步长都约为 η，与曲率无关。torch 的 RMSProp 没有偏差"
                "修正：v₁ = (1−α)g₁²，所以第一步在每个坐标上都是 η/√(1−α) = 10η。",
        "watch": "从 (−5, −2) 出发：SGD 用接近最优的 η，在陡峭的 y 方向来回弹跳，沿 x 缓慢前进；RMSProp 第一步就"
                 "几乎落在谷底，然后径直走向中心。“优化器内部”面板中 RMSProp 在 x 方向的有效步长远大于 y 方向。",
        "measured": "达到 f − f* < {tol:g}：RMSProp（η = {rms_lr:g}）用了 {rms} 步，SGD（η = {sgd_lr:g}）用了 {sgd} "
                    "步；在 {n_grid} 个不超过 {lr_max:g} 的学习率中，SGD 最好的一个（η = {best_lr:.2g}）也需要 "
                    "{best} 步。",
    },
    "rmsprop_noise": {
        "title": "RMSProp 的软肋：小批量噪声",
        "text": "接近极小点时，完整梯度几乎为零，小批量梯度基本上只剩采样噪声。RMSProp 用自身的滑动均方根去除"
                "这些噪声，于是每一步的长度仍约为 η、方向却是随机的：快到终点时步子并不会变小。Adam 也这样归一"
                "化，但先把梯度在大约 1/(1−β₁) = 10 步内做平均，噪声在平均中大半相互抵消。这里把 Adam 的 β₂ "
                "设为 0.99，与 RMSProp 的 α 相同，二者的差别就只剩一阶矩（以及 Adam 的偏差修正）。",
        "watch": "带噪碗面，小批量大小 20，两者都从 (−2, 2.5) 出发、学习率相同。看碗底：RMSProp 在一大片范围里"
                 "不停抖动，Adam 聚得紧得多。“优化器内部”面板里 RMSProp 的二阶矩停在噪声的水平上，并不降到零。",
        "measured": "最后 {tail} 步（每批 {batch} 个样本，共 {n} 个，η = {lr:g}）中，RMSProp 的点围绕其均值的散布"
                    "为 {rms_spread:.3g}，Adam 为 {adam_spread:.3g}，前者是后者的 {ratio:.2f} 倍（Adam 的 β₁ = {beta1:g}，β₂ = "
                    "{beta2:g}）。到极小点的平均距离：RMSProp {rms_d:.3g}，Adam {adam_d:.3g}。",
    },
    "adadelta_units": {
        "title": "AdaDelta：不要学习率，但起步很慢",
        "text": "AdaDelta 的一步是 Δ_t = √(u_{t−1} + ε)/√(v_t + ε)·g_t：分母里的 v 是梯度平方的滑动均值，分子里的 "
                "u 是以往更新量 Δ² 的滑动均值。g/√v 没有量纲，√u 带着 θ 的量纲，所以这一步不需要 η（lr 保持 1，"
                "即 torch 的默认值），把 f 放大 100 倍路径也几乎不变。代价在起步：u₀ = 0，第一步在每个坐标上都是 "
                "√(ε/(1−ρ))（torch 的 ε = 1e-6、ρ = 0.9 时约 0.003），与梯度无关，而 u 只能从这些小步慢慢积累。",
        "watch": "Himmelblau 曲面，从 (0, 0) 出发：AdaDelta 先用极小的步子挪动，随着以往步长的均值积累起来才逐渐"
                 "加速；“优化器内部”面板里它的有效步长 √(u + ε)/√(v + ε) 不断上升。在侧栏把 scale 调到 100，"
                 "路径不动。",
        "measured": "第一步：x 方向 {first_x:.3g}，y 方向 {first_y:.3g}；√(ε/(1−ρ)) = {predicted:.3g}（ε = {eps:g}，"
                    "ρ = {rho:g}，lr = {lr:g}）。在第一次进入极小点 {near_d:g} 范围之前（第 {near} 步），最大的一"
                    "步是第 {top_step} 步的 {top_len:.3g}，为第一步（{first_len:.3g}）的 {ramp:.1f} 倍。在 "
                    "{factor:.0f}·f 上路径最多相差 {scale_gap:.1e}。",
    },
    "beale_race": {
        "title": "Beale 曲面上的比赛：谁冲过了极小点",
        "text": "在 (0.7, 1.4) 处 Beale 函数的梯度约为 (20, 46)。Momentum 和 NAG 把它累加进速度，冲进弯曲的山谷，"
                "沿谷而下又越过位于 (3, 0.5) 的极小点，只好再爬回来。NAG（前瞻形式 v = μv + η∇f(θ − μv)）在速度"
                "将要到达的位置计算梯度，更早感到对面的坡壁，因而更早刹车。AdaGrad、RMSProp 和 Adam 用各坐标自己"
                "的梯度尺度去除，坡再陡步长也只有 η 左右：它们滑进山谷、顺着谷底走，不会冲过头。",
        "watch": "盯住山谷尽头 (3, 0.5) 附近：Momentum 远远冲过极小点，再慢慢摆回；NAG 冲得少、回头快；AdaGrad、"
                 "RMSProp 和 Adam 沿谷底到达后就停下。",
        "measured": "第一次进入极小点 {near:g} 范围后，Momentum 又远离到 {momentum_out:.2f}，NAG 到 {nag_out:.2f}，"
                    "AdaGrad、RMSProp 和 Adam 始终在 {adaptive_out:.3f} 以内。达到 f − f* < {tol:g}：NAG 在第 "
                    "{nag_steps} 步，Momentum 在第 {momentum_steps} 步（AdaGrad {adagrad_steps}，RMSProp "
                    "{rmsprop_steps}，Adam {adam_steps}）。",
    },
    "saddle_escape": {
        "title": "离开鞍点：归一化的步子不会等待",
        "text": "在 f = x² − y² 上，下降的方向是 y，而在脊线 y = 0 附近梯度 −2y 非常小。SGD 每步把 y 乘以 "
                "1 + 2η，要离开大约需要 ln(1/|y₀|)/(2η) 步；Momentum 和 NAG 加快了同样的指数增长，但仍先滚到鞍点"
                "再在那里等待。AdaGrad、RMSProp 和 Adam 用 g_y 自身的大小去除它，无论 y 多小，y 方向的步长至少约"
                "为 η：它们立刻转向下坡，远在到达中心之前，起点离脊线多近几乎无关紧要。",
        "watch": "起点 (−1.5, 0.001) 紧贴脊线。SGD、Momentum 和 NAG 沿 x 跑进中心、在那里停留，然后才沿 y 落下；"
                 "AdaGrad、RMSProp 和 Adam 远离中心时就早早拐向下坡。",
        "measured": "直到 |y| > {exit:g} 所用步数：AdaGrad {adagrad}，RMSProp {rmsprop}，Adam {adam}，它们离鞍点"
                    "最近也有 {adaptive_closest:.2f}；Momentum {momentum}，NAG {nag}，之前分别到过离鞍点 "
                    "{momentum_closest:.3f} 和 {nag_closest:.3f} 处；SGD 在 {steps} 步后 |y| 仍只有 {sgd_y:.3f}。"
                    "起点离脊线近 {closer:.0f} 倍时，Momentum 晚了 {momentum_delay} 步，自适应方法最多晚 "
                    "{adaptive_delay} 步。",
    },
    "plateau": {
        "title": "穿越平台：看梯度的大小还是方向",
        "text": "在 f = 1 − exp(−r²/2w²) 远离井口的地方，坡度只有约 1e-4，GD 的步长 η·g 约为 1e-6，几乎原地不动。"
                "RMSProp 和 Adam 用梯度自身的均方根去除它，以每步约 η 的速度穿过平坦区（torch 的 RMSProp 没有偏差"
                "修正，开头甚至更快）。AdaGrad 除以的是全部梯度平方和的平方根；在梯度稳定的平地上这个和按 t·g² "
                "增长，步长就按 η/√t 下降。AdaGrad 对走过的每一步都念念不忘，RMSProp 的均值只回看大约 "
                "1/(1−α) = 100 步。",
        "watch": "从 (3.5, 3) 出发：SGD 的点一动不动，RMSProp 和 Adam 滑进井里，AdaGrad 一路越走越慢；"
                 "“优化器内部”面板里它的有效步长始终在下降。",
        "measured": "{steps} 步内 SGD 只移动了 {sgd_moved:.1e}；RMSProp 在第 {rmsprop_in} 步进入井内（r < w = {w:g}），"
                    "Adam 在第 {adam_in} 步。AdaGrad 第 {at} 步的步长是第一步的 {ada_shrink:.2f} 倍（1/√{at} = "
                    "{sqrt_law:.2f}），最终离中心 {ada_r:.2f}。",
    },
    "rotated_valley": {
        "title": "逐坐标缩放要求山谷与坐标轴对齐",
        "text": "Adam、RMSProp 和 AdaGrad 对每个坐标单独缩放，相当于一个对角预条件矩阵。山谷的主轴正好是 x 和 y "
                "时，这种修正恰到好处；转过 45° 后，每个坐标都混合了陡峭和平缓两个方向，两者得到差不多的缩放，"
                "修正便失效了。Momentum 对坐标轴毫不在意：只要相对山谷的起点相同，各个角度所需的步数都一样。"
                "测量时起点随山谷一起旋转（κ = 20）。",
        "watch": "45° 时：Adam 开头的步子只能沿对角线方向，这里正好横穿山谷，之后才慢慢弯回；Momentum 横穿一次"
                 "后就沿谷底中线滑下。在侧栏把角度改成 0，Adam 便领先。",
        "measured": "达到 f − f* < {tol:g} 的步数，Momentum/Adam：0°：{momentum_0}/{adam_0} = {ratio_0:.2f}；"
                    "15°：{momentum_15}/{adam_15} = {ratio_15:.2f}；30°：{momentum_30}/{adam_30} = {ratio_30:.2f}；"
                    "45°：{momentum_45}/{adam_45} = {ratio_45:.2f}（κ = {kappa:g}，起点随山谷旋转）。",
    },
}
