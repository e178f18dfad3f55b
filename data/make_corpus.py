"""Build data/articles.jsonl: real English text for the full-text-search lessons.

Source: Python's own reference documentation, which every Python ships as pydoc_data.topics
(the text behind `help('topics')`). Each paragraph of 25+ words becomes one article; its tags
are the course keywords it mentions. Deterministic: sorted topics, paragraphs in order.

    python data/make_corpus.py        # rewrites data/articles.jsonl (committed; loading never rebuilds it)
"""

import json
import re
import sys
from pathlib import Path

KEYWORDS = [
    "class",
    "function",
    "loop",
    "exception",
    "string",
    "number",
    "import",
    "module",
    "iterator",
    "generator",
    "scope",
    "operator",
    "attribute",
    "method",
    "dictionary",
    "list",
]
OUT = Path(__file__).with_name("articles.jsonl")


def articles():
    from pydoc_data.topics import topics

    for topic in sorted(topics):
        paragraphs = [" ".join(p.split()) for p in topics[topic].split("\n\n")]
        paragraphs = [p for p in paragraphs if len(p.split()) >= 25]
        for number, text in enumerate(paragraphs, start=1):
            words = set(re.findall(r"[a-z]+", text.lower()))
            yield {
                "title": f"{topic.replace('-', ' ')} §{number}",
                "content": text,
                "tags": [k for k in KEYWORDS if k in words or k + "s" in words],
                "metadata": {
                    "topic": topic,
                    "paragraph": number,
                    "words": len(text.split()),
                    "python": f"{sys.version_info.major}.{sys.version_info.minor}",
                },
            }


if __name__ == "__main__":
    rows = list(articles())
    OUT.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    print(f"{len(rows)} articles -> {OUT.name}")
