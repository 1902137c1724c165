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

A full-schedule reference (a compare arm without project.db: rounds.json and rounds/ only) forks the same way:
rounds >= R leave rounds.json and rounds/, finished.json is dropped, and with --set SETTING(s) the copied
config.yaml gets them, so the comparison resumes it at round R with the new setting instead of refusing a folder
made with other settings:

    python3 bench/fork_experiment.py runs/P/full-schedule-s42 runs/SCREEN/full-schedule-s42 8 train.class_weight_power=0.5
    ./semiactive compare --config PRESET --set run.name=SCREEN --set train.class_weight_power=0.5 [...] --methods full-schedule --seeds 42
"""
import json
import shutil
import sqlite3
import sys
from pathlib import Path


def main(argv):
    if len(argv) < 4:
        sys.exit("usage: fork_experiment.py SOURCE_RUN_DIR TARGET_DIR ROUND [KEY=VALUE ...] (settings: full-schedule only)")
    source, target, r = Path(argv[1]), Path(argv[2]), int(argv[3])
    store = source / "project.db"
    if not store.is_file() and (source / "rounds.json").is_file():
        return fork_schedule_reference(source, target, r, argv[4:])
    if len(argv) > 4:
        sys.exit("settings are for a full-schedule fork; give an experiment's with --set to ./semiactive experiment")
    if not store.is_file():
        sys.exit(f"{store} not found: SOURCE_RUN_DIR must be an experiment's run.output_dir")
    if r < 1:
        sys.exit(f"round {r}: round 0 trains nothing, fork at ROUND >= 1")
    if r > 1 and not (source / "rounds" / f"round-{r - 1:02d}" / "checkpoints").is_dir():
        sys.exit(f"{source}/rounds/round-{r - 1:02d}/checkpoints not found: the source has not trained round {r - 1}")
    tmp = partial_copy_of_rounds(source, target, r)
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


def partial_copy_of_rounds(source, target, r):
    """TARGET.partial with copies of the source's rounds/round-NN for NN < r (renamed to TARGET when complete)."""
    if target.exists():
        sys.exit(f"{target} exists: pick a new TARGET_DIR (nothing was changed)")
    tmp = target.with_name(target.name + ".partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    (tmp / "rounds").mkdir(parents=True)
    for d in sorted((source / "rounds").iterdir()):
        if d.name.startswith("round-") and int(d.name[6:]) < r:
            shutil.copytree(d, tmp / "rounds" / d.name)
    return tmp


def fork_schedule_reference(source, target, r, settings):
    """The full-schedule reference cut back to rounds < r, with SETTINGS written into its config.yaml."""
    for setting in settings:  # checked before anything is written
        key, _, value = setting.partition("=")
        section, _, name = key.partition(".")
        if not value or not name or "." in name:
            sys.exit(f"setting {setting!r}: use SECTION.KEY=VALUE, e.g. train.class_weight_power=0.5")
    if r < 2 or not (source / "rounds" / f"round-{r - 1:02d}" / "checkpoints").is_dir():
        sys.exit(f"{source}/rounds/round-{r - 1:02d}/checkpoints not found: fork a full-schedule at a round it trained after round 1")
    tmp = partial_copy_of_rounds(source, target, r)
    rounds = json.loads((source / "rounds.json").read_text())
    kept = {k: v for k, v in rounds.items() if int(k) < r}
    (tmp / "rounds.json").write_text(json.dumps(kept, indent=2))
    config = (source / "config.yaml").read_text().splitlines()
    for setting in settings:
        key, _, value = setting.partition("=")
        section, _, name = key.partition(".")
        config = set_yaml(config, section, name, value)
    (tmp / "config.yaml").write_text("\n".join(config) + "\n")
    for f in ("manifest.json", "report.md"):
        if (source / f).is_file():
            shutil.copy2(source / f, tmp / f)
    tmp.rename(target)
    print(f"{target}: {source.name} cut back to rounds < {r}" + (f", with {' '.join(settings)}" if settings else ""))


def set_yaml(lines, section, name, value):
    """Sets SECTION.NAME in a config.yaml written by the tool (top-level sections, two-space keys)."""
    out, i = list(lines), None
    for n, line in enumerate(out):
        if line == f"{section}:":
            i = n
            break
    if i is None:
        sys.exit(f"config.yaml has no section {section!r}")
    end = i + 1
    while end < len(out) and (out[end].startswith(" ") or not out[end].strip()):
        if out[end].startswith(f"  {name}:"):
            out[end] = f"  {name}: {value}"
            return out
        end += 1
    out.insert(i + 1, f"  {name}: {value}")
    return out


if __name__ == "__main__":
    main(sys.argv)
