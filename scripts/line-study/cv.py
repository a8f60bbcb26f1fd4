"""Grouped (by site domain) 5-fold CV of per-line keep/drop classifiers on WCXB-dev text.
Threshold (and smoothing) chosen by an inner 3-fold grouped CV on the training pages only.
Usage: python3 cv.py MODEL [--label tri5] [--weight none|ntok] [--feats all|topN] [--trees N --leaves N]
MODEL: lr | lgb | hgb
"""
import argparse, json, os, pickle, sys, time
os.environ.setdefault('OMP_NUM_THREADS', '1')
import numpy as np
from collections import defaultdict
from sklearn.model_selection import GroupKFold
from common import summarize

ap = argparse.ArgumentParser()
ap.add_argument('model')
ap.add_argument('--label', default='tri5')
ap.add_argument('--weight', default='none')
ap.add_argument('--feats', default='all')
ap.add_argument('--trees', type=int, default=300)
ap.add_argument('--leaves', type=int, default=31)
ap.add_argument('--lr', type=float, default=0.05)
ap.add_argument('--group', default='dom')
ap.add_argument('--tag', default='')
ap.add_argument('--save', default='')
args = ap.parse_args()

d = pickle.load(open('data.pkl', 'rb'))
scorers = pickle.load(open('scorers.pkl', 'rb'))
pages = d['pages']; page = d['page']; names = list(d['names']); X = d['X']
npg = len(pages)
starts = np.searchsorted(page, np.arange(npg)); ends = np.searchsorted(page, np.arange(npg), side='right')
y = {'tri5': d['y_tri'] >= 0.5, 'tri7': d['y_tri'] >= 0.7, 'tri3': d['y_tri'] >= 0.3}[args.label].astype(int)
if args.feats != 'all':
    keep = [l.strip() for l in open(args.feats)] if os.path.exists(args.feats) else None
    cols = [names.index(k) for k in keep]
    X = X[:, cols]; names = [names[c] for c in cols]
ntok = d['X'][:, list(d['names']).index('ntok')]
if args.weight == 'ntok':
    w = ntok.astype(float)
elif args.weight == 'pagenorm':   # each page's tokens sum to the mean page size: matches per-page averaged F1
    w = ntok.astype(float).copy()
    for i in range(npg):
        s = w[starts[i]:ends[i]].sum()
        if s: w[starts[i]:ends[i]] *= ntok.sum() / npg / s
else:
    w = np.ones(len(y))
rule_cols = [i for i, n in enumerate(names) if n.endswith('_rule')]
groups_pg = np.array([p['dom'] if args.group == 'dom' else p['pid'] for p in pages])
groups = groups_pg[page]


def fit_predict(tr, te):
    if args.model == 'lr':
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler, OneHotEncoder
        from sklearn.compose import ColumnTransformer
        from sklearn.pipeline import make_pipeline
        num = [i for i in range(X.shape[1]) if i not in rule_cols]
        ct = ColumnTransformer([('num', StandardScaler(), num),
                                ('cat', OneHotEncoder(handle_unknown='ignore'), rule_cols)])
        m = make_pipeline(ct, LogisticRegression(C=1.0, max_iter=2000))
        Xl = X.copy(); Xl[:, num] = np.sign(Xl[:, num]) * np.log1p(np.abs(Xl[:, num]))  # tame heavy tails
        m.fit(Xl[tr], y[tr], logisticregression__sample_weight=w[tr])
        return m.predict_proba(Xl[te])[:, 1], m
    if args.model == 'lgb':
        import lightgbm as lgb
        m = lgb.LGBMClassifier(n_estimators=args.trees, num_leaves=args.leaves, learning_rate=args.lr,
                               min_child_samples=50, subsample=0.8, subsample_freq=1, colsample_bytree=0.8,
                               n_jobs=1, verbose=-1)
        m.fit(X[tr], y[tr], sample_weight=w[tr], categorical_feature=rule_cols if rule_cols else 'auto')
        return m.predict_proba(X[te])[:, 1], m
    if args.model == 'hgb':
        from sklearn.ensemble import HistGradientBoostingClassifier
        Xh = X.copy(); Xh[:, rule_cols] += 1
        cat = np.zeros(X.shape[1], bool); cat[rule_cols] = True
        m = HistGradientBoostingClassifier(max_iter=args.trees, max_leaf_nodes=args.leaves, learning_rate=args.lr,
                                           min_samples_leaf=50, categorical_features=cat, early_stopping=False)
        m.fit(Xh[tr], y[tr], sample_weight=w[tr])
        return m.predict_proba(Xh[te])[:, 1], m


