"""Reference values from the PyPI package `csdid` (Callaway and Sant'Anna's group-time effects,
a port of R `did` 2.5) for berdaya's `staggered` design.

What it makes (paths relative to the repository root):

* tests/fixtures/impact/staggered.csv -- a deterministic synthetic survey panel
  (numpy default_rng(2027)): 300 respondents in 15 kelurahan K01..K15, waves w1..w5. The
  programme reaches kelurahan in stages: K01-K04 start in w3, K05-K08 in w4, K09-K11 in w5,
  K12-K15 not at all. In K01-K11, 10 of the 20 respondents are participants (`peserta`, column
  `mulai` = their kelurahan's start wave); everyone else is comparison (`pembanding`, `mulai`
  empty): 110 participants, 190 comparison.
  Outcomes `income` (whole rupiah; the effect grows with time in the programme; 8 answers are
  `NA`, so 8 respondents are not in the balanced panel of this outcome) and `online` (0/1).
* tests/fixtures/impact/expected_staggered.json -- per outcome, with standard errors clustered
  by kelurahan (`kel`) and by respondent (`unit`): every ATT(g,t) with its standard error, the
  Wald pre-test, and the aggregations `group` (the overall effect and one per cohort),
  `dynamic` (one effect per event time and their average over e >= 0) and `simple`.

Settings: csdid.att_gt.ATTgt(yname, tname = wave number 1..5, idname = respondent number,
gname = start wave number (0 = never), control_group = 'notyettreated', panel = True,
clustervar = kelurahan number or None).fit(est_method = 'dr', base_period = 'varying',
bstrap = False), then .aggte(typec, bstrap = False). No covariates, so the doubly robust
estimate of each ATT(g,t) is the difference in mean changes. Rows with a missing outcome are
removed before the call, and csdid keeps the balanced panel. Standard errors are analytical:
sqrt(mean(IF^2)/n), or sqrt(sum over clusters of (sum of IF)^2)/n when clustered. The Wald
p-value is recomputed as scipy.stats.chi2.sf(W, q) (csdid rounds it to 5 places).

* `wild` in the JSON: the wild cluster bootstrap of the overall effect (see stacked_wild()).

How to run (from the repository root):

    python3 -m venv /tmp/sm && /tmp/sm/bin/pip install csdid wildboottest statsmodels pandas numpy scipy \
        && /tmp/sm/bin/python scripts/csdid_expected.py

Versions used to produce the committed files: see the `settings` key of the JSON file.
"""

import json
import os
import platform
import warnings
from importlib.metadata import version

import numpy as np
import pandas as pd
import scipy.stats as st
from csdid.att_gt import ATTgt

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "impact")
CSV = os.path.join(OUT, "staggered.csv")
JSON = os.path.join(OUT, "expected_staggered.json")
WAVES = ["w1", "w2", "w3", "w4", "w5"]


def f(x):
    return float(repr(float(x))) if x is not None else None


def make():
    rng = np.random.default_rng(2027)
    n, kels = 300, 15
    kel = np.repeat(np.arange(kels), 20)
    start_of = {k: (3 if k < 4 else 4 if k < 8 else 5 if k < 11 else 0) for k in range(kels)}
    part = np.tile(np.r_[np.ones(10), np.zeros(10)], kels).astype(int)
    g = np.array([start_of[k] if part[i] else 0 for i, k in enumerate(kel)])
    person = rng.normal(0.0, 500_000.0, n)
    area = rng.normal(0.0, 150_000.0, kels)
    online_p = rng.normal(0.0, 1.0, n)
    missing = set(zip(rng.choice(n, 8, replace=False), rng.integers(1, 6, 8)))
    rows = []
    for t in range(1, 6):
        noise = rng.normal(0.0, 400_000.0, n)
        u = rng.random(n)
        for i in range(n):
            exposed = g[i] > 0 and t >= g[i]
            effect = 300_000.0 + 100_000.0 * (t - g[i]) if exposed else 0.0
            income = 3_000_000.0 + person[i] + area[kel[i]] + 70_000.0 * t + effect + noise[i]
            p = min(max(0.3 + 0.02 * t + (0.15 if exposed else 0.0) + 0.1 * online_p[i], 0.02), 0.98)
            rows.append({
                "rid": f"S{i + 1:04d}",
                "wave": WAVES[t - 1],
                "grp": "peserta" if g[i] else "pembanding",
                "kel": f"K{kel[i] + 1:02d}",
                "mulai": WAVES[g[i] - 1] if g[i] else "",
                "income": "NA" if (i, t) in missing else str(int(round(income))),
                "online": str(int(u[i] < p)),
            })
    df = pd.DataFrame(rows).sort_values(["rid", "wave"], kind="mergesort")
    df.to_csv(CSV, index=False, lineterminator="\n")


