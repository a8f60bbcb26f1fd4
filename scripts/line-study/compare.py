"""Paired per-page comparison of saved CV decisions against vellum's own kept lines."""
import pickle, sys, numpy as np
from collections import defaultdict
from common import summarize
d = pickle.load(open('data.pkl','rb')); sc = pickle.load(open('scorers.pkl','rb'))
pages=d['pages']; page=d['page']; npg=len(pages)
st=np.searchsorted(page,np.arange(npg)); en=np.searchsorted(page,np.arange(npg),side='right')
kept=np.array([r=='kept' for p in pages for r in p['rules']],float)
fv=np.array([sc[i].prf(kept[st[i]:en[i]])[2] for i in range(npg)])
for name in sys.argv[1:]:
    dec=np.load(name)
    f=np.array([sc[i].prf(dec[st[i]:en[i]])[2] for i in range(npg)])
    diff=f-fv
    rng=np.random.default_rng(0); bs=[diff[rng.integers(0,npg,npg)].mean() for _ in range(2000)]
    print(f'{name}: F1 {f.mean():.4f} vs vellum {fv.mean():.4f}: diff {diff.mean():+.4f} 95% CI [{np.percentile(bs,2.5):+.4f},{np.percentile(bs,97.5):+.4f}]; pages better {np.sum(diff>0.01)}, worse {np.sum(diff<-0.01)}')
