#!/usr/bin/env python3
"""Counts and EUR totals of the EUTF Akvo export, computed straight from the CSV files of
seed/eutf, for the tests to compare the Go reader (and the graph) with.

The rules are those of seed/eutf/README.md ("Amounts counted once"):
- identifiers are trimmed and compared case-insensitively; of the rows sharing one, the row with
  the most columns filled is kept (the first on a tie), and rows without identifier are no activity;
- an activity's countries are its rows of EUTF_akvo_recipients.csv, or the recipient_country
  column of the projects file when the recipients file gives it no country;
- an activity's budget counts if it is a CTR, or a DEC with no CTR under it (the CTR's
  project_parent names the DEC, or the DEC's project_child lists the CTR), in full for every
  country it targets and every priority area TFP.1-TFP.4 in its topics ("none" without any).

Usage: tools/eutf/totals.py [seed/eutf] [internal/eutf/testdata/expected_totals.json]
"""

import csv
import json
import os
import re
import sys
from collections import defaultdict

PRIORITY = re.compile(r"^TFP[ .]?([1-4])$")


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def identifier(text):
    return text.strip().upper()


def items(text, separators=","):
    return [part.strip() for part in re.split("[" + separators + "]", text) if part.strip()]


def kept_rows(rows):
    """One row per identifier: the one with the most columns filled, the first on a tie."""
    kept = {}
    for row in rows:
        key = identifier(row["iati_id"])
        if not key:
            continue
        filled = sum(1 for value in row.values() if value.strip())
        if key not in kept or filled > kept[key][0]:
            kept[key] = (filled, row)
    return {key: row for key, (_, row) in kept.items()}


def countries_of(activities, recipient_rows):
    from_file = defaultdict(set)
    for rec in recipient_rows:
        code = rec["recipient_country"].strip()
        if code:
            from_file[identifier(rec["iati_id"])].add(code)
    countries = {}
    for key, row in activities.items():
        codes = from_file.get(key) or set(items(row["recipient_country"]))
        countries[key] = codes
    return countries


def priorities_of(row):
    found = set()
    for code in items(row["topics"], ",;"):
        match = PRIORITY.match(code)
        if match:
            found.add("TFP." + match.group(1))
    return found or {"none"}


def counted_keys(activities):
    level = {key: row["prefix"].strip() for key, row in activities.items()}
    decisions_with_contracts = set()
    for key, row in activities.items():
        if level[key] == "CTR":
            for parent in items(row["project_parent"]):
                if level.get(identifier(parent)) == "DEC":
                    decisions_with_contracts.add(identifier(parent))
        if level[key] == "DEC":
            for child in items(row["project_child"]):
                if level.get(identifier(child)) == "CTR":
                    decisions_with_contracts.add(key)
    return [key for key in activities
            if level[key] == "CTR" or (level[key] == "DEC" and key not in decisions_with_contracts)]


def cents(amount):
    return round(amount, 2)


def totals(seed_dir):
    rows = read_rows(os.path.join(seed_dir, "EUTF_projects_akvo.csv"))
    recipient_rows = read_rows(os.path.join(seed_dir, "EUTF_akvo_recipients.csv"))
    activities = kept_rows(rows)
    countries = countries_of(activities, recipient_rows)

    per_country = defaultdict(int)
    for key, row in activities.items():
        if row["prefix"].strip() in ("DEC", "CTR"):
            for code in countries[key]:
                per_country[code] += 1

    counted = counted_keys(activities)
    budget_total = 0.0
    budget_per_country = defaultdict(float)
    budget_per_country_priority = defaultdict(lambda: defaultdict(float))
    for key in counted:
        row = activities[key]
        budget = float(row["budget"]) if row["budget"].strip() else 0.0
        budget_total += budget
        for code in countries[key]:
            budget_per_country[code] += budget
            for priority in priorities_of(row):
                budget_per_country_priority[code][priority] += budget

    return {
        "activities": len(rows),
        "decisions": sum(1 for row in rows if row["prefix"].strip() == "DEC"),
        "contracts": sum(1 for row in rows if row["prefix"].strip() == "CTR"),
        "identifiers": len(activities),
        "activitiesPerCountry": dict(sorted(per_country.items())),
        "countedActivities": len(counted),
        "budgetTotal": cents(budget_total),
        "budgetPerCountry": {code: cents(v) for code, v in sorted(budget_per_country.items())},
        "budgetPerCountryAndPriority": {
            code: {priority: cents(v) for priority, v in sorted(by_priority.items())}
            for code, by_priority in sorted(budget_per_country_priority.items())
        },
    }


def main():
    seed_dir = sys.argv[1] if len(sys.argv) > 1 else "seed/eutf"
    out = sys.argv[2] if len(sys.argv) > 2 else "internal/eutf/testdata/expected_totals.json"
    with open(out, "w", encoding="utf-8") as f:
        json.dump(totals(seed_dir), f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