def balanced_ids(d):
    """Respondents with an answer in every wave (csdid keeps this balanced panel), sorted."""
    counts = d.groupby("id")["t"].nunique()
    return np.sort(counts[counts == len(WAVES)].index.to_numpy())


def reference(outcome, cluster, variant=None):
    d = pd.read_csv(CSV, dtype=str, keep_default_na=False)
    if variant == "all_treated":
        # Every respondent starts at some point: the comparison group's rows removed.
        d = d[d["grp"] == "peserta"]
    d = d[d[outcome] != "NA"].copy()
    d["y"] = d[outcome].astype(float)
    d["t"] = d["wave"].map({w: i + 1 for i, w in enumerate(WAVES)})
    d["g"] = d["mulai"].map(lambda w: WAVES.index(w) + 1 if w else 0)
    if variant == "future_start":
        # K09-K11 start in a sixth wave, declared but not yet surveyed.
        d.loc[d["g"] == 5, "g"] = 6
    d["id"] = d["rid"].str[1:].astype(int)
    d["kel_n"] = d["kel"].str[1:].astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = ATTgt(yname="y", tname="t", idname="id", gname="g", data=d,
                  control_group="notyettreated",
                  clustervar="kel_n" if cluster else None).fit(
                      est_method="dr", base_period="varying", bstrap=False)
        r = a.results
        out = {
            "n_units": int(a.MP["n"]),
            "att_gt": [
                {"cohort": WAVES[int(gg) - 1], "wave": WAVES[int(tt) - 1], "att": f(at), "se": f(se)}
                for gg, tt, at, se in zip(r["group"], r["year"], r["att"], r["se"])
            ],
        }
        w = a.MP["W"]
        q = sum(1 for gg, tt in zip(r["group"], r["year"]) if tt < gg)
        out["wald"] = {"w": f(w), "q": q, "p": f(st.chi2.sf(w, q))}
        a.aggte(typec="group", bstrap=False)
        g = a.atte
        out["group"] = {
            "att": f(g["overall_att"]), "se": f(g["overall_se"]),
            "cohorts": [{"cohort": WAVES[int(c) - 1], "att": f(v), "se": f(s)}
                        for c, v, s in zip(g["egt"], g["att_egt"], g["se_egt"])],
        }
        a.aggte(typec="dynamic", bstrap=False)
        dyn = a.atte
        # The pre-test berdaya publishes: the Wald test over the profile before the start (e < 0),
        # from csdid's influence functions of the dynamic aggregation, with the same variance
        # (summed by cluster when clustered): W = n a' (S'S/n)^-1 a, F = W/q, p from F(q, G-1).
        inf = np.asarray(dyn["inf_function"]["dynamic_inf_func_e"], dtype=float)
        before = [k for k, e in enumerate(dyn["egt"]) if e < 0]
        a_pre = np.asarray(dyn["att_egt"], dtype=float)[before]
        n_units = inf.shape[0]
        if cluster:
            units = d.sort_values("t").drop_duplicates("id").sort_values("id")
            kept = units[units["id"].isin(balanced_ids(d))]
            codes = pd.factorize(kept["kel_n"])[0]
            s_sum = np.zeros((codes.max() + 1, len(before)))
            np.add.at(s_sum, codes, inf[:, before])
            groups = codes.max() + 1
        else:
            s_sum = inf[:, before]
            groups = n_units
        v = s_sum.T @ s_sum / n_units
        w_pre = float(n_units * a_pre @ np.linalg.solve(v, a_pre))
        q_pre = len(before)
        out["wald_profile"] = {"f": f(w_pre / q_pre), "q": q_pre,
                               "p": f(st.f.sf(w_pre / q_pre, q_pre, groups - 1))}
        out["dynamic"] = {
            "att": f(dyn["overall_att"]), "se": f(dyn["overall_se"]),
            "event_times": [{"e": int(e), "att": f(v), "se": f(s)}
                            for e, v, s in zip(dyn["egt"], dyn["att_egt"], dyn["se_egt"])],
        }
        a.aggte(typec="simple", bstrap=False)
        out["simple"] = {"att": f(a.atte["overall_att"]), "se": f(a.atte["overall_se"])}
    return out


