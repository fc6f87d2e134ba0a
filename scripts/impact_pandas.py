"""The impact report's pipeline written with pandas and statsmodels, for the speed and memory
comparison in bench/impact.sh (not a reference for test values: those come from
statsmodels_expected.py and csdid_expected.py).

It does what `berdaya build` does with the survey of a site declared like the sample's
data/impact.toml (the 2x2 design, errors clustered by `cluster`), the way an analyst would write
it with the standard Python tools:

* reads every survey file with every column as text and checks every row as berdaya does:
  missing-value texts (any letter case), ids, waves, groups, clusters, numbers, ranges and yes/no
  answers; repeated respondents in a wave (all of them left out, berdaya's `keep-none`) and
  respondents who switch group; writes every rejected value with file, line, column and reason
  to rejects.csv;
* per outcome: the means of every wave and group, the 2x2 difference-in-differences (the last
  pre wave against the first post wave) as WLS with errors clustered by area (statsmodels,
  cluster-robust), the placebo on the two last pre waves, the wild cluster bootstrap p-value
  (wildboottest, WCR with Webb weights, B = 9999) when there are fewer than 40 clusters, and the
  same DiD within every level of every breakdown;
* writes the estimates to impact.csv, a trend chart per outcome (matplotlib, SVG) and an HTML
  page with the tables.

    python3 -m venv /tmp/sm && /tmp/sm/bin/pip install pandas statsmodels numpy scipy \
        wildboottest matplotlib
    /tmp/sm/bin/python scripts/impact_pandas.py SITE OUT

SITE holds data/impact.toml and the survey files; OUT is created. Versions measured with:
Python 3.11.7, pandas 3.1.1, statsmodels 0.15.0, numpy 2.4.6, wildboottest 0.3.2,
matplotlib 3.11.2.
"""

import html
import os
import sys
import tomllib

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import statsmodels.api as sm  # noqa: E402
from wildboottest.wildboottest import wildboottest  # noqa: E402

DEFAULT_MISSING = ["", "NA", "N/A", "NaN", ".", "-", "null"]
YES = {"1", "1.0", "ya", "Ya", "YA", "yes", "Yes", "YES", "true", "True", "TRUE", "y", "Y"}
NO = {"0", "0.0", "tidak", "Tidak", "TIDAK", "no", "No", "NO", "false", "False", "FALSE",
      "n", "N"}


def load(site, cfg):
    s = cfg["survey"]
    frames = []
    for name in s["files"]:
        df = pd.read_csv(os.path.join(site, "data", name), dtype=str, keep_default_na=False)
        df = df.apply(lambda c: c.str.strip())
        df["__file"] = "data/" + name
        df["__row"] = np.arange(len(df)) + 2
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    tokens = {t.lower() for t in s.get("missing", DEFAULT_MISSING)}
    missing = {c: df[c].str.lower().isin(tokens) for c in df.columns if not c.startswith("__")}
    rejects = []

    def reject(mask, column, reason, values=None):
        if mask.any():
            r = df.loc[mask, ["__file", "__row"]].copy()
            r["column"] = column
            r["value"] = (values if values is not None else df[column])[mask]
            r["reason"] = reason
            rejects.append(r)

    bad = pd.Series(False, index=df.index)
    checks = [
        (missing[s["id"]], s["id"], "missing_id"),
        (~df[s["wave"]].isin(s["waves"]), s["wave"], "unknown_wave"),
        (~df[s["group"]].isin([s["treated"], *s.get("comparison", [])]), s["group"],
         "unknown_group"),
    ]
    if "cluster" in s:
        checks.append((missing[s["cluster"]], s["cluster"], "missing_cluster"))
    for mask, column, reason in checks:
        reject(mask, column, reason)
        bad |= mask
    # Respondents repeated in a wave: every such row left out.
    key = df[s["id"]] + "\x1f" + df[s["wave"]]
    dup = key.duplicated(keep=False) & ~missing[s["id"]]
    reject(dup, s["id"], "duplicate")
    # Respondents in both groups: every row left out.
    treated = df[s["group"]] == s["treated"]
    comparison = df[s["group"]].isin(s.get("comparison", []))
    per_id = pd.DataFrame({"id": df[s["id"]], "t": treated, "c": comparison}).groupby("id").any()
    both = per_id.index[per_id["t"] & per_id["c"]]
    switched = df[s["id"]].isin(both)
    reject(switched, s["group"], "group_changed")
    bad |= dup | switched
    out = pd.DataFrame({
        "id": df[s["id"]],
        "wave": df[s["wave"]].map({w: i for i, w in enumerate(s["waves"])}),
        "treated": treated.astype(float),
        "w": 1.0,
        "cluster": df[s["cluster"]] if "cluster" in s else df[s["id"]],
    })
    for i, b in enumerate(cfg.get("breakdowns", [])):
        out[f"b{i}"] = df[b["column"]].where(~missing[b["column"]], "")
    for i, o in enumerate(cfg["outcomes"]):
        c = o["column"]
        answered = ~missing[c]
        if o["type"] == "binary":
            v = pd.Series(np.where(df[c].isin(YES), 1.0, np.where(df[c].isin(NO), 0.0, np.nan)),
                          index=df.index)
            unusable = answered & v.isna()
            reject(unusable, c, "not_binary")
        else:
            v = pd.to_numeric(df[c], errors="coerce")
            unparseable = answered & v.isna()
            reject(unparseable, c, "unparseable")
            infinite = answered & v.notna() & ~np.isfinite(v)
            reject(infinite, c, "not_finite")
            unusable = unparseable | infinite
            if "range" in o:
                lo, hi = o["range"]
                out_of = np.isfinite(v) & ((v < lo) | (v > hi))
                reject(out_of, c, "out_of_range")
                unusable |= out_of
        out[f"o{i}"] = v.where(answered & ~unusable)
    rejects = (pd.concat(rejects) if rejects else pd.DataFrame(
        columns=["__file", "__row", "column", "value", "reason"]))
    rejects = rejects.sort_values(["__file", "__row", "reason"], kind="stable")
    return out[~bad].reset_index(drop=True), rejects, len(df)


