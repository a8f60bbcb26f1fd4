"""How good is the CV ranking: F1 with the best global threshold chosen on the test pages themselves (optimistic),
and with the best threshold per page (oracle, shows ranking quality)."""
import pickle, sys, numpy as np
from common import summarize
d=pickle.load(open('data.pkl','rb')); sc=pickle.load(open('scorers.pkl','rb')); page=d['page']; npg=len(d['pages'])
st=np.searchsorted(page,np.arange(npg)); en=np.searchsorted(page,np.arange(npg),side='right')
p=np.load(sys.argv[1]); T=np.round(np.arange(0.05,0.96,0.05),2)
F=np.array([[sc[i].prf((p[st[i]:en[i]]>=t).astype(float))[2] for t in T] for i in range(npg)])
g=F.mean(0); print('best global thr on test: %.2f F1 %.4f' % (T[g.argmax()], g.max())); print('per-page oracle thr: F1 %.4f' % F.max(1).mean())