def stacked_wild(outcome):
    """The wild cluster bootstrap berdaya runs for the overall effect with few clusters: the
    overall effect written as one coefficient of a stacked regression (one regression
    ΔY ~ 1 + D per group-time cell in the programme, D = member of the cohort, comparison = not
    yet treated; the slopes combined with the cohort weights ω held fixed, reparametrized so
    that θ = Σ ω_k·slope_k is the coefficient of z = Σ_k D_k·ω_k/ω'ω), errors clustered by
    kelurahan. wildboottest (WCR, Rademacher, B = 2^15, enumerated in full) and the brute force
    of scripts/statsmodels_expected.py (every weight vector, the regression refitted)."""
    import sys

    import statsmodels.api as sm
    from wildboottest.wildboottest import wildboottest

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from statsmodels_expected import wcr_enumerated

    d = pd.read_csv(CSV, dtype=str, keep_default_na=False)
    d = d[d[outcome] != "NA"].copy()
    d["y"] = d[outcome].astype(float)
    d["t"] = d["wave"].map({w: i + 1 for i, w in enumerate(WAVES)})
    d["g"] = d["mulai"].map(lambda w: WAVES.index(w) + 1 if w else 0)
    wide = d.pivot(index="rid", columns="t", values="y").dropna()
    info = d.drop_duplicates("rid").set_index("rid").loc[wide.index]
    n = len(wide)
    cohorts = sorted(c for c in info["g"].unique() if c > 0)
    share = {c: (info["g"] == c).sum() / n for c in cohorts}
    cells = [(c, t) for c in cohorts for t in range(c, len(WAVES) + 1)]
    total = sum(share[c] for c in cohorts)
    omega = np.array([share[c] / total / sum(1 for cc, _ in cells if cc == c) for c, _ in cells])
    rows, ys, clusters = [], [], []
    k_count = len(cells)
    for k, (c, t) in enumerate(cells):
        base = c - 1
        member = info["g"] == c
        control = (info["g"] == 0) | (info["g"] > t)
        for rid in wide.index[(member | control).to_numpy()]:
            x = np.zeros(2 * k_count)
            x[k] = 1.0
            x[k_count + k] = float(info.loc[rid, "g"] == c)
            rows.append(x)
            ys.append(wide.loc[rid, t] - wide.loc[rid, base])
            clusters.append(info.loc[rid, "kel"])
    X = np.array(rows)
    D = X[:, k_count:]
    q, _ = np.linalg.qr(np.column_stack([omega, np.eye(k_count)[:, : k_count - 1]]))
    basis = q[:, 1:]
    Z = np.column_stack([X[:, :k_count], D @ omega / (omega @ omega), D @ basis])
    y = np.array(ys)
    g = pd.factorize(pd.Series(clusters), sort=True)[0]
    j = k_count
    theta = np.linalg.lstsq(Z, y, rcond=None)[0][j]
    cols = ["c%d" % i for i in range(Z.shape[1])]
    model = sm.OLS(y, pd.DataFrame(Z, columns=cols))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rad = wildboottest(model, param=cols[j], cluster=g, B=2 ** 15,
                           weights_type="rademacher", seed=2026, show=False)
    above, ties = wcr_enumerated(Z, y, g, j)
    return {
        "theta": f(theta),
        "p_wildboottest": f(np.asarray(rad["p-value"])[0]),
        "bruteforce_above": above,
        "bruteforce_ties": ties,
        "draws": 2 ** 15,
    }


def main():
    make()
    expected = {
        "settings": "Computed by scripts/csdid_expected.py (see its docstring) with Python "
        + platform.python_version() + ", csdid " + version("csdid") + ", drdid "
        + version("drdid") + ", pandas " + pd.__version__ + ", numpy " + np.__version__
        + ", scipy " + version("scipy") + ", statsmodels " + version("statsmodels")
        + ", wildboottest " + version("wildboottest") + ".",
    }
    for outcome in ["income", "online"]:
        expected[outcome] = {"kel": reference(outcome, True), "unit": reference(outcome, False)}
        e = expected[outcome]["kel"]
        print(outcome, "units", e["n_units"], "group", e["group"]["att"], e["group"]["se"],
              "W", e["wald"])
    # Variants of the income data, clustered by kelurahan: no comparison group (csdid uses the
    # last cohort as the comparison and only the waves before its start), and a cohort whose
    # start wave has no data yet (csdid treats it as never treated).
    expected["income_all_treated"] = reference("income", True, "all_treated")
    expected["income_future_start"] = reference("income", True, "future_start")
    expected["wild"] = {o: stacked_wild(o) for o in ["income", "online"]}
    print("wild", expected["wild"])
    with open(JSON, "w", newline="\n", encoding="utf-8") as fh:
        json.dump(expected, fh, indent=1, allow_nan=False)
        fh.write("\n")


if __name__ == "__main__":
    main()
