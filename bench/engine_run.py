"""Run the ``local`` engine of whichever ``frenchnovel`` is on PYTHONPATH over sets of sentences.

``python bench/engine_run.py IN.json OUT.json``: IN is ``{"limit": 8, "sets": {name: [sentence,
…]}}``; OUT gets ``{"module": <frenchnovel's path>, "sets": {name: {"pieces": [[…]…], "cpu": s}}}``
where ``cpu`` is the CPU time of segmenting then rewriting the set, the model already loaded.
``bench/rewriting.py`` runs it once per engine (today's tree, and a worktree of an older commit),
so each engine runs in its own process with its own modules.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))

    import frenchnovel
    from frenchnovel.pipeline.nlp import get_nlp
    from frenchnovel.pipeline.options import JobOptions
    from frenchnovel.pipeline.rewrite.local import LocalRewriter
    from frenchnovel.pipeline.segment import split_sentences

    options = JobOptions(sentence_length_limit=spec["limit"])
    get_nlp()  # loading the model is a once-per-process cost, not throughput
    LocalRewriter().rewrite(["Le vieux chien dormait au soleil, et les enfants jouaient."], options)
    runs = {}
    for name, sentences in spec["sets"].items():
        cpu = time.process_time()
        for sentence in sentences:
            split_sentences(sentence)
        pieces = LocalRewriter().rewrite(sentences, options).pieces
        runs[name] = {"pieces": pieces, "cpu": time.process_time() - cpu}
    out = {"module": frenchnovel.__file__, "sets": runs}
    Path(sys.argv[2]).write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
