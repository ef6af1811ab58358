"""Full-text search over the knowledge base with a stored, indexed search document.

English text is matched by words (stemmed); Chinese, which has no spaces between words, by
character n-grams: every record stores its Chinese text as unigrams and bigrams
(``KBRecord.search_grams``), and a Chinese query matches when all of its bigrams (or, for one
character, that character) are in the record.

- PostgreSQL: a stored generated ``tsvector`` column ``search_document`` (name and key weight
  A, English text and Chinese n-grams weight B) with a GIN index; ranked by ``ts_rank``.
- SQLite (the embedded default): an FTS5 table ``kb_kbrecord_fts`` kept in step by triggers;
  ranked by BM25.

Both are created by migration ``kb.0003_search_document``; no row's text is converted at query
time. On both backends at most ``RANK_CANDIDATES`` matching records are ranked (the record whose key
is the query always among them): ranking reads each candidate's whole search document, so a common
word in a large knowledge base would otherwise cost a read of every match. The knowledge base
today has far fewer matches than that for any query of more than a few letters.
"""

from __future__ import annotations

import re

from django.db import connection

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)


def zh_grams(text: str) -> str:
    """The Chinese runs of ``text`` as space-separated unigrams and bigrams."""
    out: list[str] = []
    for run in CJK.findall(text or ""):
        out.extend(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(out)


def query_grams(query: str) -> list[str]:
    """The n-grams a record must contain to match the Chinese part of ``query``."""
    grams: list[str] = []
    for run in CJK.findall(query):
        grams.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    return list(dict.fromkeys(grams))


def query_words(query: str) -> list[str]:
    """The non-Chinese words of ``query``."""
    return [w for w in WORD.findall(CJK.sub(" ", query)) if w]


RANK_CANDIDATES = 1000


def search_ids(query: str, *, limit: int, exclude_kind: str, offset: int = 0) -> list[int]:
    """Ids of the best-matching records (best first), ``limit`` of them from ``offset``."""
    words, grams = query_words(query), query_grams(query)
    if not words and not grams:
        return []
    if connection.vendor == "postgresql":
        return _pg_search(words, grams, limit=limit, offset=offset, exclude_kind=exclude_kind, raw=query)
    return _sqlite_search(words, grams, limit=limit, offset=offset, exclude_kind=exclude_kind, raw=query)


def _pg_search(
    words: list[str], grams: list[str], *, limit: int, offset: int, exclude_kind: str, raw: str
) -> list[int]:
    parts, params = [], []
    lexemes = [part for w in words for part in re.findall(r"[^\W_]+", w)]
    if lexemes:
        # every word, stemmed, as a prefix: "osimer" finds "osimertinib", "lungs" finds "lung"
        parts.append("to_tsquery('english', %s)")
        params.append(" & ".join(f"{x}:*" for x in lexemes))
    if grams:
        parts.append("plainto_tsquery('simple', %s)")
        params.append(" ".join(grams))
    tsquery = " && ".join(parts)
    # candidates: the matches the GIN index finds (at most RANK_CANDIDATES; the key is in the
    # document) and the record whose key is the query (index on lower(key)); only they are ranked,
    # each as the candidate row is read (not read again by id to rank it: at 100x data that
    # second read of 1,000 rows was a third of the query)
    rank = "SELECT r.id, r.kind, r.key, ts_rank(r.search_document, q.query) AS rank FROM kb_kbrecord r, q "
    sql = (
        f"WITH q(query) AS MATERIALIZED ({'SELECT ' + tsquery}), "  # noqa: S608 - fixed SQL, values bound
        f"c AS (({rank}WHERE r.kind <> %s AND r.search_document @@ q.query LIMIT %s) "
        f"UNION {rank}WHERE lower(r.key) = lower(%s) AND r.kind <> %s AND r.search_document @@ q.query) "
        "SELECT c.id FROM c ORDER BY (lower(c.key) = lower(%s)) DESC, c.rank DESC, c.kind, c.key "
        "LIMIT %s OFFSET %s"
    )
    key = raw.strip()
    with connection.cursor() as cur:
        cur.execute(sql, [*params, exclude_kind, RANK_CANDIDATES, key, exclude_kind, key, limit, offset])
        return [row[0] for row in cur.fetchall()]


def _fts5_phrase(token: str, prefix: bool = False) -> str:
    return '"' + token.replace('"', '""') + '"' + ("*" if prefix else "")


def _sqlite_search(
    words: list[str], grams: list[str], *, limit: int, offset: int, exclude_kind: str, raw: str
) -> list[int]:
    # Latin words match as prefixes ("osimer" finds "osimertinib"); Chinese n-grams exactly.
    terms = [_fts5_phrase(w, prefix=True) for w in words] + [
        "search_grams : " + _fts5_phrase(g) for g in grams
    ]
    match = " AND ".join(terms)
    # as on PostgreSQL: the candidates are at most RANK_CANDIDATES matches the index finds (in
    # rowid order, unranked) and the record whose key is the query (index on lower(key)); only
    # they are ranked by BM25 and sorted
    sql = (
        "WITH c(id) AS ("
        "SELECT r.id FROM kb_kbrecord_fts JOIN kb_kbrecord r ON r.id = kb_kbrecord_fts.rowid "
        "WHERE kb_kbrecord_fts MATCH %s AND r.kind <> %s LIMIT %s"
        "), k(id) AS (SELECT r.id FROM kb_kbrecord r WHERE lower(r.key) = lower(%s) AND r.kind <> %s) "
        "SELECT r.id FROM kb_kbrecord_fts JOIN kb_kbrecord r ON r.id = kb_kbrecord_fts.rowid "
        "WHERE kb_kbrecord_fts MATCH %s AND kb_kbrecord_fts.rowid IN (SELECT id FROM c UNION SELECT id FROM k) "
        "ORDER BY (lower(r.key) = lower(%s)) DESC, bm25(kb_kbrecord_fts, 20.0, 10.0, 1.0, 1.0), "
        "r.kind, r.key LIMIT %s OFFSET %s"
    )
    key = raw.strip()
    with connection.cursor() as cur:
        cur.execute(sql, [match, exclude_kind, RANK_CANDIDATES, key, exclude_kind, match, key, limit, offset])
        return [row[0] for row in cur.fetchall()]
