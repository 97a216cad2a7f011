"""A deterministic sample distribution network with months of sales.

:func:`generate` builds a realistic Indian FMCG channel from a
:class:`SampleConfig`: one principal, super-stockists in different states,
distributors under them (and some directly under the principal), optionally
dealers under the distributors, retailers clustered around their distributor's
town, a catalog with a category tree, brands, MRPs, HSN codes and case packs,
and documents over ``months`` months: primary invoices (principal →
super-stockist, super-stockist or principal → distributor), secondary invoices
(distributor or dealer → retailer, distributor → dealer), returns referencing
their invoice, sales reps, beats and visits.

Everything is drawn from :class:`random.Random` streams seeded from
``config.seed``: the same configuration always gives equal data. Every entity
is a real, validated kernel entity (:class:`~distcrm.parties.Account`,
:class:`~distcrm.catalog.Product`, :class:`~distcrm.documents.Document`...).
Equal immutable values (amounts, document lines) are shared rather than
rebuilt, which keeps a million-line sample in memory.

Stock is plausible: each distributor (and dealer) receives, at the start of
each buying window, at least the goods (sold and free) its buyers take in that
window, so sales never exceed receipts unless ``anomaly_rate`` asks for some
*phantom* sales (listed in :attr:`SampleData.anomalies`).

Examples:
    >>> data = generate(SampleConfig(seed=1, super_stockists=1,
    ...                              distributors_per_super_stockist=2,
    ...                              retailers_per_distributor=5, skus=6,
    ...                              categories=3, brands=2, secondary_lines=40))
    >>> [len(data.by_tier(t)) for t in data.tier_rules.names]
    [1, 1, 3, 0, 15]
    >>> sum(len(d.lines) for d in data.secondary() if d.kind == "invoice")
    40
    >>> data == generate(SampleConfig(seed=1, super_stockists=1,
    ...                              distributors_per_super_stockist=2,
    ...                              retailers_per_distributor=5, skus=6,
    ...                              categories=3, brands=2, secondary_lines=40))
    True
"""

from __future__ import annotations

import itertools
import random
from bisect import bisect
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from distcrm.catalog import MrpEntry, PackSize, Product
from distcrm.documents import Document, Level, Line, LineRef
from distcrm.errors import NotFound, Problem, ValidationError
from distcrm.money import Money
from distcrm.parties import (
    INDIAN_FMCG,
    Account,
    AccountClass,
    AccountId,
    Gstin,
    Link,
    Pan,
    PaymentTerms,
    TierRules,
    gstin_check_character,
)
from distcrm.periods import Validity
from distcrm.repositories import Store
from distcrm.visits import RepId, Visit, as_rep_id

__all__ = [
    "GST_RATE_CHANGE",
    "SampleBeat",
    "SampleConfig",
    "SampleData",
    "SampleRep",
    "TerritoryRow",
    "generate",
]

CURRENCY = "INR"
GST_RATE_CHANGE = date(2025, 9, 22)
"""The day GST rates on many packaged goods changed; sample taxes follow it."""

TerritoryRow = tuple[str, str | None, str]
"""A territory as ``(id, parent id or None, level)``; levels zone → region → state → district → town."""

_WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT")

# ---------------------------------------------------------------------------
# Reference tables: geography and catalog.
# ---------------------------------------------------------------------------

# (state code, zone, region, ((district, lat, lon), ...))
_STATES: tuple[tuple[str, str, str, tuple[tuple[str, float, float], ...]], ...] = (
    ("27", "West", "West-1", (("Mumbai", 19.08, 72.88), ("Pune", 18.52, 73.86),
                              ("Nagpur", 21.15, 79.09), ("Nashik", 19.99, 73.79))),
    ("29", "South", "South-1", (("Bengaluru", 12.97, 77.59), ("Mysuru", 12.30, 76.64),
                                ("Hubballi", 15.36, 75.12), ("Mangaluru", 12.91, 74.86))),
    ("09", "North", "North-2", (("Lucknow", 26.85, 80.95), ("Kanpur", 26.45, 80.33),
                                ("Agra", 27.18, 78.01), ("Varanasi", 25.32, 82.97))),
    ("33", "South", "South-2", (("Chennai", 13.08, 80.27), ("Coimbatore", 11.02, 76.96),
                                ("Madurai", 9.93, 78.12), ("Salem", 11.66, 78.15))),
    ("19", "East", "East-1", (("Kolkata", 22.57, 88.36), ("Howrah", 22.59, 88.26),
                              ("Durgapur", 23.52, 87.31), ("Siliguri", 26.73, 88.40))),
    ("24", "West", "West-2", (("Ahmedabad", 23.02, 72.57), ("Surat", 21.17, 72.83),
                              ("Vadodara", 22.31, 73.18), ("Rajkot", 22.30, 70.80))),
    ("08", "North", "North-1", (("Jaipur", 26.91, 75.79), ("Jodhpur", 26.24, 73.02),
                                ("Udaipur", 24.59, 73.71), ("Kota", 25.21, 75.86))),
    ("36", "South", "South-3", (("Hyderabad", 17.39, 78.49), ("Warangal", 17.97, 79.59),
                                ("Karimnagar", 18.44, 79.13), ("Nizamabad", 18.67, 78.09))),
    ("23", "West", "West-3", (("Indore", 22.72, 75.86), ("Bhopal", 23.26, 77.41),
                              ("Jabalpur", 23.18, 79.99), ("Gwalior", 26.22, 78.18))),
    ("10", "East", "East-2", (("Patna", 25.59, 85.14), ("Gaya", 24.79, 85.00),
                              ("Muzaffarpur", 26.12, 85.39), ("Bhagalpur", 25.24, 86.98))),
    ("32", "South", "South-2", (("Ernakulam", 9.98, 76.28), ("Thiruvananthapuram", 8.52, 76.94),
                                ("Kozhikode", 11.26, 75.78), ("Thrissur", 10.53, 76.21))),
    ("21", "East", "East-1", (("Khordha", 20.18, 85.62), ("Cuttack", 20.46, 85.88),
                              ("Sundargarh", 22.12, 84.03), ("Sambalpur", 21.47, 83.97))),
    ("06", "North", "North-1", (("Gurugram", 28.46, 77.03), ("Faridabad", 28.41, 77.32),
                                ("Panipat", 29.39, 76.97), ("Hisar", 29.15, 75.72))),
    ("03", "North", "North-1", (("Ludhiana", 30.90, 75.86), ("Amritsar", 31.63, 74.87),
                                ("Jalandhar", 31.33, 75.58), ("Patiala", 30.34, 76.39))),
    ("37", "South", "South-3", (("Visakhapatnam", 17.69, 83.22), ("Krishna", 16.51, 80.65),
                                ("Guntur", 16.31, 80.44), ("Tirupati", 13.63, 79.42))),
    ("18", "East", "East-3", (("Kamrup Metro", 26.14, 91.74), ("Dibrugarh", 27.47, 94.91),
                              ("Cachar", 24.83, 92.78), ("Jorhat", 26.75, 94.20))),
)

_TOWN_SUFFIXES = ("", " East", " West", " North", " South", " Central", " Nagar", " Road")

