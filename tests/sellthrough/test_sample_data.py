"""Stock positions against the sample generator's own promise about stock.

The generator stocks every distributor before its retailers buy, unless asked
for phantom sales, which it lists. Our findings must agree: none on clean
data, and one for every (distributor, SKU) with a phantom sale.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from distcrm.sellthrough import stock_positions
from distcrm.testing.sample import SampleConfig, generate

SMALL = {
    "super_stockists": 1,
    "distributors_per_super_stockist": 3,
    "retailers_per_distributor": 6,
    "skus": 12,
    "categories": 3,
    "brands": 2,
    "secondary_lines": 600,
}


def test_clean_sample_has_no_stock_findings_and_conserves_units() -> None:
    config = SampleConfig(seed=3, **SMALL)  # type: ignore[arg-type]
    data = generate(config)
    distributors = {a.id for a in data.distributors}
    on = config.end - timedelta(days=1)
    report = stock_positions(data.documents, on=on, accounts=distributors)
    assert report.findings == ()
    assert min(report.closing.values()) >= 0
    assert set(report.holders()) == distributors
    # units in minus units out, counted straight from the documents
    net = 0
    for doc in data.documents:
        units = sum(line.qty + line.free_qty for line in doc.lines)
        if doc.level == "primary" and doc.buyer in distributors:
            net += units if doc.kind == "invoice" else -units if doc.kind == "return" else 0
        elif doc.level == "secondary" and doc.seller in distributors:
            net += -units if doc.kind == "invoice" else units if doc.kind == "return" else 0
    assert sum(report.closing.values()) == net


@pytest.mark.parametrize("seed", [1, 2])
def test_every_phantom_sale_is_found(seed: int) -> None:
    config = SampleConfig(seed=seed, anomaly_rate=0.03, **SMALL)  # type: ignore[arg-type]
    data = generate(config)
    assert data.anomalies, "the sample should contain phantom sales at this rate"
    by_id = {doc.id: doc for doc in data.documents}
    phantom_keys = set()
    for ref in data.anomalies:
        doc = by_id[ref.document]
        phantom_keys.add(f"{doc.seller}/{doc.line(ref.line).sku}")
    distributors = {a.id for a in data.distributors}
    report = stock_positions(
        data.documents, on=config.end - timedelta(days=1), accounts=distributors
    )
    found = {f.subject for f in report.findings if f.code == "sales_beyond_stock"}
    assert phantom_keys <= found
    assert found <= phantom_keys
