"""Gain importance of a LightGBM fit on all pages (same settings as cv.py lgb), grouped, plus LR coefficients."""
import pickle, numpy as np, lightgbm as lgb
d = pickle.load(open('data.pkl','rb')); X=d['X']; names=list(d['names']); y=(d['y_tri']>=0.5).astype(int)
rule_cols=[i for i,n in enumerate(names) if n.endswith('_rule')]
m = lgb.LGBMClassifier(n_estimators=300, num_leaves=31, learning_rate=0.05, min_child_samples=50, subsample=0.8,
    subsample_freq=1, colsample_bytree=0.8, n_jobs=1, verbose=-1).fit(X, y, categorical_feature=rule_cols)
g = m.booster_.feature_importance('gain'); g = g/g.sum()
order = np.argsort(-g)
for i in order[:30]: print(f'{names[i]:20s} {g[i]:.3f}')
open('top25.txt','w').write('\n'.join(names[i] for i in order[:25])+'\n')
open('top15.txt','w').write('\n'.join(names[i] for i in order[:15])+'\n')
groups = {'vellum rule/kept (line)': [n for n in names if n.startswith('rule_')],
          'vellum context (windows, neighbours kept/rule, span, dist)': [n for n in names if n.startswith(('win','in_kept','before_first','after_last','dist_kept','block_kept','page_kept')) or n.endswith(('_kept','_rule','_samerule'))],
          'length': ['ntok','log_ntok','nchar','log_nchar','mean_wlen'],
          'position': ['rel_pos','rel_tokpos','lines_from_end','lines_from_start','page_toks','page_lines'],
          'block': ['block_lines','block_toks','block_pos'],
          'neighbour shape': [n for n in names if n[:2] in ('p1','n1','p2','n2') and n.endswith(('_ntok','_endp','_gap'))]}
used=set(sum(groups.values(),[]))
groups['char/punct/lexical'] = [n for n in names if n not in used]
for k,v in groups.items(): print(f'group {k:60s} {sum(g[names.index(n)] for n in v):.3f}  ({len(v)} feats)')