# (category path, HSN 4, HSN 8, GST % before and from GST_RATE_CHANGE,
#  MRP range in rupees, units per case, product nouns, sizes)
_CATEGORIES: tuple[
    tuple[tuple[str, str], str, str, tuple[int, int], tuple[int, int], int,
          tuple[str, ...], tuple[str, ...]], ...
] = (
    (("Foods", "Biscuits"), "1905", "19053100", (18, 5), (10, 60), 48,
     ("Glucose Biscuits", "Cream Biscuits", "Marie", "Butter Cookies"), ("75g", "150g", "250g")),
    (("Personal Care", "Soap"), "3401", "34011190", (18, 5), (20, 90), 48,
     ("Sandal Soap", "Neem Soap", "Glycerine Soap"), ("75g", "100g", "125g")),
    (("Home", "Detergent"), "3402", "34022010", (18, 18), (10, 260), 24,
     ("Detergent Powder", "Detergent Bar", "Liquid Detergent"), ("500g", "1kg", "2kg")),
    (("Beverages", "Tea"), "0902", "09024020", (5, 5), (30, 560), 24,
     ("Premium Tea", "Dust Tea", "Masala Chai"), ("100g", "250g", "500g", "1kg")),
    (("Foods", "Snacks"), "2106", "21069099", (12, 5), (10, 50), 48,
     ("Aloo Bhujia", "Khatta Meetha", "Moong Dal", "Navratan Mix"), ("40g", "150g", "400g")),
    (("Personal Care", "Toothpaste"), "3306", "33061020", (18, 5), (20, 160), 24,
     ("Herbal Toothpaste", "Clove Toothpaste", "Gel Toothpaste"), ("50g", "100g", "200g")),
    (("Foods", "Noodles"), "1902", "19023010", (12, 5), (12, 96), 48,
     ("Masala Noodles", "Atta Noodles", "Hakka Noodles"), ("70g", "280g", "560g")),
    (("Beverages", "Juices"), "2009", "20098990", (12, 5), (20, 120), 24,
     ("Mango Drink", "Mixed Fruit Juice", "Litchi Juice"), ("200ml", "600ml", "1L")),
    (("Personal Care", "Shampoo"), "3305", "33051090", (18, 5), (60, 380), 24,
     ("Herbal Shampoo", "Anti-Dandruff Shampoo"), ("180ml", "340ml", "650ml")),
    (("Home", "Dishwash"), "3402", "34029099", (18, 18), (10, 199), 24,
     ("Dishwash Bar", "Dishwash Gel"), ("200g", "500ml", "750ml")),
    (("Foods", "Spices"), "0910", "09109100", (5, 5), (10, 120), 48,
     ("Garam Masala", "Chilli Powder", "Turmeric Powder"), ("50g", "100g", "200g")),
    (("Foods", "Edible Oil"), "1512", "15121910", (5, 5), (120, 260), 12,
     ("Sunflower Oil", "Groundnut Oil", "Mustard Oil"), ("1L",)),
    (("Personal Care", "Hair Oil"), "3305", "33059011", (18, 5), (30, 250), 24,
     ("Coconut Hair Oil", "Amla Hair Oil"), ("100ml", "200ml", "300ml")),
    (("Foods", "Chocolates"), "1806", "18063100", (18, 5), (5, 100), 48,
     ("Milk Chocolate", "Choco Bar", "Wafer Chocolate"), ("13g", "40g", "100g")),
    (("Beverages", "Coffee"), "2101", "21011120", (18, 5), (40, 450), 24,
     ("Instant Coffee", "Filter Coffee"), ("50g", "100g", "200g")),
    (("Home", "Floor Cleaner"), "3402", "34029011", (18, 18), (40, 220), 24,
     ("Floor Cleaner", "Disinfectant Cleaner"), ("500ml", "1L")),
    # Categories 17-40. Appended after the first 16 so that a seed gives the same data
    # as before for every configuration of at most 16 categories.
    (("Foods", "Atta"), "1101", "11010000", (5, 5), (50, 480), 12,
     ("Whole Wheat Atta", "Chakki Atta", "Multigrain Atta"), ("1kg", "5kg", "10kg")),
    (("Foods", "Rice"), "1006", "10063020", (5, 5), (70, 900), 12,
     ("Basmati Rice", "Sona Masoori Rice", "Kolam Rice"), ("1kg", "5kg", "10kg")),
    (("Foods", "Pulses"), "0713", "07133100", (5, 5), (60, 220), 12,
     ("Toor Dal", "Moong Dal", "Chana Dal", "Masoor Dal"), ("500g", "1kg")),
    (("Foods", "Sugar"), "1701", "17019990", (5, 5), (45, 250), 12,
     ("Refined Sugar", "Sulphurless Sugar"), ("1kg", "5kg")),
    (("Foods", "Sauces"), "2103", "21032000", (12, 5), (30, 190), 24,
     ("Tomato Ketchup", "Chilli Sauce", "Soya Sauce"), ("200g", "500g", "1kg")),
    (("Foods", "Breakfast Cereals"), "1904", "19041090", (18, 5), (45, 450), 24,
     ("Corn Flakes", "Muesli", "Oats"), ("250g", "500g", "1kg")),
    (("Foods", "Pickles"), "2001", "20019000", (12, 5), (35, 220), 24,
     ("Mango Pickle", "Lime Pickle", "Mixed Pickle"), ("200g", "400g", "1kg")),
    (("Foods", "Jams"), "2007", "20079910", (12, 5), (60, 260), 24,
     ("Mixed Fruit Jam", "Mango Jam", "Orange Marmalade"), ("200g", "500g")),
    (("Foods", "Dairy Whitener"), "0402", "04021010", (5, 5), (20, 480), 24,
     ("Dairy Whitener", "Skimmed Milk Powder"), ("20g", "200g", "1kg")),
    (("Foods", "Ghee"), "0405", "04059020", (12, 5), (70, 720), 12,
     ("Cow Ghee", "Desi Ghee"), ("100ml", "500ml", "1L")),
    (("Foods", "Pasta"), "1902", "19021900", (12, 5), (25, 160), 24,
     ("Penne Pasta", "Macaroni", "Vermicelli"), ("200g", "400g", "900g")),
    (("Foods", "Confectionery"), "1704", "17049020", (18, 5), (1, 100), 48,
     ("Toffee", "Lollipop", "Mint Candy"), ("pouch of 10", "jar of 100", "pack of 50")),
    (("Beverages", "Soft Drinks"), "2202", "22021010", (28, 40), (20, 99), 24,
     ("Cola", "Lemon Soda", "Orange Drink"), ("250ml", "750ml", "2L")),
    (("Beverages", "Health Drinks"), "1901", "19019010", (18, 5), (60, 520), 24,
     ("Malted Drink", "Chocolate Health Drink"), ("200g", "500g", "1kg")),
    (("Beverages", "Packaged Water"), "2201", "22011010", (18, 5), (10, 70), 12,
     ("Mineral Water", "Packaged Drinking Water"), ("500ml", "1L", "5L")),
    (("Personal Care", "Face Wash"), "3304", "33049990", (18, 18), (70, 350), 24,
     ("Neem Face Wash", "Oil Control Face Wash"), ("50ml", "100ml", "150ml")),
    (("Personal Care", "Talcum Powder"), "3304", "33049120", (18, 5), (40, 260), 24,
     ("Cool Talc", "Sandal Talc"), ("100g", "300g", "400g")),
    (("Personal Care", "Deodorant"), "3307", "33072000", (18, 18), (150, 350), 24,
     ("Deodorant Spray", "Roll-On"), ("50ml", "150ml")),
    (("Personal Care", "Shaving"), "3307", "33071090", (18, 5), (30, 220), 24,
     ("Shaving Cream", "Shaving Foam"), ("30g", "70g", "200g")),
    (("Personal Care", "Skin Cream"), "3304", "33049910", (18, 18), (30, 380), 24,
     ("Cold Cream", "Fairness Cream", "Moisturiser"), ("25g", "50g", "100ml")),
    (("Home", "Toilet Cleaner"), "3402", "34029019", (18, 18), (40, 210), 24,
     ("Toilet Cleaner", "Bathroom Cleaner"), ("500ml", "1L")),
    (("Home", "Insect Repellent"), "3808", "38089199", (18, 18), (30, 250), 48,
     ("Mosquito Coil", "Liquid Vaporiser", "Insect Spray"), ("pack of 10", "45ml", "400ml")),
    (("Home", "Air Freshener"), "3307", "33074900", (18, 18), (50, 300), 24,
     ("Room Freshener", "Car Freshener"), ("50g", "220ml")),
    (("Home", "Agarbatti"), "3307", "33074100", (5, 5), (10, 120), 48,
     ("Sandal Agarbatti", "Rose Agarbatti", "Dhoop Sticks"), ("pack of 20", "pack of 100")),
)

_BRANDS = ("Tiger", "Surya", "Kaveri", "Himgiri", "Sagar", "Amrit", "Nirmal", "Chandan",
           "Gulmohar", "Vayu", "Meghna", "Tulsi")
_NAME_FIRST = ("Shree", "Sri", "Jai", "New", "Om", "Maa", "Laxmi", "Ganesh", "Balaji", "Krishna",
               "Sai", "Durga", "Annapurna", "Mahalaxmi", "Vinayak", "Royal", "Bharat", "Sagar")
