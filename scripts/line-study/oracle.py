"""Baselines and oracle F1 for line-level keep/drop on WCXB-dev text."""
import pickle, numpy as np
from collections import defaultdict
from common import PageScorer, summarize
d = pickle.load(open('data.pkl','rb'))
pages = d['pages']; page = d['page']
scorers = [PageScorer(p['ltoks'], p['gtoks']) for p in pages]
pickle.dump(scorers, open('scorers.pkl','wb'))
starts = np.searchsorted(page, np.arange(len(pages)))
ends = np.searchsorted(page, np.arange(len(pages)), side='right')
def score(mask, bytype=False):
    rows = [scorers[i].prf(mask[starts[i]:ends[i]]) for i in range(len(pages))]
    s = summarize(rows)
    if not bytype: return s
    t = defaultdict(list)
    for p, r in zip(pages, rows): t[p['ptype']].append(r[2])
    return s, {k: round(np.mean(v),3) for k,v in sorted(t.items())}
kept = np.array([r=='kept' for p in pages for r in p['rules']], float)
print('whole page        P %.3f R %.3f F1 %.3f' % tuple(score(np.ones(len(page)))))
s, bt = score(kept, True); print('vellum kept lines P %.3f R %.3f F1 %.3f' % tuple(s), bt)
for name in ('y_tri','y_bag'):
    for t in (0.3, 0.5, 0.7):
        print(f'oracle {name}>={t}: P %.3f R %.3f F1 %.3f' % tuple(score((d[name]>=t).astype(float))), 'pos share %.3f' % (d[name]>=t).mean())
# greedy local search from the tri>=0.5 labels: toggle lines while page F1 improves (upper bound for line methods)
best = (d['y_tri']>=0.5).astype(float)
rows=[]
for i in range(len(pages)):
    m = best[starts[i]:ends[i]].copy(); sc = scorers[i]; f = sc.prf(m)[2]
    for _ in range(3):
        changed=False
        for j in np.argsort(-np.array([len(t) for t in pages[i]['ltoks']])):
            m[j]=1-m[j]; f2=sc.prf(m)[2]
            if f2>f+1e-12: f=f2; changed=True
            else: m[j]=1-m[j]
        if not changed: break
    best[starts[i]:ends[i]] = m
s, bt = score(best, True); print('greedy oracle     P %.3f R %.3f F1 %.3f' % tuple(s), bt)
s, bt = score((d['y_tri']>=0.5).astype(float), True); print('oracle tri>=.5 by type', bt)
np.save('y_greedy.npy', best)
