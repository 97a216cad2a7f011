"""Benchmark: verifying a month of claims against evaluating the schemes once.

Full size (``--scale 1``): a month with 1,000,000 secondary lines sold by 200
distributors (20 super-stockists x 10) to 100,000 retailers, 500 SKUs in 16
categories, five schemes (free goods, value slabs, flat per case, percent on a
brand, free goods on named SKUs; every one per distributor per month), and one
claim per distributor per scheme (200 x 5) listing every line the distributor
earned on with its allocated share; one claim in ten over-claims a line.

The baseline is :func:`distcrm.schemes.evaluate` over the same documents,
timed in the same run (CPU time, interleaved repeats, best of each); verification evaluates once itself and then checks
every claim line (ownership, window, product, duplicates, share).
``--scale`` shrinks distributors and lines proportionally.

Run: ``python benchmarks/claims.py --scale 1``.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from distcrm.catalog import Product
from distcrm.claims import Claim, ClaimLine, verify_batch
from distcrm.documents import Document
from distcrm.money import Money
from distcrm.periods import Validity
from distcrm.schemes import (
    FlatAmount,
    FreeGoods,
    PercentDiscount,
    ProductSelection,
    Scheme,
    Slab,
    evaluate,
)
from distcrm.schemes.allocation import AllocationBasis, allocate_benefit
from distcrm.testing.sample import SampleConfig, generate

START = date(2025, 6, 1)
MONTH = Validity(START, date(2025, 7, 1))
ON = date(2025, 7, 5)


def config_for(scale: float) -> SampleConfig:
    """The benchmark's sample at ``scale`` (1.0 = 200 distributors, 1M lines)."""
    return SampleConfig(
        seed=11,
        start=START,
        months=1,
        super_stockists=20,
        distributors_per_super_stockist=max(1, round(10 * scale)),
        direct_distributors=0,
        retailers_per_distributor=max(5, min(500, round(5000 * scale))),
        skus=500,
        categories=16,
        brands=10,
        secondary_lines=max(100, round(1_000_000 * scale)),
        return_rate=0.01,
        reps=1,
        unproductive_visit_rate=0.0,
    )


def schemes_for(products: tuple[Product, ...]) -> list[Scheme]:
    """Five monthly seller-side schemes over different product slices."""
    cats = sorted({p.category for p in products})
    brands = sorted({p.brand for p in products})
    skus = sorted(p.sku for p in products)
    common: dict[str, Any] = {"window": "month", "party": "seller", "validity": MONTH}
    return [
        Scheme(
            "S1",
            "buy 10 get 1",
            products=ProductSelection(categories=set(cats[:3])),
            slabs=(Slab(10, FreeGoods(get=1, every=10)),),
            **common,
        ),
        Scheme(
            "S2",
            "value slabs",
            measure="net_value",
            products=ProductSelection(categories=set(cats[3:6])),
            slabs=(Slab(10_000, PercentDiscount(2)), Slab(50_000, PercentDiscount("3.5"))),
            **common,
        ),
        Scheme(
            "S3",
            "5 per case",
            measure="cases",
            products=ProductSelection(categories=set(cats[6:8])),
            slabs=(Slab(1, FlatAmount(5, "case")),),
            **common,
        ),
        Scheme(
            "S4",
            "brand 1.5 %",
            measure="net_value",
            products=ProductSelection(brands={brands[0]}),
            slabs=(Slab(1, PercentDiscount("1.5")),),
            **common,
        ),
        Scheme(
            "S5",
            "hero SKUs 12+1",
            products=ProductSelection(skus=set(skus[:25])),
            slabs=(Slab(12, FreeGoods(get=1, every=12)),),
            **common,
        ),
    ]


def claims_for(
    schemes: list[Scheme], docs: dict[str, Document], products: tuple[Product, ...]
) -> list[Claim]:
    """One claim per distributor and scheme, each line asking its allocated share."""
    result = evaluate(schemes, docs.values(), on=ON, products=products, explain=False)
    by_scheme = {s.id: s for s in schemes}
    claims: list[Claim] = []
    for n, ent in enumerate(result.entitlements):
        if ent.value.amount <= 0:
            continue
        basis: AllocationBasis = "net_value" if by_scheme[ent.scheme].is_value_measure else "units"
        lines: list[ClaimLine] = []
        for share in allocate_benefit(ent, docs, amount=ent.value.round(), basis=basis):
            if not share.amount.is_zero:
                lines.append(ClaimLine(share.line, share.sku, 0, share.amount))
        if n % 10 == 0 and lines:
            first = lines[0]
            lines[0] = ClaimLine(first.ref, first.sku, 0, first.amount * Decimal("1.1"))
        claims.append(
            Claim(
                f"CL-{ent.party}-{ent.scheme}",
                ent.party,
                "scheme",
                MONTH,
                "INR",
                lines=tuple(lines),
                scheme=ent.scheme,
            )
        )
    return claims


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    started = time.process_time()
    out = fn()
    return time.process_time() - started, out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; returns 0."""
    parser = argparse.ArgumentParser(description="claims verification benchmark")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved repeats (best kept)")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be > 0")
    setup_s, data = _timed(lambda: generate(config_for(args.scale)))
    docs = {d.id: d for d in data.documents}
    secondary = sum(len(d.lines) for d in data.documents if d.level == "secondary")
    schemes = schemes_for(data.products)
    claims = claims_for(schemes, docs, data.products)
    claim_lines = sum(len(c.lines) for c in claims)
    gc.collect()
    gc.freeze()  # the sample and the claims are long-lived: keep them out of every collection
    print(
        f"scale {args.scale:g}: {len(data.distributors):,} distributors, {secondary:,} secondary "
        f"lines, {len(claims):,} claims with {claim_lines:,} lines (sample built in {setup_s:.1f} s)"
    )
    # interleaved repeats, best of each, in CPU time: the machine may be shared
    evals: list[float] = []
    verifies: list[float] = []
    for _ in range(args.repeat):
        eval_s, result = _timed(
            lambda: evaluate(schemes, docs.values(), on=ON, products=data.products, explain=False)
        )
        evals.append(eval_s)
        verify_s, verdicts = _timed(
            lambda: verify_batch(
                claims, schemes=schemes, documents=docs, on=ON, products=data.products
            )
        )
        verifies.append(verify_s)
    eval_s, verify_s = min(evals), min(verifies)
    approved = sum((v.approved.amount for v in verdicts), Decimal(0))
    claimed = sum((v.claimed.amount for v in verdicts), Decimal(0))
    flagged = sum(1 for v in verdicts if v.findings)
    print(
        f"evaluate schemes once (baseline): {eval_s:.2f} s, {len(result.entitlements):,} entitlements"
    )
    print(f"verify {len(claims):,} claims: {verify_s:.2f} s; ratio {verify_s / eval_s:.2f}x")
    print(
        f"claimed {Money(claimed, 'INR').round()}, approved {Money(approved, 'INR').round()}, "
        f"{flagged:,} claims with findings; ratio approved/claimed {approved / claimed if claimed else 0:.4f}x"
    )
    gc.unfreeze()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