_NAME_SECOND = ("Ganesh", "Balaji", "Krishna", "Sai", "Ram", "Shyam", "Gopal", "Mahavir",
                "Ambika", "Kamdhenu", "Navrang", "Vijay", "Anand", "Sundaram", "Jyoti")
_STOCKIST_SUFFIX = ("Agencies", "Distributors", "Enterprises", "Marketing", "Sales Corporation",
                    "Trading Company")
_RETAIL_SUFFIX = ("General Stores", "Kirana", "Provision Store", "Supermarket", "Medicals",
                  "Departmental Store", "Traders", "Mart")
_DISCOUNTS_BP = (200, 300, 500)
_FIRST_NAMES = ("Amit", "Ravi", "Suresh", "Priya", "Anil", "Deepak", "Kiran", "Meena", "Rahul",
                "Sunita", "Vijay", "Pooja", "Arjun", "Lakshmi", "Imran", "Joseph")
_SURNAMES = ("Patil", "Sharma", "Iyer", "Reddy", "Das", "Yadav", "Nair", "Joshi", "Singh",
             "Kulkarni", "Gupta", "Menon", "Khan", "Fernandes", "Bose", "Chauhan")
_RETURN_REASONS = ("damaged in transit", "near expiry", "expired", "leaking pack")
_VISIT_NOTES = ("shop closed", "stock sufficient", "owner absent", "payment pending")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# ---------------------------------------------------------------------------
# Configuration and result.
# ---------------------------------------------------------------------------


