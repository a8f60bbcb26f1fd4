# reproduce the official 0.780 from the saved vellum JSONL outputs with the reimplemented scorer
import json, glob, os
from common import word_prf, summarize, gold_text
G=os.path.join(os.environ.get('WCXB', os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../shared/corpus/wcxb-dev')), 'gold')
rows=[]
for f in sorted(glob.glob(G+'/*.json')):
    pid=os.path.basename(f)[:-5]
    gold=gold_text(json.load(open(f)))
    out=open(f'out/{pid}.jsonl').read().strip()
    arts=[json.loads(l) for l in out.split('\n') if l.strip()] if out else []
    pred="\n\n".join(a.get('text','') for a in arts)
    rows.append(word_prf(gold,pred))
print('reimpl on vellum jsonl: P %.4f R %.4f F1 %.4f'%tuple(summarize(rows)))
