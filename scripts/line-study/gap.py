"""Where the gap between the CV model, vellum and the tri>=0.5 oracle lies, by page type (share of overall F1)."""
import pickle, numpy as np
from collections import defaultdict
d=pickle.load(open('data.pkl','rb')); sc=pickle.load(open('scorers.pkl','rb')); pages=d['pages']; page=d['page']; npg=len(pages)
st=np.searchsorted(page,np.arange(npg)); en=np.searchsorted(page,np.arange(npg),side='right')
kept=np.array([r=='kept' for p in pages for r in p['rules']],float)
sets={'vellum':kept,'lgb':np.load('lgb_dec.npy'),'oracle':(d['y_tri']>=0.5).astype(float)}
F={k:np.array([sc[i].prf(v[st[i]:en[i]])[2] for i in range(npg)]) for k,v in sets.items()}
T=np.array([p['ptype'] for p in pages])
print(f"{'type':14s} n    vellum  lgb    oracle  (oracle-lgb)*n/N")
for t in sorted(set(T)):
    m=T==t; print(f"{t:14s} {m.sum():4d} {F['vellum'][m].mean():.3f} {F['lgb'][m].mean():.3f} {F['oracle'][m].mean():.3f}  {((F['oracle']-F['lgb'])[m].sum()/npg):.4f}")
print('pages lgb F1<0.3:', (F['lgb']<0.3).sum(), ' of which oracle>0.8:', ((F['lgb']<0.3)&(F['oracle']>0.8)).sum())
print('mean F1 if the worst 5 pct pages (by lgb) were lifted to oracle: %.4f' % np.where(F['lgb']<=np.percentile(F['lgb'],5),F['oracle'],F['lgb']).mean())
bad=np.where((F['lgb']<0.3)&(F['oracle']>0.8))[0]
dec=sets['lgb']; tot=np.array([sum(len(t) for t in pages[i]['ltoks']) for i in range(npg)])
for i in bad[:25]:
    pr=sc[i].prf(dec[st[i]:en[i]]); keptt=sum(len(t) for t,k in zip(pages[i]['ltoks'],dec[st[i]:en[i]]) if k)
    print(pages[i]['pid'], pages[i]['ptype'], 'P %.2f R %.2f F %.2f'%pr, 'gold toks',len(pages[i]['gtoks']),'page toks',tot[i],'kept toks',keptt, 'vellum F %.2f'%F['vellum'][i])