def did(rows, y, before, after, clustered):
    """WLS y ~ treated + post + treated:post on the rows of `before` and `after` answering y;
    errors clustered by `cluster` (or HC1)."""
    d = rows[rows["wave"].isin([before, after]) & rows[y].notna()]
    if d["treated"].nunique() < 2 or d["wave"].nunique() < 2:
        return None
    post = (d["wave"] == after).astype(float)
    X = pd.DataFrame({"const": 1.0, "treated": d["treated"], "post": post,
                      "treated:post": d["treated"] * post})
    model = sm.WLS(d[y], X, weights=d["w"])
    if clustered and d["cluster"].nunique() >= 2:
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(d["cluster"])[0]})
    else:
        fit = model.fit(cov_type="HC1")
    lo, hi = fit.conf_int().loc["treated:post"]
    return {"estimate": fit.params["treated:post"], "se": fit.bse["treated:post"],
            "p": fit.pvalues["treated:post"], "ci_low": lo, "ci_high": hi, "n": int(fit.nobs),
            "clusters": int(d["cluster"].nunique()), "model": model, "d": d}


def main():
    site, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(site, "data", "impact.toml"), "rb") as f:
        cfg = tomllib.load(f)
    s = cfg["survey"]
    rows, rejects, read = load(site, cfg)
    rejects.to_csv(os.path.join(out_dir, "rejects.csv"), index=False)
    index = {w: i for i, w in enumerate(s["waves"])}
    before = max(index[w] for w in s["pre"])
    after = min(index[w] for w in s["post"])
    pre = sorted(index[w] for w in s["pre"])
    table = []
    for i, o in enumerate(cfg["outcomes"]):
        y = f"o{i}"
        answered = rows[rows[y].notna()]
        means = answered.groupby(["wave", "treated"]).apply(
            lambda g: np.average(g[y], weights=g["w"]), include_groups=False).unstack()
        fig, ax = plt.subplots(figsize=(6, 3.5))
        for t, label in [(1.0, "participants"), (0.0, "comparison")]:
            if t in means.columns:
                ax.plot([s["waves"][int(w)] for w in means.index], means[t], marker="o",
                        label=label)
        ax.legend()
        fig.savefig(os.path.join(out_dir, f"{o['id']}.svg"))
        plt.close(fig)
        main_did = did(rows, y, before, after, "cluster" in s)
        if main_did is None:
            continue
        row = {k: v for k, v in main_did.items() if k not in ("model", "d")}
        row.update({"outcome": o["id"], "breakdown": "", "level": ""})
        if len(pre) >= 2:
            placebo = did(rows, y, pre[-2], before, "cluster" in s)
            row["placebo"] = placebo["estimate"] if placebo else np.nan
        if "cluster" in s and main_did["clusters"] < 40:
            d = main_did["d"]
            g = pd.factorize(d["cluster"])[0]
            boot = wildboottest(main_did["model"], param="treated:post", cluster=g, B=9999,
                                weights_type="webb", seed=20260301, show=False)
            row["p_wild"] = float(np.asarray(boot["p-value"])[0])
        table.append(row)
        for b, bd in enumerate(cfg.get("breakdowns", [])):
            for level, part in rows.groupby(f"b{b}"):
                r = did(part, y, before, after, "cluster" in s)
                if r is None:
                    continue
                r = {k: v for k, v in r.items() if k not in ("model", "d")}
                r.update({"outcome": o["id"], "breakdown": bd["column"], "level": level})
                table.append(r)
    table = pd.DataFrame(table)
    table.to_csv(os.path.join(out_dir, "impact.csv"), index=False)
    with open(os.path.join(out_dir, "index.html"), "w") as f:
        f.write("<!doctype html><meta charset=utf-8><title>Impact</title>")
        f.write(f"<p>{read} rows read, {len(rows)} used, {len(rejects)} rejected values.")
        f.write(table.to_html(index=False, float_format=lambda v: f"{v:.4g}"))
        for o in cfg["outcomes"]:
            f.write(f'<img src="{html.escape(o["id"])}.svg" alt="">')
    print(table[table["breakdown"] == ""][["outcome", "estimate", "se", "n"]].to_string())


if __name__ == "__main__":
    main()
