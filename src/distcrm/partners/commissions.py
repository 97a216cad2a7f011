"""Commission ledgers and statements: earned on invoice or payment, clawed back on returns.

For every deal the ledger walks the deal's documents in date order — its
invoices, the customer's payments against them and the returns and credit
notes that reference them — and keeps the deal's *entitlement*:

* basis ``invoice``: ``rate × (taxable invoiced − taxable returned)``;
* basis ``payment``: for each invoice, its net taxable value times the share of
  its net total (invoice total − returns) the customer has paid, at most 1;

summed over the deal's invoices, never below zero, rounded half-up to the
paisa. Each change of the entitlement is an event: a rise is commission
*earned*, a fall a *clawback*. So a clawback only ever takes back what was
earned (paid out) before on the same deal, and never more.

The entitlement is split between the attributed distributor and reseller with
:func:`distcrm.money.allocate` by the rule's :class:`~distcrm.partners.commission_rules.Split`
(a deal with one of the two pays that one everything). The split is applied to
the running entitlement, and each partner's event is the change of its share,
so the shares of every event add up to the event exactly and no partner's
clawbacks ever exceed what it earned on the deal.

Examples:
    >>> from datetime import date
    >>> from distcrm.documents import Document, Line
    >>> from distcrm.money import Money
    >>> from distcrm.periods import Period
    >>> from distcrm.partners.attribution import Attribution
    >>> from distcrm.partners.commission_rules import CommissionPlan, CommissionRule, Split
    >>> from distcrm.partners.regions import Partner
    >>> plan = CommissionPlan([CommissionRule("DIST-OWN", "partner_sourced", "10",
    ...                                       Split("30", "70"), partner_type="distributor")])
    >>> partners = [Partner("D1", "distributor"), Partner("R1", "reseller")]
    >>> a = Attribution("L-1", date(2025, 6, 2), "partner_sourced", "D1", "V", "D1", "R1")
    >>> inv = Document("INV-1", "invoice", "secondary", seller="V", buyer="C1",
    ...                issued_on=date(2025, 6, 5), currency="INR",
    ...                lines=[Line("SVC", 1, Money.of("20000.00", "INR"))])
    >>> ret = Document("RET-1", "return", "secondary", seller="V", buyer="C1",
    ...                issued_on=date(2025, 7, 10), currency="INR", reference="INV-1",
    ...                lines=[Line("SVC", 1, Money.of("5000.00", "INR"))])
    >>> ledger = commission_ledger([Deal("DEAL-1", a, ["INV-1"])], [inv, ret], plan, partners)
    >>> june = ledger.statement("R1", Period.containing(date(2025, 6, 1), "month"))
    >>> str(june.earned), str(june.net)          # 70 % of 10 % of 20,000
    ('1400.00 INR', '1400.00 INR')
    >>> july = ledger.statement("R1", Period.containing(date(2025, 7, 1), "month"))
    >>> str(july.clawed_back), str(july.net)     # 70 % of 10 % of 5,000 taken back
    ('350.00 INR', '-350.00 INR')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Literal, TypeAlias

import attrs

from distcrm.documents import Document
from distcrm.errors import DuplicateError, PartnerError
from distcrm.findings import Finding, Trace
from distcrm.money import Money, allocate, sum_money
from distcrm.parties import AccountId, as_account_id
from distcrm.partners.attribution import Attribution
from distcrm.partners.commission_rules import CommissionPlan, CommissionRule
from distcrm.partners.regions import Partner
from distcrm.periods import Period

__all__ = [
    "CommissionEvent",
    "CommissionLedger",
    "CommissionStatement",
    "Deal",
    "EventKind",
    "Payment",
    "Role",
    "commission_ledger",
]

EventKind: TypeAlias = Literal["earned", "clawback"]
Role: TypeAlias = Literal["distributor", "reseller"]
_REDUCING = ("return", "credit_note")


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        return (values,)
    return tuple(values)


@attrs.frozen
class Deal:
    """A won deal: its attribution and the invoices billed for it.

    Attributes:
        id: the deal id.
        attribution: who the deal is attributed to (and the lead's source).
        invoices: ids of the invoices billed to the customer for this deal.
    """

    id: str
    attribution: Attribution
    invoices: tuple[str, ...] = attrs.field(converter=_strings)

    def __attrs_post_init__(self) -> None:
        if not self.invoices:
            raise PartnerError(f"deal {self.id!r}.invoices: a deal needs at least one invoice")


@attrs.frozen
class Payment:
    """A customer's payment against one invoice (amount including tax).

    Examples:
        >>> Payment("PAY-1", "INV-1", date(2025, 6, 1), Money.of("-5", "INR"))
        Traceback (most recent call last):
        ...
        distcrm.errors.PartnerError: payment 'PAY-1'.amount: must be > 0, got -5 INR
    """

    id: str
    invoice: str
    paid_on: date
    amount: Money

    def __attrs_post_init__(self) -> None:
        if self.amount.amount <= 0:
            raise PartnerError(f"payment {self.id!r}.amount: must be > 0, got {self.amount}")


@attrs.frozen
class CommissionEvent:
    """One partner's share of one change in a deal's commission entitlement.

    Attributes:
        deal: the deal.
        partner: the partner receiving (or giving back) the amount.
        role: ``"distributor"`` or ``"reseller"``.
        kind: ``"earned"`` or ``"clawback"``.
        on: the date of the document that caused it.
        document: the invoice, payment or return/credit note that caused it.
        amount: the amount earned or clawed back (never negative).
        rule: the commission rule applied.
        trace: the rule, the entitlement before and after, and the split.
    """

    deal: str
    partner: AccountId = attrs.field(converter=as_account_id)
    role: Role
    kind: EventKind
    on: date
    document: str
    amount: Money
    rule: str
    trace: Trace = attrs.field(eq=False)

    @property
    def signed(self) -> Money:
        """The amount, negative for a clawback."""
        return self.amount if self.kind == "earned" else -self.amount


@attrs.frozen
class CommissionStatement:
    """What one partner earned and gave back in one period.

    Attributes:
        partner: the partner.
        period: the statement period.
        currency: the currency of every amount.
        lines: the partner's commission events in the period, in date order.
        earned: the total earned in the period.
        clawed_back: the total clawed back in the period.
        net: ``earned − clawed_back`` (negative when clawbacks outweigh earnings).
    """

    partner: AccountId = attrs.field(converter=as_account_id)
    period: Period
    currency: str
    lines: tuple[CommissionEvent, ...]
    earned: Money
    clawed_back: Money
    net: Money

    def render(self) -> str:
        """The statement as plain text, one line per event and the totals."""
        out = [f"commission statement {self.partner} {self.period.label} ({self.currency})"]
        for e in self.lines:
            sign = "+" if e.kind == "earned" else "-"
            out.append(
                f"  {e.on.isoformat()} {e.deal} {e.document} {e.role} {e.kind} "
                f"{sign}{e.amount.amount} ({e.rule})"
            )
        out.append(
            f"  earned {self.earned.amount}, clawed back {self.clawed_back.amount}, "
            f"net {self.net.amount}"
        )
        return "\n".join(out)


@attrs.frozen
class CommissionLedger:
    """Every commission event of a set of deals, and what could not be computed.

    Attributes:
        currency: the currency of every amount.
        events: every event, in date order.
        findings: deals without a rule, invoices not found, documents ignored.
    """

    currency: str
    events: tuple[CommissionEvent, ...]
    findings: tuple[Finding, ...] = ()

    def for_partner(self, partner: str) -> tuple[CommissionEvent, ...]:
        """Every event of ``partner``, in date order."""
        return tuple(e for e in self.events if e.partner == partner)

    def statement(self, partner: str, period: Period) -> CommissionStatement:
        """The commission statement of ``partner`` for ``period``."""
        lines = tuple(e for e in self.for_partner(partner) if period.contains(e.on))
        zero = Money.zero(self.currency)
        earned = zero + sum_money((e.amount for e in lines if e.kind == "earned"), self.currency)
        clawed = zero + sum_money((e.amount for e in lines if e.kind == "clawback"), self.currency)
        return CommissionStatement(
            partner, period, self.currency, lines, earned, clawed, earned - clawed
        )

    def statements(self, period: Period) -> tuple[CommissionStatement, ...]:
        """One statement per partner with an event in ``period``, by partner id."""
        partners = sorted({e.partner for e in self.events if period.contains(e.on)})
        return tuple(self.statement(p, period) for p in partners)

    def deal_total(self, deal: str) -> Money:
        """The deal's net commission to date (its entitlement after the last event)."""
        signed = (e.signed for e in self.events if e.deal == deal)
        return Money.zero(self.currency) + sum_money(signed, self.currency)


@attrs.frozen
class _InvoiceState:
    taxable: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    returned_taxable: Decimal = Decimal(0)
    returned_total: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    invoiced: bool = False

    def base(self, basis: str) -> Decimal:
        if not self.invoiced:
            return Decimal(0)
        net_taxable = max(Decimal(0), self.taxable - self.returned_taxable)
        if basis == "invoice":
            return net_taxable
        net_total = self.total - self.returned_total
        if net_total <= 0 or net_taxable == 0:
            return Decimal(0)
        return net_taxable * min(Decimal(1), self.paid / net_total)


_Step: TypeAlias = tuple[date, int, str, str, str]  # (date, order, document id, invoice, what)


def _roles(attribution: Attribution, rule: CommissionRule) -> list[tuple[Role, AccountId, Decimal]]:
    present: list[tuple[Role, AccountId, Decimal]] = []
    if attribution.distributor is not None:
        present.append(("distributor", attribution.distributor, rule.split.distributor))
    if attribution.reseller is not None:
        present.append(("reseller", attribution.reseller, rule.split.reseller))
    if len(present) == 1:
        role, who, _ = present[0]
        return [(role, who, Decimal(100))]
    return present


def commission_ledger(
    deals: Iterable[Deal],
    documents: Iterable[Document],
    plan: CommissionPlan,
    partners: Iterable[Partner] | Mapping[str, Partner],
    payments: Iterable[Payment] = (),
    *,
    currency: str = "INR",
) -> CommissionLedger:
    """Compute every commission event of ``deals`` (see the module docstring).

    Args:
        deals: the deals, each with its attribution and invoices.
        documents: invoices, and the returns / credit notes referencing them
            (other documents are ignored).
        plan: the commission rules.
        partners: the programme's partners (the deal owner's type picks the rule).
        payments: customer payments, for rules on a payment basis.
        currency: the currency of every deal document and payment.

    Raises:
        PartnerError: a deal's owner is not a partner, or a document or payment
            is in another currency.
        DuplicateError: two deals with one id, or one invoice in two deals.
    """
    by_partner = dict(partners) if isinstance(partners, Mapping) else {p.id: p for p in partners}
    deal_list = list(deals)
    deal_of_invoice: dict[str, str] = {}
    seen: set[str] = set()
    for i, deal in enumerate(deal_list):
        if deal.id in seen:
            raise DuplicateError(f"deals[{i}].id: deal {deal.id!r} twice")
        seen.add(deal.id)
        for inv in deal.invoices:
            if inv in deal_of_invoice:
                raise DuplicateError(
                    f"deal {deal.id!r}.invoices: {inv!r} is already billed for deal "
                    f"{deal_of_invoice[inv]!r}"
                )
            deal_of_invoice[inv] = deal.id
    invoices: dict[str, Document] = {}
    reducing: dict[str, list[Document]] = {}
    for doc in documents:
        if doc.kind == "invoice" and doc.id in deal_of_invoice:
            invoices[doc.id] = doc
        elif doc.kind in _REDUCING and doc.reference in deal_of_invoice:
            reducing.setdefault(doc.reference, []).append(doc)
        else:
            continue
        if doc.currency != currency:
            raise PartnerError(
                f"document {doc.id!r}.currency: {doc.currency}, the ledger is in {currency}"
            )
    paid: dict[str, list[Payment]] = {}
    for pay in payments:
        if pay.invoice in deal_of_invoice:
            if pay.amount.currency != currency:
                raise PartnerError(
                    f"payment {pay.id!r}.amount: {pay.amount.currency}, the ledger is in {currency}"
                )
            paid.setdefault(pay.invoice, []).append(pay)

    events: list[CommissionEvent] = []
    findings: list[Finding] = []
    for deal in deal_list:
        owner = by_partner.get(deal.attribution.owner)
        if owner is None:
            raise PartnerError(
                f"deal {deal.id!r}.attribution.owner: {deal.attribution.owner!r} is not a partner"
            )
        rule = plan.rule_for(owner.type, deal.attribution.source)
        if rule is None:
            findings.append(
                Finding(
                    "no_commission_rule",
                    f"deal {deal.id}: no commission rule for {owner.type} / "
                    f"{deal.attribution.source}",
                    subject=deal.id,
                )
            )
            continue
        roles = _roles(deal.attribution, rule)
        if not roles:
            findings.append(
                Finding(
                    "no_partner_attributed",
                    f"deal {deal.id}: neither a distributor nor a reseller is attributed",
                    subject=deal.id,
                )
            )
            continue
        events.extend(_deal_events(deal, rule, roles, invoices, reducing, paid, currency, findings))
    events.sort(key=lambda e: (e.on, e.deal))  # stable: a deal keeps its computation order
    return CommissionLedger(currency, tuple(events), tuple(findings))


def _deal_events(
    deal: Deal,
    rule: CommissionRule,
    roles: list[tuple[Role, AccountId, Decimal]],
    invoices: Mapping[str, Document],
    reducing: Mapping[str, list[Document]],
    paid: Mapping[str, list[Payment]],
    currency: str,
    findings: list[Finding],
) -> list[CommissionEvent]:
    steps: list[_Step] = []
    for inv in deal.invoices:
        doc = invoices.get(inv)
        if doc is None:
            findings.append(
                Finding(
                    "invoice_missing",
                    f"deal {deal.id}: invoice {inv} was not found; it earns no commission",
                    subject=deal.id,
                )
            )
            continue
        steps.append((doc.issued_on, 0, doc.id, inv, "invoice"))
        for pay in paid.get(inv, ()):
            steps.append((pay.paid_on, 1, pay.id, inv, "payment"))
        for ret in reducing.get(inv, ()):
            steps.append((ret.issued_on, 2, ret.id, inv, ret.kind))
    steps.sort()
    pay_by_id = {p.id: p for inv in deal.invoices for p in paid.get(inv, ())}
    ret_by_id: dict[str, Document] = {
        d.id: d for inv in deal.invoices for d in reducing.get(inv, ())
    }
    state = {inv: _InvoiceState() for inv in deal.invoices}
    weights = [w for _, _, w in roles]
    zero = Money.zero(currency)
    before = zero
    shares_before = tuple(zero for _ in roles)
    out: list[CommissionEvent] = []
    for on, _, doc_id, inv, what in steps:
        s = state[inv]
        if what == "invoice":
            doc = invoices[inv]
            s = attrs.evolve(s, taxable=doc.taxable.amount, total=doc.total.amount, invoiced=True)
            why = f"invoice {inv} taxable {doc.taxable.amount}"
        elif what == "payment":
            pay = pay_by_id[doc_id]
            s = attrs.evolve(s, paid=s.paid + pay.amount.amount)
            why = f"payment {doc_id} of {pay.amount.amount} against {inv}"
        else:
            ret = ret_by_id[doc_id]
            s = attrs.evolve(
                s,
                returned_taxable=s.returned_taxable + ret.taxable.amount,
                returned_total=s.returned_total + ret.total.amount,
            )
            why = f"{what} {doc_id} taxable {ret.taxable.amount} against {inv}"
        state[inv] = s
        base = sum((st.base(rule.basis) for st in state.values()), Decimal(0))
        after = Money(base * rule.fraction, currency).round()
        if after == before:
            continue
        shares_after = allocate(after, weights)
        trace = (
            Trace.of(f"commission of deal {deal.id} on {on.isoformat()} ({doc_id})")
            .add(f"rule {rule.id}", "applied", rule.describe())
            .add("entitlement", "applied", f"{before.amount} -> {after.amount}: {why}")
        )
        for (role, who, weight), old, new in zip(roles, shares_before, shares_after, strict=True):
            delta = new - old
            step = trace.add(
                f"{role} share",
                "applied",
                f"{weight.normalize():f}% of {after.amount} = {new.amount}",
            )
            if delta.is_zero:
                continue
            kind: EventKind = "earned" if delta.amount > 0 else "clawback"
            out.append(
                CommissionEvent(deal.id, who, role, kind, on, doc_id, abs(delta), rule.id, step)
            )
        before, shares_before = after, shares_after
    return out
