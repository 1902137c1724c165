#!/usr/bin/env python3
"""What each round of an experiment labelled: regions, images touched, and the share of labelled pixels per class.

usage: bench/label_stats.py ARM_DIR [ARM_DIR ...] [--classes Sky,Building,...] [--mix CLASS:OTHER]

Reads ARM_DIR/project.db (the run folder of one comparison arm, e.g.
runs/camvid-al-cpu-lambda0-ema09/tsf-plar-s43) and prints one markdown row per arm and round. Class shares
are of the non-void labelled pixels of that round alone; a strategy that finds rare classes shows larger
shares for them than `random`. Only the standard library: it decodes the store's sparse label blobs
(deflate + LEB128 runs, store.BlobCodec.encodeSparse) itself.

--mix CLASS:OTHER (names from --classes, or indices) prints instead, per arm over the rounds after round 0, the
pixels of CLASS labelled, the share of them in regions that are at least 90% CLASS (non-void), and the share in
regions that also hold OTHER: whether a strategy labels a class inside itself or where it meets the class the
model confuses it with (BENCHMARKS.md, "Twice the steps a round": Tree against Building).
"""
import collections
import pathlib
import sqlite3
import sys
import zlib

VOID = 255


def varints(data):
    value, shift = 0, 0
    for b in data:
        value |= (b & 0x7F) << shift
        if b & 0x80:
            shift += 7
        else:
            yield value
            value, shift = 0, 0


def class_counts(blob):
    """Pixels per class of one label blob (runs of (gap, length, value) after a pixel count)."""
    numbers = varints(zlib.decompress(blob))
    n = next(numbers)
    counts = collections.Counter()
    seen = 0
    while seen < n:
        next(numbers)  # gap from the previous run
        length, value = next(numbers), next(numbers)
        counts[value] += length
        seen += length
    return counts


def labelled_regions(arm, first_round=0):
    """(image id, round, pixels per class) of each region the arm's project store labelled from first_round on,
    read-only; the round filter is in the query, so regions before it are not decoded."""
    db = sqlite3.connect(f"file:{arm / 'project.db'}?mode=ro", uri=True)
    try:
        for image, rnd, blob in db.execute("select image_id, round, blob from labels where round >= ?", (first_round,)):
            yield image, rnd, class_counts(blob)
    finally:
        db.close()


def arm_rows(arm):
    per_round = collections.defaultdict(lambda: [0, set(), collections.Counter()])
    for image, rnd, counts in labelled_regions(arm):
        row = per_round[rnd]
        row[0] += 1
        row[1].add(image)
        row[2].update(counts)
    return sorted(per_round.items())


def mix_row(arm, cls, other):
    """(pixels of cls, share in regions >= 90% cls, share in regions that also hold other), rounds after 0."""
    pixels = pure = beside = 0
    for _, _, counts in labelled_regions(arm, first_round=1):
        if not counts[cls]:
            continue
        pixels += counts[cls]
        if counts[cls] >= 0.9 * (sum(counts.values()) - counts[VOID]):
            pure += counts[cls]
        if counts[other]:
            beside += counts[cls]
    return pixels, (100.0 * pure / pixels if pixels else 0.0), (100.0 * beside / pixels if pixels else 0.0)


def main(argv):
    names = None
    mix = None
    arms = []
    i = 0
    while i < len(argv):
        if argv[i] == "--classes":
            names = argv[i + 1].split(",")
            i += 2
        elif argv[i] == "--mix":
            mix = argv[i + 1].split(":")
            i += 2
        else:
            arms.append(pathlib.Path(argv[i]))
            i += 1
    if not arms:
        sys.exit(__doc__)
    for arm in arms:
        if not (arm / "project.db").is_file():
            sys.exit(f"{arm / 'project.db'}: not found; give the run folder of an arm (runs/<name>/<arm>-s<seed>), "
                     "not its kept copy in docs/benchmarks, which has no project store")
    if mix is not None:
        if len(mix) != 2:
            sys.exit("--mix takes CLASS:OTHER, e.g. --mix Tree:Building (with --classes) or --mix 5:1")
        try:
            cls, other = (names.index(m) if names and m in names else int(m) for m in mix)
        except ValueError:
            sys.exit(f"--mix {':'.join(mix)}: each side must be a class index or a name given with --classes")
        print(f"| arm | {mix[0]} pixels labelled (rounds 1-) | in regions >= 90% {mix[0]} % | in regions with {mix[1]} % |")
        print("|---|---|---|---|")
        for arm in arms:
            pixels, pure, beside = mix_row(arm, cls, other)
            print(f"| {arm.name} | {pixels} | {pure:.1f} | {beside:.1f} |")
        return
    rows = {arm: arm_rows(arm) for arm in arms}
    k = 1 + max((c for r in rows.values() for _, (_, _, counts) in r for c in counts if c != VOID), default=0)
    if names is None or len(names) < k:
        names = [str(c) for c in range(k)]
    print("| arm | round | regions | images | void % | " + " | ".join(names[:k]) + " |")
    print("|---" * (5 + k) + "|")
    for arm, arm_rounds in rows.items():
        for rnd, (regions, images, counts) in arm_rounds:
            total = sum(counts.values())
            valid = total - counts[VOID]
            shares = [100.0 * counts[c] / valid if valid else 0.0 for c in range(k)]
            print(f"| {arm.name} | {rnd} | {regions} | {len(images)} | {100.0 * counts[VOID] / total:.1f} | "
                  + " | ".join(f"{s:.1f}" for s in shares) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
