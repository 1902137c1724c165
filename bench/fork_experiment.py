#!/usr/bin/env python3
"""Forks a finished active-learning experiment at round R, to retrain that one round another way.

    python3 bench/fork_experiment.py SOURCE_RUN_DIR TARGET_DIR ROUND
    ./semiactive experiment --config PRESET --set run.output_dir=TARGET_DIR --set al.rounds=ROUND [--set ...]

The target gets the source's project store cut back to "round R started" (the labels, queries, PLAR
refinements and metrics of rounds >= R removed; the label set rounds 0..R-1 chose is kept, so is round
R-1's PLAR, which round R trains on) and copies of rounds/round-(R-1) and earlier. The experiment then
resumes at round R: it trains round R from round R-1's model (round 1 from scratch) on exactly the labels the source trained it on,
scores and evaluates it, and stops (al.rounds = R makes R the last round). Used for the screens in
docs/tsf.md ("One round, same labels"): the same label set and starting model, one setting changed.
The source is only read.
"""
import shutil
import sqlite3
import sys
from pathlib import Path


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: fork_experiment.py SOURCE_RUN_DIR TARGET_DIR ROUND")
    source, target, r = Path(argv[1]), Path(argv[2]), int(argv[3])
    store = source / "project.db"
    if not store.is_file():
        sys.exit(f"{store} not found: SOURCE_RUN_DIR must be an experiment's run.output_dir")
    if r < 1:
        sys.exit(f"round {r}: round 0 trains nothing, fork at ROUND >= 1")
    if r > 1 and not (source / "rounds" / f"round-{r - 1:02d}" / "checkpoints").is_dir():
        sys.exit(f"{source}/rounds/round-{r - 1:02d}/checkpoints not found: the source has not trained round {r - 1}")
    if target.exists():
        sys.exit(f"{target} exists: pick a new TARGET_DIR (nothing was changed)")
    tmp = target.with_name(target.name + ".partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    (tmp / "rounds").mkdir(parents=True)
    for d in sorted((source / "rounds").iterdir()):
        if d.name.startswith("round-") and int(d.name[6:]) < r:
            shutil.copytree(d, tmp / "rounds" / d.name)
    # a consistent copy even if the source is open elsewhere
    with sqlite3.connect(store) as src, sqlite3.connect(tmp / "project.db") as dst:
        src.backup(dst)
    with sqlite3.connect(tmp / "project.db") as db:
        for table in ("labels", "queries", "metrics", "plar"):
            db.execute(f"DELETE FROM {table} WHERE round >= ?", (r,))
        db.execute("DELETE FROM round_phases WHERE round > ? OR (round = ? AND phase <> 'started')", (r, r))
        db.execute("DELETE FROM rounds WHERE round > ?", (r,))
        db.execute("UPDATE rounds SET phase = 'started' WHERE round = ?", (r,))
    tmp.rename(target)
    print(f"{target}: {source.name} cut back to round {r} started")


if __name__ == "__main__":
    main(sys.argv)