@attrs.frozen
class SampleConfig:
    """What to generate. Sizes multiply: retailers = distributors × ``retailers_per_distributor``.

    Attributes:
        seed: seed of every random stream; equal configs give equal data.
        start: first day of sales.
        months: number of months of sales from ``start``.
        super_stockists: super-stockists, each in a different state (states repeat after 16).
        distributors_per_super_stockist: distributors under each super-stockist.
        direct_distributors: distributors served directly by the principal.
        retailers_per_distributor: retailers under each distributor.
        dealers_per_distributor: dealers (sub-stockists) under each distributor; with ``k``
            dealers, ``k`` of every ``k + 1`` of the distributor's retailers are served by
            a dealer, which buys from the distributor.
        skus: products in the catalog.
        categories: leaf categories used (1-40), e.g. ``Foods/Biscuits``.
        brands: brands in the catalog.
        secondary_lines: exact number of lines of secondary invoices to retailers (returns
            and dealers' purchases not counted).
        primary_invoices_per_distributor_month: buying windows per month; a distributor
            gets at most one primary invoice per window.
        return_rate: probability that an invoice gets a (partial) return.
        reps: sales reps per distributor; each covers a share of its retailers on beats.
        anomaly_rate: share of secondary lines turned into phantom sales (more than the
            distributor can have in stock); 0 means stock always covers sales.
        discount_rate: share of secondary lines with a trade discount (2-5 %).
        free_goods_rate: share of secondary lines of a case or more with free goods (1 per 12).
        mrp_revision_rate: share of SKUs whose MRP rises at the start of the middle month.
        unproductive_visit_rate: unproductive visits logged per productive visit, on average.
        moved_retailer_rate: share of retailers that moved to their distributor from another
            one in the same state before ``start`` (a closed link, then the open one), which
            gives as-of queries some history.
        retailer_margin: retailer margin on the tax-inclusive selling price (PTR = MRP × (1 − m)).
        distributor_margin: distributor margin on PTR (PTD = PTR × (1 − m)).
        super_stockist_margin: super-stockist margin on PTD (PTSS = PTD × (1 − m)).
        dealer_margin: dealer margin on PTR (a dealer buys at PTR × (1 − m)).

    Examples:
        >>> SampleConfig(months=0)
        Traceback (most recent call last):
        ...
        distcrm.errors.ValidationError: sample config.months: must be an int >= 1, got 0
    """

    seed: int = 7
    start: date = date(2025, 4, 1)
    months: int = 3
    super_stockists: int = 2
    distributors_per_super_stockist: int = 5
    direct_distributors: int = 1
    retailers_per_distributor: int = 20
    dealers_per_distributor: int = 0
    skus: int = 50
    categories: int = 8
    brands: int = 5
    secondary_lines: int = 5_000
    primary_invoices_per_distributor_month: int = 4
    return_rate: float = 0.02
    reps: int = 2
    anomaly_rate: float = 0.0
    discount_rate: float = 0.08
    free_goods_rate: float = 0.04
    mrp_revision_rate: float = 0.1
    unproductive_visit_rate: float = 0.3
    moved_retailer_rate: float = 0.0
    retailer_margin: Decimal = Decimal("0.15")
    distributor_margin: Decimal = Decimal("0.07")
    super_stockist_margin: Decimal = Decimal("0.03")
    dealer_margin: Decimal = Decimal("0.04")

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []

        def need(name: str, low: int, high: int | None = None) -> None:
            value = getattr(self, name)
            if (
                not isinstance(value, int)
                or isinstance(value, bool)
                or value < low
                or (high is not None and value > high)
            ):
                bound = f">= {low}" if high is None else f"in {low}..{high}"
                problems.append(Problem(f"sample config.{name}", f"must be an int {bound}, "
                                        f"got {value!r}"))

        if not isinstance(self.seed, int) or isinstance(self.seed, bool):
            problems.append(Problem("sample config.seed", f"must be an int, got {self.seed!r}"))
        if not isinstance(self.start, date):
            problems.append(Problem("sample config.start", "must be a date"))
        need("months", 1)
        need("super_stockists", 0)
        need("distributors_per_super_stockist", 0)
        need("direct_distributors", 0)
        need("retailers_per_distributor", 0)
        need("dealers_per_distributor", 0)
        need("skus", 1)
        need("categories", 1, len(_CATEGORIES))
        need("brands", 1)
        need("secondary_lines", 0)
        need("primary_invoices_per_distributor_month", 1, 28)
        need("reps", 1)
        for name in ("return_rate", "anomaly_rate", "discount_rate", "free_goods_rate",
                     "mrp_revision_rate", "unproductive_visit_rate",
                     "moved_retailer_rate"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not (
                0 <= value <= 1
            ):
                problems.append(Problem(f"sample config.{name}", f"must be a number in [0, 1], "
                                        f"got {value!r}"))
        for name in ("retailer_margin", "distributor_margin", "super_stockist_margin",
                     "dealer_margin"):
            value = getattr(self, name)
            if not isinstance(value, Decimal) or not (0 <= value < 1):
                problems.append(Problem(f"sample config.{name}", f"must be a Decimal in [0, 1), "
                                        f"got {value!r}"))
        if not problems:
            if self.skus < self.categories:
                problems.append(Problem("sample config.skus", f"must be >= categories "
                                        f"({self.categories}), got {self.skus}"))
            if self.secondary_lines and not self.retailer_count:
                problems.append(Problem("sample config.secondary_lines", "there are no "
                                        "retailers to sell to; add distributors and retailers"))
        if problems:
            raise ValidationError(problems)

    @property
    def distributor_count(self) -> int:
        """Distributors in the network (under super-stockists and direct)."""
        return self.super_stockists * self.distributors_per_super_stockist + (
            self.direct_distributors
        )

    @property
    def retailer_count(self) -> int:
        """Retailers in the network."""
        return self.distributor_count * self.retailers_per_distributor

    @property
    def end(self) -> date:
        """First day after the sales horizon."""
        return self.start + relativedelta(months=self.months)


@attrs.frozen
class SampleRep:
    """A distributor's sales rep and the retailers on the rep's beats."""

    id: RepId = attrs.field(converter=as_rep_id)
    name: str
    distributor: AccountId
    territory: str
    outlets: tuple[AccountId, ...]


@attrs.frozen
class SampleBeat:
    """A beat: the outlets a rep visits on one weekday (0 = Monday ... 5 = Saturday)."""

    id: str
    rep: RepId = attrs.field(converter=as_rep_id)
    weekday: int
    outlets: tuple[AccountId, ...]


@attrs.frozen
class SampleData:
    """A generated network, catalog and sales history.

    Attributes:
        config: the configuration it was generated from.
        tier_rules: the channel's tier rules (:data:`~distcrm.parties.INDIAN_FMCG`).
        principal: the brand owner.
        accounts: every account: the principal, the super-stockists, then each distributor
            followed by its dealers and retailers (ids increase within each tier).
        links: one open-ended parent link per non-principal account, plus a closed link
            to the former distributor of each moved retailer (``moved_retailer_rate``).
        products: the catalog.
        documents: invoices and returns at both levels, ordered by date then id.
        territories: ``(id, parent, level)`` for zone → region → state → district → town.
        reps: sales reps of the distributors.
        beats: each rep's outlets by weekday.
        visits: productive visits (one per order day) and some unproductive ones.
        anomalies: secondary lines that sell more than the distributor could have in stock.
    """

    config: SampleConfig
    tier_rules: TierRules
    principal: Account
    accounts: tuple[Account, ...]
    links: tuple[Link, ...]
    products: tuple[Product, ...]
    documents: tuple[Document, ...]
    territories: tuple[TerritoryRow, ...]
    reps: tuple[SampleRep, ...] = ()
    beats: tuple[SampleBeat, ...] = ()
    visits: tuple[Visit, ...] = ()
    anomalies: tuple[LineRef, ...] = ()
    _index: dict[str, Account] = attrs.field(init=False, repr=False, eq=False)
    _parents: dict[str, AccountId] = attrs.field(init=False, repr=False, eq=False)
    _tiers: dict[str, tuple[Account, ...]] = attrs.field(init=False, repr=False, eq=False)
    _levels: dict[str, tuple[Document, ...]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", {a.id: a for a in self.accounts})
        object.__setattr__(self, "_parents", {
            link.child: link.parent for link in self.links if link.validity.end is None
        })
        tiers: dict[str, list[Account]] = {name: [] for name in self.tier_rules.names}
        for a in self.accounts:
            tiers.setdefault(a.tier, []).append(a)
        object.__setattr__(self, "_tiers", {k: tuple(v) for k, v in tiers.items()})
        levels: dict[str, list[Document]] = {"primary": [], "secondary": [], "return": []}
        for d in self.documents:
            levels[d.level].append(d)
            if d.kind == "return":
                levels["return"].append(d)
        object.__setattr__(self, "_levels", {k: tuple(v) for k, v in levels.items()})

    def by_tier(self, tier: str) -> tuple[Account, ...]:
        """Accounts of ``tier``, in id order; raises for an unknown tier."""
        self.tier_rules.tier(tier)
        return self._tiers[tier]

    @property
    def retailers(self) -> tuple[Account, ...]:
        """Every retailer."""
        return self.by_tier("retailer")

    @property
    def distributors(self) -> tuple[Account, ...]:
        """Every distributor."""
        return self.by_tier("distributor")

    def account(self, account_id: str) -> Account:
        """The account with ``account_id``; raises :class:`~distcrm.errors.NotFound`."""
        try:
            return self._index[account_id]
        except KeyError:
            raise NotFound(f"sample account {account_id!r}: not in the sample") from None

    def primary(self) -> tuple[Document, ...]:
        """Primary documents (invoices and returns), by date then id."""
        return self._levels["primary"]

    def secondary(self) -> tuple[Document, ...]:
        """Secondary documents (invoices and returns), by date then id."""
        return self._levels["secondary"]

    def returns(self) -> tuple[Document, ...]:
        """Returns at both levels, by date then id."""
        return self._levels["return"]

    def load_into(self, store: Store) -> Store:
        """Add every account, product, link, document and visit to ``store``; returns it.

        Each repository's ``add_many`` is atomic, so a repository that already holds
        one of the ids refuses the whole batch with
        :class:`~distcrm.errors.DuplicateError`.
        """
        store.accounts.add_many(self.accounts)
        store.products.add_many(self.products)
        store.links.add_many(self.links)
        store.documents.add_many(self.documents)
        store.visits.add_many(self.visits)
        return store

    def parent_of(self, account_id: str, on: date | None = None) -> AccountId | None:
        """The parent (supplier) of ``account_id`` on ``on`` (default: today's open link).

        ``None`` for the principal, or when no link is active on ``on``.
        """
        if on is None:
            return self._parents.get(account_id)
        for link in self.links:
            if link.child == account_id and link.active_on(on):
                return link.parent
        return None


# ---------------------------------------------------------------------------
# Generation.
# ---------------------------------------------------------------------------


class _Values:
    """Shares equal immutable values: one ``Money`` per amount, one ``Line`` per content."""

    def __init__(self) -> None:
        self.money: dict[int, Money] = {}
        self.lines: dict[tuple[Any, ...], Line] = {}

    def inr(self, paise: int) -> Money:
        m = self.money.get(paise)
        if m is None:
            m = self.money[paise] = Money.from_minor_units(paise, CURRENCY)
        return m

    def line(self, sku: str, qty: int, unit: int, disc: int, tax: int, free: int,
             mrp: int) -> Line:
        key = (sku, qty, unit, disc, tax, free, mrp)
        line = self.lines.get(key)
        if line is None:
            inr = self.inr
            line = self.lines[key] = Line(sku, qty, inr(unit), discount=inr(disc) if disc else None,
                                          tax=inr(tax), free_qty=free, mrp=inr(mrp))
        return line


def _half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half up, for non-negative integers."""
    return (2 * numerator + denominator) // (2 * denominator)


def _tax(taxable: int, rate: int, intra_state: bool) -> int:
    """GST in paise: CGST + SGST each rounded when intra-state, IGST otherwise."""
    if intra_state:
        return 2 * _half_up(taxable * rate, 200)
    return _half_up(taxable * rate, 100)


class _Catalog:
    """Products plus fast per-date price look-ups in paise."""

    def __init__(self, config: SampleConfig, rng: random.Random, history_start: date,
                 revision: date | None) -> None:
        self.products: list[Product] = []
        self.case: list[int] = []
        self.category: list[int] = []
        self.popularity: list[float] = []
        self._mrps: list[tuple[int, int]] = []  # (paise before revision, paise after)
        self._revised: list[bool] = []
        self._revision = revision
        self._prices: dict[tuple[int, str, bool, bool], tuple[int, int, int]] = {}
        self._config = config
        brands = [_BRANDS[i % len(_BRANDS)] + ("" if i < len(_BRANDS) else f" {i // len(_BRANDS)}")
                  for i in range(config.brands)]
        width = max(3, len(str(config.skus)))
        for i in range(config.skus):
            c = i % config.categories
            path, hsn4, hsn8, _rates, (low, high), case, nouns, sizes = _CATEGORIES[c]
            brand = brands[rng.randrange(len(brands))]
            rupees = rng.randint(low, high)
            paise = 50 if rng.random() < 0.3 else 0
            mrp = rupees * 100 + paise
            revised = revision is not None and rng.random() < config.mrp_revision_rate
            after = _round_to_rupee(mrp * (100 + rng.randint(4, 12)) // 100) if revised else mrp
            name = f"{brand} {nouns[rng.randrange(len(nouns))]} {sizes[rng.randrange(len(sizes))]}"
            sku = f"SKU{i + 1:0{width}d}"
            entries: tuple[MrpEntry, ...]
            if revised and revision is not None:
                entries = (
                    MrpEntry(Money.from_minor_units(mrp, CURRENCY),
                             Validity(history_start, revision)),
                    MrpEntry(Money.from_minor_units(after, CURRENCY), Validity(revision)),
                )
            else:
                entries = (MrpEntry(Money.from_minor_units(mrp, CURRENCY),
                                    Validity(history_start)),)
            self.products.append(Product(
                sku, name, brand=brand, category=path,
                hsn=hsn8 if rng.random() < 0.5 else hsn4, mrp=entries,
                packs=(PackSize("case", case),),
            ))
            self.case.append(case)
            self.category.append(c)
            self._mrps.append((mrp, after))
            self._revised.append(revised)
            # Zipf-like popularity: a few SKUs sell much more than the rest.
            self.popularity.append(1.0 / (1 + (i * 7919) % config.skus) ** 0.8)

    def price_period(self, sku: int, on: date) -> tuple[bool, bool]:
        """Whether ``on`` falls after the SKU's MRP revision, and after the GST change."""
        revision = self._revision
        return (revision is not None and self._revised[sku] and on >= revision,
                on >= GST_RATE_CHANGE)

    def price(self, sku: int, tier: str, on: date) -> tuple[int, int, int]:
        """``(unit price excl. tax, GST %, MRP)`` in paise for a sale to ``tier`` on ``on``.

        The tax-exclusive price is set from the MRP with the GST rate in force before
        :data:`GST_RATE_CHANGE`, so a rate cut passes to the buyer: the price stays,
        the tax falls and the tax-inclusive price drops below the printed MRP.
        """
        revised, new_gst = self.price_period(sku, on)
        key = (sku, tier, revised, new_gst)
        found = self._prices.get(key)
        if found is None:
            cfg = self._config
            mrp = self._mrps[sku][1 if revised else 0]
            rates = _CATEGORIES[self.category[sku]][3]
            rate = rates[1 if new_gst else 0]
            incl = Decimal(mrp) * (1 - cfg.retailer_margin)
            if tier == "dealer":
                incl *= 1 - cfg.dealer_margin
            if tier in ("distributor", "super_stockist"):
                incl *= 1 - cfg.distributor_margin
            if tier == "super_stockist":
                incl *= 1 - cfg.super_stockist_margin
            unit = int((incl * 100 / (100 + rates[0])).quantize(Decimal(1), ROUND_HALF_UP))
            found = self._prices[key] = (unit, rate, mrp)
        return found


def _round_to_rupee(paise: int) -> int:
    return _half_up(paise, 100) * 100


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._pans: set[str] = set()

    def firm(self, suffixes: tuple[str, ...]) -> str:
        r = self._rng
        return (f"{_NAME_FIRST[r.randrange(len(_NAME_FIRST))]} "
                f"{_NAME_SECOND[r.randrange(len(_NAME_SECOND))]} "
                f"{suffixes[r.randrange(len(suffixes))]}")

    def person(self) -> str:
        r = self._rng
        return (f"{_FIRST_NAMES[r.randrange(len(_FIRST_NAMES))]} "
                f"{_SURNAMES[r.randrange(len(_SURNAMES))]}")

    def pan(self, name: str, holder: str) -> str:
        r = self._rng
        while True:
            value = (
                "".join(_LETTERS[r.randrange(26)] for _ in range(3))
                + holder + name[0].upper() + f"{r.randrange(10000):04d}" + _LETTERS[r.randrange(26)]
            )
            if value not in self._pans:
                self._pans.add(value)
                return value

    def kyc(self, name: str, state: str, holder: str) -> tuple[Gstin, Pan]:
        pan = self.pan(name, holder)
        first14 = f"{state}{pan}1Z"
        return Gstin(first14 + gstin_check_character(first14)), Pan(pan)


@attrs.define
class _Window:
    start: date
    end: date
    month: int


def _windows(config: SampleConfig) -> list[_Window]:
    result: list[_Window] = []
    n = config.primary_invoices_per_distributor_month
    for m in range(config.months):
        month_start = config.start + relativedelta(months=m)
        month_end = config.start + relativedelta(months=m + 1)
        days = (month_end - month_start).days
        cuts = [month_start + timedelta(days=days * i // n) for i in range(n)] + [month_end]
        for a, b in itertools.pairwise(cuts):
            if b > a:
                result.append(_Window(a, b, m))
    return result


# A planned secondary line: [sku index, qty, discount basis points, free qty, phantom flag]
_Planned = list[int]
# A planned secondary return: (date, [(line position, units back)], reason)
_PlannedReturn = tuple[date, list[tuple[int, int]], str]


def generate(config: SampleConfig | None = None) -> SampleData:
    """Generate a sample network and its sales history (see the module docs).

    Args:
        config: sizes and rates; the default is a small network (1 principal, 2
            super-stockists, 11 distributors, 220 retailers, 50 SKUs, 5,000 secondary
            lines over 3 months from 2025-04-01).

    Returns:
        A :class:`SampleData`; equal configs give equal data.

    Examples:
        >>> data = generate(SampleConfig(seed=3, super_stockists=1,
        ...     distributors_per_super_stockist=1, direct_distributors=0,
        ...     retailers_per_distributor=3, skus=4, categories=2, brands=2,
        ...     secondary_lines=12))
        >>> [a.id for a in data.accounts]
        ['P1', 'SS01', 'D0001', 'R000001', 'R000002', 'R000003']
        >>> data.parent_of("R000002"), data.parent_of("D0001")
        ('D0001', 'SS01')
        >>> default = generate()  # the example of docs/sample-data.md
        >>> invoice = next(d for d in default.secondary() if d.kind == "invoice")
        >>> invoice.id, invoice.seller, invoice.buyer, str(invoice.total)
        ('D0001-SI-000001', 'D0001', 'R000003', '3385.58 INR')
    """
    return _Generator(config or SampleConfig()).run()


class _Generator:
    def __init__(self, config: SampleConfig) -> None:
        self.cfg = config
        seed = config.seed
        self.rng_net = random.Random(f"distcrm-sample-{seed}-network")
        self.rng_sales = random.Random(f"distcrm-sample-{seed}-sales")
        self.rng_stock = random.Random(f"distcrm-sample-{seed}-stock")
        self.rng_returns = random.Random(f"distcrm-sample-{seed}-returns")
        self.rng_anomaly = random.Random(f"distcrm-sample-{seed}-anomaly")
        self.rng_visits = random.Random(f"distcrm-sample-{seed}-visits")
        self.values = _Values()
        self.history_start = date(config.start.year - 1, config.start.month, 1)
        self.end = config.end
        self.windows = _windows(config)
        self.window_of: dict[date, int] = {}
        for i, w in enumerate(self.windows):
            d = w.start
            while d < w.end:
                self.window_of[d] = i
                d += timedelta(days=1)
        revision: date | None = None
        if config.months >= 2:
            revision = config.start + relativedelta(months=config.months // 2)
        self.catalog = _Catalog(config, random.Random(f"distcrm-sample-{seed}-catalog"),
                                self.history_start, revision)
        self.cum_popularity: list[float] = []
        total = 0.0
        for p in self.catalog.popularity:
            total += p
            self.cum_popularity.append(total)
        self.names = _Names(self.rng_net)
        self.accounts: list[Account] = []
        self.links: list[Link] = []
        self.territories: list[TerritoryRow] = []
        self._territory_ids: set[str] = set()
        self.documents: list[Document] = []
        self.visits: list[Visit] = []
        self.reps: list[SampleRep] = []
        self.beats: list[SampleBeat] = []
        self.anomalies: list[LineRef] = []
        self.state_of: dict[str, str] = {}
        self.parents: dict[str, str] = {}
        self.moved_on: dict[str, date] = {}
        self.dealers: dict[str, list[Account]] = {}
        self.accounts_by_id: dict[str, Account] = {}
        self.rng_moves = random.Random(f"distcrm-sample-{seed}-moves")
        self.line_cache: dict[tuple[Any, ...], tuple[Line, int]] = {}
        self.secondary_value: dict[str, int] = {}

    # -- network --------------------------------------------------------------------------

    def _territory(self, tid: str, parent: str | None, level: str) -> str:
        if tid not in self._territory_ids:
            self._territory_ids.add(tid)
            self.territories.append((tid, parent, level))
        return tid

    def _state_territory(self, index: int) -> tuple[str, str]:
        code, zone, region, _ = _STATES[index % len(_STATES)]
        z = self._territory(f"Z-{zone.upper()}", None, "zone")
        r = self._territory(f"R-{region.upper()}", z, "region")
        return code, self._territory(f"S-{code}", r, "state")

    def _add(self, account: Account, parent: str | None) -> Account:
        self.accounts.append(account)
        self.accounts_by_id[account.id] = account
        self.state_of[account.id] = account.state_code or ""
        if parent is not None:
            self.parents[account.id] = parent
            since = self.moved_on.get(account.id, self.history_start)
            self.links.append(Link(parent, account.id, Validity(since)))
        return account

    def _money(self, rupees: int) -> Money:
        return self.values.inr(rupees * 100)

    def run(self) -> SampleData:
        cfg = self.cfg
        rng = self.rng_net
        state_code, _ = self._state_territory(0)
        name = "Sahyadri Consumer Products Ltd"
        gstin, pan = self.names.kyc(name, state_code, "C")
        principal = self._add(Account(
            "P1", name, "principal", gstin=gstin, pan=pan, state_code=state_code,
            channel="manufacturer", kyc_status="verified",
        ), None)
        d_width = max(4, len(str(cfg.distributor_count)))
        r_width = max(6, len(str(cfg.retailer_count)))
        ss_width = max(2, len(str(cfg.super_stockists)))
        counter = {"distributor": 0, "retailer": 0, "dealer": 0}
        dl_width = max(4, len(str(cfg.distributor_count * cfg.dealers_per_distributor)))
        # (distributor, its state index, parent) in creation order
        plan: list[tuple[str, int, str]] = []
        stockists: list[Account] = []
        for s in range(cfg.super_stockists):
            code, state_tid = self._state_territory(s)
            name = self.names.firm(_STOCKIST_SUFFIX)
            gstin, pan = self.names.kyc(name, code, "FC"[rng.randrange(2)])
            ss = self._add(Account(
                f"SS{s + 1:0{ss_width}d}", name, "super_stockist", gstin=gstin, pan=pan,
                state_code=code, territory=state_tid, channel="general_trade",
                credit_limit=self._money(rng.randrange(50, 200) * 100_000),
                payment_terms=PaymentTerms(30), account_class="A", kyc_status="verified",
            ), principal.id)
            stockists.append(ss)
            for _ in range(cfg.distributors_per_super_stockist):
                plan.append((ss.id, s, ss.id))
        for _ in range(cfg.direct_distributors):
            plan.append((principal.id, 0, principal.id))
        towns_used: dict[str, int] = {}
        distributors: list[tuple[Account, list[Account]]] = []
        nearby: dict[str, list[Account]] = {}  # earlier distributors by state
        for _, state_index, parent in plan:
            counter["distributor"] += 1
            code, _, _, districts = _STATES[state_index % len(_STATES)]
            _, state_tid = self._state_territory(state_index)
            district, lat, lon = districts[rng.randrange(len(districts))]
            dist_tid = self._territory(f"D-{code}-{district.upper().replace(' ', '')}",
                                       state_tid, "district")
            k = towns_used.get(dist_tid, 0)
            towns_used[dist_tid] = k + 1
            town_name = district + (_TOWN_SUFFIXES[k] if k < len(_TOWN_SUFFIXES) else f" {k}")
            town_tid = self._territory(f"T-{code}-{district.upper().replace(' ', '')}-{k + 1:02d}",
                                       dist_tid, "town")
            t_lat = lat if k == 0 else lat + rng.uniform(-0.25, 0.25)
            t_lon = lon if k == 0 else lon + rng.uniform(-0.25, 0.25)
            name = self.names.firm(_STOCKIST_SUFFIX)
            gstin, pan = self.names.kyc(name, code, "FCP"[rng.randrange(3)])
            distributor = self._add(Account(
                f"D{counter['distributor']:0{d_width}d}", f"{name}, {town_name}", "distributor",
                gstin=gstin, pan=pan, state_code=code, territory=town_tid,
                channel="general_trade",
                credit_limit=self._money(rng.randrange(5, 50) * 100_000),
                payment_terms=PaymentTerms(21), account_class=None, kyc_status="verified",
                lat=round(t_lat, 5), lon=round(t_lon, 5),
            ), parent)
            sellers = [distributor]
            for _ in range(cfg.dealers_per_distributor):
                counter["dealer"] += 1
                name = self.names.firm(_STOCKIST_SUFFIX)
                gstin, pan = self.names.kyc(name, code, "FP"[rng.randrange(2)])
                sellers.append(self._add(Account(
                    f"DL{counter['dealer']:0{dl_width}d}", f"{name}, {town_name}", "dealer",
                    gstin=gstin, pan=pan, state_code=code, territory=town_tid,
                    channel="general_trade",
                    credit_limit=self._money(rng.randrange(1, 10) * 100_000),
                    payment_terms=PaymentTerms(14), account_class=None, kyc_status="verified",
                    lat=round(t_lat + rng.gauss(0, 0.02), 5),
                    lon=round(t_lon + rng.gauss(0, 0.02), 5),
                ), distributor.id))
            retailers: list[Account] = []
            for j in range(cfg.retailers_per_distributor):
                counter["retailer"] += 1
                retailer = self._retailer(
                    f"R{counter['retailer']:0{r_width}d}", code, town_tid, t_lat, t_lon,
                )
                retailers.append(retailer)
                self._moved(retailer, nearby.get(code, []))
                self._add(retailer, sellers[j % len(sellers)].id)
            distributors.append((distributor, retailers))
            self.dealers[distributor.id] = sellers[1:]
            nearby.setdefault(code, []).append(distributor)
        weights = self._line_weights([r for _, rs in distributors for r in rs])
        allocation = _allocate_ints(cfg.secondary_lines, weights)
        offset = 0
        primary_by_ss: dict[str, list[dict[tuple[int, int], int]]] = {
            ss.id: [{} for _ in range(cfg.months)] for ss in stockists
        }
        for distributor, retailers in distributors:
            counts = allocation[offset:offset + len(retailers)]
            offset += len(retailers)
            receipts = self._sales(distributor, retailers, counts)
            parent = self._parent_id(distributor.id)
            if parent in primary_by_ss:
                for m, month in enumerate(receipts):
                    target = primary_by_ss[parent][m]
                    for key, qty in month.items():
                        target[key] = target.get(key, 0) + qty
        for ss in stockists:
            self._stockist_purchases(principal, ss, primary_by_ss[ss.id])
        self._classify_distributors([d for d, _ in distributors])
        self.documents.sort(key=lambda d: (d.issued_on, d.id))
        self.visits.sort(key=lambda v: (v.visited_on, v.id))
        return SampleData(
            config=cfg, tier_rules=INDIAN_FMCG, principal=principal,
            accounts=tuple(self.accounts), links=tuple(self.links),
            products=tuple(self.catalog.products), documents=tuple(self.documents),
            territories=tuple(self.territories), reps=tuple(self.reps), beats=tuple(self.beats),
            visits=tuple(self.visits), anomalies=tuple(self.anomalies),
        )

    def _moved(self, retailer: Account, earlier: list[Account]) -> None:
        """Maybe give ``retailer`` a closed link before ``start`` to an ``earlier`` distributor."""
        rate = self.cfg.moved_retailer_rate
        rng = self.rng_moves
        if not rate or not earlier or rng.random() >= rate:
            return
        old = earlier[int(rng.random() * len(earlier))]
        days = (self.cfg.start - self.history_start).days
        moved_on = self.history_start + timedelta(days=1 + int(rng.random() * days))
        self.links.append(Link(old.id, retailer.id, Validity(self.history_start, moved_on)))
        self.moved_on[retailer.id] = moved_on

    def _classify_distributors(self, distributors: list[Account]) -> None:
        """Class A, B, C for the top 20 %, next 30 % and the rest by secondary sales value."""
        ranked = sorted(distributors, key=lambda d: (-self.secondary_value.get(d.id, 0), d.id))
        n = len(ranked)
        classes: dict[str, AccountClass] = {}
        for rank, d in enumerate(ranked):
            classes[d.id] = "A" if rank < round(n * 0.2) else "B" if rank < round(n * 0.5) else "C"
        self.accounts = [
            attrs.evolve(a, account_class=classes[a.id]) if a.id in classes else a
            for a in self.accounts
        ]

    def _parent_id(self, child: str) -> str:
        return self.parents[child]

    def _retailer(self, rid: str, code: str, town: str, lat: float, lon: float) -> Account:
        rng = self.rng_net
        u = rng.random()
        cls: AccountClass = "A" if u < 0.2 else "B" if u < 0.5 else "C"
        name = self.names.firm(_RETAIL_SUFFIX)
        gstin: Gstin | None = None
        pan: Pan | None = None
        kyc: Any = "pending"
        if cls == "A" or rng.random() < 0.5:
            gstin, pan = self.names.kyc(name, code, "P")
            kyc = "verified"
        channel = "chemist" if name.endswith("Medicals") else (
            "modern_trade" if name.endswith(("Supermarket", "Mart")) and cls == "A"
            else "general_trade")
        limit = {"A": 100_000, "B": 40_000, "C": 0}[cls]
        return Account(
            rid, name, "retailer", gstin=gstin, pan=pan, state_code=code, territory=town,
            channel=channel, credit_limit=self._money(limit) if limit else None,
            payment_terms=PaymentTerms(7 if cls != "C" else 0), account_class=cls,
            lat=round(lat + rng.gauss(0, 0.02), 5), lon=round(lon + rng.gauss(0, 0.02), 5),
            kyc_status=kyc,
        )

    def _line_weights(self, retailers: list[Account]) -> list[float]:
        rng = self.rng_sales
        factor = {"A": 4.0, "B": 2.0, "C": 1.0}
        return [factor[r.account_class or "C"] * rng.uniform(0.5, 1.5) for r in retailers]

    # -- sales ------------------------------------------------------------------------------

    def _sales(self, distributor: Account, retailers: list[Account],
               counts: list[int]) -> list[dict[tuple[int, int], int]]:
        """Secondary sales, visits and primary purchases of one distributor.

        Returns the distributor's receipts per month as ``{(sku, 0): qty}`` for the
        super-stockist's own purchases.
        """
        cfg = self.cfg
        rng = self.rng_sales
        n_skus = cfg.skus
        cum = self.cum_popularity
        case = self.catalog.case
        # Reps and beats.
        rep_ids = [f"REP-{distributor.id}-{k + 1}" for k in range(cfg.reps)]
        rep_outlets: list[list[AccountId]] = [[] for _ in rep_ids]
        beat_outlets: dict[tuple[int, int], list[AccountId]] = {}
        beat_dates: dict[int, list[date]] = {}
        for wd in range(6):
            first = cfg.start + timedelta(days=(wd - cfg.start.weekday()) % 7)
            ds: list[date] = []
            d = first
            while d < self.end:
                ds.append(d)
                d += timedelta(days=7)
            beat_dates[wd] = ds
        # invoices: (date, retailer index, lines)
        invoices: list[tuple[date, int, list[_Planned]]] = []
        visits: list[tuple[date, int, int]] = []  # (date, retailer index, invoice pos or -1)
        anomaly = cfg.anomaly_rate
        anomaly_random = self.rng_anomaly.random
        random = rng.random
        cum_total = cum[-1]
        discount_rate = cfg.discount_rate
        free_goods_rate = cfg.free_goods_rate
        for j, retailer in enumerate(retailers):
            rep = j % cfg.reps
            weekday = (j // cfg.reps) % 6
            rep_outlets[rep].append(retailer.id)
            beat_outlets.setdefault((rep, weekday), []).append(retailer.id)
            dates = beat_dates[weekday]
            if retailer.account_class == "C":
                dates = dates[::2]
            remaining = counts[j]
            max_lines = {"A": 10, "B": 7, "C": 5}[retailer.account_class or "C"]
            mine: list[tuple[date, list[_Planned]]] = []
            cls = retailer.account_class
            while remaining > 0:
                # int(random() * n) rather than randrange(n): same role, a third of the cost
                k = min(remaining, 1 + int(random() * max_lines), n_skus)
                remaining -= k
                picks = [bisect(cum, random() * cum_total) for _ in range(k + 2)]
                chosen = [p for p in dict.fromkeys(picks) if p < n_skus][:k]
                while len(chosen) < k:
                    extra = int(random() * n_skus)
                    if extra not in chosen:
                        chosen.append(extra)
                lines: list[_Planned] = []
                for s in chosen:
                    units = case[s]
                    u = random()
                    if cls == "A":
                        qty = units * (1 + int(u * 3)) if u < 0.6 else units // 2
                    elif u < 0.5:
                        qty = units // 4 * (1 + int(u * 4))
                    else:
                        qty = units // 2 if u < 0.85 else units
                    qty = max(qty, 1)
                    disc = _DISCOUNTS_BP[int(random() * 3)] if random() < discount_rate else 0
                    free = qty // 12 if qty >= units and random() < free_goods_rate else 0
                    phantom = 1 if anomaly and anomaly_random() < anomaly else 0
                    if phantom:
                        free = 0
                    lines.append([s, qty, disc, free, phantom])
                mine.append((dates[int(random() * len(dates))], lines))
            mine.sort(key=lambda x: x[0])
            order_days = set()
            for d, lines in mine:
                if d not in order_days:
                    order_days.add(d)
                    visits.append((d, j, len(invoices)))
                invoices.append((d, j, lines))
            vr = self.rng_visits
            rate = cfg.unproductive_visit_rate
            free_days = [d for d in dates if d not in order_days]
            for _ in range(len(order_days)):
                if free_days and vr.random() < rate:
                    visits.append((free_days[vr.randrange(len(free_days))], j, -1))
            if not mine and free_days and vr.random() < rate:
                visits.append((free_days[vr.randrange(len(free_days))], j, -1))
        for k, rid in enumerate(rep_ids):
            self.reps.append(SampleRep(rid, self.names.person(),
                                       distributor.id, distributor.territory or "",
                                       tuple(rep_outlets[k])))
        for (rep, wd), outlets in sorted(beat_outlets.items()):
            self.beats.append(SampleBeat(f"{rep_ids[rep]}-{_WEEKDAYS[wd]}", rep_ids[rep], wd,
                                         tuple(outlets)))
        # Window demand (non-phantom, free goods included) and phantom lines by window,
        # for each seller: the distributor (0) and its dealers (1...).
        sellers = [distributor, *self.dealers.get(distributor.id, [])]
        n_sellers = len(sellers)
        n_windows = len(self.windows)
        demand: list[list[dict[int, int]]] = [[{} for _ in range(n_windows)] for _ in sellers]
        phantoms: list[list[list[_Planned]]] = [[[] for _ in range(n_windows)] for _ in sellers]
        order = sorted(range(len(invoices)), key=lambda i: (invoices[i][0], invoices[i][1]))
        for i in order:
            d, j, lines = invoices[i]
            w = self.window_of[d]
            seller_demand = demand[j % n_sellers][w]
            for pl in lines:
                if pl[4]:
                    phantoms[j % n_sellers][w].append(pl)
                else:
                    seller_demand[pl[0]] = seller_demand.get(pl[0], 0) + pl[1] + pl[3]
        returns, returned = self._plan_returns(invoices, order, n_sellers)
        for k in range(1, n_sellers):
            _, bought, sent_back = self._restock(sellers[k], distributor, "secondary", "dealer",
                                                 demand[k], phantoms[k], returned[k])
            for w in range(n_windows):
                for target, source in ((demand[0][w], bought[w]), (returned[0][w], sent_back[w])):
                    for sku, qty in source.items():
                        target[sku] = target.get(sku, 0) + qty
        parent = self.accounts_by_id[self._parent_id(distributor.id)]
        monthly, _, _ = self._restock(distributor, parent, "primary", "distributor", demand[0],
                                      phantoms[0], returned[0])
        self._emit_secondary(sellers, retailers, invoices, order, returns, visits, rep_ids)
        return monthly

    def _plan_returns(
        self, invoices: list[tuple[date, int, list[_Planned]]], order: list[int], n_sellers: int
    ) -> tuple[dict[int, _PlannedReturn], list[list[dict[int, int]]]]:
        """Which secondary invoices get a return, and the units back by seller and window."""
        cfg = self.cfg
        rr = self.rng_returns
        case = self.catalog.case
        last_day = self.end - timedelta(days=1)
        plans: dict[int, _PlannedReturn] = {}
        returned: list[list[dict[int, int]]] = [
            [{} for _ in self.windows] for _ in range(n_sellers)
        ]
        for i in order:
            d, j, planned = invoices[i]
            if rr.random() >= cfg.return_rate or d >= last_day or any(pl[4] for pl in planned):
                continue
            back_on = min(d + timedelta(days=rr.randint(1, 21)), last_day)
            window = returned[j % n_sellers][self.window_of[back_on]]
            items: list[tuple[int, int]] = []
            for p in sorted(rr.sample(range(len(planned)), min(len(planned), rr.randint(1, 2)))):
                s, qty = planned[p][0], planned[p][1]
                back = min(qty, rr.randint(1, max(1, case[s] // 4)))
                items.append((p, back))
                window[s] = window.get(s, 0) + back
            plans[i] = (back_on, items, _RETURN_REASONS[rr.randrange(len(_RETURN_REASONS))])
        return plans, returned

    def _restock(
        self, buyer: Account, supplier: Account, level: Level, tier: str,
        demand: list[dict[int, int]], phantoms: list[list[_Planned]],
        returned: list[dict[int, int]],
    ) -> tuple[list[dict[tuple[int, int], int]], list[dict[int, int]], list[dict[int, int]]]:
        """Purchases and purchase returns of ``buyer`` from ``supplier``, window by window.

        Returns the units received by month (``{(sku, 0): qty}``), the units received
        by window and the units sent back by window.
        """
        cfg = self.cfg
        rng = self.rng_stock
        rr = self.rng_returns
        case = self.catalog.case
        seller = supplier.id
        intra = supplier.state_code == buyer.state_code
        slack: dict[int, int] = {}
        monthly: list[dict[tuple[int, int], int]] = [{} for _ in range(cfg.months)]
        received: list[dict[int, int]] = [{} for _ in self.windows]
        sent_back: list[dict[int, int]] = [{} for _ in self.windows]
        seq = 0
        ret_seq = 0
        for w, window in enumerate(self.windows):
            month = window.month
            wanted: list[tuple[int, int, int]] = []
            for s in sorted(demand[w]):
                q = demand[w][s]
                need = q * (105 + int(rng.random() * 26)) - 100 * max(slack.get(s, 0), 0)
                if need <= 0:
                    continue
                cases = -(-need // (100 * case[s]))
                qty = cases * case[s]
                free = case[s] * (cases // 10) if cases >= 10 and rng.random() < 0.03 else 0
                wanted.append((s, qty, free))
            if wanted:
                seq += 1
                cash_discount = 100 if rng.random() < 0.25 else 0
                lines: list[Line] = []
                for s, qty, free in wanted:
                    lines.append(self._line(s, tier, window.start, qty, cash_discount, free,
                                            intra))
                    slack[s] = slack.get(s, 0) + qty + free
                    month_total = monthly[month]
                    month_total[(s, 0)] = month_total.get((s, 0), 0) + qty + free
                    received[w][s] = qty + free
                invoice_id = f"{buyer.id}-PI-{seq:04d}"
                self.documents.append(Document(
                    invoice_id, "invoice", level, seller, buyer.id, window.start,
                    CURRENCY, tuple(lines), place_of_supply=buyer.state_code,
                ))
            for s, q in demand[w].items():
                slack[s] = slack.get(s, 0) - q
            for s, q in returned[w].items():  # retailers' returns are back in stock
                slack[s] = slack.get(s, 0) + q
            for pl in phantoms[w]:
                s = pl[0]
                pl[1] = max(pl[1], slack.get(s, 0) + 1 + self.rng_anomaly.randrange(case[s]))
                slack[s] = slack.get(s, 0) - pl[1]
            if wanted and rr.random() < cfg.return_rate:
                returnable = [(s, qty) for s, qty, _ in wanted if slack.get(s, 0) > 0]
                if returnable:
                    ret_seq += 1
                    picks = rr.sample(returnable, min(len(returnable), rr.randint(1, 2)))
                    ret_lines: list[Line] = []
                    for s, qty in sorted(picks):
                        back = min(slack[s], qty, rr.randint(1, case[s]))
                        slack[s] -= back
                        sent_back[w][s] = sent_back[w].get(s, 0) + back
                        ret_lines.append(self._line(s, tier, window.start, back, cash_discount,
                                                    0, intra))
                    self.documents.append(Document(
                        f"{buyer.id}-PR-{ret_seq:04d}", "return", level, seller,
                        buyer.id, window.end - timedelta(days=1), CURRENCY,
                        tuple(ret_lines), reference=invoice_id,
                        place_of_supply=buyer.state_code,
                        reason=_RETURN_REASONS[rr.randrange(len(_RETURN_REASONS))],
                    ))
        return monthly, received, sent_back

    def _line(self, sku: int, tier: str, on: date, qty: int, disc_bp: int, free: int,
              intra: bool) -> Line:
        return self._line_value(sku, tier, on, qty, disc_bp, free, intra)[0]

    def _line_value(self, sku: int, tier: str, on: date, qty: int, disc_bp: int, free: int,
                    intra: bool) -> tuple[Line, int]:
        """The line and its taxable value in paise."""
        catalog = self.catalog
        key = (sku, tier, catalog.price_period(sku, on), qty, disc_bp, free, intra)
        found = self.line_cache.get(key)
        if found is None:
            unit, rate, mrp = catalog.price(sku, tier, on)
            gross = unit * qty
            disc = _half_up(gross * disc_bp, 10_000) if disc_bp else 0
            tax = _tax(gross - disc, rate, intra)
            line = self.values.line(catalog.products[sku].sku, qty, unit, disc, tax, free, mrp)
            found = self.line_cache[key] = (line, gross - disc)
        return found

    def _emit_secondary(self, sellers: list[Account], retailers: list[Account],
                        invoices: list[tuple[date, int, list[_Planned]]], order: list[int],
                        returns: dict[int, _PlannedReturn],
                        visits: list[tuple[date, int, int]], rep_ids: list[str]) -> None:
        cfg = self.cfg
        distributor = sellers[0]
        ids: dict[int, str] = {}
        invoice_seq = [0] * len(sellers)
        return_seq = [0] * len(sellers)
        value = 0
        for i in order:
            d, j, planned = invoices[i]
            retailer = retailers[j]
            k = j % len(sellers)
            seller = sellers[k]
            invoice_seq[k] += 1
            intra = retailer.state_code == seller.state_code
            doc_id = f"{seller.id}-SI-{invoice_seq[k]:06d}"
            ids[i] = doc_id
            valued = [self._line_value(pl[0], "retailer", d, pl[1], pl[2], pl[3], intra)
                      for pl in planned]
            lines = tuple(line for line, _ in valued)
            value += sum(v for _, v in valued)
            doc = Document(doc_id, "invoice", "secondary", seller.id, retailer.id, d,
                           CURRENCY, lines, place_of_supply=retailer.state_code)
            self.documents.append(doc)
            for number, pl in enumerate(planned, start=1):
                if pl[4]:
                    self.anomalies.append(LineRef(doc_id, number))
            if i in returns:
                back_on, items, reason = returns[i]
                return_seq[k] += 1
                ret_lines = [
                    self._line(planned[p][0], "retailer", d, back, planned[p][2], 0, intra)
                    for p, back in items
                ]
                self.documents.append(Document(
                    f"{seller.id}-SR-{return_seq[k]:05d}", "return", "secondary", seller.id,
                    retailer.id, back_on, CURRENCY, tuple(ret_lines), reference=doc_id,
                    place_of_supply=retailer.state_code, reason=reason,
                ))
        self.secondary_value[distributor.id] = value
        visits.sort(key=lambda v: (v[0], v[1], v[2]))
        vr = self.rng_visits
        for n, (d, j, inv) in enumerate(visits, start=1):
            rep = rep_ids[j % cfg.reps]
            weekday = d.weekday()
            self.visits.append(Visit(
                f"V-{distributor.id}-{n:06d}", rep, retailers[j].id, d,
                beat=f"{rep}-{_WEEKDAYS[weekday]}" if weekday < 6 else None,
                order_id=ids[inv] if inv >= 0 else None,
                note=None if inv >= 0 else _VISIT_NOTES[vr.randrange(len(_VISIT_NOTES))],
            ))

    def _stockist_purchases(self, principal: Account, ss: Account,
                            months: list[dict[tuple[int, int], int]]) -> None:
        """Monthly principal → super-stockist invoices covering what the stockist sells on."""
        rng = self.rng_stock
        case = self.catalog.case
        intra = principal.state_code == ss.state_code
        slack: dict[int, int] = {}
        for m, month in enumerate(months):
            on = self.cfg.start + relativedelta(months=m)
            lines: list[Line] = []
            for (s, _), q in sorted(month.items()):
                need = q * (100 + rng.randint(2, 10)) - 100 * max(slack.get(s, 0), 0)
                if need <= 0:
                    slack[s] = slack.get(s, 0) - q
                    continue
                qty = -(-need // (100 * case[s])) * case[s]
                slack[s] = slack.get(s, 0) + qty - q
                lines.append(self._line(s, "super_stockist", on, qty, 0, 0, intra))
            if lines:
                self.documents.append(Document(
                    f"{ss.id}-PI-{m + 1:04d}", "invoice", "primary", principal.id, ss.id, on,
                    CURRENCY, tuple(lines), place_of_supply=ss.state_code,
                ))


def _allocate_ints(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder, exact)."""
    if not weights:
        return []
    weight_sum = sum(weights)
    exact = [total * w / weight_sum for w in weights]
    counts = [int(e) for e in exact]
    left = total - sum(counts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[:left]:
        counts[i] += 1
    return counts