def smooth(p, pidx, alpha, k):
    """p_s = alpha*p + (1-alpha)*mean of the k previous and k next non-blank lines' p (same page)."""
    if alpha >= 1:
        return p
    out = p.copy()
    for i in np.unique(pidx):
        s, e = starts[i], ends[i]
        q = p[s:e]; n = len(q)
        c = np.concatenate([[0], np.cumsum(q)])
        lo = np.clip(np.arange(n) - k, 0, n); hi = np.clip(np.arange(n) + k + 1, 0, n)
        nb = (c[hi] - c[lo] - q) / np.maximum(hi - lo - 1, 1)
        out[s:e] = alpha * q + (1 - alpha) * nb
    return out


def page_rows(p_all, pg_list, thr):
    return [scorers[i].prf((p_all[starts[i]:ends[i]] >= thr).astype(float)) for i in pg_list]


THRS = np.round(np.arange(0.15, 0.86, 0.05), 2)
SMOOTH = [(1.0, 1), (0.7, 1), (0.5, 1), (0.7, 2), (0.5, 2)]

outer = GroupKFold(n_splits=5, shuffle=True, random_state=0)
p_oof = np.zeros(len(y)); p_oof_s = np.zeros(len(y))
chosen = []
t0 = time.time()
pg_idx = np.arange(npg)
for fo, (trp, tep) in enumerate(outer.split(pg_idx, groups=groups_pg)):
    tr = np.isin(page, trp); te = np.isin(page, tep)
    # inner CV on training pages for threshold/smoothing
    inner = GroupKFold(n_splits=3, shuffle=True, random_state=1)
    p_in = np.zeros(len(y))
    for itr, ite in inner.split(trp, groups=groups_pg[trp]):
        a = np.isin(page, trp[itr]); b = np.isin(page, trp[ite])
        p_in[b], _ = fit_predict(np.where(a)[0], np.where(b)[0])
    best_plain = max(THRS, key=lambda t: summarize(page_rows(p_in, trp, t))[2])
    best_s, best_f = None, -1
    for al, k in SMOOTH:
        ps = smooth(p_in, trp, al, k)
        for t in THRS:
            f = summarize(page_rows(ps, trp, t))[2]
            if f > best_f:
                best_f, best_s = f, (al, k, t)
    p, m = fit_predict(np.where(tr)[0], np.where(te)[0])
    p_oof[te] = p
    chosen.append(dict(fold=fo, thr=float(best_plain), smooth=[float(best_s[0]), best_s[1], float(best_s[2])]))
    pt = np.zeros(len(y)); pt[te] = p
    p_oof_s[te] = 0
    ps = smooth(pt, tep, best_s[0], best_s[1])
    # store decisions
    if fo == 0:
        dec = np.zeros(len(y)); dec_s = np.zeros(len(y))
    dec[te] = (p >= best_plain)
    dec_s[te] = (ps[te] >= best_s[2])
    print(f'fold {fo}: thr {best_plain} smooth {best_s} ({time.time()-t0:.0f}s)', file=sys.stderr)


def report(mask, label):
    rows = [scorers[i].prf(mask[starts[i]:ends[i]]) for i in range(npg)]
    P, R, F = summarize(rows)
    bt = defaultdict(list)
    for p, r in zip(pages, rows):
        bt[p['ptype']].append(r[2])
    res = dict(name=label, P=round(P, 4), R=round(R, 4), F1=round(F, 4),
               F1_se=round(np.std([r[2] for r in rows], ddof=1) / np.sqrt(npg), 4),
               by_type={k: round(float(np.mean(v)), 3) for k, v in sorted(bt.items())})
    print(json.dumps(res))
    return res, rows


from sklearn.metrics import roc_auc_score
tag = f'{args.model}{args.tag} label={args.label} w={args.weight} feats={args.feats} group={args.group}'
print('#', tag, 'line AUC %.4f' % roc_auc_score(y, p_oof), 'chosen', json.dumps(chosen))
r1, rows1 = report(dec, tag + ' plain')
r2, rows2 = report(dec_s, tag + ' smoothed')
if args.save:
    np.save(args.save + '_p.npy', p_oof); np.save(args.save + '_dec.npy', dec); np.save(args.save + '_decs.npy', dec_s)
    pickle.dump(dict(rows_plain=rows1, rows_smooth=rows2, chosen=chosen), open(args.save + '_rows.pkl', 'wb'))
