#!/usr/bin/env python3
"""Combine the JSON files of several iommufd-bench runs (scripts/bench --repeat N).

Usage: summarize.py OUT.json PLACE=RUN.json[,RUN.json...] [PLACE=...]

For every operation: the median over the runs of each run's Swift/C ratio
(itself a median over that run's rounds) with the Swift ns and C ns of the
run that has it (a pair measured together; the lower middle run for an even
count), the spread of the run ratios (min-max), the largest allocation count seen, and whether
the targets hold for the median. The policy counts are deterministic: the
first run's are kept, and the others are checked to agree. Prints a table
and writes {"PLACE": {"summary": {...}, "runs": [...]}, ...} to OUT.json.
"""
import json
import statistics
import sys



def summarize(runs):
    names = [op["name"] for op in runs[0]["operations"]]
    operations = []
    for name in names:
        ops = [next(o for o in run["operations"] if o["name"] == name) for run in runs]
        ratios = [o["ratio"] for o in ops]
        median_ratio = statistics.median(ratios)
        middle = sorted(ops, key=lambda o: o["ratio"])[(len(ops) - 1) // 2]
        first = ops[0]
        allocations = max(o["allocations_per_call"] for o in ops)
        entry = {
            "name": name,
            "group": first["group"],
            "description": first["description"],
            "ioctls_per_call": first["ioctls_per_call"],
            "swift_ns_per_call": round(middle["swift_ns_per_call"], 1),
            "c_ns_per_call": round(middle["c_ns_per_call"], 1),
            "ratio": round(median_ratio, 4),
            "ratio_min": round(min(ratios), 4),
            "ratio_max": round(max(ratios), 4),
            "run_ratios": [round(r, 4) for r in ratios],
            "allocations_per_call": allocations,
            "c_allocations_per_call": max(o["c_allocations_per_call"] for o in ops),
            "runs": len(ops),
            "ratio_target": first["ratio_target"],
            "allocation_target": first["allocation_target"],
            "meets_ratio_target": None if first["ratio_target"] is None else median_ratio <= first["ratio_target"],
            "meets_allocation_target": None if first["allocation_target"] is None else allocations == 0,
        }
        operations.append(entry)
    policy = runs[0]["policy"]
    for run in runs[1:]:
        if [(p["policy_ioctls"], p["qemu_ioctls_c"]) for p in run["policy"]] != \
           [(p["policy_ioctls"], p["qemu_ioctls_c"]) for p in policy]:
            sys.exit("summarize: the policy counts differ between runs")
    # Allocations and ioctl counts are exact, so a single quick run decides
    # them; the ratios need full runs on a quiet machine.
    exact_missed = [o["name"] + " allocates" for o in operations if o["meets_allocation_target"] is False]
    exact_missed += ["policy %s %s N=%d" % (p["scenario"], p["order"], p["devices"])
                     for p in policy if not p["meets_target"] or not p["counts_consistent"]]
    missed = [o["name"] for o in operations if o["meets_ratio_target"] is False] + exact_missed
    return {
        "runs": len(runs),
        "environment": [run["environment"] for run in runs],
        "operations": operations,
        "policy": policy,
        "targets_met": not missed,
        "targets_missed": missed,
        "exact_targets_met": not exact_missed,
        "exact_targets_missed": exact_missed,
    }


def table(place, summary):
    print("\n%s: median of %d runs (each the median of its rounds); spread = min-max of the run ratios"
          % (place, summary["runs"]))
    print("%-31s %6s %11s %11s %7s %15s %7s  %s" % (
        "operation", "ioctls", "Swift ns", "C ns", "ratio", "run spread", "allocs", "targets"))
    for o in summary["operations"]:
        verdict = []
        if o["meets_ratio_target"] is not None:
            verdict.append("ratio ok" if o["meets_ratio_target"] else "RATIO > %.2f" % o["ratio_target"])
        if o["meets_allocation_target"] is not None:
            verdict.append("0 allocs ok" if o["meets_allocation_target"] else "ALLOCATES")
        print("%-31s %6d %11.1f %11.1f %7.3f %15s %7.2f  %s" % (
            o["name"], o["ioctls_per_call"], o["swift_ns_per_call"], o["c_ns_per_call"], o["ratio"],
            "%.3f-%.3f" % (o["ratio_min"], o["ratio_max"]), o["allocations_per_call"],
            ", ".join(verdict) or "(informational)"))
    missed = summary["targets_missed"]
    print("targets: " + ("all met" if not missed else "missed: " + ", ".join(missed)))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out = {}
    for arg in sys.argv[2:]:
        place, _, files = arg.partition("=")
        runs = [json.load(open(f)) for f in files.split(",")]
        summary = summarize(runs)
        out[place] = {"summary": summary, "runs": runs}
        table(place, summary)
    with open(sys.argv[1], "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
