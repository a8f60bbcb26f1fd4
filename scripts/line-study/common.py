"""Shared helpers: the shared word scorer, and fast per-page scoring of line masks."""
import os
import sys
from collections import Counter
import numpy as np
import scipy.sparse as sp

# The shared scorer's own tokens and word metric.
sys.path.insert(0, os.environ.get("VELLUM_EVAL", os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/eval")))
from extract_eval import gold_text, word_prf  # noqa: E402
from extract_eval import tokens as _tokens  # noqa: E402


def tokens(text, lower=True):
    return _tokens(text, lower)


class PageScorer:
    """Per page: sparse line x vocab count matrix and gold vector; score any keep mask fast."""

    def __init__(self, line_token_lists, gold_tokens):
        vocab = {}
        for toks in line_token_lists:
            for t in toks:
                vocab.setdefault(t, len(vocab))
        gc = Counter(gold_tokens)
        self.ng = sum(gc.values())
        rows, cols, vals = [], [], []
        for i, toks in enumerate(line_token_lists):
            for t, c in Counter(toks).items():
                rows.append(i); cols.append(vocab[t]); vals.append(c)
        n = len(line_token_lists)
        self.L = sp.csr_matrix((vals, (rows, cols)), shape=(n, max(1, len(vocab))), dtype=np.float64)
        g = np.zeros(max(1, len(vocab)))
        for t, c in gc.items():
            if t in vocab:
                g[vocab[t]] = c
        self.g = g

    def prf(self, mask):
        mask = np.asarray(mask, dtype=np.float64)
        if self.L.shape[0] == 0:
            np_ = 0.0
            ov = 0.0
        else:
            pred = self.L.T @ mask
            np_ = pred.sum()
            ov = np.minimum(pred, self.g).sum()
        ng = self.ng
        if not ng:
            return (1.0, 1.0, 1.0) if not np_ else (0.0, 0.0, 0.0)
        if not np_:
            return (0.0, 0.0, 0.0)
        pr, rc = ov / np_, ov / ng
        return pr, rc, (2 * pr * rc / (pr + rc) if pr + rc else 0.0)


def summarize(rows):
    a = np.array(rows)
    return a.mean(axis=0)  # P, R, F1 averaged over pages, as the official scorer
