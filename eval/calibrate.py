"""Calibrating the confident flag: which thresholds mark the most right top answers confident while
keeping wrong ones and answers to queries the store cannot answer unmarked.

    python eval/calibrate.py --db STORE [--queries FILE ...] [--held-out FILE]
                             [--wrong-at-most 0.15] [--no-answer-at-least 0.9]

Runs every graded query through the engine once and keeps what the flag weighs (scoring.TopMatch)
and whether the top answer was right, wrong, or one to a query the store cannot answer. Then it
tries a grid of thresholds for scoring.ConfidentRule and prints the rules that keep within the two
limits and mark the most right top answers confident, the rule in force beside them, and the best
each limit on wrong answers would allow, so the trade is in view.

By default it reads all three graded sets (eval/queries.jsonl, eval/heldout.jsonl and
eval/confirm.jsonl): each has been measured by now, so none is held out any longer, and the rule
in force was chosen on the three together. To see how far a calibration carries to queries it has
not seen, pass two sets as --queries and the third as --held-out: the rules chosen on the two are
measured again on the third.
STORE must hold the corpus, embedded (see eval/evaluate.py).
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import dataclass
from pathlib import Path

from eval.evaluate import read_queries
from store.db import QuestionStore
from store.search import QueryError, SearchEngine
from store.search.scoring import ConfidentRule, TopMatch, confident

TUNING = [Path(__file__).parent / name for name in ("queries.jsonl", "heldout.jsonl", "confirm.jsonl")]
GRID = {
    "coverage": [0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
    "score": [55, 60, 65, 70, 75],
    "meaning": [0.4, 0.5, 0.55, 0.6, 0.7, 2.0],  # 2.0: meaning never enough
    "meaning_coverage": [0.0, 0.2, 0.3, 0.4, 0.5],
}
SHOWN = 5
VERDICTS = ("right", "wrong", "no answer")


@dataclass(frozen=True)
class Judged:
    """The top answer's evidence, and what a reader made of it: "right", "wrong" or "no answer"."""

    top: TopMatch
    verdict: str


@dataclass(frozen=True)
class Marks:
    """Shares of right and wrong top answers a rule marks confident, and of no-answer queries it flags."""

    right: float
    wrong: float
    no_answer_flagged: float

    def within(self, wrong_at_most: float, no_answer_at_least: float) -> bool:
        return self.wrong <= wrong_at_most and self.no_answer_flagged >= no_answer_at_least

    def row(self, rule: ConfidentRule) -> str:
        return (
            f"| {rule.coverage:.1f} | {rule.score:.0f} | {rule.meaning:.2f} | {rule.meaning_coverage:.1f} "
            f"| {self.right:.2f} | {self.wrong:.2f} | {self.no_answer_flagged:.2f} |"
        )


def judge(engine: SearchEngine, queries: list[dict]) -> list[Judged]:
    """The top answer of every query that has one, judged against its graded relevant records."""
    judged = []
    for item in queries:
        try:
            result = engine.search(item["query"], limit=1)
        except QueryError:
            continue
        if result.top_match is None:
            continue
        relevant = set(item["relevant"])
        if not relevant:
            verdict = "no answer"
        else:
            verdict = "right" if result.hits[0].record["id"] in relevant else "wrong"
        judged.append(Judged(result.top_match, verdict))
    return judged


def marks(rule: ConfidentRule, judged: list[Judged]) -> Marks:
    def share_marked(verdict: str) -> float:
        group = [item for item in judged if item.verdict == verdict]
        return sum(rule(item.top) for item in group) / len(group) if group else 0.0

    return Marks(share_marked("right"), share_marked("wrong"), 1 - share_marked("no answer"))


def every_rule() -> list[ConfidentRule]:
    return [ConfidentRule(*values) for values in itertools.product(*GRID.values())]


def print_rules(title: str, rows: list[tuple[ConfidentRule, Marks]]) -> None:
    print(f"\n{title}\n")
    print("| coverage | score | meaning | meaning coverage | right marked | wrong marked | no-answer flagged |")
    print("|---|---|---|---|---|---|---|")
    for rule, measured in rows:
        print(measured.row(rule))


def the_trade(
    measured: list[tuple[ConfidentRule, Marks]], no_answer_at_least: float
) -> list[tuple[ConfidentRule, Marks]]:
    """For each share of wrong answers marked, the rule marking the most right ones (measured sorted best first)."""
    trade: list[tuple[ConfidentRule, Marks]] = []
    for limit in sorted({found.wrong for _, found in measured}):
        allowed = [(rule, found) for rule, found in measured if found.within(limit, no_answer_at_least)]
        if allowed and (not trade or allowed[0][1].right > trade[-1][1].right):
            trade.append(allowed[0])
    return trade


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="a store holding the corpus, embedded")
    parser.add_argument("--queries", type=Path, nargs="+", default=TUNING, help="graded query sets to tune on")
    parser.add_argument("--held-out", type=Path, help="a graded set to measure the chosen rules on, unseen")
    parser.add_argument("--wrong-at-most", type=float, default=0.15)
    parser.add_argument("--no-answer-at-least", type=float, default=0.9)
    args = parser.parse_args()
    queries = [item for path in args.queries for item in read_queries(path)]
    engine = SearchEngine(QuestionStore.open(args.db))
    judged = judge(engine, queries)
    counts = ", ".join(f"{sum(item.verdict == verdict for item in judged)} {verdict}" for verdict in VERDICTS)
    print(f"{len(queries)} queries; top answers: {counts}")
    measured = sorted(
        ((rule, marks(rule, judged)) for rule in every_rule()),
        key=lambda pair: (-pair[1].right, pair[1].wrong, -pair[1].no_answer_flagged),
    )
    print_rules("The rule in force", [(confident, marks(confident, judged))])
    limits = f"wrong ≤ {args.wrong_at_most:.2f}, no-answer flagged ≥ {args.no_answer_at_least:.2f}"
    within = [(rule, found) for rule, found in measured if found.within(args.wrong_at_most, args.no_answer_at_least)]
    print_rules(f"Best within the limits ({limits})", within[:SHOWN])
    trade = the_trade(measured, args.no_answer_at_least)
    print_rules("The trade: the most right answers marked for each share of wrong ones", trade)
    if args.held_out:
        held_out = judge(engine, read_queries(args.held_out))
        chosen = dict.fromkeys(rule for rule, _ in within[:SHOWN] + trade)  # a rule may be in both, shown once
        print_rules(
            f"The same rules on {args.held_out.name}, unseen", [(rule, marks(rule, held_out)) for rule in chosen]
        )


if __name__ == "__main__":
    main()
