"""Build per-line features, labels and scorers for WCXB-dev text pages.
Output: data.pkl (dict with X, names, labels, page ids, types, groups, line tokens, gold tokens)."""
import glob, json, os, pickle, re, sys
from collections import Counter
from urllib.parse import urlparse
import numpy as np
from common import tokens, gold_text

C = os.environ.get('WCXB', os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../shared/corpus/wcxb-dev'))
RULES = ['kept', 'blank', 'repeated-block', 'stray-short', 'menu-item', 'outside-main', 'duplicate',
         'placeholder', 'no-words', 'caption', 'comment-thread', 'page-date']
RIDX = {r: i for i, r in enumerate(RULES)}
STOP = set("""a an the and or but if of to in on at by for with from as is are was were be been being this that these
those it its he she they we you i his her their our your my not no so than then there here which who whom what when
where why how all any some can could will would should may might must do does did has have had also into over
about after before more most such only other de la le les et des du un une el en y los las der die das und den ist
il di che per""".split())
EXPLAIN = re.compile(r"^\s*(\d+) (\S+)\s{1,}(.*)$")


def domain(url):
    if not url:
        return None
    h = (urlparse(url).hostname or '').lower()
    parts = h.split('.')
    if len(parts) >= 3 and parts[-2] in ('co', 'com', 'org', 'ac', 'gov', 'net', 'edu') and len(parts[-1]) == 2:
        return '.'.join(parts[-3:])
    return '.'.join(parts[-2:])


def parse_explain(path, n):
    rules, texts = [], []
    for line in open(path, encoding='utf-8', errors='replace').read().split('\n')[:n]:
        m = re.match(r"^\s*(\d+) (\S+)", line)
        if not m:
            rules.append('blank'); texts.append(''); continue
        rules.append(m.group(2))
        texts.append(line[24:] if len(line) > 24 else '')
    while len(rules) < n:
        rules.append('blank'); texts.append('')
    return rules, texts


def labels_for(line_toks, gold_toks):
    """Per line: share of tokens covered by a gold trigram (on the page-wide token stream), and
    share of tokens found in the gold bag (multiset, consumed in order)."""
    stream, owner = [], []
    for i, t in enumerate(line_toks):
        stream += t; owner += [i] * len(t)
    g3 = set(zip(gold_toks, gold_toks[1:], gold_toks[2:]))
    cov = np.zeros(len(stream), bool)
    for j in range(len(stream) - 2):
        if (stream[j], stream[j + 1], stream[j + 2]) in g3:
            cov[j:j + 3] = True
    n = len(line_toks)
    tri = np.zeros(n); bag = np.zeros(n)
    cnt = np.zeros(n)
    for j, i in enumerate(owner):
        cnt[i] += 1; tri[i] += cov[j]
    gset = set(gold_toks)
    for i, t in enumerate(line_toks):
        if t:
            bag[i] = sum(1 for x in t if x in gset) / len(t)
    with np.errstate(invalid='ignore', divide='ignore'):
        tri = np.where(cnt > 0, tri / np.maximum(cnt, 1), 0)
    return tri, bag


def line_feats(text, raw):
    toks = tokens(text, lower=False)
    nt = len(toks)
    nc = len(text)
    letters = [c for c in text if c.isalpha()]
    nl = max(1, len(letters))
    last = text.rstrip()[-1:] if text.strip() else ''
    first = text.lstrip()[:1]
    f = {
        'ntok': nt, 'log_ntok': np.log1p(nt), 'nchar': nc, 'log_nchar': np.log1p(nc),
        'mean_wlen': (sum(len(t) for t in toks) / nt) if nt else 0,
        'indent': len(raw) - len(raw.lstrip(' ')) if raw else 0,
        'end_period': float(last in '.。'), 'end_punct': float(last in '.!?。！？"”\''),
        'end_colon': float(last == ':'), 'end_comma': float(last in ',;'),
        'end_digit': float(last.isdigit()), 'end_alpha': float(last.isalpha()),
        'start_bullet': float(first in '•□◦▪●*-–·◆▶►○■'),
        'start_digit': float(first.isdigit()), 'start_upper': float(first.isupper()),
        'numbered': float(bool(re.match(r'^\s*\d+[.)]\s', text))),
        'n_bracket': text.count('['), 'n_pipe': text.count('|'), 'n_bullets': sum(text.count(c) for c in '•□◦▪●·'),
        'n_star': text.count('*'), 'n_arrow': sum(text.count(c) for c in '»›<>→←'),
        'has_copy': float('©' in text or '(c)' in text.lower()), 'has_at': float('@' in text),
        'has_url': float('http' in text or 'www.' in text),
        'has_currency': float(bool(re.search(r'[$€£¥]', text))),
        'n_sent_punct': len(re.findall(r'[.!?](\s|$)', text)), 'n_comma': text.count(','),
        'digit_share': sum(c.isdigit() for c in text) / max(1, nc),
        'upper_share': sum(c.isupper() for c in letters) / nl,
        'alpha_share': len(letters) / max(1, nc),
        'title_share': (sum(t[:1].isupper() for t in toks) / nt) if nt else 0,
        'stop_share': (sum(t.lower() in STOP for t in toks) / nt) if nt else 0,
        'num_tok_share': (sum(t.isdigit() for t in toks) / nt) if nt else 0,
        'nonascii_share': sum(ord(c) > 127 for c in text) / max(1, nc),
    }
    return f


def build_page(pid):
    raw_text = open(f'{C}/text/{pid}.txt', encoding='utf-8', errors='replace').read()
    raw_lines = raw_text.split('\n')
    if raw_lines and raw_lines[-1] == '':
        raw_lines = raw_lines[:-1]
    n = len(raw_lines)
    rules, texts = parse_explain(f'explain/{pid}.txt', n)
    # use explain text (normalised) when present, raw stripped otherwise
    texts = [t if t else r.strip() for t, r in zip(texts, raw_lines)]
    ltoks = [tokens(t) for t in texts]
    gd = json.load(open(f'{C}/gold/{pid}.json'))
    gtoks = tokens(gold_text(gd))
    tri, bag = labels_for(ltoks, gtoks)
    ptype = gd.get('_internal', {}).get('page_type', {}).get('primary', 'unknown')
    return dict(pid=pid, raw=raw_lines, texts=texts, rules=rules, ltoks=ltoks, gtoks=gtoks, tri=tri, bag=bag,
                ptype=ptype, url=gd.get('url'))


def page_features(p):
    texts, rules, ltoks = p['texts'], p['rules'], p['ltoks']
    n = len(texts)
    nt = np.array([len(t) for t in ltoks], float)
    kept = np.array([r == 'kept' for r in rules], float)
    nonblank = nt > 0
    cum = np.cumsum(nt)
    total = max(1.0, nt.sum())
    cnt = Counter(t.strip() for t in texts if t.strip())
    # blocks: separated by blank lines (no non-space text)
    block_id = np.zeros(n, int); b = 0; prev_blank = True
    for i, t in enumerate(texts):
        if not t.strip():
            if not prev_blank:
                b += 1
            prev_blank = True
            block_id[i] = -1
        else:
            block_id[i] = b; prev_blank = False
    bl_lines = Counter(block_id[block_id >= 0])
    bl_toks = Counter()
    bl_kept = Counter()
    for i in range(n):
        if block_id[i] >= 0:
            bl_toks[block_id[i]] += nt[i]; bl_kept[block_id[i]] += kept[i] * nt[i]
    bl_start = {}
    for i in range(n):
        if block_id[i] >= 0 and block_id[i] not in bl_start:
            bl_start[block_id[i]] = i
    lf = [line_feats(t, r) for t, r in zip(texts, p['raw'])]
    idx_nb = np.where(nonblank)[0]
    # kept-token density windows (over all lines)
    kt = kept * nt
    def window_sum(a, k):
        c = np.concatenate([[0], np.cumsum(a)])
        lo = np.clip(np.arange(n) - k, 0, n); hi = np.clip(np.arange(n) + k + 1, 0, n)
        return c[hi] - c[lo]
    w3k, w3t = window_sum(kt, 3), window_sum(nt, 3)
    w10k, w10t = window_sum(kt, 10), window_sum(nt, 10)
    w30k, w30t = window_sum(kt, 30), window_sum(nt, 30)
    kept_idx = np.where(kept > 0)[0]
    first_kept = kept_idx[0] if len(kept_idx) else n
    last_kept = kept_idx[-1] if len(kept_idx) else -1
    rows = []
    pos_nb = {j: k for k, j in enumerate(idx_nb)}
    for i in idx_nb:
        f = dict(lf[i])
        f['rel_pos'] = i / max(1, n - 1)
        f['rel_tokpos'] = cum[i] / total
        f['lines_from_end'] = np.log1p(n - i)
        f['lines_from_start'] = np.log1p(i)
        f['dup_count'] = cnt[texts[i].strip()]
        bid = block_id[i]
        f['block_lines'] = bl_lines[bid]; f['block_toks'] = np.log1p(bl_toks[bid])
        f['block_pos'] = i - bl_start[bid]
        f['block_kept_share'] = bl_kept[bid] / max(1, bl_toks[bid])
        f['page_toks'] = np.log1p(total); f['page_lines'] = np.log1p(n)
        f['page_kept_share'] = kt.sum() / total
        f['win3_kept'] = w3k[i] / max(1, w3t[i]); f['win10_kept'] = w10k[i] / max(1, w10t[i])
        f['win30_kept'] = w30k[i] / max(1, w30t[i])
        f['win10_toks'] = np.log1p(w10t[i])
        f['in_kept_span'] = float(first_kept <= i <= last_kept)
        f['before_first_kept'] = float(i < first_kept); f['after_last_kept'] = float(i > last_kept)
        d = np.abs(kept_idx - i)
        f['dist_kept'] = np.log1p(d.min()) if len(d) else 10
        for r in RULES:
            if r != 'blank':
                f['rule_' + r] = float(rules[i] == r)
        k = pos_nb[i]
        for off, name in ((-1, 'p1'), (1, 'n1'), (-2, 'p2'), (2, 'n2')):
            kk = k + off
            if 0 <= kk < len(idx_nb):
                j = idx_nb[kk]
                f[name + '_ntok'] = np.log1p(nt[j]); f[name + '_kept'] = kept[j]
                f[name + '_endp'] = lf[j]['end_punct']; f[name + '_gap'] = np.log1p(abs(j - i) - 1)
                f[name + '_rule'] = RIDX.get(rules[j], -1)
                f[name + '_samerule'] = float(rules[j] == rules[i])
            else:
                f[name + '_ntok'] = 0; f[name + '_kept'] = 0; f[name + '_endp'] = 0; f[name + '_gap'] = 5
                f[name + '_rule'] = -1; f[name + '_samerule'] = 0
        rows.append(f)
    return idx_nb, rows


def main():
    pids = sorted(os.path.basename(f)[:-5] for f in glob.glob(f'{C}/gold/*.json'))
    X, names = [], None
    line_page, line_idx, y_tri, y_bag = [], [], [], []
    pages = []
    for pi, pid in enumerate(pids):
        p = build_page(pid)
        idx, rows = page_features(p)
        if names is None and rows:
            names = list(rows[0].keys())
        for i, f in zip(idx, rows):
            X.append([f[k] for k in names])
            line_page.append(pi); line_idx.append(i)
            y_tri.append(p['tri'][i]); y_bag.append(p['bag'][i])
        pages.append(dict(pid=pid, ptype=p['ptype'], url=p['url'], dom=domain(p['url']) or 'nourl-' + pid,
                          ltoks=[p['ltoks'][i] for i in idx], rules=[p['rules'][i] for i in idx],
                          gtoks=p['gtoks']))
        if pi % 200 == 0:
            print(pi, file=sys.stderr)
    data = dict(X=np.array(X, np.float32), names=names, page=np.array(line_page), lidx=np.array(line_idx),
                y_tri=np.array(y_tri), y_bag=np.array(y_bag), pages=pages)
    pickle.dump(data, open('data.pkl', 'wb'))
    print(data['X'].shape, len(names))


if __name__ == '__main__':
    main()
