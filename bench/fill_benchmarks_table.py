#!/usr/bin/env python3
"""Copies a comparison's tables into BENCHMARKS.md.

usage: bench/fill_benchmarks_table.py RESULTS_DIR DOCS_DIR [BENCHMARKS.md]

Copies comparison.md and .png (the report and plot; the JSON stays with the run outputs) from RESULTS_DIR to DOCS_DIR (nothing to copy when they are
the same folder: results folders are committed as docs/benchmarks/<comparison>), then replaces the block between the first '<!-- table -->' and
'<!-- /table -->' after the line naming DOCS_DIR in BENCHMARKS.md with the report's mIoU table, its
"% of full" table and its target checks.
"""
import pathlib
import shutil
import sys


def section(md, title):
    lines = md.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("## ") and title in l)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return [l for l in lines[start + 1:end] if l.startswith("|") or l.startswith("- ")]


def main(results, docs, benchmarks="BENCHMARKS.md"):
    results, docs, bench = pathlib.Path(results), pathlib.Path(docs), pathlib.Path(benchmarks)
    docs.mkdir(parents=True, exist_ok=True)
    if results.resolve() != docs.resolve():
        for f in ("comparison.md", "comparison.png"):
            shutil.copyfile(results / f, docs / f)
    md = (results / "comparison.md").read_text()
    block = ["<!-- table -->", "Validation mIoU % by share of the pool's pixels labelled:", ""]
    block += section(md, "Validation mIoU") + ["", "% of full:", ""] + section(md, "% of full")
    block += ["", "Targets, as the report checks them:", ""] + section(md, "Targets") + ["<!-- /table -->"]
    text = bench.read_text()
    anchor = text.index(str(docs))
    start = text.index("<!-- table -->", anchor)
    end = text.index("<!-- /table -->", start) + len("<!-- /table -->")
    bench.write_text(text[:start] + "\n".join(block) + text[end:])
    print(f"{bench}: table from {results / 'comparison.md'}")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(*sys.argv[1:])
